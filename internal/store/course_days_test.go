package store

import (
	"context"
	"fmt"
	"testing"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// TestCourseDaysZeroBecomesUnknown: a database from before migration 0028
// stored a length nobody gave as 0 days; after it those zeros are unknown
// (NULL), each change in the audit trail, a real length stays, and 0 can
// no longer be stored. On both engines: the database is put back to
// schema 27's days column and opened again.
func TestCourseDaysZeroBecomesUnknown(t *testing.T) {
	ctx := context.Background()
	path := DSNForTest(t)
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	integer := "INTEGER"
	if OnPostgres() {
		integer = "BIGINT"
	}
	db = rewindAndReopen(t, db, path,
		`ALTER TABLE course DROP COLUMN days`,
		`ALTER TABLE course ADD COLUMN days `+integer+` NOT NULL DEFAULT 0 CHECK (days >= 0)`,
		`DELETE FROM schema_migration WHERE version = 28`,
		`INSERT INTO course (code, title, area, days, created_at, updated_at) VALUES
			('A-1', 'Five days', 'x', 5, 'x', 'x'), ('B-2', 'Never given', 'x', 0, 'x', 'x')`,
	)
	if got := fmt.Sprint(mustRows(t, db, `SELECT code, coalesce(CAST(days AS TEXT), 'NULL') FROM course ORDER BY code`)); got != "[[A-1 5] [B-2 NULL]]" {
		t.Errorf("days after migration 0028 = %s, want A-1's kept and B-2's unknown", got)
	}
	// The change is kept: one course.edit for B-2 alone, from 0 to unknown,
	// stamped as every audit entry is.
	if got := fmt.Sprint(mustRows(t, db, `SELECT subject, actor, source, detail, length(at) FROM audit WHERE action = 'course.edit' ORDER BY id`)); got != `[[course:B-2 nomtrack (migration 0028) migration 0028 {"from":{"days":0},"to":{"days":null},"reason":"a course of 0 days has no length: 0 was stored for days not given"} 20]]` {
		t.Errorf("audit after migration 0028 = %s, want one course.edit for B-2", got)
	}
	for code, want := range map[string]string{"A-1": "5", "B-2": "unknown"} {
		got, err := db.FindCourse(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		if s := daysString(got.Days); s != want {
			t.Errorf("course %s days = %s, want %s", code, s, want)
		}
	}
	if _, err := db.w.ExecContext(ctx, db.eng.rebind(`UPDATE course SET days = 0 WHERE code = 'A-1'`)); err == nil {
		t.Error("the schema took a course of 0 days")
	}
}

// TestCourseDaysUnknownRoundTrip: a course written without a length reads
// back without one (not 0), on both engines; a length reads back as given.
func TestCourseDaysUnknownRoundTrip(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, DSNForTest(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, c := range []*nomtrack.Course{
		{Code: "U-1", Title: "Unknown", Area: "x"},
		{Code: "K-5", Title: "Known", Area: "x", Days: nomtrack.Days(5)},
	} {
		if err := db.CreateCourse(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	for code, want := range map[string]string{"U-1": "unknown", "K-5": "5"} {
		got, err := db.FindCourse(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		if s := daysString(got.Days); s != want {
			t.Errorf("course %s days = %s, want %s", code, s, want)
		}
	}
	if got := fmt.Sprint(mustRows(t, db, `SELECT code FROM course WHERE days IS NULL ORDER BY code`)); got != "[[U-1]]" {
		t.Errorf("courses stored without a length: %s, want U-1 alone", got)
	}
}

func daysString(d *int) string {
	if d == nil {
		return "unknown"
	}
	return fmt.Sprint(*d)
}
