package store

import (
	"context"
	"strings"
	"testing"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// TestSearchReadsTheIndex: every rank of a search reads ranges of the
// search index already in the order it lists (no sort, so `--limit 50`
// reads about 50 entries), and the people it names by their id, never
// every person (the scan that took 170–577 ms at 250,000 people); a lookup
// by name reads one range.
func TestSearchReadsTheIndex(t *testing.T) {
	ctx := context.Background()
	db := mustOpenEmpty(t)
	if db.Engine() != "sqlite" {
		t.Skip("EXPLAIN QUERY PLAN is SQLite's; the order is checked on both engines by TestSearchOrderIsTotal")
	}
	for _, p := range []*nomtrack.Person{{Name: "Ahmed Kareem", NameAr: "أحمد كريم", Ministry: "MoD", Ref: "S-12"}, {Name: "Ali", Ministry: "MoI"}} {
		if err := db.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	plan := func(query string, args ...any) string {
		t.Helper()
		rows := mustRows(t, db, "EXPLAIN QUERY PLAN "+query, args...)
		var lines []string
		for _, r := range rows {
			lines = append(lines, r[len(r)-1])
		}
		return strings.Join(lines, "\n")
	}
	for _, f := range []PersonFilter{{Search: "احمد"}, {Search: "Kareem", Ministry: "MoD"}, {Search: "s12"}} {
		ranks := searchRanks(f.Search)
		if len(ranks) != 3 {
			t.Fatalf("search %q reads %d ranks, want 3", f.Search, len(ranks))
		}
		for i, rank := range ranks {
			query, args := rankQuery(rank, f.Ministry, personColumns)
			p := plan(query+" LIMIT 16 OFFSET 0", args...)
			if strings.Count(p, "USING COVERING INDEX person_search_token_kind") != len(rank) ||
				strings.Contains(p, "TEMP B-TREE") || strings.Contains(p, "SCAN") {
				t.Errorf("search %+v, rank %d, does not read the index in order:\n%s", f, i, p)
			}
			// A whole listing reads the rank from the index alone.
			query, args = rankQuery(rank, "", "")
			p = plan(query, args...)
			if strings.Count(p, "USING COVERING INDEX person_search_token_kind") != len(rank) ||
				strings.Contains(p, "TEMP B-TREE") || strings.Contains(p, "SCAN") || strings.Contains(p, "person p") {
				t.Errorf("search %+v, rank %d, whole: does not read the index alone, in order:\n%s", f, i, p)
			}
		}
	}
	// ... then the people it found by id.
	byID, byIDArgs := peopleByIDQuery(personColumns, []int64{3, 1, 2}, "MoD")
	p := plan(byID, byIDArgs...)
	if !strings.Contains(p, "SEARCH p USING INTEGER PRIMARY KEY (rowid=?)") || strings.Contains(p, "SCAN") {
		t.Errorf("people by id scan the people:\n%s", p)
	}
	p = plan(peopleNamedSQL, "x", 0)
	if strings.Contains(p, "SCAN p") || !strings.Contains(p, "person_search_token_kind") {
		t.Errorf("lookup by name scans the people:\n%s", p)
	}
}

// TestContainedSearchReadsTheIndex: a search no name or ref starts with
// (a mistyped name, a part inside a word) takes its candidates from the
// search index's whole-name and reversed-ref entries and reads those people
// by id: it used to read every person's row (1.1 s of CPU at 250,000
// people, for the common answer "not found").
func TestContainedSearchReadsTheIndex(t *testing.T) {
	db := mustOpenEmpty(t)
	if db.Engine() != "sqlite" {
		t.Skip("EXPLAIN QUERY PLAN is SQLite's; the answers are checked on both engines by TestSearchRanksAndFallsBack")
	}
	for _, f := range []PersonFilter{{Search: "Ahmed Smth", Limit: 6}, {Search: "aadi"}, {Search: "D-4180", Ministry: "MoD"}} {
		query, args := personQuery(f, personColumns, "p.name, p.id", contained{})
		rows := mustRows(t, db, "EXPLAIN QUERY PLAN "+query, args...)
		var lines []string
		for _, r := range rows {
			lines = append(lines, r[len(r)-1])
		}
		p := strings.Join(lines, "\n")
		if strings.Contains(p, "SCAN p") || !strings.Contains(p, "person_search_token_kind") {
			t.Errorf("search %+v reads every person:\n%s", f, p)
		}
		// Cut to a few, the candidates read first are looked up by id.
		query, args = personQuery(f, personColumns, "p.name, p.id", contained{ids: []int64{3, 8}})
		rows = mustRows(t, db, "EXPLAIN QUERY PLAN "+query, args...)
		lines = lines[:0]
		for _, r := range rows {
			lines = append(lines, r[len(r)-1])
		}
		if p := strings.Join(lines, "\n"); strings.Contains(p, "SCAN p") || !strings.Contains(p, "INTEGER PRIMARY KEY") {
			t.Errorf("search %+v with its candidates read first reads every person:\n%s", f, p)
		}
	}
}
