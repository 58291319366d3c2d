-- Account administration (issue: run it from zero). Sessions remember where they were opened
-- and when they were last used, so a person can see and end them; accounts remember when and
-- why they were disabled.
ALTER TABLE sessions ADD COLUMN ip TEXT;
ALTER TABLE sessions ADD COLUMN user_agent TEXT;
ALTER TABLE sessions ADD COLUMN last_used_at TIMESTAMP;
ALTER TABLE accounts ADD COLUMN disabled_at TIMESTAMP;
ALTER TABLE accounts ADD COLUMN disabled_reason TEXT;
CREATE INDEX role_grants_role_scope ON role_grants(role, scope_id);
