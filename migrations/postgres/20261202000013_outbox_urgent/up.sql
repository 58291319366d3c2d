-- Codes somebody is waiting for (voting, password reset) go before bulk notices; the partial
-- index serves the worker's claim (`due`, urgent first, then oldest) however many messages wait.
ALTER TABLE outbox_messages ADD COLUMN urgent BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE outbox_messages SET urgent = TRUE WHERE purpose IN ('vote_code', 'password_reset');
CREATE INDEX outbox_next ON outbox_messages(urgent DESC, next_attempt_at) WHERE status IN ('pending', 'sending');
