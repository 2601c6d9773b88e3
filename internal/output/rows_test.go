package output

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"go.yaml.in/yaml/v3"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/xlsx"
)

// typedRow is one cell of every kind, with the text and the formula-looking
// text a spreadsheet must not run.
var (
	typedHeader = []string{"text", "formula", "blank", "int", "negative", "decimal", "date", "empty", "bool", "no_date", "bad_date"}
	typedRow    = []Value{Text("Al-Saadi & Sons"), Text("=1+1"), Text(""), Int(42), Int(-7), Decimal(1500.5),
		Date("2012-03-05"), Empty(), Bool(true), Date(""), Date("2012-02-30")}
)

// writeRows writes the header and typedRow in format.
func writeRows(t *testing.T, format string, o RowOptions) []byte {
	t.Helper()
	var b bytes.Buffer
	rw, err := NewRowWriter(&b, format, typedHeader, o)
	if err != nil {
		t.Fatal(err)
	}
	if err := rw.WriteRow(typedRow...); err != nil {
		t.Fatal(err)
	}
	if err := rw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestRowWriterTypesEachCellOneWayPerFormat runs the same typed row through
// every format and checks the form of each cell: the rule of Kind.
func TestRowWriterTypesEachCellOneWayPerFormat(t *testing.T) {
	// Text forms: csv and tsv neutralise text (not numbers), md and the
	// table show it as is.
	wantText := []string{"Al-Saadi & Sons", "=1+1", "", "42", "-7", "1500.5", "2012-03-05", "", "true", "", "2012-02-30"}
	wantSafe := append([]string(nil), wantText...)
	wantSafe[1] = "'=1+1"

	t.Run("csv and tsv", func(t *testing.T) {
		for _, f := range []string{CSV, TSV} {
			r := csv.NewReader(bytes.NewReader(writeRows(t, f, RowOptions{})))
			if f == TSV {
				r.Comma = '\t'
			}
			recs, err := r.ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != 2 || strings.Join(recs[0], "|") != strings.Join(typedHeader, "|") {
				t.Fatalf("%s: records %q", f, recs)
			}
			for i, want := range wantSafe {
				if recs[1][i] != want {
					t.Errorf("%s: %s = %q, want %q", f, typedHeader[i], recs[1][i], want)
				}
			}
		}
	})

	// JSON: empty is null, empty text "", numbers numbers, dates strings,
	// text never neutralised (it is not opened in a spreadsheet).
	wantJSON := `{"text": "Al-Saadi & Sons", "formula": "=1+1", "blank": "", "int": 42, "negative": -7, "decimal": 1500.5, ` +
		`"date": "2012-03-05", "empty": null, "bool": true, "no_date": "", "bad_date": "2012-02-30"}`
	t.Run("json", func(t *testing.T) {
		if got, want := string(writeRows(t, JSON, RowOptions{})), "[\n  "+wantJSON+"\n]\n"; got != want {
			t.Errorf("json:\n%s\nwant\n%s", got, want)
		}
	})
	t.Run("jsonl", func(t *testing.T) {
		compact := strings.NewReplacer(`": `, `":`, `, "`, `,"`).Replace(wantJSON)
		if got := string(writeRows(t, JSONL, RowOptions{})); got != compact+"\n" {
			t.Errorf("jsonl:\n%s\nwant\n%s", got, compact)
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(compact), &m); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("yaml", func(t *testing.T) {
		var got []map[string]any
		if err := yaml.Unmarshal(writeRows(t, YAML, RowOptions{}), &got); err != nil {
			t.Fatal(err)
		}
		want := map[string]any{"text": "Al-Saadi & Sons", "formula": "=1+1", "blank": "", "int": 42, "negative": -7,
			"decimal": 1500.5, "date": "2012-03-05", "empty": nil, "bool": true, "no_date": "", "bad_date": "2012-02-30"}
		if len(got) != 1 {
			t.Fatalf("yaml: %v", got)
		}
		for k, v := range want {
			if g, ok := got[0][k]; !ok || g != v {
				t.Errorf("yaml: %s = %#v, want %#v", k, g, v)
			}
		}
	})
	t.Run("md", func(t *testing.T) {
		lines := strings.Split(strings.TrimSuffix(string(writeRows(t, MD, RowOptions{})), "\n"), "\n")
		if len(lines) != 3 {
			t.Fatalf("md: %q", lines)
		}
		cells := strings.Split(strings.TrimSuffix(strings.TrimPrefix(lines[2], "| "), " |"), " | ")
		for i, want := range wantText {
			if strings.TrimSpace(cells[i]) != want {
				t.Errorf("md: %s = %q, want %q", typedHeader[i], cells[i], want)
			}
		}
	})
	t.Run("table", func(t *testing.T) {
		lines := strings.Split(string(writeRows(t, Table, RowOptions{})), "\n")
		head, row := lines[0], lines[1]
		for i, want := range wantText {
			col := strings.Index(head, strings.ToUpper(strings.ReplaceAll(typedHeader[i], "_", " ")))
			got := ""
			if col < len(row) {
				got = strings.Fields(row[col:] + " ")[0]
				if want == "" || row[col] == ' ' {
					got = ""
				}
			}
			if first := strings.Fields(want + " "); len(first) > 0 && got != first[0] || len(first) == 0 && got != "" {
				t.Errorf("table: %s = %q, want %q\n%s\n%s", typedHeader[i], got, want, head, row)
			}
		}
	})
	t.Run("xlsx", func(t *testing.T) {
		f, err := excelize.OpenReader(bytes.NewReader(writeRows(t, XLSX, RowOptions{})))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		for i, c := range []struct {
			typ       excelize.CellType
			raw, show string
		}{
			{excelize.CellTypeInlineString, "Al-Saadi & Sons", "Al-Saadi & Sons"},
			{excelize.CellTypeInlineString, "'=1+1", "'=1+1"},
			{excelize.CellTypeUnset, "", ""}, // empty text: no value
			{excelize.CellTypeUnset, "42", "42"},
			{excelize.CellTypeUnset, "-7", "-7"},
			{excelize.CellTypeUnset, "1500.5", "1500.5"},
			{excelize.CellTypeUnset, "40973", "2012-03-05"}, // a date cell, shown YYYY-MM-DD
			{excelize.CellTypeUnset, "", ""},
			{excelize.CellTypeBool, "1", "TRUE"},
			{excelize.CellTypeUnset, "", ""},
			{excelize.CellTypeInlineString, "2012-02-30", "2012-02-30"}, // not a day: kept as text
		} {
			ref, _ := excelize.CoordinatesToCellName(i+1, 2)
			typ, err := f.GetCellType("Sheet1", ref)
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := f.GetCellValue("Sheet1", ref, excelize.Options{RawCellValue: true})
			show, _ := f.GetCellValue("Sheet1", ref)
			if typ != c.typ || raw != c.raw || show != c.show {
				t.Errorf("xlsx %s (%s): type %v, raw %q, shown %q; want %v, %q, %q", typedHeader[i], ref, typ, raw, show, c.typ, c.raw, c.show)
			}
		}
		if bold, _ := f.GetCellStyle("Sheet1", "A1"); bold == 0 {
			t.Error("xlsx: the header is not styled bold")
		}
	})
}

// TestRowWriterBeginsAnotherTable: a second table is a new sheet in xlsx
// and the header again in csv; a row longer than its header is kept in csv
// and refused where cells are named by the header.
func TestRowWriterBeginsAnotherTable(t *testing.T) {
	var b bytes.Buffer
	rw, err := NewRowWriter(&b, CSV, nil, RowOptions{})
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(rw.Begin("one", []string{"a", "@b"}))
	must(rw.WriteRow(Int(1), Text("x"), Text("extra")))
	must(rw.Begin("two", []string{"c"}))
	must(rw.WriteRow(Date("2012-03-05")))
	must(rw.Close())
	if got, want := b.String(), "a,'@b\n1,x,extra\nc\n2012-03-05\n"; got != want {
		t.Errorf("csv = %q, want %q", got, want)
	}

	var x bytes.Buffer
	rw, err = NewRowWriter(&x, XLSX, nil, RowOptions{})
	must(err)
	must(rw.Begin("One", []string{"a"}))
	must(rw.WriteRow(Int(1)))
	must(rw.Begin("Two", []string{"b"}))
	must(rw.WriteRow(Text("y")))
	must(rw.Close())
	f, err := excelize.OpenReader(&x)
	must(err)
	defer f.Close()
	if got := f.GetSheetList(); strings.Join(got, ",") != "One,Two" {
		t.Errorf("sheets = %q", got)
	}
	if v, _ := f.GetCellValue("Two", "A2"); v != "y" {
		t.Errorf("Two!A2 = %q", v)
	}

	for _, format := range []string{JSON, JSONL, YAML, MD, Table} {
		rw, err := NewRowWriter(&bytes.Buffer{}, format, []string{"a"}, RowOptions{})
		must(err)
		if err := rw.WriteRow(Int(1), Int(2)); err == nil {
			t.Errorf("%s: a row longer than its header was written", format)
		}
	}
}

// TestRowWriterEmptyOutputs: no rows is [] in json and yaml, nothing in
// jsonl, the header alone in csv.
func TestRowWriterEmptyOutputs(t *testing.T) {
	for format, want := range map[string]string{JSON: "[]\n", YAML: "[]\n", JSONL: "", CSV: "a,b\n", MD: "| a | b |\n| --- | --- |\n"} {
		var b bytes.Buffer
		rw, err := NewRowWriter(&b, format, []string{"a", "b"}, RowOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if err := rw.Close(); err != nil {
			t.Fatal(err)
		}
		if b.String() != want {
			t.Errorf("%s: %q, want %q", format, b.String(), want)
		}
	}
}

// TestValueOfTypesGoValues: the one rule that types the Go values commands
// put in their rows.
func TestValueOfTypesGoValues(t *testing.T) {
	n := 3
	var none *int
	for _, c := range []struct {
		in   any
		kind Kind
		text string
	}{
		{nil, KindEmpty, ""}, {none, KindEmpty, ""}, {&n, KindInt, "3"}, {int64(-2), KindInt, "-2"},
		{0.5, KindDecimal, "0.5"}, {1e21, KindDecimal, "1000000000000000000000"}, {"x", KindText, "x"},
		{false, KindBool, "false"}, {Date("2012-03-05"), KindDate, "2012-03-05"},
	} {
		v := ValueOf(c.in)
		if v.Kind() != c.kind || v.String() != c.text {
			t.Errorf("ValueOf(%#v) = kind %d %q; want kind %d %q", c.in, v.Kind(), v.String(), c.kind, c.text)
		}
	}
}

// TestXLSXRowsNeutraliseTextAndKeepNumbers reads back what an xlsx export
// writes: text that a spreadsheet would run gets an apostrophe, numbers are
// number cells, an unknown seat count is empty.
func TestXLSXRowsNeutraliseTextAndKeepNumbers(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewRowWriter(&buf, XLSX, []string{"course", "title", "seats", "fee"}, RowOptions{})
	if err != nil {
		t.Fatal(err)
	}
	four := 4
	if err := w.WriteRow(Values("M5-106", "=cmd|' /C calc'!A0", &four, 12.5)...); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteRow(Values("-X", "@SUM(A1)", (*int)(nil), 0.0)...); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for cell, want := range map[string]string{"B2": "'=cmd|' /C calc'!A0", "A3": "'-X", "B3": "'@SUM(A1)", "C2": "4", "D2": "12.5", "C3": ""} {
		got, err := f.GetCellValue("Sheet1", cell)
		if err != nil || got != want {
			t.Errorf("%s = %q (%v), want %q", cell, got, err, want)
		}
	}
	for _, cell := range []string{"C2", "D2"} {
		if typ, _ := f.GetCellType("Sheet1", cell); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("%s has type %v, want a number", cell, typ)
		}
	}
	if formula, _ := f.GetCellFormula("Sheet1", "B2"); formula != "" {
		t.Errorf("B2 became a formula: %q", formula)
	}
}

// TestCSVRowsWriteBOMOnlyWhenAsked checks export's --bom.
func TestCSVRowsWriteBOMOnlyWhenAsked(t *testing.T) {
	for _, bom := range []bool{false, true} {
		var buf bytes.Buffer
		w, err := NewRowWriter(&buf, CSV, []string{"code"}, RowOptions{BOM: bom})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.WriteRow(Text("+1")); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		want := "code\n'+1\n"
		if bom {
			want = "\uFEFF" + want
		}
		if buf.String() != want {
			t.Errorf("bom=%v: %q, want %q", bom, buf.String(), want)
		}
	}
}

// TestJSONRowsAreAnArrayOfObjects: an object a line, HTML characters kept,
// an unknown number null.
func TestJSONRowsAreAnArrayOfObjects(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewRowWriter(&buf, JSON, []string{"code", "seats"}, RowOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w.WriteRow(Values("A&B", (*int)(nil))...)
	w.WriteRow(Values("C", 3)...)
	w.Close()
	if want := "[\n  {\"code\": \"A&B\", \"seats\": null},\n  {\"code\": \"C\", \"seats\": 3}\n]\n"; buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}

// TestRatesAreDecimalsShownAsPercentages: a rate is a plain decimal in csv
// and json and a percentage-formatted number in a workbook; an undefined
// rate is empty everywhere, its workbook cell still formatted.
func TestRatesAreDecimalsShownAsPercentages(t *testing.T) {
	share := 0.824
	row := []Value{Rate(&share), Rate(nil)}
	var c bytes.Buffer
	rw, _ := NewRowWriter(&c, CSV, []string{"a", "b"}, RowOptions{})
	rw.WriteRow(row...)
	rw.Close()
	if c.String() != "a,b\n0.824,\n" {
		t.Errorf("csv = %q", c.String())
	}
	var j bytes.Buffer
	rw, _ = NewRowWriter(&j, JSONL, []string{"a", "b"}, RowOptions{})
	rw.WriteRow(row...)
	rw.Close()
	if j.String() != `{"a":0.824,"b":null}`+"\n" {
		t.Errorf("jsonl = %q", j.String())
	}

	var x bytes.Buffer
	b := NewWorkbook(&x)
	if err := b.Sheet("Rates", []string{"a", "b"}, xlsx.SheetOptions{FreezeRows: 1}); err != nil {
		t.Fatal(err)
	}
	if err := b.WriteRow(row...); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&x)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for cell, want := range map[string]string{"A2": "82.40%", "B2": ""} {
		id, _ := f.GetCellStyle("Rates", cell)
		st, err := f.GetStyle(id)
		if err != nil || st.NumFmt != 10 {
			t.Errorf("%s: style %+v (%v), want number format 10 (0.00%%)", cell, st, err)
		}
		if got, _ := f.GetCellValue("Rates", cell); got != want {
			t.Errorf("%s shows %q, want %q", cell, got, want)
		}
	}
}

// TestDateAcceptsOnlyRealDays: anything but a real YYYY-MM-DD day stays
// text, so nothing is lost or turned into another day.
func TestDateAcceptsOnlyRealDays(t *testing.T) {
	for s, day := range map[string]bool{"2012-03-05": true, "2012-02-29": true, "2011-02-29": false, "2012-13-01": false,
		"2012-00-10": false, "2012-04-31": false, "2012-1-05": false, "12-03-2012": false, "2012/03/05": false,
		"": false, "2012-03-05T00:00:00Z": false, "２０１２-03-05": false} {
		if got := Date(s).Kind() == KindDate; got != day {
			t.Errorf("Date(%q) is a day: %v, want %v", s, got, day)
		}
		if Date(s).String() != s {
			t.Errorf("Date(%q) reads %q", s, Date(s).String())
		}
	}
}

// TestAppendJSONStringIsEncodingJSONs compares the JSON row writer's string
// encoder with encoding/json's (HTML escaping off) on awkward text.
func TestAppendJSONStringIsEncodingJSONs(t *testing.T) {
	cases := []string{"", "plain", "Al-Saadi & Sons <b>", `quote " and \ backslash`, "tab\tnl\ncr\r\b\f\x00\x01\x1f\x7f",
		"\u2028\u2029", "bad \xff\xfe utf8 \xe2\x82", "محمد عبد الكريم", "emoji 😀", "_x0041_"}
	for i := 0; i < 256; i++ {
		cases = append(cases, string([]byte{byte(i), 'a', byte(255 - i)}))
	}
	for _, s := range cases {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		if got := string(appendJSONString(nil, s)); got+"\n" != want.String() {
			t.Errorf("appendJSONString(%q) = %s, want %s", s, got, want.String())
		}
	}
}

func FuzzAppendJSONString(f *testing.F) {
	f.Add("Al-Saadi & Sons\u2028\xff")
	f.Fuzz(func(t *testing.T, s string) {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Skip()
		}
		if got := string(appendJSONString(nil, s)); got+"\n" != want.String() {
			t.Errorf("appendJSONString(%q) = %s, want %s", s, got, want.String())
		}
	})
}

// TestCellAsStepByStep: the one-pass cell of printable ASCII is what the
// steps make of it, and the other cells go through the steps.
func TestCellAsStepByStep(t *testing.T) {
	for _, s := range []string{"", "Ali", "Ali Hassan", "MOD-1", " x ", "~", "tab\there", "line\nbreak", "cr\rx",
		"\x1b[31mred", "del\x7f", "علي حسن", "山田 太郎", "bad \xff", "csi \u009b", "Zoë"} {
		shown := oneLine(nomtrack.Printable(s))
		got, width, spaced := cell(s)
		if got != shown || width != textWidth(shown) || spaced != strings.Contains(shown, " ") {
			t.Errorf("cell(%q) = %q, %d, %v; want %q, %d, %v", s, got, width, spaced,
				shown, textWidth(shown), strings.Contains(shown, " "))
		}
	}
}
