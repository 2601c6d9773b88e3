-- 0008: a person's values remember where they are from, every change is
-- kept, and a merge keeps what it drops (SPEC §4 Matching, Newest wins,
-- Duplicates).
--
-- * `*_asof` columns on person: the date (YYYY-MM-DD) each value is from —
--   a nominations row's offering start, a people sheet's or a command's
--   day. An import replaces a value only with one at least as new, so the
--   order in which sheets are imported does not decide what is kept. Columns
--   on the person, rather than a table of dates, because an import reads
--   and writes them with the person's own row: no query of its own.
--   Existing values get the start of the person's latest nomination (the
--   newest sheet that can have carried them), else the day the person was
--   last changed; an empty value has no date, so any row may fill it.
-- * person_change: every change of a person's field (at, actor, field,
--   from, to, source: 'cli', 'import:FILE:ROW', 'merge'). No foreign key:
--   the history of a person removed by mistake stays readable by the audit.
-- * person_alias: the refs and name spellings of people merged into
--   another. An alias ref is unique like a ref, so no new person can take
--   it; rows and commands that name an alias find the person kept.
ALTER TABLE person ADD COLUMN name_asof TEXT NOT NULL DEFAULT '';
ALTER TABLE person ADD COLUMN name_ar_asof TEXT NOT NULL DEFAULT '';
ALTER TABLE person ADD COLUMN ministry_asof TEXT NOT NULL DEFAULT '';
ALTER TABLE person ADD COLUMN rank_asof TEXT NOT NULL DEFAULT '';
ALTER TABLE person ADD COLUMN rank_code_asof TEXT NOT NULL DEFAULT '';
ALTER TABLE person ADD COLUMN position_asof TEXT NOT NULL DEFAULT '';
ALTER TABLE person ADD COLUMN gender_asof TEXT NOT NULL DEFAULT '';
ALTER TABLE person ADD COLUMN english_asof TEXT NOT NULL DEFAULT '';
ALTER TABLE person ADD COLUMN email_asof TEXT NOT NULL DEFAULT '';
ALTER TABLE person ADD COLUMN phone_asof TEXT NOT NULL DEFAULT '';

UPDATE person SET name_asof = coalesce(
    (SELECT max(o.start) FROM nomination n JOIN offering o ON o.id = n.offering_id WHERE n.person_id = person.id),
    substr(updated_at, 1, 10));
UPDATE person SET
    name_ar_asof = CASE WHEN name_ar <> '' THEN name_asof ELSE '' END,
    ministry_asof = CASE WHEN ministry <> '' THEN name_asof ELSE '' END,
    rank_asof = CASE WHEN rank <> '' THEN name_asof ELSE '' END,
    rank_code_asof = CASE WHEN rank_code <> '' THEN name_asof ELSE '' END,
    position_asof = CASE WHEN position <> '' THEN name_asof ELSE '' END,
    gender_asof = CASE WHEN gender <> '' THEN name_asof ELSE '' END,
    english_asof = CASE WHEN english <> '' THEN name_asof ELSE '' END,
    email_asof = CASE WHEN email <> '' THEN name_asof ELSE '' END,
    phone_asof = CASE WHEN phone <> '' THEN name_asof ELSE '' END;

CREATE TABLE person_change (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER NOT NULL,
    at         TEXT NOT NULL,               -- RFC 3339, UTC
    actor      TEXT NOT NULL,
    field      TEXT NOT NULL,
    from_value TEXT NOT NULL DEFAULT '',
    to_value   TEXT NOT NULL DEFAULT '',
    source     TEXT NOT NULL                -- 'cli', 'import:FILE:ROW' or 'merge'
);
CREATE INDEX person_change_person ON person_change(person_id, id);
CREATE INDEX person_change_at ON person_change(at);

CREATE TABLE person_alias (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('ref', 'name', 'name_ar')),
    value      TEXT NOT NULL,
    name_key   TEXT NOT NULL DEFAULT '',    -- for 'name': the key an import matches on
    ministry   TEXT NOT NULL DEFAULT '',    -- for 'name': the ministry it was written with
    created_at TEXT NOT NULL,
    UNIQUE (person_id, kind, value)
);
CREATE UNIQUE INDEX person_alias_ref ON person_alias(value) WHERE kind = 'ref';
CREATE INDEX person_alias_name ON person_alias(name_key, ministry);
