ALTER TABLE engineer_renewals DROP COLUMN reason;
