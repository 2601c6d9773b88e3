-- 0020: the twin of migrations/sqlite/0020, so both engines keep the same
-- indexes: `report eligibility YEAR` reads the candidates' profiles from
-- nomination_offering_cover and the rank-code count from person_report;
-- `report year YEAR` reads the ids of the women and of the people of
-- unknown gender from person_gender.
DROP INDEX nomination_offering_cover;
CREATE INDEX nomination_offering_cover ON nomination(offering_id, status, person_id, role, ministry, funding, english, rank_code);
DROP INDEX person_report;
CREATE INDEX person_report ON person(id, ministry, gender, rank_code);
CREATE INDEX person_gender ON person(gender, id);
