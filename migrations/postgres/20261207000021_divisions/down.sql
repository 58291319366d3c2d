ALTER TABLE engineers DROP COLUMN birth_province_confirmed_at;
ALTER TABLE engineers DROP COLUMN birth_province_confirmed_by;
ALTER TABLE cities DROP COLUMN county_id;
DROP TABLE counties;
