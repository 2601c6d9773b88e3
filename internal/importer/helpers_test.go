package importer

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nomtrack/nomtrack/internal/pgtest"
	"github.com/nomtrack/nomtrack/internal/store"
)

// testNow is the clock of every test database.
var testNow = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// MustOpen opens (creating) the database at path (a file or a PostgreSQL
// URL) with a pinned clock.
func MustOpen(tb testing.TB, path string) *store.DB {
	tb.Helper()
	db, err := store.Open(context.Background(), path, store.Options{Actor: "tester", Now: func() time.Time { return testNow }})
	if err != nil {
		tb.Fatal(err)
	}
	return db
}

// engineEnv chooses the engine of the importer's tests: with
// NOMTRACK_TEST_ENGINE=postgres each test imports into a fresh database of
// a throwaway PostgreSQL cluster (internal/pgtest), else into an SQLite
// file. scripts/test.sh runs them both ways.
const engineEnv = "NOMTRACK_TEST_ENGINE"

func onPostgres() bool { return os.Getenv(engineEnv) == "postgres" }

func TestMain(m *testing.M) { pgtest.Main(m) }

// MustDB opens a fresh database: an SQLite file in a temporary directory,
// or a PostgreSQL database (NOMTRACK_TEST_ENGINE=postgres).
func MustDB(tb testing.TB) *store.DB {
	tb.Helper()
	dsn := filepath.Join(tb.TempDir(), "test.db")
	if onPostgres() {
		dsn = pgtest.NewDatabase(tb)
	}
	db := MustOpen(tb, dsn)
	tb.Cleanup(func() { db.Close() })
	return db
}

// MustRun imports path and fails the test on an error or a rejected row.
func MustRun(tb testing.TB, db *store.DB, path string, opt Options) *Summary {
	tb.Helper()
	sum, err := Run(context.Background(), db, path, opt)
	if err != nil {
		tb.Fatalf("import %s: %v", filepath.Base(path), err)
	}
	if sum.Rejected > 0 {
		tb.Fatalf("import %s: %d rows rejected: %v", filepath.Base(path), sum.Rejected, sum.Errors)
	}
	return sum
}

// MustFile writes body to name in a temporary directory and returns its path.
func MustFile(tb testing.TB, name, body string) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), name)
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

// MustQuery returns the single value of a query.
func MustQuery[T any](tb testing.TB, db *store.DB, query string, args ...any) T {
	tb.Helper()
	var v T
	err := db.View(context.Background(), func(q store.Querier) error {
		return q.QueryRowContext(context.Background(), query, args...).Scan(&v)
	})
	if err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
	return v
}
