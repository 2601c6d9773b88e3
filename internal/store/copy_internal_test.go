package store

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nomtrack/nomtrack/internal/pgtest"
)

// TestProgrammeTablesAreTheSchema keeps db copy's table list equal to every
// table the schema has, on both engines: a table a migration adds must be
// copied too (or the copy would lose it).
func TestProgrammeTablesAreTheSchema(t *testing.T) {
	ctx := context.Background()
	want := append(slices.Clone(programmeTables), "schema_migration")
	slices.Sort(want)
	check := func(t *testing.T, dsn, query string) {
		db, err := Open(ctx, dsn, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var got []string
		err = db.View(ctx, func(q Querier) error {
			rows, err := q.QueryContext(ctx, query)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var name string
				if err := rows.Scan(&name); err != nil {
					return err
				}
				got = append(got, name)
			}
			return rows.Err()
		})
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("tables %v, db copy copies %v (add a new table to programmeTables in copy.go, parents first)", got, want)
		}
	}
	t.Run("sqlite", func(t *testing.T) {
		check(t, filepath.Join(t.TempDir(), "x.db"),
			`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
	})
	t.Run("postgres", func(t *testing.T) {
		check(t, pgtest.NewDatabase(t),
			`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`)
	})
}

// TestCheckOnPostgres: db check runs the server's checks and finds a
// healthy new database healthy, a search token of no person, and an index
// left invalid.
func TestCheckOnPostgres(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, pgtest.NewDatabase(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := db.Check(ctx)
	if err != nil || !res.OK() {
		t.Fatalf("check of a new database: %+v, %v", res, err)
	}
	// A search token whose person is missing: no constraint refuses it
	// (migration 0023), db check finds it.
	if _, err := db.w.ExecContext(ctx, `INSERT INTO person_search_token (person_id, token, kind) VALUES (99, 'x', 0)`); err != nil {
		t.Fatal(err)
	}
	res, err = db.Check(ctx)
	if err != nil || res.OK() || strings.Join(res.ForeignKeys, "\n") != "1 person_search_token rows refer to a missing person" {
		t.Fatalf("check with a token of no person: %+v, %v", res, err)
	}
	if _, err := db.w.ExecContext(ctx, `DELETE FROM person_search_token`); err != nil {
		t.Fatal(err)
	}
	// An index the catalogue marks invalid, as a failed CREATE INDEX
	// CONCURRENTLY leaves it.
	if _, err := db.w.ExecContext(ctx, `UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'person_change_person'::regclass`); err != nil {
		t.Skipf("cannot mark an index invalid as this role: %v", err)
	}
	res, err = db.Check(ctx)
	if err != nil || res.OK() || !strings.Contains(strings.Join(res.Integrity, "\n"), "index person_change_person is invalid") {
		t.Fatalf("check with an invalid index: %+v, %v", res, err)
	}
}
