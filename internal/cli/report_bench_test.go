package cli

import (
	"io"
	"os"
	"strings"
	"testing"
)

// BenchmarkReports runs the reports of issue 16 through the whole command
// (store, figures, rendering) on the database named by NOMTRACK_BENCH_DB,
// e.g. a copy of the 1M-nomination one of docs/benchmarks.md, with the
// clock of the latency benchmark; without it the benchmark is skipped. For
// a profile of one report:
//
//	NOMTRACK_BENCH_DB=/tmp/big.db go test ./internal/cli -run '^$' -bench 'Reports/report_year' -cpuprofile cpu.out
func BenchmarkReports(b *testing.B) {
	path := os.Getenv("NOMTRACK_BENCH_DB")
	if path == "" {
		b.Skip("NOMTRACK_BENCH_DB names no database")
	}
	b.Setenv("NOMTRACK_NOW", "2025-07-01")
	for _, args := range [][]string{
		{"report", "year", "2018"},
		{"report", "trend"},
		{"report", "eligibility", "2018"},
		{"report", "pending"},
	} {
		b.Run(strings.Join(args, "_"), func(b *testing.B) {
			for b.Loop() {
				var errb strings.Builder
				argv := append([]string{"--db", path}, args...)
				if code := Main(argv, strings.NewReader(""), io.Discard, &errb); code != 0 {
					b.Fatalf("exit %d: %s", code, errb.String())
				}
			}
		})
	}
}
