package importer

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// TestImportValidatesLikeCommands: codes with @ or spaces are refused by
// import as by course add, and a workbook's date cells get the same date
// checks as written dates (years 1900-2999).
func TestImportValidatesLikeCommands(t *testing.T) {
	db := MustDB(t)
	courses := MustFile(t, "courses.csv", "code,title,area\nM5@106,T,counter-terrorism\nM5 107,T,counter-terrorism\nM5-108,T,counter-terrorism\n")
	sum, err := Run(t.Context(), db, courses, Options{Kind: "courses"})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rejected != 2 || len(sum.Errors) != 2 || !strings.Contains(sum.Errors[0].Message, "contains @") ||
		!strings.Contains(sum.Errors[1].Message, "contains a space") || sum.Errors[0].Column != "code" {
		t.Fatalf("courses: %+v", sum.Errors)
	}
	MustRun(t, db, MustFile(t, "ok.csv", "code,title,area\nM5-108,T,counter-terrorism\n"), Options{Kind: "courses"})

	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "Offerings")
	f.SetSheetRow("Offerings", "A1", &[]any{"course", "start", "seats"})
	f.SetSheetRow("Offerings", "A2", &[]any{"M5-108", time.Date(3012, 3, 5, 0, 0, 0, 0, time.UTC), 4})
	f.SetSheetRow("Offerings", "A3", &[]any{"M5-108", time.Date(2012, 3, 5, 0, 0, 0, 0, time.UTC), 4})
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetCellStyle("Offerings", "B2", "B3", style)
	path := filepath.Join(t.TempDir(), "book.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	sum, err = Run(t.Context(), db, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rejected != 1 || len(sum.Errors) != 1 || sum.Errors[0].Row != 2 || sum.Errors[0].Column != "start" ||
		!strings.Contains(sum.Errors[0].Message, "3012-03-05 is not a plausible date") {
		t.Fatalf("workbook: %+v", sum.Errors)
	}
}

// TestWorkbookRowWiderThanHeader: a workbook row with a value beyond the
// header's last named column is a row error, not a row cut short.
func TestWorkbookRowWiderThanHeader(t *testing.T) {
	db := MustDB(t)
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "People")
	f.SetSheetRow("People", "A1", &[]any{"ref", "name", "ministry"})
	f.SetSheetRow("People", "A2", &[]any{"S-1", "Ali Hussein", "MoD"})
	f.SetSheetRow("People", "A3", &[]any{"S-2", "Omar Khalid", "MoI"})
	f.SetCellValue("People", "F3", "Baghdad")
	path := filepath.Join(t.TempDir(), "people.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	sum, err := Run(t.Context(), db, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rejected != 1 || len(sum.Errors) != 1 || sum.Errors[0].Row != 3 ||
		sum.Errors[0].Message != "6 cells, header has 3: a value in a column with no header?" {
		t.Fatalf("errors: %+v", sum.Errors)
	}
}
