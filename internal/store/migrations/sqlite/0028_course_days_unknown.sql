-- 0028: a course's length in days may be unknown (NULL), as its fee may be
-- (0027); a known length is 1 or more.
--
-- Until now days was NOT NULL DEFAULT 0: a course added without --days (or
-- imported with an empty days cell) showed "days: 0", JSON 0 and 0 in
-- lists and exports, a length no course has. Every stored 0 is made
-- unknown: it only ever stood for a length nobody gave. Each course so
-- changed gets a course.edit entry in the audit trail (actor and source
-- "migration 0028"), so `nomtrack audit --action course.edit` shows which
-- lengths went from 0 to unknown, and when.
--
-- As in 0027, SQLite cannot drop a NOT NULL constraint in place: a new
-- column is added, filled, and takes the old one's name (no table rebuild,
-- so columns other migrations add to course are kept).
INSERT INTO audit (at, actor, action, subject, detail, source)
SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'nomtrack (migration 0028)', 'course.edit', 'course:' || code,
       '{"from":{"days":0},"to":{"days":null},"reason":"a course of 0 days has no length: 0 was stored for days not given"}',
       'migration 0028'
FROM course WHERE days = 0 ORDER BY id;
ALTER TABLE course ADD COLUMN days_run INTEGER CHECK (days_run IS NULL OR days_run > 0); -- days the course runs; NULL when not known
UPDATE course SET days_run = days WHERE days > 0;
ALTER TABLE course DROP COLUMN days;
ALTER TABLE course RENAME COLUMN days_run TO days;
