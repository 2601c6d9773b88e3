-- 0027: a course's fee may be unknown (NULL), which is not the same as a
-- free course (0).
--
-- Until now fee was NOT NULL DEFAULT 0: a course added without --fee (or
-- imported with an empty fee cell) showed "fee: 0" and JSON 0, while the
-- reports counted that 0 as unknown, so an explicit 0 could not be told from
-- a fee nobody had given. Every stored 0 is made unknown: the reports have
-- always counted it so, and nothing recorded which zeros were typed; a
-- course known to be free is set again with `course edit CODE --fee 0`.
-- Each course so changed gets a course.edit entry in the audit trail
-- (actor and source "migration 0027"), so `nomtrack audit --action
-- course.edit` shows which fees went from 0 to unknown, and when.
--
-- SQLite cannot drop a NOT NULL constraint in place; a new column is added,
-- filled, and takes the old one's name (no table rebuild, so columns other
-- migrations add to course are kept).
INSERT INTO audit (at, actor, action, subject, detail, source)
SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'nomtrack (migration 0027)', 'course.edit', 'course:' || code,
       '{"from":{"fee":0},"to":{"fee":null},"reason":"a fee of 0 was never told apart from a fee not given; the reports counted it unknown"}',
       'migration 0027'
FROM course WHERE fee = 0 ORDER BY id;
ALTER TABLE course ADD COLUMN fee_eur REAL CHECK (fee_eur IS NULL OR fee_eur >= 0); -- tuition per seat, EUR; NULL when not known
UPDATE course SET fee_eur = fee WHERE fee > 0;
ALTER TABLE course DROP COLUMN fee;
ALTER TABLE course RENAME COLUMN fee_eur TO fee;
