package store_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/store"
)

// MustPerson adds a person with a name and ministry only.
func MustPerson(tb testing.TB, db *store.DB, name, ministry string) *nomtrack.Person {
	tb.Helper()
	p := &nomtrack.Person{Name: name, Ministry: ministry}
	if err := db.CreatePerson(context.Background(), p); err != nil {
		tb.Fatalf("create person: %v", err)
	}
	return p
}

// idOf is a person's id as PERSON arguments take it.
func idOf(p *nomtrack.Person) string { return strconv.FormatInt(p.ID, 10) }

func TestPerson(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		db := MustOpen(t)
		p := &nomtrack.Person{Ref: "S-100", Name: "Mohammed Al-Saadi", NameAr: "محمد الساعدي", Ministry: "MoD", Rank: "Colonel",
			RankCode: "OF-5", Gender: "M", English: "3232", Email: "m@example.org", Phone: "+964 770"}
		if err := db.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		byRef, err := db.FindPerson(ctx, "S-100")
		if err != nil || *byRef != *p {
			t.Errorf("FindPerson(ref) = %+v, %v", byRef, err)
		}
		byID, err := db.FindPerson(ctx, idOf(p))
		if err != nil || byID.Ref != "S-100" {
			t.Errorf("FindPerson(id) = %+v, %v", byID, err)
		}
		p.Ref, p.Position = "", "J3"
		if _, err := db.UpdatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		got, _ := db.FindPerson(ctx, idOf(p))
		if got.Ref != "" || got.Position != "J3" {
			t.Errorf("after update = %+v", got)
		}
	})
	t.Run("OK_NumericRef", func(t *testing.T) {
		db := MustOpen(t)
		p := &nomtrack.Person{Ref: "123456", Name: "Ali", Ministry: "MoI"}
		if err := db.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		if got, err := db.FindPerson(ctx, "123456"); err != nil || got.ID != p.ID {
			t.Errorf("FindPerson(numeric ref) = %+v, %v", got, err)
		}
	})
	t.Run("ErrNotFound_DidYouMean", func(t *testing.T) {
		db := MustOpen(t)
		if err := db.CreatePerson(ctx, &nomtrack.Person{Ref: "S-100", Name: "Ali", Ministry: "MoI"}); err != nil {
			t.Fatal(err)
		}
		_, err := db.FindPerson(ctx, "S-10")
		wantCode(t, err, nomtrack.ENOTFOUND, "person S-10 not found", "did you mean S-100?")
	})
	t.Run("ErrDuplicateRef", func(t *testing.T) {
		db := MustOpen(t)
		if err := db.CreatePerson(ctx, &nomtrack.Person{Ref: "S-100", Name: "Ali", Ministry: "MoI"}); err != nil {
			t.Fatal(err)
		}
		err := db.CreatePerson(ctx, &nomtrack.Person{Ref: "S-100", Name: "Omar", Ministry: "MoI"})
		wantCode(t, err, nomtrack.ECONFLICT, "ref S-100 already belongs to person 1")
	})
	t.Run("OK_ListOrderedAndSearched", func(t *testing.T) {
		db := MustOpen(t)
		MustPerson(t, db, "Zaid Omar", "MoI")
		MustPerson(t, db, "Ali Hassan", "MoD")
		MustPerson(t, db, "Ali Hassan", "MoI")
		if err := db.CreatePerson(ctx, &nomtrack.Person{Name: "Huda Salim", NameAr: "هدى سالم", Ministry: "MoD", Ref: "50%"}); err != nil {
			t.Fatal(err)
		}
		all, err := db.ListPeople(ctx, store.PersonFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if got := peopleOf(all); got != "2:Ali Hassan 3:Ali Hassan 4:Huda Salim 1:Zaid Omar" {
			t.Errorf("ListPeople = %s", got)
		}
		for search, want := range map[string]string{
			"alihas": "2:Ali Hassan 3:Ali Hassan", // spaces and case ignored
			"هدى":    "4:Huda Salim",
			"50%":    "4:Huda Salim",
			"_":      "", // a wildcard is text, not any character
		} {
			got, err := db.ListPeople(ctx, store.PersonFilter{Search: search})
			if err != nil {
				t.Fatal(err)
			}
			if peopleOf(got) != want {
				t.Errorf("ListPeople(search %q) = %s, want %s", search, peopleOf(got), want)
			}
		}
		mod, _ := db.ListPeople(ctx, store.PersonFilter{Ministry: "MoD", Limit: 1})
		if got := peopleOf(mod); got != "2:Ali Hassan" {
			t.Errorf("ListPeople(MoD, limit 1) = %s", got)
		}
	})
	t.Run("OK_Duplicates", func(t *testing.T) {
		db := MustOpen(t)
		MustPerson(t, db, "Mohammed Al-Saadi", "MoD")
		MustPerson(t, db, "Muhammad Alsaadi", "MoD")
		MustPerson(t, db, "Muhammad Alsaadi", "MoI")
		var pairs []nomtrack.DuplicatePair
		err := db.EachDuplicate(ctx, func(p nomtrack.DuplicatePair) error { pairs = append(pairs, p); return nil })
		if err != nil {
			t.Fatal(err)
		}
		if len(pairs) != 1 || pairs[0].A.ID != 1 || pairs[0].B.ID != 2 || !strings.Contains(pairs[0].Reason, "same ministry") {
			t.Errorf("Duplicates = %+v", pairs)
		}
	})
}

func peopleOf(ps []*nomtrack.Person) string {
	var s []string
	for _, p := range ps {
		s = append(s, idOf(p)+":"+p.Name)
	}
	return strings.Join(s, " ")
}
