-- 0022: `person dupes` reads people only from its two indexes (issue 16).
-- Each pass reads the people in the order of one part of their duplicate
-- key (0016); with only the key and the id in the index, every person's row
-- was then fetched from the table at random, and those page reads were half
-- the command's time at 250,000 people. The indexes now hold every column
-- the passes read (EachDuplicate's dupeBlocksQuery), so SQLite answers from
-- the index alone, in its order.
DROP INDEX person_dupe_latin;
DROP INDEX person_dupe_arabic;
CREATE INDEX person_dupe_latin ON person(dupe_latin_key, id, ref, name, name_ar, ministry, dupe_arabic_key) WHERE dupe_latin_key <> '';
CREATE INDEX person_dupe_arabic ON person(dupe_arabic_key, id, ref, name, name_ar, ministry, dupe_latin_key) WHERE dupe_arabic_key <> '';
