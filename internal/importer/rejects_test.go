package importer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
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
}
