package importer

import (
	"os"
	"testing"
	"time"
)

// Within one import and across imports, a value agreed by a newer row is
// dated by it, so an older row with another value does not replace it,
// whatever the order of the rows and files (SPEC §4 Newest wins).
func TestNewestWinsWhateverTheOrder(t *testing.T) {
	db := MustDB(t)
	MustRun(t, db, MustFile(t, "c.csv", "code,title,area\nM5-106,Crisis,crisis-management\n"), Options{Kind: "courses"})
	MustRun(t, db, MustFile(t, "o.csv", "course,start\nM5-106,2014-03-03\nM5-106,2015-03-02\nM5-106,2016-03-07\n"), Options{Kind: "offerings"})

	// 2014 creates the person as Colonel; 2016 agrees (Colonel, dated
	// 2016 at the end of the import); 2015 says Major but is older than
	// 2016: nothing changes.
	sum := MustRun(t, db, MustFile(t, "a.csv", "ref,name,ministry,rank,course,start\n"+
		"S-1,Ali Hassan,MoD,Colonel,M5-106,2014-03-03\n"+
		"S-1,Ali Hassan,MoD,Colonel,M5-106,2016-03-07\n"), Options{})
	if sum.PeopleCreated != 1 || sum.PeopleUpdated != 0 {
		t.Fatalf("first import: %+v", sum)
	}
	if got := MustQuery[string](t, db, `SELECT rank_asof FROM person WHERE ref = 'S-1'`); got != "2016-03-07" {
		t.Errorf("rank dated %s after rows of 2014 and 2016, want 2016-03-07", got)
	}
	sum = MustRun(t, db, MustFile(t, "b.csv", "ref,name,ministry,rank,course,start\nS-1,Ali Hassan,MoD,Major,M5-106,2015-03-02\n"), Options{})
	if sum.PeopleUpdated != 0 {
		t.Errorf("an older row changed the person: %+v", sum)
	}
	if got := MustQuery[string](t, db, `SELECT rank FROM person WHERE ref = 'S-1'`); got != "Colonel" {
		t.Errorf("rank = %s, want Colonel", got)
	}

	// A people sheet is from its file's day: an older file does not
	// replace what a newer one gave; the newer file does.
	newer := MustFile(t, "people-new.csv", "ref,name,ministry,position\nS-1,Ali Hassan,MoD,J5 planner\n")
	older := MustFile(t, "people-old.csv", "ref,name,ministry,position\nS-1,Ali Hassan,MoD,J3 clerk\n")
	if err := os.Chtimes(older, time.Time{}, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(newer, time.Time{}, time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	MustRun(t, db, newer, Options{})
	sum = MustRun(t, db, older, Options{})
	if sum.Unchanged != 1 || sum.Updated != 0 {
		t.Errorf("older people sheet after the newer: %+v", sum)
	}
	if got := MustQuery[string](t, db, `SELECT position || ' ' || position_asof FROM person WHERE ref = 'S-1'`); got != "J5 planner 2021-01-01" {
		t.Errorf("position = %q, want the newer sheet's, dated by it", got)
	}
	if n := MustQuery[int](t, db, `SELECT count(*) FROM person_change WHERE field = 'position' AND source = 'import:people-new.csv:2'`); n != 1 {
		t.Errorf("the position change was recorded %d times, want once", n)
	}
}
