DROP INDEX role_grants_role_scope;
ALTER TABLE accounts DROP COLUMN disabled_reason;
ALTER TABLE accounts DROP COLUMN disabled_at;
ALTER TABLE sessions DROP COLUMN last_used_at;
ALTER TABLE sessions DROP COLUMN user_agent;
ALTER TABLE sessions DROP COLUMN ip;
