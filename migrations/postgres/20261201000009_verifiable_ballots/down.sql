DROP TABLE ballots;
CREATE TABLE ballots (
    id TEXT PRIMARY KEY,
    election_id TEXT NOT NULL REFERENCES elections(id) ON DELETE CASCADE,
    tracking_code TEXT NOT NULL UNIQUE,
    choices TEXT NOT NULL
);
DROP TABLE election_trustees;
ALTER TABLE elections DROP COLUMN counts;
ALTER TABLE elections DROP COLUMN aggregate;
ALTER TABLE elections DROP COLUMN public_key;
ALTER TABLE elections DROP COLUMN trustee_threshold;
