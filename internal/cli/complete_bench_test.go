package cli

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// BenchmarkComplete runs shell completion (`nomtrack __complete …`) on the
// database named by NOMTRACK_BENCH_DB, e.g. the 1M-nomination one of
// docs/benchmarks.md; without it the benchmark is skipped. For a profile:
//
//	NOMTRACK_BENCH_DB=/tmp/big.db go test ./internal/cli -run '^$' -bench Complete -cpuprofile cpu.out
func BenchmarkComplete(b *testing.B) {
	path := os.Getenv("NOMTRACK_BENCH_DB")
	if path == "" {
		b.Skip("NOMTRACK_BENCH_DB names no database")
	}
	for _, args := range [][]string{
		{"course", "show", ""},
		{"offering", "show", "M5"},
		{"offering", "show", ""},
		{"person", "show", ""},
		{"person", "show", "MOD-1"},
		{"person", "show", "Ali"},
		{"person", "show", "zz"},
		{"nomination", "show", ""},
		{"nomination", "show", "12345"},
		{"nomination", "list", "--status", ""},
		{"nomination", "list", "--ministry", ""},
		{"offering", "list", "--area", ""},
	} {
		b.Run(strings.Join(args, "_"), func(b *testing.B) {
			for b.Loop() {
				var out, errb bytes.Buffer
				argv := append([]string{"__complete", "--db", path}, args...)
				if code := Main(argv, strings.NewReader(""), &out, &errb); code != 0 {
					b.Fatalf("exit %d: %s", code, errb.String())
				}
				if !strings.Contains(out.String(), ":4") {
					b.Fatalf("no completion directive in %q", out.String())
				}
			}
		})
	}
}
