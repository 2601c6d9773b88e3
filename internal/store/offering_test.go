package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/store"
)

// MustOffering adds an offering of course code starting on start with seats
// (negative: not announced).
func MustOffering(tb testing.TB, db *store.DB, code, start string, seats int) *nomtrack.Offering {
	tb.Helper()
	o := &nomtrack.Offering{Course: code, Start: start}
	if seats >= 0 {
		o.Seats = &seats
	}
	if err := db.CreateOffering(context.Background(), o); err != nil {
		tb.Fatalf("create offering %s@%s: %v", code, start, err)
	}
	return o
}

func TestOffering(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		db := MustOpen(t)
		MustCourse(t, db, "M5-106", "crisis-management")
		o := MustOffering(t, db, "m5-106", "2026-03-02", 4)
		if o.Ref != "M5-106@2026-03-02" || o.Status != nomtrack.OfferingOpen {
			t.Errorf("created = %+v", o)
		}
		got, err := db.FindOffering(ctx, "M5-106@2026-03-02")
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != o.ID || *got.Seats != 4 || got.Area != "crisis-management" {
			t.Errorf("FindOffering = %+v", got)
		}
		got.Location, got.Start = "Oberammergau", "2026-03-09"
		if err := db.UpdateOffering(ctx, got); err != nil {
			t.Fatal(err)
		}
		moved, err := db.FindOffering(ctx, "M5-106@2026-03-09")
		if err != nil || moved.Location != "Oberammergau" {
			t.Errorf("after edit = %+v, %v", moved, err)
		}
	})
	t.Run("ErrNotFound_NearestDate", func(t *testing.T) {
		db := MustOpen(t)
		MustCourse(t, db, "M5-106", "crisis-management")
		MustOffering(t, db, "M5-106", "2012-03-05", 2)
		MustOffering(t, db, "M5-106", "2012-09-10", 2)
		_, err := db.FindOffering(ctx, "M5-106@2012-03-06")
		wantCode(t, err, nomtrack.ENOTFOUND, "offering M5-106@2012-03-06 not found; did you mean M5-106@2012-03-05?")
	})
	t.Run("ErrNotFound_UnknownCourse", func(t *testing.T) {
		db := MustOpen(t)
		MustCourse(t, db, "M5-106", "crisis-management")
		_, err := db.FindOffering(ctx, "M5-160@2012-03-05")
		wantCode(t, err, nomtrack.ENOTFOUND, "offering M5-160@2012-03-05 not found", "did you mean M5-106?")
	})
	t.Run("ErrUsageRef", func(t *testing.T) {
		db := MustOpen(t)
		_, err := db.FindOffering(ctx, "M5-106")
		wantCode(t, err, nomtrack.EUSAGE, "CODE@YYYY-MM-DD")
	})
	t.Run("ErrDuplicate", func(t *testing.T) {
		db := MustOpen(t)
		MustCourse(t, db, "M5-106", "crisis-management")
		MustOffering(t, db, "M5-106", "2026-03-02", 2)
		err := db.CreateOffering(ctx, &nomtrack.Offering{Course: "M5-106", Start: "2026-03-02"})
		wantCode(t, err, nomtrack.ECONFLICT, "offering M5-106@2026-03-02 already exists")
	})
	t.Run("OK_ListOrderedAndFiltered", func(t *testing.T) {
		db := MustOpen(t)
		MustCourse(t, db, "B1", "counter-terrorism")
		MustCourse(t, db, "A1", "crisis-management")
		MustOffering(t, db, "B1", "2026-05-01", 2)
		MustOffering(t, db, "A1", "2026-05-01", 2)
		MustOffering(t, db, "A1", "2025-12-31", 2)
		MustOffering(t, db, "B1", "2027-01-01", -1)
		all, err := db.ListOfferings(ctx, store.OfferingFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if got := offeringRefsOf(all); got != "B1@2027-01-01 A1@2026-05-01 B1@2026-05-01 A1@2025-12-31" {
			t.Errorf("ListOfferings = %s", got)
		}
		y, _ := db.ListOfferings(ctx, store.OfferingFilter{Year: 2026})
		if got := offeringRefsOf(y); got != "A1@2026-05-01 B1@2026-05-01" {
			t.Errorf("ListOfferings(2026) = %s", got)
		}
		c, _ := db.ListOfferings(ctx, store.OfferingFilter{Course: "b1", Area: "counter-terrorism", Limit: 1})
		if got := offeringRefsOf(c); got != "B1@2027-01-01" {
			t.Errorf("ListOfferings(course, limit) = %s", got)
		}
		// From and To are inclusive start dates.
		r, _ := db.ListOfferings(ctx, store.OfferingFilter{From: "2025-12-31", To: "2026-05-01"})
		if got := offeringRefsOf(r); got != "A1@2026-05-01 B1@2026-05-01 A1@2025-12-31" {
			t.Errorf("ListOfferings(from, to) = %s", got)
		}
		st, _ := db.ListOfferings(ctx, store.OfferingFilter{Status: []string{"cancelled"}})
		if got := offeringRefsOf(st); got != "" {
			t.Errorf("ListOfferings(cancelled) = %s", got)
		}
		st, _ = db.ListOfferings(ctx, store.OfferingFilter{Status: []string{"cancelled", "open"}, To: "2025-12-31"})
		if got := offeringRefsOf(st); got != "A1@2025-12-31" {
			t.Errorf("ListOfferings(open or cancelled, to) = %s", got)
		}
		_, err = db.ListOfferings(ctx, store.OfferingFilter{Course: "B2"})
		wantCode(t, err, nomtrack.ENOTFOUND, "did you mean")
	})
	t.Run("OK_CancelCancelsOpenNominations", func(t *testing.T) {
		db := MustOpen(t)
		MustCourse(t, db, "M5-106", "crisis-management")
		MustOffering(t, db, "M5-106", "2026-03-02", 4)
		a := MustNominate(t, db, idOf(MustPerson(t, db, "Ali Hassan", "MoD")), "M5-106@2026-03-02")
		b := MustNominate(t, db, idOf(MustPerson(t, db, "Sara Karim", "MoD")), "M5-106@2026-03-02")
		MustSetStatus(t, db, b.ID, "withdrawn")
		o, n, err := db.CancelOffering(ctx, "M5-106@2026-03-02", "school closed")
		if err != nil {
			t.Fatal(err)
		}
		if len(n) != 1 || n[0] != (store.StatusMove{ID: a.ID, From: "nominated", To: "cancelled"}) ||
			o.Status != nomtrack.OfferingCancelled || o.CancelReason != "school closed" {
			t.Errorf("CancelOffering = %+v, %+v", o, n)
		}
		got, _ := db.FindNomination(ctx, a.ID)
		if got.Status != nomtrack.StatusCancelled {
			t.Errorf("open nomination status = %s, want cancelled", got.Status)
		}
		if got, _ := db.FindNomination(ctx, b.ID); got.Status != nomtrack.StatusWithdrawn {
			t.Errorf("withdrawn nomination became %s", got.Status)
		}
		h, _ := db.NominationHistory(ctx, a.ID)
		if last := h[len(h)-1]; last.To != "cancelled" || last.Reason != "school closed" || last.Source != "cli" {
			t.Errorf("last event = %+v", last)
		}
		_, _, err = db.CancelOffering(ctx, "M5-106@2026-03-02", "again")
		wantCode(t, err, nomtrack.ECONFLICT, "already cancelled")
	})
}

func offeringRefsOf(os []*nomtrack.Offering) string {
	var s []string
	for _, o := range os {
		s = append(s, o.Ref)
	}
	return strings.Join(s, " ")
}
