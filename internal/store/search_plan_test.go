package store

import (
	"context"
	"strings"
	"testing"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// TestSearchReadsTheIndex: a search that some word start matches, and a
// lookup by name, read the search index's range and the people it names,
// never every person (the scan that took 170–577 ms at 250,000 people).
func TestSearchReadsTheIndex(t *testing.T) {
	ctx := context.Background()
	db := mustOpenEmpty(t)
	for _, p := range []*nomtrack.Person{{Name: "Ahmed Kareem", NameAr: "أحمد كريم", Ministry: "MoD"}, {Name: "Ali", Ministry: "MoI"}} {
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
	for _, f := range []PersonFilter{{Search: "احمد"}, {Search: "Kareem", Ministry: "MoD"}, {Search: "Ahm", Limit: 20}} {
		var query string
		var args []any
		err := db.View(ctx, func(q Querier) (err error) {
			query, args, err = personQuery(ctx, q, f, personColumns, "p.name, p.id")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		p := plan(query, args...)
		if !strings.Contains(p, "person_search_token_token") || strings.Contains(p, "SCAN p\n") || strings.HasSuffix(p, "SCAN p") {
			t.Errorf("search %+v does not read the index alone:\n%s", f, p)
		}
	}
	p := plan(peopleNamedSQL, "x", 0)
	if strings.Contains(p, "SCAN p") {
		t.Errorf("lookup by name scans the people:\n%s", p)
	}
}
