-- Boards of directors (AS-05): positions held by approved members; past terms stay as history.
CREATE TABLE board_positions (
    id TEXT PRIMARY KEY,
    association_id TEXT NOT NULL REFERENCES associations(id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES persons(id),
    position TEXT NOT NULL,
    start_date DATE NOT NULL,
    end_date DATE,
    closed_on DATE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX board_positions_association ON board_positions(association_id);
-- One current holder of each single-seat position, enforced by the database.
CREATE UNIQUE INDEX board_single_seat ON board_positions(association_id, position)
    WHERE closed_on IS NULL
      AND position IN ('president', 'vice_president', 'secretary', 'treasurer', 'inspector', 'alternate_inspector');
