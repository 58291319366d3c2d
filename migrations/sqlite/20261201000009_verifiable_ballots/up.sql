-- Verifiable ballots (EL-10): trustees hold the election key in shares; ballots are ciphertexts
-- with proofs, never plaintext choices.
ALTER TABLE elections ADD COLUMN trustee_threshold INTEGER NOT NULL DEFAULT 1;
-- The election key, once every trustee has confirmed its share.
ALTER TABLE elections ADD COLUMN public_key TEXT;
-- The homomorphic sum of the ballots (JSON), made once voting has closed.
ALTER TABLE elections ADD COLUMN aggregate TEXT;
-- The decrypted counts (JSON), with the results.
ALTER TABLE elections ADD COLUMN counts TEXT;

CREATE TABLE election_trustees (
    election_id TEXT NOT NULL REFERENCES elections(id) ON DELETE CASCADE,
    -- 1..n, the trustee's place in the threshold scheme.
    trustee INTEGER NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons(id),
    -- The ceremony's public messages (JSON), in order.
    transport TEXT,
    dealing TEXT,
    verification_key TEXT,
    -- The trustee's partial decryption of the aggregate (JSON).
    partial_decryption TEXT,
    PRIMARY KEY (election_id, trustee),
    UNIQUE (election_id, person_id)
) WITHOUT ROWID;

DROP TABLE ballots;
-- What was voted: a random id, no person, no time, no sequence — and now only ciphertexts and
-- proofs. The tracking code is the hash of the ballot's canonical JSON.
CREATE TABLE ballots (
    id TEXT PRIMARY KEY,
    election_id TEXT NOT NULL REFERENCES elections(id) ON DELETE CASCADE,
    tracking_code TEXT NOT NULL UNIQUE,
    content TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX ballots_election ON ballots(election_id, tracking_code);
