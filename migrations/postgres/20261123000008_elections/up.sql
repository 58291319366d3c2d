-- Elections (EL-01..13). The ballot box is kept apart from who voted (EL-09).
CREATE TABLE elections (
    id TEXT PRIMARY KEY,
    association_id TEXT NOT NULL REFERENCES associations(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    support_contact TEXT,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    status TEXT NOT NULL,
    -- Frozen at opening (EL-04).
    roll_size BIGINT,
    reminder_sent_at TIMESTAMP,
    -- The tally (EL-11), as JSON, once counted.
    results TEXT,
    created_by TEXT NOT NULL REFERENCES persons(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX elections_association ON elections(association_id);
CREATE INDEX elections_status ON elections(status, starts_at, ends_at);

CREATE TABLE contests (
    id TEXT PRIMARY KEY,
    election_id TEXT NOT NULL REFERENCES elections(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    seats INTEGER NOT NULL,
    alternates INTEGER NOT NULL,
    max_selections INTEGER NOT NULL,
    sort_order INTEGER NOT NULL
);
CREATE INDEX contests_election ON contests(election_id);

CREATE TABLE candidates (
    id TEXT PRIMARY KEY,
    election_id TEXT NOT NULL REFERENCES elections(id) ON DELETE CASCADE,
    contest_id TEXT NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES persons(id),
    election_code TEXT NOT NULL,
    university TEXT,
    field TEXT,
    academic_rank TEXT,
    photo_file_id TEXT REFERENCES files(id),
    resume_file_id TEXT REFERENCES files(id),
    programme_file_id TEXT REFERENCES files(id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (contest_id, person_id),
    UNIQUE (election_id, election_code)
);

-- The electorate, frozen when voting opens.
CREATE TABLE voter_roll (
    election_id TEXT NOT NULL REFERENCES elections(id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES persons(id),
    PRIMARY KEY (election_id, person_id)
);

-- Who voted: one row per voter, no time, no ballot id.
CREATE TABLE participations (
    election_id TEXT NOT NULL REFERENCES elections(id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES persons(id),
    PRIMARY KEY (election_id, person_id)
);

-- What was voted: a random id, no person, no time, no sequence. (PostgreSQL keeps heap order:
-- see SECURITY.md on what that leaves and how the tally rewrites the table.)
CREATE TABLE ballots (
    id TEXT PRIMARY KEY,
    election_id TEXT NOT NULL REFERENCES elections(id) ON DELETE CASCADE,
    tracking_code TEXT NOT NULL UNIQUE,
    -- {"<contest id>": ["<candidate id>", ...], ...}
    choices TEXT NOT NULL
);

-- Confirmation codes for casting (EL-07): by e-mail, by SMS, or shown on screen and texted back
-- from the registered mobile. Deleted when the ballot is cast.
CREATE TABLE vote_codes (
    id TEXT PRIMARY KEY,
    election_id TEXT NOT NULL REFERENCES elections(id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES persons(id),
    channel TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    outbox_id TEXT,
    -- Inbound channel: when the voter's SMS with the code arrived.
    confirmed_at TIMESTAMP,
    email_fallback_at TIMESTAMP,
    expires_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX vote_codes_voter ON vote_codes(election_id, person_id);
