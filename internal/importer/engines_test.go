package importer

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nomtrack/nomtrack/internal/pgtest"
)

// badSheet has rows that fail every way an import checks a row: values
// (status, date, role, gender), references (an unknown course, an offering
// that does not exist), the person's identity (a ref naming someone else,
// a change of ministry), a status moving backwards, a seat limit, and a
// duplicate in the sheet, between good rows.
const badSheet = "ref,name,ministry,gender,course,start,role,status\n" +
	"MOD-1,Ali Hassan,MoD,M,M5-106,2012-03-05,principal,approved\n" +
	"MOD-2,Omar Said,MoD,M,M5-106,2012-03-05,principal,approvd\n" +
	"MOD-3,Huda Ali,MoD,X,M5-106,31/02/2012,principal,nominated\n" +
	"MOD-4,Sara Karim,MoD,F,ZZ-999,2012-03-05,principal,nominated\n" +
	"MOD-5,Karim Aziz,MoD,M,M5-106,2013-01-01,principal,nominated\n" +
	"MOD-1,Someone Else,MoD,M,CT-210,2012-04-16,principal,nominated\n" +
	"MOD-1,Ali Hassan,MoI,M,CT-210,2012-04-16,principal,nominated\n" +
	"MOD-1,Ali Hassan,MoD,M,M5-106,2012-03-05,principal,nominated\n" +
	"MOD-6,Nour Hadi,MoD,F,M5-106,2012-03-05,boss,nominated\n" +
	"MOD-7,Rana Adel,MoD,F,M5-106,2012-03-05,principal,approved\n" +
	"MOD-8,Laith Amer,MoD,M,M5-106,2012-03-05,principal,approved\n" +
	"MOD-9,Zaid Omar,MoD,M,M5-106,2012-03-05,principal,approved\n" +
	"MOD-10,Maha Sami,MoD,F,M5-106,2012-03-05,principal,approved\n" +
	"MOD-11,Ola Nabil,MoD,F,CT-210,2012-04-16,alternate,nominated\n"

// TestBadSheetGivesTheSameRowErrorsOnBothEngines imports one bad sheet
// into an SQLite file and into a PostgreSQL database, with --on-error skip,
// and compares what the user sees: the summary (counts, warnings, every row
// error) and the rejects file, byte for byte.
func TestBadSheetGivesTheSameRowErrorsOnBothEngines(t *testing.T) {
	type outcome struct {
		sum     *Summary
		rejects string
	}
	importInto := func(dsn string) outcome {
		db := MustOpen(t, dsn)
		defer db.Close()
		MustRun(t, db, MustFile(t, "courses.csv", coursesCSV), Options{Kind: "courses"})
		MustRun(t, db, MustFile(t, "offerings.csv", offeringsCSV), Options{Kind: "offerings"})
		sheet := MustFile(t, "noms.csv", badSheet)
		sum := run(t, db, sheet, Options{OnError: OnErrorSkip})
		body, err := os.ReadFile(sum.Rejects)
		if err != nil {
			t.Fatalf("rejects file: %v", err)
		}
		sum.Rejects = filepath.Base(sum.Rejects) // each run has its own directory
		return outcome{sum, string(body)}
	}
	lite := importInto(filepath.Join(t.TempDir(), "test.db"))
	pg := importInto(pgtest.NewDatabase(t))
	if lite.sum.Rejected < 8 || lite.sum.Created == 0 {
		t.Fatalf("the sheet should mix good and bad rows: %+v", lite.sum)
	}
	opts := cmp.Options{cmp.AllowUnexported(Summary{}), cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".counts" }, cmp.Ignore())}
	if diff := cmp.Diff(lite.sum, pg.sum, opts); diff != "" {
		t.Errorf("summaries differ (-sqlite +postgres):\n%s", diff)
	}
	if lite.rejects != pg.rejects {
		t.Errorf("rejects files differ:\nsqlite:\n%s\npostgres:\n%s", lite.rejects, pg.rejects)
	}
}
