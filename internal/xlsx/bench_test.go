package xlsx_test

import (
	"io"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/nomtrack/nomtrack/internal/xlsx"
)

// benchRows is the size of an export the benchmarks write: a large year of
// nominations.
const benchRows = 100_000

var benchNames = []string{"Ahmed Al-Saadi", "Fatima Al-Harthy", "Salim Al-Busaidi", "Maryam Al-Lawati"}

// benchRefs are prepared once, so that allocs/op counts the writers' own
// allocations rather than the making of test data.
var benchRefs = func() []string {
	refs := make([]string, 1000)
	for i := range refs {
		refs[i] = "P" + strconv.Itoa(100000+i)
	}
	return refs
}()

// BenchmarkWrite100kRows writes an export-shaped sheet (a bold header, then
// text, numbers and a blank per row) to io.Discard. Its allocations do not
// grow with the rows: memory stays flat however long an export is.
func BenchmarkWrite100kRows(b *testing.B) {
	b.ReportAllocs()
	cells := make([]xlsx.Cell, 8)
	for b.Loop() {
		w := xlsx.NewWriter(io.Discard)
		bold := w.AddStyle(xlsx.Style{Bold: true})
		if err := w.NewSheet("Sheet1", xlsx.SheetOptions{}); err != nil {
			b.Fatal(err)
		}
		head := make([]xlsx.Cell, 8)
		for i, c := range []string{"ref", "name", "ministry", "course", "start", "seats", "fee", "note"} {
			head[i] = xlsx.Text(c).WithStyle(bold)
		}
		if err := w.WriteRow(head...); err != nil {
			b.Fatal(err)
		}
		for r := range benchRows {
			cells[0] = xlsx.Text(benchRefs[r%len(benchRefs)])
			cells[1] = xlsx.Text(benchNames[r%len(benchNames)])
			cells[2] = xlsx.Text("MoD")
			cells[3] = xlsx.Text("ENG-101")
			cells[4] = xlsx.Text("2012-03-04")
			cells[5] = xlsx.Int(int64(r % 40))
			cells[6] = xlsx.Float(1250.5)
			cells[7] = xlsx.Empty()
			if err := w.WriteRow(cells...); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExcelizeStream100kRows writes the same sheet through excelize's
// StreamWriter, which nomtrack used before, for comparison.
func BenchmarkExcelizeStream100kRows(b *testing.B) {
	b.ReportAllocs()
	cells := make([]any, 8)
	for b.Loop() {
		f := excelize.NewFile()
		sw, err := f.NewStreamWriter("Sheet1")
		if err != nil {
			b.Fatal(err)
		}
		bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
		if err != nil {
			b.Fatal(err)
		}
		head := make([]any, 8)
		for i, c := range []string{"ref", "name", "ministry", "course", "start", "seats", "fee", "note"} {
			head[i] = excelize.Cell{StyleID: bold, Value: c}
		}
		if err := sw.SetRow("A1", head); err != nil {
			b.Fatal(err)
		}
		for r := range benchRows {
			cells[0] = benchRefs[r%len(benchRefs)]
			cells[1] = benchNames[r%len(benchNames)]
			cells[2] = "MoD"
			cells[3] = "ENG-101"
			cells[4] = "2012-03-04"
			cells[5] = r % 40
			cells[6] = 1250.5
			cells[7] = nil
			axis, _ := excelize.CoordinatesToCellName(1, r+2)
			if err := sw.SetRow(axis, cells); err != nil {
				b.Fatal(err)
			}
		}
		if err := sw.Flush(); err != nil {
			b.Fatal(err)
		}
		if _, err := f.WriteTo(io.Discard); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
}
