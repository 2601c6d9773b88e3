package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

func TestRebindDollar(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`SELECT 1`, `SELECT 1`},
		{`SELECT * FROM t WHERE a = ? AND b IN (?, ?)`, `SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)`},
		{`SELECT '?', "a?b", x FROM t WHERE y = ?`, `SELECT '?', "a?b", x FROM t WHERE y = $1`},
		{`SELECT 'it''s ?' WHERE a = ?`, `SELECT 'it''s ?' WHERE a = $1`},
		{"SELECT a -- what?\nFROM t WHERE b = ?", "SELECT a -- what?\nFROM t WHERE b = $1"},
		{`SELECT /* ? */ a WHERE b = ?`, `SELECT /* ? */ a WHERE b = $1`},
		{`SELECT $$?$$, $tag$ ? $tag$, ?`, `SELECT $$?$$, $tag$ ? $tag$, $1`},
		{`SELECT 'unterminated ?`, `SELECT 'unterminated ?`},
		{`WHERE instr(p.search_key, ?) > 0 OR INSTR (a, ?)`, `WHERE strpos(p.search_key, $1) > 0 OR strpos (a, $2)`},
		{`SELECT myinstr(a), instr, x.instr(b), 'instr(' FROM t`, `SELECT myinstr(a), instr, x.instr(b), 'instr(' FROM t`},
		{"JOIN person p INDEXED BY person_report ON p.id = n.person_id", "JOIN person p  ON p.id = n.person_id"},
		{"JOIN person p indexed\n by person_report\nON p.id = ?", "JOIN person p \nON p.id = $1"},
		{`SELECT indexed, indexedby FROM t`, `SELECT indexed, indexedby FROM t`},
		{"FROM offering o CROSS JOIN nomination n ON n.offering_id = o.id\n\tCROSS  JOIN person p INDEXED BY person_report ON p.id = n.person_id",
			"FROM offering o JOIN nomination n ON n.offering_id = o.id\n\tJOIN person p  ON p.id = n.person_id"},
		{`SELECT cross, crossjoin FROM t`, `SELECT cross, crossjoin FROM t`},
		// A CROSS JOIN without ON or USING is one PostgreSQL has too: kept.
		{`SELECT count(*) FROM a CROSS JOIN b`, `SELECT count(*) FROM a CROSS JOIN b`},
		{`FROM a CROSS JOIN b WHERE b.x = ?`, `FROM a CROSS JOIN b WHERE b.x = $1`},
		{`FROM a CROSS JOIN b AS y, c`, `FROM a CROSS JOIN b AS y, c`},
		{`FROM a CROSS JOIN b y CROSS JOIN c z ON z.id = y.id`, `FROM a CROSS JOIN b y JOIN c z ON z.id = y.id`},
		{`FROM a CROSS JOIN (SELECT id FROM c WHERE d = ?) s ORDER BY 1`, `FROM a CROSS JOIN (SELECT id FROM c WHERE d = $1) s ORDER BY 1`},
		{"FROM a cross join b\n", "FROM a cross join b\n"},
		// With a condition, whatever the table and alias are spelled as.
		{`FROM a CROSS JOIN b ON b.id = a.id`, `FROM a JOIN b ON b.id = a.id`},
		{`FROM a CROSS JOIN b AS y ON y.id = a.id`, `FROM a JOIN b AS y ON y.id = a.id`},
		{`FROM a CROSS JOIN public.b USING (id)`, `FROM a JOIN public.b USING (id)`},
		{`FROM a CROSS JOIN "odd name" o ON o.id = a.id`, `FROM a JOIN "odd name" o ON o.id = a.id`},
		{`FROM a CROSS JOIN (SELECT id, ')' AS p FROM c WHERE d = ?) AS s ON s.id = a.id`, `FROM a JOIN (SELECT id, ')' AS p FROM c WHERE d = $1) AS s ON s.id = a.id`},
		{"FROM a CROSS JOIN b INDEXED BY b_x ON b.id = a.id", "FROM a JOIN b  ON b.id = a.id"},
		{`WHERE p.ref LIKE ? ESCAPE '\' OR a NOT like 'x' OR likes = 'LIKE'`, `WHERE p.ref ILIKE $1 ESCAPE '\' OR a NOT ILIKE 'x' OR likes = 'LIKE'`},
	} {
		if got := rebindDollar(c.in); got != c.want {
			t.Errorf("rebindDollar(%q) = %q, want %q", c.in, got, c.want)
		}
		// The cached answer is the same.
		if got := rebindDollar(c.in); got != c.want {
			t.Errorf("rebindDollar(%q) second time = %q", c.in, got)
		}
	}
}

func TestMaskDSN(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"/home/a/nomtrack.db", "/home/a/nomtrack.db"},
		{"postgres://alice:s3cret@db.example:5432/nom?sslmode=require", "postgres://alice:****@db.example:5432/nom?sslmode=require"},
		{"postgresql://alice@db/nom", "postgresql://alice@db/nom"},
		{"postgres://db/nom?user=alice&password=s3cret", "postgres://db/nom?password=****&user=alice"},
		{"POSTGRES://a:b%20c@h/d", "postgres://a:****@h/d"},
		{"postgres://a:s3cret@[::1/nom", "postgres://****"},
		{"postgres://a@h/d?sslkey=k.pem&sslpassword=s3cret", "postgres://a@h/d?sslkey=k.pem&sslpassword=****"},
		{"postgres://a:s3cret@h/d?password=s3cret&password=s3cret", "postgres://a:****@h/d?password=****"},
	} {
		got := MaskDSN(c.in)
		if got != c.want {
			t.Errorf("MaskDSN(%q) = %q, want %q", c.in, got, c.want)
		}
		if strings.Contains(got, "s3cret") {
			t.Errorf("MaskDSN(%q) shows the password", c.in)
		}
	}
}

func TestIsPostgresURL(t *testing.T) {
	for in, want := range map[string]bool{
		"postgres://h/d": true, "postgresql://h/d": true, "PostgreSQL://h/d": true,
		"nomtrack.db": false, "postgres.db": false, "./postgres://x": false, "file:postgres://x": false,
	} {
		if got := IsPostgresURL(in); got != want {
			t.Errorf("IsPostgresURL(%q) = %v", in, got)
		}
	}
}

func TestActorWithRole(t *testing.T) {
	for _, c := range [][3]string{
		{"alice", "nomtrack_rw", "alice (role nomtrack_rw)"},
		{"alice", "alice", "alice"},
		{"", "nomtrack_rw", "nomtrack_rw"},
	} {
		if got := actorWithRole(c[0], c[1]); got != c[2] {
			t.Errorf("actorWithRole(%q, %q) = %q, want %q", c[0], c[1], got, c[2])
		}
	}
}

// TestPostgresSettingsThatCannotBeUsed: what pgx refuses before it
// connects (a service missing, a file unreadable, an unknown sslmode) is
// one sentence naming it, exit 2, never "not a valid URL" nor the password.
func TestPostgresSettingsThatCannotBeUsed(t *testing.T) {
	dir := t.TempDir()
	services := filepath.Join(dir, "services.conf")
	if err := os.WriteFile(services, []byte("[programme]\nhost=127.0.0.1\nport=1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PGSERVICEFILE", services)
	for _, c := range []struct{ dsn, want string }{
		{"postgres://a:s3cret@/?service=nosuch", `the PostgreSQL service "nosuch" of postgres://a:****@/?service=nosuch is not in the service file ` + services},
		{"postgres://a:s3cret@/?service=x&servicefile=" + filepath.Join(dir, "none.conf"), "cannot read the PostgreSQL service file " + filepath.Join(dir, "none.conf")},
		{"postgres://a:s3cret@h/d?sslmode=sometimes", "the sslmode of postgres://a:****@h/d?sslmode=sometimes (from the URL, PGSSLMODE or the service file) is not one of"},
		{"postgres://a:s3cret@h/d?sslmode=verify-full&sslrootcert=" + filepath.Join(dir, "root.crt"), "cannot read the sslrootcert file " + filepath.Join(dir, "root.crt")},
		{"postgres://a:s3cret@h/d?sslmode=verify-full&sslrootcert=" + services, "holds no PEM certificate"},
		{"postgres://a:s3cret@h:port/d", "is not a valid PostgreSQL URL"},
	} {
		_, err := Open(context.Background(), c.dsn, Options{})
		if err == nil || !strings.Contains(err.Error(), c.want) || nomtrack.ErrorCode(err) != nomtrack.EUSAGE {
			t.Errorf("Open(%q) = %v (code %s), want a usage error saying %q", c.dsn, err, nomtrack.ErrorCode(err), c.want)
		}
		if err != nil && strings.Contains(err.Error(), "s3cret") {
			t.Errorf("Open(%q) shows the password: %v", c.dsn, err)
		}
	}
	// The scheme in any case: pgx reads only lower case.
	_, err := Open(context.Background(), "POSTGRESQL://a:s3cret@127.0.0.1:1/d?sslmode=disable", Options{})
	if err == nil || !strings.Contains(err.Error(), "cannot reach the PostgreSQL server of postgresql://a:****@127.0.0.1:1/d") {
		t.Errorf("an upper-case scheme: %v, want the server unreachable", err)
	}
}

// TestPostgresPassfileOthersCanRead: a password file readable by others
// gives no password, as libpq ignores it; a private one, or PGPASSWORD, does.
func TestPostgresPassfileOthersCanRead(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("PGPASSFILE", "")
	t.Setenv("PGPASSWORD", "")
	file := filepath.Join(home, ".pgpass")
	if err := os.WriteFile(file, []byte("127.0.0.1:5433:nom:alice:from-file\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const dsn = "postgres://alice@127.0.0.1:5433/nom"
	check := func(wantPassword, wantIgnored string) {
		t.Helper()
		cfg, ignored, err := parsePostgresURL(MaskDSN(dsn), dsn)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Password != wantPassword || ignored != wantIgnored {
			t.Errorf("password %q, ignored %q; want %q, %q", cfg.Password, ignored, wantPassword, wantIgnored)
		}
	}
	check("", file)
	os.Chmod(file, 0o640)
	check("", file)
	os.Chmod(file, 0o600)
	check("from-file", "")
	os.Chmod(file, 0o644)
	t.Setenv("PGPASSWORD", "from-env")
	check("from-env", "")
}

// TestCrossJoinRunsOnBothEngines: a CROSS JOIN with ON (SQLite's way of
// pinning the order of joins) and one without both run on the engine
// under test, with the same answers.
func TestCrossJoinRunsOnBothEngines(t *testing.T) {
	db := mustOpenEmpty(t)
	err := db.Update(context.Background(), func(tx *Tx) error {
		_, err := tx.ExecContext(context.Background(), `INSERT INTO course (code, title, area, created_at, updated_at)
			VALUES ('A-1', 'A', 'x', '', ''), ('B-2', 'B', 'x', '', ''), ('C-3', 'C', 'y', '', '')`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		query string
		args  []any
		want  string
	}{
		{`SELECT count(*) FROM course a CROSS JOIN course b`, nil, "9"},
		{`SELECT count(*) FROM course a CROSS JOIN course b WHERE b.area = ?`, []any{"x"}, "6"},
		{`SELECT count(*) FROM course a CROSS JOIN course AS b ON b.area = a.area`, nil, "5"},
		{`SELECT count(*) FROM course a CROSS JOIN (SELECT area FROM course WHERE code <> ?) b`, []any{"C-3"}, "6"},
		{`SELECT count(*) FROM course a CROSS JOIN (SELECT area FROM course WHERE code <> ?) AS b ON b.area = a.area`, []any{"C-3"}, "4"},
	} {
		if got := mustRows(t, db, c.query, c.args...); len(got) != 1 || got[0][0] != c.want {
			t.Errorf("%s = %v, want %s", c.query, got, c.want)
		}
	}
}

// TestUnmappedPostgresErrorsAreOneSentence: an SQLSTATE without a sentence
// of its own still becomes one: what failed, the code to quote, nothing
// written, and the advice (try again when it passes, else db check and a
// report); never the server's message, which may hold SQL and values.
func TestUnmappedPostgresErrorsAreOneSentence(t *testing.T) {
	for _, c := range []struct{ code, what, advice string }{
		{"42601", "did not accept a statement of nomtrack", "run nomtrack db check"},
		{"42P01", "lacks a table, column or function", "run nomtrack db check"},
		{"22001", "refused a value", "run nomtrack db check"},
		{"XX000", "server failed", "run nomtrack db check"},
		{"54000", "went past a limit", "run nomtrack db check"},
		{"P0001", "refused the command", "run nomtrack db check"},
		{"40001", "other writers", "try again"},
		{"57P01", "shutting down or restarting", "try again"},
		{"53300", "ran out of resources", "try again"},
		{"08006", "lost the connection", "try again"},
	} {
		pe := &pgconn.PgError{Code: c.code, Severity: "ERROR",
			Message: `syntax error at or near "SELEC" in SELECT password FROM t WHERE secret = 's3cret'`,
			Detail:  "Key (email)=(ali@example.org) is s3cret", Where: "SQL statement \"SELEC 1\""}
		mapped, ok := mapPostgresError(fmt.Errorf("query: %w", pe))
		if !ok {
			t.Errorf("%s: not mapped", c.code)
			continue
		}
		msg := nomtrack.ErrorMessage(mapped)
		if nomtrack.ErrorCode(mapped) != nomtrack.EINTERNAL || !strings.Contains(msg, c.what) || !strings.Contains(msg, c.advice) ||
			!strings.Contains(msg, "(PostgreSQL error "+c.code+")") || !strings.Contains(msg, "nothing was written") {
			t.Errorf("%s: %s %q", c.code, nomtrack.ErrorCode(mapped), msg)
		}
		for _, leak := range []string{"SELEC", "s3cret", "example.org", "\n"} {
			if strings.Contains(msg, leak) {
				t.Errorf("%s: %q shows %q", c.code, msg, leak)
			}
		}
	}
	// A rule broken that has no sentence of its own is still a rule.
	mapped, _ := mapPostgresError(&pgconn.PgError{Code: "23P01", ConstraintName: "no_overlap"})
	if nomtrack.ErrorCode(mapped) != nomtrack.ECONFLICT || !strings.Contains(mapped.Error(), "constraint no_overlap") {
		t.Errorf("23P01: %v", mapped)
	}
}

// TestStatementTheEngineRejectsIsOneSentence: on the engine under test, a
// statement the database does not accept reaches the caller as the
// sentence of unexpectedDatabaseError, without the statement's text.
func TestStatementTheEngineRejectsIsOneSentence(t *testing.T) {
	db := mustOpenEmpty(t)
	ctx := context.Background()
	err := db.View(ctx, func(q Querier) error {
		_, err := q.ExecContext(ctx, `SELEC secret_column FROM nomination`)
		return err
	})
	msg := nomtrack.ErrorMessage(err)
	if nomtrack.ErrorCode(err) != nomtrack.EINTERNAL || !strings.Contains(msg, "nothing was written: run nomtrack db check") ||
		strings.Contains(msg, "SELEC") || strings.Contains(msg, "secret_column") {
		t.Errorf("a rejected statement: %s %q", nomtrack.ErrorCode(err), msg)
	}
	err = db.Update(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE no_such_table SET x = 1`)
		return err
	})
	if msg := nomtrack.ErrorMessage(err); !strings.Contains(msg, "nothing was written") || strings.Contains(msg, "no_such_table") {
		t.Errorf("a write to a missing table: %q", msg)
	}
}
