package store

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func TestEmbeddedMigrationsAreNumberedUniquelyInFileOrder(t *testing.T) {
	ms, err := Migrations()
	if err != nil {
		t.Fatal(err)
	}
	names, _ := fs.Glob(migrationFS, "migrations/sqlite/*.sql")
	sort.Strings(names)
	if len(ms) != len(names) {
		t.Fatalf("%d migrations from %d files", len(ms), len(names))
	}
	for i, m := range ms {
		if m.Name != names[i] {
			t.Errorf("migration %d is %s, but file %d in name order is %s", m.Version, m.Name, i, names[i])
		}
		if i > 0 && m.Version <= ms[i-1].Version {
			t.Errorf("%s does not come after %s", m.Name, ms[i-1].Name)
		}
	}
	if got, want := SchemaVersion(), ms[len(ms)-1].Version; got != want {
		t.Errorf("SchemaVersion() = %d, want the newest file's number %d", got, want)
	}
	for i, v := range legacyVersions {
		if ms[i].Version != v {
			t.Errorf("legacy migration %d is %d in the files, %d in legacyVersions", i, ms[i].Version, v)
		}
	}
}

func TestParseMigrations(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		ms, err := parseMigrations([]string{"m/0010_b.sql", "m/0002_a.sql", "m/0009_c.sql"})
		if err != nil {
			t.Fatal(err)
		}
		var got []int
		for _, m := range ms {
			got = append(got, m.Version)
		}
		if len(got) != 3 || got[0] != 2 || got[1] != 9 || got[2] != 10 {
			t.Errorf("versions %v, want [2 9 10]", got)
		}
	})
	for name, files := range map[string][]string{
		"ErrDuplicate": {"m/0002_a.sql", "m/0002_b.sql"},
		"ErrNoNumber":  {"m/init.sql"},
		"ErrZero":      {"m/0000_a.sql"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := parseMigrations(files); err == nil {
				t.Errorf("%v accepted", files)
			}
		})
	}
}

// A database that counted its migrations in user_version (before
// schema_migration) is read as having the first legacyVersions, upgraded in
// place, and from then on records each migration by number.
func TestLegacyCountedDatabaseUpgradesInPlace(t *testing.T) {
	SkipOnPostgres(t, "a legacy SQLite file upgraded in place")
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "legacy.db")
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	ms, _ := Migrations()
	for _, m := range ms[:2] { // 0001 and 0003: user_version 2 in the old scheme
		body, _ := migrationFS.ReadFile(m.Name)
		if _, err := raw.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", m.Name, err)
		}
	}
	if _, err := raw.Exec(fmt.Sprintf(`PRAGMA application_id = %d; PRAGMA user_version = 2`, ApplicationID)); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.FromVersion != 3 {
		t.Errorf("FromVersion = %d, want 3 (0001 and 0003 applied)", db.FromVersion)
	}
	applied, recorded, err := appliedMigrations(ctx, db.r)
	if err != nil || !recorded {
		t.Fatalf("applied: %v recorded %v", err, recorded)
	}
	for _, m := range ms {
		if !applied[m.Version] {
			t.Errorf("migration %d not recorded", m.Version)
		}
	}
	var uv int
	db.r.QueryRow(`PRAGMA user_version`).Scan(&uv)
	if uv != SchemaVersion() {
		t.Errorf("user_version = %d, want %d", uv, SchemaVersion())
	}
}

// A migration whose number is below one already applied (it landed later)
// still runs, once.
func TestMigrationLandingOutOfOrderStillRuns(t *testing.T) {
	SkipOnPostgres(t, "SQLite's migration bookkeeping (PostgreSQL starts at 0013)")
	ctx := context.Background()
	db := mustOpenEmpty(t)
	newest := SchemaVersion()
	if _, err := db.w.Exec(`DELETE FROM schema_migration WHERE version = ?`, newest); err != nil {
		t.Fatal(err)
	}
	if _, err := db.w.Exec(`INSERT INTO schema_migration VALUES (9999, 'x')`); err != nil {
		t.Fatal(err)
	}
	applied, _, _ := appliedMigrations(ctx, db.r)
	ms, _ := Migrations()
	p := pendingMigrations(ms, applied)
	if len(p) != 1 || p[0].Version != newest {
		t.Fatalf("pending %v, want only %d", p, newest)
	}
	if !strings.HasPrefix(p[0].Name, "migrations/sqlite/") {
		t.Errorf("name %q", p[0].Name)
	}
}

// rewindAndReopen runs stmts on db (putting part of the schema back as it
// was before a migration, deleting that migration's row in
// schema_migration, adding rows of then), closes it and opens path again,
// so that the migration runs on those rows as it would on an old database.
// The database opened again is closed when the test ends.
func rewindAndReopen(t *testing.T, db *DB, path string, stmts ...string) *DB {
	t.Helper()
	mustExec(t, db, stmts...)
	db.Close()
	db, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
