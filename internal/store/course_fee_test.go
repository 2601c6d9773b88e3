package store

import (
	"context"
	"fmt"
	"testing"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// TestCourseFeeZeroBecomesUnknown: a database from before migration 0027
// stored a missing fee as 0, which the reports already counted as unknown;
// after it those zeros are unknown (NULL), each change in the audit trail,
// a real fee stays, and a fee of 0 written afterwards stays 0 (a free course).
// On both engines: the database is put back to the fee column before 0027
// and opened again.
func TestCourseFeeZeroBecomesUnknown(t *testing.T) {
	ctx := context.Background()
	path := DSNForTest(t)
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	real := "REAL"
	if OnPostgres() {
		real = "DOUBLE PRECISION"
	}
	db = rewindAndReopen(t, db, path,
		`ALTER TABLE course DROP COLUMN fee`,
		`ALTER TABLE course ADD COLUMN fee `+real+` NOT NULL DEFAULT 0 CHECK (fee >= 0)`,
		`DELETE FROM schema_migration WHERE version = 27`,
		`INSERT INTO course (code, title, area, fee, created_at, updated_at) VALUES
			('A-1', 'Paid', 'x', 1200.5, 'x', 'x'), ('B-2', 'Never given', 'x', 0, 'x', 'x')`,
	)
	if got := fmt.Sprint(mustRows(t, db, `SELECT code, coalesce(CAST(fee AS TEXT), 'NULL') FROM course ORDER BY code`)); got != "[[A-1 1200.5] [B-2 NULL]]" {
		t.Errorf("fees after migration 0027 = %s, want A-1's kept and B-2's unknown", got)
	}
	// The change is kept: one course.edit for B-2 alone, from 0 to unknown.
	if got := fmt.Sprint(mustRows(t, db, `SELECT subject, actor, source, detail FROM audit WHERE action = 'course.edit' ORDER BY id`)); got != `[[course:B-2 nomtrack (migration 0027) migration 0027 {"from":{"fee":0},"to":{"fee":null},"reason":"a fee of 0 was never told apart from a fee not given; the reports counted it unknown"}]]` {
		t.Errorf("audit after migration 0027 = %s, want one course.edit for B-2", got)
	}
	c := &nomtrack.Course{Code: "C-3", Title: "Free", Area: "x", Fee: nomtrack.Fee(0)}
	if err := db.CreateCourse(ctx, c); err != nil {
		t.Fatal(err)
	}
	for code, want := range map[string]string{"A-1": "1200.5", "B-2": "unknown", "C-3": "0"} {
		got, err := db.FindCourse(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		if s := feeString(got.Fee); s != want {
			t.Errorf("course %s fee = %s, want %s", code, s, want)
		}
	}
}

func feeString(f *float64) string {
	if f == nil {
		return "unknown"
	}
	return fmt.Sprint(*f)
}
