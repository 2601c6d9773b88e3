-- 0025: the people `report eligibility` and `report pending` name, and the
-- people without a rank code, read from indexes (issue 16), as on SQLite
-- (migrations/sqlite/0025).
CREATE INDEX person_report_name ON person(id, ref, name, name_ar);
CREATE INDEX person_no_rank_code ON person(rank_code, id) WHERE rank_code = '';
