-- Member search by the first digits of a national code (`national_code LIKE '0012%'`): SQLite's
-- LIKE ignores case, so only a NOCASE index serves the prefix; without it every person is read.
CREATE INDEX persons_national_code_prefix ON persons (national_code COLLATE NOCASE);
