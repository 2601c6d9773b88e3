package cli

import (
	"io"
	"os"
	"strings"
	"testing"
)

// BenchmarkPersonDupes runs `nomtrack person dupes -o csv` (every pair, the
// output discarded) on the database named by NOMTRACK_BENCH_DB, e.g. the
// 1M-nomination one of docs/benchmarks.md; without it the benchmark is
// skipped. For a profile:
//
//	NOMTRACK_BENCH_DB=/tmp/big.db go test ./internal/cli -run '^$' -bench PersonDupes -benchtime 1x -cpuprofile cpu.out
func BenchmarkPersonDupes(b *testing.B) {
	path := os.Getenv("NOMTRACK_BENCH_DB")
	if path == "" {
		b.Skip("NOMTRACK_BENCH_DB names no database")
	}
	for b.Loop() {
		var errb strings.Builder
		if code := Main([]string{"--db", path, "person", "dupes", "-o", "csv"}, strings.NewReader(""), io.Discard, &errb); code != 0 {
			b.Fatalf("exit %d: %s", code, errb.String())
		}
	}
}
