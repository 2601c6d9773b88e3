package sheet

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
)

const benchRows = 100_000

var benchMinistries = []string{"Ministry of Defence", "Ministry of Interior", "وزارة الدفاع", "Prime Minister's Office"}

// MustBenchCSV writes a nominations CSV of n rows shaped like a real one
// (about 100 bytes a row, some Arabic, some quoted fields).
func MustBenchCSV(tb testing.TB, n int, win1256 bool) (string, int64) {
	tb.Helper()
	p := filepath.Join(tb.TempDir(), "nominations.csv")
	fh, err := os.Create(p)
	if err != nil {
		tb.Fatal(err)
	}
	var w *bufio.Writer
	if win1256 {
		w = bufio.NewWriter(charmap.Windows1256.NewEncoder().Writer(fh))
	} else {
		w = bufio.NewWriter(fh)
	}
	fmt.Fprintln(w, "Service No,Full Name,الاسم,Ministry,Rank,Course Code,Start Date,Type,Status")
	for i := 0; i < n; i++ {
		fmt.Fprintf(w, "SN%07d,\"Al-Saadi, Mohammed %d\",علي حسن,%s,Col,M5-%03d,%02d/%02d/2012,principal,nominated\n",
			i, i, benchMinistries[i%len(benchMinistries)], i%500, i%28+1, i%12+1)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := fh.Close(); err != nil {
		tb.Fatal(err)
	}
	st, err := os.Stat(p)
	if err != nil {
		tb.Fatal(err)
	}
	return p, st.Size()
}

func benchRead(b *testing.B, p string, size int64, wantRows int) {
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		f, err := Open(p, Options{})
		if err != nil {
			b.Fatal(err)
		}
		rs, err := f.Rows("")
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for rs.Next() {
			n++
		}
		if err := rs.Err(); err != nil {
			b.Fatal(err)
		}
		rs.Close()
		f.Close()
		if n != wantRows {
			b.Fatalf("read %d rows, want %d", n, wantRows)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(wantRows), "ns/row")
}

// BenchmarkReadCSV streams 100k UTF-8 rows: the importer's hot path.
func BenchmarkReadCSV(b *testing.B) {
	p, size := MustBenchCSV(b, benchRows, false)
	benchRead(b, p, size, benchRows+1)
}

// BenchmarkReadCSVWindows1256 streams the same rows through the
// Windows-1256 transcoder.
func BenchmarkReadCSVWindows1256(b *testing.B) {
	p, size := MustBenchCSV(b, benchRows, true)
	benchRead(b, p, size, benchRows+1)
}

const xlsxBenchRows = 20_000

// MustBenchXLSX writes a workbook of n nomination rows with shared strings
// and date cells.
func MustBenchXLSX(b *testing.B, n int) (string, int64) {
	b.Helper()
	p := filepath.Join(b.TempDir(), "nominations.xlsx")
	x := excelize.NewFile()
	sw, err := x.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	dateStyle, err := x.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		b.Fatal(err)
	}
	if err := sw.SetRow("A1", []any{"Service No", "Full Name", "Ministry", "Rank", "Course", "Start", "Seats"}); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < n; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		row := []any{fmt.Sprintf("SN%07d", i), fmt.Sprintf("Mohammed %d", i), benchMinistries[i%len(benchMinistries)], "Col",
			fmt.Sprintf("M5-%03d", i%500), excelize.Cell{StyleID: dateStyle, Value: 40973 + i%300}, i % 30}
		if err := sw.SetRow(cell, row); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := x.SaveAs(p); err != nil {
		b.Fatal(err)
	}
	x.Close()
	st, err := os.Stat(p)
	if err != nil {
		b.Fatal(err)
	}
	return p, st.Size()
}

// BenchmarkReadXLSX streams a 20k-row workbook.
func BenchmarkReadXLSX(b *testing.B) {
	p, size := MustBenchXLSX(b, xlsxBenchRows)
	benchRead(b, p, size, xlsxBenchRows+1)
}

// BenchmarkReadXLSXExcelizeRows reads the same workbook with excelize's
// streaming iterator (raw values, no styles), as the yardstick for the
// reader in xlsx.go.
func BenchmarkReadXLSXExcelizeRows(b *testing.B) {
	p, size := MustBenchXLSX(b, xlsxBenchRows)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		x, err := excelize.OpenFile(p)
		if err != nil {
			b.Fatal(err)
		}
		rows, err := x.Rows("Sheet1")
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for rows.Next() {
			if _, err := rows.Columns(excelize.Options{RawCellValue: true}); err != nil {
				b.Fatal(err)
			}
			n++
		}
		rows.Close()
		x.Close()
		if n != xlsxBenchRows+1 {
			b.Fatalf("read %d rows", n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(xlsxBenchRows+1), "ns/row")
}

func BenchmarkClean(b *testing.B) {
	for _, bc := range []struct{ name, s string }{
		{"CleanASCII", "Ministry of Defence"},
		{"MessyASCII", "  Ministry\tof\u00a0Defence  "},
		{"Arabic", "وزارة الدفاع"},
		{"ArabicDigits", "٠٥/٠٣/٢٠١٢"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = Clean(bc.s)
			}
		})
	}
}

func BenchmarkParseDate(b *testing.B) {
	for _, bc := range []struct{ name, s string }{
		{"ISO", "2012-03-05"},
		{"DMY", "05/03/2012"},
		{"MonthName", "5 Mar 2012"},
		{"Serial", "40973"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParseDate(bc.s, DMY); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkMatchHeaders(b *testing.B) {
	headers := []string{"Service No", "Full Name", "الاسم", "Ministry", "Rank", "Course Code", "Start Date", "Type", "Status", "Shoe size"}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := MatchHeaders(headers, KindNominations, nil); err != nil {
			b.Fatal(err)
		}
	}
}
