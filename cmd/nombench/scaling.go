package main

import (
	"fmt"
	"io"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"text/tabwriter"
	"time"
)

// scalingSizes are -scaling's default sizes: the nominations of issue 16's
// scaling table, and 200,000 for `person dupes` at 50,000 people (the
// generator makes about one person per four nominations).
const scalingSizes = "100000,200000,1000000,4000000"

// scalingStep is one command measured once at one size.
type scalingStep struct {
	n, people int
	name      string // "import", "report year 2018", "person dupes"
	s         sample
	status    string // empty when measured; else what went wrong
}

// peopleCount reads the people a data set has from nomgen's summary
// ("…, 250000 people, …").
var peopleCount = regexp.MustCompile(`(\d+) people`)

// runScaling measures, once per size, how the commands whose cost grows
// with the data grow (issue 16): the import of the nominations CSV into a
// fresh database, then on that database `report year` and `person dupes`
// (every pair written as CSV to /dev/null, so the output's own growth is
// in its time). One run each: the largest sizes take minutes, and the
// point is the growth from one size to the next, not a median.
func (b *bench) runScaling() error {
	b.loadStart = loadAvg()
	var steps []scalingStep
	for _, n := range b.o.sizes {
		d, err := b.generate(n)
		if err != nil {
			return err
		}
		b.datasets = append(b.datasets, d)
		people := 0
		if m := peopleCount.FindStringSubmatch(d.summary); m != nil {
			people, _ = strconv.Atoi(m[1])
		}
		b.progress("scaling: importing %d nominations", n)
		o, err := b.nomtrackImport(d, d.csv, "csv", 0)
		if err != nil {
			steps = append(steps, scalingStep{n: n, people: people, name: "import", status: "failed: " + err.Error()})
			removeDB(o.db)
			continue
		}
		steps = append(steps, scalingStep{n: n, people: people, name: "import", s: o.s})
		b.progress("scaling: import of %d nominations: %s wall, %s cpu, %s", n, fmtDur(o.s.wall), fmtDur(o.s.user+o.s.sys), fmtMB(o.s.rssKiB))
		nt := func(args ...string) command {
			return command{args: append([]string{b.nomtrack, "--db", o.db}, args...), env: b.env}
		}
		for _, c := range []struct {
			name string
			cmd  command
		}{
			{fmt.Sprintf("report year %d", b.o.year), nt("report", "year", strconv.Itoa(b.o.year), "-o", "json")},
			{"person dupes", nt("person", "dupes", "-o", "csv")},
		} {
			b.progress("scaling: %s at %d nominations", c.name, n)
			st := scalingStep{n: n, people: people, name: c.name}
			if st.s, err = b.r.measure(c.cmd); err != nil {
				st.status = "failed: " + err.Error()
			} else {
				// Said at once too: the largest sizes take long enough that
				// a run may be stopped before the tables.
				b.progress("scaling: %s at %d nominations: %s wall, %s cpu, %s", c.name, n, fmtDur(st.s.wall), fmtDur(st.s.user+st.s.sys), fmtMB(st.s.rssKiB))
			}
			steps = append(steps, st)
		}
		if !b.o.keep {
			removeDB(o.db)
		}
	}
	b.printScaling(b.out, steps)
	return nil
}

// printScaling prints one table per command: time, CPU and peak memory at
// each size, and how much each grew against the data since the size before
// (1.0: linear; below: better than linear).
func (b *bench) printScaling(w io.Writer, steps []scalingStep) {
	fmt.Fprintf(w, "nombench -scaling — how import, report year and person dupes grow (%s)\n\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "machine\t%d CPUs, %s, %s memory, Linux %s\n", runtime.NumCPU(), cpuModel(), memTotal(), readTrim("/proc/sys/kernel/osrelease"))
	fmt.Fprintf(tw, "nomtrack\tcommit %s, built with CGO_ENABLED=0 by %s\n", b.commit, runtime.Version())
	fmt.Fprintf(tw, "runs\tone per command and size (wall-clock time, user+sys CPU time and peak RSS from GNU time -v)\n")
	fmt.Fprintf(tw, "load\taverage %s at the start, %s at the end (1, 5, 15 min; other work on the machine slows wall-clock times most)\n", b.loadStart, loadAvg())
	fmt.Fprintf(tw, "data\tcmd/nomgen -seed %d; each size imported into a fresh database, the commands run on it\n", b.o.seed)
	tw.Flush()
	fmt.Fprintln(w)
	for _, d := range b.datasets {
		fmt.Fprintf(w, "data set %s: %s; nominations.csv %s\n", fmtCount(d.n), d.summary, fmtBytes(d.csvBytes))
	}
	fmt.Fprintln(w)
	for _, name := range []string{"import", fmt.Sprintf("report year %d", b.o.year), "person dupes"} {
		fmt.Fprintf(w, "== %s\n", name)
		t := &table{header: []string{"nominations", "people", "wall", "cpu (user+sys)", "peak RSS", "× data", "× cpu", "× RSS"},
			right: []bool{true, true, true, true, true, true, true, true}, lead: 2}
		var prev *scalingStep
		for i := range steps {
			s := &steps[i]
			if s.name != name {
				continue
			}
			if s.status != "" {
				t.addNote(s.status, fmtCount(s.n), fmtCount(s.people))
				prev = nil
				continue
			}
			grow := []string{"", "", ""}
			if prev != nil {
				grow = []string{
					fmt.Sprintf("%.1f", float64(s.n)/float64(prev.n)),
					fmt.Sprintf("%.1f", float64(s.s.user+s.s.sys)/float64(max(prev.s.user+prev.s.sys, time.Millisecond))),
					fmt.Sprintf("%.1f", float64(s.s.rssKiB)/float64(max(prev.s.rssKiB, 1))),
				}
			}
			t.add(append([]string{fmtCount(s.n), fmtCount(s.people), fmtDur(s.s.wall), fmtDur(s.s.user + s.s.sys), fmtMB(s.s.rssKiB)}, grow...)...)
			prev = s
		}
		t.write(w)
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "× data, × cpu, × RSS: each size against the one before; × cpu near × data is linear growth, below it better than linear.")
	if _, err := os.Stat("/proc/loadavg"); err == nil {
		fmt.Fprintln(w, "CPU time is the figure to compare on a shared machine: wall-clock time includes waiting for the other processes.")
	}
}
