-- Whose part of the audit log each entry is (association:<id>, directorate, engineering:<province>),
-- so each authority reads its own entries; none: the commission's alone.
ALTER TABLE audit_log ADD COLUMN scope TEXT;
CREATE INDEX audit_log_scope ON audit_log (scope, seq);
