package importer

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/nomtrack/nomtrack/internal/gen"
)

// benchFiles generates a programme of n nominations once per process.
var benchFiles = map[int]string{}
var benchMu sync.Mutex

func MustProgramme(tb testing.TB, n int, formats ...string) string {
	tb.Helper()
	benchMu.Lock()
	defer benchMu.Unlock()
	if dir, ok := benchFiles[n]; ok {
		return dir
	}
	dir, err := os.MkdirTemp("", "nomtrack-bench-")
	if err != nil {
		tb.Fatal(err)
	}
	if len(formats) == 0 {
		formats = []string{gen.FormatCSV, gen.FormatXLSX}
	}
	if _, err := gen.Write(dir, gen.Config{N: n, Seed: 1, Formats: formats}); err != nil {
		tb.Fatal(err)
	}
	benchFiles[n] = dir
	return dir
}

// MustCatalogue returns a database holding the courses and offerings of the
// programme in dir, copied from a template built once.
func MustCatalogue(tb testing.TB, dir string) string {
	tb.Helper()
	tmpl := filepath.Join(dir, "catalogue.db")
	if _, err := os.Stat(tmpl); err != nil {
		db := MustOpen(tb, tmpl)
		MustRun(tb, db, filepath.Join(dir, "courses.csv"), Options{Kind: "courses"})
		MustRun(tb, db, filepath.Join(dir, "offerings.csv"), Options{Kind: "offerings"})
		db.Close()
	}
	body, err := os.ReadFile(tmpl)
	if err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(tb.TempDir(), "bench.db")
	if err := os.WriteFile(path, body, 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

func benchmarkImport(b *testing.B, n int, file string) {
	dir := MustProgramme(b, n)
	path := filepath.Join(dir, file)
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		db := MustOpen(b, MustCatalogue(b, dir))
		b.StartTimer()
		sum, err := Run(context.Background(), db, path, Options{})
		if err != nil || sum.Rejected > 0 || sum.Created != n {
			b.Fatalf("import: %v %+v", err, sum)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/row")
}

// BenchmarkImportCSV imports 100,000 generated nominations (with their
// 25,000 people) from CSV into a database that holds the catalogue.
func BenchmarkImportCSV(b *testing.B) { benchmarkImport(b, 100_000, "nominations.csv") }

// BenchmarkImportXLSX is the same programme from a streamed xlsx.
func BenchmarkImportXLSX(b *testing.B) { benchmarkImport(b, 100_000, "nominations.xlsx") }

// BenchmarkReimportCSV imports the same 100,000 rows again: every row
// unchanged.
func BenchmarkReimportCSV(b *testing.B) {
	const n = 100_000
	dir := MustProgramme(b, n)
	path := filepath.Join(dir, "nominations.csv")
	db := MustOpen(b, MustCatalogue(b, dir))
	defer db.Close()
	MustRun(b, db, path, Options{})
	b.ReportAllocs()
	for b.Loop() {
		sum, err := Run(context.Background(), db, path, Options{})
		if err != nil || sum.Unchanged != n {
			b.Fatalf("re-import: %v %+v", err, sum)
		}
	}
}
