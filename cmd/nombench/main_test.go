package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nomtrack/nomtrack/internal/pgtest"
)

func TestParseFlagsDefaultsAndQuick(t *testing.T) {
	o, err := parseFlags(nil, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(o.sizes, []int{100000, 1000000}) || o.runs != 3 || o.slowRuns != 3 {
		t.Errorf("defaults: sizes %v runs %d slow %d", o.sizes, o.runs, o.slowRuns)
	}
	o, err = parseFlags([]string{"-quick", "-runs", "2"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(o.sizes, []int{10000, 50000}) || o.runs != 2 || o.slowRuns != 2 || o.startupRuns != 11 {
		t.Errorf("quick with -runs 2: sizes %v runs %d slow %d startup %d", o.sizes, o.runs, o.slowRuns, o.startupRuns)
	}
	o, err = parseFlags([]string{"-sizes", "1m,100k,100000", "-slow-runs", "1", "-skip", "xlsx, sqlite-utils"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(o.sizes, []int{100000, 1000000}) || o.slowRuns != 1 || !o.skip["xlsx"] || !o.skip["sqlite-utils"] || o.skip["reports"] {
		t.Errorf("explicit: sizes %v slow %d skip %v", o.sizes, o.slowRuns, o.skip)
	}
}

func TestRunRejectsBadFlagsWithExit2(t *testing.T) {
	for name, args := range map[string][]string{
		"ErrSizes":     {"-sizes", "lots"},
		"ErrZeroSize":  {"-sizes", "0"},
		"ErrSkip":      {"-skip", "sqlite3"},
		"ErrRuns":      {"-runs", "0"},
		"ErrYear":      {"-year", "18"},
		"ErrExtraArg":  {"now"},
		"ErrUnknown":   {"-rows", "5"},
		"ErrSlowRuns":  {"-slow-runs", "-1"},
		"ErrStartupRn": {"-startup-runs", "0"},
	} {
		t.Run(name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := run(context.Background(), args, &out, &errb); code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if errb.Len() == 0 || out.Len() != 0 {
				t.Errorf("stdout %q stderr %q", out.String(), errb.String())
			}
		})
	}
}

func TestParseTimeReportReadsPeakRSSAndCPU(t *testing.T) {
	report := `	Command being timed: "sqlite3 x.db"
	User time (seconds): 1.25
	System time (seconds): 0.50
	Percent of CPU this job got: 99%
	Elapsed (wall clock) time (h:mm:ss or m:ss): 0:01.76
	Maximum resident set size (kbytes): 48828
	Exit status: 0
`
	s, err := parseTimeReport([]byte(report))
	if err != nil {
		t.Fatal(err)
	}
	if s.rssKiB != 48828 || s.user != 1250*time.Millisecond || s.sys != 500*time.Millisecond {
		t.Errorf("parsed %+v", s)
	}
	if _, err := parseTimeReport([]byte("0.01user 0.00system 0:00.01elapsed\n")); err == nil {
		t.Error("a report without -v's fields was accepted")
	}
}

func TestSamplesMedianAndPeak(t *testing.T) {
	s := samples{{wall: 3 * time.Second, rssKiB: 10}, {wall: time.Second, rssKiB: 30}, {wall: 2 * time.Second, rssKiB: 20}}
	if s.median() != 2*time.Second || s.peakKiB() != 30 {
		t.Errorf("odd: median %v peak %d", s.median(), s.peakKiB())
	}
	s = append(s, sample{wall: 10 * time.Second})
	if s.median() != 2500*time.Millisecond {
		t.Errorf("even: median %v, want the mean of the middle two", s.median())
	}
	if (samples{}).median() != 0 {
		t.Error("empty median is not zero")
	}
}

func TestCrossCheckAgreesAndReportsMismatches(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	sq := write("sq.json", `[{"year":2018,"capacity":500,"nominations":10,"committed":8,"participated":6,"participants":5,"utilisation":0.012}]
[{"status":"completed","nominations":6}]
`)
	same := write("nt.json", `{"year":2018,"capacity":500,"nominations":10,"committed":8,"participated":6,"participants":5,"by_status":{}}`)
	if got := crossCheck("report year 2018", same, sq, false); !strings.Contains(got, "agree") {
		t.Errorf("equal figures: %s", got)
	}
	other := write("nt2.json", `{"year":2018,"nominations":10,"committed":8,"participated":7,"participants":5}`)
	if got := crossCheck("report year 2018", other, sq, false); !strings.Contains(got, "MISMATCH") || !strings.Contains(got, "participated: nomtrack 7, sqlite3 6") {
		t.Errorf("different figures: %s", got)
	}
	sqTrend := write("sqt.json", `[{"year":2010,"nominations":1,"committed":1,"participated":1,"participants":1},{"year":2011,"nominations":2,"committed":0,"participated":0,"participants":0}]`)
	ntTrend := write("ntt.json", `{"years":[{"year":2010,"nominations":1,"committed":1,"participated":1,"participants":1},{"year":2011,"nominations":2,"committed":0,"participated":0,"participants":0}]}`)
	if got := crossCheck("report trend", ntTrend, sqTrend, true); !strings.Contains(got, "agree") || !strings.Contains(got, "all 2 years") {
		t.Errorf("trend wrapped in an object: %s", got)
	}
	ntShort := write("nts.json", `[{"year":2010,"nominations":1,"committed":1,"participated":1,"participants":1}]`)
	if got := crossCheck("report trend", ntShort, sqTrend, true); !strings.Contains(got, "year 2011 missing") {
		t.Errorf("missing year: %s", got)
	}
}

func TestTableAlignsNamesLeftAndFiguresRight(t *testing.T) {
	tb := &table{header: []string{"tool", "median"}, right: []bool{false, true}}
	tb.add("sqlite3", "1.5 s")
	tb.add("nomtrack import (csv)", "12.25 s")
	tb.addNote("not available: no import", "nomtrack import (xlsx)")
	var b bytes.Buffer
	tb.write(&b)
	want := "tool                     median\n" +
		"sqlite3                   1.5 s\n" +
		"nomtrack import (csv)   12.25 s\n" +
		"nomtrack import (xlsx)  not available: no import\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestIsolatedEnvDropsUserSettings(t *testing.T) {
	env := isolatedEnv([]string{"PATH=/bin", "HOME=/root", "NOMTRACK_DB=/x.db", "NO_COLOR=", "XDG_CONFIG_HOME=/c"}, "/w/home")
	joined := strings.Join(env, "\n")
	for _, bad := range []string{"HOME=/root", "NOMTRACK_DB", "XDG_CONFIG_HOME=/c"} {
		if strings.Contains(joined, bad) {
			t.Errorf("environment keeps %s", bad)
		}
	}
	for _, good := range []string{"PATH=/bin", "HOME=/w/home", "NO_COLOR=1", "XDG_CONFIG_HOME=/w/home/.config"} {
		if !slices.Contains(env, good) {
			t.Errorf("environment lacks %s", good)
		}
	}
}

func TestFmtCountAndDur(t *testing.T) {
	for n, want := range map[int]string{7: "7", 1000: "1,000", 1000000: "1,000,000", 123456: "123,456"} {
		if got := fmtCount(n); got != want {
			t.Errorf("fmtCount(%d) = %s", n, got)
		}
	}
	for d, want := range map[time.Duration]string{2500 * time.Microsecond: "2.50 ms", 250 * time.Millisecond: "250 ms", 12345 * time.Millisecond: "12.35 s"} {
		if got := fmtDur(d); got != want {
			t.Errorf("fmtDur(%v) = %s, want %s", d, got, want)
		}
	}
}

// TestRunMeasuresAndJudgesASmallProgramme runs the whole harness on a tiny
// data set with the real tools, when they are installed.
func TestRunMeasuresAndJudgesASmallProgramme(t *testing.T) {
	if testing.Short() {
		t.Skip("builds nomtrack and runs sqlite3")
	}
	for _, tool := range []string{"/usr/bin/time", "sqlite3"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
	work := filepath.Join(t.TempDir(), "work")
	var out, errb bytes.Buffer
	args := []string{"-quick", "-sizes", "300", "-skip", "sqlite-utils", "-report-runs", "1", "-startup-runs", "2",
		"-repo", "../..", "-work", work, "-sqlite3", "sqlite3"}
	if code := run(context.Background(), args, &out, &errb); code != 0 {
		t.Fatalf("exit %d\n%s", code, errb.String())
	}
	report := out.String()
	for _, re := range []string{
		`(?m)^sqlite3 \.import \(csv\) +[0-9.]+ m?s `,
		`(?m)^report year 2018 +sqlite3 \(same aggregates\) +[0-9.]+ m?s `,
		`(?m)^nomtrack version +[0-9.]+ ms +[0-9.]+ ms +[0-9.]+ MB$`,
		`(?m)^start-up: nomtrack version ÷ sqlite3 --version +[0-9.]+ .*(PASS|MISS)$`,
		`(?m)^sqlite-utils insert --csv +skipped`,
		`(?m)^nomtrack import \(csv\) +([0-9.]+ m?s|not available)`,
	} {
		if !regexp.MustCompile(re).MatchString(report) {
			t.Errorf("report lacks %s:\n%s", re, report)
		}
	}
	if _, err := pgtest.BinDir(); err == nil {
		// PostgreSQL (issue 17): the import beside psql, and report
		// year on each imported database, judged at the largest size.
		for _, re := range []string{
			`(?m)^nomtrack import \(csv, postgres\) +[0-9.]+ m?s `,
			`(?m)^report year 2018 on each imported database: median [0-9.]+ m?s, cpu time `,
			`(?m)^report year 2018 on PostgreSQL \(issue 17\) +[0-9.]+ m?s \(cpu time .*(PASS|MISS)$`,
		} {
			if !regexp.MustCompile(re).MatchString(report) {
				t.Errorf("report lacks %s:\n%s", re, report)
			}
		}
	}
	if strings.Contains(report, "MISMATCH") || strings.Contains(report, "failed:") {
		t.Errorf("report has a failure:\n%s", report)
	}
	for _, d := range []string{"db", "data", "bin"} {
		if _, err := os.Stat(filepath.Join(work, d)); !os.IsNotExist(err) {
			t.Errorf("%s was not cleaned up: %v", d, err)
		}
	}
}

func TestLatencyFlagsDefaultToTheMillion(t *testing.T) {
	o, err := parseFlags([]string{"-latency"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !o.latency || len(o.sizes) != 1 || o.sizes[0] != 1000000 || o.latencyRuns != 20 {
		t.Errorf("-latency: sizes %v, runs %d; want the 1M database, 20 runs", o.sizes, o.latencyRuns)
	}
	if _, err := parseFlags([]string{"-latency", "-latency-runs", "0"}, io.Discard); err == nil {
		t.Error("-latency-runs 0 was accepted")
	}
}

func TestPercentileIsNearestRank(t *testing.T) {
	var ds []time.Duration
	for i := 20; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	if p := percentile(ds, 50); p != 10*time.Millisecond {
		t.Errorf("p50 of 1..20 ms = %v, want 10ms", p)
	}
	if p := percentile(ds, 95); p != 19*time.Millisecond {
		t.Errorf("p95 of 1..20 ms = %v, want 19ms", p)
	}
	if p := percentile(ds[:1], 95); p != 20*time.Millisecond {
		t.Errorf("p95 of one run = %v, want that run", p)
	}
}

func TestLatencyVerdict(t *testing.T) {
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	approve := &latencyResult{c: latencyCase{name: "approve", goal: ms(20)}, walls: []time.Duration{ms(12), ms(15), ms(30)}, rssKiB: 20000}
	if goal, v := latencyVerdict(approve, nil); goal != "≤ 20 ms" || v != "PASS" {
		t.Errorf("approve at p50 15 ms: %q %q", goal, v)
	}
	dupes := &latencyResult{c: latencyCase{name: "dupes", goal: 3 * time.Second, goalRSS: 150e6}, walls: []time.Duration{time.Second}, rssKiB: 200000}
	if _, v := latencyVerdict(dupes, nil); v != "MISS" {
		t.Errorf("dupes at 205 MB against 150 MB: %q, want MISS", v)
	}
	version := &latencyResult{c: latencyCase{name: "version", ratioTo: "sqlite3", goalRatio: 2}, walls: []time.Duration{ms(5)}}
	p50 := map[string]time.Duration{"version": ms(5), "sqlite3": ms(2)}
	if goal, v := latencyVerdict(version, p50); goal != "≤ 2.0 × sqlite3" || v != "MISS (2.50 ×)" {
		t.Errorf("version at 2.5 × sqlite3: %q %q", goal, v)
	}
}

// TestLatencyModeMeasuresEveryCommand runs the latency mode end to end on a
// small kept database: every row is measured (none failed), the kept
// database is built once and reused, and the writes went to a copy.
func TestLatencyModeMeasuresEveryCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds nomtrack and runs sqlite3")
	}
	if _, err := exec.LookPath("sqlite3"); err != nil {
		t.Skip("sqlite3 is not installed")
	}
	data := filepath.Join(t.TempDir(), "data")
	for round := range 2 {
		var out, errb bytes.Buffer
		args := []string{"-latency", "-sizes", "2000", "-latency-runs", "1", "-skip", "xlsx",
			"-repo", "../..", "-data", data, "-sqlite3", "sqlite3"}
		if code := run(context.Background(), args, &out, &errb); code != 0 {
			t.Fatalf("round %d: exit %d\n%s", round, code, errb.String())
		}
		report := out.String()
		for _, re := range []string{
			`(?m)^nomination approve ID +1 +[0-9.]+ m?s +[0-9.]+ m?s +[0-9.]+ m?s +[0-9.]+ MB +≤ 20 ms +(PASS|MISS)$`,
			`(?m)^nominate PERSON OFFERING +1 +[0-9.]+ m?s `,
			`(?m)^person show REF \(mistyped: did you mean\) +1 +[0-9.]+ m?s `,
			`(?m)^nomtrack version +1 +[0-9.]+ m?s .*≤ 2\.0 × sqlite3 --version +(PASS|MISS) \([0-9.]+ ×\)$`,
			`(?m)^report pending +1 +[0-9.]+ m?s `,
		} {
			if !regexp.MustCompile(re).MatchString(report) {
				t.Errorf("round %d: report lacks %s:\n%s", round, re, report)
			}
		}
		if strings.Contains(report, "failed:") {
			t.Errorf("round %d: a command failed:\n%s", round, report)
		}
		if reused := strings.Contains(errb.String(), "reusing the kept database"); reused != (round == 1) {
			t.Errorf("round %d: reused the kept database: %v\n%s", round, reused, errb.String())
		}
	}
	// The kept database has none of the runs' writes.
	out, err := exec.Command("sqlite3", "-readonly", filepath.Join(data, "n2000-seed1", "nomtrack.db"),
		"SELECT count(*) FROM nomination_event WHERE source = 'cli'").Output()
	if err != nil || strings.TrimSpace(string(out)) != "0" {
		t.Errorf("the kept database has %s status events from the CLI (%v); the writes belong to the copy", strings.TrimSpace(string(out)), err)
	}
}
