package importer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/nomtrack/nomtrack/internal/sheet"
)

func TestSkipWritesWorkbookRejectsSheetBySheet(t *testing.T) {
	db := MustCatalogueDB(t)
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "Offerings")
	f.SetSheetRow("Offerings", "A1", &[]any{"course", "start", "seats"})
	f.SetSheetRow("Offerings", "A2", &[]any{"ZZ-999", "2012-05-01", 4})
	f.NewSheet("Nominations")
	f.SetSheetRow("Nominations", "A1", &[]any{"ref", "name", "ministry", "course", "start"})
	f.SetSheetRow("Nominations", "A2", &[]any{"MOD-1", "Ali Hassan", "MoD", "M5-106", "2012-03-05"})
	f.SetSheetRow("Nominations", "A3", &[]any{"MOD-2", `=HYPERLINK("x")`, "MoD", "M5-160", "2012-03-05"})
	path := filepath.Join(t.TempDir(), "book.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	f.Close()

	sum := run(t, db, path, Options{OnError: OnErrorSkip})
	want := strings.TrimSuffix(path, ".xlsx") + ".rejects.xlsx"
	if sum.Rejected != 2 || sum.Rejects != want {
		t.Fatalf("summary: %d rejected into %q, want 2 into %q", sum.Rejected, sum.Rejects, want)
	}
	if st, err := os.Stat(want); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("rejects file: %v, mode %v; want it private (0600)", err, st.Mode().Perm())
	}
	r, err := excelize.OpenFile(want)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if diff := cmp.Diff([]string{"Offerings", "Nominations"}, r.GetSheetList()); diff != "" {
		t.Errorf("rejects sheets (-want +got):\n%s", diff)
	}
	for sheet, want := range map[string][]string{
		"Offerings":   {"ZZ-999", "2012-05-01", "4"},
		"Nominations": {"MOD-2", `'=HYPERLINK("x")`, "MoD", "M5-160", "2012-03-05"},
	} {
		rows, err := r.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || len(rows[0]) != len(want)+1 || rows[0][len(want)] != "error" {
			t.Fatalf("%s rows = %q, want a header ending in error and one rejected row", sheet, rows)
		}
		if diff := cmp.Diff(want, rows[1][:len(want)]); diff != "" {
			t.Errorf("%s rejected row (-want +got):\n%s", sheet, diff)
		}
		if msg := rows[1][len(want)]; !strings.Contains(msg, "not found") {
			t.Errorf("%s error column = %q, want the reason", sheet, msg)
		}
	}
	// Cells keep their kind (through output's row writer): the seats a
	// number, the start (text in the input) text, the header bold.
	for cell, want := range map[string]excelize.CellType{"A2": excelize.CellTypeInlineString, "B2": excelize.CellTypeInlineString,
		"C2": excelize.CellTypeUnset} {
		if typ, _ := r.GetCellType("Offerings", cell); typ != want {
			t.Errorf("Offerings!%s has type %v, want %v", cell, typ, want)
		}
	}
	if raw, _ := r.GetCellValue("Offerings", "C2", excelize.Options{RawCellValue: true}); raw != "4" {
		t.Errorf("Offerings!C2 = %q, want the number 4", raw)
	}
}

// TestRejectsKeepDateAndNumberCells: a workbook's date cell is a date cell
// in an xlsx rejects file and YYYY-MM-DD in a csv one; its number cell a
// number, written as the sheet held it.
func TestRejectsKeepDateAndNumberCells(t *testing.T) {
	db := MustCatalogueDB(t)
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"course", "start", "seats"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"ZZ-999", 40973, 4.5})
	day, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetCellStyle("Sheet1", "B2", "B2", day)
	dir := t.TempDir()
	path := filepath.Join(dir, "offerings.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	f.Close()

	for _, rej := range []string{"r.xlsx", "r.csv"} {
		sum := run(t, db, path, Options{Kind: string(sheet.KindOfferings), OnError: OnErrorSkip, Rejects: filepath.Join(dir, rej)})
		if sum.Rejected != 1 {
			t.Fatalf("%s: %d rejected, want 1", rej, sum.Rejected)
		}
	}
	csvText, err := os.ReadFile(filepath.Join(dir, "r.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(csvText); !strings.HasPrefix(got, "course,start,seats,error\nZZ-999,2012-03-05,4.5,") {
		t.Errorf("r.csv = %q", got)
	}
	r, err := excelize.OpenFile(filepath.Join(dir, "r.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	sheet := r.GetSheetList()[0]
	for cell, want := range map[string][2]string{"B2": {"40973", "2012-03-05"}, "C2": {"4.5", "4.5"}} {
		raw, _ := r.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
		shown, _ := r.GetCellValue(sheet, cell)
		typ, _ := r.GetCellType(sheet, cell)
		if raw != want[0] || shown != want[1] || typ != excelize.CellTypeUnset {
			t.Errorf("%s = %q shown %q (type %v); want the number %q shown %q", cell, raw, shown, typ, want[0], want[1])
		}
	}
}
