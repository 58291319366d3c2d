-- Ending things, with reasons and history (issue: run it from zero). A membership ends when the
-- member leaves (`left`) or the association removes them (`removed`); its reason is kept in
-- `reason`, when and by whom in `ended_at`/`ended_by`, and every status it has had in
-- `membership_events`. A technical officer's qualification has a standing: `active`,
-- `suspended` (reinstatable) or `revoked`, each change in `officer_standing_events`.
ALTER TABLE memberships ADD COLUMN ended_at TIMESTAMP;
ALTER TABLE memberships ADD COLUMN ended_by TEXT;
CREATE TABLE membership_events (
    id TEXT PRIMARY KEY,
    membership_id TEXT NOT NULL REFERENCES memberships(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    reason TEXT,
    actor_id TEXT,
    at TIMESTAMP NOT NULL
);
CREATE INDEX membership_events_membership ON membership_events(membership_id, at);
-- What is known of the memberships before this: their request, and their decision if any.
INSERT INTO membership_events (id, membership_id, status, reason, actor_id, at)
    SELECT id || '-requested', id, 'pending', NULL, NULL, requested_at FROM memberships WHERE source = 'self';
INSERT INTO membership_events (id, membership_id, status, reason, actor_id, at)
    SELECT id || '-decided', id, status, reason, decided_by, COALESCE(decided_at, requested_at)
    FROM memberships WHERE status <> 'pending';

ALTER TABLE officers ADD COLUMN standing TEXT NOT NULL DEFAULT 'active';
CREATE TABLE officer_standing_events (
    id TEXT PRIMARY KEY,
    officer_id TEXT NOT NULL REFERENCES officers(person_id) ON DELETE CASCADE,
    standing TEXT NOT NULL,
    reason TEXT NOT NULL,
    actor_id TEXT,
    at TIMESTAMP NOT NULL
);
CREATE INDEX officer_standing_events_officer ON officer_standing_events(officer_id, at);
