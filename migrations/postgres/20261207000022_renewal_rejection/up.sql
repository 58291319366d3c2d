-- The expert may refuse a renewal with a reason the engineer reads (EN-02).
ALTER TABLE engineer_renewals ADD COLUMN reason TEXT;
