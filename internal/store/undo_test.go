package store_test

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/store"
)

// mustAudit lists the whole audit trail, newest first.
func mustAudit(tb testing.TB, db *store.DB, f store.AuditFilter) []*store.AuditEntry {
	tb.Helper()
	list, err := db.ListAudit(context.Background(), f)
	if err != nil {
		tb.Fatal(err)
	}
	return list
}

// actions lists the entries' actions.
func actions(list []*store.AuditEntry) string {
	var s []string
	for _, e := range list {
		s = append(s, e.Action)
	}
	return strings.Join(s, " ")
}

func TestDryRun(t *testing.T) {
	ctx := context.Background()
	t.Run("OK_ReportsAndWritesNothing", func(t *testing.T) {
		db := mustWeek(t)
		a := MustNominate(t, db, idOf(MustPerson(t, db, "Ali Hassan", "MoD")), "M5-106@2026-03-02")
		MustSetStatus(t, db, a.ID, "approved")
		o, moves, err := db.DryRun().CancelOffering(ctx, "M5-106@2026-03-02", "school closed")
		if err != nil {
			t.Fatal(err)
		}
		if o.Status != nomtrack.OfferingCancelled || len(moves) != 1 || moves[0].From != "approved" {
			t.Errorf("rehearsal = %+v, %+v", o, moves)
		}
		got, _ := db.FindOffering(ctx, "M5-106@2026-03-02")
		n, _ := db.FindNomination(ctx, a.ID)
		if got.Status != nomtrack.OfferingOpen || n.Status != nomtrack.StatusApproved {
			t.Errorf("after the rehearsal: offering %s, nomination %s; want open, approved", got.Status, n.Status)
		}
		if list := mustAudit(t, db, store.AuditFilter{}); len(list) != 0 {
			t.Errorf("the rehearsal left audit rows: %s", actions(list))
		}
		if !db.DryRun().IsDryRun() || db.IsDryRun() {
			t.Error("IsDryRun is wrong")
		}
	})
	t.Run("ErrRefusalIsTheSame", func(t *testing.T) {
		db := mustWeek(t)
		MustNominate(t, db, idOf(MustPerson(t, db, "Ali Hassan", "MoD")), "M5-106@2026-03-02")
		_, err := db.DryRun().RemoveOffering(ctx, "M5-106@2026-03-02", "typo")
		wantCode(t, err, nomtrack.ECONFLICT, "has 1 nomination")
	})
}

func TestReopenOffering(t *testing.T) {
	ctx := context.Background()
	t.Run("OK_RestoresWhatTheCancellationMoved", func(t *testing.T) {
		db := mustWeek(t)
		a := MustNominate(t, db, idOf(MustPerson(t, db, "Ali Hassan", "MoD")), "M5-106@2026-03-02")
		b := MustNominate(t, db, idOf(MustPerson(t, db, "Sara Karim", "MoD")), "M5-106@2026-03-02")
		MustSetStatus(t, db, a.ID, "approved")
		MustSetStatus(t, db, b.ID, "withdrawn")
		if _, _, err := db.CancelOffering(ctx, "M5-106@2026-03-02", "school closed"); err != nil {
			t.Fatal(err)
		}
		o, moves, err := db.ReopenOffering(ctx, "M5-106@2026-03-02", "")
		if err != nil {
			t.Fatal(err)
		}
		if o.Status != nomtrack.OfferingOpen || o.CancelReason != "" {
			t.Errorf("reopened offering = %+v", o)
		}
		got, _ := db.FindNomination(ctx, a.ID)
		if got.Status != nomtrack.StatusApproved {
			t.Errorf("nomination a = %s, want approved", got.Status)
		}
		if got, _ := db.FindNomination(ctx, b.ID); got.Status != nomtrack.StatusWithdrawn {
			t.Errorf("withdrawn nomination became %s", got.Status)
		}
		if len(moves) != 1 || moves[0] != (store.StatusMove{ID: a.ID, From: "cancelled", To: "approved"}) {
			t.Errorf("moves = %+v", moves)
		}
		h, _ := db.NominationHistory(ctx, a.ID)
		last := h[len(h)-1]
		if last.From != "cancelled" || last.To != "approved" || !last.Correction ||
			last.Reason != "offering M5-106@2026-03-02 reopened (it was cancelled: school closed)" {
			t.Errorf("last event = %+v", last)
		}
		list := mustAudit(t, db, store.AuditFilter{Action: "offering"})
		if actions(list) != "offering.reopen offering.cancel" {
			t.Fatalf("audit = %s", actions(list))
		}
		var detail struct {
			CancelReason string             `json:"cancel_reason"`
			Nominations  []store.StatusMove `json:"nominations"`
		}
		if err := json.Unmarshal(list[0].Detail, &detail); err != nil || detail.CancelReason != "school closed" || len(detail.Nominations) != len(moves) {
			t.Errorf("reopen detail = %s (%v)", list[0].Detail, err)
		}
	})
	t.Run("OK_OwnCancellationsStay", func(t *testing.T) {
		db := mustWeek(t)
		a := MustNominate(t, db, idOf(MustPerson(t, db, "Ali Hassan", "MoD")), "M5-106@2026-03-02")
		c := MustNominate(t, db, idOf(MustPerson(t, db, "Omar Jassim", "MoD")), "M5-106@2026-03-02")
		if _, err := db.SetStatus(ctx, c.ID, store.StatusChange{To: "cancelled", Reason: "other"}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.CancelOffering(ctx, "M5-106@2026-03-02", "school closed"); err != nil {
			t.Fatal(err)
		}
		_, moves, err := db.ReopenOffering(ctx, "M5-106@2026-03-02", "wrong run")
		if err != nil {
			t.Fatal(err)
		}
		if len(moves) != 1 || moves[0].ID != a.ID || moves[0].To != "nominated" {
			t.Errorf("moves = %+v, want only nomination %d back to nominated", moves, a.ID)
		}
		if got, _ := db.FindNomination(ctx, c.ID); got.Status != nomtrack.StatusCancelled {
			t.Errorf("own cancellation became %s", got.Status)
		}
	})
	t.Run("OK_AfterTheOfferingMoved", func(t *testing.T) {
		// The cancellation's audit row names the old reference; the
		// events still say which nominations it moved.
		db := mustWeek(t)
		a := MustNominate(t, db, idOf(MustPerson(t, db, "Ali Hassan", "MoD")), "M5-106@2026-03-02")
		if _, _, err := db.CancelOffering(ctx, "M5-106@2026-03-02", "school closed"); err != nil {
			t.Fatal(err)
		}
		o, err := db.FindOffering(ctx, "M5-106@2026-03-02")
		if err != nil {
			t.Fatal(err)
		}
		o.Start = "2026-03-09"
		if err := db.UpdateOffering(ctx, o); err != nil {
			t.Fatal(err)
		}
		_, moves, err := db.ReopenOffering(ctx, "M5-106@2026-03-09", "")
		if err != nil {
			t.Fatal(err)
		}
		if len(moves) != 1 || moves[0].ID != a.ID || moves[0].To != "nominated" {
			t.Errorf("moves = %+v", moves)
		}
	})
	t.Run("ErrNotCancelled", func(t *testing.T) {
		db := mustWeek(t)
		_, _, err := db.ReopenOffering(ctx, "M5-106@2026-03-02", "")
		wantCode(t, err, nomtrack.ECONFLICT, "offering M5-106@2026-03-02 is not cancelled")
	})
}

func TestRemove(t *testing.T) {
	ctx := context.Background()
	t.Run("OK_Nomination", func(t *testing.T) {
		db := mustWeek(t)
		a := MustNominate(t, db, idOf(MustPerson(t, db, "Ali Hassan", "MoD")), "M5-106@2026-03-02")
		MustSetStatus(t, db, a.ID, "approved")
		r, err := db.RemoveNomination(ctx, a.ID, "wrong person")
		if err != nil {
			t.Fatal(err)
		}
		if r.ID != a.ID || len(r.History) != 2 {
			t.Errorf("removed = %+v", r)
		}
		_, err = db.FindNomination(ctx, a.ID)
		wantCode(t, err, nomtrack.ENOTFOUND)
		list := mustAudit(t, db, store.AuditFilter{Action: "nomination.remove"})
		if len(list) != 1 || list[0].Subject != "nomination:1" || !strings.Contains(string(list[0].Detail), `"reason":"wrong person"`) ||
			!strings.Contains(string(list[0].Detail), `"to":"approved"`) {
			t.Errorf("audit = %+v", list)
		}
		// The id is not given again.
		b := MustNominate(t, db, idOf(MustPerson(t, db, "Sara Karim", "MoD")), "M5-106@2026-03-02")
		if b.ID == a.ID {
			t.Errorf("nomination id %d reused", b.ID)
		}
	})
	t.Run("ErrNominationWithoutReason", func(t *testing.T) {
		db := mustWeek(t)
		a := MustNominate(t, db, idOf(MustPerson(t, db, "Ali Hassan", "MoD")), "M5-106@2026-03-02")
		_, err := db.RemoveNomination(ctx, a.ID, " ")
		wantCode(t, err, nomtrack.EINVALID, "needs a reason")
	})
	t.Run("OK_OfferingAndPersonWithoutNominations", func(t *testing.T) {
		db := mustWeek(t)
		p := MustPerson(t, db, "Ali Hassan", "MoD")
		if _, err := db.RemoveOffering(ctx, "M5-106@2026-03-02", "typed the wrong week"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.RemovePerson(ctx, idOf(p), "entered twice"); err != nil {
			t.Fatal(err)
		}
		if got := actions(mustAudit(t, db, store.AuditFilter{})); got != "person.remove offering.remove" {
			t.Errorf("audit = %s", got)
		}
	})
	t.Run("ErrOfferingOrPersonWithNominations", func(t *testing.T) {
		db := mustWeek(t)
		p := MustPerson(t, db, "Ali Hassan", "MoD")
		p.Ref = "S-1"
		if _, err := db.UpdatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		MustNominate(t, db, "S-1", "M5-106@2026-03-02")
		_, err := db.RemoveOffering(ctx, "M5-106@2026-03-02", "x")
		wantCode(t, err, nomtrack.ECONFLICT, "offering M5-106@2026-03-02 has 1 nomination;", "offering cancel", "nomination remove")
		_, err = db.RemovePerson(ctx, "S-1", "x")
		wantCode(t, err, nomtrack.ECONFLICT, "person S-1 has 1 nomination and cannot be removed", "person merge KEEP S-1")
	})
	t.Run("OK_Request", func(t *testing.T) {
		db := MustOpen(t)
		r := &nomtrack.Request{Ministry: "MoD", Area: "counter-terrorism", Year: 2026, Seats: 12}
		if err := db.CreateRequest(ctx, r); err != nil {
			t.Fatal(err)
		}
		if _, err := db.RemoveRequest(ctx, r.ID, ""); err != nil {
			t.Fatal(err)
		}
		_, err := db.RemoveRequest(ctx, r.ID, "")
		wantCode(t, err, nomtrack.ENOTFOUND, "request 1 not found")
	})
}

func TestRequestReplaceAndEdit(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	first := &nomtrack.Request{Ministry: "MoD", Area: "counter-terrorism", Year: 2026, Seats: 12}
	if replaced, err := db.AddRequest(ctx, first); err != nil || replaced != nil {
		t.Fatalf("first AddRequest = %+v, %v", replaced, err)
	}
	second := &nomtrack.Request{Ministry: "MoD", Area: "counter-terrorism", Year: 2026, Seats: 15, Note: "letter of 2 March"}
	replaced, err := db.AddRequest(ctx, second)
	if err != nil {
		t.Fatal(err)
	}
	if replaced == nil || replaced.Seats != 12 || second.ID != first.ID {
		t.Errorf("replaced = %+v, id %d (first %d)", replaced, second.ID, first.ID)
	}
	list, _ := db.ListRequests(ctx, store.RequestFilter{Year: 2026})
	if len(list) != 1 || list[0].Seats != 15 {
		t.Errorf("requests = %+v, want one of 15 seats (not 12 + 15)", list)
	}

	other := &nomtrack.Request{Ministry: "MoI", Area: "counter-terrorism", Year: 2026, Seats: 4}
	if err := db.CreateRequest(ctx, other); err != nil {
		t.Fatal(err)
	}
	edit := *list[0]
	edit.Seats, edit.Note = 14, "revised"
	before, err := db.UpdateRequest(ctx, &edit)
	if err != nil || before.Seats != 15 {
		t.Fatalf("UpdateRequest = %+v, %v", before, err)
	}
	clash := edit
	clash.Ministry = "MoI"
	_, err = db.UpdateRequest(ctx, &clash)
	wantCode(t, err, nomtrack.ECONFLICT, "request 2 already holds MoI counter-terrorism 2026")
	if _, err := db.UpdateRequest(ctx, &edit); err != nil { // unchanged: nothing recorded
		t.Fatal(err)
	}
	if got := actions(mustAudit(t, db, store.AuditFilter{Action: "request"})); got != "request.edit request.replace" {
		t.Errorf("audit = %s", got)
	}
}

func TestAudit(t *testing.T) {
	ctx := context.Background()
	db := mustWeek(t)
	if _, err := db.SetCapacity(ctx, 2026, 480); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetCapacity(ctx, 2026, 480); err != nil { // the same again: nothing changes
		t.Fatal(err)
	}
	if _, err := db.SetCapacity(ctx, 2026, 500); err != nil {
		t.Fatal(err)
	}
	list := mustAudit(t, db, store.AuditFilter{})
	if actions(list) != "capacity.set capacity.set" {
		t.Fatalf("audit = %s", actions(list))
	}
	if string(list[0].Detail) != `{"from":480,"to":500,"year":2026}` || string(list[1].Detail) != `{"from":null,"to":480,"year":2026}` {
		t.Errorf("details = %s, %s", list[0].Detail, list[1].Detail)
	}
	if e := list[0]; e.Actor != store.ActorForTest("tester") || e.Source != "cli" || e.Subject != "capacity:2026" || e.At.IsZero() {
		t.Errorf("entry = %+v", e)
	}
	if got := mustAudit(t, db, store.AuditFilter{Since: "2026-11-29"}); len(got) != 0 {
		t.Errorf("--since after every entry listed %d", len(got))
	}
	if got := mustAudit(t, db, store.AuditFilter{Since: "2026-11-28", Actor: "tester", Limit: 1}); len(got) != 1 {
		t.Errorf("--since the day, --actor, --limit 1 listed %d", len(got))
	}
	if got := mustAudit(t, db, store.AuditFilter{Actor: "someone"}); len(got) != 0 {
		t.Errorf("another actor listed %d", len(got))
	}
	if got := mustAudit(t, db, store.AuditFilter{Action: "person.merge"}); len(got) != 0 {
		t.Errorf("--action person.merge listed %d", len(got))
	}
	// A person's field change (person_change, written by person edit and
	// imports) is in the trail as person.change.
	if err := db.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO person_change (person_id, at, actor, field, from_value, to_value, source)
			VALUES (7, '2026-11-28T10:00:00Z', 'editor', 'ministry', 'MoD', 'NSA', 'cli')`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	list = mustAudit(t, db, store.AuditFilter{Action: "person"})
	if len(list) != 1 || list[0].Action != "person.change" || list[0].Subject != "person:7" || list[0].Actor != "editor" ||
		string(list[0].Detail) != `{"field":"ministry","from":"MoD","to":"NSA"}` {
		t.Errorf("person changes = %+v", list)
	}
	if got := actions(mustAudit(t, db, store.AuditFilter{})); got != "person.change capacity.set capacity.set" {
		t.Errorf("whole trail = %s", got)
	}
	if got := mustAudit(t, db, store.AuditFilter{Action: "capacity", Actor: "editor"}); len(got) != 0 {
		t.Errorf("--action capacity --actor editor listed %d", len(got))
	}
	if got := mustAudit(t, db, store.AuditFilter{Action: "person.change", Actor: "editor"}); len(got) != 1 {
		t.Errorf("--action person.change --actor editor listed %d", len(got))
	}
	_, err := db.ListAudit(ctx, store.AuditFilter{Action: "capacity.sett"})
	wantCode(t, err, nomtrack.EUSAGE, `unknown audit action "capacity.sett"; did you mean capacity.set?`)
}

// TestAuditActorFindsEveryRole: a PostgreSQL database records the database
// role beside the actor ("editor (role nomtrack_rw)"); --actor editor finds
// those entries too, and nobody else's.
func TestAuditActorFindsEveryRole(t *testing.T) {
	db := MustOpen(t)
	ctx := context.Background()
	if err := db.Update(ctx, func(tx *store.Tx) error {
		for _, actor := range []string{"editor", "editor (role nomtrack_rw)", "editors (role x)", "edit (role editor)"} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO person_change (person_id, at, actor, field, from_value, to_value, source)
				VALUES (7, '2026-11-28T10:00:00Z', ?, 'ministry', 'MoD', 'NSA', 'cli')`, actor); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range mustAudit(t, db, store.AuditFilter{Actor: "editor"}) {
		got = append(got, e.Actor)
	}
	sort.Strings(got)
	if strings.Join(got, "|") != "editor|editor (role nomtrack_rw)" {
		t.Errorf("--actor editor listed %q", got)
	}
}
