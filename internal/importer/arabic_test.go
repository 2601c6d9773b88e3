package importer

import (
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// arabicCSV is an Arabic-first ministry sheet as issue 13 describes it:
// Arabic headers, Arabic names, statuses and rank titles, dates with Iraqi
// month names in Arabic-Indic digits, and no flags.
const arabicCSV = "الرقم,الاسم,الوزارة,الرتبة,الجنس,الدورة,تاريخ البدء,الحالة,الصفة\n" +
	"MOD-11,أحمد جاسم الربيعي,MoD,عقيد ركن,ذكر,M5-106,٥ آذار ٢٠١٢,مرشح,أصيل\n" +
	"MOD-12,زينب علي حسن,MoD,مقدم,انثى,M5-106,الاثنين 5 آذار 2012,مرشحة,احتياط\n" +
	"MOI-21,حيدر كاظم,MoI,لواء شرطة,ذكر,CT-210,16 نيسان 2012,مقبولة,\n" +
	",علي حسين,MoI,مدير عام,ذكر,CT-210,16 أبريل 2012,ملغاة,بديل\n"

func TestImportArabicSheet(t *testing.T) {
	db := MustCatalogueDB(t)
	path := MustFile(t, "arabic.csv", arabicCSV)
	sum := MustRun(t, db, path, Options{})
	if sum.Kind != "nominations" || sum.Created != 4 || sum.PeopleCreated != 4 || len(sum.Warnings) != 0 {
		t.Fatalf("summary = %+v", sum)
	}
	type person struct{ Name, NameAr, RankCode, Gender string }
	for ref, want := range map[string]person{
		"MOD-11": {"", "أحمد جاسم الربيعي", "OF-5", "M"},
		"MOD-12": {"", "زينب علي حسن", "OF-4", "F"},
		"MOI-21": {"", "حيدر كاظم", "OF-7", "M"},
	} {
		var got person
		got.Name = MustQuery[string](t, db, "SELECT name FROM person WHERE ref = ?", ref)
		got.NameAr = MustQuery[string](t, db, "SELECT name_ar FROM person WHERE ref = ?", ref)
		got.RankCode = MustQuery[string](t, db, "SELECT rank_code FROM person WHERE ref = ?", ref)
		got.Gender = MustQuery[string](t, db, "SELECT gender FROM person WHERE ref = ?", ref)
		if got != want {
			t.Errorf("%s = %+v, want %+v", ref, got, want)
		}
	}
	if code := MustQuery[string](t, db, "SELECT rank_code FROM person WHERE rank = 'مدير عام'"); code != "" {
		t.Errorf("a civilian grade got rank code %q", code)
	}
	statuses := MustQuery[string](t, db, "SELECT string_agg(status || '/' || role, ' ' ORDER BY id) FROM nomination")
	if want := "nominated/principal nominated/alternate approved/principal cancelled/alternate"; statuses != want {
		t.Errorf("statuses = %q, want %q", statuses, want)
	}

	// The same sheet again changes nothing: people known only by their
	// Arabic name are found again, by ref and, without one, by name.
	sum = MustRun(t, db, path, Options{})
	if sum.Unchanged != 4 || sum.PeopleCreated != 0 {
		t.Errorf("re-import: %+v", sum)
	}

	// A Latin spelling arrives later and is kept beside the Arabic name.
	MustRun(t, db, MustFile(t, "latin.csv", "ref,name,ministry\nMOD-11,Ahmed Jasim Al-Rubaie,MoD\n"), Options{Kind: "people"})
	if name, ar := MustQuery[string](t, db, "SELECT name FROM person WHERE ref = 'MOD-11'"), MustQuery[string](t, db, "SELECT name_ar FROM person WHERE ref = 'MOD-11'"); name != "Ahmed Jasim Al-Rubaie" || ar != "أحمد جاسم الربيعي" {
		t.Errorf("after a Latin spelling: name %q, name_ar %q", name, ar)
	}
}

func TestImportRankCodeGivenWins(t *testing.T) {
	db := MustDB(t)
	MustRun(t, db, MustFile(t, "p.csv", "ref,name,ministry,rank,rank_code\nA-1,Ali Hasan,MoD,Colonel,OF-4\nA-2,Omar Said,MoD,Colonel,\nA-3,Sara Ali,MoD,Kaymakam,\n"),
		Options{Kind: "people", Ranks: mustRanks(t, map[string]string{"Kaymakam": "OF-4"})})
	got := MustQuery[string](t, db, "SELECT string_agg(rank_code, ' ' ORDER BY ref) FROM person")
	if got != "OF-4 OF-5 OF-4" {
		t.Errorf("rank codes = %q; want the given code first, then the title's, then the configured title's", got)
	}
}

func mustRanks(tb testing.TB, m map[string]string) *nomtrack.RankTitles {
	tb.Helper()
	rt, err := nomtrack.NewRankTitles(m)
	if err != nil {
		tb.Fatal(err)
	}
	return rt
}

// A workbook whose sheets are named in Arabic is a workbook too, its
// sheets read in dependency order, and a single-sheet xlsx gets its kind
// from its headers.
func TestImportArabicWorkbook(t *testing.T) {
	db := MustDB(t)
	f := excelize.NewFile()
	sheets := []struct {
		name string
		rows [][]any
	}{
		{"الترشيحات", [][]any{{"الرقم", "الاسم", "الوزارة", "الدورة", "تاريخ البدء", "الحالة"}, {"MOD-1", "علي حسن", "MoD", "M5-106", "5 آذار 2012", "مؤكد"}}},
		{"الدورات", [][]any{{"رمز الدورة", "عنوان الدورة", "المجال"}, {"M5-106", "Crisis Management", "crisis-management"}}},
		{"مواعيد الدورات", [][]any{{"الدورة", "تاريخ البدء", "المقاعد"}, {"M5-106", "2012-03-05", 4}}},
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
	if sum.Kind != KindWorkbook || len(sum.Sheets) != 3 || sum.Created != 3 {
		t.Fatalf("summary: %+v", sum)
	}
	if got := MustQuery[string](t, db, "SELECT status FROM nomination"); got != nomtrack.StatusConfirmed {
		t.Errorf("status = %q", got)
	}

	single := excelize.NewFile()
	single.SetSheetRow("Sheet1", "A1", &[]any{"الرقم", "الاسم", "الوزارة", "الرتبة"})
	single.SetSheetRow("Sheet1", "A2", &[]any{"MOD-2", "عمر سعيد", "MoD", "Col."})
	path = filepath.Join(t.TempDir(), "people.xlsx")
	if err := single.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	sum = MustRun(t, db, path, Options{})
	if sum.Kind != "people" || sum.ReadAs != "people: ref" || sum.Created != 1 {
		t.Errorf("single sheet: %+v", sum)
	}
	if got := MustQuery[string](t, db, "SELECT rank_code FROM person WHERE ref = 'MOD-2'"); got != "OF-5" {
		t.Errorf("rank_code = %q", got)
	}
}

// The script decides row by row: one Full Name column may hold Latin and
// Arabic names, and an Arabic name beside an Arabic name column stays put.
func TestImportNameColumnByScript(t *testing.T) {
	db := MustDB(t)
	MustRun(t, db, MustFile(t, "p.csv", "ref,Full Name,Arabic Name,ministry\nA-1,Ali Hasan,,MoD\nA-2,عمر سعيد,,MoD\nA-3,Sara Ali,سارة علي,MoD\n"), Options{})
	got := MustQuery[string](t, db, "SELECT string_agg(ref || '=' || name || '/' || name_ar, ' ' ORDER BY ref) FROM person")
	if want := "A-1=Ali Hasan/ A-2=/عمر سعيد A-3=Sara Ali/سارة علي"; got != want {
		t.Errorf("people = %q, want %q", got, want)
	}
}
