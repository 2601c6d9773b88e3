-- 0017: shell completion offers people's names as typed (issue 18): a
-- prefix is a range of this index, so a TAB on the 1M-nomination database
-- reads the names it offers instead of every person.
CREATE INDEX person_name ON person(name);
