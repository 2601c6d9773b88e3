-- 0015: people are found by name through an index, not a scan (issue 13).
-- person_search_token holds, for every person, nomtrack.PersonTokens: the
-- folded Latin and Arabic names (and the names merged into the person) from
-- each word to the end, and the ref from each run of letters or digits,
-- with their kind (0 a whole name, 1 from a later word, 2 a whole ref, 3
-- from a later part of the ref). A search looks its folded text up as a
-- prefix of the tokens (token >= ? AND token < ?), so its cost follows the
-- matches, not the number of people. Every write of a person's names, ref
-- or aliases replaces that person's tokens in its own transaction (person
-- add/edit/merge, the import loader); the folding is Go, so existing people
-- get theirs from the migration runner right after this file.
CREATE TABLE person_search_token (
    person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    token TEXT NOT NULL,
    kind INTEGER NOT NULL
);
CREATE INDEX person_search_token_token ON person_search_token (token, kind, person_id);
CREATE INDEX person_search_token_person ON person_search_token (person_id);
