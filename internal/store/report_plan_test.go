package store

import (
	"strings"
	"testing"
)

// `report eligibility` and `report pending` read their candidates from nomination_offering_cover
// alone (migration 0020) and the year's people's rank codes from
// person_report: reading each nomination's row and person took 60 % of the
// report's time and 300 MB of mapped pages on a million nominations
// (issue 16).
func TestEligibilityAndPendingPlansReadIndexes(t *testing.T) {
	SkipOnPostgres(t, "SQLite's EXPLAIN QUERY PLAN")
	db := mustOpenEmpty(t)
	plan := func(query string, args ...any) string {
		var details []string
		for _, r := range mustRows(t, db, `EXPLAIN QUERY PLAN `+query, args...) {
			details = append(details, r[3])
		}
		return strings.Join(details, "; ")
	}
	lo, hi := yearBounds(2018)
	candidates := plan(eligibilitySQL, lo, hi)
	if !strings.Contains(candidates, "COVERING INDEX nomination_offering_cover") || strings.Contains(candidates, "SCAN") {
		t.Errorf("eligibility candidates plan: %s; want the year's offerings, then a covering search of nomination_offering_cover", candidates)
	}
	coverage := plan(rankCodeCoverageSQL, lo, hi)
	if !strings.Contains(coverage, "COVERING INDEX person_report") || strings.Contains(coverage, "SCAN") {
		t.Errorf("rank code coverage plan: %s; want a covering search of person_report", coverage)
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
	plan := func(query string, args ...any) string {
		var details []string
		for _, r := range mustRows(t, db, `EXPLAIN QUERY PLAN `+query, args...) {
			details = append(details, r[3])
		}
		return strings.Join(details, "; ")
	}
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
