-- Durable outbox of SMS and e-mail (PL-01), one-time codes, inbound SMS and SMS recovery.
CREATE TABLE outbox_messages (
    id TEXT PRIMARY KEY,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT,
    body TEXT NOT NULL,
    purpose TEXT NOT NULL,
    template TEXT,
    token TEXT,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    lease_owner TEXT,
    lease_expires_at TIMESTAMP,
    last_error TEXT,
    provider_message_id TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    delivered_at TIMESTAMP
);
CREATE INDEX outbox_due ON outbox_messages(status, next_attempt_at);

CREATE TABLE one_time_codes (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    consumed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX one_time_codes_person ON one_time_codes(person_id, purpose);

CREATE TABLE inbound_sms (
    message_id TEXT PRIMARY KEY,
    sender TEXT NOT NULL,
    receiver TEXT NOT NULL,
    text TEXT NOT NULL,
    outcome TEXT NOT NULL,
    received_at TIMESTAMP NOT NULL
);

CREATE TABLE sms_recovery_requests (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    person_id TEXT,
    status TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    completed_at TIMESTAMP
);
