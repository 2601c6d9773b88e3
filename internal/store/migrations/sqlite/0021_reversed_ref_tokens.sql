-- 0021: a mistyped ref's "did you mean" reads only its neighbours (issue 16).
-- person_search_token gains, for every ref and merged ref of a person, a
-- token of kind 4: the ref's fold (nomtrack.RefFold) reversed. Refs that
-- start like the mistyped one are a range of the kind 2 tokens, refs that
-- end like it a range of these; one edit leaves one of the two halves
-- intact (nomtrack.RefNeighbours). Searches match kinds 0 to 3 only. The
-- reversal is Go, so the tokens of existing people are written by the
-- migration runner right after this file (backfillReversedRefTokens); the
-- statement below makes that idempotent.
DELETE FROM person_search_token WHERE kind = 4;
