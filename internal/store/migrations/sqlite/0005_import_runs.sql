-- 0005: the creation events of imported nominations, kept as runs.
--
-- An import used to write one nomination_event row per new nomination:
-- (”, status, import:FILE:ROW). On a million-row import those rows and
-- their index were a third of the file and a quarter of the import's time.
-- Consecutive new nominations of one import come from consecutive sheet
-- rows, so one row here stands for a whole run of creation events: the
-- event of nomination id (first_id ≤ id ≤ last_id) was written at `at` by
-- `actor`, from source || (id + row_offset), and its status is the one the
-- nomination had before its first later event (or has now, if none).
-- Nominations are never deleted, so ids are never reused; the view also
-- asks that the nomination's created_at be the run's.
--
-- nomination_history is what every reader of a nomination's history uses:
-- the stored events and the events the runs stand for, one row each.
-- Nominations created before this migration keep their stored events.
CREATE TABLE nomination_import_run (
    first_id   INTEGER PRIMARY KEY,
    last_id    INTEGER NOT NULL CHECK (last_id >= first_id),
    row_offset INTEGER NOT NULL,   -- the sheet row of nomination id is id + row_offset
    at         TEXT NOT NULL,      -- RFC 3339, UTC: the import's transaction
    actor      TEXT NOT NULL,
    source     TEXT NOT NULL       -- 'import:FILE:'; the row number follows
);

CREATE VIEW nomination_history AS
SELECT id, nomination_id, at, actor, from_status, to_status, reason, source, correction
FROM nomination_event
UNION ALL
SELECT NULL, n.id, r.at, r.actor, '',
    coalesce((SELECT e.from_status FROM nomination_event e WHERE e.nomination_id = n.id ORDER BY e.at, e.id LIMIT 1), n.status),
    '', r.source || (n.id + r.row_offset), 0
FROM nomination n
JOIN nomination_import_run r
    ON r.first_id = (SELECT max(first_id) FROM nomination_import_run WHERE first_id <= n.id)
    AND n.id <= r.last_id AND n.created_at = r.at;
