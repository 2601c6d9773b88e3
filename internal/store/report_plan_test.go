package store

import (
	"strings"
	"testing"
)

// `report eligibility` and `report pending` read their candidates from nomination_offering_cover
// alone (migration 0020), and the people they name from person_report_name
// (0025): reading each nomination's row and person took 60 % of the
// report's time and 300 MB of mapped pages on a million nominations, and
// each person's row a page read of its own (issue 16).
func TestEligibilityAndPendingPlansReadIndexes(t *testing.T) {
	SkipOnPostgres(t, "SQLite's EXPLAIN QUERY PLAN")
	db := mustOpenEmpty(t)
	plan := func(query string, args ...any) string { return sqlitePlan(t, db, query, args...) }
	lo, hi := yearBounds(2018)
	for name, query := range map[string]string{"eligibility candidates": eligibilitySQL, "the year's other people": eligibilityOthersSQL} {
		got := plan(query, lo, hi)
		if !strings.Contains(got, "COVERING INDEX nomination_offering_cover") || strings.Contains(got, "SCAN") {
			t.Errorf("%s plan: %s; want the year's offerings, then a covering search of nomination_offering_cover", name, got)
		}
	}
	if got := plan(eligibilityOfferingsSQL, lo, hi); strings.Contains(got, "SCAN") {
		t.Errorf("eligibility offerings plan: %s; want a search of the year's offerings", got)
	}
	// The people reports name, and those without a rank code, come from
	// the indexes of migration 0025, not from the person table's wide rows.
	args := make([]any, peopleBatch)
	for i := range args {
		args[i] = i + 1
	}
	if got := plan(reportNamesSQL(), args...); !strings.Contains(got, "COVERING INDEX person_report_name") || strings.Contains(got, "SCAN") {
		t.Errorf("report names plan: %s; want a covering search of person_report_name", got)
	}
	if got := plan(noRankCodeSQL); !strings.Contains(got, "COVERING INDEX person_no_rank_code") || strings.Contains(got, "SCAN") {
		t.Errorf("people without a rank code plan: %s; want a covering search of person_no_rank_code", got)
	}
	pending := plan(pendingSQL, "open", "nominated", "approved", "confirmed", "attended")
	if !strings.Contains(pending, "COVERING INDEX nomination_offering_cover") {
		t.Errorf("pending candidates plan: %s; want a covering search of nomination_offering_cover", pending)
	}
}

// `report year` reads its nominations from nomination_offering_cover
// without joining their people, and the women and people of unknown
// gender from person_gender (migration 0020): a lookup of each
// nomination's person was half of its CPU at 1,000,000 nominations.
func TestYearReportPlansReadIndexes(t *testing.T) {
	SkipOnPostgres(t, "SQLite's EXPLAIN QUERY PLAN")
	db := mustOpenEmpty(t)
	plan := func(query string, args ...any) string { return sqlitePlan(t, db, query, args...) }
	lo, hi := yearBounds(2018)
	year := plan(yearRowsSQL, lo, hi)
	if !strings.Contains(year, "COVERING INDEX nomination_offering_cover") || strings.Contains(year, "SCAN") {
		t.Errorf("year rows plan: %s; want the year's offerings, then a covering search of nomination_offering_cover", year)
	}
	genders := plan(gendersSQL, "F", "")
	if !strings.Contains(genders, "COVERING INDEX person_gender") || strings.Contains(genders, "SCAN") {
		t.Errorf("genders plan: %s; want a covering search of person_gender", genders)
	}
}
