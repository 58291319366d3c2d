-- Integrations (PL-06): API keys for third-party systems and webhook subscriptions.
--
-- Each key and subscription belongs to an owner: the commission (associations), the
-- directorate (technical officers) or one province's engineering organisation; its admins
-- manage it and it reads or hears of that owner's records only.

-- A key's secret is random (192 bits) and kept only as its SHA-256; `prefix` names it in lists.
-- Uses are counted in a one-minute window on the row itself (`window_started_at`,
-- `window_uses`), so the limit holds across processes.
CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    owner_kind TEXT NOT NULL,
    province_id TEXT REFERENCES provinces(id),
    name TEXT NOT NULL,
    scopes TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    prefix TEXT NOT NULL,
    rate_per_minute INTEGER NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    created_by TEXT NOT NULL REFERENCES persons(id),
    created_at TIMESTAMP NOT NULL,
    rotated_at TIMESTAMP,
    last_used_at TIMESTAMP,
    window_started_at TIMESTAMP NOT NULL,
    window_uses INTEGER NOT NULL
);
CREATE INDEX api_keys_owner ON api_keys(owner_kind, province_id);

-- The signing secret is needed to sign each delivery, so it is kept; it is shown once.
CREATE TABLE webhook_subscriptions (
    id TEXT PRIMARY KEY,
    owner_kind TEXT NOT NULL,
    province_id TEXT REFERENCES provinces(id),
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    secret TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    created_by TEXT NOT NULL REFERENCES persons(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX webhook_subscriptions_owner ON webhook_subscriptions(owner_kind, province_id);

-- Deliveries are outbox messages (channel `webhook`, recipient the subscription): the
-- delivery log of a subscription is read through this index.
CREATE INDEX outbox_by_recipient ON outbox_messages(channel, recipient, created_at);
