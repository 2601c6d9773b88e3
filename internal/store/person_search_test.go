package store_test

import (
	"context"
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
