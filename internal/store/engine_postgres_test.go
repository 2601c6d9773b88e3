package store

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/pgtest"
)

// What only the PostgreSQL engine does: these tests run in both halves of
// the suite (the engine is chosen by the URL), skipping where the machine
// has no PostgreSQL server (failing in CI).

// pgRoleURL makes a login role of the test database dsn, named for it and
// kind (roles belong to the cluster, so one per test database), runs each
// grant with %s standing for the role, and returns dsn logging in as it.
func pgRoleURL(t *testing.T, dsn, kind string, grants ...string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	role := "nomtrack_" + kind + "_" + strings.TrimPrefix(u.Path, "/")
	stmts := []string{`DO $$ BEGIN CREATE ROLE ` + role + ` LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$`}
	for _, g := range grants {
		stmts = append(stmts, fmt.Sprintf(g, role))
	}
	mustPgExec(t, dsn, stmts...)
	u.User = url.User(role)
	return u.String()
}

func mustPgExec(t *testing.T, dsn string, stmts ...string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, s := range stmts {
		if _, err := conn.Exec(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func pgScalar[T any](t *testing.T, dsn, query string) T {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var v T
	if err := conn.QueryRow(ctx, query).Scan(&v); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return v
}

func TestPostgresOpenMigratesAndSaysWho(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	ctx := context.Background()
	db, err := Open(ctx, dsn, Options{Actor: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if !db.Created || db.Engine() != "postgres" {
		t.Errorf("Created %v, Engine %q", db.Created, db.Engine())
	}
	if _, err := db.SetCapacity(ctx, 2026, 480); err != nil {
		t.Fatal(err)
	}
	list, err := db.ListAudit(ctx, AuditFilter{Actor: "alice"})
	if err != nil || len(list) != 1 || list[0].Actor != "alice (role postgres)" {
		t.Fatalf("audit = %+v, %v; want one entry by alice (role postgres)", list, err)
	}
	info, err := db.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.Engine != "postgres" || info.SchemaVersion != SchemaVersion() || info.SizeBytes <= 0 || info.Counts["capacity"] != 1 || info.JournalMode != "" {
		t.Errorf("info = %+v", info)
	}
	if strings.Contains(dsn, "@") && info.Path != MaskDSN(dsn) {
		t.Errorf("info path %q, want %q", info.Path, MaskDSN(dsn))
	}
	db.Close()

	again, err := Open(ctx, dsn, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if again.Created || again.FromVersion != SchemaVersion() {
		t.Errorf("reopened: Created %v, FromVersion %d", again.Created, again.FromVersion)
	}
}

// Two nomtracks opening a new database at once migrate it once: the second
// waits for the first's lock and finds nothing left to do.
func TestPostgresFirstRunsMigrateOnce(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	created := make(chan bool, 4)
	for range 4 {
		wg.Go(func() {
			db, err := Open(ctx, dsn, Options{})
			if err != nil {
				t.Error(err)
				return
			}
			created <- db.Created
			db.Close()
		})
	}
	wg.Wait()
	close(created)
	n := 0
	for c := range created {
		if c {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d opens created the schema, want 1", n)
	}
	ms, _ := migrationsIn("postgres")
	if got := pgScalar[int64](t, dsn, `SELECT count(*) FROM schema_migration`); got != int64(len(ms)) {
		t.Errorf("%d migrations recorded, want %d", got, len(ms))
	}
}

// A database from a newer nomtrack, or holding another application's
// tables, is refused and left exactly as it was.
func TestPostgresRefusesUntouched(t *testing.T) {
	ctx := context.Background()
	t.Run("ErrNewerSchema", func(t *testing.T) {
		dsn := pgtest.NewDatabase(t)
		db, err := Open(ctx, dsn, Options{})
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		mustPgExec(t, dsn, `INSERT INTO schema_migration (version, applied_at) VALUES (9999, 'x')`)
		before := pgScalar[string](t, dsn, `SELECT string_agg(version || ':' || applied_at, ',' ORDER BY version) FROM schema_migration`)
		_, err = Open(ctx, dsn, Options{})
		if err == nil || !strings.Contains(err.Error(), "was written by a newer nomtrack (schema 9999") || nomtrack.ErrorCode(err) != nomtrack.EINTERNAL {
			t.Fatalf("err = %v", err)
		}
		if after := pgScalar[string](t, dsn, `SELECT string_agg(version || ':' || applied_at, ',' ORDER BY version) FROM schema_migration`); after != before {
			t.Errorf("schema_migration %s became %s", before, after)
		}
	})
	t.Run("ErrOtherApplication", func(t *testing.T) {
		dsn := pgtest.NewDatabase(t)
		mustPgExec(t, dsn, `CREATE TABLE invoices (id int)`)
		_, err := Open(ctx, dsn, Options{})
		if err == nil || !strings.Contains(err.Error(), "holds tables of another application") {
			t.Fatalf("err = %v", err)
		}
		if n := pgScalar[int64](t, dsn, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`); n != 1 {
			t.Errorf("%d tables after the refusal, want only invoices", n)
		}
	})
	t.Run("ErrMustExist", func(t *testing.T) {
		dsn := pgtest.NewDatabase(t)
		_, err := Open(ctx, dsn, Options{MustExist: true})
		if nomtrack.ErrorCode(err) != nomtrack.ENOTFOUND || !strings.Contains(err.Error(), "no nomtrack database at postgres://") {
			t.Fatalf("err = %v", err)
		}
		if n := pgScalar[int64](t, dsn, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`); n != 0 {
			t.Errorf("a read-only open made %d tables", n)
		}
	})
	t.Run("ErrUnknownDatabase", func(t *testing.T) {
		u, err := url.Parse(pgtest.NewDatabase(t))
		if err != nil {
			t.Fatal(err)
		}
		u.Path = "/no_such_programme"
		u.User = url.UserPassword(u.User.Username(), "s3cret")
		_, err = Open(ctx, u.String(), Options{})
		if nomtrack.ErrorCode(err) != nomtrack.ENOTFOUND || !strings.Contains(err.Error(), "has no database named in postgres://") ||
			strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), "****") {
			t.Fatalf("err = %v", err)
		}
	})
}

// A role that may read but not write runs every read, and a write is
// refused in one sentence naming the privilege and the table.
func TestPostgresMissingPrivilegeIsOneSentence(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	ctx := context.Background()
	db, err := Open(ctx, dsn, Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	ro, err := Open(ctx, pgRoleURL(t, dsn, "ro", `GRANT SELECT ON ALL TABLES IN SCHEMA public TO %s`), Options{MustExist: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if _, err := ro.ListAudit(ctx, AuditFilter{}); err != nil {
		t.Errorf("a read: %v", err)
	}
	_, err = ro.SetCapacity(ctx, 2026, 480)
	if want := "the database role has no INSERT privilege on table capacity; nothing was written"; err == nil || !strings.HasPrefix(err.Error(), want) || nomtrack.ErrorCode(err) != nomtrack.EINTERNAL {
		t.Fatalf("err = %v, want %q…", err, want)
	}
}
