package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"
)

// Goals of issue 6, judged at the largest data set (they are set at 1M rows).
const (
	goalSQLite3Ratio   = 0.75              // nomtrack CSV import time ÷ sqlite3 .import time, at most
	goalUtilsSpeedup   = 5.0               // sqlite-utils time ÷ nomtrack CSV import time, at least
	goalRSSCSV         = 100 * 1000 * 1000 // bytes of peak RSS importing CSV, at most
	goalRSSXLSX        = 200 * 1000 * 1000 // bytes of peak RSS importing XLSX, at most
	goalReportYear     = 300 * time.Millisecond
	goalStartupRatio   = 2.0 // nomtrack version ÷ sqlite3 --version, at most
	goalSizeForVerdict = 1000000
)

// fmtDur prints a duration with the precision its size deserves.
func fmtDur(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	switch {
	case ms < 10:
		return fmt.Sprintf("%.2f ms", ms)
	case ms < 1000:
		return fmt.Sprintf("%.0f ms", ms)
	case ms < 100000:
		return fmt.Sprintf("%.2f s", ms/1000)
	}
	return fmt.Sprintf("%.0f s", ms/1000)
}

// fmtMB prints KiB (GNU time's unit) as decimal megabytes, the unit of the
// goals.
func fmtMB(kib int64) string {
	return fmt.Sprintf("%.1f MB", float64(kib)*1024/1e6)
}

// fmtBytes prints a file size in decimal megabytes.
func fmtBytes(n int64) string {
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}

// fmtCount prints n with thousands separators.
func fmtCount(n int) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// ratio divides two medians, or says n/a when either is missing.
func ratio(a, b time.Duration) (float64, bool) {
	if a <= 0 || b <= 0 {
		return 0, false
	}
	return float64(a) / float64(b), true
}

// print writes the whole report to stdout.
func (b *bench) print() {
	w := b.out
	title := "nomtrack side by side with sqlite3 and sqlite-utils"
	if b.o.latency {
		title = "latency of nomtrack's daily commands (-latency)"
	}
	fmt.Fprintf(w, "nombench — %s (%s)\n\n", title, time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	b.printSetting(w)
	if b.o.latency {
		b.printLatency(w)
		return
	}
	for _, d := range b.datasets {
		b.printImports(w, d)
		b.printPostgres(w, d)
	}
	if len(b.reports) > 0 {
		b.printReports(w)
	}
	if len(b.startup) > 0 {
		b.printStartup(w)
	}
	if len(b.notes) > 0 {
		fmt.Fprintln(w, "== checks")
		for _, n := range b.notes {
			fmt.Fprintln(w, n)
		}
		fmt.Fprintln(w)
	}
	b.printGoals(w)
}

// printSetting says what was measured, where and how.
func (b *bench) printSetting(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "machine\t%d CPUs, %s, %s memory, Linux %s\n", runtime.NumCPU(), cpuModel(), memTotal(), readTrim("/proc/sys/kernel/osrelease"))
	fmt.Fprintf(tw, "nomtrack\tcommit %s, built with CGO_ENABLED=0 by %s\n", b.commit, runtime.Version())
	fmt.Fprintf(tw, "sqlite3\t%s\n", b.toolVersion(b.o.sqlite3, "--version"))
	if !b.o.skip["sqlite-utils"] && !b.o.latency {
		fmt.Fprintf(tw, "sqlite-utils\t%s\n", b.toolVersion(b.o.sqliteUtils, "--version"))
	}
	slow := ""
	if b.o.slowRuns != b.o.runs {
		slow = fmt.Sprintf(" (sqlite-utils %d)", b.o.slowRuns)
	}
	if b.o.latency {
		fmt.Fprintf(tw, "runs\t%d per command after %d warm-ups, on a copy of the kept database (%s); each write has a record of its own per run\n",
			b.o.latencyRuns, startupWarmups, b.latencyDB)
	} else {
		fmt.Fprintf(tw, "runs\t%d per import%s, %d per report, %d per start-up command; times are medians of wall-clock time, peak RSS the largest over the runs (GNU time -v)\n",
			b.o.runs, slow, b.o.reportRuns, b.o.startupRuns)
	}
	fmt.Fprintf(tw, "load\taverage %s at the start, %s at the end (1, 5, 15 min; other work on the machine slows every tool, and wall-clock times most)\n", b.loadStart, loadAvg())
	if b.o.latency {
		fmt.Fprintf(tw, "data\tcmd/nomgen -seed %d, offerings in %d-%d, imported once into the kept database\n", b.o.seed, 2010, 2025)
	} else {
		fmt.Fprintf(tw, "data\tcmd/nomgen -seed %d, offerings in %d-%d; every import starts from a fresh database\n", b.o.seed, 2010, 2025)
	}
	if b.o.quick {
		fmt.Fprintf(tw, "mode\tquick (-quick): small sizes, few runs; the goals are set at 1M rows, so the verdicts below are indicative only\n")
	}
	tw.Flush()
	fmt.Fprintln(w)
	for _, d := range b.datasets {
		how := fmt.Sprintf("generated in %s", fmtDur(d.took))
		if d.reused {
			how = "reused from an earlier run"
		}
		files := "nominations.csv " + fmtBytes(d.csvBytes)
		if d.xlsx != "" {
			files += ", nominations.xlsx " + fmtBytes(d.xlsxBytes)
		}
		fmt.Fprintf(w, "data set %s: %s; %s (%s)\n", fmtCount(d.n), d.summary, files, how)
	}
	fmt.Fprintln(w)
}

// toolVersion runs a tool's version flag and returns its first line.
func (b *bench) toolVersion(tool, flag string) string {
	out, err := b.r.output(command{args: []string{tool, flag}, env: b.env})
	if err != nil {
		return "not available"
	}
	line, _, _ := strings.Cut(strings.TrimSpace(out), "\n")
	return line
}

// importsOf returns the import results of data set d, in measuring order.
func (b *bench) importsOf(n int) []*importResult {
	var out []*importResult
	for _, r := range b.imports {
		if r.n == n {
			out = append(out, r)
		}
	}
	return out
}

// find returns the import result of tool at size n.
func (b *bench) find(n int, tool string) *importResult {
	for _, r := range b.imports {
		if r.n == n && r.tool == tool {
			return r
		}
	}
	return nil
}

// printImports prints the import table of one data set.
func (b *bench) printImports(w io.Writer, d *dataset) {
	fmt.Fprintf(w, "== import of %s nominations\n", fmtCount(d.n))
	t := &table{
		header: []string{"tool", "median", "cpu (user+sys)", "peak RSS", "rows/s", "÷ sqlite3"},
		right:  []bool{false, true, true, true, true, true},
	}
	var floor time.Duration
	if sq := b.find(d.n, toolSQLite3); sq != nil && sq.status == "" {
		floor = sq.s.median()
	}
	var setup []string
	for _, r := range b.importsOf(d.n) {
		if r.tool == toolNomtrackPG || r.tool == toolPsqlCopy {
			continue // printPostgres
		}
		if r.status != "" {
			t.addNote(r.status, r.tool)
			continue
		}
		m := r.s.median()
		rel := "n/a"
		if x, ok := ratio(m, floor); ok {
			rel = fmt.Sprintf("%.2f", x)
		}
		t.add(r.tool, fmtDur(m), fmtDur(r.s.cpu()), fmtMB(r.s.peakKiB()), fmtCount(int(float64(d.n)/m.Seconds())), rel)
		if len(r.setup) > 0 {
			setup = append(setup, fmt.Sprintf("%s %s", strings.Trim(strings.TrimPrefix(r.tool, "nomtrack import "), "()"), fmtDur(r.setup.median())))
		}
	}
	t.write(w)
	if len(setup) > 0 {
		fmt.Fprintf(w, "(nomtrack's times exclude the setup of each fresh database — init, then import of courses.csv and offerings.csv — which took a median of %s)\n", strings.Join(setup, ", "))
	}
	fmt.Fprintln(w)
}

// printReports prints the report comparison.
func (b *bench) printReports(w io.Writer) {
	largest := b.datasets[len(b.datasets)-1].n
	fmt.Fprintf(w, "== reports on the %s-row databases (sqlite3: the flat table, one index on start, courses joined for the area and provider breakdowns)\n", fmtCount(largest))
	t := &table{header: []string{"report", "tool", "median", "cpu (user+sys)", "peak RSS", "÷ sqlite3"}, right: []bool{false, false, true, true, true, true}}
	for i, r := range b.reports {
		if r.status != "" {
			t.addNote(r.status, r.name, r.tool)
			continue
		}
		rel := ""
		if i%2 == 0 && i+1 < len(b.reports) && b.reports[i+1].status == "" {
			if x, ok := ratio(r.s.median(), b.reports[i+1].s.median()); ok {
				rel = fmt.Sprintf("%.2f", x)
			}
		}
		t.add(r.name, r.tool, fmtDur(r.s.median()), fmtDur(r.s.cpu()), fmtMB(r.s.peakKiB()), rel)
	}
	t.write(w)
	fmt.Fprintln(w)
}

// printStartup prints the start-up comparison.
func (b *bench) printStartup(w io.Writer) {
	fmt.Fprintf(w, "== start-up (median of %d runs each, alternating, after %d warm-ups; timed without GNU time; cpu is user+sys; scripts/startup.sh measures by perf stat)\n", b.o.startupRuns, startupWarmups)
	t := &table{header: []string{"command", "median", "cpu", "peak RSS"}, right: []bool{false, true, true, true}}
	for _, r := range b.startup {
		if r.status != "" {
			t.addNote(r.status, r.tool)
			continue
		}
		t.add(r.tool, fmtDur(medianDur(r.walls)), fmtDur(medianDur(r.cpus)), fmtMB(r.rssKiB))
	}
	t.write(w)
	fmt.Fprintln(w)
}

// verdict is one goal's line.
type verdict struct {
	goal, measured, target, result string
}

// goals judges the measurements of the largest data set against issue 6.
func (b *bench) goals() []verdict {
	n := b.datasets[len(b.datasets)-1].n
	na := func(goal, target, why string) verdict { return verdict{goal, why, target, "n/a"} }
	pass := func(ok bool) string {
		if ok {
			return "PASS"
		}
		return "MISS"
	}
	var out []verdict
	nt, sq, su := b.find(n, toolNomtrackCSV), b.find(n, toolSQLite3), b.find(n, toolSQLiteUtils)
	measured := func(r *importResult) bool { return r != nil && r.status == "" && len(r.s) > 0 }

	g, t := "import csv time ÷ sqlite3 .import time", fmt.Sprintf("≤ %.2f", goalSQLite3Ratio)
	if x, ok := ratio(medianIf(nt, measured), medianIf(sq, measured)); ok {
		out = append(out, verdict{g, fmt.Sprintf("%.2f (%s vs %s; cpu time %s)", x, fmtDur(nt.s.median()), fmtDur(sq.s.median()), cpuRatio(nt.s, sq.s)), t, pass(x <= goalSQLite3Ratio)})
	} else {
		out = append(out, na(g, t, "not measured"))
	}
	g, t = "sqlite-utils time ÷ import csv time", fmt.Sprintf("≥ %.0f", goalUtilsSpeedup)
	if x, ok := ratio(medianIf(su, measured), medianIf(nt, measured)); ok {
		out = append(out, verdict{g, fmt.Sprintf("%.1f (%s vs %s; cpu time %s)", x, fmtDur(su.s.median()), fmtDur(nt.s.median()), cpuRatio(su.s, nt.s)), t, pass(x >= goalUtilsSpeedup)})
	} else {
		out = append(out, na(g, t, "not measured"))
	}
	g, t = "peak RSS, import csv", "≤ "+fmtBytes(goalRSSCSV)
	if measured(nt) {
		out = append(out, verdict{g, fmtMB(nt.s.peakKiB()), t, pass(nt.s.peakKiB()*1024 <= goalRSSCSV)})
	} else {
		out = append(out, na(g, t, "not measured"))
	}
	g, t = "peak RSS, import xlsx", "≤ "+fmtBytes(goalRSSXLSX)
	var nx *importResult
	for i := len(b.datasets) - 1; i >= 0 && nx == nil; i-- {
		if r := b.find(b.datasets[i].n, toolNomtrackXLSX); measured(r) {
			nx = r
		}
	}
	if nx != nil {
		m := fmtMB(nx.s.peakKiB())
		if nx.n != n {
			m += fmt.Sprintf(" (at %s rows)", fmtCount(nx.n))
		}
		out = append(out, verdict{g, m, t, pass(nx.s.peakKiB()*1024 <= goalRSSXLSX)})
	} else {
		out = append(out, na(g, t, "not measured"))
	}
	g, t = fmt.Sprintf("report year %d", b.o.year), "≤ "+fmtDur(goalReportYear)
	if len(b.reports) > 0 && b.reports[0].status == "" && len(b.reports[0].s) > 0 {
		m := b.reports[0].s.median()
		out = append(out, verdict{g, fmt.Sprintf("%s (cpu time %s)", fmtDur(m), fmtDur(b.reports[0].s.cpu())), t, pass(m <= goalReportYear)})
	} else {
		out = append(out, na(g, t, "not measured"))
	}
	out = append(out, b.postgresGoal(n), b.postgresReportGoal(n))
	g, t = "start-up: nomtrack version ÷ sqlite3 --version", fmt.Sprintf("≤ %.0f", goalStartupRatio)
	if len(b.startup) == 2 && b.startup[0].status == "" && b.startup[1].status == "" {
		a, c := medianDur(b.startup[0].walls), medianDur(b.startup[1].walls)
		x, _ := ratio(a, c)
		cpu := "n/a"
		if y, ok := ratio(medianDur(b.startup[0].cpus), medianDur(b.startup[1].cpus)); ok {
			cpu = fmt.Sprintf("%.2f", y)
		}
		out = append(out, verdict{g, fmt.Sprintf("%.2f (%s vs %s; cpu time %s)", x, fmtDur(a), fmtDur(c), cpu), t, pass(x <= goalStartupRatio)})
	} else {
		out = append(out, na(g, t, "not measured"))
	}
	return out
}

// cpuRatio is the ratio of two measurements' median CPU times, which other
// work on the machine disturbs less than their wall-clock times.
func cpuRatio(a, b samples) string {
	if x, ok := ratio(a.cpu(), b.cpu()); ok {
		return fmt.Sprintf("%.2f", x)
	}
	return "n/a"
}

// medianIf is r's median when ok(r), else zero.
func medianIf(r *importResult, ok func(*importResult) bool) time.Duration {
	if !ok(r) {
		return 0
	}
	return r.s.median()
}

// printGoals prints the verdicts.
func (b *bench) printGoals(w io.Writer) {
	n := b.datasets[len(b.datasets)-1].n
	note := ""
	if n != goalSizeForVerdict {
		note = fmt.Sprintf(" — the goals are set at %s rows, so these verdicts are indicative only", fmtCount(goalSizeForVerdict))
	}
	fmt.Fprintf(w, "== goals (issue 6) at %s rows%s\n", fmtCount(n), note)
	t := &table{header: []string{"goal", "measured", "target", "verdict"}, right: make([]bool, 4)}
	for _, v := range b.goals() {
		t.add(v.goal, v.measured, v.target, v.result)
	}
	t.write(w)
}

// cpuModel is the processor's name from /proc/cpuinfo.
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

// memTotal is the machine's memory from /proc/meminfo.
func memTotal() string {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var kib int64
		if _, err := fmt.Sscanf(sc.Text(), "MemTotal: %d kB", &kib); err == nil {
			return fmt.Sprintf("%.1f GB", float64(kib)*1024/1e9)
		}
	}
	return "unknown"
}

// loadAvg is the machine's 1, 5 and 15 minute load averages.
func loadAvg() string {
	f := strings.Fields(readTrim("/proc/loadavg"))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// readTrim reads a small file, trimmed, or "unknown".
func readTrim(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(b))
}
