package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/store"
)

// MustNominate nominates person (id or ref) to offering as principal.
func MustNominate(tb testing.TB, db *store.DB, person, offering string) *nomtrack.Nomination {
	tb.Helper()
	n, _, err := db.Nominate(context.Background(), store.NewNomination{Person: person, Offering: offering})
	if err != nil {
		tb.Fatalf("nominate %s to %s: %v", person, offering, err)
	}
	return n
}

// MustSetStatus moves a nomination along the lifecycle.
func MustSetStatus(tb testing.TB, db *store.DB, id int64, to string) *store.StatusResult {
	tb.Helper()
	res, err := db.SetStatus(context.Background(), id, store.StatusChange{To: to})
	if err != nil {
		tb.Fatalf("set nomination %d to %s: %v", id, to, err)
	}
	return res
}

// mustWeek is a catalogue of one course with one offering of two seats.
func mustWeek(tb testing.TB) *store.DB {
	tb.Helper()
	db := MustOpen(tb)
	MustCourse(tb, db, "M5-106", "crisis-management")
	MustOffering(tb, db, "M5-106", "2026-03-02", 2)
	return db
}

func TestNomination(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		db := mustWeek(t)
		p := MustPerson(t, db, "Ali Hassan", "MoD")
		n, warn, err := db.Nominate(ctx, store.NewNomination{Person: idOf(p), Offering: "M5-106@2026-03-02", Note: "first"})
		gaps := warn.Gaps
		if err != nil {
			t.Fatal(err)
		}
		if len(gaps) != 0 {
			t.Errorf("gaps = %v for a course without prerequisites", gaps)
		}
		want := &nomtrack.Nomination{ID: n.ID, PersonID: p.ID, Name: "Ali Hassan", Ministry: "MoD", OfferingID: n.OfferingID,
			Offering: "M5-106@2026-03-02", Course: "M5-106", Area: "crisis-management", Start: "2026-03-02", Role: "principal",
			Status: "nominated", Note: "first", CreatedAt: pinned, UpdatedAt: pinned}
		if *n != *want {
			t.Errorf("Nominate = %+v\nwant %+v", n, want)
		}
		res, err := db.SetStatus(ctx, n.ID, store.StatusChange{To: "Approved", Reason: "board"})
		if err != nil {
			t.Fatal(err)
		}
		if res.From != "nominated" || res.Nomination.Status != "approved" || res.Correction || res.OverCapacity != nil {
			t.Errorf("SetStatus = %+v", res)
		}
		h, err := db.NominationHistory(ctx, n.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantH := []nomtrack.Event{
			{ID: h[0].ID, NominationID: n.ID, At: pinned, Actor: store.ActorForTest("tester"), From: "", To: "nominated", Source: "cli", Kind: "status"},
			{ID: h[1].ID, NominationID: n.ID, At: pinned, Actor: store.ActorForTest("tester"), From: "nominated", To: "approved", Reason: "board", Source: "cli", Kind: "status"},
		}
		if len(h) != 2 || h[0] != wantH[0] || h[1] != wantH[1] {
			t.Errorf("history = %+v\nwant %+v", h, wantH)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		db := mustWeek(t)
		_, err := db.FindNomination(ctx, 42)
		wantCode(t, err, nomtrack.ENOTFOUND, "nomination 42 not found")
		_, err = db.SetStatus(ctx, 42, store.StatusChange{To: "approved"})
		wantCode(t, err, nomtrack.ENOTFOUND)
		_, err = db.NominationHistory(ctx, 42)
		wantCode(t, err, nomtrack.ENOTFOUND)
	})
	t.Run("ErrAlreadyNominated", func(t *testing.T) {
		db := mustWeek(t)
		p := MustPerson(t, db, "Ali Hassan", "MoD")
		n := MustNominate(t, db, idOf(p), "M5-106@2026-03-02")
		_, _, err := db.Nominate(ctx, store.NewNomination{Person: idOf(p), Offering: "M5-106@2026-03-02", Alternate: true})
		wantCode(t, err, nomtrack.ECONFLICT, "already nominated to M5-106@2026-03-02", fmt.Sprintf("nomination %d, nominated", n.ID))
	})
	t.Run("ErrSeatsFull", func(t *testing.T) {
		db := mustWeek(t)
		var ids []int64
		for _, name := range []string{"A", "B", "C"} {
			ids = append(ids, MustNominate(t, db, idOf(MustPerson(t, db, name, "MoD")), "M5-106@2026-03-02").ID)
		}
		MustSetStatus(t, db, ids[0], "approved")
		MustSetStatus(t, db, ids[1], "approved")
		_, err := db.SetStatus(ctx, ids[2], store.StatusChange{To: "approved"})
		wantCode(t, err, nomtrack.ECONFLICT, "offering M5-106@2026-03-02 has 2 seats and 2 committed", "--over-allocate")
		if n, _ := db.FindNomination(ctx, ids[2]); n.Status != "nominated" {
			t.Errorf("refused approval left status %s", n.Status)
		}
		if _, err := db.SetStatus(ctx, ids[2], store.StatusChange{To: "approved", OverAllocate: true}); err != nil {
			t.Errorf("over-allocate: %v", err)
		}
		if n, _ := db.OfferingCommitted(ctx, 1); n != 3 {
			t.Errorf("OfferingCommitted = %d, want 3", n)
		}
	})
	t.Run("ErrAlternateNeedsPromotion", func(t *testing.T) {
		db := mustWeek(t)
		p := MustPerson(t, db, "Ali Hassan", "MoD")
		n, _, err := db.Nominate(ctx, store.NewNomination{Person: idOf(p), Offering: "M5-106@2026-03-02", Alternate: true})
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.SetStatus(ctx, n.ID, store.StatusChange{To: "approved", OverAllocate: true, Force: true})
		wantCode(t, err, nomtrack.ECONFLICT, "is an alternate", "nomination promote")
		pr, err := db.Promote(ctx, n.ID, "principal withdrew")
		if err != nil {
			t.Fatal(err)
		}
		if pr.Role != "principal" || pr.Status != "nominated" {
			t.Errorf("promoted = %+v", pr)
		}
		MustSetStatus(t, db, n.ID, "approved")
		_, err = db.Promote(ctx, n.ID, "")
		wantCode(t, err, nomtrack.ECONFLICT, "already principal")
	})
	t.Run("ErrForbiddenMove_ThenCorrection", func(t *testing.T) {
		db := mustWeek(t)
		n := MustNominate(t, db, idOf(MustPerson(t, db, "Ali Hassan", "MoD")), "M5-106@2026-03-02")
		MustSetStatus(t, db, n.ID, "withdrawn")
		_, err := db.SetStatus(ctx, n.ID, store.StatusChange{To: "nominated"})
		wantCode(t, err, nomtrack.ECONFLICT, "nomination 1: cannot move a nomination from withdrawn to nominated", "--force")
		res, err := db.SetStatus(ctx, n.ID, store.StatusChange{To: "nominated", Force: true, Reason: "entered by mistake"})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Correction {
			t.Error("forced move not reported as a correction")
		}
		h, _ := db.NominationHistory(ctx, n.ID)
		if last := h[len(h)-1]; !last.Correction || last.From != "withdrawn" || last.To != "nominated" || last.Reason != "entered by mistake" {
			t.Errorf("last event = %+v", last)
		}
	})
	t.Run("ErrStrictEligibility", func(t *testing.T) {
		db := MustOpen(t)
		if err := db.CreateCourse(ctx, &nomtrack.Course{Code: "ADV", Title: "Advanced", Area: "a", MinEnglish: "3333", MinRank: "OF-3"}); err != nil {
			t.Fatal(err)
		}
		MustOffering(t, db, "ADV", "2026-04-06", 2)
		p := &nomtrack.Person{Name: "Ali", Ministry: "MoD", English: "2222", RankCode: "OF-4"}
		if err := db.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		_, _, err := db.Nominate(ctx, store.NewNomination{Person: idOf(p), Offering: "ADV@2026-04-06", Strict: true})
		wantCode(t, err, nomtrack.ECONFLICT, "does not meet the prerequisites of ADV", "English 2222 is below the course minimum 3333")
		n, warn, err := db.Nominate(ctx, store.NewNomination{Person: idOf(p), Offering: "ADV@2026-04-06"})
		gaps := warn.Gaps
		if err != nil || n == nil || len(gaps) != 1 || gaps[0].Kind != nomtrack.GapEnglish {
			t.Errorf("Nominate = %v, %v, %v", n, gaps, err)
		}
	})
	t.Run("ErrCancelledOffering", func(t *testing.T) {
		db := mustWeek(t)
		if _, _, err := db.CancelOffering(ctx, "M5-106@2026-03-02", "closed"); err != nil {
			t.Fatal(err)
		}
		_, _, err := db.Nominate(ctx, store.NewNomination{Person: idOf(MustPerson(t, db, "A", "MoD")), Offering: "M5-106@2026-03-02"})
		wantCode(t, err, nomtrack.ECONFLICT, "is cancelled")
	})
	t.Run("OK_OverCapacityWarning", func(t *testing.T) {
		db := mustWeek(t)
		if _, err := db.SetCapacity(ctx, 2026, 1); err != nil {
			t.Fatal(err)
		}
		a := MustNominate(t, db, idOf(MustPerson(t, db, "A", "MoD")), "M5-106@2026-03-02")
		b := MustNominate(t, db, idOf(MustPerson(t, db, "B", "MoD")), "M5-106@2026-03-02")
		if res := MustSetStatus(t, db, a.ID, "approved"); res.OverCapacity != nil {
			t.Errorf("first approval over capacity: %+v", res.OverCapacity)
		}
		res := MustSetStatus(t, db, b.ID, "approved")
		if oc := res.OverCapacity; oc == nil || oc.Committed != 2 || oc.Capacity.Seats != 1 || oc.Capacity.Source != "set" || oc.Year != 2026 {
			t.Errorf("second approval OverCapacity = %+v", res.OverCapacity)
		}
	})
	t.Run("OK_ListOrderedAndFiltered", func(t *testing.T) {
		db := MustOpen(t)
		MustCourse(t, db, "B1", "counter-terrorism")
		MustCourse(t, db, "A1", "crisis-management")
		MustOffering(t, db, "B1", "2026-05-01", 5)
		MustOffering(t, db, "A1", "2026-05-01", 5)
		MustOffering(t, db, "A1", "2025-01-01", 5)
		zaid := MustPerson(t, db, "Zaid", "MoI")
		ali := MustPerson(t, db, "Ali", "MoD")
		MustNominate(t, db, idOf(zaid), "B1@2026-05-01")
		MustNominate(t, db, idOf(ali), "B1@2026-05-01")
		x := MustNominate(t, db, idOf(zaid), "A1@2026-05-01")
		MustNominate(t, db, idOf(ali), "A1@2025-01-01")
		MustSetStatus(t, db, x.ID, "approved")
		cases := []struct {
			f    store.NominationFilter
			want string
		}{
			{store.NominationFilter{}, "A1@2026-05-01:Zaid B1@2026-05-01:Ali B1@2026-05-01:Zaid A1@2025-01-01:Ali"},
			{store.NominationFilter{OldestFirst: true}, "A1@2025-01-01:Ali A1@2026-05-01:Zaid B1@2026-05-01:Ali B1@2026-05-01:Zaid"},
			{store.NominationFilter{Year: 2026}, "A1@2026-05-01:Zaid B1@2026-05-01:Ali B1@2026-05-01:Zaid"},
			{store.NominationFilter{Status: "APPROVED"}, "A1@2026-05-01:Zaid"},
			{store.NominationFilter{Ministry: "MoD"}, "B1@2026-05-01:Ali A1@2025-01-01:Ali"},
			{store.NominationFilter{Course: "a1"}, "A1@2026-05-01:Zaid A1@2025-01-01:Ali"},
			{store.NominationFilter{Offering: "B1@2026-05-01", Limit: 1}, "B1@2026-05-01:Ali"},
			{store.NominationFilter{Person: idOf(zaid)}, "A1@2026-05-01:Zaid B1@2026-05-01:Zaid"},
			{store.NominationFilter{Year: 2030}, ""},
		}
		for _, c := range cases {
			got, err := db.ListNominations(ctx, c.f)
			if err != nil {
				t.Fatalf("%+v: %v", c.f, err)
			}
			if got == nil || nominationsOf(got) != c.want {
				t.Errorf("ListNominations(%+v) = %s, want %s", c.f, nominationsOf(got), c.want)
			}
		}
		_, err := db.ListNominations(ctx, store.NominationFilter{Status: "aproved"})
		wantCode(t, err, nomtrack.EINVALID, "did you mean approved?")
		_, err = db.ListNominations(ctx, store.NominationFilter{Offering: "B1@2026-05-02"})
		wantCode(t, err, nomtrack.ENOTFOUND, "did you mean B1@2026-05-01?")
	})
}

var pinned = time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)

func nominationsOf(ns []*nomtrack.Nomination) string {
	var s []string
	for _, n := range ns {
		s = append(s, n.Offering+":"+n.Name)
	}
	return strings.Join(s, " ")
}
