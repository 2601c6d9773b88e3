package sheet

import (
	"archive/zip"
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// bookPart writes one part of a hostile workbook.
type bookPart func(w io.Writer)

// hostileBook writes a one-sheet workbook whose worksheet and shared strings
// are streamed by the given writers (nil: no such part). The files are
// generated, never stored: each stands for one way a 1 MB file can claim
// gigabytes.
func hostileBook(tb testing.TB, sheet, sst bookPart) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "hostile.xlsx")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	zw := zip.NewWriter(bw)
	rels := `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>`
	if sst != nil {
		rels += `<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`
	}
	parts := []struct {
		name string
		fn   bookPart
	}{
		{"_rels/.rels", text(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)},
		{"xl/workbook.xml", text(`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Nominations" sheetId="1" r:id="rId1"/></sheets></workbook>`)},
		{"xl/_rels/workbook.xml.rels", text(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + rels + `</Relationships>`)},
		{"xl/worksheets/sheet1.xml", func(w io.Writer) {
			io.WriteString(w, `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
			sheet(w)
			io.WriteString(w, `</sheetData></worksheet>`)
		}},
	}
	if sst != nil {
		parts = append(parts, struct {
			name string
			fn   bookPart
		}{"xl/sharedStrings.xml", func(w io.Writer) {
			io.WriteString(w, `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="2147483647">`)
			sst(w)
			io.WriteString(w, `</sst>`)
		}})
	}
	for _, p := range parts {
		w, err := zw.Create(p.name)
		if err != nil {
			tb.Fatal(err)
		}
		bw := bufio.NewWriterSize(w, 64<<10)
		p.fn(bw)
		bw.Flush()
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		tb.Fatal(err)
	}
	return path
}

func text(s string) bookPart { return func(w io.Writer) { io.WriteString(w, s) } }

// repeat writes s n times.
func repeat(w io.Writer, s string, n int) {
	for i := 0; i < n; i++ {
		io.WriteString(w, s)
	}
}

// readHostile opens path and reads its first sheet to the end, handing each
// row to keep (when not nil), and returns the error that stopped it and the
// bytes allocated meanwhile.
func readHostile(tb testing.TB, path string, keep func(Row)) (err error, alloc uint64) {
	tb.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	defer func() {
		runtime.ReadMemStats(&after)
		alloc = after.TotalAlloc - before.TotalAlloc
	}()
	f, err := Open(path, Options{})
	if err != nil {
		return err, 0
	}
	defer f.Close()
	rs, err := f.Rows("")
	if err != nil {
		return err, 0
	}
	defer rs.Close()
	for rs.Next() {
		if keep != nil {
			keep(rs.Row())
		}
	}
	return rs.Err(), 0
}

func TestWorkbookLimitsRefuseWhileReading(t *testing.T) {
	cases := []struct {
		name  string
		sheet bookPart
		sst   bookPart
		want  string
		// maxAlloc is what reading may allocate: the limit is enforced
		// before the claim is buffered.
		maxAlloc uint64
	}{
		{"InlineCellOf8MB", func(w io.Writer) {
			io.WriteString(w, `<row r="1"><c r="A1" t="inlineStr"><is><t>`)
			repeat(w, strings.Repeat("A", 1024), 8<<10)
			io.WriteString(w, `</t></is></c></row>`)
		}, nil, `hostile.xlsx:1: sheet "Nominations" cell A1 holds more than 32767 characters, more than Excel allows in a cell; is the file damaged?`, 4 << 20},
		{"CDATAOf8MB", func(w io.Writer) {
			io.WriteString(w, `<row r="1"><c r="A1" t="str"><v><![CDATA[`)
			repeat(w, strings.Repeat("A", 1024), 8<<10)
			io.WriteString(w, `]]></v></c></row>`)
		}, nil, "more than 32767 characters", 4 << 20},
		{"CommentOf8MBIsSkipped", func(w io.Writer) {
			io.WriteString(w, `<!--`)
			repeat(w, strings.Repeat("-", 1024), 8<<10)
			io.WriteString(w, `--><row r="1"><c r="A1" t="inlineStr"><is><t>ok</t></is></c></row><row r="2"><c r="XFE2"/></row>`)
		}, nil, "row 2 has a cell past column XFD, Excel's last (16384 columns)", 2 << 20},
		{"TagOf8MB", func(w io.Writer) {
			io.WriteString(w, `<row r="1" x="`)
			repeat(w, strings.Repeat("A", 1024), 8<<10)
			io.WriteString(w, `"></row>`)
		}, nil, "holds an XML tag of more than 1 MiB", 8 << 20},
		{"SharedStringsBeyondCount", func(w io.Writer) {}, func(w io.Writer) {
			repeat(w, `<si><t/></si>`, maxSharedStrings+1)
		}, "hostile.xlsx: its shared-string table holds more than 2097152 strings, the limit", 48 << 20},
		{"SharedStringsBeyondSize", func(w io.Writer) {}, func(w io.Writer) {
			s := `<si><t>` + strings.Repeat("B", 32000) + `</t></si>`
			repeat(w, s, maxSharedStringBytes/32000+1)
		}, "hostile.xlsx: its shared-string table holds more than 32 MiB of text, the limit", 48 << 20},
		{"SharedStringOf8MB", func(w io.Writer) {}, func(w io.Writer) {
			io.WriteString(w, `<si><r><t>`)
			repeat(w, strings.Repeat("C", 1024), 8<<10)
			io.WriteString(w, `</t></r></si>`)
		}, "hostile.xlsx: shared string 1 holds more than 32767 characters", 4 << 20},
		{"CellsWithoutRefPastXFD", func(w io.Writer) {
			io.WriteString(w, `<row>`)
			repeat(w, `<c/>`, 5_000_000)
			io.WriteString(w, `</row>`)
		}, nil, `hostile.xlsx:1: sheet "Nominations" row 1 has more than 16384 cells, Excel's limit (columns A to XFD)`, 2 << 20},
		{"CellRefPastXFD", text(`<row r="1"><c r="XFE1" t="inlineStr"><is><t>x</t></is></c></row>`), nil,
			"row 1 has a cell past column XFD", 1 << 20},
		{"SameCellMillionTimes", func(w io.Writer) {
			io.WriteString(w, `<row r="1">`)
			repeat(w, `<c r="A1" t="inlineStr"><is><t>x</t></is></c>`, 1_000_000)
			io.WriteString(w, `</row>`)
		}, nil, "row 1 has more than 16384 cells", 8 << 20},
		{"RowsWithoutRefPastExcel", func(w io.Writer) {
			repeat(w, `<row/>`, maxRows+1)
		}, nil, `hostile.xlsx:1048577: sheet "Nominations" has more than 1048576 rows, Excel's limit`, 4 << 20},
		{"RowNumberPastExcel", text(`<row r="1048577"/>`), nil, "has more than 1048576 rows", 1 << 20},
		{"SameRowNumberPastExcel", func(w io.Writer) {
			repeat(w, `<row r="7"/>`, maxRows+1)
		}, nil, "has more than 1048576 rows", 4 << 20},
		{"RowOfMoreThan4MiB", func(w io.Writer) {
			io.WriteString(w, `<row r="1">`)
			cell := strings.Repeat("D", 32000)
			for i := 1; i <= 140; i++ {
				ref, _ := excelRef(i, 1)
				fmt.Fprintf(w, `<c r="%s" t="inlineStr"><is><t>%s</t></is></c>`, ref, cell)
			}
			io.WriteString(w, `</row>`)
		}, nil, "row 1 holds more than 4 MiB of text, the limit for one row", 16 << 20},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if testing.Short() && c.sst != nil {
				t.Skip("-short: the shared-string cases write tens of MB")
			}
			path := hostileBook(t, c.sheet, c.sst)
			err, alloc := readHostile(t, path, nil)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
			if nomtrack.ErrorCode(err) != nomtrack.EINVALID {
				t.Errorf("error code %q, want %q (exit 3)", nomtrack.ErrorCode(err), nomtrack.EINVALID)
			}
			if alloc > c.maxAlloc {
				t.Errorf("reading allocated %d MiB, want at most %d MiB", alloc>>20, c.maxAlloc>>20)
			}
			t.Logf("%s (allocated %d KiB)", err, alloc>>10)
		})
	}
}

func TestSparseRowsCostWhatTheyHold(t *testing.T) {
	path := hostileBook(t, func(w io.Writer) {
		repeat(w, `<row><c r="XFD1"/></row>`, 100_000)
		io.WriteString(w, `<row r="200000"><c r="A200000" t="inlineStr"><is><t>first</t></is></c><c r="C200000" t="inlineStr"><is><t>third</t></is></c><c r="XFD200000" t="inlineStr"><is><t>last</t></is></c><c r="XFC200000" t="inlineStr"><is><t>one before</t></is></c></row>`)
	}, nil)
	n := 0
	var last Row
	err, alloc := readHostile(t, path, func(r Row) {
		if n++; n <= 100_000 && (r.Width() != 0 || !r.Blank()) {
			t.Fatalf("row %d of empty cells has width %d", r.Num, r.Width())
		}
		last = r
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != 100_001 {
		t.Fatalf("%d rows", n)
	}
	if len(last.Cells) != 3 || len(last.Far) != 2 || last.Width() != maxColumns {
		t.Fatalf("last row: %d dense cells, %d far, width %d", len(last.Cells), len(last.Far), last.Width())
	}
	for i, want := range map[int]string{0: "first", 1: "", 2: "third", 100: "", maxColumns - 2: "one before", maxColumns - 1: "last", maxColumns: ""} {
		if got := last.Cell(i).Text; got != want {
			t.Errorf("cell %d = %q, want %q", i, got, want)
		}
	}
	// 100,000 rows padded to XFD would be 100,000 × 16,384 cells.
	if alloc > 8<<20 {
		t.Errorf("reading allocated %d MiB", alloc>>20)
	}
	t.Logf("allocated %d KiB", alloc>>10)
}

func TestZipEntriesLimit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "many.xlsx")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for i := 0; i <= maxZipEntries; i++ {
		if _, err := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("x/%d", i), Method: zip.Store}); err != nil {
			t.Fatal(err)
		}
	}
	zw.Close()
	f.Close()
	_, err = Open(path, Options{})
	if err == nil || err.Error() != "many.xlsx holds more than 10000 files (zip entries), the limit for a workbook; is it a workbook at all?" {
		t.Fatalf("err = %v", err)
	}
}

func TestSheetSizeClaimedInZipIsRefusedUnread(t *testing.T) {
	path := hostileBook(t, text(`<row r="1"/>`), nil)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Rewrite the sheet's uncompressed size in the central directory to
	// 2 GiB: the reader believes the claim and refuses before unpacking.
	zr, err := zip.NewReader(strings.NewReader(string(b)), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	zw := zip.NewWriter(&out)
	for _, zf := range zr.File {
		raw, err := zf.OpenRaw()
		if err != nil {
			t.Fatal(err)
		}
		h := zf.FileHeader
		if zf.Name == "xl/worksheets/sheet1.xml" {
			h.UncompressedSize64 = 2 << 30
		}
		w, err := zw.CreateRaw(&h)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(w, raw)
	}
	zw.Close()
	os.WriteFile(path, []byte(out.String()), 0o600)
	err, _ = readHostile(t, path, nil)
	if err == nil || !strings.Contains(err.Error(), `sheet "Nominations" unpacks to more than 1 GiB of XML, the limit for one sheet`) {
		t.Fatalf("err = %v", err)
	}
}

func TestLimitedReaderStopsAtItsLimit(t *testing.T) {
	r := &limitedReader{ctx: context.Background(), r: strings.NewReader(strings.Repeat("x", 100)), n: 10, what: "sheet"}
	b, err := io.ReadAll(r)
	var le *errLimit
	if len(b) != 10 || !errors.As(err, &le) || le.what != "sheet" {
		t.Fatalf("read %d bytes, err %v", len(b), err)
	}
	exact := &limitedReader{ctx: context.Background(), r: strings.NewReader("0123456789"), n: 10, what: "sheet"}
	if b, err := io.ReadAll(exact); len(b) != 10 || err != nil {
		t.Fatalf("a part of exactly the limit: %d bytes, %v", len(b), err)
	}
}

func TestRowsStopWhenCancelled(t *testing.T) {
	for _, name := range []string{"book.xlsx", "text.csv"} {
		t.Run(name, func(t *testing.T) {
			var path string
			if strings.HasSuffix(name, ".xlsx") {
				path = hostileBook(t, func(w io.Writer) {
					repeat(w, `<row><c t="inlineStr"><is><t>x</t></is></c></row>`, 500_000)
				}, nil)
			} else {
				path = filepath.Join(t.TempDir(), name)
				os.WriteFile(path, []byte(strings.Repeat("a,b\n", 500_000)), 0o600)
			}
			f, err := Open(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			rs, err := f.RowsContext(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			defer rs.Close()
			n := 0
			for rs.Next() {
				if n++; n == 10 {
					cancel()
				}
			}
			if !errors.Is(rs.Err(), context.Canceled) || n >= 500_000 {
				t.Fatalf("read %d rows, err %v", n, rs.Err())
			}
		})
	}
}

func TestFilledSkipsTheEmptyColumnsBeforeAFarCell(t *testing.T) {
	for _, c := range []struct {
		row  Row
		want int
	}{
		{Row{}, 0},
		{Row{Cells: []Cell{{Text: "a"}, {Text: " "}}}, 1},
		{Row{Cells: []Cell{{Text: "a"}}, Far: []FarCell{{Col: maxColumns - 1, Cell: Cell{Text: " "}}}}, 1},
		{Row{Cells: []Cell{{Text: "a"}}, Far: []FarCell{{Col: 900, Cell: Cell{Text: "b"}}, {Col: maxColumns - 1, Cell: Cell{Text: "  "}}}}, 901},
		{Row{Far: []FarCell{{Col: 40, Cell: Cell{IsDate: true}}}}, 41},
	} {
		if got := c.row.Filled(); got != c.want {
			t.Errorf("Filled(%+v) = %d, want %d", c.row, got, c.want)
		}
	}
}

// A sheet of tiny tags within the size limit (268 million `<x/>` fit in
// 1 GiB) took over 10 s to scan; past maxSheetElements it is refused in a
// few seconds, naming the limit.
func TestSheetOfTinyTagsIsRefusedAtTheElementLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: writes and scans 400 MB of XML")
	}
	path := hostileBook(t, func(w io.Writer) {
		io.WriteString(w, `<row r="1"><c r="A1" t="inlineStr"><is><t>ref</t></is></c></row><row r="2">`)
		chunk := strings.Repeat(`<x/>`, 1024)
		repeat(w, chunk, maxSheetElements/1024+1)
		io.WriteString(w, `</row>`)
	}, nil)
	err, alloc := readHostile(t, path, nil)
	want := `hostile.xlsx:2: sheet "Nominations" holds more than 100 million XML elements, the limit for one sheet`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("err = %v, want %q", err, want)
	}
	if nomtrack.ErrorCode(err) != nomtrack.EINVALID {
		t.Errorf("error code %q, want %q (exit 3)", nomtrack.ErrorCode(err), nomtrack.EINVALID)
	}
	if alloc > 4<<20 {
		t.Errorf("reading allocated %d MiB, want at most 4", alloc>>20)
	}
}
