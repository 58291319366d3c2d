DROP TABLE officer_standing_events;
ALTER TABLE officers DROP COLUMN standing;
DROP TABLE membership_events;
ALTER TABLE memberships DROP COLUMN ended_by;
ALTER TABLE memberships DROP COLUMN ended_at;
