-- 0017: shell completion offers people's names as typed (issue 18): a
-- prefix is a range of this index (person.name is COLLATE "C", so the
-- range is byte order, as on SQLite).
CREATE INDEX person_name ON person(name);
