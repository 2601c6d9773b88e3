// Command nomgen writes a deterministic, seeded NATO-training programme
// (courses, offerings, people, nominations) in nomtrack's import formats, for
// benchmarks and demos. See docs/generator.md.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nomtrack/nomtrack/internal/gen"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run parses args and generates; it returns the exit code: 0 done, 1 the
// files could not be written, 2 bad flags.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("nomgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 1000, "number of nominations to generate (people are about n/4)")
	out := fs.String("out", "", "directory to write into (created 0700 if missing)")
	seed := fs.Uint64("seed", 1, "random seed; the same -n and -seed give the same files")
	formats := fs.String("format", "csv", "comma-separated formats: csv, xlsx")
	years := fs.String("years", fmt.Sprintf("%d-%d", gen.DefaultFromYear, gen.DefaultToYear), "calendar years of the offerings, FROM-TO")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: nomgen -n N -out DIR [-seed 1] [-format csv,xlsx] [-years 2010-2025]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "nomgen: -out DIR is required and no other arguments are taken")
		fs.Usage()
		return 2
	}
	from, to, err := parseYears(*years)
	if err != nil {
		fmt.Fprintln(stderr, "nomgen:", err)
		return 2
	}
	c := gen.Config{N: *n, Seed: *seed, FromYear: from, ToYear: to, Formats: gen.ParseFormats(*formats)}
	if err := c.Validate(); err != nil {
		fmt.Fprintln(stderr, "nomgen:", err)
		return 2
	}
	began := time.Now()
	st, err := gen.Write(*out, c)
	if err != nil {
		fmt.Fprintln(stderr, "nomgen:", err)
		return 1
	}
	fmt.Fprintf(stdout, "%d courses, %d offerings, %d people, %d nominations in %s\n",
		st.Courses, st.Offerings, st.People, st.Nominations, time.Since(began).Round(time.Millisecond))
	for _, f := range st.Files {
		fmt.Fprintln(stdout, f)
	}
	if slices.Contains(c.Formats, gen.FormatXLSX) && c.N > gen.MaxProgrammeN {
		fmt.Fprintf(stderr, "nomgen: programme.xlsx is written only up to %d nominations; import the CSV files or nominations.xlsx instead\n", gen.MaxProgrammeN)
	}
	return 0
}

// parseYears reads "2010-2025" (or a single year).
func parseYears(s string) (from, to int, err error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		b = a
	}
	from, err1 := strconv.Atoi(strings.TrimSpace(a))
	to, err2 := strconv.Atoi(strings.TrimSpace(b))
	if err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("-years %q is not a range of years; write it like 2010-2025", s)
	}
	return from, to, nil
}
