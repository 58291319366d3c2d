DROP INDEX memberships_newest;
DROP INDEX memberships_search_trgm;
DROP TRIGGER persons_search_name ON persons;
DROP FUNCTION persons_give_search_name();
DROP TRIGGER memberships_search_name ON memberships;
DROP FUNCTION memberships_take_search_name();
ALTER TABLE memberships DROP COLUMN search_name;
