package store

import (
	"context"
	"strings"
	"testing"
)

// `person dupes` streams block by block with flat memory only while each
// pass reads people in the order of the key's index: a sort (temp b-tree)
// would hold every person first. On PostgreSQL a sort would be the
// server's, spilling to disk, but the order must still be one the index
// gives (the keys and the index in the same collation), so that the
// planner can stream it: with sorting discouraged the plan reads the index
// and sorts nothing.
// On SQLite the index holds every column read (migration 0022): reading
// the table at random, an index without them, was half the command's time.
func TestDuplicatePlansDoNotSort(t *testing.T) {
	db := mustOpenEmpty(t)
	for index, arabic := range map[string]bool{"person_dupe_arabic": true, "person_dupe_latin": false} {
		if OnPostgres() {
			plan := pgPlan(t, db, []string{"enable_sort = off"}, dupeBlocksQuery(arabic))
			scan := strings.HasPrefix(plan, "Index Scan "+index+" on person ") || strings.HasPrefix(plan, "Index Only Scan "+index+" on person ")
			if !scan || strings.Contains(plan, "Sort") {
				t.Errorf("plan:\n%swant person read in the order of %s, no sort", plan, index)
			}
			continue
		}
		var details []string
		for _, r := range mustRows(t, db, `EXPLAIN QUERY PLAN `+dupeBlocksQuery(arabic)) {
			details = append(details, r[3])
		}
		plan := strings.Join(details, "; ")
		if plan != "SCAN person USING COVERING INDEX "+index {
			t.Errorf("plan: %s; want person read from %s alone, in its order, no sort", plan, index)
		}
	}
}

// TestDupeKeysBackfilled: a database from before migration 0016 gets the
// duplicate keys of every person it has, so `person dupes` finds them (on
// either engine: PostgreSQL's schema starts at 0013).
func TestDupeKeysBackfilled(t *testing.T) {
	ctx := context.Background()
	path := DSNForTest(t)
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	db = rewindAndReopen(t, db, path,
		`DROP INDEX person_dupe_latin`,
		`DROP INDEX person_dupe_arabic`,
		`ALTER TABLE person DROP COLUMN dupe_latin_key`,
		`ALTER TABLE person DROP COLUMN dupe_arabic_key`,
		`DELETE FROM schema_migration WHERE version = 16`,
		`INSERT INTO person (name, name_key, name_ar, ministry, created_at, updated_at)
		 VALUES ('Mohammed Al-Saadi', 'mohammedalsaadi', 'أحمد', 'MoD', 'x', 'x'),
		        ('Muhammad Alsaadi', 'muhammadalsaadi', '', 'MoD', 'x', 'x'),
		        ('', '', 'احمد', 'MoI', 'x', 'x')`,
	)
	got := mustRows(t, db, `SELECT dupe_latin_key, dupe_arabic_key FROM person ORDER BY id`)
	want := [][]string{{"mod muhamadalsadi", "احمد"}, {"mod muhamadalsadi", ""}, {"", "احمد"}}
	if strings.Join(flat(got), "|") != strings.Join(flat(want), "|") {
		t.Errorf("keys after migration = %q, want %q", got, want)
	}
}

func flat(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}
