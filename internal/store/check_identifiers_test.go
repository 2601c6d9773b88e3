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
	db := mustOpenEmpty(t)
	mustExec(t, db,
		`INSERT INTO course (code, etoc_code, title, area, created_at, updated_at) VALUES
			('M5-106', 'ETE`+"\u200b"+`-1', 'T', 'x', 'x', 'x'), ('CT`+"\u2069"+`-210', NULL, 'T', 'x', 'x', 'x')`,
		`INSERT INTO person (ref, name, name_key, ministry, created_at, updated_at) VALUES
			('S-1001', 'Ali', 'ali', 'MoD', 'x', 'x'), ('S-10`+"\u202e"+`10', 'Omar', 'omar', 'MoD', 'x', 'x')`,
	)
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

// TestCheckListsInvisibleNames: names and Arabic names stored with an
// invisible character before names lost them on every path, a person's own
// and those merged into them (person_alias), are listed by db check as the
// identifiers are, on both engines; the merged ones were not looked at.
func TestCheckListsInvisibleNames(t *testing.T) {
	ctx := context.Background()
	db := mustOpenEmpty(t)
	mustExec(t, db,
		`INSERT INTO person (ref, name, name_ar, name_key, ministry, created_at, updated_at) VALUES
			('S-1', 'Ali Hasan', '', 'ali hasan', 'MoD', 'x', 'x'),
			('S-2', 'Omar`+"\u200f"+` Said', 'عمر`+"\u200c"+` سعيد', 'omar said', 'MoD', 'x', 'x')`,
		`INSERT INTO person_alias (person_id, kind, value, name_key, ministry, created_at) VALUES
			(1, 'name', 'Ali`+"\u202e"+` Hassan', 'ali hassan', 'MoD', 'x'),
			(1, 'name_ar', '`+"\u200f"+`علي حسن', '', 'MoD', 'x'),
			(1, 'name', 'Ali Hasan Jr', 'ali hasan jr', 'MoD', 'x')`,
	)
	res, err := db.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK() || len(res.Identifiers) != 0 {
		t.Errorf("check with lookalike names: %+v; they are findings about names, not damage", res)
	}
	want := []string{
		`person #2: name "Omar\u200f Said" holds U+200F (RIGHT-TO-LEFT MARK); type it again with nomtrack person edit '#2' --name NAME, which stores it without`,
		`person #2: Arabic name "عمر\u200c سعيد" holds U+200C (ZERO WIDTH NON-JOINER); type it again with nomtrack person edit '#2' --name-ar NAME, which stores it without`,
		`person #1: merged name "Ali\u202e Hassan" holds U+202E (RIGHT-TO-LEFT OVERRIDE) (kept as an alias: the person is still found by it)`,
		`person #1: merged Arabic name "\u200fعلي حسن" holds U+200F (RIGHT-TO-LEFT MARK) (kept as an alias: the person is still found by it)`,
	}
	if got, w := strings.Join(res.Names, "\n"), strings.Join(want, "\n"); got != w {
		t.Errorf("db check names:\n%s\nwant\n%s", got, w)
	}
}
