package cli

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/nomtrack/nomtrack/internal/output"
)

// TestExportXLSXNeutralisesTextAndKeepsNumbers reads back what the xlsx
// export writer wrote: text that a spreadsheet would run gets an
// apostrophe, numbers are number cells, an unknown seat count is empty.
func TestExportXLSXNeutralisesTextAndKeepsNumbers(t *testing.T) {
	var buf bytes.Buffer
	w, err := newRowWriter(&buf, output.XLSX, []string{"course", "title", "seats", "fee"}, false)
	if err != nil {
		t.Fatal(err)
	}
	four := 4
	if err := w.row([]any{"M5-106", "=cmd|' /C calc'!A0", &four, 12.5}); err != nil {
		t.Fatal(err)
	}
	if err := w.row([]any{"-X", "@SUM(A1)", (*int)(nil), 0.0}); err != nil {
		t.Fatal(err)
	}
	if err := w.close(); err != nil {
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

// TestExportCSVWritesBOMOnlyWhenAsked checks --bom.
func TestExportCSVWritesBOMOnlyWhenAsked(t *testing.T) {
	for _, bom := range []bool{false, true} {
		var buf bytes.Buffer
		w, err := newRowWriter(&buf, output.CSV, []string{"code"}, bom)
		if err != nil {
			t.Fatal(err)
		}
		w.row([]any{"+1"})
		w.close()
		want := "code\n'+1\n"
		if bom {
			want = "\uFEFF" + want
		}
		if buf.String() != want {
			t.Errorf("bom=%v: %q, want %q", bom, buf.String(), want)
		}
	}
}

// TestExportJSONIsAnArrayEvenWhenEmpty checks that no rows print [].
func TestExportJSONIsAnArrayEvenWhenEmpty(t *testing.T) {
	var buf bytes.Buffer
	w, _ := newRowWriter(&buf, output.JSON, []string{"code", "seats"}, false)
	w.close()
	if buf.String() != "[]\n" {
		t.Errorf("empty: %q", buf.String())
	}
	buf.Reset()
	w, _ = newRowWriter(&buf, output.JSON, []string{"code", "seats"}, false)
	w.row([]any{"A&B", (*int)(nil)})
	w.close()
	if want := "[\n  {\"code\": \"A&B\", \"seats\": null}\n]\n"; buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}
