-- 0025: `report eligibility` and `report pending` read the people they
-- name, and count the people without a rank code, from indexes (issue 16).
--
-- Both reports name thousands of people scattered over the person table
-- (22,000 for `report eligibility 2018` at 1,000,000 nominations), looked
-- up by id in id order: each lookup read a page of the table, whose rows
-- are wide (contact details, the *_asof columns, search keys), 15,000 page
-- reads in all. person_report_name holds only what they read (ref, name and
-- the Arabic name), a fifth of the table's pages.
--
-- `report eligibility` ends with how many of the year's people have no
-- NATO rank code: the ids of the people without one, a third of them,
-- were read by a scan of person_report; person_no_rank_code holds them
-- alone.
CREATE INDEX person_report_name ON person(id, ref, name, name_ar);
CREATE INDEX person_no_rank_code ON person(rank_code, id) WHERE rank_code = '';
