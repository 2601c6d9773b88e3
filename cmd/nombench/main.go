// Command nombench measures nomtrack side by side with what a user would
// otherwise reach for — Debian's sqlite3 and sqlite-utils — on the same
// generated files, in one run, and prints medians, peak memory and the
// ratios against the goals of issue 6. scripts/bench.sh is its front door
// (it installs the Debian packages it needs); docs/benchmarks.md holds its
// latest output.
//
// Everything is deterministic except the clock: the data comes from the seeded
// generator (cmd/nomgen), nomtrack is built once with CGO_ENABLED=0, and each
// measured run starts from a fresh database.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// options are nombench's flags after defaults and -quick are applied.
type options struct {
	sizes       []int  // nominations per generated data set; goals are judged at the largest
	runs        int    // measured runs of each import (median reported)
	slowRuns    int    // runs of sqlite-utils, which takes minutes at 1M rows
	reportRuns  int    // runs of each report query
	startupRuns int    // runs of each start-up command
	seed        uint64 // generator seed
	year        int    // year of `report year`
	work        string // work directory; empty: a new one under the temp dir
	data        string // directory of generated data kept between runs; empty: inside work
	keep        bool   // keep the work directory
	skip        map[string]bool
	repo        string // the nomtrack module root
	sqlite3     string
	sqliteUtils string
	timeBin     string
	psql        string // PostgreSQL's psql; empty: on PATH, else beside the server's binaries
	quick       bool
	latency     bool // the latency mode: daily commands on the kept database of the largest size
	latencyRuns int  // runs of each command in the latency mode
	// latencyBudget is the wall time after which a slow command's runs stop
	// (it has at least minLatencyRuns).
	latencyBudget time.Duration
	scaling       bool // -scaling: import, report year and person dupes once per size, to show their growth
}

// skippable names what -skip accepts.
var skippable = []string{"xlsx", "sqlite-utils", "postgres", "reports", "startup"}

// run parses args, runs the benchmark and returns the exit code: 0 done
// (whether or not goals were met: that is the report's business), 1 a step
// failed, 2 bad flags.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(stderr, "nombench:", err)
		return 2
	}
	b, err := newBench(ctx, o, stdout, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "nombench:", err)
		return 1
	}
	if o.scaling {
		err = b.runScaling()
	} else {
		err = b.run()
	}
	if cerr := b.cleanup(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintln(stderr, "nombench:", err)
		return 1
	}
	return 0
}

// parseFlags reads args into options, applying -quick's smaller defaults to
// whatever was not given explicitly.
func parseFlags(args []string, stderr io.Writer) (options, error) {
	fs := flag.NewFlagSet("nombench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	sizes := fs.String("sizes", "100000,1000000", "comma-separated numbers of nominations to generate and import; goals are judged at the largest")
	fs.IntVar(&o.runs, "runs", 3, "measured runs of each import (the median is reported)")
	fs.IntVar(&o.slowRuns, "slow-runs", 0, "runs of sqlite-utils (default: -runs)")
	fs.IntVar(&o.reportRuns, "report-runs", 7, "runs of each report query")
	fs.IntVar(&o.startupRuns, "startup-runs", 51, "runs of each start-up command")
	fs.Uint64Var(&o.seed, "seed", 1, "generator seed; the same seed and sizes give the same files")
	fs.IntVar(&o.year, "year", 2018, "year for `report year` (the generator spreads nominations over 2010-2025)")
	fs.StringVar(&o.work, "work", "", "work directory (default: a new directory under $TMPDIR or /tmp, removed at the end)")
	fs.StringVar(&o.data, "data", "", "directory for the generated data, kept and reused while the seed, size and generator code are the same (default: inside the work directory)")
	fs.BoolVar(&o.keep, "keep", false, "keep the work directory (databases, logs) for inspection")
	skip := fs.String("skip", "", "comma-separated parts to leave out: "+strings.Join(skippable, ", "))
	fs.StringVar(&o.repo, "repo", ".", "root of the nomtrack module to build")
	fs.StringVar(&o.sqlite3, "sqlite3", "/usr/bin/sqlite3", "sqlite3 command-line shell")
	fs.StringVar(&o.sqliteUtils, "sqlite-utils", "sqlite-utils", "sqlite-utils command")
	fs.StringVar(&o.timeBin, "time", "/usr/bin/time", "GNU time, for peak memory (-v)")
	fs.BoolVar(&o.latency, "latency", false, "the latency mode (issue 16): time the daily commands on the kept nomtrack database of the largest size (default 1000000; built once and kept in the data directory, so give -data), p50/p95 wall time and peak RSS beside the goals; no imports, reports or start-up section")
	fs.IntVar(&o.latencyRuns, "latency-runs", 20, "runs of each command in the latency mode")
	fs.DurationVar(&o.latencyBudget, "latency-budget", 2*time.Minute, "in the latency mode, stop a command's runs once they took this long (it still gets 3): a command that takes a minute is not run 20 times")
	fs.StringVar(&o.psql, "psql", "", "PostgreSQL's psql, for the \\copy floor (default: psql on PATH, else the one beside the server's binaries)")
	fs.BoolVar(&o.scaling, "scaling", false, "measure how import, report year and person dupes grow: each once at sizes "+scalingSizes+" (unless -sizes), CSV only")
	fs.BoolVar(&o.quick, "quick", false, "a quick look: sizes 10000,50000, 1 run, fewer report and start-up runs (goals are set at 1M rows, so its verdicts are indicative only)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: nombench [-quick] [-sizes 100000,1000000] [-runs 3] [-work DIR] [-data DIR] [-keep] [-skip xlsx,sqlite-utils,postgres]\n       nombench -latency [-sizes 1000000] [-latency-runs 20] [-data DIR]\n       nombench -scaling [-sizes "+scalingSizes+"] [-data DIR]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q; all settings are flags (see -h)", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if o.quick {
		if !set["sizes"] {
			*sizes = "10000,50000"
		}
		if !set["runs"] {
			o.runs = 1
		}
		if !set["report-runs"] {
			o.reportRuns = 3
		}
		if !set["startup-runs"] {
			o.startupRuns = 11
		}
	}
	if o.latency && !set["sizes"] {
		*sizes = "1000000"
	}
	if o.scaling && o.latency {
		return o, fmt.Errorf("-scaling and -latency are two runs; give one of them")
	}
	if o.scaling && !set["sizes"] {
		*sizes = scalingSizes
	}
	if !set["slow-runs"] {
		o.slowRuns = o.runs
	}
	var err error
	if o.sizes, err = parseSizes(*sizes); err != nil {
		return o, err
	}
	if o.skip, err = parseSkip(*skip); err != nil {
		return o, err
	}
	if o.scaling {
		o.skip["xlsx"] = true // one sheet holds at most 1,048,575 rows; the CSV is the scaling path
	}
	for name, n := range map[string]int{"latency-runs": o.latencyRuns, "runs": o.runs, "slow-runs": o.slowRuns, "report-runs": o.reportRuns, "startup-runs": o.startupRuns} {
		if n < 1 {
			return o, fmt.Errorf("-%s must be at least 1, not %d", name, n)
		}
	}
	if o.year < 1950 || o.year > 2100 {
		return o, fmt.Errorf("-year %d is outside the generator's range; use a year such as 2018", o.year)
	}
	return o, nil
}

// parseSizes reads "100000,1000000" (k and m suffixes allowed) into ascending
// sizes without repeats.
func parseSizes(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		mult := 1
		switch {
		case strings.HasSuffix(f, "k"):
			mult, f = 1000, strings.TrimSuffix(f, "k")
		case strings.HasSuffix(f, "m"):
			mult, f = 1000000, strings.TrimSuffix(f, "m")
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-sizes %q is not a list of positive row counts; write it like 100000,1000000 or 100k,1m", s)
		}
		n *= mult
		i := 0
		for i < len(out) && out[i] < n {
			i++
		}
		if i < len(out) && out[i] == n {
			continue
		}
		out = append(out[:i], append([]int{n}, out[i:]...)...)
	}
	return out, nil
}

// parseSkip reads the -skip list, rejecting names it does not know.
func parseSkip(s string) (map[string]bool, error) {
	m := map[string]bool{}
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		known := false
		for _, k := range skippable {
			known = known || k == f
		}
		if !known {
			return nil, fmt.Errorf("-skip %q: unknown part %q; the parts are %s", s, f, strings.Join(skippable, ", "))
		}
		m[f] = true
	}
	return m, nil
}
