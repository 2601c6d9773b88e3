-- 0027: a course's fee may be unknown (NULL), which is not the same as a
-- free course (0); see migrations/sqlite/0027. Every stored 0 becomes
-- unknown, as the reports have always counted it. The column is replaced as
-- SQLite's is, so both engines keep course's columns in one order.
-- Each course so changed gets a course.edit entry in the audit trail.
INSERT INTO audit (at, actor, action, subject, detail, source)
SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'nomtrack (migration 0027)', 'course.edit', 'course:' || code,
       '{"from":{"fee":0},"to":{"fee":null},"reason":"a fee of 0 was never told apart from a fee not given; the reports counted it unknown"}',
       'migration 0027'
FROM course WHERE fee = 0 ORDER BY id;
ALTER TABLE course ADD COLUMN fee_eur DOUBLE PRECISION CHECK (fee_eur IS NULL OR fee_eur >= 0); -- tuition per seat, EUR; NULL when not known
UPDATE course SET fee_eur = fee WHERE fee > 0;
ALTER TABLE course DROP COLUMN fee;
ALTER TABLE course RENAME COLUMN fee_eur TO fee;
