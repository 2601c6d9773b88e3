package xlsx_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/nomtrack/nomtrack/internal/sheet"
	"github.com/nomtrack/nomtrack/internal/xlsx"
)

// MustWrite builds a workbook with fill and returns its bytes.
func MustWrite(tb testing.TB, fill func(w *xlsx.Writer) error) []byte {
	tb.Helper()
	var buf bytes.Buffer
	w := xlsx.NewWriter(&buf)
	if err := fill(w); err != nil {
		tb.Fatal(err)
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// MustOpen opens written bytes with excelize, the independent reader.
func MustOpen(tb testing.TB, data []byte) *excelize.File {
	tb.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { f.Close() })
	return f
}

// MustPart returns one zip entry of a workbook.
func MustPart(tb testing.TB, data []byte, name string) []byte {
	tb.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		tb.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				tb.Fatal(err)
			}
			defer rc.Close()
			body, err := io.ReadAll(rc)
			if err != nil {
				tb.Fatal(err)
			}
			return body
		}
	}
	tb.Fatalf("the workbook has no part %s", name)
	return nil
}

// MustSheetRows reads every sheet back with internal/sheet's streaming
// reader, by sheet name.
func MustSheetRows(tb testing.TB, data []byte) map[string][][]sheet.Cell {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "book.xlsx")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		tb.Fatal(err)
	}
	f, err := sheet.Open(path, sheet.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	out := map[string][][]sheet.Cell{}
	for _, name := range f.Sheets() {
		rows, err := f.Rows(name)
		if err != nil {
			tb.Fatal(err)
		}
		for rows.Next() {
			out[name] = append(out[name], append([]sheet.Cell(nil), rows.Row().Cells...))
		}
		if err := rows.Err(); err != nil {
			tb.Fatal(err)
		}
		rows.Close()
	}
	return out
}

// report writes a workbook shaped like `report year`'s: a Summary sheet
// holding a chart of the Years sheet, then the Years sheet.
func report(w *xlsx.Writer) error {
	bold := w.AddStyle(xlsx.Style{Bold: true})
	pct := w.AddStyle(xlsx.Style{NumFmt: xlsx.Percent2})
	widths := []float64{14, 14, 14}
	if err := w.NewSheet("Summary", xlsx.SheetOptions{ColWidths: widths[:2], FreezeRows: 1}); err != nil {
		return err
	}
	rows := [][]xlsx.Cell{
		{xlsx.Text("figure").WithStyle(bold), xlsx.Text("value").WithStyle(bold)},
		{xlsx.Text("year"), xlsx.Int(2012)},
		{xlsx.Text("utilisation"), xlsx.Float(0.824).WithStyle(pct)},
		{xlsx.Text("none yet"), xlsx.Empty().WithStyle(pct)},
		{xlsx.Text("flag"), xlsx.Bool(true)},
	}
	for _, r := range rows {
		if err := w.WriteRow(r...); err != nil {
			return err
		}
	}
	series := func(col int, color string) xlsx.Series {
		return xlsx.Series{Name: xlsx.Range("Years", col, 1, col, 1), Categories: xlsx.Range("Years", 1, 2, 1, 3),
			Values: xlsx.Range("Years", col, 2, col, 3), Color: color}
	}
	if err := w.AddChart("D2", xlsx.ColumnChart{Title: "Participation against capacity by year",
		Series: []xlsx.Series{series(2, "DBE4EE"), series(3, "1F5FA8")}, Legend: xlsx.LegendBottom, OffsetX: 10, OffsetY: 10}); err != nil {
		return err
	}
	if err := w.NewSheet("Years", xlsx.SheetOptions{ColWidths: widths, FreezeRows: 1}); err != nil {
		return err
	}
	for _, r := range [][]xlsx.Cell{
		{xlsx.Text("year").WithStyle(bold), xlsx.Text("capacity").WithStyle(bold), xlsx.Text("participated").WithStyle(bold)},
		{xlsx.Int(2011), xlsx.Int(8), xlsx.Int(9)},
		{xlsx.Int(2012), xlsx.Int(10), xlsx.Int(4)},
	} {
		if err := w.WriteRow(r...); err != nil {
			return err
		}
	}
	return nil
}

func TestReportWorkbookReadsBackInExcelize(t *testing.T) {
	data := MustWrite(t, report)
	f := MustOpen(t, data)
	if diff := cmp.Diff([]string{"Summary", "Years"}, f.GetSheetList()); diff != "" {
		t.Errorf("sheets (-want +got):\n%s", diff)
	}
	for _, c := range []struct {
		sheet, cell, raw, shown string
		typ                     excelize.CellType
	}{
		{"Summary", "A1", "figure", "figure", excelize.CellTypeInlineString},
		{"Summary", "B2", "2012", "2012", excelize.CellTypeUnset},
		{"Summary", "B3", "0.824", "82.40%", excelize.CellTypeUnset},
		{"Summary", "B4", "", "", excelize.CellTypeUnset},
		{"Summary", "B5", "1", "TRUE", excelize.CellTypeBool},
		{"Years", "C3", "4", "4", excelize.CellTypeUnset},
	} {
		typ, err := f.GetCellType(c.sheet, c.cell)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := f.GetCellValue(c.sheet, c.cell, excelize.Options{RawCellValue: true})
		shown, _ := f.GetCellValue(c.sheet, c.cell)
		if typ != c.typ || raw != c.raw || shown != c.shown {
			t.Errorf("%s!%s = %q shown %q, type %v; want %q shown %q, type %v", c.sheet, c.cell, raw, shown, typ, c.raw, c.shown, c.typ)
		}
	}

	style := func(sheet, cell string) *excelize.Style {
		t.Helper()
		id, err := f.GetCellStyle(sheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		s, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	for _, cell := range []string{"A1", "B1"} {
		if s := style("Summary", cell); s.Font == nil || !s.Font.Bold {
			t.Errorf("Summary!%s is not bold: %+v", cell, s.Font)
		}
	}
	if s := style("Summary", "A2"); s.Font != nil && s.Font.Bold {
		t.Error("Summary!A2 is bold; only the header should be")
	}
	for _, cell := range []string{"B3", "B4"} {
		if s := style("Summary", cell); s.NumFmt != 10 {
			t.Errorf("Summary!%s has number format %d, want 10 (0.00%%)", cell, s.NumFmt)
		}
	}

	for sheet, cols := range map[string][]string{"Summary": {"A", "B"}, "Years": {"A", "B", "C"}} {
		for _, col := range cols {
			if w, _ := f.GetColWidth(sheet, col); w != 14 {
				t.Errorf("%s column %s is %v wide, want 14", sheet, col, w)
			}
		}
		panes, err := f.GetPanes(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if !panes.Freeze || panes.YSplit != 1 || panes.XSplit != 0 || panes.TopLeftCell != "A2" {
			t.Errorf("%s panes = %+v, want the first row frozen", sheet, panes)
		}
	}
	if w, _ := f.GetColWidth("Summary", "C"); w == 14 {
		t.Error("Summary column C has the custom width; only A and B were given one")
	}
}

// chartPart is what the tests read of a chart; names match any namespace.
type chartPart struct {
	Title  string `xml:"chart>title>tx>rich>p>r>t"`
	BarDir struct {
		Val string `xml:"val,attr"`
	} `xml:"chart>plotArea>barChart>barDir"`
	Grouping struct {
		Val string `xml:"val,attr"`
	} `xml:"chart>plotArea>barChart>grouping"`
	VaryColors struct {
		Val string `xml:"val,attr"`
	} `xml:"chart>plotArea>barChart>varyColors"`
	Series []struct {
		Name   string `xml:"tx>strRef>f"`
		Cats   string `xml:"cat>strRef>f"`
		Values string `xml:"val>numRef>f"`
		Fill   struct {
			Val string `xml:"val,attr"`
		} `xml:"spPr>solidFill>srgbClr"`
	} `xml:"chart>plotArea>barChart>ser"`
	Legend struct {
		Val string `xml:"val,attr"`
	} `xml:"chart>legend>legendPos"`
}

func TestChartHasTwoSeriesOverTheirRanges(t *testing.T) {
	data := MustWrite(t, report)
	var c chartPart
	if err := xml.Unmarshal(MustPart(t, data, "xl/charts/chart1.xml"), &c); err != nil {
		t.Fatal(err)
	}
	if c.Title != "Participation against capacity by year" || c.BarDir.Val != "col" || c.Grouping.Val != "clustered" ||
		c.VaryColors.Val != "0" || c.Legend.Val != "b" {
		t.Errorf("chart = %+v, want a titled clustered column chart, one colour per series, legend at the bottom", c)
	}
	type ser struct{ Name, Cats, Values, Fill string }
	var got []ser
	for _, s := range c.Series {
		got = append(got, ser{s.Name, s.Cats, s.Values, s.Fill.Val})
	}
	want := []ser{
		{"Years!$B$1", "Years!$A$2:$A$3", "Years!$B$2:$B$3", "DBE4EE"},
		{"Years!$C$1", "Years!$A$2:$A$3", "Years!$C$2:$C$3", "1F5FA8"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("series (-want +got):\n%s", diff)
	}

	// The chart hangs from the sheet it was added to, through its drawing.
	if rels := string(MustPart(t, data, "xl/worksheets/_rels/sheet1.xml.rels")); !strings.Contains(rels, `Target="../drawings/drawing1.xml"`) {
		t.Errorf("Summary's relationships do not name the drawing: %s", rels)
	}
	if sheet := string(MustPart(t, data, "xl/worksheets/sheet1.xml")); !strings.HasSuffix(sheet, `</sheetData><drawing r:id="rId1"/></worksheet>`) {
		t.Error("Summary does not refer to its drawing after its data")
	}
	if rels := string(MustPart(t, data, "xl/drawings/_rels/drawing1.xml.rels")); !strings.Contains(rels, `Target="../charts/chart1.xml"`) {
		t.Errorf("the drawing's relationships do not name the chart: %s", rels)
	}
	types := string(MustPart(t, data, "[Content_Types].xml"))
	for _, part := range []string{"/xl/drawings/drawing1.xml", "/xl/charts/chart1.xml"} {
		if !strings.Contains(types, `PartName="`+part+`"`) {
			t.Errorf("[Content_Types].xml does not declare %s", part)
		}
	}
}

// anchor is what the tests read of a drawing's two-cell anchor.
type anchor struct {
	From cellPos `xml:"twoCellAnchor>from"`
	To   cellPos `xml:"twoCellAnchor>to"`
}

type cellPos struct {
	Col    int `xml:"col"`
	ColOff int `xml:"colOff"`
	Row    int `xml:"row"`
	RowOff int `xml:"rowOff"`
}

func TestChartIsAnchoredWhereExcelizePutIt(t *testing.T) {
	for _, c := range []struct {
		cell   string
		widths []float64
		want   anchor
	}{
		// The positions excelize v2.11.1 wrote for the report charts: a
		// 480x290 chart 10 px from the top-left of D2 (Summary) or I2 (Years).
		{"D2", []float64{14, 14}, anchor{cellPos{3, 95250, 1, 95250}, cellPos{10, 400050, 16, 0}}},
		{"I2", []float64{14, 14, 14, 14, 14, 14, 14}, anchor{cellPos{8, 95250, 1, 95250}, cellPos{15, 400050, 16, 0}}},
		// Over custom widths: a column of width 14 is 98 px wide, so
		// 10+480 px end exactly where column F starts; of width 20, 140 px.
		{"A1", []float64{14, 14, 14, 14, 14, 14}, anchor{cellPos{0, 95250, 0, 95250}, cellPos{5, 0, 15, 0}}},
		{"B3", []float64{20, 20, 20, 20, 20, 20}, anchor{cellPos{1, 95250, 2, 95250}, cellPos{4, 666750, 17, 0}}},
	} {
		data := MustWrite(t, func(w *xlsx.Writer) error {
			if err := w.NewSheet("S", xlsx.SheetOptions{ColWidths: c.widths}); err != nil {
				return err
			}
			return w.AddChart(c.cell, xlsx.ColumnChart{Series: []xlsx.Series{{Values: "S!$A$1:$A$2"}}, OffsetX: 10, OffsetY: 10})
		})
		var got anchor
		if err := xml.Unmarshal(MustPart(t, data, "xl/drawings/drawing1.xml"), &got); err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("chart at %s: anchor %+v, want %+v", c.cell, got, c.want)
		}
	}
}

func TestEveryPartIsWellFormedXML(t *testing.T) {
	data := MustWrite(t, func(w *xlsx.Writer) error {
		if err := report(w); err != nil {
			return err
		}
		if err := w.NewSheet(`Q&A <"it's">`, xlsx.SheetOptions{}); err != nil {
			return err
		}
		return w.WriteRow(xlsx.Text("\x01<&>\r\n\x1f\uFFFE\xff]]>"), xlsx.Text(" "), xlsx.Text(""))
	})
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		d := xml.NewDecoder(rc)
		for {
			if _, err := d.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Errorf("%s: %v", f.Name, err)
				break
			}
		}
		rc.Close()
	}
	for _, want := range []string{"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
		"xl/styles.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml"} {
		if !contains(names, want) {
			t.Errorf("no part %s among %v", want, names)
		}
	}
	if got := MustOpen(t, data).GetSheetList(); !contains(got, `Q&A <"it's">`) {
		t.Errorf("sheets = %q, want the escaped name back", got)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestTextIsEscapedAndIllegalCharactersDropped(t *testing.T) {
	cases := []struct{ in, want string }{
		{`<b>Al-Saadi & Sons</b> "x" 'y'`, `<b>Al-Saadi & Sons</b> "x" 'y'`},
		{"bell\x07 and\x00 nul\x1b esc\x0b vt\x0c ff", "bell and nul esc vt ff"},
		{"tab\there\nline\r\nwindows", "tab\there\nline\r\nwindows"},
		{"  padded  ", "  padded  "},
		{"\nleading newline", "\nleading newline"},
		{"literal _x0041_ and _x005F_ kept", "literal _x0041_ and _x005F_ kept"},
		{"bad \xff\xfe utf8", "bad \uFFFD\uFFFD utf8"},
		{"non\uFFFEchar\uFFFF", "nonchar"},
		{"عربي 😀 ünï", "عربي 😀 ünï"},
		{"=1+1", "=1+1"}, // stored as text, never as a formula
	}
	data := MustWrite(t, func(w *xlsx.Writer) error {
		if err := w.NewSheet("Text", xlsx.SheetOptions{}); err != nil {
			return err
		}
		for _, c := range cases {
			if err := w.WriteRow(xlsx.Text(c.in)); err != nil {
				return err
			}
		}
		return nil
	})
	f := MustOpen(t, data)
	back := MustSheetRows(t, data)["Text"]
	for i, c := range cases {
		cell := xlsx.CellName(1, i+1)
		if got, _ := f.GetCellValue("Text", cell); got != c.want {
			t.Errorf("excelize reads %s as %q, want %q", cell, got, c.want)
		}
		if typ, _ := f.GetCellType("Text", cell); typ != excelize.CellTypeInlineString {
			t.Errorf("%s has type %v, want an inline string", cell, typ)
		}
		if f, _ := f.GetCellFormula("Text", cell); f != "" {
			t.Errorf("%s holds formula %q", cell, f)
		}
		if i >= len(back) || len(back[i]) == 0 || back[i][0].Text != c.want {
			t.Errorf("internal/sheet reads row %d as %+v, want %q", i+1, back[i:min(i+1, len(back))], c.want)
		}
	}
}

func TestLongTextIsCutAtExcelsLimit(t *testing.T) {
	long := strings.Repeat("ab", xlsx.MaxCellChars)                  // 65534 characters
	emoji := strings.Repeat("x", xlsx.MaxCellChars-1) + "😀" + "tail" // the pair would straddle the limit
	data := MustWrite(t, func(w *xlsx.Writer) error {
		if err := w.NewSheet("Long", xlsx.SheetOptions{}); err != nil {
			return err
		}
		if err := w.WriteRow(xlsx.Text(long)); err != nil {
			return err
		}
		return w.WriteRow(xlsx.Text(emoji))
	})
	back := MustSheetRows(t, data)["Long"]
	if got := back[0][0].Text; got != long[:xlsx.MaxCellChars] {
		t.Errorf("long text read back as %d characters, want the first %d", len(got), xlsx.MaxCellChars)
	}
	if got := back[1][0].Text; got != emoji[:xlsx.MaxCellChars-1] {
		t.Errorf("text read back as %d bytes ending %q, want it cut before the emoji", len(got), got[max(0, len(got)-8):])
	}
}

func TestNumbersStayNumbers(t *testing.T) {
	third := 1.0
	third /= 3
	values := []xlsx.Cell{xlsx.Int(0), xlsx.Int(-42), xlsx.Int(math.MaxInt32 + 1), xlsx.Float(1500.5), xlsx.Float(third),
		xlsx.Float(-1e-9), xlsx.Float(1e22), xlsx.Float(1234567.0)}
	want := []string{"0", "-42", "2147483648", "1500.5", "0.3333333333333333", "-1E-09", "1E+22", "1234567"}
	data := MustWrite(t, func(w *xlsx.Writer) error {
		if err := w.NewSheet("N", xlsx.SheetOptions{}); err != nil {
			return err
		}
		return w.WriteRow(values...)
	})
	f := MustOpen(t, data)
	back := MustSheetRows(t, data)["N"][0]
	for i, w := range want {
		cell := xlsx.CellName(i+1, 1)
		raw, _ := f.GetCellValue("N", cell, excelize.Options{RawCellValue: true})
		typ, _ := f.GetCellType("N", cell)
		if raw != w || typ != excelize.CellTypeUnset {
			t.Errorf("%s = %q of type %v, want the number %s", cell, raw, typ, w)
		}
		if back[i].Text != w || back[i].IsDate {
			t.Errorf("internal/sheet reads %s as %+v, want %s", cell, back[i], w)
		}
		if n, err := strconv.ParseFloat(raw, 64); err != nil {
			t.Errorf("%s = %q does not parse as a number: %v", cell, raw, err)
		} else if i >= 3 && n != []float64{1500.5, third, -1e-9, 1e22, 1234567}[i-3] {
			t.Errorf("%s = %v, not the value written", cell, n)
		}
	}
}

func TestRowWithNaNIsRefusedAndSheetStaysWhole(t *testing.T) {
	var buf bytes.Buffer
	w := xlsx.NewWriter(&buf)
	if err := w.NewSheet("Data", xlsx.SheetOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteRow(xlsx.Text("first")); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []xlsx.Cell{xlsx.Float(math.NaN()), xlsx.Float(math.Inf(-1)), xlsx.Text("x").WithStyle(7)} {
		err := w.WriteRow(xlsx.Text("half written"), bad)
		if err == nil || !strings.Contains(err.Error(), `cell B2 of sheet "Data"`) {
			t.Errorf("a row holding %+v: error %v, want one naming cell B2 of sheet Data", bad, err)
		}
	}
	if err := w.WriteRow(xlsx.Text("second")); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	rows, err := MustOpen(t, buf.Bytes()).GetRows("Data")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([][]string{{"first"}, {"second"}}, rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

func TestSheetNamesAreChecked(t *testing.T) {
	w := xlsx.NewWriter(io.Discard)
	for _, name := range []string{"", strings.Repeat("n", 32), "a/b", `a\b`, "a?", "a*", "a:b", "[a]", "'quoted'", "history", "bell\x07", "two\nlines", "bad \xff"} {
		if err := w.NewSheet(name, xlsx.SheetOptions{}); err == nil {
			t.Errorf("sheet name %q was accepted", name)
		}
	}
	for _, name := range []string{strings.Repeat("ن", 31), "Rejects", "it's", "People & Courses"} {
		if err := w.NewSheet(name, xlsx.SheetOptions{}); err != nil {
			t.Errorf("sheet name %q was refused: %v", name, err)
		}
	}
	if err := w.NewSheet("REJECTS", xlsx.SheetOptions{}); err == nil {
		t.Error("a second sheet named Rejects (in other case) was accepted")
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteRow(xlsx.Text("late")); err == nil {
		t.Error("WriteRow after Close succeeded")
	}
}

func TestWorkbookWithoutSheetsGetsOne(t *testing.T) {
	data := MustWrite(t, func(*xlsx.Writer) error { return nil })
	if got := MustOpen(t, data).GetSheetList(); !cmp.Equal(got, []string{"Sheet1"}) {
		t.Errorf("sheets = %q, want [Sheet1]", got)
	}
}

func TestWriteRowBeforeNewSheetFails(t *testing.T) {
	w := xlsx.NewWriter(io.Discard)
	if err := w.WriteRow(xlsx.Int(1)); err == nil {
		t.Error("WriteRow before NewSheet succeeded")
	}
	if err := w.AddChart("A1", xlsx.ColumnChart{Series: []xlsx.Series{{Values: "S!$A$1"}}}); err == nil {
		t.Error("AddChart before NewSheet succeeded")
	}
}

func TestChartArgumentsAreChecked(t *testing.T) {
	w := xlsx.NewWriter(io.Discard)
	if err := w.NewSheet("S", xlsx.SheetOptions{}); err != nil {
		t.Fatal(err)
	}
	ok := xlsx.Series{Values: "S!$A$1:$A$2"}
	for name, c := range map[string]struct {
		cell  string
		chart xlsx.ColumnChart
	}{
		"bad cell":     {"2D", xlsx.ColumnChart{Series: []xlsx.Series{ok}}},
		"no series":    {"D2", xlsx.ColumnChart{}},
		"no values":    {"D2", xlsx.ColumnChart{Series: []xlsx.Series{{Name: "S!$A$1"}}}},
		"bad colour":   {"D2", xlsx.ColumnChart{Series: []xlsx.Series{{Values: ok.Values, Color: "blue"}}}},
		"bad legend":   {"D2", xlsx.ColumnChart{Series: []xlsx.Series{ok}, Legend: "bottom"}},
		"negative fit": {"D2", xlsx.ColumnChart{Series: []xlsx.Series{ok}, Width: -1}},
	} {
		if err := w.AddChart(c.cell, c.chart); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestRangeQuotesSheetNamesWhenNeeded(t *testing.T) {
	for _, c := range []struct {
		sheet                  string
		col1, row1, col2, row2 int
		want                   string
	}{
		{"Years", 2, 2, 2, 4, "Years!$B$2:$B$4"},
		{"Years", 2, 1, 2, 1, "Years!$B$1"},
		{"By year", 1, 1, 28, 3, "'By year'!$A$1:$AB$3"},
		{"Q1", 1, 1, 1, 1, "'Q1'!$A$1"},
		{"it's", 1, 1, 1, 1, "'it''s'!$A$1"},
		{"R", 1, 1, 1, 1, "'R'!$A$1"},
	} {
		if got := xlsx.Range(c.sheet, c.col1, c.row1, c.col2, c.row2); got != c.want {
			t.Errorf("Range(%q, ...) = %q, want %q", c.sheet, got, c.want)
		}
	}
	for col, want := range map[int]string{1: "A", 26: "Z", 27: "AA", 702: "ZZ", 703: "AAA", xlsx.MaxColumns: "XFD"} {
		if got := xlsx.ColumnName(col); got != want {
			t.Errorf("ColumnName(%d) = %q, want %q", col, got, want)
		}
	}
}

func TestStylesAreSharedBySameLook(t *testing.T) {
	w := xlsx.NewWriter(io.Discard)
	bold := w.AddStyle(xlsx.Style{Bold: true})
	if again := w.AddStyle(xlsx.Style{Bold: true}); again != bold {
		t.Errorf("the same style registered twice got ids %d and %d", bold, again)
	}
	if pct := w.AddStyle(xlsx.Style{NumFmt: xlsx.Percent2}); pct == bold {
		t.Error("two different styles share an id")
	}
	if def := w.AddStyle(xlsx.Style{}); def != 0 {
		t.Errorf("the default style got id %d, want 0", def)
	}
}

// failWriter fails after n bytes, as a full disk does.
type failWriter struct{ n int }

func (f *failWriter) Write(p []byte) (int, error) {
	if f.n -= len(p); f.n < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestWriteFailureIsReportedAndSticks(t *testing.T) {
	w := xlsx.NewWriter(&failWriter{n: 4096})
	if err := w.NewSheet("Data", xlsx.SheetOptions{}); err != nil {
		t.Fatal(err)
	}
	var err error
	for i := 0; i < 100000 && err == nil; i++ {
		err = w.WriteRow(xlsx.Int(int64(i)), xlsx.Text("some text that takes room "+strconv.Itoa(i*7919)))
	}
	if err == nil {
		err = w.Close()
	}
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("error = %v, want the write failure", err)
	}
	if again := w.Close(); again == nil {
		t.Error("Close after a failed write succeeded")
	}
}

func TestNumberFormatBeyondBuiltInsIsWrittenAsGeneral(t *testing.T) {
	data := MustWrite(t, func(w *xlsx.Writer) error {
		odd := w.AddStyle(xlsx.Style{NumFmt: 200})
		if err := w.NewSheet("S", xlsx.SheetOptions{}); err != nil {
			return err
		}
		return w.WriteRow(xlsx.Float(0.5).WithStyle(odd))
	})
	f := MustOpen(t, data)
	id, _ := f.GetCellStyle("S", "A1")
	if s, err := f.GetStyle(id); err != nil || s.NumFmt != 0 {
		t.Errorf("style %+v (%v), want number format 0 (General)", s, err)
	}
	if v, _ := f.GetCellValue("S", "A1"); v != "0.5" {
		t.Errorf("A1 shows %q, want 0.5", v)
	}
}

func TestDateCellsReadBackAsDays(t *testing.T) {
	if _, ok := xlsx.Date(1900, time.February, 28); ok {
		t.Error("a day before 1900-03-01 (off by Excel's phantom leap day) was given a serial")
	}
	data := MustWrite(t, func(w *xlsx.Writer) error {
		day := w.AddStyle(xlsx.Style{NumFmt: xlsx.ISODate})
		if err := w.NewSheet("S", xlsx.SheetOptions{}); err != nil {
			return err
		}
		var row []xlsx.Cell
		for _, d := range []time.Time{time.Date(2012, 3, 5, 0, 0, 0, 0, time.UTC), time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC),
			time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)} {
			c, ok := xlsx.Date(d.Year(), d.Month(), d.Day())
			if !ok {
				t.Fatalf("no serial for %s", d)
			}
			row = append(row, c.WithStyle(day))
		}
		return w.WriteRow(row...)
	})
	f := MustOpen(t, data)
	for ref, want := range map[string][2]string{"A1": {"40973", "2012-03-05"}, "B1": {"61", "1900-03-01"}, "C1": {"2958465", "9999-12-31"}} {
		raw, _ := f.GetCellValue("S", ref, excelize.Options{RawCellValue: true})
		shown, _ := f.GetCellValue("S", ref)
		if raw != want[0] || shown != want[1] {
			t.Errorf("%s = %q shown %q, want %q shown %q", ref, raw, shown, want[0], want[1])
		}
	}
	for i, c := range MustSheetRows(t, data)["S"][0] {
		if !c.IsDate {
			t.Errorf("internal/sheet reads cell %d (%q) as no date", i, c.Text)
		}
	}
	if got := MustSheetRows(t, data)["S"][0][0].Time.Format("2006-01-02"); got != "2012-03-05" {
		t.Errorf("internal/sheet reads A1 as %s", got)
	}
}
