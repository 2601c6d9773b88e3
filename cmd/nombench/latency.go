package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The latency mode (-latency, issue 16) times the daily commands on the
// kept database of the largest data set: each command run -latency-runs
// times, p50 and p95 of its wall time and its peak RSS, beside its goal.

// latencyNow pins nomtrack's clock for every measured command: the
// generator's programme stands as of 1 July of its last year (2025), so
// that is the day on which offerings are upcoming, deadlines pending and
// approvals ordinary.
const latencyNow = "2025-07-01"

// latencyCase is one row of the latency table.
type latencyCase struct {
	name    string        // the command as printed
	goal    time.Duration // p50 wall time at most; 0: none set
	goalRSS int64         // peak RSS in bytes at most; 0: none set
	// ratioTo names another case whose p50 this one's is divided by and
	// held to goalRatio (start-up against sqlite3 --version).
	ratioTo   string
	goalRatio float64
	// args gives the command line of run i (without the binary and --db);
	// raw runs argv as is (another program).
	args func(i int) []string
	raw  bool
	// wantCode is the exit code that means the command did its job (4 for
	// a "did you mean" of a mistyped ref); stderrHas must appear in its
	// stderr when set.
	wantCode  int
	stderrHas string
}

// latencyResult is what the runs of one case gave.
type latencyResult struct {
	c      latencyCase
	walls  []time.Duration
	cpus   []time.Duration // user+sys of each run: steadier than wall time on a busy machine
	rssKiB int64
	status string // empty when measured; else why not
	cut    bool   // fewer runs than asked: the command used up -latency-budget
}

// minLatencyRuns are the runs a command gets however long it takes.
const minLatencyRuns = 3

// latencyTargets are the records the commands are run on, read from the
// database before measuring so that each run has its own (a nomination is
// approved once).
type latencyTargets struct {
	approve []string // nominated principals, one an offering
	// seats are `offering edit REF --seats N` that give each of those
	// offerings one free seat (the generator fills its future offerings).
	seats        [][2]string
	nominate     [][2]string
	personRef    []string // refs of people, for person show
	offeringRef  []string
	nominationID []string
	search       []string // surnames, for person list --search
	mistyped     []string // refs with one character dropped
}

// measureLatency builds (or reuses) the kept database of the largest data
// set, copies it so that the writes of this run leave it as it was, and
// times every case.
func (b *bench) measureLatency(d *dataset) error {
	kept, err := b.keptDatabase(d)
	if err != nil {
		return err
	}
	db := filepath.Join(b.dbDir, "latency.db")
	removeDB(db)
	b.progress("copying the kept database for this run's writes")
	if err := copyFile(kept, db); err != nil {
		return err
	}
	t, err := b.latencyTargets(db)
	if err != nil {
		return err
	}
	b.latencyDB = db
	b.progress("giving the %d offerings of the approvals a free seat (untimed)", len(t.seats))
	for _, s := range t.seats {
		if _, err := b.r.output(command{args: []string{b.nomtrack, "--db", db, "-q", "offering", "edit", s[0], "--seats", s[1]}, env: b.env}); err != nil {
			return err
		}
	}
	env := append(slices.Clip(b.env), "NOMTRACK_NOW="+latencyNow)
	for _, c := range b.latencyCases(t) {
		res := &latencyResult{c: c}
		b.latency = append(b.latency, res)
		b.progress("latency: %s, %d runs", c.name, b.o.latencyRuns)
		warmups := startupWarmups
		var spent time.Duration
		for i := 0; i < warmups+b.o.latencyRuns; i++ {
			if i >= warmups && len(res.walls) >= minLatencyRuns && spent > b.o.latencyBudget {
				res.cut = true
				break
			}
			args := c.args(i)
			if !c.raw {
				args = append([]string{b.nomtrack, "--db", db}, args...)
			}
			wall, cpu, rss, err := b.r.rusage(command{args: args, env: env}, c.wantCode, c.stderrHas)
			if err != nil {
				if b.ctx.Err() != nil {
					return b.ctx.Err()
				}
				res.status = "failed: " + err.Error()
				break
			}
			if i < warmups {
				if wall > time.Second {
					warmups = i + 1 // one run warms a slow command's cache
				}
				continue // page cache and, on the first run, the migration
			}
			spent += wall
			res.walls = append(res.walls, wall)
			res.cpus = append(res.cpus, cpu)
			res.rssKiB = max(res.rssKiB, rss)
		}
	}
	return nil
}

// latencyCases are the rows of the table, in the order, then the
// other daily commands. Each command whose run changes the database gets a
// target of its own per run, so the runs do the same work.
func (b *bench) latencyCases(t *latencyTargets) []latencyCase {
	year := strconv.Itoa(b.o.year)
	at := func(list []string) func(int) []string {
		return func(i int) []string { return []string{list[i%len(list)]} }
	}
	with := func(head []string, f func(int) []string) func(int) []string {
		return func(i int) []string { return append(slices.Clip(head), f(i)...) }
	}
	fixed := func(args ...string) func(int) []string { return func(int) []string { return args } }
	return []latencyCase{
		{name: "nomination approve ID", goal: 20 * time.Millisecond, args: with([]string{"nomination", "approve"}, at(t.approve))},
		{name: "nominate PERSON OFFERING", goal: 20 * time.Millisecond, args: func(i int) []string {
			p := t.nominate[i%len(t.nominate)]
			return []string{"nominate", p[0], p[1]}
		}},
		{name: "person dupes", goal: 3 * time.Second, goalRSS: 150e6, args: fixed("person", "dupes")},
		{name: "report eligibility " + year, goal: 200 * time.Millisecond, goalRSS: 100e6, args: fixed("report", "eligibility", year)},
		{name: "nomination list --ministry MoD --year " + year, goal: 300 * time.Millisecond, args: fixed("nomination", "list", "--ministry", "MoD", "--year", year)},
		{name: "report trend", goal: 200 * time.Millisecond, args: fixed("report", "trend")},
		{name: "report year " + year, goal: 100 * time.Millisecond, args: fixed("report", "year", year)},
		{name: "person show REF (mistyped: did you mean)", goal: 50 * time.Millisecond, args: with([]string{"person", "show"}, at(t.mistyped)),
			wantCode: 4, stderrHas: "did you mean"},
		{name: "nomtrack version", ratioTo: "sqlite3 --version", goalRatio: 2.0, args: fixed("version")},
		{name: "sqlite3 --version", raw: true, args: fixed(b.o.sqlite3, "--version")},
		{name: "person show REF", args: with([]string{"person", "show"}, at(t.personRef))},
		{name: "offering show REF", args: with([]string{"offering", "show"}, at(t.offeringRef))},
		{name: "nomination show ID", args: with([]string{"nomination", "show"}, at(t.nominationID))},
		{name: "person list --search NAME", args: with([]string{"person", "list", "--search"}, at(t.search))},
		// Issue 13's searches: a name about one person in twenty-three has
		// as a first or second name, typed without its hamza, and its
		// Latin twin; every match listed, then the best 50.
		{name: "person list --search احمد", goal: 200 * time.Millisecond, args: fixed("person", "list", "--search", "احمد")},
		{name: "person list --search Mohammed", goal: 200 * time.Millisecond, args: fixed("person", "list", "--search", "Mohammed")},
		{name: "person list --search احمد --limit 50", goal: 200 * time.Millisecond, args: fixed("person", "list", "--search", "احمد", "--limit", "50")},
		{name: "report upcoming", args: fixed("report", "upcoming")},
		{name: "report pending", args: fixed("report", "pending")},
	}
}

// keptDatabase returns the nomtrack database of data set d, kept beside its
// files and built (init, courses, offerings, nominations; untimed) when
// missing or made by another generator. A newer nomtrack migrates it on the
// first (unmeasured) run.
func (b *bench) keptDatabase(d *dataset) (string, error) {
	db := filepath.Join(d.dir, "nomtrack.db")
	marker := filepath.Join(d.dir, ".nombench-db")
	dataMarker, err := os.ReadFile(filepath.Join(d.dir, ".nombench"))
	if err != nil {
		return "", err
	}
	if got, err := os.ReadFile(marker); err == nil && string(got) == string(dataMarker) {
		if _, err := os.Stat(db); err == nil {
			b.progress("reusing the kept database %s", db)
			return db, nil
		}
	}
	removeDB(db)
	os.Remove(marker)
	b.progress("building the kept database %s (untimed: init, courses, offerings, %s nominations)", db, fmtCount(d.n))
	for _, args := range [][]string{
		{"init"},
		{"import", d.courses, "--kind", "courses", "-q"},
		{"import", d.offerings, "--kind", "offerings", "-q"},
		{"import", d.csv, "-q"},
	} {
		if _, err := b.r.output(command{args: append([]string{b.nomtrack, "--db", db}, args...), env: b.env}); err != nil {
			removeDB(db)
			return "", fmt.Errorf("cannot build the kept database: %w", err)
		}
	}
	if err := b.checkCount(db, "nomination", d.n); err != nil {
		removeDB(db)
		return "", err
	}
	return db, writeFile(marker, string(dataMarker))
}

// latencyTargets reads from db the records the runs work on.
func (b *bench) latencyTargets(db string) (*latencyTargets, error) {
	n := b.o.latencyRuns + startupWarmups
	t := &latencyTargets{}
	q := func(sql string) ([][]string, error) {
		out, err := b.r.output(command{args: []string{b.o.sqlite3, "-batch", "-readonly", "-separator", "\t", db, sql}, env: b.env})
		if err != nil {
			return nil, err
		}
		var rows [][]string
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			if line != "" {
				rows = append(rows, strings.Split(line, "\t"))
			}
		}
		if len(rows) < n {
			return nil, fmt.Errorf("the database has %d records for %d runs of %s", len(rows), n, sql)
		}
		return rows, nil
	}
	col := func(rows [][]string, k int) []string {
		out := make([]string, len(rows))
		for i, r := range rows {
			out[i] = r[k]
		}
		return out
	}
	committed := `'approved', 'confirmed', 'attended', 'completed'`
	// One nominated principal an offering starting after the pinned day;
	// its offering gets one seat more than it has committed, so the
	// approval goes through the seat check (and counts) rather than around
	// it.
	rows, err := q(fmt.Sprintf(`SELECT min(n.id), c.code || '@' || o.start,
			1 + (SELECT count(*) FROM nomination m WHERE m.offering_id = o.id AND m.role = 'principal' AND m.status IN (%s))
		FROM nomination n JOIN offering o ON o.id = n.offering_id JOIN course c ON c.id = o.course_id
		WHERE n.role = 'principal' AND n.status = 'nominated' AND o.status = 'open' AND o.start > '%s'
		GROUP BY o.id ORDER BY o.id LIMIT %d`, committed, latencyNow, n))
	if err != nil {
		return nil, err
	}
	t.approve = col(rows, 0)
	for _, r := range rows {
		t.seats = append(t.seats, [2]string{r[1], r[2]})
	}
	// People spread over the table, each put forward for an open
	// offering after the pinned day that they are not nominated to.
	rows, err = q(fmt.Sprintf(`WITH p AS (SELECT id FROM person WHERE id %% %s = 0 ORDER BY id LIMIT %d),
		o AS (SELECT o.id, c.code || '@' || o.start AS ref FROM offering o JOIN course c ON c.id = o.course_id
			WHERE o.status = 'open' AND o.start > '%s' ORDER BY o.start, o.id LIMIT 50)
		SELECT p.id, (SELECT o.ref FROM o WHERE NOT EXISTS (SELECT 1 FROM nomination x WHERE x.person_id = p.id AND x.offering_id = o.id) ORDER BY o.id LIMIT 1)
		FROM p ORDER BY p.id`, spread("person", n), n, latencyNow))
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		t.nominate = append(t.nominate, [2]string{r[0], r[1]})
	}
	rows, err = q(fmt.Sprintf(`SELECT ref, name FROM person WHERE id %% %s = 1 AND ref IS NOT NULL AND length(ref) > 3 ORDER BY id LIMIT %d`, spread("person", 2*n), n))
	if err != nil {
		return nil, err
	}
	t.personRef = col(rows, 0)
	for _, r := range rows {
		// The mistyped ref drops the ref's second character; the
		// surname is the name's last word.
		t.mistyped = append(t.mistyped, r[0][:1]+r[0][2:])
		f := strings.Fields(r[1])
		t.search = append(t.search, f[len(f)-1])
	}
	rows, err = q(fmt.Sprintf(`SELECT c.code || '@' || o.start FROM offering o JOIN course c ON c.id = o.course_id WHERE o.id %% %s = 0 ORDER BY o.id LIMIT %d`, spread("offering", n), n))
	if err != nil {
		return nil, err
	}
	t.offeringRef = col(rows, 0)
	rows, err = q(fmt.Sprintf(`SELECT id FROM nomination WHERE id %% %s = 0 ORDER BY id LIMIT %d`, spread("nomination", n), n))
	if err != nil {
		return nil, err
	}
	t.nominationID = col(rows, 0)
	return t, nil
}

// spread is an SQL expression k such that `id % k = 0` picks about n rows
// spread over the whole of table.
func spread(table string, n int) string {
	return fmt.Sprintf("(SELECT max(1, max(id) / %d) FROM %s)", n+1, table)
}

// rusage runs c directly (no GNU time: its fork and exec would be part of
// a few milliseconds) and returns its wall time, its CPU time (user+sys)
// and the peak RSS the kernel reports for the child (getrusage's
// ru_maxrss, KiB). An exit code
// other than want, or a stderr without stderrHas, is an *exitError.
func (r *runner) rusage(c command, want int, stderrHas string) (wall, cpu time.Duration, rssKiB int64, err error) {
	cmd := r.newCmd(c)
	var stderr tailBuffer
	cmd.Stderr = &stderr
	began := time.Now()
	err = cmd.Run()
	wall = time.Since(began)
	if r.ctx.Err() != nil {
		return 0, 0, 0, r.ctx.Err()
	}
	code := 0
	if err != nil {
		ee, ok := err.(interface{ ExitCode() int })
		if !ok {
			return 0, 0, 0, fmt.Errorf("cannot run %s: %w", c, err)
		}
		code = ee.ExitCode()
	}
	if code != want || (stderrHas != "" && !strings.Contains(stderr.String(), stderrHas)) {
		return 0, 0, 0, &exitError{cmd: c, code: code, stderr: stderr.String()}
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rssKiB = ru.Maxrss
	}
	return wall, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), rssKiB, nil
}

// percentile is the nearest-rank p-th percentile of ds (p in 0..100).
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	k := int(float64(len(s))*p/100+0.999999) - 1
	return s[min(max(k, 0), len(s)-1)]
}

// printLatency writes the latency table and its verdicts.
func (b *bench) printLatency(w io.Writer) {
	fmt.Fprintf(w, "== latency on the %s-nomination database (%d runs each after %d warm-ups, 1 for a command over a second, fewer runs (at least %d) once a command has spent %s; NOMTRACK_NOW=%s; wall time p50/p95, user+sys CPU p50, peak RSS the largest over the runs, getrusage; verdicts on the p50)\n",
		fmtCount(b.datasets[len(b.datasets)-1].n), b.o.latencyRuns, startupWarmups, minLatencyRuns, fmtDur(b.o.latencyBudget), latencyNow)
	t := &table{header: []string{"command", "runs", "p50", "p95", "cpu p50", "peak RSS", "goal", "verdict"}, right: []bool{false, true, true, true, true, true, false, false}, lead: 1}
	p50 := map[string]time.Duration{}
	for _, r := range b.latency {
		if r.status == "" {
			p50[r.c.name] = percentile(r.walls, 50)
		}
	}
	for _, r := range b.latency {
		if r.status != "" {
			t.addNote(r.status, r.c.name)
			continue
		}
		goal, verdict := latencyVerdict(r, p50)
		t.add(r.c.name, strconv.Itoa(len(r.walls)), fmtDur(percentile(r.walls, 50)), fmtDur(percentile(r.walls, 95)), fmtDur(percentile(r.cpus, 50)), fmtMB(r.rssKiB), goal, verdict)
	}
	t.write(w)
	fmt.Fprintln(w)
}

// latencyVerdict states a case's goal and whether its p50 (and peak RSS)
// met it.
func latencyVerdict(r *latencyResult, p50 map[string]time.Duration) (goal, verdict string) {
	var goals []string
	pass := true
	if r.c.goal > 0 {
		goals = append(goals, "≤ "+fmtDur(r.c.goal))
		pass = pass && percentile(r.walls, 50) <= r.c.goal
	}
	if r.c.goalRSS > 0 {
		goals = append(goals, "≤ "+fmtBytes(r.c.goalRSS))
		pass = pass && r.rssKiB*1024 <= r.c.goalRSS
	}
	if r.c.ratioTo != "" {
		base, ok := p50[r.c.ratioTo]
		if !ok {
			return fmt.Sprintf("≤ %.1f × %s", r.c.goalRatio, r.c.ratioTo), "n/a"
		}
		x, _ := ratio(p50[r.c.name], base)
		goals = append(goals, fmt.Sprintf("≤ %.1f × %s", r.c.goalRatio, r.c.ratioTo))
		verdict = fmt.Sprintf(" (%.2f ×)", x)
		pass = pass && x <= r.c.goalRatio
	}
	if len(goals) == 0 {
		return "none set", ""
	}
	if pass {
		return strings.Join(goals, ", "), "PASS" + verdict
	}
	return strings.Join(goals, ", "), "MISS" + verdict
}

// copyFile copies a database file (and its WAL, if a crashed run left one).
func copyFile(from, to string) error {
	for _, suffix := range []string{"", "-wal"} {
		in, err := os.Open(from + suffix)
		if suffix != "" && os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return err
		}
		out, err := os.OpenFile(to+suffix, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
		if err != nil {
			in.Close()
			return err
		}
		_, err = io.Copy(out, in)
		in.Close()
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}
