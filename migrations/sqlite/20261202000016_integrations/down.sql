DROP INDEX outbox_by_recipient;
DROP TABLE webhook_subscriptions;
DROP TABLE api_keys;
