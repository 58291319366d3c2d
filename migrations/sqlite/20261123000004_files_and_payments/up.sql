-- Uploaded files (PL-03) and invoices with their payments (PL-02).
CREATE TABLE files (
    id TEXT PRIMARY KEY,
    purpose TEXT NOT NULL,
    owner_id TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL UNIQUE,
    original_name TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX files_owner ON files(owner_id);

CREATE TABLE invoices (
    id TEXT PRIMARY KEY,
    payer_id TEXT NOT NULL REFERENCES persons(id),
    purpose TEXT NOT NULL,
    reference TEXT,
    description TEXT NOT NULL,
    amount_rials BIGINT NOT NULL,
    status TEXT NOT NULL,
    authority TEXT UNIQUE,
    ref_id TEXT,
    created_at TIMESTAMP NOT NULL,
    payment_started_at TIMESTAMP,
    paid_at TIMESTAMP,
    handled_at TIMESTAMP
);
CREATE INDEX invoices_payer ON invoices(payer_id);
CREATE INDEX invoices_status ON invoices(status);

-- The built-in sandbox gateway's own book of payments (it plays the bank).
CREATE TABLE sandbox_payments (
    authority TEXT PRIMARY KEY,
    amount_rials BIGINT NOT NULL,
    callback_url TEXT NOT NULL,
    description TEXT NOT NULL,
    status TEXT NOT NULL,
    ref_id TEXT,
    created_at TIMESTAMP NOT NULL
);
