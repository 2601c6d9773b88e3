package safety

import (
	"bufio"
	"fmt"
	"io"
	"testing"
)

// BenchmarkImportBlankRows imports a sheet of n blank rows ending in one
// invalid row, reporting the import's peak memory: it should stay flat as n
// grows a hundredfold (go test -run '^$' -bench BlankRows ./internal/safety).
func BenchmarkImportBlankRows(b *testing.B) {
	for _, n := range []int{10000, 100000, 1000000} {
		for _, kind := range []string{"csv", "xlsx"} {
			b.Run(fmt.Sprintf("%s/%d", kind, n), func(b *testing.B) {
				e := NewEnv(b)
				MustBase(b, e)
				dir := b.TempDir()
				var path string
				if kind == "csv" {
					path = MustStreamFile(b, dir, "blank.csv", func(w *bufio.Writer) error {
						w.WriteString(nominationsHeader + "\n")
						for i := 0; i < n; i++ {
							w.WriteString(",,,,,,,,,\n")
						}
						_, err := w.WriteString(unknownCourseRow + "\n")
						return err
					})
				} else {
					path = MustXLSX(b, dir, "blank.xlsx", func(w io.Writer) error {
						bw := bufio.NewWriterSize(w, 1<<16)
						writeRow(bw, 1, headerCells(1)...)
						for i := 2; i <= n+1; i++ {
							fmt.Fprintf(bw, `<row r="%d"><c r="A%d"/></row>`, i, i)
						}
						writeRow(bw, n+2, rowCells(n+2, unknownCourseRow)...)
						return bw.Flush()
					}, "")
				}
				var peak int64
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					r := e.Run(b, "import", path)
					if r.Code != 3 {
						b.Fatalf("want exit 3:\n%v", r)
					}
					peak = max(peak, r.MaxRSSKiB)
				}
				b.ReportMetric(float64(peak)/1024, "peak-MiB")
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
			})
		}
	}
}
