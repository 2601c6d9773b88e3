package store_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/store"
)

// searchOracle is the order a search lists people in, computed from the
// tokens alone: each person at their best match, the smallest (rank,
// token) of the tokens the search finds (rank 0 a whole name or ref equal
// to it, 1 one starting with it, 2 a later word or part starting with it),
// then by id.
func searchOracle(people []*nomtrack.Person, search string) []string {
	type match struct {
		rank  int
		token string
		id    int64
		label string
	}
	var found []match
	f, rf := nomtrack.SearchFold(search), nomtrack.RefFold(search)
	for _, p := range people {
		var best *match
		for _, t := range nomtrack.PersonTokens(*p, nil) {
			fold, whole := f, nomtrack.TokenNameStart
			if t.Kind >= nomtrack.TokenRefStart {
				fold, whole = rf, nomtrack.TokenRefStart
			}
			if fold == "" || !strings.HasPrefix(t.Token, fold) {
				continue
			}
			m := match{rank: 2, token: t.Token, id: p.ID, label: fmt.Sprintf("%d:%s", p.ID, p.DisplayName())}
			if t.Kind == whole {
				m.rank = 1
				if t.Token == fold {
					m.rank = 0
				}
			}
			if best == nil || m.rank < best.rank || m.rank == best.rank && m.token < best.token {
				best = &m
			}
		}
		if best != nil {
			found = append(found, *best)
		}
	}
	slices.SortFunc(found, func(a, b match) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), strings.Compare(a.token, b.token), cmp.Compare(a.id, b.id))
	})
	var out []string
	for _, m := range found {
		out = append(out, m.label)
	}
	return out
}

// TestSearchOrderIsTotal: a search lists people in one stated order on
// both engines (searchOracle): whole names and refs equal to the search,
// then those starting with it, then later words and ref parts, each group
// in the code point order of the folded name or ref matched, then by id;
// a person matched several ways comes once, at their best match. --limit N
// gives the first N of that order, also when people match more than once
// and N spans several pages of the index.
func TestSearchOrderIsTotal(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	latin := []string{"Ahmed", "Ahmad", "Ahmadi", "Mohammed", "Ali", "Ahmed Ali", "Ali Ahmed"}
	arabic := []string{"أحمد", "احمد", "أحمدي", "محمد", "علي", "احمد علي", "علي أحمد"}
	last := []string{"", " Ahmed", " Al-Ahmad", " Kareem", " Zubaidi"}
	var people []*nomtrack.Person
	for i := range 90 {
		p := &nomtrack.Person{Ministry: []string{"MoD", "MoI"}[i%2]}
		if i%6 != 5 { // every sixth is known by the Arabic name alone
			p.Name = latin[i%len(latin)] + last[(i/3)%len(last)]
		}
		if i%4 != 3 {
			p.NameAr = arabic[(i/2)%len(arabic)]
		}
		switch i % 9 {
		case 1:
			p.Ref = fmt.Sprintf("AHMED-12%d", i)
		case 4:
			p.Ref = fmt.Sprintf("12-%d", i)
		}
		if i == 40 {
			p.Ref = "12" // a whole ref equal to the search
		}
		if err := db.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		people = append(people, p)
	}
	for _, search := range []string{"Ahmed", "احمد", "ahm", "12", "Ahmed Ali", "ali", "ahmed-1"} {
		want := searchOracle(people, search)
		if len(want) == 0 {
			t.Fatalf("search %q: the oracle finds nobody; the data do not exercise it", search)
		}
		for _, limit := range []int{0, 1, 5, 17, 40} {
			got, err := db.ListPeople(ctx, store.PersonFilter{Search: search, Limit: limit})
			if err != nil {
				t.Fatal(err)
			}
			var labels []string
			for _, p := range got {
				labels = append(labels, fmt.Sprintf("%d:%s", p.ID, p.DisplayName()))
			}
			w := want
			if limit > 0 && limit < len(w) {
				w = w[:limit]
			}
			if !slices.Equal(labels, w) {
				t.Errorf("search %q limit %d:\n got %v\nwant %v", search, limit, labels, w)
			}
		}
	}
	// The ministry filter keeps the order and the limit.
	got, err := db.ListPeople(ctx, store.PersonFilter{Search: "Ahmed", Ministry: "MoI", Limit: 7})
	if err != nil {
		t.Fatal(err)
	}
	var moi []*nomtrack.Person
	for _, p := range people {
		if p.Ministry == "MoI" {
			moi = append(moi, p)
		}
	}
	want := searchOracle(moi, "Ahmed")[:7]
	var labels []string
	for _, p := range got {
		labels = append(labels, fmt.Sprintf("%d:%s", p.ID, p.DisplayName()))
	}
	if !slices.Equal(labels, want) {
		t.Errorf("search Ahmed in MoI limit 7:\n got %v\nwant %v", labels, want)
	}
}
