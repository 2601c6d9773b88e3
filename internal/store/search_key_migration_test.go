package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// TestSearchKeyBackfilled: a database from before migrations 0013 and 0015
// gets the search key and the search tokens of every person it has, so
// folded search finds them at once.
func TestSearchKeyBackfilled(t *testing.T) {
	SkipOnPostgres(t, "an SQLite file from before migration 0013")
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	db = rewindAndReopen(t, db, path,
		`ALTER TABLE person DROP COLUMN search_key`,
		`DELETE FROM schema_migration WHERE version = 13`,
		`DROP TABLE person_search_token`,
		`DELETE FROM schema_migration WHERE version = 15`,
		`INSERT INTO person (name, name_key, name_ar, ministry, created_at, updated_at)
		 VALUES ('Mohammed Al-Saadi', 'mohammedalsaadi', 'أحمد', 'MoD', 'x', 'x')`,
	)
	if got := mustRows(t, db, `SELECT search_key FROM person`); len(got) != 1 || got[0][0] != " muhamadalsadi احمد " {
		t.Errorf("search_key after migration = %q", got)
	}
	for _, search := range []string{"Muhammad", "احمد"} {
		people, err := db.ListPeople(ctx, PersonFilter{Search: search})
		if err != nil || len(people) != 1 {
			t.Errorf("ListPeople(%q) = %v, %v", search, people, err)
		}
	}
}

// TestReversedRefTokensBackfilled: a database from before migration 0021
// gets the reversed ref tokens of every person's ref and merged refs, the
// same as the writes keep for new people.
func TestReversedRefTokensBackfilled(t *testing.T) {
	SkipOnPostgres(t, "an SQLite file from before migration 0021")
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []*nomtrack.Person{
		{Name: "Mohammed Alsaadi", Ministry: "MoD", Ref: "S-0012"},
		{Name: "Mohd Saadi", Ministry: "MoD", Ref: "S-0099"},
		{Name: "Ali Hassan", Ministry: "MoI"},
		{Name: "Zainab Omar", Ministry: "MoI", Ref: "1221"},
	} {
		if err := db.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.MergePeople(ctx, "#1", "#2"); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`DELETE FROM person_search_token WHERE kind = 4`,
		`DELETE FROM schema_migration WHERE version = 21`,
	} {
		if _, err := db.w.ExecContext(ctx, q); err != nil {
			t.Fatal(q, err)
		}
	}
	if drift, _ := db.SearchIndexDrift(ctx); len(drift) != 3 {
		t.Fatalf("drift without the reversed refs = %q, want the three refs' tokens", drift)
	}
	db.Close()

	db, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if drift, err := db.SearchIndexDrift(ctx); err != nil || len(drift) != 0 {
		t.Errorf("drift after migration 0021 = %q, %v", drift, err)
	}
	if got := mustRows(t, db, `SELECT person_id, token FROM person_search_token WHERE kind = 4 ORDER BY 1, 2`); fmt.Sprint(got) != "[[1 2100s] [1 9900s] [4 1221]]" {
		t.Errorf("reversed ref tokens = %v", got)
	}
}
