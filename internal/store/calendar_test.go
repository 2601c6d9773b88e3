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

// MustOpenAt opens a new database whose clock reads *now, so a test can
// walk the calendar.
func MustOpenAt(tb testing.TB, now *time.Time) *store.DB {
	tb.Helper()
	db, err := store.Open(context.Background(), store.DSNForTest(tb), store.Options{
		Now: func() time.Time { return *now }, Actor: "tester",
	})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func day(s string) time.Time {
	t, err := time.Parse(nomtrack.DateLayout, s)
	if err != nil {
		panic(err)
	}
	return t.Add(9 * time.Hour)
}

// mustCalendar is two courses: M5-106@2027-01-11 (to 01-15, 2 seats,
// deadline 2026-12-01) and CT-201@2027-01-14 (1 seat, no deadline).
func mustCalendar(tb testing.TB, now *time.Time) *store.DB {
	tb.Helper()
	db := MustOpenAt(tb, now)
	MustCourse(tb, db, "M5-106", "crisis-management")
	MustCourse(tb, db, "CT-201", "counter-terrorism")
	two := 2
	if err := db.CreateOffering(context.Background(), &nomtrack.Offering{Course: "M5-106", Start: "2027-01-11", End: "2027-01-15",
		Seats: &two, Deadline: "2026-12-01"}); err != nil {
		tb.Fatal(err)
	}
	MustOffering(tb, db, "CT-201", "2027-01-14", 1)
	return db
}

func issueKinds(list []nomtrack.DateIssue) []string {
	var out []string
	for _, d := range list {
		out = append(out, d.Kind)
	}
	return out
}

func TestNominateDates(t *testing.T) {
	ctx := context.Background()
	now := day("2026-11-20")
	db := mustCalendar(t, &now)
	ali := MustPerson(t, db, "Ali", "MoD")
	ct := MustNominate(t, db, idOf(ali), "CT-201@2027-01-14")
	t.Run("OK_BeforeDeadline", func(t *testing.T) {
		sara := MustPerson(t, db, "Sara", "MoD")
		_, warn, err := db.Nominate(ctx, store.NewNomination{Person: idOf(sara), Offering: "M5-106@2027-01-11"})
		if err != nil || len(warn.Dates) != 0 {
			t.Errorf("Nominate = %v, %v; want no date issue", warn.Dates, err)
		}
	})
	// Ali is only nominated to CT-201: not yet committed, no overlap.
	n, warn, err := db.Nominate(ctx, store.NewNomination{Person: idOf(ali), Offering: "M5-106@2027-01-11"})
	if err != nil || len(warn.Dates) != 0 {
		t.Fatalf("Nominate = %v, %v; want no date issue", warn.Dates, err)
	}
	MustSetStatus(t, db, ct.ID, "approved")
	t.Run("WarnOverlapOnApprove", func(t *testing.T) {
		res, err := db.SetStatus(ctx, n.ID, store.StatusChange{To: "approved", Strict: true})
		wantCode(t, err, nomtrack.ECONFLICT, "nomination", "approved for CT-201@2027-01-14 (nomination 1), which overlaps M5-106@2027-01-11", "not approved (--strict)")
		if res != nil {
			t.Errorf("strict approval returned %+v", res)
		}
		res, err = db.SetStatus(ctx, n.ID, store.StatusChange{To: "approved"})
		if err != nil {
			t.Fatal(err)
		}
		if got := issueKinds(res.Warnings.Dates); len(got) != 1 || got[0] != nomtrack.DateOverlap {
			t.Errorf("dates = %v, want one overlap", res.Warnings.Dates)
		}
	})
	t.Run("ErrStrictPastDeadline", func(t *testing.T) {
		now = day("2026-12-02")
		huda := MustPerson(t, db, "Huda", "MoI")
		_, _, err := db.Nominate(ctx, store.NewNomination{Person: idOf(huda), Offering: "M5-106@2027-01-11", Strict: true})
		wantCode(t, err, nomtrack.ECONFLICT, "the nomination deadline of M5-106@2027-01-11 was 2026-12-01", "not nominated (--strict)")
		_, warn, err := db.Nominate(ctx, store.NewNomination{Person: idOf(huda), Offering: "M5-106@2027-01-11"})
		if err != nil {
			t.Fatal(err)
		}
		if got := issueKinds(warn.Dates); len(got) != 1 || got[0] != nomtrack.DateDeadline {
			t.Errorf("dates = %v, want the deadline", warn.Dates)
		}
	})
	t.Run("ErrAttendBeforeStart", func(t *testing.T) {
		now = day("2027-01-05")
		MustSetStatus(t, db, ct.ID, "confirmed")
		_, err := db.SetStatus(ctx, ct.ID, store.StatusChange{To: "attended"})
		wantCode(t, err, nomtrack.ECONFLICT, "CT-201@2027-01-14 starts on 2027-01-14", "cannot be attended before the course starts", "--force")
		res, err := db.SetStatus(ctx, ct.ID, store.StatusChange{To: "attended", Force: true})
		if err != nil || res.Correction {
			t.Errorf("forced attend = %+v, %v; want allowed, not a correction", res, err)
		}
		now = day("2027-01-14")
		MustSetStatus(t, db, ct.ID, "completed")
	})
}

func TestRelease(t *testing.T) {
	ctx := context.Background()
	now := day("2026-11-20")
	db := mustCalendar(t, &now)
	p := MustNominate(t, db, idOf(MustPerson(t, db, "Ali", "MoD")), "M5-106@2027-01-11")
	_, err := db.SetStatus(ctx, p.ID, store.StatusChange{To: "released"})
	wantCode(t, err, nomtrack.ECONFLICT, "nomination 1 is a principal", "withdraw or decline")
	a, _, err := db.Nominate(ctx, store.NewNomination{Person: idOf(MustPerson(t, db, "Sara", "MoD")), Offering: "M5-106@2027-01-11", Alternate: true})
	if err != nil {
		t.Fatal(err)
	}
	res := MustSetStatus(t, db, a.ID, "released")
	if res.Nomination.Status != nomtrack.StatusReleased {
		t.Errorf("status = %s", res.Nomination.Status)
	}
	_, err = db.SetStatus(ctx, a.ID, store.StatusChange{To: "nominated"})
	wantCode(t, err, nomtrack.ECONFLICT, "released is final")
	// Released by mistake: the correction puts the alternate back in the
	// queue, last.
	res, err = db.SetStatus(ctx, a.ID, store.StatusChange{To: "nominated", Force: true})
	if err != nil || !res.Correction || res.Nomination.AltOrder == nil || *res.Nomination.AltOrder != 1 {
		t.Errorf("corrected back = %+v, %v; want a correction at place 1", res, err)
	}
}

func TestSetStatuses(t *testing.T) {
	ctx := context.Background()
	now := day("2026-11-20")
	db := mustCalendar(t, &now)
	var ids []int64
	for _, name := range []string{"Sara", "Ali", "Omar"} {
		ids = append(ids, MustNominate(t, db, idOf(MustPerson(t, db, name, "MoD")), "M5-106@2027-01-11").ID)
	}
	t.Run("ErrOneRefusedNoneMoves", func(t *testing.T) {
		_, err := db.SetStatuses(ctx, store.Selection{Offering: "M5-106@2027-01-11", From: "nominated"}, store.StatusChange{To: "approved"})
		wantCode(t, err, nomtrack.ECONFLICT, "has 2 seats and 2 committed")
		list, err := db.ListNominations(ctx, store.NominationFilter{Status: "approved"})
		if err != nil || len(list) != 0 {
			t.Errorf("approved after a refused bulk move: %d, %v", len(list), err)
		}
	})
	t.Run("ErrTwice", func(t *testing.T) {
		_, err := db.SetStatuses(ctx, store.Selection{IDs: []int64{ids[0], ids[0]}}, store.StatusChange{To: "approved"})
		wantCode(t, err, nomtrack.EUSAGE, "nomination 1 is given twice")
	})
	t.Run("OK_IDs", func(t *testing.T) {
		res, err := db.SetStatuses(ctx, store.Selection{IDs: []int64{ids[2], ids[0]}}, store.StatusChange{To: "approved"})
		if err != nil || len(res) != 2 || res[0].Nomination.ID != ids[2] || res[1].Nomination.ID != ids[0] {
			t.Fatalf("SetStatuses = %v, %v", res, err)
		}
	})
	t.Run("OK_Offering", func(t *testing.T) {
		res, err := db.SetStatuses(ctx, store.Selection{Offering: "M5-106@2027-01-11", From: "approved"}, store.StatusChange{To: "confirmed"})
		if err != nil || len(res) != 2 || res[0].Nomination.Name != "Omar" || res[1].Nomination.Name != "Sara" {
			t.Fatalf("SetStatuses = %v, %v; want Omar and Sara by name", res, err)
		}
		_, err = db.SetStatuses(ctx, store.Selection{Offering: "M5-106@2027-01-11", From: "attended"}, store.StatusChange{To: "completed"})
		wantCode(t, err, nomtrack.ECONFLICT, "offering M5-106@2027-01-11 has no attended principals")
	})
}

func altOrders(tb testing.TB, db *store.DB, ref string) map[string]int {
	tb.Helper()
	list, err := db.ListNominations(context.Background(), store.NominationFilter{Offering: ref})
	if err != nil {
		tb.Fatal(err)
	}
	out := map[string]int{}
	for _, n := range list {
		if n.AltOrder != nil {
			out[n.Name] = *n.AltOrder
		}
	}
	return out
}

func TestAlternates(t *testing.T) {
	ctx := context.Background()
	now := day("2026-11-20")
	db := mustCalendar(t, &now)
	const ref = "M5-106@2027-01-11"
	principals := []*nomtrack.Nomination{
		MustNominate(t, db, idOf(MustPerson(t, db, "Ali", "MoD")), ref),
		MustNominate(t, db, idOf(MustPerson(t, db, "Sara", "MoD")), ref),
	}
	alt := func(name string, place int) *nomtrack.Nomination {
		n, _, err := db.Nominate(ctx, store.NewNomination{Person: idOf(MustPerson(t, db, name, "MoI")), Offering: ref, Alternate: true, AltPlace: place})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	alt("Omar", 0)
	alt("Huda", 0)
	karim := alt("Karim", 1)
	alt("Zaid", 9) // past the end: last
	if got, want := altOrders(t, db, ref), map[string]int{"Karim": 1, "Omar": 2, "Huda": 3, "Zaid": 4}; !equalOrders(got, want) {
		t.Errorf("queue = %v, want %v", got, want)
	}
	t.Run("ErrNoFreeSeat", func(t *testing.T) {
		_, err := db.PromoteFirst(ctx, ref, "")
		wantCode(t, err, nomtrack.ECONFLICT, "has 2 seats and 2 principals in play; no principal seat is free")
	})
	t.Run("OK_PromoteFirst", func(t *testing.T) {
		MustSetStatus(t, db, principals[1].ID, "withdrawn")
		n, err := db.PromoteFirst(ctx, ref, "Sara withdrew")
		if err != nil || n.ID != karim.ID || n.Role != nomtrack.RolePrincipal || n.AltOrder != nil {
			t.Fatalf("PromoteFirst = %+v, %v; want Karim as principal", n, err)
		}
		if got, want := altOrders(t, db, ref), map[string]int{"Omar": 1, "Huda": 2, "Zaid": 3}; !equalOrders(got, want) {
			t.Errorf("queue = %v, want %v", got, want)
		}
		h, err := db.NominationHistory(ctx, n.ID)
		if err != nil {
			t.Fatal(err)
		}
		last := h[len(h)-1]
		if last.Kind != nomtrack.EventPromote || last.From != "alternate" || last.To != "principal" || last.Reason != "Sara withdrew" {
			t.Errorf("last event = %+v, want the promotion", last)
		}
	})
	t.Run("OK_ReleaseMovesQueueUp", func(t *testing.T) {
		list, _ := db.ListNominations(ctx, store.NominationFilter{Offering: ref, Person: "4"})
		MustSetStatus(t, db, list[0].ID, "released") // Huda
		if got, want := altOrders(t, db, ref), map[string]int{"Omar": 1, "Zaid": 2}; !equalOrders(got, want) {
			t.Errorf("queue = %v, want %v", got, want)
		}
	})
	t.Run("ErrCloseBeforeStart", func(t *testing.T) {
		_, _, err := db.CloseOffering(ctx, ref, "")
		wantCode(t, err, nomtrack.ECONFLICT, "starts on 2027-01-11; close it once the course has started")
	})
	t.Run("OK_Close", func(t *testing.T) {
		now = day("2027-01-12")
		_, released, err := db.CloseOffering(ctx, ref, "")
		if err != nil || len(released) != 2 {
			t.Fatalf("CloseOffering = %v, %v; want Omar and Zaid released", released, err)
		}
		if got := altOrders(t, db, ref); len(got) != 0 {
			t.Errorf("queue after close = %v, want empty", got)
		}
		list, _ := db.ListNominations(ctx, store.NominationFilter{Offering: ref, Status: "released"})
		if len(list) != 3 {
			t.Errorf("%d released, want 3", len(list))
		}
		_, again, err := db.CloseOffering(ctx, ref, "")
		if err != nil || len(again) != 0 {
			t.Errorf("second close = %v, %v; want nothing released", again, err)
		}
	})
}

func equalOrders(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestMoveNomination(t *testing.T) {
	ctx := context.Background()
	now := day("2026-11-20")
	db := mustCalendar(t, &now)
	MustOffering(t, db, "M5-106", "2027-03-01", 1)
	ali := MustNominate(t, db, idOf(MustPerson(t, db, "Ali", "MoD")), "M5-106@2027-01-11")
	sara := MustNominate(t, db, idOf(MustPerson(t, db, "Sara", "MoD")), "M5-106@2027-03-01")
	MustSetStatus(t, db, sara.ID, "approved")
	MustSetStatus(t, db, ali.ID, "approved")
	t.Run("ErrOtherCourse", func(t *testing.T) {
		_, _, err := db.MoveNomination(ctx, store.Move{ID: ali.ID, Offering: "CT-201@2027-01-14"})
		wantCode(t, err, nomtrack.ECONFLICT, "nomination 1 is for course M5-106 and CT-201@2027-01-14 is a run of CT-201; use --any-course")
	})
	t.Run("ErrNoSeat", func(t *testing.T) {
		_, _, err := db.MoveNomination(ctx, store.Move{ID: ali.ID, Offering: "M5-106@2027-03-01"})
		wantCode(t, err, nomtrack.ECONFLICT, "offering M5-106@2027-03-01 has 1 seat and 1 committed")
	})
	t.Run("OK_KeepsHistory", func(t *testing.T) {
		MustSetStatus(t, db, sara.ID, "withdrawn")
		n, _, err := db.MoveNomination(ctx, store.Move{ID: ali.ID, Offering: "M5-106@2027-03-01", Reason: "exercise"})
		if err != nil || n.Offering != "M5-106@2027-03-01" || n.Status != "approved" || n.ID != ali.ID {
			t.Fatalf("MoveNomination = %+v, %v", n, err)
		}
		h, _ := db.NominationHistory(ctx, n.ID)
		if len(h) != 3 || h[2].Kind != nomtrack.EventMove || h[2].From != "M5-106@2027-01-11" || h[2].To != "M5-106@2027-03-01" || h[2].Reason != "exercise" {
			t.Errorf("history = %+v", h)
		}
	})
	t.Run("ErrAlreadyThere", func(t *testing.T) {
		_, _, err := db.MoveNomination(ctx, store.Move{ID: sara.ID, Offering: "M5-106@2027-01-11"})
		wantCode(t, err, nomtrack.ECONFLICT, "nomination 2 is withdrawn; only an open nomination")
	})
	t.Run("OK_WarnsOverlap", func(t *testing.T) {
		zaid := idOf(MustPerson(t, db, "Zaid", "MoD"))
		x := MustNominate(t, db, zaid, "M5-106@2027-03-01")
		MustSetStatus(t, db, MustNominate(t, db, zaid, "CT-201@2027-01-14").ID, "approved")
		_, _, err := db.MoveNomination(ctx, store.Move{ID: x.ID, Offering: "M5-106@2027-01-11", Strict: true})
		wantCode(t, err, nomtrack.ECONFLICT, "which overlaps M5-106@2027-01-11; not moved (--strict)")
		_, warn, err := db.MoveNomination(ctx, store.Move{ID: x.ID, Offering: "M5-106@2027-01-11"})
		if err != nil || len(warn.Dates) != 1 || warn.Dates[0].Kind != nomtrack.DateOverlap {
			t.Errorf("MoveNomination = %v, %v; want one overlap warning", warn, err)
		}
	})
}

func TestPendingReport(t *testing.T) {
	ctx := context.Background()
	now := day("2026-11-20")
	db := mustCalendar(t, &now)
	c, err := db.FindCourse(ctx, "M5-106")
	if err != nil {
		t.Fatal(err)
	}
	c.Requires = "clearance,adl"
	if err := db.UpdateCourse(ctx, c); err != nil {
		t.Fatal(err)
	}
	const ref = "M5-106@2027-01-11"
	ali := MustNominate(t, db, idOf(MustPerson(t, db, "Ali", "MoD")), ref)
	sara := MustNominate(t, db, idOf(MustPerson(t, db, "Sara", "MoD")), ref)
	// Omar, nomination 3, is an alternate.
	if _, _, err := db.Nominate(ctx, store.NewNomination{Person: idOf(MustPerson(t, db, "Omar", "MoD")), Offering: ref, Alternate: true}); err != nil {
		t.Fatal(err)
	}
	MustSetStatus(t, db, ali.ID, "approved")
	if _, _, err := db.EditNomination(ctx, ali.ID, []store.FieldEdit{{Field: "clearance", Value: "granted"}}, ""); err != nil {
		t.Fatal(err)
	}
	kinds := func(day string) string {
		now = dayAt(day)
		rows, err := db.PendingReport(ctx, day)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range rows {
			out = append(out, fmt.Sprintf("%s:%d:%s", r.Kind, r.Nomination, r.Since))
		}
		return strings.Join(out, " ")
	}
	if got, want := kinds("2026-11-20"), "adl:1:2027-01-11"; got != want {
		t.Errorf("before the deadline: %s, want %s", got, want)
	}
	if got, want := kinds("2026-12-02"), "deadline:3:2026-12-01 deadline:2:2026-12-01 adl:1:2027-01-11"; got != want {
		t.Errorf("after the deadline: %s, want %s", got, want)
	}
	// The run's last day is still within it: the missing ADL date is
	// listed; the day after, the attendance is, and the ADL no longer.
	if got, want := kinds("2027-01-15"), "deadline:3:2026-12-01 deadline:2:2026-12-01 adl:1:2027-01-11"; got != want {
		t.Errorf("on the last day: %s, want %s", got, want)
	}
	if got, want := kinds("2027-01-16"), "attendance:1:2027-01-15 deadline:3:2026-12-01 deadline:2:2026-12-01"; got != want {
		t.Errorf("the day after the run: %s, want %s", got, want)
	}
	MustSetStatus(t, db, sara.ID, "withdrawn")
	if _, _, err := db.EditNomination(ctx, ali.ID, []store.FieldEdit{{Field: "adl", Value: "2026-12-10"}}, ""); err != nil {
		t.Fatal(err)
	}
	MustSetStatus(t, db, ali.ID, "confirmed")
	rows, _ := db.PendingReport(ctx, "2027-01-12")
	if len(rows) != 1 || rows[0].Action != "nomtrack offering close M5-106@2027-01-11" {
		t.Errorf("after the start: %+v, want the alternate released by closing", rows)
	}
	if got, want := kinds("2027-01-16"), "attendance:1:2027-01-15 deadline:3:2026-12-01"; got != want {
		t.Errorf("after the run: %s, want %s", got, want)
	}
	if _, _, err := db.CloseOffering(ctx, ref, ""); err != nil {
		t.Fatal(err)
	}
	MustSetStatus(t, db, ali.ID, "attended")
	if got, want := kinds("2027-01-16"), "completion:1:2027-01-15"; got != want {
		t.Errorf("attended: %s, want %s", got, want)
	}
	MustSetStatus(t, db, ali.ID, "completed")
	if got := kinds("2027-01-16"); got != "" {
		t.Errorf("all settled: %s, want nothing", got)
	}
}

// dayAt is day, for closures whose parameter is named day.
func dayAt(s string) time.Time { return day(s) }

// TestCalendarDayIsLocal: the date rules judge on the local date of the
// clock, the day `report upcoming` and `report pending` count from. They
// used the UTC date, so three hours after midnight in Baghdad a deadline the
// reports called passed let a nomination through, and a course that had
// started that morning could not be attended.
func TestCalendarDayIsLocal(t *testing.T) {
	ctx := context.Background()
	baghdad := time.FixedZone("+03", 3*60*60)
	now := time.Date(2026, 12, 2, 1, 30, 0, 0, baghdad) // 2026-12-01 22:30 UTC
	db := mustCalendar(t, &now)
	ali := MustPerson(t, db, "Ali", "MoD")
	_, warn, err := db.Nominate(ctx, store.NewNomination{Person: idOf(ali), Offering: "M5-106@2027-01-11"})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(issueKinds(warn.Dates)); got != "[deadline]" {
		t.Errorf("nominate on 2 December (local) after a 1 December deadline: date issues %s, want [deadline]", got)
	}
	n := MustNominate(t, db, idOf(MustPerson(t, db, "Sara", "MoD")), "CT-201@2027-01-14")
	MustSetStatus(t, db, n.ID, "approved")
	MustSetStatus(t, db, n.ID, "confirmed")
	now = time.Date(2027, 1, 14, 0, 30, 0, 0, baghdad) // 2027-01-13 21:30 UTC
	if _, err := db.SetStatus(ctx, n.ID, store.StatusChange{To: "attended"}); err != nil {
		t.Errorf("attend at 00:30 local on the start day: %v", err)
	}
}
