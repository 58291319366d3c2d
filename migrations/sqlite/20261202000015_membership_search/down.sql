DROP INDEX memberships_newest;
DROP TRIGGER persons_search_name;
DROP TRIGGER memberships_search_name_update;
DROP TRIGGER memberships_search_name_insert;
ALTER TABLE memberships DROP COLUMN search_name;
