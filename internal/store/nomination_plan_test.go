package store

import (
	"context"
	"strings"
	"testing"
)

// The plan of `nomination list` with a status and another filter starts
// from the other filter; a status alone uses nomination_status.
func TestNominationListPlanLeadsWithTheNarrowerFilter(t *testing.T) {
	SkipOnPostgres(t, "SQLite's EXPLAIN QUERY PLAN")
	db := mustOpenEmpty(t)
	plan := func(f NominationFilter) string {
		var where string
		var args []any
		err := db.View(context.Background(), func(q Querier) (err error) {
			where, args, err = nominationWhere(context.Background(), q, f)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var details []string
		for _, r := range mustRows(t, db, `EXPLAIN QUERY PLAN SELECT `+nominationColumns+nominationFrom+` WHERE `+where+nominationOrder, args...) {
			details = append(details, r[3])
		}
		return strings.Join(details, "; ")
	}
	if p := plan(NominationFilter{Year: 2018, Status: "completed"}); strings.Contains(p, "nomination_status") || !strings.Contains(p, "offering_start") {
		t.Errorf("--year --status plan: %s; want the year's offerings first, not every completed nomination", p)
	}
	if p := plan(NominationFilter{Status: "no-show"}); !strings.Contains(p, "nomination_status") {
		t.Errorf("--status plan: %s; want nomination_status", p)
	}
}

// The people's ministries are found by seeking through person_ministry, one
// seek per ministry, never by reading every person's entry.
func TestStoredMinistriesPlanSeeks(t *testing.T) {
	SkipOnPostgres(t, "SQLite's EXPLAIN QUERY PLAN")
	db := mustOpenEmpty(t)
	var details []string
	for _, r := range mustRows(t, db, `EXPLAIN QUERY PLAN `+storedMinistriesQuery) {
		details = append(details, r[3])
	}
	p := strings.Join(details, "; ")
	if strings.Contains(p, "SCAN person") || strings.Contains(p, "SCAN p ") || !strings.Contains(p, "person_ministry (ministry>?)") {
		t.Errorf("plan: %s; want seeks in person_ministry", p)
	}
}

// A mistyped ref's neighbours are ranges of the search index, read from it
// alone: never a scan of the tokens or of the people.
func TestRefNeighboursPlanReadsRanges(t *testing.T) {
	SkipOnPostgres(t, "SQLite's EXPLAIN QUERY PLAN")
	db := mustOpenEmpty(t)
	for _, kinds := range []string{"0, 1, 2", "4"} {
		var details []string
		for _, r := range mustRows(t, db, `EXPLAIN QUERY PLAN `+refNeighboursSQL(kinds), "mod9", "mod:") {
			details = append(details, r[3])
		}
		p := strings.Join(details, "; ")
		if strings.Contains(p, "SCAN") || !strings.Contains(p, "COVERING INDEX person_search_token_kind (kind=? AND token>? AND token<?)") {
			t.Errorf("kinds %s plan: %s; want ranges of person_search_token_kind", kinds, p)
		}
	}
}
