package store

import (
	"strings"
	"testing"
)

// The two counts a status change makes — the offering's committed
// principals (seat check) and the year's committed seats (capacity
// warning) — read an index range and offering_count, never a scan of the
// nominations: on a million nominations the year's count took 0.4 s when
// it read them (issue 16).
func TestStatusChangePlansStayNarrow(t *testing.T) {
	SkipOnPostgres(t, "SQLite's EXPLAIN QUERY PLAN")
	db := mustOpenEmpty(t)
	plan := func(query string, args ...any) string { return sqlitePlan(t, db, query, args...) }
	seat := plan(offeringCommittedSQL, 1, "principal", 0)
	if !strings.Contains(seat, "nomination_offering_cover") || strings.Contains(seat, "SCAN") {
		t.Errorf("seat check plan: %s; want a search of nomination_offering_cover", seat)
	}
	year := plan(yearCommittedSQL, "2026-01-01", "2027-01-01")
	if strings.Contains(year, "nomination") || strings.Contains(year, "SCAN") || !strings.Contains(year, "offering_start") {
		t.Errorf("year count plan: %s; want the year's offerings by offering_start, then offering_count", year)
	}
	participants := plan(yearParticipantsSQL, "2026-01-01", "2027-01-01")
	if !strings.Contains(participants, "offering_start") || !strings.Contains(participants, "nomination_participation") || strings.Contains(participants, "SCAN") {
		t.Errorf("trend participants plan: %s; want the year's offerings, then their participations by nomination_participation", participants)
	}
	recount := plan(`SELECT offering_id, role, status, count(*) FROM nomination WHERE offering_id = ? GROUP BY offering_id, role, status`, 1)
	if !strings.Contains(recount, "nomination_offering_cover") || strings.Contains(recount, "SCAN n") || strings.Contains(recount, "SCAN nomination") {
		t.Errorf("recount plan: %s; want a search of nomination_offering_cover", recount)
	}
}

// sqlitePlan is SQLite's EXPLAIN QUERY PLAN of query, its detail column
// joined by "; ", for tests that guard which index a query reads.
func sqlitePlan(tb testing.TB, db *DB, query string, args ...any) string {
	tb.Helper()
	var details []string
	for _, r := range mustRows(tb, db, `EXPLAIN QUERY PLAN `+query, args...) {
		details = append(details, r[3])
	}
	return strings.Join(details, "; ")
}
