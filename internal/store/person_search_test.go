package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/store"
)

// TestSearchFolds: a search matches across Arabic letter variants, spacing,
// tatweel and diacritics, and Latin transliteration variants, whole names
// first (issue 13).
func TestSearchFolds(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	for _, p := range []*nomtrack.Person{
		{Name: "Ahmed Kareem", NameAr: "أحمد كريم", Ministry: "MoD"},       // 1
		{Name: "Abdullah Hassan", NameAr: "عبد الله حسن", Ministry: "MoI"}, // 2
		{Name: "Mohammed Al-Saadi", Ministry: "MoD"},                       // 3
		{Name: "Karim Mohamedi", Ministry: "MoD"},                          // 4
		{Name: "Muhammad", Ministry: "MoI"},                                // 5
		{NameAr: "فاطمة الزهراء", Ministry: "MoH"},                         // 6
	} {
		if err := db.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	for search, want := range map[string]string{
		"احمد":             "1:Ahmed Kareem",
		"أحمد":             "1:Ahmed Kareem",
		"عبدالله":          "2:Abdullah Hassan",
		"عبـد اللّه":       "2:Abdullah Hassan", // tatweel, shadda, space
		"Muhammad Alsaadi": "3:Mohammed Al-Saadi",
		"Mohamed El Saadi": "3:Mohammed Al-Saadi",
		"al saadi":         "3:Mohammed Al-Saadi",
		// the whole name first, then a name starting with it, then the rest
		"Mohammed": "5:Muhammad 3:Mohammed Al-Saadi 4:Karim Mohamedi",
		"فاطمه":    "6:",
	} {
		got, err := db.ListPeople(ctx, store.PersonFilter{Search: search})
		if err != nil {
			t.Fatal(err)
		}
		if peopleOf(got) != want {
			t.Errorf("ListPeople(search %q) = %s, want %s", search, peopleOf(got), want)
		}
	}
	// The key follows every change of name.
	p, _ := db.FindPerson(ctx, "#3")
	p.Name = "Omar Al-Saadi"
	if _, err := db.UpdatePerson(ctx, p); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.ListPeople(ctx, store.PersonFilter{Search: "Umar"}); peopleOf(got) != "3:Omar Al-Saadi" {
		t.Errorf("after rename, search Umar = %s", peopleOf(got))
	}
}

// TestFindPersonByName: a PERSON argument may be a name (folded), and an
// all-digit argument that is an id and another person's ref is ambiguous.
func TestFindPersonByName(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	for _, p := range []*nomtrack.Person{
		{Name: "Mohammed Al-Saadi", Ministry: "MoD", Ref: "S-1"}, // 1
		{Name: "Ali Hassan", Ministry: "MoD", Ref: "2"},          // 2: ref 2 is its own id
		{Name: "Ali Hasan", Ministry: "MoI", Ref: "1"},           // 3: ref 1 is person 1's id
		{NameAr: "عبد الله حسن", Ministry: "MoI"},                // 4
	} {
		if err := db.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	for arg, want := range map[string]int64{
		"Muhammad Alsaadi": 1,
		"mohamed el-saadi": 1,
		"عبدالله حسن":      4,
		"2":                2, // id and ref of the same person
		"#1":               1,
		"ref:1":            3,
		"REF: S-1":         1,
	} {
		p, err := db.FindPerson(ctx, arg)
		if err != nil || p.ID != want {
			t.Errorf("FindPerson(%q) = %+v, %v; want person %d", arg, p, err, want)
		}
	}
	_, err := db.FindPerson(ctx, "1")
	wantCode(t, err, nomtrack.ECONFLICT, "1 is both a person's id and another person's ref", "#1  ref:S-1  Mohammed Al-Saadi  MoD", "#3  ref:1  Ali Hasan  MoI", "give #1 for the id or ref:1")
	_, err = db.FindPerson(ctx, "Ali Hassan")
	wantCode(t, err, nomtrack.ECONFLICT, `2 people are named "Ali Hassan"`, "#2  ref:2  Ali Hassan  MoD", "#3  ref:1  Ali Hasan  MoI")
	_, err = db.FindPerson(ctx, "#9")
	wantCode(t, err, nomtrack.ENOTFOUND, "no person has id 9")
	_, err = db.FindPerson(ctx, "ref:S-2")
	wantCode(t, err, nomtrack.ENOTFOUND, "no person has ref S-2", "did you mean S-1?")
	_, err = db.FindPerson(ctx, "Saadi")
	wantCode(t, err, nomtrack.ENOTFOUND, "person Saadi not found", "#1  ref:S-1  Mohammed Al-Saadi  MoD")
}

// TestFindPersonByMergedName: a name merged into a person finds the person
// kept.
func TestFindPersonByMergedName(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	keep := MustPerson(t, db, "Mohammed Al-Saadi", "MoD")
	MustPerson(t, db, "Mohd Saadi", "MoD")
	if _, err := db.MergePeople(ctx, "#1", "#2"); err != nil {
		t.Fatal(err)
	}
	if p, err := db.FindPerson(ctx, "Mohd Saadi"); err != nil || p.ID != keep.ID {
		t.Errorf("FindPerson(merged name) = %+v, %v", p, err)
	}
}

// mustNoDrift fails the test when the search index differs from the tokens
// computed anew from the people as stored.
func mustNoDrift(t *testing.T, db *store.DB, after string) {
	t.Helper()
	drift, err := db.SearchIndexDrift(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(drift) > 0 {
		t.Errorf("after %s the search index differs from a recomputation:\n%s", after, strings.Join(drift, "\n"))
	}
}

// TestSearchIndexFollowsEveryWrite: after adds, edits, merges, imports (new
// people and changed ones, with deferred indexes) and removals, the search
// index (migration 0015) equals a recomputation from the stored names, refs
// and aliases.
func TestSearchIndexFollowsEveryWrite(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	mustNoDrift(t, db, "opening")
	for _, p := range []*nomtrack.Person{
		{Name: "Mohammed Alsaadi", NameAr: "محمد الساعدي", Ministry: "MoD", Ref: "S-0012"}, // 1
		{Name: "Mohd Saadi", Ministry: "MoD", Ref: "S-0099"},                               // 2
		{NameAr: "عبد الكريم حسن", Ministry: "MoI"},                                        // 3
		{Name: "Ali Hassan", Ministry: "MoI"},                                              // 4
	} {
		if err := db.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	mustNoDrift(t, db, "person add")

	p, _ := db.FindPerson(ctx, "#3")
	p.Name, p.Ref = "Abdulkarim Hassan", "I-7"
	if _, err := db.UpdatePerson(ctx, p); err != nil {
		t.Fatal(err)
	}
	mustNoDrift(t, db, "person edit")

	if _, err := db.MergePeople(ctx, "#1", "#2"); err != nil {
		t.Fatal(err)
	}
	mustNoDrift(t, db, "person merge")
	for search, want := range map[string]string{"Mohd Saadi": "1:Mohammed Alsaadi", "0099": "1:Mohammed Alsaadi", "كريم": "3:Abdulkarim Hassan"} {
		if got, _ := db.ListPeople(ctx, store.PersonFilter{Search: search}); peopleOf(got) != want {
			t.Errorf("search %q = %s, want %s", search, peopleOf(got), want)
		}
	}

	for _, defer_ := range []bool{false, true} {
		err := db.Import(ctx, store.ImportOptions{DeferIndexes: defer_, CheckForeignKeysAtEnd: defer_}, func(l *store.Loader) error {
			if _, err := l.AddPerson(nomtrack.Person{Name: fmt.Sprint("Zainab Omar ", defer_), NameAr: "زينب عمر", Ministry: "MoH", Ref: fmt.Sprint("H-", defer_)},
				nomtrack.PersonDates{}); err != nil {
				return err
			}
			cur, dates, err := l.Person(4)
			if err != nil {
				return err
			}
			cur.Name, cur.NameAr = fmt.Sprint("Ali Hasan ", defer_), "علي حسن"
			return l.UpdatePerson(cur, dates)
		})
		if err != nil {
			t.Fatal(err)
		}
		mustNoDrift(t, db, fmt.Sprint("an import (deferred indexes ", defer_, ")"))
	}
	if got, _ := db.ListPeople(ctx, store.PersonFilter{Search: "زينب"}); len(got) != 2 {
		t.Errorf("search زينب after the imports = %s, want both people imported", peopleOf(got))
	}

	if _, err := db.RemovePerson(ctx, "#4", "entered twice"); err != nil {
		t.Fatal(err)
	}
	mustNoDrift(t, db, "person remove")

	// The check itself sees a token too many or missing.
	err := db.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM person_search_token WHERE person_id = 3 AND kind = 0`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if drift, _ := db.SearchIndexDrift(ctx); len(drift) == 0 {
		t.Error("SearchIndexDrift found nothing after a token was deleted")
	}
}

// TestSearchRanksAndFallsBack: best matches first (a whole name or ref, a
// name starting with the search, a later word, an attached article's word);
// names containing the search elsewhere only when no word starts with it.
func TestSearchRanksAndFallsBack(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	for _, p := range []*nomtrack.Person{
		{Name: "Hassan Ali", Ministry: "MoD", Ref: "S-0012"},                            // 1
		{Name: "Karim Alsaadi", Ministry: "MoD"},                                        // 2
		{Name: "Saadi", Ministry: "MoI"},                                                // 3
		{Name: "Saadi Jasim", Ministry: "MoI"},                                          // 4
		{Name: "Ahmad Kareem", Ministry: "MoI", Ref: "12"},                              // 5
		{Name: "Omar Said", NameAr: "عمر الحمداني", Ministry: "MoD", Ref: "MOD-418005"}, // 6
	} {
		if err := db.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	for search, want := range map[string]string{
		"saadi":   "3:Saadi 4:Saadi Jasim 2:Karim Alsaadi",
		"12":      "5:Ahmad Kareem",                        // a whole ref first; S-0012's part starts 0012
		"0012":    "1:Hassan Ali",                          // a later part of a ref
		"S 0012":  "1:Hassan Ali",                          // refs ignore punctuation
		"hmad":    "5:Ahmad Kareem",                        // no word starts with it: contained
		"aadi":    "2:Karim Alsaadi 3:Saadi 4:Saadi Jasim", // by name
		"mad Kar": "5:Ahmad Kareem",                        // across words, inside the first
		"حمدان":   "6:Omar Said",                           // inside an Arabic name
		"D-4180":  "6:Omar Said",                           // inside a ref
		"012":     "1:Hassan Ali",                          // inside a ref's run of digits
		"Smth":    "",                                      // no one
	} {
		got, err := db.ListPeople(ctx, store.PersonFilter{Search: search})
		if err != nil {
			t.Fatal(err)
		}
		if peopleOf(got) != want {
			t.Errorf("ListPeople(search %q) = %s, want %s", search, peopleOf(got), want)
		}
	}
	if got, _ := db.ListPeople(ctx, store.PersonFilter{Search: "saadi", Ministry: "MoD"}); peopleOf(got) != "2:Karim Alsaadi" {
		t.Errorf("search saadi in MoD = %s", peopleOf(got))
	}
}

// TestContainedSearchDenseOrSparse: a contained search cut to a few people
// gives the first of the whole listing whether its matches are many (read
// in name order) or few (read from the index's candidates).
func TestContainedSearchDenseOrSparse(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	err := db.Import(ctx, store.ImportOptions{}, func(l *store.Loader) error {
		for i := 0; i < 230; i++ {
			p := nomtrack.Person{Name: fmt.Sprintf("Ahmed %c%c Karim", 'a'+i%26, 'a'+i/26), Ministry: "MoD", Ref: fmt.Sprintf("S-%04d", 7*i)}
			if i%50 == 0 {
				p.Name = fmt.Sprintf("Rare Zqx%d", i)
			}
			if _, err := l.AddPerson(p, nomtrack.PersonDates{}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, search := range []string{"hmed", "qx", "med Ba", "-01", "zz"} {
		all, err := db.ListPeople(ctx, store.PersonFilter{Search: search})
		if err != nil {
			t.Fatal(err)
		}
		few, err := db.ListPeople(ctx, store.PersonFilter{Search: search, Limit: 6})
		if err != nil {
			t.Fatal(err)
		}
		want := all
		if len(want) > 6 {
			want = want[:6]
		}
		if peopleOf(few) != peopleOf(want) {
			t.Errorf("search %q cut to 6 = %s, want the listing's first %s", search, peopleOf(few), peopleOf(want))
		}
	}
}
