-- 0014: how many nominations each offering has, by role and status; the
-- twin of migrations/sqlite/0014_offering_count.sql (see there why). Kept
-- by the store in the transaction of every change, not by a trigger.
CREATE TABLE offering_count (
    offering_id BIGINT NOT NULL REFERENCES offering(id) ON DELETE CASCADE,
    role        TEXT COLLATE "C" NOT NULL,
    status      TEXT COLLATE "C" NOT NULL,
    n           BIGINT NOT NULL CHECK (n >= 0),
    PRIMARY KEY (offering_id, role, status)
);

INSERT INTO offering_count (offering_id, role, status, n)
SELECT offering_id, role, status, count(*) FROM nomination
GROUP BY offering_id, role, status;
