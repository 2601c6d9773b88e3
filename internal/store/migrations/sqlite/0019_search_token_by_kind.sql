-- 0019: a search lists its best matches first straight from the index
-- (issue 13). The search index of 0015 is read one kind of token at a time
-- (a whole name, a later word, a whole ref, a later part of it), each in
-- the order of the token, then the person: with the kind leading, a kind's
-- prefix range is also that order, so `--limit 50` reads about 50 entries
-- and a whole listing needs no sort. The index it replaces, led by the
-- token, served the same lookups but not that order.
DROP INDEX person_search_token_token;
CREATE INDEX person_search_token_kind ON person_search_token (kind, token, person_id);
