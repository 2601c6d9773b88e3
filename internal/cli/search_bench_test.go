package cli

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// BenchmarkPersonSearch runs `person list --search` through the command on
// the database named by NOMTRACK_BENCH_DB (the kept 1M-nomination database
// of docs/benchmarks.md: احمد and Mohammed match about 11,000 of its
// 250,000 people each); without it the benchmark is skipped. For a profile:
//
//	NOMTRACK_BENCH_DB=/tmp/big.db go test ./internal/cli -run '^$' -bench PersonSearch -cpuprofile cpu.out
func BenchmarkPersonSearch(b *testing.B) {
	path := os.Getenv("NOMTRACK_BENCH_DB")
	if path == "" {
		b.Skip("NOMTRACK_BENCH_DB names no database")
	}
	for _, args := range [][]string{
		{"--search", "احمد"},
		{"--search", "Mohammed"},
		{"--search", "أحمد علي"},
		{"--search", "احمد", "--limit", "50"},
		{"--search", "احمد", "-o", "json"},
	} {
		b.Run(strings.Join(args, "_"), func(b *testing.B) {
			for b.Loop() {
				var out, errb bytes.Buffer
				argv := append([]string{"--db", path, "person", "list"}, args...)
				if code := Main(argv, strings.NewReader(""), &out, &errb); code != 0 {
					b.Fatalf("exit %d: %s", code, errb.String())
				}
			}
		})
	}
}
