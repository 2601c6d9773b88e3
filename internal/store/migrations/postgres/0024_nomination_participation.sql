-- 0024: the twin of migrations/sqlite/0024, so both engines keep the same
-- indexes: `report trend` reads each year's participations (attended or
-- completed) from a narrow partial index, one search per offering.
CREATE INDEX nomination_participation ON nomination(offering_id, person_id) WHERE status IN ('attended', 'completed');
