package store_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/store"
)

// A mistyped ref's "did you mean" reads only the refs that start or end
// like it (the search index's refs and reversed refs); for the usual typos
// the suggestion must be the one a reading of every ref gave: the nearest,
// the first in ref order among equals.
func TestRefSuggestionsAsFromEveryRef(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	r := rand.New(rand.NewPCG(16, 2021))
	var refs []string
	seen := map[string]bool{}
	err := db.Import(ctx, store.ImportOptions{}, func(l *store.Loader) error {
		for len(refs) < 1500 {
			ref := fmt.Sprintf("%s-%04d", []string{"MOD", "MOI", "CTS"}[r.IntN(3)], r.IntN(10000))
			if seen[ref] {
				continue
			}
			seen[ref] = true
			refs = append(refs, ref)
			if _, err := l.AddPerson(nomtrack.Person{Name: "Person " + ref, Ministry: "MoD", Ref: ref}, nomtrack.PersonDates{}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(refs)
	typos := []string{"MOD-12", "mod-0042", "CTS0042", "MOI--0042"}
	for i := 0; i < 60; i++ {
		ref := []rune(refs[r.IntN(len(refs))])
		j := 1 + r.IntN(len(ref)-2)
		switch i % 4 {
		case 0: // a digit replaced
			ref[j] = rune('0' + r.IntN(10))
		case 1: // neighbours swapped
			ref[j], ref[j+1] = ref[j+1], ref[j]
		case 2: // a digit dropped
			ref = slices.Delete(ref, j, j+1)
		default: // a digit doubled
			ref = slices.Insert(ref, j, ref[j])
		}
		typos = append(typos, string(ref))
	}
	for _, typo := range typos {
		if seen[typo] {
			continue
		}
		_, err := db.FindPerson(ctx, typo)
		want := fmt.Sprintf("person %s not found (give an id, ref or name)%s", typo, nomtrack.DidYouMean(typo, refs))
		var e *nomtrack.Error
		if !errors.As(err, &e) || e.Code != nomtrack.ENOTFOUND || e.Error()[:min(len(e.Error()), len(want))] != want {
			t.Errorf("FindPerson(%q) = %v; want %q", typo, err, want)
		}
		_, err = db.FindPerson(ctx, "ref:"+typo)
		if want := fmt.Sprintf("no person has ref %s%s", typo, nomtrack.DidYouMean(typo, refs)); err == nil || err.Error() != want {
			t.Errorf("FindPerson(ref:%q) = %v; want %q", typo, err, want)
		}
	}
}
