package store

import (
	"context"
	"strings"
	"testing"
)

// TestCheckListsInvisibleIdentifiers: refs and codes stored before
// identifiers with invisible characters were refused are listed by db check
// with the command that corrects them, on both engines; the check changes
// nothing and still passes.
func TestCheckListsInvisibleIdentifiers(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, DSNForTest(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`INSERT INTO course (code, etoc_code, title, area, created_at, updated_at) VALUES
			('M5-106', 'ETE` + "\u200b" + `-1', 'T', 'x', 'x', 'x'), ('CT` + "\u2069" + `-210', NULL, 'T', 'x', 'x', 'x')`,
		`INSERT INTO person (ref, name, name_key, ministry, created_at, updated_at) VALUES
			('S-1001', 'Ali', 'ali', 'MoD', 'x', 'x'), ('S-10` + "\u202e" + `10', 'Omar', 'omar', 'MoD', 'x', 'x')`,
	} {
		if _, err := db.w.ExecContext(ctx, db.eng.rebind(q)); err != nil {
			t.Fatal(q, err)
		}
	}
	res, err := db.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK() {
		t.Errorf("check with lookalike identifiers fails: %+v; they are findings, not damage", res)
	}
	got := strings.Join(res.Identifiers, "\n")
	for _, want := range []string{
		`person #2: ref "S-10\u202e10" holds U+202E (RIGHT-TO-LEFT OVERRIDE); correct it with nomtrack person edit '#2' --ref NEW`,
		`course "CT\u2069-210": its code holds U+2069 (POP DIRECTIONAL ISOLATE)`,
		`course "M5-106": ETOC code "ETE\u200b-1" holds U+200B (ZERO WIDTH SPACE); correct it with nomtrack course edit M5-106 --etoc-code NEW`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("db check findings:\n%s\nwant a line with %s", got, want)
		}
	}
	if len(res.Identifiers) != 3 {
		t.Errorf("%d findings, want 3 (S-1001 is clean)", len(res.Identifiers))
	}
	if n := mustRows(t, db, `SELECT count(*) FROM person WHERE ref = ?`, "S-10\u202e10"); n[0][0] != "1" {
		t.Errorf("db check changed the ref it found: %v", n)
	}
}
