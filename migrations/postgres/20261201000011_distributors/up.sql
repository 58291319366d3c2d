-- Distributors and their branches (DI-01), and cooperation with technical officers (DI-02..04,
-- TO-08): the distributor names a qualified officer for a branch, the officer accepts or declines,
-- the province's university approves or rejects; the officer may end it at any time.
CREATE TABLE distributors (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    -- company | guild
    kind TEXT NOT NULL,
    manager_id TEXT NOT NULL REFERENCES persons(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX distributors_manager ON distributors(manager_id);

CREATE TABLE branches (
    id TEXT PRIMARY KEY,
    distributor_id TEXT NOT NULL REFERENCES distributors(id),
    name TEXT NOT NULL,
    is_central BOOLEAN NOT NULL,
    province_id TEXT NOT NULL REFERENCES provinces(id),
    city_id TEXT NOT NULL REFERENCES cities(id),
    address TEXT NOT NULL,
    -- The branch's technical officer once a cooperation is approved.
    officer_id TEXT REFERENCES persons(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX branches_distributor ON branches(distributor_id);

CREATE TABLE cooperations (
    id TEXT PRIMARY KEY,
    branch_id TEXT NOT NULL REFERENCES branches(id),
    distributor_id TEXT NOT NULL REFERENCES distributors(id),
    officer_id TEXT NOT NULL REFERENCES persons(id),
    -- Routed to this province's university (the branch's).
    province_id TEXT NOT NULL REFERENCES provinces(id),
    -- awaiting_officer | declined | awaiting_university | rejected | active | terminated
    status TEXT NOT NULL,
    reviewer_id TEXT REFERENCES persons(id),
    reason TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    ended_at TIMESTAMP
);
CREATE INDEX cooperations_officer ON cooperations(officer_id, status);
CREATE INDEX cooperations_distributor ON cooperations(distributor_id, created_at);
CREATE INDEX cooperations_queue ON cooperations(province_id, status);
