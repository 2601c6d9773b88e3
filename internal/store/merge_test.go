package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/store"
)

func TestMergePeople(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		db := mustWeek(t)
		MustOffering(t, db, "M5-106", "2026-09-07", 2)
		keep := MustPerson(t, db, "Mohammed Al-Saadi", "MoD")
		drop := &nomtrack.Person{Name: "Muhammad Alsaadi", Ministry: "MoD", Ref: "S-77", English: "3232"}
		if err := db.CreatePerson(ctx, drop); err != nil {
			t.Fatal(err)
		}
		MustNominate(t, db, idOf(keep), "M5-106@2026-03-02")
		moved := MustNominate(t, db, "S-77", "M5-106@2026-09-07")
		res, err := db.MergePeople(ctx, idOf(keep), "S-77")
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(res.Moved) != fmt.Sprint([]int64{moved.ID}) || strings.Join(res.Filled, ",") != "ref,english" {
			t.Errorf("MergePeople = moved %v, filled %v", res.Moved, res.Filled)
		}
		if res.Kept.Ref != "S-77" || res.Kept.Name != "Mohammed Al-Saadi" {
			t.Errorf("kept = %+v", res.Kept)
		}
		_, err = db.FindPerson(ctx, idOf(drop))
		wantCode(t, err, nomtrack.ENOTFOUND)
		got, _ := db.ListNominations(ctx, store.NominationFilter{Person: "S-77"})
		if len(got) != 2 || got[0].PersonID != keep.ID || got[1].PersonID != keep.ID {
			t.Errorf("kept person's nominations = %+v", got)
		}
		var action, detail string
		err = db.View(ctx, func(q store.Querier) error {
			return q.QueryRowContext(ctx, `SELECT action, detail FROM audit WHERE subject = ?`, "person:"+idOf(keep)).Scan(&action, &detail)
		})
		if err != nil || action != "person.merge" || !strings.Contains(detail, `"name":"Muhammad Alsaadi"`) {
			t.Errorf("audit = %q %q %v", action, detail, err)
		}
	})
	t.Run("ErrBothOnSameOffering", func(t *testing.T) {
		db := mustWeek(t)
		a := MustPerson(t, db, "Mohammed Al-Saadi", "MoD")
		b := MustPerson(t, db, "Muhammad Alsaadi", "MoD")
		MustNominate(t, db, idOf(a), "M5-106@2026-03-02")
		MustNominate(t, db, idOf(b), "M5-106@2026-03-02")
		_, err := db.MergePeople(ctx, idOf(a), idOf(b))
		wantCode(t, err, nomtrack.ECONFLICT, "both nominated to M5-106@2026-03-02")
		if _, err := db.FindPerson(ctx, idOf(b)); err != nil {
			t.Errorf("refused merge deleted the person: %v", err)
		}
	})
	t.Run("ErrSamePerson", func(t *testing.T) {
		db := MustOpen(t)
		a := MustPerson(t, db, "A", "MoD")
		_, err := db.MergePeople(ctx, idOf(a), idOf(a))
		wantCode(t, err, nomtrack.EINVALID, "same person")
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		db := MustOpen(t)
		a := MustPerson(t, db, "A", "MoD")
		_, err := db.MergePeople(ctx, idOf(a), "99")
		wantCode(t, err, nomtrack.ENOTFOUND, "person 99 not found")
	})
}

// A merged-away person's id is retired: neither an import nor `person add`
// gives it to someone else, even when the dropped person was the newest.
func TestMergedPersonIDIsNeverReused(t *testing.T) {
	ctx := context.Background()
	db := mustWeek(t)
	keep := MustPerson(t, db, "Mohammed Al-Saadi", "MoD")
	drop := MustPerson(t, db, "Muhammad Alsaadi", "MoD") // the newest person
	if _, err := db.MergePeople(ctx, idOf(keep), idOf(drop)); err != nil {
		t.Fatal(err)
	}
	var imported int64
	err := db.Import(ctx, store.ImportOptions{}, func(l *store.Loader) error {
		var err error
		imported, err = l.AddPerson(nomtrack.Person{Name: "Ali Hassan", Ministry: "MoD"}, nomtrack.PersonDates{})
		if err != nil {
			return err
		}
		return l.Flush()
	})
	if err != nil {
		t.Fatalf("an import after a merge: %v", err)
	}
	if imported <= drop.ID {
		t.Errorf("the person imported after the merge got id %d; %d was the dropped person's and must stay retired", imported, drop.ID)
	}
	next := MustPerson(t, db, "Zainab Noor", "MoI")
	if next.ID <= imported {
		t.Errorf("the person added after the import got id %d, not above %d", next.ID, imported)
	}
}
