package store

import (
	"context"
	"path/filepath"
	"testing"
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
	for _, q := range []string{
		`ALTER TABLE person DROP COLUMN search_key`,
		`DELETE FROM schema_migration WHERE version = 13`,
		`DROP TABLE person_search_token`,
		`DELETE FROM schema_migration WHERE version = 15`,
		`INSERT INTO person (name, name_key, name_ar, ministry, created_at, updated_at)
		 VALUES ('Mohammed Al-Saadi', 'mohammedalsaadi', 'أحمد', 'MoD', 'x', 'x')`,
	} {
		if _, err := db.w.ExecContext(ctx, q); err != nil {
			t.Fatal(q, err)
		}
	}
	db.Close()

	db, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
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
