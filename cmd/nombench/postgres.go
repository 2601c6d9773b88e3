package main

import (
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/nomtrack/nomtrack/internal/pgtest"
)

// PostgreSQL (issue 17): nomtrack's import into a PostgreSQL database
// against the floor a user without nomtrack has there, psql's \copy of the
// same CSV into a flat table with the same unique key and index as the
// sqlite3 floor. Both run on one throwaway cluster that nombench starts
// from the machine's server binaries (internal/pgtest: a private Unix
// socket, fsync off), each run on a database of its own.

const (
	toolNomtrackPG = "nomtrack import (csv, postgres)"
	toolPsqlCopy   = `psql \copy (csv)`
	// goalPostgresRatio is issue 17's bound on the import into PostgreSQL:
	// at most this many times psql's \copy.
	goalPostgresRatio = 1.5
	// goalPostgresReportYear is issue 17's bound on `report year` at 1M
	// nominations on PostgreSQL.
	goalPostgresReportYear = 300 * time.Millisecond
)

// postgresReady says why PostgreSQL cannot be measured ("" when it can) and
// finds psql.
func (b *bench) postgresReady() string {
	if b.o.skip["postgres"] {
		return "skipped (-skip postgres)"
	}
	bin, err := pgtest.BinDir()
	if err != nil {
		return "not available: " + err.Error()
	}
	if b.o.psql == "" {
		b.o.psql = filepath.Join(bin, "psql")
		if p, err := exec.LookPath("psql"); err == nil {
			b.o.psql = p
		}
	}
	if _, err := exec.LookPath(b.o.psql); err != nil {
		return "not available: no psql (" + b.o.psql + ")"
	}
	return ""
}

// psql runs one psql command against url and returns its output.
func (b *bench) psql(url, sql string) (string, error) {
	return b.r.output(command{args: []string{b.o.psql, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql}, env: b.env})
}

// pgCount checks that table holds want rows.
func (b *bench) pgCount(url, table string, want int) error {
	out, err := b.psql(url, "SELECT count(*) FROM "+table)
	if err != nil {
		return err
	}
	got, err := strconv.Atoi(strings.TrimSpace(out))
	if err != nil {
		return fmt.Errorf("cannot count the rows of %s: %q", table, out)
	}
	if got != want {
		return fmt.Errorf("%s holds %d rows after the import, not %d", table, got, want)
	}
	return nil
}

// nomtrackImportPG measures nomtrack's import of the CSV into a new
// PostgreSQL database holding the courses and offerings (the setup, timed
// apart, as for SQLite).
func (b *bench) nomtrackImportPG(d *dataset) (outcome, error) {
	url, drop, err := pgtest.CreateDatabase()
	if err != nil {
		return outcome{}, err
	}
	defer drop()
	o := outcome{setup: &sample{}}
	nt := func(args ...string) command {
		return command{args: append([]string{b.nomtrack, "--db", url}, args...), env: b.env}
	}
	for _, c := range []command{
		nt("init"),
		nt("import", d.courses, "--kind", "courses"),
		nt("import", d.offerings, "--kind", "offerings"),
	} {
		s, err := b.r.measure(c)
		if err != nil {
			return o, err
		}
		o.setup.wall += s.wall
		o.setup.user += s.user
		o.setup.sys += s.sys
		o.setup.rssKiB = max(o.setup.rssKiB, s.rssKiB)
	}
	if o.s, err = b.r.measure(nt("import", d.csv)); err != nil {
		return o, err
	}
	if err := b.pgCount(url, "nomination", d.n); err != nil {
		return o, err
	}
	return o, b.pgReportYear(d, url)
}

// pgReportYear times `report year` on the database an import just made,
// -report-runs times after one untimed run (the server's statistics of
// the new tables, the cache), adding to the data set's samples.
func (b *bench) pgReportYear(d *dataset, url string) error {
	if b.pgReports == nil {
		b.pgReports = map[int]*reportResult{}
	}
	r := b.pgReports[d.n]
	if r == nil {
		r = &reportResult{name: fmt.Sprintf("report year %d", b.o.year), tool: "nomtrack (postgres)"}
		b.pgReports[d.n] = r
	}
	if !b.has.year {
		r.status = "not available: this nomtrack has no report year command yet"
		return nil
	}
	c := command{args: []string{b.nomtrack, "--db", url, "report", "year", strconv.Itoa(b.o.year), "-o", "json"}, env: b.env}
	if _, err := b.r.measure(c); err != nil {
		r.status = "failed: " + err.Error()
		return nil
	}
	for range b.o.reportRuns {
		s, err := b.r.measure(c)
		if err != nil {
			r.status = "failed: " + err.Error()
			return nil
		}
		r.s = append(r.s, s)
	}
	return nil
}

// psqlCopy measures psql's \copy of the CSV into the flat table, created
// (untimed) in a new database just before.
func (b *bench) psqlCopy(d *dataset) (outcome, error) {
	url, drop, err := pgtest.CreateDatabase()
	if err != nil {
		return outcome{}, err
	}
	defer drop()
	cols, err := csvHeader(d.csv)
	if err != nil {
		return outcome{}, err
	}
	schema, err := flatSchema(cols)
	if err != nil {
		return outcome{}, err
	}
	if _, err := b.psql(url, schema); err != nil {
		return outcome{}, err
	}
	var o outcome
	copyCmd := `\copy ` + flatTable + ` FROM ` + sqlQuote(d.csv) + ` WITH (FORMAT csv, HEADER true)`
	if o.s, err = b.r.measure(command{args: []string{b.o.psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", copyCmd}, env: b.env}); err != nil {
		return o, err
	}
	return o, b.pgCount(url, flatTable, d.n)
}

// printPostgres prints the PostgreSQL table of one data set: the client's
// CPU time only (the server's work is not in it), the ratio to psql.
func (b *bench) printPostgres(w io.Writer, d *dataset) {
	nt, pq := b.find(d.n, toolNomtrackPG), b.find(d.n, toolPsqlCopy)
	if nt == nil || pq == nil {
		return
	}
	fmt.Fprintf(w, "== import of %s nominations into PostgreSQL (one throwaway cluster, a new database each run)\n", fmtCount(d.n))
	t := &table{
		header: []string{"tool", "median", "client cpu", "client peak RSS", "rows/s", `÷ psql \copy`},
		right:  []bool{false, true, true, true, true, true},
	}
	var floor time.Duration
	if pq.status == "" {
		floor = pq.s.median()
	}
	for _, r := range []*importResult{nt, pq} {
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
	}
	t.write(w)
	if len(nt.setup) > 0 {
		fmt.Fprintf(w, "(nomtrack's time excludes the setup of each database — init, courses.csv, offerings.csv — a median of %s; psql's excludes creating the flat table)\n", fmtDur(nt.setup.median()))
	}
	if r := b.pgReports[d.n]; r != nil {
		switch {
		case r.status != "":
			fmt.Fprintf(w, "%s on the imported database: %s\n", r.name, r.status)
		case len(r.s) > 0:
			fmt.Fprintf(w, "%s on each imported database: median %s, cpu time %s, peak RSS %s (%d runs, each database's after one untimed)\n",
				r.name, fmtDur(r.s.median()), fmtDur(r.s.cpu()), fmtMB(r.s.peakKiB()), len(r.s))
		}
	}
	fmt.Fprintln(w)
}

// postgresReportGoal judges issue 17's bound on `report year` at the
// largest data set.
func (b *bench) postgresReportGoal(n int) verdict {
	g, t := fmt.Sprintf("report year %d on PostgreSQL (issue 17)", b.o.year), "≤ "+fmtDur(goalPostgresReportYear)
	r := b.pgReports[n]
	if r == nil || r.status != "" || len(r.s) == 0 {
		return verdict{g, "not measured", t, "n/a"}
	}
	m := r.s.median()
	pass := "MISS"
	if m <= goalPostgresReportYear {
		pass = "PASS"
	}
	return verdict{g, fmt.Sprintf("%s (cpu time %s)", fmtDur(m), fmtDur(r.s.cpu())), t, pass}
}

// postgresGoal judges issue 17's bound at the largest data set.
func (b *bench) postgresGoal(n int) verdict {
	g, t := `import csv into PostgreSQL ÷ psql \copy (issue 17)`, fmt.Sprintf("≤ %.1f", goalPostgresRatio)
	nt, pq := b.find(n, toolNomtrackPG), b.find(n, toolPsqlCopy)
	measured := func(r *importResult) bool { return r != nil && r.status == "" && len(r.s) > 0 }
	if x, ok := ratio(medianIf(nt, measured), medianIf(pq, measured)); ok {
		pass := "MISS"
		if x <= goalPostgresRatio {
			pass = "PASS"
		}
		return verdict{g, fmt.Sprintf("%.2f (%s vs %s)", x, fmtDur(nt.s.median()), fmtDur(pq.s.median())), t, pass}
	}
	return verdict{g, "not measured", t, "n/a"}
}
