package store_test

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/nomtrack/nomtrack/internal/gen"
	"github.com/nomtrack/nomtrack/internal/importer"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/store"
)

// Spellings the extra people of mustDupeProgramme are made of: Latin
// transliteration variants and Arabic letter variants of a few names.
var (
	dupeGiven    = []string{"Mohammed", "Muhammad", "Mohamed", "Hussein", "Husain", "Hameed", "Hamid", "Noor", "Nur", "Omar", "Amir"}
	dupeFamily   = []string{"Al-Saadi", "Alsaadi", "al Saadi", "Abdul Kareem", "Abd al-Karim", "Al-Tamimi", "Altamimi", "Hassan"}
	dupeGivenAr  = []string{"محمد", "مُحمد", "حسين", "حسين", "أحمد", "احمد", "إحمد", "نور", "عمر"}
	dupeFamilyAr = []string{"الساعدي", "السّاعدي", "عبد الكريم", "عبدالكريم", "التميمي", "علي", "على", "فاطمة", "فاطمه"}
	dupeMinistry = []string{"MoD", "MoI", "mod", "NSA"}
)

// mustDupeProgramme builds a programme of a few thousand people the way
// they arrive: people imported from a generated sheet (Latin and Arabic
// names), then people added by hand with Latin names only, Arabic names
// only and both, in spelling variants of a few names, some edited (name,
// Arabic name, ministry) and some merged, so every path that writes a
// person's duplicate key has written some of them.
func mustDupeProgramme(tb testing.TB) *store.DB {
	tb.Helper()
	ctx := context.Background()
	dir := filepath.Join(tb.TempDir(), "programme")
	if _, err := gen.Write(dir, gen.Config{N: 8000, Seed: 16, FromYear: 2022, ToYear: 2024}); err != nil {
		tb.Fatal(err)
	}
	db := MustOpen(tb)
	if sum, err := importer.Run(ctx, db, filepath.Join(dir, "people.csv"), importer.Options{Kind: "people"}); err != nil || sum.Rejected > 0 {
		tb.Fatalf("import people: %v %+v", err, sum)
	}
	r := rand.New(rand.NewPCG(16, 16))
	pick := func(list []string) string { return list[r.IntN(len(list))] }
	var added []*nomtrack.Person
	for i := 0; i < 900; i++ {
		p := &nomtrack.Person{Ministry: pick(dupeMinistry)}
		switch i % 3 {
		case 0: // Latin only
			p.Name = pick(dupeGiven) + " " + pick(dupeFamily)
		case 1: // Arabic only
			p.NameAr = pick(dupeGivenAr) + " " + pick(dupeFamilyAr)
		default:
			p.Name, p.NameAr = pick(dupeGiven)+" "+pick(dupeFamily), pick(dupeGivenAr)+" "+pick(dupeFamilyAr)
		}
		if i%5 == 0 {
			p.Ref = "X-" + strconv.Itoa(i)
		}
		if err := db.CreatePerson(ctx, p); err != nil {
			tb.Fatal(err)
		}
		added = append(added, p)
	}
	for i, p := range added {
		switch i % 7 {
		case 1:
			p.Name = pick(dupeGiven) + " " + pick(dupeFamily)
		case 2:
			p.NameAr = pick(dupeGivenAr) + " " + pick(dupeFamilyAr)
		case 3:
			p.Ministry = pick(dupeMinistry)
		default:
			continue
		}
		if _, err := db.UpdatePerson(ctx, p); err != nil {
			tb.Fatal(err)
		}
	}
	for i := 0; i+1 < len(added); i += 97 {
		// The kept person takes the dropped one's empty fields (an Arabic
		// name, say), so its key may change.
		if _, err := db.MergePeople(ctx, "#"+idOf(added[i]), "#"+idOf(added[i+1])); err != nil {
			tb.Fatal(err)
		}
	}
	return db
}

// allPeople reads every person.
func allPeople(tb testing.TB, db *store.DB) []nomtrack.Person {
	tb.Helper()
	list, err := db.ListPeople(context.Background(), store.PersonFilter{})
	if err != nil {
		tb.Fatal(err)
	}
	people := make([]nomtrack.Person, len(list))
	for i, p := range list {
		people[i] = *p
	}
	return people
}

type dupe struct {
	A, B   int64
	Reason string
}

func eachDuplicate(tb testing.TB, db *store.DB) []dupe {
	tb.Helper()
	got := []dupe{}
	err := db.EachDuplicate(context.Background(), func(p nomtrack.DuplicatePair) error {
		got = append(got, dupe{p.A.ID, p.B.ID, p.Reason})
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return got
}

// TestEachDuplicateIsAllPairs: the pairs found by blocking on the stored
// keys are exactly those a comparison of every pair of people finds with
// SPEC §4's rule (same ministry and Latin names equal after folding, or
// Arabic names equal after folding), each once, with its reasons, in the
// order of their blocks (the Arabic ones, then the Latin ones, by key, then
// by id); and the same as nomtrack.FindDuplicates in memory.
func TestEachDuplicateIsAllPairs(t *testing.T) {
	db := mustDupeProgramme(t)
	people := allPeople(t, db)
	slices.SortFunc(people, func(a, b nomtrack.Person) int { return cmp.Compare(a.ID, b.ID) })
	// Every pair, the rule written out again rather than through
	// DuplicateKey, so a mistake in the keys would show.
	latin := make([]string, len(people))
	arabic := make([]string, len(people))
	ministry := make([]string, len(people))
	for i, p := range people {
		latin[i], arabic[i], ministry[i] = nomtrack.FoldLatinName(p.Name), nomtrack.FoldArabicName(p.NameAr), nomtrack.NameKey(p.Ministry)
	}
	type ordered struct {
		dupe
		section int // 0: found in an Arabic block, 1: in a Latin block only
		key     string
	}
	var all []ordered
	kinds := map[string]int{}
	for i := range people {
		for j := i + 1; j < len(people); j++ {
			sameLatin := latin[i] != "" && latin[i] == latin[j] && ministry[i] == ministry[j]
			sameArabic := arabic[i] != "" && arabic[i] == arabic[j]
			if !sameLatin && !sameArabic {
				continue
			}
			kinds[fmt.Sprintf("latin %v arabic %v", sameLatin, sameArabic)]++
			o := ordered{dupe: dupe{people[i].ID, people[j].ID, nomtrack.DuplicateReason(people[i], people[j])}, key: arabic[i]}
			if !sameArabic {
				o.section, o.key = 1, ministry[i]+" "+latin[i]
			}
			all = append(all, o)
		}
	}
	slices.SortFunc(all, func(x, y ordered) int {
		return cmp.Or(cmp.Compare(x.section, y.section), strings.Compare(x.key, y.key), cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B))
	})
	want := []dupe{}
	for _, o := range all {
		want = append(want, o.dupe)
	}
	for _, k := range []string{"latin true arabic false", "latin false arabic true", "latin true arabic true"} {
		if kinds[k] == 0 {
			t.Errorf("the programme has no pair with %s: the test proves less than it says (%v)", k, kinds)
		}
	}
	got := eachDuplicate(t, db)
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("EachDuplicate differs from all pairs (-want +got):\n%s", diff)
	}
	inMemory := []dupe{}
	for _, p := range nomtrack.FindDuplicates(people) {
		inMemory = append(inMemory, dupe{p.A.ID, p.B.ID, p.Reason})
	}
	if diff := gocmp.Diff(want, inMemory); diff != "" {
		t.Errorf("FindDuplicates differs from all pairs (-want +got):\n%s", diff)
	}
	t.Logf("%d people, %d pairs %v", len(people), len(got), kinds)
}

// TestEachDuplicateStops: an error from the callback ends the walk and is
// returned.
func TestEachDuplicateStops(t *testing.T) {
	db := MustOpen(t)
	for i := 0; i < 4; i++ {
		MustPerson(t, db, "Mohammed Al-Saadi", "MoD")
	}
	stop := fmt.Errorf("enough")
	n := 0
	err := db.EachDuplicate(context.Background(), func(nomtrack.DuplicatePair) error {
		n++
		if n == 2 {
			return stop
		}
		return nil
	})
	if err != stop || n != 2 {
		t.Errorf("EachDuplicate = %v after %d pairs, want %v after 2", err, n, stop)
	}
}
