package store

import (
	"strings"
	"testing"
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
