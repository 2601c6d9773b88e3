-- 0019: a search lists its best matches first straight from the index
-- (issue 13); the twin of migrations/sqlite/0019_search_token_by_kind.sql,
-- which says why the kind leads. token is COLLATE "C", so a kind's prefix
-- range is in code point order, as on SQLite.
DROP INDEX person_search_token_token;
CREATE INDEX person_search_token_kind ON person_search_token (kind, token, person_id);
