-- 0016: `person dupes` compares only people who share a key (issue 16):
-- dupe_latin_key and dupe_arabic_key hold nomtrack.Person.DuplicateKey
-- (the ministry and the Latin name folded; the Arabic name folded; '' when
-- a name folds to nothing). Each is indexed with the id, so the pairs of one
-- key come out of the index in id order and memory stays flat however many
-- people there are. Every write of a person's name or ministry keeps them
-- (store, import loader, merge); the folding is Go, so existing rows are
-- filled by the migration runner right after this file (backfillDupeKeys).
ALTER TABLE person ADD COLUMN dupe_latin_key TEXT NOT NULL DEFAULT '';
ALTER TABLE person ADD COLUMN dupe_arabic_key TEXT NOT NULL DEFAULT '';
CREATE INDEX person_dupe_latin ON person(dupe_latin_key, id) WHERE dupe_latin_key <> '';
CREATE INDEX person_dupe_arabic ON person(dupe_arabic_key, id) WHERE dupe_arabic_key <> '';
