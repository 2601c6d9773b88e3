package store_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/pgtest"
	"github.com/nomtrack/nomtrack/internal/store"
)

// copyTarget is an empty database for a copy: a new SQLite file, or in the
// PostgreSQL half of the tests a fresh PostgreSQL database.
func copyTarget(tb testing.TB, name string, pg bool) *store.DB {
	tb.Helper()
	dsn := filepath.Join(tb.TempDir(), name+".db")
	if pg {
		dsn = pgtest.NewDatabase(tb)
	}
	db, err := store.Open(context.Background(), dsn, store.Options{Actor: "tester"})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// TestCopyRoundTrip copies a generated programme into a second database
// (PostgreSQL in the PostgreSQL half) and from there into a third file:
// every year's report, every list, and the ids handed out next are the
// same as at the source.
func TestCopyRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := MustGenerated(t)
	mid := copyTarget(t, "mid", pgtest.OnPostgres())
	back := copyTarget(t, "back", false)

	res, err := src.CopyTo(ctx, mid, store.ReportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows("nomination") != 4000 || len(res.Years) == 0 {
		t.Fatalf("copied %d nominations, compared years %v", res.Rows("nomination"), res.Years)
	}
	if _, err := mid.CopyTo(ctx, back, store.ReportOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, y := range res.Years {
		want := reportJSON(t, src, y)
		for _, db := range []*store.DB{mid, back} {
			if got := reportJSON(t, db, y); got != want {
				t.Errorf("%s: the %d report differs from the source's", db.Path(), y)
			}
		}
	}
	for _, table := range []string{"nomination_event", "audit", "request", "nomination_import_run"} {
		if a, b := MustScalar[int64](t, src, "SELECT count(*) FROM "+table), MustScalar[int64](t, back, "SELECT count(*) FROM "+table); a != b {
			t.Errorf("%s: %d rows at the source, %d after the round trip", table, a, b)
		}
	}
}

func reportJSON(tb testing.TB, db *store.DB, year int) string {
	tb.Helper()
	y, err := db.YearReport(context.Background(), year, store.ReportOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	b, _ := json.Marshal(y)
	return string(b)
}

// TestCopyKeepsRetiredIDs: an id removed at the source is not handed out
// again at the target.
func TestCopyKeepsRetiredIDs(t *testing.T) {
	ctx := context.Background()
	src := mustWeek(t)
	MustPerson(t, src, "Ali Hassan", "MoD")
	MustPerson(t, src, "Omar Saleh", "MoI")
	MustNominate(t, src, "Ali Hassan", "M5-106@2026-03-02")
	last := MustNominate(t, src, "Omar Saleh", "M5-106@2026-03-02")
	if _, err := src.RemoveNomination(ctx, last.ID, "entered twice"); err != nil {
		t.Fatal(err)
	}
	dst := copyTarget(t, "dst", pgtest.OnPostgres())
	if _, err := src.CopyTo(ctx, dst, store.ReportOptions{}); err != nil {
		t.Fatal(err)
	}
	again := MustNominate(t, dst, "Omar Saleh", "M5-106@2026-03-02")
	if again.ID <= last.ID {
		t.Errorf("the copy handed out nomination id %d again (removed at the source)", again.ID)
	}
}

// TestCopyRefusesNonEmptyTarget: nothing at a target that holds records is
// touched.
func TestCopyRefusesNonEmptyTarget(t *testing.T) {
	ctx := context.Background()
	src := mustWeek(t)
	dst := copyTarget(t, "dst", pgtest.OnPostgres())
	MustCourse(t, dst, "X1-001", "crisis-management")
	_, err := src.CopyTo(ctx, dst, store.ReportOptions{})
	if nomtrack.ErrorCode(err) != nomtrack.EUSAGE {
		t.Fatalf("copy into a non-empty target: %v", err)
	}
	if n := MustScalar[int64](t, dst, "SELECT count(*) FROM course"); n != 1 {
		t.Errorf("the target holds %d courses after a refused copy, want 1", n)
	}
}
