-- 0022: `person dupes` reads people only from its two indexes (issue 16),
-- as on SQLite (migrations/sqlite/0022): each index holds every column the
-- passes read, so an index-only scan can answer them in the key's order.
DROP INDEX person_dupe_latin;
DROP INDEX person_dupe_arabic;
CREATE INDEX person_dupe_latin ON person(dupe_latin_key, id, ref, name, name_ar, ministry, dupe_arabic_key) WHERE dupe_latin_key <> '';
CREATE INDEX person_dupe_arabic ON person(dupe_arabic_key, id, ref, name, name_ar, ministry, dupe_latin_key) WHERE dupe_arabic_key <> '';
