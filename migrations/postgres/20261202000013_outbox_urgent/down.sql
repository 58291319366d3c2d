DROP INDEX outbox_next;
ALTER TABLE outbox_messages DROP COLUMN urgent;
