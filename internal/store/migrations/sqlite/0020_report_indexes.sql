-- 0020: the reports of a year read indexes, not rows scattered over the
-- nomination and person tables (issue 16).
--
-- `report eligibility YEAR` checks each nomination of the year to a
-- course with prerequisites against the profile the nomination was made
-- with (english, rank_code; 0007). Those were read from the nomination's
-- row, a random page for each of the 53,000 candidates at 1,000,000
-- nominations: 60 % of the report's CPU and about 300 MB of mapped pages.
-- nomination_offering_cover (0003, 0012) gains both columns, so the
-- candidates come from the index the other reports already read; its name
-- and leading columns are unchanged, so every query it served, and the
-- import's deferred rebuild, still find it. The closing line of that
-- report counts the year's people without a rank code (the person's own,
-- as before); person_report (0004) gains rank_code so that count is read
-- from the index rather than each person's row.
--
-- `report year YEAR` breaks the year down by each person's gender (the
-- person's current one, as before). Looking up the person of each of the
-- year's 62,500 nominations was half of the report's CPU; person_gender
-- gives the ids of the women and of the people whose gender is not known
-- as two ranges, which the report reads into bit sets (gender is '', 'F'
-- or 'M', so everyone else is a man).
DROP INDEX nomination_offering_cover;
CREATE INDEX nomination_offering_cover ON nomination(offering_id, status, person_id, role, ministry, funding, english, rank_code);
DROP INDEX person_report;
CREATE INDEX person_report ON person(id, ministry, gender, rank_code);
CREATE INDEX person_gender ON person(gender, id);
