-- 0020: `report eligibility YEAR` reads only indexes (issue 16).
--
-- It checks each nomination of the year to a course with prerequisites
-- against the profile the nomination was made with (english, rank_code;
-- 0007). Those were read from the nomination's row, a random page for each
-- of the 53,000 candidates at 1,000,000 nominations: 60 % of the report's
-- CPU and about 300 MB of mapped pages. nomination_offering_cover (0003,
-- 0012) gains both columns, so the candidates come from the index the
-- other reports already read; its name and leading columns are unchanged,
-- so every query it served, and the import's deferred rebuild, still find
-- it.
--
-- The closing line of the report counts the year's people without a rank
-- code (the person's own, as before); person_report (0004) gains rank_code
-- so that count is read from the index rather than each person's row.
DROP INDEX nomination_offering_cover;
CREATE INDEX nomination_offering_cover ON nomination(offering_id, status, person_id, role, ministry, funding, english, rank_code);
DROP INDEX person_report;
CREATE INDEX person_report ON person(id, ministry, gender, rank_code);
