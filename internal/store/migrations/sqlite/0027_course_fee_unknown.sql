-- 0027: a course's fee may be unknown (NULL), which is not the same as a
-- free course (0).
--
-- Until now fee was NOT NULL DEFAULT 0: a course added without --fee (or
-- imported with an empty fee cell) showed "fee: 0" and JSON 0, while the
-- reports counted that 0 as unknown, so an explicit 0 could not be told from
-- a fee nobody had given. Every stored 0 is made unknown: the reports have
-- always counted it so, and nothing recorded which zeros were typed; a
-- course known to be free is set again with `course edit CODE --fee 0`.
--
-- SQLite cannot drop a NOT NULL constraint in place; a new column is added,
-- filled, and takes the old one's name (no table rebuild, so columns other
-- migrations add to course are kept).
ALTER TABLE course ADD COLUMN fee_eur REAL CHECK (fee_eur IS NULL OR fee_eur >= 0); -- tuition per seat, EUR; NULL when not known
UPDATE course SET fee_eur = fee WHERE fee > 0;
ALTER TABLE course DROP COLUMN fee;
ALTER TABLE course RENAME COLUMN fee_eur TO fee;
