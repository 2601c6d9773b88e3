-- 0028: a course's length in days may be unknown (NULL), a known length
-- is 1 or more; see migrations/sqlite/0028. Every stored 0 becomes
-- unknown, each change kept in the audit trail. The column is replaced as
-- SQLite's is, so both engines keep course's columns in one order.
INSERT INTO audit (at, actor, action, subject, detail, source)
SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'nomtrack (migration 0028)', 'course.edit', 'course:' || code,
       '{"from":{"days":0},"to":{"days":null},"reason":"a course of 0 days has no length: 0 was stored for days not given"}',
       'migration 0028'
FROM course WHERE days = 0 ORDER BY id;
ALTER TABLE course ADD COLUMN days_run BIGINT CHECK (days_run IS NULL OR days_run > 0); -- days the course runs; NULL when not known
UPDATE course SET days_run = days WHERE days > 0;
ALTER TABLE course DROP COLUMN days;
ALTER TABLE course RENAME COLUMN days_run TO days;
