-- Associations (AS-01), what qualifies for membership (AS-02), memberships (AS-03).
CREATE TABLE associations (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    website TEXT,
    statute_date DATE,
    logo_file_id TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE association_qualifications (
    id TEXT PRIMARY KEY,
    association_id TEXT NOT NULL REFERENCES associations(id) ON DELETE CASCADE,
    field TEXT NOT NULL,
    degree_level TEXT NOT NULL,
    UNIQUE (association_id, field, degree_level)
);

CREATE TABLE memberships (
    id TEXT PRIMARY KEY,
    association_id TEXT NOT NULL REFERENCES associations(id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    field TEXT NOT NULL,
    degree_level TEXT NOT NULL,
    source TEXT NOT NULL,
    reason TEXT,
    requested_at TIMESTAMP NOT NULL,
    decided_at TIMESTAMP,
    decided_by TEXT,
    UNIQUE (association_id, person_id)
);
CREATE INDEX memberships_status ON memberships(association_id, status);

-- A normalised copy of the name for search (ی/ي, ک/ك, digits, ZWNJ folded).
ALTER TABLE persons ADD COLUMN search_name TEXT NOT NULL DEFAULT '';
UPDATE persons SET search_name = lower(first_name || ' ' || last_name);
