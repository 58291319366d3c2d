-- Member search by the first digits of a national code (`national_code LIKE '0012%'`): the
-- unique index follows the database's collation, which LIKE cannot use outside the C locale;
-- this one compares bytes, as a prefix match needs. Without it the search reads every person.
CREATE INDEX persons_national_code_prefix ON persons (national_code text_pattern_ops);
