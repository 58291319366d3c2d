-- The complete divisions of Iran (api/core/data/README.md): counties, and each city's county.
-- The rows are written at start from the shipped files (anjoman_core::reference::load_divisions).
CREATE TABLE counties (
    id TEXT PRIMARY KEY,
    province_id TEXT NOT NULL REFERENCES provinces(id),
    name_fa TEXT NOT NULL
);
CREATE INDEX counties_province ON counties(province_id);
ALTER TABLE cities ADD COLUMN county_id TEXT REFERENCES counties(id);
-- Where the engineer's province of birth came from when the national code does not give it
-- (EN-07): the province's expert who confirmed what the engineer entered.
ALTER TABLE engineers ADD COLUMN birth_province_confirmed_by TEXT REFERENCES persons(id);
ALTER TABLE engineers ADD COLUMN birth_province_confirmed_at TIMESTAMP;
