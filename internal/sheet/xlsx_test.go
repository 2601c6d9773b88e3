package sheet

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
)

// xlsxBuilder writes test workbooks with excelize.
type xlsxBuilder struct {
	tb testing.TB
	f  *excelize.File
}

func (x *xlsxBuilder) set(sheet string, row, col int, v any) {
	x.tb.Helper()
	if idx, _ := x.f.GetSheetIndex(sheet); idx < 0 {
		if _, err := x.f.NewSheet(sheet); err != nil {
			x.tb.Fatal(err)
		}
	}
	cell, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		x.tb.Fatal(err)
	}
	if err := x.f.SetCellValue(sheet, cell, v); err != nil {
		x.tb.Fatal(err)
	}
}

func (x *xlsxBuilder) style(sheet string, row, col int, s *excelize.Style) {
	x.tb.Helper()
	id, err := x.f.NewStyle(s)
	if err != nil {
		x.tb.Fatal(err)
	}
	cell, _ := excelize.CoordinatesToCellName(col, row)
	if err := x.f.SetCellStyle(sheet, cell, cell, id); err != nil {
		x.tb.Fatal(err)
	}
}

// MustWorkbook builds a workbook with build and returns its bytes.
func MustWorkbook(tb testing.TB, build func(*xlsxBuilder)) []byte {
	tb.Helper()
	x := &xlsxBuilder{tb: tb, f: excelize.NewFile()}
	defer x.f.Close()
	if build != nil {
		build(x)
	}
	buf, err := x.f.WriteToBuffer()
	if err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadXLSXDates(t *testing.T) {
	custom := "dd/mm/yyyy"
	quoted := `0 "days"`
	for _, date1904 := range []bool{false, true} {
		t.Run(fmt.Sprintf("Date1904=%v", date1904), func(t *testing.T) {
			// 40973 is 2012-03-05 in the 1900 system; the 1904 system counts
			// 1462 days fewer.
			serial := 40973.0
			if date1904 {
				serial -= 1462
			}
			data := MustWorkbook(t, func(x *xlsxBuilder) {
				if date1904 {
					on := true
					if err := x.f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &on}); err != nil {
						t.Fatal(err)
					}
				}
				x.set("Sheet1", 1, 1, "start")
				x.set("Sheet1", 2, 1, serial)
				x.style("Sheet1", 2, 1, &excelize.Style{NumFmt: 14})
				x.set("Sheet1", 2, 2, serial)
				x.style("Sheet1", 2, 2, &excelize.Style{CustomNumFmt: &custom})
				x.set("Sheet1", 2, 3, serial+0.5)
				x.style("Sheet1", 2, 3, &excelize.Style{NumFmt: 22})
				x.set("Sheet1", 2, 4, serial) // General: a number, not a date
				x.set("Sheet1", 2, 5, 12)
				x.style("Sheet1", 2, 5, &excelize.Style{CustomNumFmt: &quoted})
				x.set("Sheet1", 2, 6, 1234.5)
				x.style("Sheet1", 2, 6, &excelize.Style{NumFmt: 4})
			})
			f := MustOpen(t, MustWriteFile(t, "dates.xlsx", data), Options{})
			if f.Date1904() != date1904 || f.Encoding() != "xlsx" {
				t.Fatalf("Date1904() = %v, Encoding() = %q", f.Date1904(), f.Encoding())
			}
			rows, err := readAll(t, f, "")
			if err != nil {
				t.Fatal(err)
			}
			c := rows[1].Cells
			want := time.Date(2012, 3, 5, 0, 0, 0, 0, time.UTC)
			for i, wantDate := range []bool{true, true, true, false, false, false} {
				if c[i].IsDate != wantDate {
					t.Errorf("cell %d (%q): IsDate = %v, want %v", i+1, c[i].Text, c[i].IsDate, wantDate)
				}
			}
			if !c[0].Time.Equal(want) || !c[1].Time.Equal(want) || !c[2].Time.Equal(want.Add(12*time.Hour)) {
				t.Errorf("times = %v, %v, %v", c[0].Time, c[1].Time, c[2].Time)
			}
			if c[3].Text != fmt.Sprint(serial) || c[5].Text != "1234.5" {
				t.Errorf("raw numbers = %q, %q", c[3].Text, c[5].Text)
			}
			for i := 0; i < 3; i++ {
				if got, err := CellDate(c[i], DMY); err != nil || got != "2012-03-05" {
					t.Errorf("CellDate(cell %d) = %q, %v", i+1, got, err)
				}
			}
			// A serial in a General cell follows the workbook's date system
			// through File.Date.
			if got, err := f.Date(c[3], DMY); err != nil || got != "2012-03-05" {
				t.Errorf("File.Date(General serial) = %q, %v", got, err)
			}
			if got, err := f.Date(Cell{Text: "5/3/2012"}, DMY); err != nil || got != "2012-03-05" {
				t.Errorf("File.Date(text) = %q, %v", got, err)
			}
		})
	}
}

func TestReadXLSXRowNumbersSheetsAndValues(t *testing.T) {
	data := MustWorkbook(t, func(x *xlsxBuilder) {
		x.set("Sheet1", 1, 1, "ignored")
		x.set("People", 1, 1, "Name")
		x.set("People", 1, 2, "Rank")
		x.set("People", 1, 3, "Active")
		x.set("People", 2, 1, "Ali")
		x.set("People", 2, 3, true)
		x.set("People", 5, 2, "Col")
		x.set("People", 6, 1, "tab\there")
		x.set("People", 7, 28, 3.25)
	})
	f := MustOpen(t, MustWriteFile(t, "book.xlsx", data), Options{Sheet: "PEOPLE"})
	if f.Name() != "book.xlsx" {
		t.Errorf("Name() = %q", f.Name())
	}
	if diff := cmp.Diff([]string{"Sheet1", "People"}, f.Sheets()); diff != "" {
		t.Errorf("Sheets() (-want +got):\n%s", diff)
	}
	rows, err := readAll(t, f, "")
	if err != nil {
		t.Fatal(err)
	}
	got := map[int][]string{}
	for _, r := range rows {
		var texts []string
		for _, c := range r.Cells {
			texts = append(texts, c.Text)
		}
		got[r.Num] = texts
	}
	row7 := make([]string, 28)
	row7[27] = "3.25"
	want := map[int][]string{
		1: {"Name", "Rank", "Active"},
		2: {"Ali", "", "TRUE"},
		5: {"", "Col"},
		6: {"tab\there"},
		7: row7,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows by number (-want +got):\n%s", diff)
	}
	other, err := readAll(t, f, "sheet1")
	if err != nil || len(other) != 1 || other[0].Cells[0].Text != "ignored" {
		t.Errorf("Rows(\"sheet1\") = %v, %v", other, err)
	}
}

// TestReadXLSXAgreesWithExcelize cross-checks the streaming reader against
// excelize's own raw values on a workbook with shared strings, numbers,
// booleans, formulas and Arabic text.
func TestReadXLSXAgreesWithExcelize(t *testing.T) {
	data := MustWorkbook(t, func(x *xlsxBuilder) {
		for r := 1; r <= 60; r++ {
			x.set("Sheet1", r, 1, fmt.Sprintf("name %d", r%7))
			x.set("Sheet1", r, 2, r*3)
			x.set("Sheet1", r, 3, float64(r)/8)
			x.set("Sheet1", r, 4, "وزارة الدفاع & <co>")
			if r%5 == 0 {
				x.set("Sheet1", r, 6, r%2 == 0)
			}
		}
		if err := x.f.SetCellFormula("Sheet1", "G1", "B1*2"); err != nil {
			t.Fatal(err)
		}
	})
	p := MustWriteFile(t, "cross.xlsx", data)
	xf, err := excelize.OpenFile(p)
	if err != nil {
		t.Fatal(err)
	}
	defer xf.Close()
	want, err := xf.GetRows("Sheet1", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	f := MustOpen(t, p, Options{})
	rows, err := readAll(t, f, "")
	if err != nil {
		t.Fatal(err)
	}
	var got [][]string
	for _, r := range rows {
		var texts []string
		for _, c := range r.Cells {
			texts = append(texts, c.Text)
		}
		for len(texts) > 0 && texts[len(texts)-1] == "" {
			texts = texts[:len(texts)-1]
		}
		got = append(got, texts)
	}
	// excelize gives booleans as 1/0 in raw mode; this package as TRUE/FALSE.
	for r, row := range want {
		for len(row) > 0 && row[len(row)-1] == "" {
			row = row[:len(row)-1]
		}
		want[r] = row
		for i, v := range row {
			if i == 5 {
				row[i] = map[string]string{"1": "TRUE", "0": "FALSE", "": ""}[v]
			}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows differ from excelize (-excelize +sheet):\n%s", diff)
	}
}

func TestReadXLSXDamagedSheetIsRowError(t *testing.T) {
	sheet := `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row>` +
		`<row r="2"><c r="A2" t="s"><v>7</v></c></row></sheetData></worksheet>`
	data := mustZip(t, map[string]string{
		"xl/workbook.xml":            `<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml":   sheet,
	})
	f := MustOpen(t, MustWriteFile(t, "hand.xlsx", data), Options{})
	rows, err := readAll(t, f, "data")
	if len(rows) != 1 || rows[0].Cells[0].Text != "name" {
		t.Errorf("rows = %v", rows)
	}
	want := `hand.xlsx:2: sheet "Data" is damaged: cell A2 refers to shared string "7", which does not exist`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("error = %v, want prefix %q", err, want)
	}
}

func TestIsDateFormat(t *testing.T) {
	for code, want := range map[string]bool{
		"dd/mm/yyyy": true, "yyyy-mm-dd hh:mm": true, "[$-409]d-mmm-yy;@": true, "h:mm AM/PM": true,
		"General": false, "0.00": false, `#,##0 "days"`: false, "[Red]0.00": false, `0\d`: false, "0.00E+00": false, "_(* #,##0_)": false,
	} {
		if got := isDateFormat(code); got != want {
			t.Errorf("isDateFormat(%q) = %v, want %v", code, got, want)
		}
	}
}
