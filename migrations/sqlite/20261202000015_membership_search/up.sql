-- Member search (AS-04) over one association's members: the person's normalised name is kept
-- on each membership, so the search reads one association's rows only. The database keeps the
-- copy equal: a membership takes its person's name when written, and a person's new name goes
-- to their memberships. (PostgreSQL adds a trigram index here; SQLite scans the association.)
ALTER TABLE memberships ADD COLUMN search_name TEXT NOT NULL DEFAULT '';
UPDATE memberships SET search_name = (SELECT search_name FROM persons WHERE persons.id = memberships.person_id);

CREATE TRIGGER memberships_search_name_insert AFTER INSERT ON memberships BEGIN
    UPDATE memberships SET search_name = (SELECT search_name FROM persons WHERE id = NEW.person_id)
    WHERE id = NEW.id;
END;
CREATE TRIGGER memberships_search_name_update AFTER UPDATE OF person_id, search_name ON memberships BEGIN
    UPDATE memberships SET search_name = (SELECT search_name FROM persons WHERE id = NEW.person_id)
    WHERE id = NEW.id AND search_name IS NOT (SELECT search_name FROM persons WHERE id = NEW.person_id);
END;
CREATE TRIGGER persons_search_name AFTER UPDATE OF search_name ON persons
    WHEN OLD.search_name IS NOT NEW.search_name BEGIN
    UPDATE memberships SET search_name = NEW.search_name WHERE person_id = NEW.id;
END;

-- The newest members first: a page is read by walking this index instead of sorting every match.
CREATE INDEX memberships_newest ON memberships (association_id, requested_at DESC, id DESC);
