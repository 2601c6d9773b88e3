package importer

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/store"
)

// The courses set no prerequisites: a row below them is a warning
// (TestScript/import_rules), which would crowd these tests' warnings.
const (
	coursesCSV = "code,etoc_code,title,area,provider,days,fee,min_english,min_rank\n" +
		"M5-106,ETE-SP-31399,NATO Crisis Management Course,crisis-management,NATO School,5,1200,,\n" +
		"CT-210,,Counter-Terrorism Staff Officer Course,counter-terrorism,COE-DAT,5,900,,\n"
	offeringsCSV = "course,start,end,location,seats,deadline\n" +
		"M5-106,2012-03-05,2012-03-09,Oberammergau,4,2012-01-20\n" +
		"CT-210,2012-04-16,2012-04-20,Ankara,3,\n"
	nominationsCSV = "ref,name,ministry,course,start,role,status\n" +
		"MOD-1,Ali Hassan,MoD,M5-106,2012-03-05,principal,nominated\n" +
		"MOD-1,Ali Hassan,MoD,CT-210,2012-04-16,principal,approved\n" +
		",Zainab Noor,MoI,M5-106,05/03/2012,,\n"
)

// MustCatalogueDB returns a database with the two courses and offerings.
func MustCatalogueDB(tb testing.TB) *store.DB {
	tb.Helper()
	db := MustDB(tb)
	MustRun(tb, db, MustFile(tb, "courses.csv", coursesCSV), Options{Kind: "courses"})
	MustRun(tb, db, MustFile(tb, "offerings.csv", offeringsCSV), Options{Kind: "offerings"})
	return db
}

func run(tb testing.TB, db *store.DB, path string, opt Options) *Summary {
	tb.Helper()
	sum, err := Run(context.Background(), db, path, opt)
	if err != nil {
		tb.Fatalf("import %s: %v", filepath.Base(path), err)
	}
	return sum
}

func count(tb testing.TB, db *store.DB, table string) int {
	tb.Helper()
	return MustQuery[int](tb, db, "SELECT count(*) FROM "+table)
}

func TestImportNominationsCreatesPeopleNominationsAndEvents(t *testing.T) {
	db := MustCatalogueDB(t)
	sum := MustRun(t, db, MustFile(t, "noms.csv", nominationsCSV), Options{})
	want := Summary{File: "noms.csv", Kind: "nominations", ReadAs: "nominations: ref, course", Encoding: "utf-8", Rows: 3, Created: 3, PeopleCreated: 2, Committed: true,
		Warnings: []string{}, Errors: []RowError{}}
	if diff := cmp.Diff(want, *sum, cmp.AllowUnexported(Summary{}), cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".counts" }, cmp.Ignore())); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	if n := count(t, db, "person"); n != 2 {
		t.Errorf("people = %d, want 2", n)
	}
	got := MustQuery[string](t, db, `SELECT string_agg(e.from_status || '>' || e.to_status || ' ' || e.source || ' ' || e.actor || ' ' || e.at, ';'
		ORDER BY e.nomination_id, e.at, coalesce(e.id, 0)) FROM nomination_history e`)
	actor := "tester"
	if onPostgres() {
		actor = "tester (role postgres)" // the database role beside the coordinator
	}
	wantEv := strings.ReplaceAll(">nominated import:noms.csv:2 ACTOR 2026-03-01T09:00:00Z;>approved import:noms.csv:3 ACTOR 2026-03-01T09:00:00Z;>nominated import:noms.csv:4 ACTOR 2026-03-01T09:00:00Z", "ACTOR", actor)
	if got != wantEv {
		t.Errorf("events:\n got %s\nwant %s", got, wantEv)
	}
	role := MustQuery[string](t, db, `SELECT role || '/' || status FROM nomination n JOIN person p ON p.id = n.person_id WHERE p.name = 'Zainab Noor'`)
	if role != "principal/nominated" {
		t.Errorf("defaults = %s, want principal/nominated", role)
	}
}

func TestReimportReportsEveryRowUnchanged(t *testing.T) {
	db := MustCatalogueDB(t)
	path := MustFile(t, "noms.csv", nominationsCSV)
	MustRun(t, db, path, Options{})
	sum := MustRun(t, db, path, Options{})
	if sum.Unchanged != 3 || sum.Created+sum.Updated+sum.PeopleCreated+sum.PeopleUpdated != 0 {
		t.Errorf("re-import: %+v, want 3 unchanged and nothing else", sum)
	}
	if n := count(t, db, "nomination_history"); n != 3 {
		t.Errorf("events = %d, want 3", n)
	}
}

func TestStatusMovesForwardWithEventAndBackwardIsRowError(t *testing.T) {
	db := MustCatalogueDB(t)
	MustRun(t, db, MustFile(t, "noms.csv", nominationsCSV), Options{})
	fwd := MustRun(t, db, MustFile(t, "later.csv", "ref,course,start,status\nMOD-1,M5-106,2012-03-05,attended\n"), Options{})
	if fwd.Updated != 1 {
		t.Fatalf("forward: %+v", fwd)
	}
	ev := MustQuery[string](t, db, `SELECT from_status || '>' || to_status || ' ' || source FROM nomination_event ORDER BY id DESC LIMIT 1`)
	if ev != "nominated>attended import:later.csv:2" {
		t.Errorf("event = %q", ev)
	}
	back := run(t, db, MustFile(t, "back.csv", "ref,course,start,status\nMOD-1,M5-106,2012-03-05,approved\n"), Options{})
	if back.Rejected != 1 || back.Committed {
		t.Fatalf("backward: %+v", back)
	}
	if msg := back.Errors[0].String(); !strings.Contains(msg, "back.csv:2: status: cannot move nomination") || !strings.Contains(msg, "from attended back to approved") {
		t.Errorf("error = %s", msg)
	}
	if st := MustQuery[string](t, db, `SELECT status FROM nomination WHERE id = 1`); st != "attended" {
		t.Errorf("status = %s after a refused backward move", st)
	}
}

func TestAbortWritesNothingAndListsEveryError(t *testing.T) {
	db := MustCatalogueDB(t)
	body := nominationsCSV + "MOD-2,Omar Kareem,MoD,M5-160,2012-03-05,principal,nominated\n" +
		"MOD-3,Huda Salim,MoD,M5-106,2012-03-06,principal,pending\n"
	sum := run(t, db, MustFile(t, "noms.csv", body), Options{})
	if sum.Committed || sum.Rejected != 2 || sum.Created != 3 {
		t.Fatalf("summary %+v", sum)
	}
	var got []string
	for _, e := range sum.Errors {
		got = append(got, e.String())
	}
	want := []string{
		"noms.csv:5: course: course M5-160 not found; did you mean M5-106?",
		"noms.csv:6: status: unknown status \"pending\"; use one of nominated, approved, confirmed, attended, completed, declined, withdrawn, cancelled, no-show, released",
		"noms.csv:6: start: offering M5-106@2012-03-06 not found; did you mean M5-106@2012-03-05? (--create-offerings adds missing offerings)",
	}
	if diff := cmp.Diff(want, got, cmp.Transformer("sort", func(s []string) []string { return sortedCopy(s) })); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	for _, table := range []string{"person", "nomination", "nomination_event", "nomination_import_run"} {
		if n := count(t, db, table); n != 0 {
			t.Errorf("%s has %d rows after an aborted import", table, n)
		}
	}
}

func sortedCopy(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

func TestSkipCommitsValidRowsAndWritesRejects(t *testing.T) {
	db := MustCatalogueDB(t)
	body := nominationsCSV + "MOD-2,\"=HYPERLINK(\"\"x\"\")\",MoD,M5-160,2012-03-05,principal,nominated\n"
	path := MustFile(t, "noms.csv", body)
	sum := run(t, db, path, Options{OnError: OnErrorSkip})
	if !sum.Committed || sum.Rejected != 1 || sum.Created != 3 {
		t.Fatalf("summary %+v", sum)
	}
	wantPath := strings.TrimSuffix(path, ".csv") + ".rejects.csv"
	if sum.Rejects != wantPath {
		t.Errorf("rejects = %q, want %q", sum.Rejects, wantPath)
	}
	body2, err := os.ReadFile(wantPath)
	if err != nil {
		t.Fatal(err)
	}
	want := "ref,name,ministry,course,start,role,status,error\n" +
		"MOD-2,\"'=HYPERLINK(\"\"x\"\")\",MoD,M5-160,2012-03-05,principal,nominated,course: course M5-160 not found; did you mean M5-106?\n"
	if string(body2) != want {
		t.Errorf("rejects file:\n%s\nwant:\n%s", body2, want)
	}
	if st, _ := os.Stat(wantPath); st.Mode().Perm() != 0o600 {
		t.Errorf("rejects mode %v, want 0600", st.Mode().Perm())
	}
	if n := count(t, db, "nomination"); n != 3 {
		t.Errorf("nominations = %d, want 3", n)
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	db := MustCatalogueDB(t)
	sum := MustRun(t, db, MustFile(t, "noms.csv", nominationsCSV), Options{DryRun: true, OnError: OnErrorSkip})
	if sum.Created != 3 || sum.Committed || !sum.DryRun {
		t.Errorf("summary %+v", sum)
	}
	if n := count(t, db, "person") + count(t, db, "nomination"); n != 0 {
		t.Errorf("dry run wrote %d rows", n)
	}
}

func TestMissingOfferingIsCreatedWithCreateOfferings(t *testing.T) {
	db := MustCatalogueDB(t)
	path := MustFile(t, "noms.csv", "ref,name,ministry,offering\nMOD-1,Ali Hassan,MoD,M5-106@2013-05-06\n")
	if sum := run(t, db, path, Options{}); sum.Rejected != 1 {
		t.Fatalf("without the flag: %+v", sum)
	}
	MustRun(t, db, path, Options{CreateOfferings: true})
	if n := MustQuery[int](t, db, `SELECT count(*) FROM offering WHERE start = '2013-05-06'`); n != 1 {
		t.Errorf("offerings created = %d", n)
	}
}

func TestPeopleMatchByRefElseNameAndMinistry(t *testing.T) {
	db := MustCatalogueDB(t)
	body := "ref,name,ministry,course,start\n" +
		"MOD-1,Ali Hassan,MoD,M5-106,2012-03-05\n" +
		",ALI  HASSAN,Mod,CT-210,2012-04-16\n" + // same person: name folded, no ref
		",Ali Hassan,MoI,CT-210,2012-04-16\n" + // another ministry: another person
		"MOD-9,Ali Hassan,MoD,CT-210,2012-04-16\n" // another ref: another person
	sum := MustRun(t, db, MustFile(t, "noms.csv", body), Options{})
	if sum.PeopleCreated != 3 || sum.Created != 4 {
		t.Errorf("summary %+v, want 3 people and 4 nominations", sum)
	}
	n := MustQuery[int](t, db, `SELECT count(*) FROM nomination n JOIN person p ON p.id = n.person_id WHERE p.ref = 'MOD-1'`)
	if n != 2 {
		t.Errorf("MOD-1 has %d nominations, want 2", n)
	}
	// Two people now share the name in MoD: a row without ref is ambiguous.
	sum = run(t, db, MustFile(t, "amb.csv", "name,ministry,course,start\nAli Hassan,MoD,M5-106,2012-03-05\n"), Options{})
	if sum.Rejected != 1 || !strings.Contains(sum.Errors[0].Message, "matches several people of MoD") {
		t.Errorf("ambiguous name: %+v", sum.Errors)
	}
}

func TestEmptyCellNeverErasesStoredValue(t *testing.T) {
	db := MustCatalogueDB(t)
	MustRun(t, db, MustFile(t, "people.csv", "ref,name,ministry,rank,english,email\nMOD-1,Ali Hassan,MoD,Major,3232,ali@example.org\n"), Options{Kind: "people"})
	sum := MustRun(t, db, MustFile(t, "people2.csv", "ref,name,ministry,rank,english,email\nMOD-1,,,Colonel,,\n"), Options{Kind: "people"})
	if sum.Updated != 1 {
		t.Fatalf("summary %+v", sum)
	}
	got := MustQuery[string](t, db, `SELECT name || '|' || ministry || '|' || rank || '|' || english || '|' || email FROM person`)
	if got != "Ali Hassan|MoD|Colonel|3232|ali@example.org" {
		t.Errorf("person = %s", got)
	}
}

func TestHeaderOnlyFileImportsNothingAndEmptyFileIsError(t *testing.T) {
	db := MustCatalogueDB(t)
	sum := MustRun(t, db, MustFile(t, "h.csv", "ref,name,ministry,course,start\n"), Options{})
	if sum.Rows != 0 || !sum.Committed {
		t.Errorf("header only: %+v", sum)
	}
	_, err := Run(context.Background(), db, MustFile(t, "empty.csv", ""), Options{})
	if err == nil || !strings.Contains(err.Error(), "empty.csv is empty") || nomtrack.ErrorCode(err) != nomtrack.EINVALID {
		t.Errorf("empty file: %v", err)
	}
}

func TestUnknownColumnsAreWarnedAbout(t *testing.T) {
	db := MustCatalogueDB(t)
	sum := MustRun(t, db, MustFile(t, "n.csv", "ref,name,ministry,course,start,Shoe Size,Blood Group\nMOD-1,Ali,MoD,M5-106,2012-03-05,44,O+\n"), Options{})
	want := []string{"n.csv: columns ignored (not fields of nominations): Shoe Size, Blood Group"}
	if diff := cmp.Diff(want, sum.Warnings); diff != "" {
		t.Error(diff)
	}
}

func TestMissingRequiredColumnIsFileError(t *testing.T) {
	db := MustCatalogueDB(t)
	_, err := Run(context.Background(), db, MustFile(t, "n.csv", "ref,name,ministry,course\nMOD-1,Ali,MoD,M5-106\n"), Options{})
	if err == nil || !strings.Contains(err.Error(), "n.csv has no start column") {
		t.Errorf("err = %v", err)
	}
}

func TestMaxErrorsCountsTheRest(t *testing.T) {
	db := MustCatalogueDB(t)
	var b strings.Builder
	b.WriteString("ref,name,ministry,course,start\n")
	for i := 0; i < 10; i++ {
		b.WriteString("MOD-1,Ali,MoD,XX-999,2012-03-05\n")
	}
	sum := run(t, db, MustFile(t, "n.csv", b.String()), Options{MaxErrors: 3})
	if len(sum.Errors) != 3 || sum.MoreErrors != 7 || sum.Rejected != 10 {
		t.Errorf("errors %d, more %d, rejected %d", len(sum.Errors), sum.MoreErrors, sum.Rejected)
	}
}

func TestMapNamesAnotherHeader(t *testing.T) {
	db := MustCatalogueDB(t)
	path := MustFile(t, "n.csv", "Personnel ID,Officer,Directorate,Course Code,Course Start\nMOD-1,Ali,MoD,M5-106,2012-03-05\n")
	if sum := run(t, db, path, Options{}); sum.Rejected != 1 || sum.Errors[0].Column != "ministry" {
		t.Fatalf("without --map the ministry is missing: %+v", sum.Errors)
	}
	sum := MustRun(t, db, path, Options{Map: map[string]string{"Directorate": "ministry", "Personnel ID": "ref"}})
	if sum.Created != 1 {
		t.Errorf("summary %+v", sum)
	}
}

func TestWorkbookImportsSheetsInDependencyOrder(t *testing.T) {
	db := MustDB(t)
	f := excelize.NewFile()
	// Nominations first in the file: the import still reads it last.
	sheets := []struct {
		name string
		rows [][]any
	}{
		{"NOMINATIONS", [][]any{{"ref", "name", "ministry", "course", "start"}, {"MOD-1", "Ali", "MoD", "M5-106", "2012-03-05"}}},
		{"courses", [][]any{{"code", "title", "area"}, {"M5-106", "Crisis Management", "crisis-management"}}},
		{"Offerings", [][]any{{"course", "start", "seats"}, {"M5-106", "2012-03-05", 4}}},
		{"Notes", [][]any{{"anything"}}},
	}
	for i, s := range sheets {
		if i == 0 {
			f.SetSheetName("Sheet1", s.name)
		} else {
			f.NewSheet(s.name)
		}
		for r, row := range s.rows {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			f.SetSheetRow(s.name, cell, &row)
		}
	}
	path := filepath.Join(t.TempDir(), "book.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	sum := MustRun(t, db, path, Options{})
	var order []string
	for _, s := range sum.Sheets {
		order = append(order, s.Sheet+":"+s.Kind)
	}
	if diff := cmp.Diff([]string{"courses:courses", "Offerings:offerings", "NOMINATIONS:nominations"}, order); diff != "" {
		t.Error(diff)
	}
	if sum.Kind != KindWorkbook || sum.Created != 3 || sum.Rows != 3 || sum.PeopleCreated != 1 {
		t.Errorf("summary %+v", sum)
	}
	if len(sum.Warnings) != 1 || !strings.Contains(sum.Warnings[0], "Notes") {
		t.Errorf("warnings %v", sum.Warnings)
	}
}

func TestCancelledImportLeavesNothing(t *testing.T) {
	db := MustCatalogueDB(t)
	var b strings.Builder
	b.WriteString("ref,name,ministry,course,start\n")
	for i := 0; i < 3*progressEvery; i++ {
		b.WriteString("MOD-")
		b.WriteString(strings.Repeat("1", 1+i%7))
		b.WriteString(",Ali,MoD,M5-106,2012-03-05\n")
	}
	ctx, cancel := context.WithCancel(context.Background())
	_, err := Run(ctx, db, MustFile(t, "n.csv", b.String()), Options{Progress: func(n int) {
		if n >= progressEvery {
			cancel()
		}
	}})
	if err == nil {
		t.Fatal("a cancelled import succeeded")
	}
	if n := count(t, db, "person"); n != 0 {
		t.Errorf("a cancelled import left %d people", n)
	}
}

func TestCoursesOfferingsAndRequestsUpdateByKey(t *testing.T) {
	db := MustCatalogueDB(t)
	sum := MustRun(t, db, MustFile(t, "c.csv", "code,title,days\nm5-106,,6\nCT-210,,5\n"), Options{Kind: "courses"})
	if sum.Updated != 1 || sum.Unchanged != 1 {
		t.Errorf("courses %+v", sum)
	}
	sum = MustRun(t, db, MustFile(t, "o.csv", "course,start,seats\nM5-106,5 Mar 2012,6\nCT-210,2012-04-16,3\n"), Options{Kind: "offerings"})
	if sum.Updated != 1 || sum.Unchanged != 1 {
		t.Errorf("offerings %+v", sum)
	}
	req := "ministry,area,year,seats\nMoD,crisis-management,2012,4\n"
	MustRun(t, db, MustFile(t, "r.csv", req), Options{Kind: "requests"})
	sum = MustRun(t, db, MustFile(t, "r.csv", req), Options{Kind: "requests"})
	if sum.Unchanged != 1 || count(t, db, "request") != 1 {
		t.Errorf("requests %+v", sum)
	}
}

func TestRowValuesAreNormalised(t *testing.T) {
	db := MustCatalogueDB(t)
	opt := Options{Ministries: nomtrack.NewVocabulary(map[string][]string{"MoD": {"Ministry of Defence", "وزارة الدفاع"}})}
	body := "ref,name,ministry,gender,english,rank_code,course,start,role,status\n" +
		"MOD-١٢,Ali  Hassan,وزارة الدفاع,ذكر,٣ ٢ ٣ ٢,of4,M5-106,٠٥/٠٣/٢٠١٢,reserve,Replaced\n"
	MustRun(t, db, MustFile(t, "n.csv", body), opt)
	got := MustQuery[string](t, db, `SELECT p.ref || '|' || p.name || '|' || p.ministry || '|' || p.gender || '|' || p.english || '|' || p.rank_code || '|' || n.role || '|' || n.status
		FROM nomination n JOIN person p ON p.id = n.person_id`)
	if got != "MOD-12|Ali Hassan|MoD|M|3232|OF-4|alternate|withdrawn" {
		t.Errorf("row = %s", got)
	}
	bad := run(t, db, MustFile(t, "b.csv", "name,ministry,course,start\nOmar,Ministry of Defense,M5-106,2012-03-05\n"), opt)
	if bad.Rejected != 1 || !strings.Contains(bad.Errors[0].Message, "did you mean MoD?") {
		t.Errorf("unknown ministry: %+v", bad.Errors)
	}
}

func TestNeutralisingApostropheIsRemoved(t *testing.T) {
	db := MustCatalogueDB(t)
	MustRun(t, db, MustFile(t, "p.csv", "ref,name,ministry,phone\nMOD-1,'@Ali,MoD,'+964 1\nMOD-2,'Ahmed',MoD,\n"), Options{Kind: "people"})
	got := MustQuery[string](t, db, `SELECT string_agg(name || '|' || phone, ';' ORDER BY id) FROM person`)
	if got != "@Ali|+964 1;'Ahmed'|" {
		t.Errorf("people = %s", got)
	}
}

func TestWorkbookKindNeedsSheetsNamedByKind(t *testing.T) {
	db := MustDB(t)
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"ref", "name"})
	path := filepath.Join(t.TempDir(), "plain.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	_, err := Run(context.Background(), db, path, Options{Kind: KindWorkbook})
	if err == nil || err.Error() != "plain.xlsx has no sheet named Courses, Offerings, People, Requests or Nominations; name its sheets by kind, or give --kind and --sheet (its sheets: Sheet1)" {
		t.Errorf("err = %v", err)
	}
}

func TestBulkLoadOnlyWhenTheFileOutgrowsTheTables(t *testing.T) {
	noms := plan{sheets: []sheetPlan{{kind: "nominations"}}}
	courses := plan{sheets: []sheetPlan{{kind: "courses"}}}
	for _, c := range []struct {
		name          string
		size          int64
		xlsx          bool
		p             plan
		people, nomsN int64
		want          bool
	}{
		{"small file", 1 << 20, false, noms, 0, 0, false},
		{"large file, empty tables", 135 << 20, false, noms, 0, 0, true},
		{"large xlsx, empty tables", 66 << 20, true, noms, 0, 0, true},
		{"re-import into full tables", 135 << 20, false, noms, 250_000, 1_000_000, false},
		{"courses never", 135 << 20, false, courses, 0, 0, false},
	} {
		if got := bulkLoad(c.size, c.xlsx, c.p, c.people, c.nomsN); got != c.want {
			t.Errorf("%s: bulkLoad = %v, want %v", c.name, got, c.want)
		}
	}
}

// An imported nomination's creation event is not stored (a run stands for
// it); its history must read exactly as if it were: first, from ”, to the
// status it was imported with even after later moves, with its sheet row.
func TestHistoryOfImportedNominationShowsItsCreationFirst(t *testing.T) {
	db := MustCatalogueDB(t)
	MustRun(t, db, MustFile(t, "noms.csv", nominationsCSV), Options{})
	ctx := context.Background()
	// Row 3 imported MOD-1 for CT-210 as an approved principal: nomination 2.
	if _, err := db.SetStatus(ctx, 2, store.StatusChange{To: "withdrawn", Reason: "posted abroad"}); err != nil {
		t.Fatal(err)
	}
	MustRun(t, db, MustFile(t, "later.csv", "ref,course,start,status\nMOD-1,M5-106,2012-03-05,approved\n"), Options{})
	describe := func(id int64) string {
		h, err := db.NominationHistory(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range h {
			if e.NominationID != id || e.At.IsZero() || e.Actor == "" {
				t.Errorf("event %+v lacks its nomination, time or actor", e)
			}
			out = append(out, e.From+">"+e.To+" "+e.Source+" "+e.Reason)
		}
		return strings.Join(out, "; ")
	}
	if got, want := describe(2), ">approved import:noms.csv:3 ; approved>withdrawn cli posted abroad"; got != want {
		t.Errorf("history of 2:\n got %s\nwant %s", got, want)
	}
	if got, want := describe(1), ">nominated import:noms.csv:2 ; nominated>approved import:later.csv:2 "; got != want {
		t.Errorf("history of 1:\n got %s\nwant %s", got, want)
	}
	if n := count(t, db, "nomination_event"); n != 2 {
		t.Errorf("stored events = %d, want the 2 status changes", n)
	}
}

// A run covers ids, but only the nominations it created: one with another
// creation time (never the case while nominations are never deleted, and
// checked all the same) gets no event from it.
func TestImportRunDoesNotClaimNominationsCreatedAtAnotherTime(t *testing.T) {
	db := MustCatalogueDB(t)
	MustRun(t, db, MustFile(t, "noms.csv", nominationsCSV), Options{})
	err := db.Update(context.Background(), func(tx *store.Tx) error {
		_, err := tx.ExecContext(context.Background(), `UPDATE nomination SET created_at = '2020-01-01T00:00:00Z' WHERE id = 3`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	h, err := db.NominationHistory(context.Background(), 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 0 {
		t.Errorf("history of a nomination the run did not create = %+v, want none", h)
	}
	if n := count(t, db, "nomination_history"); n != 2 {
		t.Errorf("history rows = %d, want 2", n)
	}
}

// Nominations deleted (by hand, or removed as a mistake) never give their
// ids to the nominations the next import creates (AUTOINCREMENT, migration
// 0007), so the runs that stood for their creation cannot mislabel them.
func TestImportAfterNominationsWereDeletedByHand(t *testing.T) {
	db := MustCatalogueDB(t)
	MustRun(t, db, MustFile(t, "noms.csv", nominationsCSV), Options{})
	err := db.Update(context.Background(), func(tx *store.Tx) error {
		_, err := tx.ExecContext(context.Background(), `DELETE FROM nomination`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	MustRun(t, db, MustFile(t, "again.csv", "ref,name,ministry,course,start\nMOD-1,Ali Hassan,MoD,CT-210,2012-04-16\n"), Options{})
	h, err := db.NominationHistory(context.Background(), 4)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 1 || h[0].Source != "import:again.csv:2" || h[0].To != "nominated" {
		t.Errorf("history of the new nomination 4 = %+v, want its creation from again.csv row 2", h)
	}
	if n := count(t, db, "nomination_history"); n != 1 {
		t.Errorf("history rows = %d, want 1 (the deleted nominations' runs stand for nothing)", n)
	}
}

// Ministries' sheets often open with a title and a blank row: a first row
// that names no column is passed over, with a warning, for a header found
// within the next few rows; rows keep their numbers in the sheet.
func TestTitleRowsAboveTheHeaderAreSkippedWithAWarning(t *testing.T) {
	db := MustCatalogueDB(t)
	sum, err := Run(context.Background(), db, MustFile(t, "titled.csv",
		"Nominations from the Ministry of Defence, 2012,,,,,,\n"+
			",,,,,,\n"+
			nominationsCSV+
			"MOD-9,Omar Khalid,MoD,M5-106,2012-03-05,principal,pending\n"), Options{OnError: "skip"})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Created != 3 || sum.Rejected != 1 {
		t.Errorf("summary: %+v, want 3 created and 1 rejected", sum)
	}
	want := "titled.csv: rows 1-2 above the header (row 3) were skipped: they name no column (a title?)"
	if len(sum.Warnings) != 1 || sum.Warnings[0] != want {
		t.Errorf("warnings = %q, want %q", sum.Warnings, want)
	}
	if len(sum.Errors) != 1 || sum.Errors[0].Row != 7 {
		t.Errorf("errors = %+v, want one on sheet row 7", sum.Errors)
	}
}

// A sheet without a header keeps failing, saying the header is missing;
// with --kind, naming the column it lacks; reading ahead for a header loses
// no row.
func TestSheetWithoutHeaderIsStillRefused(t *testing.T) {
	db := MustCatalogueDB(t)
	_, err := Run(context.Background(), db, MustFile(t, "bare.csv",
		"MOD-1,Ali Hassan,MoD,M5-106,2012-03-05,principal,nominated\n"+
			"MOD-2,Omar Khalid,MoD,M5-106,2012-03-05,principal,nominated\n"), Options{})
	if err == nil || !strings.Contains(err.Error(), "bare.csv: its header row names no field nomtrack imports (is the header missing?)") {
		t.Fatalf("import of a sheet without header: %v", err)
	}
	_, err = Run(context.Background(), db, MustFile(t, "bare.csv", "MOD-1,Ali Hassan,MoD,M5-106,2012-03-05,principal,nominated\n"), Options{Kind: "nominations"})
	if err == nil || !strings.Contains(err.Error(), "bare.csv has no course or offering column") {
		t.Fatalf("import of a sheet without header, --kind nominations: %v", err)
	}
	if n := count(t, db, "nomination"); n != 0 {
		t.Errorf("%d nominations written", n)
	}
}

// When only the last nominations of a run were deleted by hand, the ones
// that remain keep their creation events, and the next new nomination
// takes a new id (4), not the deleted one's.
func TestImportAfterTheLastNominationsOfARunWereDeletedByHand(t *testing.T) {
	db := MustCatalogueDB(t)
	MustRun(t, db, MustFile(t, "noms.csv", nominationsCSV), Options{}) // nominations 1-3, one run
	err := db.Update(context.Background(), func(tx *store.Tx) error {
		_, err := tx.ExecContext(context.Background(), `DELETE FROM nomination WHERE id = 3`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	MustRun(t, db, MustFile(t, "again.csv", "ref,name,ministry,course,start\nMOD-9,Omar Khalid,MoD,CT-210,2012-04-16\n"), Options{})
	for id, want := range map[int64]string{1: "import:noms.csv:2", 2: "import:noms.csv:3", 4: "import:again.csv:2"} {
		h, err := db.NominationHistory(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if len(h) != 1 || h[0].Source != want {
			t.Errorf("history of nomination %d = %+v, want its creation from %s", id, h, want)
		}
	}
}

func TestImportedAlternatesQueueInSheetOrder(t *testing.T) {
	db := MustCatalogueDB(t)
	MustRun(t, db, MustFile(t, "a.csv", "name,ministry,course,start,role,status\n"+
		"Omar,MoD,M5-106,2012-03-05,alternate,nominated\n"+
		"Huda,MoI,M5-106,2012-03-05,alternate,withdrawn\n"+
		"Sara,MoI,M5-106,2012-03-05,alternate,\n"+
		"Ali,MoD,CT-210,2012-04-16,alternate,\n"), Options{})
	// A second sheet's alternates queue behind those already waiting.
	MustRun(t, db, MustFile(t, "b.csv", "name,ministry,course,start,role\nKarim,MoI,M5-106,2012-03-05,alternate\n"), Options{})
	got := MustQuery[string](t, db, `SELECT string_agg(p.name || ':' || coalesce(CAST(n.alt_order AS TEXT), '-'), ' ' ORDER BY n.id)
		FROM nomination n JOIN person p ON p.id = n.person_id`)
	if want := "Omar:1 Huda:- Sara:2 Ali:1 Karim:3"; got != want {
		t.Errorf("queue = %s, want %s", got, want)
	}
}

func TestImportPreDepartureFields(t *testing.T) {
	db := MustCatalogueDB(t)
	MustRun(t, db, MustFile(t, "a.csv", "name,ministry,course,start,تأشيرة,التصريح الأمني,adl date,جهة التمويل,رقم الشهادة\n"+
		"Omar,MoD,M5-106,2012-03-05,Issued,granted,2012-02-20,NATO,\n"+
		"Huda,MoI,M5-106,2012-03-05,pending,,,host nation,\n"), Options{})
	got := MustQuery[string](t, db, `SELECT string_agg(p.name || ':' || n.visa || '/' || n.clearance || '/' || n.adl || '/' || n.funding || '/' || n.certificate, ' ' ORDER BY n.id)
		FROM nomination n JOIN person p ON p.id = n.person_id`)
	if want := "Omar:issued/granted/2012-02-20/nato/ Huda:requested///host/"; got != want {
		t.Errorf("fields = %s, want %s", got, want)
	}
	// A later sheet sets what it gives, keeps what it leaves empty, and
	// records each change as an edit event with its row.
	MustRun(t, db, MustFile(t, "b.csv", "name,ministry,course,start,status,visa,certificate\n"+
		"Omar,MoD,M5-106,2012-03-05,,,NS-2012-07\n"), Options{})
	got = MustQuery[string](t, db, `SELECT n.visa || '/' || n.certificate || ' ' || e.kind || ':' || e.field || ':' || e.from_status || '>' || e.to_status || ' ' || e.source
		FROM nomination n JOIN nomination_event e ON e.nomination_id = n.id AND e.kind = 'edit' WHERE n.id = 1`)
	if want := "issued/NS-2012-07 edit:certificate:>NS-2012-07 import:b.csv:2"; got != want {
		t.Errorf("after b.csv: %s, want %s", got, want)
	}
	sum, err := Run(context.Background(), db, MustFile(t, "c.csv", "name,ministry,course,start,visa\nOmar,MoD,M5-106,2012-03-05,isued\n"), Options{})
	if err != nil || sum.Committed || len(sum.Errors) != 1 || !strings.Contains(fmt.Sprint(sum.Errors[0]), `visa: unknown visa "isued"; did you mean issued?`) {
		t.Errorf("bad visa: %v, %+v", err, sum)
	}
}

// TestCourseDaysCellUnknown: a courses sheet's empty days cell, "unknown"
// or 0 (what exports wrote before schema 28 for a length not given) is a
// length not known: a new course gets none (it used to get 0 days), a known
// length is kept. 7 is 7.
func TestCourseDaysCellUnknown(t *testing.T) {
	db := MustCatalogueDB(t)
	MustRun(t, db, MustFile(t, "c.csv", "code,title,area,days\nN-1,A,crisis-management,\nN-0,B,crisis-management,0\nN-U,C,crisis-management,unknown\nN-7,D,crisis-management,7\n"), Options{Kind: "courses"})
	got := MustQuery[string](t, db, `SELECT string_agg(code || '=' || coalesce(CAST(days AS TEXT), 'unknown'), ';' ORDER BY code) FROM course WHERE code LIKE 'N-%'`)
	if got != "N-0=unknown;N-1=unknown;N-7=7;N-U=unknown" {
		t.Errorf("days after import = %s", got)
	}
	sum := MustRun(t, db, MustFile(t, "k.csv", "code,days\nN-7,\nN-7,0\n"), Options{Kind: "courses"})
	if sum.Unchanged != 2 {
		t.Errorf("empty and 0 days cells for a course of 7 days: %+v, want both unchanged", sum)
	}
}

// A workbook with two sheets of one kind (Nominations and its Arabic name)
// is refused naming both: the second was passed over as "not named by
// kind", and its rows dropped with exit 0.
func TestWorkbookTwoSheetsOfOneKind(t *testing.T) {
	db := MustCatalogueDB(t)
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "Nominations")
	f.NewSheet("الترشيحات")
	for _, s := range []string{"Nominations", "الترشيحات"} {
		f.SetSheetRow(s, "A1", &[]any{"ref", "name", "ministry", "course", "start"})
		f.SetSheetRow(s, "A2", &[]any{"MOD-" + fmt.Sprint(len(s)), "Ali Hassan " + s, "MoD", "M5-106", "2012-03-05"})
	}
	path := filepath.Join(t.TempDir(), "book.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	_, err := Run(context.Background(), db, path, Options{})
	want := "book.xlsx: sheets Nominations and الترشيحات are both nominations; put their rows in one sheet, or import each with --sheet NAME"
	if err == nil || err.Error() != want || nomtrack.ErrorCode(err) != nomtrack.EINVALID {
		t.Errorf("err = %v, want %q", err, want)
	}
	if n := MustQuery[int](t, db, `SELECT count(*) FROM nomination`); n != 0 {
		t.Errorf("%d nominations written", n)
	}
	// --sheet imports one of them.
	if sum := MustRun(t, db, path, Options{Sheet: "الترشيحات"}); sum.Created != 1 {
		t.Errorf("--sheet: %+v", sum)
	}
}

// TestCourseRequiresColumn: a courses sheet's requires column sets a new
// course's requirements and changes a known course's ("none" clears them,
// an empty cell keeps them); before, the column was not read, so an
// exported catalogue imported elsewhere lost every requirement.
func TestCourseRequiresColumn(t *testing.T) {
	db := MustCatalogueDB(t)
	MustRun(t, db, MustFile(t, "c.csv", "code,title,area,requires\nR-1,A,crisis-management,\"adl, clearance\"\nR-2,B,crisis-management,adl\nR-3,C,crisis-management,\n"), Options{Kind: "courses"})
	MustRun(t, db, MustFile(t, "e.csv", "code,requires\nR-2,none\nR-1,\nR-3,clearance\n"), Options{Kind: "courses"})
	got := MustQuery[string](t, db, `SELECT string_agg(code || '=' || requires, ';' ORDER BY code) FROM course WHERE code LIKE 'R-%'`)
	if got != "R-1=clearance,adl;R-2=;R-3=clearance" {
		t.Errorf("requires after import = %s", got)
	}
}
