-- Identity, sessions, captcha, throttling and the hash-chained audit log.
CREATE TABLE persons (
    id TEXT PRIMARY KEY,
    national_code TEXT NOT NULL UNIQUE,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    mobile TEXT,
    email TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE accounts (
    person_id TEXT PRIMARY KEY REFERENCES persons(id) ON DELETE CASCADE,
    password_hash TEXT NOT NULL,
    must_change_password BOOLEAN NOT NULL,
    password_changed_at TIMESTAMP NOT NULL,
    disabled BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE role_grants (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    scope_type TEXT,
    scope_id TEXT,
    granted_at TIMESTAMP NOT NULL,
    granted_by TEXT
);
CREATE INDEX role_grants_person ON role_grants(person_id);

CREATE TABLE captchas (
    id TEXT PRIMARY KEY,
    answer_hash TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX captchas_expires ON captchas(expires_at);

CREATE TABLE throttle_counters (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    blocked_until TIMESTAMP,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    revoked_reason TEXT
);
CREATE INDEX sessions_person ON sessions(person_id);

CREATE TABLE refresh_tokens (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX refresh_tokens_session ON refresh_tokens(session_id);

CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at TIMESTAMP NOT NULL,
    actor_id TEXT,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT,
    before_state TEXT,
    after_state TEXT,
    ip TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log(actor_id);
CREATE INDEX audit_log_object ON audit_log(object_type, object_id);

-- One row: the head of the audit chain. Updating it first serialises writers on every backend.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY,
    last_seq BIGINT NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, last_seq, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
