-- 0012: the reports count each nomination under the ministry it was made
-- under (nomination.ministry, 0007) and cost it by its funding source
-- (nomination.funding). nomination_offering_cover (0003, rebuilt by 0007)
-- lets the reports read a year's nominations without touching the
-- nomination table; it gains those two columns so that stays true. Its
-- name and leading columns are unchanged, so every query it served, and
-- the import's deferred rebuild, still find it.
DROP INDEX nomination_offering_cover;
CREATE INDEX nomination_offering_cover ON nomination(offering_id, status, person_id, role, ministry, funding);
