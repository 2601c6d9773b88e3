-- 0020: the twin of migrations/sqlite/0020 (`report eligibility YEAR`
-- reads the candidates' profiles from nomination_offering_cover, and the
-- rank-code count from person_report), so both engines keep the same
-- indexes.
DROP INDEX nomination_offering_cover;
CREATE INDEX nomination_offering_cover ON nomination(offering_id, status, person_id, role, ministry, funding, english, rank_code);
DROP INDEX person_report;
CREATE INDEX person_report ON person(id, ministry, gender, rank_code);
