package store

import (
	"context"
	"strings"
	"testing"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// TestSearchReadsTheIndex: every range of a search reads the search index
// already in the order it lists (no sort, so `--limit 50` reads about 50
// entries), and the people it names by their id, never every person (the
// scan that took 170–577 ms at 250,000 people); a lookup by name reads one
// range. On PostgreSQL (EXPLAIN (FORMAT JSON), with sorting switched off
// so that a Sort left in the plan is one no index can spare) each range is
// an index scan in order under its LIMIT; a rank's ranges joined by UNION
// ALL, as they were, were sorted whole before the LIMIT there.
func TestSearchReadsTheIndex(t *testing.T) {
	ctx := context.Background()
	db := mustOpenEmpty(t)
	for _, p := range []*nomtrack.Person{{Name: "Ahmed Kareem", NameAr: "أحمد كريم", Ministry: "MoD", Ref: "S-12"}, {Name: "Ali", Ministry: "MoI"}} {
		if err := db.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	plan := func(query string, args ...any) string {
		t.Helper()
		if OnPostgres() {
			return pgPlan(t, db, []string{"enable_sort = off"}, query, args...)
		}
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
			for _, r := range rank {
				query, args := rangeQuery(r, f.Ministry, personColumns)
				p := plan(query+" LIMIT 16 OFFSET 0", args...)
				if !readsInOrder(p, true) {
					t.Errorf("search %+v, rank %d, range %+v, does not read the index in order:\n%s", f, i, r, p)
				}
				// A whole listing reads the range from the index alone.
				query, args = rangeQuery(r, "", "")
				p = plan(query, args...)
				if !readsInOrder(p, false) || strings.Contains(p, "person p") {
					t.Errorf("search %+v, rank %d, range %+v, whole: does not read the index alone, in order:\n%s", f, i, r, p)
				}
			}
		}
	}
	if OnPostgres() {
		return
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

// readsInOrder reports whether plan (pgPlan's on PostgreSQL, else
// SQLite's EXPLAIN QUERY PLAN) reads one range of person_search_token_kind
// in its order, with no sort and no scan of a whole table; when limited,
// under the Limit.
func readsInOrder(plan string, limited bool) bool {
	if !OnPostgres() {
		return strings.Count(plan, "USING COVERING INDEX person_search_token_kind") == 1 &&
			!strings.Contains(plan, "TEMP B-TREE") && !strings.Contains(plan, "SCAN")
	}
	for _, bad := range []string{"Sort", "Seq Scan", "Bitmap", "Append"} {
		if strings.Contains(plan, bad) {
			return false
		}
	}
	lines := strings.Split(strings.TrimSpace(plan), "\n")
	if limited {
		if lines[0] != "Limit" {
			return false
		}
		lines = lines[1:]
	}
	if len(lines) > 1 && strings.TrimSpace(lines[0]) == "Nested Loop" {
		lines = lines[1:] // the index, then the people by id
	}
	return strings.Contains(lines[0], "Scan person_search_token_kind on person_search_token t ")
}
