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

// TestNominationAsOfItsRow: a new nomination keeps the ministry, rank,
// rank code and English of its row (SPEC §3), not its person's as the
// import leaves them: a person promoted and moved by a later row of the
// sheet, and an older row read after a newer one, in one import. Before,
// every new nomination took the person's final values.
func TestNominationAsOfItsRow(t *testing.T) {
	db := MustDB(t)
	MustRun(t, db, MustFile(t, "courses.csv", coursesCSV), Options{Kind: "courses"})
	MustRun(t, db, MustFile(t, "offerings.csv", "course,start,seats\n"+
		"M5-106,2014-03-03,9\nM5-106,2016-03-07,9\nM5-106,2019-03-04,9\n"), Options{Kind: "offerings"})
	sheet := "ref,name,ministry,rank,english,course,start,status\n" +
		"S-1,Ali Hassan,MoD,Captain,2222,M5-106,2014-03-03,completed\n" +
		"S-2,Omar Said,MoD,Colonel,3333,M5-106,2019-03-04,completed\n" +
		"S-1,Ali Hassan,MoD,Major,,M5-106,2016-03-07,completed\n" +
		"S-3,Huda Ali,MoI,Major,2121,M5-106,2014-03-03,completed\n" +
		"S-2,Omar Said,MoD,Captain,2222,M5-106,2014-03-03,completed\n" +
		"S-1,Ali Hassan,MoI,Colonel,3333,M5-106,2019-03-04,completed\n" +
		"S-3,Huda Ali,MoI,Major,2121,M5-106,2019-03-04,completed\n"
	MustRun(t, db, MustFile(t, "history.csv", sheet), Options{AcceptChanges: true})
	got := MustQuery[string](t, db, `SELECT string_agg(x, '; ') FROM (SELECT p.ref || ' ' || o.start || ': ' || n.ministry || ' ' || n.rank || ' ' || n.rank_code || ' ' || n.english AS x
		FROM nomination n JOIN person p ON p.id = n.person_id JOIN offering o ON o.id = n.offering_id ORDER BY p.ref, o.start) t`)
	want := "S-1 2014-03-03: MoD Captain OF-2 2222; S-1 2016-03-07: MoD Major OF-3 2222; S-1 2019-03-04: MoI Colonel OF-5 3333; " +
		"S-2 2014-03-03: MoD Captain OF-2 2222; S-2 2019-03-04: MoD Colonel OF-5 3333; " +
		"S-3 2014-03-03: MoI Major OF-3 2121; S-3 2019-03-04: MoI Major OF-3 2121"
	if got != want {
		t.Errorf("nominations made under\n got %s\nwant %s", got, want)
	}
	// The people end with their newest values.
	if got := MustQuery[string](t, db, `SELECT ministry || ' ' || rank FROM person WHERE ref = 'S-2'`); got != "MoD Colonel" {
		t.Errorf("S-2 is %s, want MoD Colonel", got)
	}
}
