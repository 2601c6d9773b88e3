-- nomtrack: foreign-keys-off
-- 0007: the nomination keeps what it was made under, and what stands
-- between it and the classroom.
--
-- * Ids are AUTOINCREMENT, as person's are (0006): a nomination removed
--   for a mistake never hands its id (and so its history and audit rows)
--   to the next one, and the import runs of 0005 stay true.
-- * `released` closes an alternate who was not needed (SPEC §2).
-- * `alt_order` orders an offering's alternates (1, 2, …; NULL for a
--   principal).
-- * `ministry`, `rank`, `rank_code`, `english` are the person's values as
--   of the nomination, so a later edit of the person does not move past
--   years' reports or eligibility (backfilled from the person here).
-- * `visa`, `clearance`, `adl`, `funding`, `certificate`: pre-departure
--   and completion fields ('' = not known).
--
-- SQLite cannot change a CHECK constraint in place, so the table is
-- rebuilt (foreign keys off for this transaction; nomtrack checks them
-- before committing). The history view reads nomination, so it is dropped
-- first and made again with the event kinds below.
--
-- nomination_event gains `kind`: 'status' (a change of status; from '' is
-- the creation), 'promote', 'move', 'merge', 'edit', and for 'edit' the
-- `field` changed, its old and new values in from_status and to_status.
-- audit gains `source` ('cli', or 'import:FILE:ROW'); course gains
-- `requires` (comma list of clearance, adl).
DROP VIEW nomination_history;

CREATE TABLE nomination_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id   INTEGER NOT NULL REFERENCES person(id) ON DELETE RESTRICT,
    offering_id INTEGER NOT NULL REFERENCES offering(id) ON DELETE RESTRICT,
    role        TEXT NOT NULL CHECK (role IN ('principal', 'alternate')),
    alt_order   INTEGER CHECK (alt_order IS NULL OR alt_order >= 1),
    status      TEXT NOT NULL CHECK (status IN ('nominated', 'approved', 'confirmed', 'attended',
                    'completed', 'declined', 'withdrawn', 'cancelled', 'no-show', 'released')),
    note        TEXT NOT NULL DEFAULT '',
    ministry    TEXT NOT NULL DEFAULT '',
    rank        TEXT NOT NULL DEFAULT '',
    rank_code   TEXT NOT NULL DEFAULT '',
    english     TEXT NOT NULL DEFAULT '',
    visa        TEXT NOT NULL DEFAULT '' CHECK (visa IN ('', 'requested', 'issued', 'refused')),
    clearance   TEXT NOT NULL DEFAULT '' CHECK (clearance IN ('', 'requested', 'granted', 'refused')),
    adl         TEXT NOT NULL DEFAULT '',          -- date the ADL pre-study was completed
    funding     TEXT NOT NULL DEFAULT '' CHECK (funding IN ('', 'nato', 'national', 'host', 'other')),
    certificate TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (person_id, offering_id)
);
INSERT INTO nomination_new (id, person_id, offering_id, role, alt_order, status, note,
        ministry, rank, rank_code, english, created_at, updated_at)
    SELECT n.id, n.person_id, n.offering_id, n.role,
        CASE WHEN n.role = 'alternate'
            THEN row_number() OVER (PARTITION BY n.offering_id, n.role ORDER BY n.id) END,
        n.status, n.note,
        coalesce(p.ministry, ''), coalesce(p.rank, ''), coalesce(p.rank_code, ''), coalesce(p.english, ''),
        n.created_at, n.updated_at
    FROM nomination n LEFT JOIN person p ON p.id = n.person_id
    ORDER BY n.id;
DROP TABLE nomination;
ALTER TABLE nomination_new RENAME TO nomination;
CREATE INDEX nomination_status ON nomination(status);
CREATE INDEX nomination_offering_cover ON nomination(offering_id, status, person_id, role);

ALTER TABLE nomination_event ADD COLUMN kind TEXT NOT NULL DEFAULT 'status'
    CHECK (kind IN ('status', 'promote', 'move', 'merge', 'edit'));
ALTER TABLE nomination_event ADD COLUMN field TEXT NOT NULL DEFAULT '';

ALTER TABLE audit ADD COLUMN source TEXT NOT NULL DEFAULT 'cli';
ALTER TABLE course ADD COLUMN requires TEXT NOT NULL DEFAULT '';

CREATE VIEW nomination_history AS
SELECT id, nomination_id, at, actor, from_status, to_status, reason, source, correction, kind, field
FROM nomination_event
UNION ALL
SELECT NULL, n.id, r.at, r.actor, '',
    coalesce((SELECT e.from_status FROM nomination_event e WHERE e.nomination_id = n.id AND e.kind = 'status' ORDER BY e.at, e.id LIMIT 1), n.status),
    '', r.source || (n.id + r.row_offset), 0, 'status', ''
FROM nomination n
JOIN nomination_import_run r
    ON r.first_id = (SELECT max(first_id) FROM nomination_import_run WHERE first_id <= n.id)
    AND n.id <= r.last_id AND n.created_at = r.at;
