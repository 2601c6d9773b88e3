package safety

import (
	"archive/zip"
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// hostile is a file nomtrack must refuse (or read) without a panic, with the
// documented exit code and, when refused, without writing anything.
type hostile struct {
	name string
	make func(tb testing.TB, dir string) string // writes the file, returns its path
	code int
	// stderr holds substrings the message must contain.
	stderr []string
	// created is how many nominations a successful import adds.
	created int64
	// slow files (seconds to generate or read) are skipped with -short.
	slow bool
}

// csvFile writes a CSV built from lines.
func csvFile(name string, lines ...string) func(testing.TB, string) string {
	return func(tb testing.TB, dir string) string {
		return MustWriteFile(tb, dir, name, []byte(strings.Join(lines, "\n")+"\n"))
	}
}

// unknownCourseRow is a row that fails validation (no such course).
const unknownCourseRow = "MOD-1001,Ali Hussein Al-Saadi,MoD,ZZ-999,2012-03-05,principal,nominated,ali.alsaadi@mod.example.org,+964 770 123 4567,"

var hostileFiles = []hostile{
	{name: "empty", code: 3, stderr: []string{"empty.csv"},
		make: func(tb testing.TB, dir string) string { return MustWriteFile(tb, dir, "empty.csv", nil) }},
	{name: "header_only", code: 0,
		make: csvFile("header.csv", nominationsHeader)},
	{name: "ragged_rows", code: 3, stderr: []string{"ragged.csv:2"},
		make: csvFile("ragged.csv", nominationsHeader, "MOD-1001,Ali Hussein Al-Saadi,MoD", validRow+",extra,cells,beyond,the,header")},
	{name: "unterminated_quote", code: 3, stderr: []string{"quote.csv:3", "unterminated"},
		make: csvFile("quote.csv", nominationsHeader, validRow, `MOD-1002,"Omar Khalid,MoD,M5-106,2012-03-05,principal,nominated,,,`)},
	{name: "nul_bytes", code: 3, stderr: []string{"nul.csv:2", "NUL"},
		make: csvFile("nul.csv", nominationsHeader, strings.Replace(validRow, "Ali", "A\x00li", 1))},
	{name: "binary_garbage_csv", code: 3, stderr: []string{"garbage.csv"},
		make: func(tb testing.TB, dir string) string {
			return MustWriteFile(tb, dir, "garbage.csv", garbage(64<<10, 1))
		}},
	{name: "binary_garbage_xlsx", code: 3, stderr: []string{"garbage.xlsx", "not a readable Excel workbook"},
		make: func(tb testing.TB, dir string) string {
			return MustWriteFile(tb, dir, "garbage.xlsx", garbage(64<<10, 2))
		}},
	{name: "zip_not_workbook", code: 3, stderr: []string{"notes.xlsx", "not a readable Excel workbook"},
		make: func(tb testing.TB, dir string) string {
			var buf bytes.Buffer
			zw := zip.NewWriter(&buf)
			w, _ := zw.Create("notes/readme.txt")
			io.WriteString(w, "not a workbook\n")
			zw.Close()
			return MustWriteFile(tb, dir, "notes.xlsx", buf.Bytes())
		}},
	{name: "truncated_xlsx", code: 3, stderr: []string{"cut.xlsx"},
		make: func(tb testing.TB, dir string) string {
			path := MustXLSX(tb, dir, "whole.xlsx", func(w io.Writer) error {
				writeRow(w, 1, headerCells(1)...)
				for i := 2; i <= 2000; i++ {
					writeRow(w, i, rowCells(i, validRow)...)
				}
				return nil
			}, "")
			b := MustFileBytes(tb, path)
			return MustWriteFile(tb, dir, "cut.xlsx", b[:len(b)/2])
		}},
	{name: "five_mb_cell", code: 3, stderr: []string{"bigcell.csv:2: column 2 holds 5242880 characters, more than a spreadsheet cell can"},
		make: func(tb testing.TB, dir string) string {
			return MustStreamFile(tb, dir, "bigcell.csv", func(w *bufio.Writer) error {
				fmt.Fprintln(w, nominationsHeader)
				fmt.Fprintf(w, "MOD-1001,%s,MoD,M5-106,2012-03-05,principal,nominated,,,\n", strings.Repeat("A", 5<<20))
				return nil
			})
		}},
	{name: "ten_thousand_columns", code: 0, created: 1, stderr: []string{"columns ignored (not fields of nominations): extra 0, extra 1,", "extra 9 and 9980 more"},
		make: func(tb testing.TB, dir string) string {
			return MustStreamFile(tb, dir, "wide.csv", func(w *bufio.Writer) error {
				w.WriteString(nominationsHeader)
				for i := 0; i < 10000-10; i++ {
					fmt.Fprintf(w, ",extra %d", i)
				}
				w.WriteString("\n" + validRow + strings.Repeat(",x", 10000-10) + "\n")
				return nil
			})
		}},
	{name: "million_blank_rows_csv", slow: true, code: 3, stderr: []string{"blank.csv:1000002"},
		make: func(tb testing.TB, dir string) string {
			return MustStreamFile(tb, dir, "blank.csv", func(w *bufio.Writer) error {
				w.WriteString(nominationsHeader + "\n")
				for i := 0; i < 1000000; i++ {
					w.WriteString(",,,,,,,,,\n")
				}
				w.WriteString(unknownCourseRow + "\n")
				return nil
			})
		}},
	{name: "million_blank_rows_xlsx", slow: true, code: 3, stderr: []string{"blank.xlsx", "1000002"},
		make: func(tb testing.TB, dir string) string {
			return MustXLSX(tb, dir, "blank.xlsx", func(w io.Writer) error {
				bw := bufio.NewWriterSize(w, 1<<16)
				writeRow(bw, 1, headerCells(1)...)
				for i := 2; i <= 1000001; i++ {
					fmt.Fprintf(bw, `<row r="%d"><c r="A%d"/></row>`, i, i)
				}
				writeRow(bw, 1000002, rowCells(1000002, unknownCourseRow)...)
				return bw.Flush()
			}, "")
		}},
	// A workbook is a zip of XML anyone can write: each of these claims far
	// more than it holds, and is refused (or read) while it is read, within
	// the memory bound the test checks below.
	{name: "xlsx_cell_of_64MB", slow: true, code: 3, stderr: []string{`huge.xlsx:2: sheet "Nominations" cell B2 holds more than 32767 characters, more than Excel allows in a cell`},
		make: func(tb testing.TB, dir string) string {
			return MustXLSX(tb, dir, "huge.xlsx", func(w io.Writer) error {
				writeRow(w, 1, headerCells(1)...)
				io.WriteString(w, `<row r="2"><c r="A2" t="inlineStr"><is><t>MOD-1</t></is></c><c r="B2" t="inlineStr"><is><t>`)
				chunk := strings.Repeat("A", 64<<10)
				for i := 0; i < 64<<20/len(chunk); i++ {
					io.WriteString(w, chunk)
				}
				io.WriteString(w, `</t></is></c></row>`)
				return nil
			}, "")
		}},
	{name: "xlsx_ten_million_shared_strings", slow: true, code: 3, stderr: []string{"strings.xlsx: its shared-string table holds more than 2097152 strings, the limit"},
		make: func(tb testing.TB, dir string) string {
			return MustXLSXWithSST(tb, dir, "strings.xlsx", func(w io.Writer) error {
				writeRow(w, 1, headerCells(1)...)
				return nil
			}, func(w io.Writer) error {
				bw := bufio.NewWriterSize(w, 1<<16)
				for i := 0; i < 10_000_000; i++ {
					bw.WriteString(`<si><t/></si>`)
				}
				return bw.Flush()
			})
		}},
	{name: "xlsx_row_of_five_million_cells", code: 3, stderr: []string{`cells.xlsx:2: sheet "Nominations" row 2 has more than 16384 cells, Excel's limit (columns A to XFD)`},
		make: func(tb testing.TB, dir string) string {
			return MustXLSX(tb, dir, "cells.xlsx", func(w io.Writer) error {
				writeRow(w, 1, headerCells(1)...)
				bw := bufio.NewWriterSize(w, 1<<16)
				bw.WriteString(`<row>`)
				for i := 0; i < 5_000_000; i++ {
					bw.WriteString(`<c/>`)
				}
				bw.WriteString(`</row>`)
				return bw.Flush()
			}, "")
		}},
	{name: "xlsx_cell_past_xfd", code: 3, stderr: []string{`past.xlsx:2: sheet "Nominations" row 2 has a cell past column XFD`},
		make: func(tb testing.TB, dir string) string {
			return MustXLSX(tb, dir, "past.xlsx", func(w io.Writer) error {
				writeRow(w, 1, headerCells(1)...)
				writeRow(w, 2, inline("XFE2", "x"))
				return nil
			}, "")
		}},
	{name: "xlsx_100k_rows_reaching_xfd", code: 3, stderr: []string{"xfd.xlsx", "ZZ-999"},
		make: func(tb testing.TB, dir string) string {
			return MustXLSX(tb, dir, "xfd.xlsx", func(w io.Writer) error {
				writeRow(w, 1, headerCells(1)...)
				bw := bufio.NewWriterSize(w, 1<<16)
				for i := 0; i < 100_000; i++ {
					bw.WriteString(`<row><c r="XFD1"/></row>`)
				}
				bw.Flush()
				writeRow(w, 100_003, rowCells(100_003, unknownCourseRow)...)
				return nil
			}, "")
		}},
	{name: "xlsx_rows_without_r_past_excel", slow: true, code: 3, stderr: []string{`rows.xlsx:1048577: sheet "Nominations" has more than 1048576 rows, Excel's limit`},
		make: func(tb testing.TB, dir string) string {
			return MustXLSX(tb, dir, "rows.xlsx", func(w io.Writer) error {
				writeRow(w, 1, headerCells(1)...)
				bw := bufio.NewWriterSize(w, 1<<16)
				for i := 0; i < 1<<20; i++ {
					bw.WriteString(`<row/>`)
				}
				return bw.Flush()
			}, "")
		}},
	{name: "xlsx_twenty_thousand_zip_entries", code: 3, stderr: []string{"entries.xlsx holds more than 10000 files (zip entries), the limit for a workbook"},
		make: func(tb testing.TB, dir string) string {
			return MustStreamFile(tb, dir, "entries.xlsx", func(bw *bufio.Writer) error {
				zw := zip.NewWriter(bw)
				for i := 0; i < 20000; i++ {
					if _, err := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("xl/media/%d.png", i), Method: zip.Store}); err != nil {
						return err
					}
				}
				return zw.Close()
			})
		}},
	{name: "mixed_encoding_after_sample", code: 3, stderr: []string{"mixed.csv:", "UTF-8"},
		make: func(tb testing.TB, dir string) string {
			return MustStreamFile(tb, dir, "mixed.csv", func(w *bufio.Writer) error {
				w.WriteString(nominationsHeader + "\n")
				// 70 KB of UTF-8 Arabic-free rows, then one in Windows-1256.
				for i := 0; w.Buffered() < 70<<10; i++ {
					fmt.Fprintf(w, "MOD-%d,Officer %d,MoD,M5-106,2012-03-05,alternate,nominated,,,\n", 2000+i, i)
				}
				w.WriteString("MOD-9999,\xda\xe1\xed,MoD,M5-106,2012-03-05,principal,nominated,,,\n")
				return nil
			})
		}},
	{name: "mixed_encoding_with_bom", code: 3, stderr: []string{"bom.csv:3", "UTF-8"},
		make: csvFile("bom.csv", "\ufeff"+nominationsHeader, validRow, "MOD-1002,\xda\xe1\xed,MoD,M5-106,2012-03-05,principal,nominated,,,")},
	{name: "formula_cell_cached_value", code: 0, created: 1,
		make: func(tb testing.TB, dir string) string {
			return MustXLSX(tb, dir, "formula.xlsx", func(w io.Writer) error {
				writeRow(w, 1, headerCells(1)...)
				cells := rowCells(2, validRow)
				cells[1] = xlsxCell{Ref: "B2", T: "str", Inner: `<f>CONCATENATE("Ali ","Hussein Al-Saadi")</f><v>Ali Hussein Al-Saadi</v>`}
				writeRow(w, 2, cells...)
				return nil
			}, "")
		}},
	{name: "formula_date_cached_serial", code: 0, created: 1,
		make: func(tb testing.TB, dir string) string {
			return MustXLSX(tb, dir, "formuladate.xlsx", func(w io.Writer) error {
				writeRow(w, 1, headerCells(1)...)
				cells := rowCells(2, validRow)
				// =DATE(2012,3,5) cached as Excel's serial for 2012-03-05.
				cells[4] = xlsxCell{Ref: "E2", Inner: `<f>DATE(2012,3,5)</f><v>40973</v>`}
				writeRow(w, 2, cells...)
				return nil
			}, "")
		}},
	{name: "formula_cell_without_value", code: 3, stderr: []string{"noval.xlsx", ":2"},
		make: func(tb testing.TB, dir string) string {
			return MustXLSX(tb, dir, "noval.xlsx", func(w io.Writer) error {
				writeRow(w, 1, headerCells(1)...)
				cells := rowCells(2, validRow)
				cells[3] = xlsxCell{Ref: "D2", Inner: `<f>VLOOKUP(A2,Courses!A:B,2,FALSE)</f>`}
				writeRow(w, 2, cells...)
				return nil
			}, "")
		}},
	{name: "merged_title_above_header", code: 0, created: 1, stderr: []string{"merged.xlsx: row 1 above the header (row 2) was skipped"},
		make: func(tb testing.TB, dir string) string {
			return MustXLSX(tb, dir, "merged.xlsx", func(w io.Writer) error {
				writeRow(w, 1, inline("A1", "Nominations received from the Ministry of Defence, 2012"))
				writeRow(w, 2, headerCells(2)...)
				writeRow(w, 3, rowCells(3, validRow)...)
				return nil
			}, `<mergeCells count="1"><mergeCell ref="A1:J1"/></mergeCells>`)
		}},
	{name: "merged_header_cell", code: 0, created: 1,
		make: func(tb testing.TB, dir string) string {
			return MustXLSX(tb, dir, "mergedcell.xlsx", func(w io.Writer) error {
				// "note" spans J1:K1; the cell under K is left empty.
				writeRow(w, 1, headerCells(1)...)
				writeRow(w, 2, rowCells(2, validRow)...)
				return nil
			}, `<mergeCells count="1"><mergeCell ref="J1:K1"/></mergeCells>`)
		}},
}

func TestHostileFilesFailCleanlyWritingNothing(t *testing.T) {
	e := NewEnv(t)
	before := MustBase(t, e)
	dir := t.TempDir()
	for _, h := range hostileFiles {
		t.Run(h.name, func(t *testing.T) {
			if h.slow && testing.Short() {
				t.Skip("-short: a slow file")
			}
			path := h.make(t, dir)
			r := e.Run(t, "import", path, "--kind", "nominations")
			t.Logf("exit %d, peak RSS %d MiB: %s", r.Code, r.MaxRSSKiB>>10, firstLines(r.Stderr, 3))
			if r.Code != h.code {
				t.Errorf("exit %d, want %d:\n%v", r.Code, h.code, r)
			}
			for _, s := range h.stderr {
				if !strings.Contains(r.Stderr, s) {
					t.Errorf("stderr lacks %q:\n%v", s, r)
				}
			}
			// Memory is bounded by what is kept, not by what the file
			// claims (issue 12: 200 MB for any file of up to 10 MB).
			if r.MaxRSSKiB > 200<<10 {
				t.Errorf("peak RSS %d MiB, more than 200 MiB", r.MaxRSSKiB>>10)
			}
			if len(r.Stderr) > 16<<10 {
				t.Errorf("stderr is %d bytes: a hostile file must not flood the terminal", len(r.Stderr))
			}
			want := Counts{}
			for k, v := range before {
				want[k] = v
			}
			if h.code == 0 && h.created > 0 {
				want["nomination"] += h.created
				want["nomination_event"] += h.created
			}
			AssertCounts(t, e, want)
			if h.code == 0 && h.created > 0 {
				// Put the database back as it was for the next file.
				db := MustRawDB(t, e.DB)
				MustExec(t, db, `DELETE FROM nomination`)
				MustExec(t, db, `DELETE FROM nomination_import_run`)
				db.Close()
			}
		})
	}
	e.MustCheck(t)
}

// firstLines is the first n lines of s, for logs.
func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, " | ")
}

func TestUnreadableFilesExitByCause(t *testing.T) {
	e := NewEnv(t)
	before := MustBase(t, e)
	dir := t.TempDir()
	cred := Unprivileged(t, e)
	locked := csvFile("locked.csv", nominationsHeader, validRow)(t, dir)
	if err := os.Chmod(locked, 0); err != nil {
		t.Fatal(err)
	}
	folder := filepath.Join(dir, "folder.csv")
	if err := os.Mkdir(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	for _, c := range []struct {
		path string
		code int
		want string
	}{
		{filepath.Join(dir, "missing.csv"), 4, "missing.csv does not exist"},
		{locked, 1, "locked.csv cannot be read: permission denied"},
		{folder, 1, "folder.csv"},
	} {
		r := e.RunAs(t, cred, "import", c.path)
		if r.Code != c.code || !strings.Contains(r.Stderr, c.want) {
			t.Errorf("want exit %d and %q:\n%v", c.code, c.want, r)
		}
	}
	AssertCounts(t, e, before)
}

// MustWorkbookDamagedLast writes a workbook whose Courses sheet is valid and
// whose Nominations sheet, read after it, is cut off mid-row.
func MustWorkbookDamagedLast(tb testing.TB, dir string) string {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "Courses")
	f.SetSheetRow("Courses", "A1", &[]any{"code", "title", "area"})
	f.SetSheetRow("Courses", "A2", &[]any{"Z9-999", "A Course Only This Workbook Adds", "crisis-management"})
	f.NewSheet("Nominations")
	f.SetSheetRow("Nominations", "A1", &[]any{"ref", "name", "ministry", "course", "start"})
	for i := 2; i <= 200; i++ {
		f.SetSheetRow("Nominations", fmt.Sprintf("A%d", i), &[]any{basePersonRef, "Ali Hussein Al-Saadi", "MoD", baseCourse, "2012-03-05"})
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		tb.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		tb.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			tb.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			tb.Fatal(err)
		}
		if zf.Name == "xl/worksheets/sheet2.xml" {
			body = body[:len(body)/2] // the sheet stops inside a row
		}
		w, err := zw.Create(zf.Name)
		if err != nil {
			tb.Fatal(err)
		}
		w.Write(body)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return MustWriteFile(tb, dir, "damaged-last.xlsx", out.Bytes())
}

func TestWorkbookWithADamagedLastSheetWritesNothing(t *testing.T) {
	e := NewEnv(t)
	before := MustBase(t, e)
	path := MustWorkbookDamagedLast(t, t.TempDir())
	r := e.Run(t, "import", path)
	if r.Code != 3 || !strings.Contains(r.Stderr, "damaged-last.xlsx") {
		t.Errorf("want exit 3 naming the file:\n%v", r)
	}
	t.Logf("%s", firstLines(r.Stderr, 2))
	// The valid Courses sheet, read first, was not committed either.
	AssertCounts(t, e, before)
	e.MustCheck(t)
}
