-- nomtrack: foreign-keys-off
-- 0006: a person's id is never given to another person.
--
-- `person merge` deletes the person it drops. With a plain INTEGER PRIMARY
-- KEY, SQLite gives the next new person max(id) + 1, so dropping the newest
-- person handed their id to the next one, and anything that named the old
-- id (the merge's audit row, a printed list, a message) then named someone
-- else. AUTOINCREMENT keeps the highest id ever used in sqlite_sequence and
-- never goes below it. SQLite can only set it when a table is created, so
-- the table is rebuilt (SQLite's documented procedure: foreign keys off for
-- this migration's transaction, which nomtrack checks with
-- PRAGMA foreign_key_check before committing).
CREATE TABLE person_new (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    ref        TEXT UNIQUE,                 -- service or personnel number; NULL when not given
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL,               -- name folded for matching (case, space, punctuation)
    name_ar    TEXT NOT NULL DEFAULT '',
    ministry   TEXT NOT NULL,
    rank       TEXT NOT NULL DEFAULT '',
    rank_code  TEXT NOT NULL DEFAULT '',
    position   TEXT NOT NULL DEFAULT '',
    gender     TEXT NOT NULL DEFAULT '' CHECK (gender IN ('', 'F', 'M')),
    english    TEXT NOT NULL DEFAULT '',
    email      TEXT NOT NULL DEFAULT '',
    phone      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
INSERT INTO person_new (id, ref, name, name_key, name_ar, ministry, rank, rank_code, position, gender, english, email, phone, created_at, updated_at)
    SELECT id, ref, name, name_key, name_ar, ministry, rank, rank_code, position, gender, english, email, phone, created_at, updated_at
    FROM person ORDER BY id;
DROP TABLE person;
ALTER TABLE person_new RENAME TO person;
CREATE INDEX person_name_key ON person(name_key, ministry);
CREATE INDEX person_ministry ON person(ministry);
CREATE INDEX person_report ON person(id, ministry, gender);

-- Ids merges dropped before this migration stay retired too: the audit row
-- of every merge records the dropped person.
DELETE FROM sqlite_sequence WHERE name = 'person';
INSERT INTO sqlite_sequence (name, seq)
SELECT 'person', max(
    coalesce((SELECT max(id) FROM person), 0),
    coalesce((SELECT max(CAST(json_extract(detail, '$.dropped.id') AS INTEGER)) FROM audit WHERE action = 'person.merge'), 0));
