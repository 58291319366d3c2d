ALTER TABLE persons DROP COLUMN search_name;
DROP TABLE memberships;
DROP TABLE association_qualifications;
DROP TABLE associations;
