package output

import (
	"io"
	"strconv"
	"testing"
)

// BenchmarkRowWriter100k streams 100,000 export-shaped rows (a nomination
// with its person: text, a date, an empty cell) into each streaming format.
// Bytes allocated per run stay the size of one row's buffers whatever the
// row count: memory is flat (compare -benchmem at other counts).
func BenchmarkRowWriter100k(b *testing.B) {
	header := []string{"ref", "name", "name_ar", "ministry", "rank", "rank_code", "position", "gender", "english",
		"course", "start", "role", "status", "note", "visa", "clearance", "adl", "funding", "certificate"}
	refs := make([]string, 1000)
	for i := range refs {
		refs[i] = "MOD-" + strconv.Itoa(10000+i)
	}
	for _, format := range []string{CSV, JSON, JSONL, XLSX} {
		b.Run(format, func(b *testing.B) {
			b.ReportAllocs()
			row := make([]Value, len(header))
			for n := 0; n < b.N; n++ {
				rw, err := NewRowWriter(io.Discard, format, header, RowOptions{})
				if err != nil {
					b.Fatal(err)
				}
				for i := 0; i < 100_000; i++ {
					row = append(row[:0], Text(refs[i%len(refs)]), Text("Mohammed Abdul-Karim Al-Saadi"), Text("محمد عبد الكريم الساعدي"),
						Text("MoD"), Text("Colonel"), Text("OF-5"), Text("Director of Plans"), Text("M"), Text("3232"),
						Text("M5-106"), Date("2012-03-05"), Text("principal"), Text("completed"), Text(""), Text(""), Text(""),
						Date(""), Text(""), Text(""))
					if err := rw.WriteRow(row...); err != nil {
						b.Fatal(err)
					}
				}
				if err := rw.Close(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
