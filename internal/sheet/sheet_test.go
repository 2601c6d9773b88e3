package sheet

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// MustWriteFile writes data to name in a fresh temporary directory.
func MustWriteFile(tb testing.TB, name string, data []byte) string {
	tb.Helper()
	p := filepath.Join(tb.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		tb.Fatal(err)
	}
	return p
}

// MustOpen opens path or fails the test.
func MustOpen(tb testing.TB, path string, opt Options) *File {
	tb.Helper()
	f, err := Open(path, opt)
	if err != nil {
		tb.Fatalf("Open(%s): %v", filepath.Base(path), err)
	}
	tb.Cleanup(func() { f.Close() })
	return f
}

// readAll reads every row of sheet, returning the rows and the error that
// stopped the reading.
func readAll(tb testing.TB, f *File, sheet string) ([]Row, error) {
	tb.Helper()
	rs, err := f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	var rows []Row
	for rs.Next() {
		rows = append(rows, rs.Row())
	}
	return rows, rs.Err()
}

// MustTexts reads every row of path and returns the cell texts.
func MustTexts(tb testing.TB, path string, opt Options) (*File, [][]string, []int) {
	tb.Helper()
	f := MustOpen(tb, path, opt)
	rows, err := readAll(tb, f, "")
	if err != nil {
		tb.Fatalf("reading %s: %v", filepath.Base(path), err)
	}
	var texts [][]string
	var nums []int
	for _, r := range rows {
		var t []string
		for _, c := range r.Cells {
			t = append(t, c.Text)
		}
		texts = append(texts, t)
		nums = append(nums, r.Num)
	}
	return f, texts, nums
}

func TestReadTextEncodings(t *testing.T) {
	// Windows-1256 has no Arabic-Indic digits; Arabic Excel writes ASCII ones.
	arabic := "الاسم;الوزارة;الرتبة;تاريخ\r\nعلي حسن;وزارة الدفاع;عقيد;05/03/2012\r\n"
	win1256, err := charmap.Windows1256.NewEncoder().String(arabic)
	if err != nil {
		t.Fatal(err)
	}
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String("Name\tMinistry\r\nAli Hasan\tوزارة الدفاع\r\n")
	if err != nil {
		t.Fatal(err)
	}
	utf16be, err := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewEncoder().String("a,b\n1,2\n")
	if err != nil {
		t.Fatal(err)
	}
	utf16NoBOM, err := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder().String("Name\tRank\nAli\tCol\n")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, file, data string
		opt              Options
		enc              string
		delim            rune
		want             [][]string
	}{
		{"Windows1256Semicolon", "arabic.csv", win1256, Options{}, "windows-1256", ';',
			[][]string{{"الاسم", "الوزارة", "الرتبة", "تاريخ"}, {"علي حسن", "وزارة الدفاع", "عقيد", "05/03/2012"}}},
		{"UTF16LETabWithBOM", "unicode.txt", utf16, Options{}, "utf-16le", '\t',
			[][]string{{"Name", "Ministry"}, {"Ali Hasan", "وزارة الدفاع"}}},
		{"UTF16BEWithBOM", "be.csv", utf16be, Options{}, "utf-16be", ',', [][]string{{"a", "b"}, {"1", "2"}}},
		{"UTF16LEWithoutBOM", "nobom.txt", utf16NoBOM, Options{}, "utf-16le", '\t', [][]string{{"Name", "Rank"}, {"Ali", "Col"}}},
		{"UTF8BOMStripped", "bom.csv", "\uFEFF\"Name\",Rank\nAli,Col\n", Options{}, "utf-8-bom", ',', [][]string{{"Name", "Rank"}, {"Ali", "Col"}}},
		{"UTF8ArabicIndicDigits", "plain.csv", "Name,Start\nعلي,٠٥/٠٣/٢٠١٢\n", Options{}, "utf-8", ',', [][]string{{"Name", "Start"}, {"علي", "٠٥/٠٣/٢٠١٢"}}},
		{"TSVDefaultsToTab", "one.tsv", "Name\nAli, Hasan\n", Options{}, "utf-8", '\t', [][]string{{"Name"}, {"Ali, Hasan"}}},
		{"DelimiterOption", "pipe.txt", "a|b\n1|2\n", Options{Delimiter: '|'}, "utf-8", '|', [][]string{{"a", "b"}, {"1", "2"}}},
		{"EncodingOverride", "latin.csv", "Caf\xe9,x\n", Options{Encoding: "latin1"}, "windows-1252", ',', [][]string{{"Café", "x"}}},
		{"EncodingOverrideCP1256", "ar.csv", win1256, Options{Encoding: "CP1256"}, "windows-1256", ';', nil},
		{"QuotedDelimiterIgnoredBySniffer", "q.csv", "\"a;b\",c,d\n1,2,3\n", Options{}, "utf-8", ',', [][]string{{"a;b", "c", "d"}, {"1", "2", "3"}}},
		{"MacCROnlyLines", "mac.csv", "Name;Rank\rAli;\"Col\rretd\"\r", Options{}, "utf-8", ';', [][]string{{"Name", "Rank"}, {"Ali", "Col\nretd"}}},
		{"ExtensionCaseInsensitive", "UPPER.CSV", "a;b\n", Options{}, "utf-8", ';', [][]string{{"a", "b"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := MustWriteFile(t, tt.file, []byte(tt.data))
			f, got, _ := MustTexts(t, p, tt.opt)
			if f.Encoding() != tt.enc {
				t.Errorf("Encoding() = %q, want %q", f.Encoding(), tt.enc)
			}
			if f.Delimiter() != tt.delim {
				t.Errorf("Delimiter() = %q, want %q", f.Delimiter(), tt.delim)
			}
			if tt.want != nil {
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("rows (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestDetectUTF8AcrossSampleEdge(t *testing.T) {
	// A two-byte Arabic letter straddles the 64 KiB sample boundary.
	data := []byte("a,b\n" + strings.Repeat("x", sampleSize-5) + "ع,1\n")
	if !bytes.Equal(data[sampleSize-1:sampleSize+1], []byte("ع")) {
		t.Fatalf("test data does not straddle the edge")
	}
	f := MustOpen(t, MustWriteFile(t, "edge.csv", data), Options{})
	if f.Encoding() != "utf-8" {
		t.Fatalf("Encoding() = %q, want utf-8", f.Encoding())
	}
}

func TestReadCSVRowNumbersAndShapes(t *testing.T) {
	data := "name,rank,note\n" + // 1
		"Ali,Col\n" + // 2: short
		"\n" + // 3: blank line
		"Omar,Maj,\"two\nlines\",extra\n" + // 4: long, multi-line
		" , ,\u00a0\n" + // 5: blank after trimming (a multi-line cell is one row)
		"Zaid,Lt,ok\n" // 6
	f := MustOpen(t, MustWriteFile(t, "people.csv", []byte(data)), Options{})
	rows, err := readAll(t, f, "PEOPLE.CSV")
	if err != nil {
		t.Fatal(err)
	}
	var nums []int
	var widths []int
	for _, r := range rows {
		nums = append(nums, r.Num)
		widths = append(widths, len(r.Cells))
	}
	if diff := cmp.Diff([]int{1, 2, 4, 5, 6}, nums); diff != "" {
		t.Errorf("row numbers (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{3, 2, 4, 3, 3}, widths); diff != "" {
		t.Errorf("row widths (-want +got):\n%s", diff)
	}
	if !rows[3].Blank() || rows[1].Blank() {
		t.Errorf("Blank(): row 5 = %v (want true), row 2 = %v (want false)", rows[3].Blank(), rows[1].Blank())
	}
	if got := rows[2].Cells[2].Text; got != "two\nlines" {
		t.Errorf("multi-line field = %q", got)
	}
	// Rows handed out earlier are not overwritten by later ones.
	if rows[0].Cells[0].Text != "name" || rows[4].Cells[0].Text != "Zaid" {
		t.Errorf("rows were overwritten: %q, %q", rows[0].Cells[0].Text, rows[4].Cells[0].Text)
	}
}

func TestReadTextErrors(t *testing.T) {
	tests := []struct {
		name, file, data string
		want             string
	}{
		{"ErrUnterminatedQuote", "people.csv", "a,b\n1,2\n3,4\n5,6\n7,8\n9,10\n\"11,12\n13,14\n", `people.csv:7: unterminated quoted field`},
		{"ErrUnterminatedQuoteLastLine", "p.csv", "a,b\n\"x,y", `p.csv:2: unterminated quoted field`},
		{"ErrStrayQuote", "p.csv", "a,b\n\"x\"y,1\nc,d\n", `p.csv:2: has a stray "`},
		{"ErrBareQuote", "p.csv", "a,b\nx\"y,1\n", `p.csv:2: has a " inside a field that is not quoted`},
		{"ErrNULByte", "file.csv", "a,b\n1,2\n3,\x00\x01\n", `file.csv:3: contains a NUL byte; is it a binary file?`},
		{"ErrBlankLinesCountInRowNumber", "p.csv", "a,b\n\n\n\"x\n", `p.csv:4: unterminated quoted field`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := MustOpen(t, MustWriteFile(t, tt.file, []byte(tt.data)), Options{})
			_, err := readAll(t, f, "")
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("error = %v, want prefix %q", err, tt.want)
			}
			if nomtrack.ErrorCode(err) != nomtrack.EINVALID {
				t.Errorf("code = %q, want %q", nomtrack.ErrorCode(err), nomtrack.EINVALID)
			}
		})
	}
}

func TestInvalidUTF8AfterSampleIsRowError(t *testing.T) {
	data := "a,b\n" + strings.Repeat("x,y\n", sampleSize/4) + "\xe9t\xe9,1\n"
	f := MustOpen(t, MustWriteFile(t, "late.csv", []byte(data)), Options{})
	_, err := readAll(t, f, "")
	want := "late.csv:16386: is not valid UTF-8"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("error = %v, want prefix %q", err, want)
	}
}

func TestOpenErrors(t *testing.T) {
	tests := []struct {
		name, file string
		data       []byte
		opt        Options
		want       string
		code       string
	}{
		{"ErrExtension", "people.ods", []byte("x"), Options{}, "people.ods cannot be read: accepted files are .csv, .tsv, .txt, .xlsx", nomtrack.EUSAGE},
		{"ErrOldExcel", "people.XLS", []byte("x"), Options{}, "people.XLS is an old Excel 97-2003 workbook", nomtrack.EUSAGE},
		{"ErrUnknownEncoding", "a.csv", []byte("x"), Options{Encoding: "ebcdic"}, `unknown encoding "ebcdic"; use one of utf-8, utf-16, utf-16le, utf-16be, windows-1256, cp1256, latin1, windows-1252`, nomtrack.EUSAGE},
		{"ErrZipNotWorkbook", "book.xlsx", mustZip(t, map[string]string{"readme.txt": "hello"}), Options{}, "book.xlsx is not a readable Excel workbook: it has no workbook part", nomtrack.EINVALID},
		{"ErrNotZip", "book.xlsx", []byte("name,rank\nAli,Col\n"), Options{}, "book.xlsx is not a readable Excel workbook: it is not a complete zip archive", nomtrack.EINVALID},
		{"ErrTruncatedWorkbook", "cut.xlsx", truncated(t), Options{}, "cut.xlsx is not a readable Excel workbook", nomtrack.EINVALID},
		{"ErrUnknownSheet", "b.xlsx", MustWorkbook(t, nil), Options{Sheet: "Nope"}, `b.xlsx has no sheet "Nope"; its sheets are "Sheet1"`, nomtrack.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Open(MustWriteFile(t, tt.file, tt.data), tt.opt)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("error = %v, want prefix %q", err, tt.want)
			}
			if nomtrack.ErrorCode(err) != tt.code {
				t.Errorf("code = %q, want %q", nomtrack.ErrorCode(err), tt.code)
			}
		})
	}
	t.Run("ErrMissingFile", func(t *testing.T) {
		_, err := Open(filepath.Join(t.TempDir(), "gone.csv"), Options{})
		if err == nil || err.Error() != "gone.csv does not exist" {
			t.Fatalf("error = %v", err)
		}
	})
	t.Run("ErrTextSheet", func(t *testing.T) {
		f := MustOpen(t, MustWriteFile(t, "a.csv", []byte("x\n")), Options{})
		if _, err := f.Rows("People"); err == nil || !strings.Contains(err.Error(), `a.csv has no sheet "People"`) {
			t.Fatalf("error = %v", err)
		}
		if diff := cmp.Diff([]string{"a.csv"}, f.Sheets()); diff != "" {
			t.Error(diff)
		}
	})
}

func mustZip(tb testing.TB, files map[string]string) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func truncated(tb testing.TB) []byte {
	tb.Helper()
	b := MustWorkbook(tb, func(x *xlsxBuilder) {
		for i := 1; i <= 200; i++ {
			x.set("Sheet1", i, 1, "some text to make the file bigger")
		}
	})
	return b[:len(b)/2]
}

func TestReadEmptyTextFilesGiveNoRows(t *testing.T) {
	for name, data := range map[string]string{"empty.csv": "", "bom.csv": "\uFEFF", "bom16.txt": "\xff\xfe"} {
		_, rows, _ := MustTexts(t, MustWriteFile(t, name, []byte(data)), Options{})
		if len(rows) != 0 {
			t.Errorf("%s: rows = %q, want none", name, rows)
		}
	}
}

func TestOpenDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "march.csv")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	_, err := Open(dir, Options{})
	if nomtrack.ErrorCode(err) != nomtrack.EINTERNAL || !strings.Contains(err.Error(), "march.csv is a directory, not a spreadsheet") {
		t.Fatalf("err = %v", err)
	}
}
