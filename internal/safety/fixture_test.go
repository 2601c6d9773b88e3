package safety

import (
	"testing"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// Base rows MustBase writes: one course with two offerings and one person.
const (
	baseCourse    = "M5-106"
	baseOffering  = "M5-106@2012-03-05"
	basePersonRef = "MOD-1001"
	// validRow is a nominations row (nominationsHeader) that imports cleanly
	// into the base database.
	validRow = "MOD-1001,Ali Hussein Al-Saadi,MoD,M5-106,2012-03-05,principal,nominated,ali.alsaadi@mod.example.org,+964 770 123 4567,"
)

// MustBase creates e's database and writes the base rows straight through
// the driver, so that tests of one command do not depend on another.
func MustBase(tb testing.TB, e *Env) Counts {
	tb.Helper()
	e.MustRun(tb, "init")
	db := MustRawDB(tb, e.DB)
	const at = "2026-11-01T09:00:00Z"
	MustExec(tb, db,
		`INSERT INTO course (code, title, area, created_at, updated_at) VALUES ('M5-106', 'Counter-Terrorism Course', 'counter-terrorism', '`+at+`', '`+at+`')`,
		`INSERT INTO offering (course_id, start, end, seats, created_at, updated_at) VALUES (1, '2012-03-05', '2012-03-09', 4, '`+at+`', '`+at+`'), (1, '2013-03-04', '2013-03-08', 4, '`+at+`', '`+at+`')`,
		`INSERT INTO person (ref, name, name_key, ministry, email, phone, created_at, updated_at) VALUES ('MOD-1001', 'Ali Hussein Al-Saadi', '`+nomtrack.NameKey("Ali Hussein Al-Saadi")+`', 'MoD', 'ali.alsaadi@mod.example.org', '+964 770 123 4567', '`+at+`', '`+at+`')`,
	)
	if err := db.Close(); err != nil {
		tb.Fatal(err)
	}
	return e.MustCounts(tb)
}

// AssertCounts fails when the database's counts differ from want.
func AssertCounts(tb testing.TB, e *Env, want Counts) {
	tb.Helper()
	got := e.MustCounts(tb)
	for table, n := range want {
		if got[table] != n {
			tb.Errorf("%s: %d rows, want %d", table, got[table], n)
		}
	}
}
