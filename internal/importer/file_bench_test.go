package importer

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkImportFile imports the nominations sheet NOMTRACK_BENCH_CSV into
// a copy of the database NOMTRACK_BENCH_CATALOGUE (one holding the courses
// and offerings), the code path of `nomtrack import`, so that a profile of
// a kept data set needs no generation:
//
//	NOMTRACK_BENCH_CSV=/tmp/nbdata/n1000000-seed1/nominations.csv \
//	NOMTRACK_BENCH_CATALOGUE=/tmp/catalogue.db \
//	go test ./internal/importer -run '^$' -bench ImportFile -benchtime 1x -cpuprofile cpu.out
func BenchmarkImportFile(b *testing.B) {
	path, catalogue := os.Getenv("NOMTRACK_BENCH_CSV"), os.Getenv("NOMTRACK_BENCH_CATALOGUE")
	if path == "" || catalogue == "" {
		b.Skip("NOMTRACK_BENCH_CSV and NOMTRACK_BENCH_CATALOGUE name the sheet and the catalogue database")
	}
	body, err := os.ReadFile(catalogue)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		b.StopTimer()
		dbPath := filepath.Join(b.TempDir(), "bench.db")
		if err := os.WriteFile(dbPath, body, 0o600); err != nil {
			b.Fatal(err)
		}
		db := MustOpen(b, dbPath)
		b.StartTimer()
		sum, err := Run(context.Background(), db, path, Options{})
		if err != nil || sum.Rejected > 0 {
			b.Fatalf("import: %v %+v", err, sum)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
}
