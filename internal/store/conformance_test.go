package store

import (
	"path/filepath"
	"testing"

	"github.com/nomtrack/nomtrack/internal/pgtest"
)

// The store's tests are one conformance suite for both engines: they run
// against SQLite by default and against PostgreSQL when
// NOMTRACK_TEST_ENGINE=postgres (scripts/test.sh runs the package both
// ways), each test on a fresh database of its own. Tests about SQLite
// files (paths, permissions, WAL, legacy upgrades, query plans) skip on
// PostgreSQL, saying why.

// OnPostgres reports whether the store's tests run on PostgreSQL
// (pgtest.EngineEnv).
func OnPostgres() bool { return pgtest.OnPostgres() }

// DSNForTest is where a test's fresh database lives: a file in its temporary
// directory, or a new PostgreSQL database dropped when the test ends.
func DSNForTest(tb testing.TB) string {
	tb.Helper()
	if OnPostgres() {
		return pgtest.NewDatabase(tb)
	}
	return filepath.Join(tb.TempDir(), "nomtrack.db")
}

// SkipOnPostgres skips a test that is about SQLite only, saying why.
func SkipOnPostgres(tb testing.TB, why string) {
	tb.Helper()
	if OnPostgres() {
		tb.Skip("SQLite only: " + why)
	}
}

// ActorForTest is who a test's database records for actor: on PostgreSQL
// the role beside it (pgtest connects as the superuser, postgres).
func ActorForTest(actor string) string {
	if OnPostgres() {
		return actorWithRole(actor, "postgres")
	}
	return actor
}
