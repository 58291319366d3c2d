ALTER TABLE persons ADD COLUMN birth_date DATE;
