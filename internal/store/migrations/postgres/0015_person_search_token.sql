-- 0015: people are found by name through an index, not a scan (issue 13);
-- the twin of migrations/sqlite/0015_person_search_token.sql, which says
-- what the tokens are. The token column compares in code point order
-- (COLLATE "C", as SQLite's BINARY), so that a prefix is a range of the
-- index whatever the database's locale. The migration runner fills the
-- tokens of existing people (Go folds the names).
CREATE TABLE person_search_token (
    person_id BIGINT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    token TEXT COLLATE "C" NOT NULL,
    kind BIGINT NOT NULL
);
CREATE INDEX person_search_token_token ON person_search_token (token, kind, person_id);
CREATE INDEX person_search_token_person ON person_search_token (person_id);
