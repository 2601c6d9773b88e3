package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/nomtrack/nomtrack/internal/pgtest"
)

// maxXLSXRows is the most nominations one XLSX sheet holds (Excel's row
// limit less the header); larger data sets are measured in CSV only.
const maxXLSXRows = 1048575

// bench is one run of the harness: its options, directories, built binaries
// and the results gathered so far.
type bench struct {
	ctx      context.Context
	o        options
	out, log io.Writer
	r        *runner

	work    string // work directory
	ownWork bool   // work was created by us, so it is removed at the end
	dataDir string // root of the generated data sets
	dbDir   string // databases of the measured runs
	tmpDir  string // scripts, GNU time reports, command outputs
	env     []string

	nomtrack, nomgen string // built binaries
	commit           string // the measured source's commit
	loadStart        string // load averages when the measurements began
	has              capabilities

	datasets []*dataset
	imports  []*importResult
	reports  []*reportResult
	// pgReports is `report year` on nomtrack's PostgreSQL database of
	// each data set, by its number of nominations (issue 17).
	pgReports map[int]*reportResult
	startup   []*startupResult
	latency   []*latencyResult
	// latencyDB is the copy of the kept database the latency mode ran on.
	latencyDB string
	keepDB    map[string]string // "nomtrack" and "sqlite3": databases of the largest size, kept for the reports
	notes     []string          // cross-checks and anything else worth saying under the tables
}

// capabilities are the nomtrack commands this build has; the harness says
// "not available" for measurements needing a missing one instead of failing,
// so it can be run while the importer and reports are being written.
type capabilities struct{ importer, year, trend bool }

// dataset is one generated set of files.
type dataset struct {
	n                             int
	dir                           string
	courses, offerings, csv, xlsx string // xlsx is empty when not generated
	csvBytes, xlsxBytes           int64
	summary                       string // nomgen's first line
	took                          time.Duration
	reused                        bool
}

// importResult is one import measurement at one size.
type importResult struct {
	n      int
	tool   string  // what is measured, as printed
	s      samples // the timed import
	setup  samples // nomtrack only: init + courses + offerings, untimed in s
	status string  // empty when measured; else why not ("not available: …", a failure)
}

// reportResult is one report measurement on the largest databases.
type reportResult struct {
	name   string // "report year 2018"
	tool   string
	s      samples
	status string
}

// startupResult is the start-up measurement of one command.
type startupResult struct {
	tool  string
	walls []time.Duration
	// cpus are the runs' user+sys times: on a loaded machine the wall
	// time of a few milliseconds is mostly the wait for a CPU.
	cpus   []time.Duration
	rssKiB int64
	status string
}

// newBench checks the tools, creates the directories and builds nomtrack and
// the generator.
func newBench(ctx context.Context, o options, out, log io.Writer) (*bench, error) {
	b := &bench{ctx: ctx, o: o, out: out, log: log, keepDB: map[string]string{}}
	for _, t := range []struct{ path, hint string }{
		{o.timeBin, "install Debian's package time (scripts/bench.sh does), or give -time PATH"},
		{o.sqlite3, "install Debian's package sqlite3 (scripts/bench.sh does), or give -sqlite3 PATH"},
	} {
		if _, err := exec.LookPath(t.path); err != nil {
			return nil, fmt.Errorf("%s is needed and not found; %s", t.path, t.hint)
		}
	}
	repo, err := filepath.Abs(o.repo)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(repo, "cmd", "nomtrack")); err != nil {
		return nil, fmt.Errorf("%s is not the nomtrack module root (no cmd/nomtrack); run from the repository or give -repo DIR", repo)
	}
	b.o.repo = repo
	if o.work == "" {
		if b.work, err = os.MkdirTemp("", "nombench-"); err != nil {
			return nil, fmt.Errorf("cannot create a work directory: %w", err)
		}
		b.ownWork = true
	} else {
		if b.work, err = filepath.Abs(o.work); err != nil {
			return nil, err
		}
		if err := os.MkdirAll(b.work, 0o700); err != nil {
			return nil, fmt.Errorf("cannot create the work directory %s: %w", b.work, err)
		}
	}
	b.dataDir = filepath.Join(b.work, "data")
	if o.data != "" {
		if b.dataDir, err = filepath.Abs(o.data); err != nil {
			return nil, err
		}
	}
	b.dbDir = filepath.Join(b.work, "db")
	b.tmpDir = filepath.Join(b.work, "tmp")
	home := filepath.Join(b.work, "home")
	for _, d := range []string{b.dataDir, b.dbDir, b.tmpDir, home} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("cannot create %s: %w", d, err)
		}
	}
	b.env = isolatedEnv(os.Environ(), home)
	b.r = &runner{ctx: ctx, timeBin: o.timeBin, scratch: b.tmpDir}
	if err := b.build(); err != nil {
		b.cleanup()
		return nil, err
	}
	return b, nil
}

// isolatedEnv is the environment of every measured command: the caller's,
// without NOMTRACK_* settings, with HOME and the XDG directories inside the
// work directory so no user configuration or database is read, and no colour.
func isolatedEnv(environ []string, home string) []string {
	var env []string
	for _, kv := range environ {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(k, "NOMTRACK_"), k == "HOME", k == "NO_COLOR",
			k == "XDG_CONFIG_HOME", k == "XDG_DATA_HOME", k == "XDG_CACHE_HOME":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "HOME="+home, "NO_COLOR=1",
		"XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"XDG_DATA_HOME="+filepath.Join(home, ".local", "share"),
		"XDG_CACHE_HOME="+filepath.Join(home, ".cache"))
}

// progress says on the log what the harness is doing; stdout holds only the
// final report.
func (b *bench) progress(format string, args ...any) {
	fmt.Fprintf(b.log, "nombench: "+format+"\n", args...)
}

// build compiles nomtrack (CGO_ENABLED=0, as released) and the generator
// once, and finds which commands this nomtrack has.
func (b *bench) build() error {
	bin := filepath.Join(b.work, "bin")
	b.nomtrack, b.nomgen = filepath.Join(bin, "nomtrack"), filepath.Join(bin, "nomgen")
	// nomgen is built without VCS stamping so that its binary, whose hash
	// marks reusable data sets, changes only when the generator's code does.
	for _, t := range []struct{ out, pkg, vcs string }{{b.nomtrack, "./cmd/nomtrack", "-buildvcs=auto"}, {b.nomgen, "./cmd/nomgen", "-buildvcs=false"}} {
		b.progress("building %s", t.pkg)
		cmd := exec.CommandContext(b.ctx, "go", "build", t.vcs, "-o", t.out, t.pkg)
		cmd.Dir = b.o.repo
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("cannot build %s (CGO_ENABLED=0 go build): %v\n%s", t.pkg, err, out)
		}
	}
	b.commit = gitCommit(b.ctx, b.o.repo)
	b.has.importer = b.hasCommand("import")
	b.has.year = b.hasCommand("report", "year")
	b.has.trend = b.hasCommand("report", "trend")
	return nil
}

// hasCommand reports whether this nomtrack has the command path: cobra
// answers --help for an unknown command with the root's help, so the usage
// line is what tells.
func (b *bench) hasCommand(path ...string) bool {
	args := append([]string{b.nomtrack}, path...)
	out, err := b.r.output(command{args: append(args, "--help"), env: b.env})
	if err != nil {
		return false
	}
	return strings.Contains(out, "\n  nomtrack "+strings.Join(path, " ")+" ") ||
		strings.Contains(out, "\n  nomtrack "+strings.Join(path, " ")+"\n")
}

// gitCommit describes the source measured: the short commit, marked when the
// work tree has changes.
func gitCommit(ctx context.Context, repo string) string {
	out, err := exec.CommandContext(ctx, "git", "-C", repo, "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	c := strings.TrimSpace(string(out))
	if st, err := exec.CommandContext(ctx, "git", "-C", repo, "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(strings.TrimSpace(string(st))) > 0 {
		c += " (with uncommitted changes)"
	}
	return c
}

// cleanup removes what the run created, unless -keep: the whole work
// directory when the harness made it, else what it put there. A -data
// directory is always kept.
func (b *bench) cleanup() error {
	pgtest.Stop() // the cluster, if the PostgreSQL measurements started one
	if b.o.keep || b.work == "" {
		if b.work != "" {
			b.progress("kept the work directory %s", b.work)
		}
		return nil
	}
	if b.ownWork && (b.o.data == "" || !isInside(b.dataDir, b.work)) {
		return os.RemoveAll(b.work)
	}
	gone := []string{b.dbDir, b.tmpDir, filepath.Join(b.work, "bin"), filepath.Join(b.work, "home")}
	if b.o.data == "" {
		gone = append(gone, b.dataDir)
	}
	for _, d := range gone {
		if err := os.RemoveAll(d); err != nil {
			return err
		}
	}
	return nil
}

// isInside reports whether path is dir or below it.
func isInside(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// run performs every measurement and prints the report.
func (b *bench) run() error {
	b.loadStart = loadAvg()
	for _, n := range b.o.sizes {
		d, err := b.generate(n)
		if err != nil {
			return err
		}
		b.datasets = append(b.datasets, d)
	}
	if b.o.latency {
		if err := b.measureLatency(b.datasets[len(b.datasets)-1]); err != nil {
			return err
		}
		b.print()
		return nil
	}
	for i, d := range b.datasets {
		if err := b.measureImports(d, i == len(b.datasets)-1); err != nil {
			return err
		}
	}
	if !b.o.skip["reports"] {
		if err := b.measureReports(b.datasets[len(b.datasets)-1]); err != nil {
			return err
		}
	}
	if !b.o.skip["startup"] {
		if err := b.measureStartup(); err != nil {
			return err
		}
	}
	b.print()
	return nil
}

// generate writes (or reuses) the data set of n nominations.
func (b *bench) generate(n int) (*dataset, error) {
	formats := "csv"
	if n <= maxXLSXRows && !b.o.skip["xlsx"] {
		formats = "csv,xlsx"
	}
	d := &dataset{n: n, dir: filepath.Join(b.dataDir, fmt.Sprintf("n%d-seed%d", n, b.o.seed))}
	d.courses = filepath.Join(d.dir, "courses.csv")
	d.offerings = filepath.Join(d.dir, "offerings.csv")
	d.csv = filepath.Join(d.dir, "nominations.csv")
	if strings.Contains(formats, "xlsx") {
		d.xlsx = filepath.Join(d.dir, "nominations.xlsx")
	}
	marker := filepath.Join(d.dir, ".nombench")
	genHash, err := fileHash(b.nomgen)
	if err != nil {
		return nil, err
	}
	want := fmt.Sprintf("n=%d seed=%d format=%s nomgen=%s\n", n, b.o.seed, formats, genHash)
	if got, err := os.ReadFile(marker); err == nil && string(got) == want {
		d.reused = true
		summary, _ := os.ReadFile(filepath.Join(d.dir, ".nombench-summary"))
		d.summary = strings.TrimSpace(string(summary))
		b.progress("reusing the %d-row data set in %s", n, d.dir)
	} else {
		os.RemoveAll(d.dir)
		b.progress("generating %d nominations (%s) into %s", n, formats, d.dir)
		began := time.Now()
		out, err := b.r.output(command{args: []string{b.nomgen, "-n", strconv.Itoa(n), "-seed", strconv.FormatUint(b.o.seed, 10), "-format", formats, "-out", d.dir}, env: b.env})
		if err != nil {
			return nil, fmt.Errorf("the generator failed for %d rows: %w", n, err)
		}
		d.took = time.Since(began)
		d.summary, _, _ = strings.Cut(out, "\n")
		d.summary, _, _ = strings.Cut(d.summary, " in ") // nomgen's own timing is printed separately
		if err := writeFile(filepath.Join(d.dir, ".nombench-summary"), d.summary+"\n"); err != nil {
			return nil, err
		}
		if err := writeFile(marker, want); err != nil {
			return nil, err
		}
	}
	for _, p := range []struct {
		path string
		size *int64
	}{{d.csv, &d.csvBytes}, {d.xlsx, &d.xlsxBytes}, {d.courses, nil}, {d.offerings, nil}} {
		if p.path == "" {
			continue
		}
		st, err := os.Stat(p.path)
		if err != nil {
			return nil, fmt.Errorf("the generator did not write %s: %w", p.path, err)
		}
		if p.size != nil {
			*p.size = st.Size()
		}
	}
	return d, nil
}

// fileHash is the SHA-256 of a file, in hex.
func fileHash(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Tool names as printed.
const (
	toolNomtrackCSV  = "nomtrack import (csv)"
	toolNomtrackXLSX = "nomtrack import (xlsx)"
	toolSQLite3      = "sqlite3 .import (csv)"
	toolSQLiteUtils  = "sqlite-utils insert --csv"
)

// measureImports runs every import of data set d. The runs of nomtrack and
// sqlite3 are interleaved (csv, xlsx, sqlite3; csv, xlsx, sqlite3; …) so that
// a change in the machine's load over the minutes falls on all of them alike;
// sqlite-utils, much slower, comes last. The databases of the last runs are
// kept for the reports when d is the largest.
func (b *bench) measureImports(d *dataset, largest bool) error {
	nt := &importResult{n: d.n, tool: toolNomtrackCSV}
	nx := &importResult{n: d.n, tool: toolNomtrackXLSX}
	sq := &importResult{n: d.n, tool: toolSQLite3}
	su := &importResult{n: d.n, tool: toolSQLiteUtils}
	ntPG := &importResult{n: d.n, tool: toolNomtrackPG}
	pq := &importResult{n: d.n, tool: toolPsqlCopy}
	b.imports = append(b.imports, nt, nx, sq, su, ntPG, pq)
	if why := b.postgresReady(); why != "" {
		ntPG.status, pq.status = why, why
	}
	if !b.has.importer {
		ntPG.status = "not available: this nomtrack has no import command yet"
	}

	switch {
	case !b.has.importer:
		nt.status = "not available: this nomtrack has no import command yet"
		nx.status = nt.status
	case d.xlsx == "" && b.o.skip["xlsx"]:
		nx.status = "skipped (-skip xlsx)"
	case d.xlsx == "":
		nx.status = fmt.Sprintf("not measured: %s rows do not fit in one XLSX sheet", fmtCount(d.n))
	}
	switch {
	case b.o.skip["sqlite-utils"]:
		su.status = "skipped (-skip sqlite-utils)"
	case !b.haveSQLiteUtils():
		su.status = "not available: " + b.o.sqliteUtils + " is not installed (Debian package sqlite-utils; scripts/bench.sh installs it)"
	}
	for i := range b.o.runs {
		last := largest && i == b.o.runs-1
		steps := []struct {
			res  *importResult
			once func() (outcome, error)
			keep string
		}{
			{nt, func() (outcome, error) { return b.nomtrackImport(d, d.csv, "csv", i) }, keepIf(last, "nomtrack")},
			{nx, func() (outcome, error) { return b.nomtrackImport(d, d.xlsx, "xlsx", i) }, ""},
			{sq, func() (outcome, error) { return b.sqlite3Import(d, i) }, keepIf(last, "sqlite3")},
			{ntPG, func() (outcome, error) { return b.nomtrackImportPG(d) }, ""},
			{pq, func() (outcome, error) { return b.psqlCopy(d) }, ""},
		}
		for _, st := range steps {
			if err := b.step(st.res, i, b.o.runs, st.once, st.keep); err != nil {
				return err
			}
		}
	}
	for i := range b.o.slowRuns {
		if err := b.step(su, i, b.o.slowRuns, func() (outcome, error) { return b.sqliteUtilsInsert(d, i) }, ""); err != nil {
			return err
		}
	}
	return nil
}

// keepIf returns key when cond holds, else "" (keep nothing).
func keepIf(cond bool, key string) string {
	if cond {
		return key
	}
	return ""
}

// outcome is what one measured run produced: the database it made (removed
// or kept by step), the timed sample and, for nomtrack, the untimed setup.
type outcome struct {
	db    string
	s     sample
	setup *sample
}

// step performs run i of a measurement, unless it is already settled (not
// available, skipped or failed). Its database is removed unless keepKey is
// set (kept for the reports). A failing run ends this measurement with its
// message but not the harness: the other tools are still worth measuring.
func (b *bench) step(res *importResult, i, runs int, once func() (outcome, error), keepKey string) error {
	if res.status != "" {
		return nil
	}
	b.progress("%s, %d rows, run %d/%d", res.tool, res.n, i+1, runs)
	o, err := once()
	if err != nil {
		removeDB(o.db)
		if b.ctx.Err() != nil {
			return b.ctx.Err()
		}
		res.status = "failed: " + err.Error()
		b.progress("%s", res.status)
		return nil
	}
	res.s = append(res.s, o.s)
	if o.setup != nil {
		res.setup = append(res.setup, *o.setup)
	}
	b.progress("  %s (cpu %s), peak RSS %s", fmtDur(o.s.wall), fmtDur(o.s.user+o.s.sys), fmtMB(o.s.rssKiB))
	if keepKey != "" {
		b.keepDB[keepKey] = o.db
	} else {
		removeDB(o.db)
	}
	return nil
}

// removeDB removes a database and its WAL and shared-memory files.
func removeDB(path string) {
	if path == "" {
		return
	}
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(path + suffix)
	}
}

// freshDB returns the path of a new, empty database file name for one run.
func (b *bench) freshDB(tool string, n, run int) string {
	p := filepath.Join(b.dbDir, fmt.Sprintf("%s-%d-%d.db", tool, n, run))
	removeDB(p)
	return p
}

// nomtrackImport measures one import of file into a fresh database holding
// the data set's courses and offerings, which are imported first and timed
// separately (the setup).
func (b *bench) nomtrackImport(d *dataset, file, kind string, run int) (outcome, error) {
	o := outcome{db: b.freshDB("nomtrack-"+kind, d.n, run), setup: &sample{}}
	nt := func(args ...string) command {
		return command{args: append([]string{b.nomtrack, "--db", o.db}, args...), env: b.env}
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
	var err error
	if o.s, err = b.r.measure(nt("import", file)); err != nil {
		return o, err
	}
	return o, b.checkCount(o.db, "nomination", d.n)
}

// sqlite3Import measures sqlite3's .import of the nominations CSV into the
// flat table, created (untimed) just before.
func (b *bench) sqlite3Import(d *dataset, run int) (outcome, error) {
	o := outcome{db: b.freshDB("sqlite3", d.n, run)}
	if err := b.createFlat(d, o.db); err != nil {
		return o, err
	}
	script := filepath.Join(b.tmpDir, "import.sql")
	if err := writeFile(script, sqlite3Import(d.csv)); err != nil {
		return o, err
	}
	var err error
	if o.s, err = b.r.measure(command{args: []string{b.o.sqlite3, "-batch", o.db}, env: b.env, stdin: script}); err != nil {
		return o, err
	}
	return o, b.checkCount(o.db, flatTable, d.n)
}

// sqliteUtilsInsert measures `sqlite-utils insert --csv` into the flat table,
// created (untimed) just before with the same unique key and index.
func (b *bench) sqliteUtilsInsert(d *dataset, run int) (outcome, error) {
	o := outcome{db: b.freshDB("sqlite-utils", d.n, run)}
	if err := b.createFlat(d, o.db); err != nil {
		return o, err
	}
	var err error
	if o.s, err = b.r.measure(command{args: []string{b.o.sqliteUtils, "insert", o.db, flatTable, d.csv, "--csv"}, env: b.env}); err != nil {
		return o, err
	}
	return o, b.checkCount(o.db, flatTable, d.n)
}

// createFlat creates the flat table in db, shaped by d's CSV header.
func (b *bench) createFlat(d *dataset, db string) error {
	cols, err := csvHeader(d.csv)
	if err != nil {
		return err
	}
	schema, err := flatSchema(cols)
	if err != nil {
		return err
	}
	script := filepath.Join(b.tmpDir, "schema.sql")
	if err := writeFile(script, ".bail on\n"+schema); err != nil {
		return err
	}
	_, err = b.r.output(command{args: []string{b.o.sqlite3, "-batch", db}, env: b.env, stdin: script})
	return err
}

// checkCount verifies that table in db holds want rows, so a tool that
// silently dropped rows is not reported as fast.
func (b *bench) checkCount(db, table string, want int) error {
	out, err := b.r.output(command{args: []string{b.o.sqlite3, "-batch", "-readonly", db, "SELECT count(*) FROM " + table + ";"}, env: b.env})
	if err != nil {
		return err
	}
	got, err := strconv.Atoi(strings.TrimSpace(out))
	if err != nil {
		return fmt.Errorf("cannot count the rows of %s in %s: %q", table, db, out)
	}
	if got != want {
		return fmt.Errorf("%s holds %d rows after the import, not %d", table, got, want)
	}
	return nil
}

// haveSQLiteUtils reports whether sqlite-utils runs.
func (b *bench) haveSQLiteUtils() bool {
	if _, err := exec.LookPath(b.o.sqliteUtils); err != nil {
		return false
	}
	_, err := b.r.output(command{args: []string{b.o.sqliteUtils, "--version"}, env: b.env})
	return err == nil
}
