package safety

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nomtrack/nomtrack/internal/gen"
)

// crashRows is the size of the import the crash tests kill: large enough
// that the import runs for a while and its commit writes tens of MiB of
// WAL, small enough for two CI cores.
const crashRows = 100000

// programme is a generated programme: its files and a database template
// holding its courses and offerings, ready for its nominations import.
type programme struct {
	dir         string // courses.csv, offerings.csv, people.csv, nominations.csv
	nominations string
	template    []byte // database file with courses and offerings imported
	baseCounts  Counts // the template's counts
	afterCounts Counts // the template's counts after the nominations import
	// Duration and largest WAL of the reference import run to the end.
	importTime time.Duration
	maxWAL     int64
}

var (
	programmeOnce sync.Once
	programmeVal  *programme
	programmeErr  error
)

// MustProgramme generates (once per test binary) a programme of crashRows
// nominations and a database template holding its catalogue.
func MustProgramme(tb testing.TB) *programme {
	tb.Helper()
	programmeOnce.Do(func() {
		dir, err := os.MkdirTemp("", "nomtrack-safety-programme-")
		if err != nil {
			programmeErr = err
			return
		}
		if _, err := gen.Write(dir, gen.Config{N: crashRows, Seed: 7}); err != nil {
			programmeErr = err
			return
		}
		programmeVal = &programme{dir: dir, nominations: filepath.Join(dir, "nominations.csv")}
	})
	if programmeErr != nil {
		tb.Fatal(programmeErr)
	}
	p := programmeVal
	if p.template == nil {
		e := NewEnv(tb)
		e.MustRun(tb, "import", filepath.Join(p.dir, "courses.csv"), "--kind", "courses")
		e.MustRun(tb, "import", filepath.Join(p.dir, "offerings.csv"), "--kind", "offerings")
		if _, err := os.Stat(e.DB + "-wal"); err == nil {
			tb.Fatal("the template database still has a WAL after its commands ended")
		}
		p.baseCounts = e.MustCounts(tb)
		p.template = MustFileBytes(tb, e.DB)

		// The reference import runs to the end; its timing and the size
		// its WAL reaches place the kills of the crash tests.
		ref := NewProgrammeEnv(tb, p)
		w := NewWatcher(ref)
		s := ref.Start(tb, "import", p.nominations, "--kind", "nominations")
		for s.Running() {
			if o := w.Now(); o.WAL > p.maxWAL {
				p.maxWAL = o.WAL
			}
			time.Sleep(time.Millisecond)
		}
		p.importTime = w.Now().Elapsed
		if r := s.Wait(tb); r.Code != 0 {
			p.template = nil
			tb.Fatalf("reference import:\n%v", r)
		}
		ref.MustCheck(tb)
		p.afterCounts = ref.MustCounts(tb)
		if got := p.afterCounts["nomination"] - p.baseCounts["nomination"]; got != crashRows {
			p.template = nil
			tb.Fatalf("the reference import created %d nominations, want %d", got, crashRows)
		}
	}
	return p
}

// The generated files are removed after all tests.
func init() {
	afterAll = append(afterAll, func() {
		if programmeVal != nil {
			os.RemoveAll(programmeVal.dir)
		}
	})
}

// NewProgrammeEnv is a fresh installation whose database is a copy of the
// programme's template.
func NewProgrammeEnv(tb testing.TB, p *programme) *Env {
	tb.Helper()
	e := NewEnv(tb)
	if err := os.MkdirAll(filepath.Dir(e.DB), 0o700); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(e.DB, p.template, 0o600); err != nil {
		tb.Fatal(err)
	}
	return e
}

// watch is what a poller saw of a running command's database files.
type watch struct {
	Elapsed     time.Duration
	WAL         int64 // size of the -wal file
	MainChanged bool  // the database file itself changed (a checkpoint)
}

// Watcher polls the database files of e every millisecond until stop.
type Watcher struct {
	e        *Env
	mainSize int64
	mainMod  time.Time
	start    time.Time
}

// NewWatcher records the database file as it is now.
func NewWatcher(e *Env) *Watcher {
	w := &Watcher{e: e, start: time.Now()}
	if st, err := os.Stat(e.DB); err == nil {
		w.mainSize, w.mainMod = st.Size(), st.ModTime()
	}
	return w
}

// Now reads the files.
func (w *Watcher) Now() watch {
	s := watch{Elapsed: time.Since(w.start)}
	if st, err := os.Stat(w.e.DB + "-wal"); err == nil {
		s.WAL = st.Size()
	}
	if st, err := os.Stat(w.e.DB); err == nil {
		s.MainChanged = st.Size() != w.mainSize || !st.ModTime().Equal(w.mainMod)
	}
	return s
}

// Started is a running nomtrack process.
type Started struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
	done           chan struct{}
	result         Result
}

// Start starts nomtrack with args in e without waiting for it; the test's
// cleanup kills it if it is still running.
func (e *Env) Start(tb testing.TB, args ...string) *Started {
	tb.Helper()
	s := &Started{cmd: e.Command(args...), done: make(chan struct{})}
	s.cmd.Stdout, s.cmd.Stderr = &s.stdout, &s.stderr
	if err := s.cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	go func() {
		err := s.cmd.Wait()
		s.result = Result{Args: args, Stdout: s.stdout.String(), Stderr: s.stderr.String()}
		s.result.Code, s.result.Signal = waitStatus(err)
		close(s.done)
	}()
	tb.Cleanup(func() {
		if s.Running() {
			s.Kill()
		}
	})
	return s
}

// Done is closed when the process has exited.
func (s *Started) Done() <-chan struct{} { return s.done }

// Running reports whether the process has not exited yet.
func (s *Started) Running() bool {
	select {
	case <-s.done:
		return false
	default:
		return true
	}
}

// Kill sends SIGKILL and waits for the process to be gone.
func (s *Started) Kill() Result {
	s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.done
	return s.result
}

// Wait waits for the process to exit (bounded by two minutes).
func (s *Started) Wait(tb testing.TB) Result {
	tb.Helper()
	select {
	case <-s.done:
	case <-time.After(2 * time.Minute):
		s.Kill()
		tb.Fatalf("nomtrack %v did not finish in two minutes", s.result.Args)
	}
	AssertNoCrash(tb, s.result)
	return s.result
}

// waitStatus is exitStatus without a testing.TB, for goroutines.
func waitStatus(err error) (int, syscall.Signal) {
	if err == nil {
		return 0, 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return -1, ws.Signal()
		}
		return ee.ExitCode(), 0
	}
	return -2, 0
}

// AssertAllOrNone fails unless e's database passes `db check` and holds
// either exactly none (before) or exactly all (after) of an import.
func AssertAllOrNone(tb testing.TB, e *Env, before, after Counts) string {
	tb.Helper()
	e.MustCheck(tb)
	got := e.MustCounts(tb)
	same := func(want Counts) bool {
		for table, n := range want {
			if got[table] != n {
				return false
			}
		}
		return true
	}
	switch {
	case same(before):
		return "none"
	case same(after):
		return "all"
	}
	tb.Errorf("the database holds part of the import:\n got    %v\n none = %v\n all  = %v", got, before, after)
	return "part"
}

// trigger says when to kill a running import, from what a Watcher sees.
type trigger struct {
	name string
	fire func(o watch) bool
}

func TestKilledImportLeavesAllOrNothing(t *testing.T) {
	p := MustProgramme(t)

	total, maxWAL, after := p.importTime, p.maxWAL, p.afterCounts
	t.Logf("reference import of %d rows: %v, WAL up to %d MiB", crashRows, total.Round(time.Millisecond), maxWAL>>20)

	triggers := []trigger{
		{"wal_begins", func(o watch) bool { return o.WAL > 32<<10 }},
		{"wal_half", func(o watch) bool { return o.WAL >= maxWAL/2 }},
		{"wal_nearly_full", func(o watch) bool { return o.WAL >= maxWAL-maxWAL/16 }},
		{"checkpoint_begins", func(o watch) bool { return o.MainChanged }},
	}
	// Before the commit the import's work sits in its page cache; kill it
	// early, midway and late by the clock too.
	for _, pct := range []int{10, 40, 70} {
		at := total * time.Duration(pct) / 100
		triggers = append(triggers, trigger{fmt.Sprintf("at_%d%%", pct), func(o watch) bool { return o.Elapsed >= at }})
	}
	outcomes := map[string]int{}
	rerun := false
	for _, tr := range triggers {
		t.Run(tr.name, func(t *testing.T) {
			e := NewProgrammeEnv(t, p)
			w := NewWatcher(e)
			s := e.Start(t, "import", p.nominations, "--kind", "nominations")
			var seen watch
			for s.Running() {
				if seen = w.Now(); tr.fire(seen) {
					s.Kill()
					break
				}
				time.Sleep(500 * time.Microsecond)
			}
			r := s.Wait(t)
			if r.Signal != syscall.SIGKILL {
				t.Logf("the import ended (exit %d) before the kill point", r.Code)
			}
			for _, side := range []string{"-wal", "-shm"} {
				if _, err := os.Stat(e.DB + side); err == nil {
					AssertMode(t, e.DB+side, 0o600)
				}
			}
			got := AssertAllOrNone(t, e, p.baseCounts, after)
			outcomes[got]++
			t.Logf("killed after %v (WAL %d KiB, checkpoint begun %v): the database holds %s of the import",
				seen.Elapsed.Round(time.Millisecond), seen.WAL>>10, seen.MainChanged, got)
			if got == "none" && !rerun {
				rerun = true
				// The killed import leaves nothing in the way of doing it again.
				if r := e.Run(t, "import", p.nominations, "--kind", "nominations"); r.Code != 0 {
					t.Fatalf("re-running the killed import:\n%v", r)
				}
				AssertAllOrNone(t, e, after, after)
			}
		})
	}
	t.Logf("outcomes: %v", outcomes)
}

func TestInterruptedImportRollsBackAndSaysSo(t *testing.T) {
	p := MustProgramme(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			e := NewProgrammeEnv(t, p)
			s := MustStartImportHoldingLock(t, e, p)
			s.cmd.Process.Signal(sig)
			r := s.Wait(t)
			if r.Code == 0 {
				// The signal came as the import committed: it holds all.
				AssertAllOrNone(t, e, p.afterCounts, p.afterCounts)
				return
			}
			AssertInterrupted(t, r)
			if got := AssertAllOrNone(t, e, p.baseCounts, p.afterCounts); got != "none" {
				t.Errorf("an interrupted import that said nothing was written left %s of it", got)
			}
		})
	}
}

func TestKilledWorkbookImportLeavesAllOrNothing(t *testing.T) {
	// A workbook's sheets (courses, offerings, people, nominations) are one
	// transaction: a kill leaves all four or none.
	dir := t.TempDir()
	if _, err := gen.Write(dir, gen.Config{N: 20000, Seed: 3, Formats: []string{gen.FormatXLSX}}); err != nil {
		t.Fatal(err)
	}
	book := filepath.Join(dir, "programme.xlsx")
	empty := NewEnv(t)
	empty.MustRun(t, "init")
	tmpl := MustFileBytes(t, empty.DB)
	none := empty.MustCounts(t)
	fresh := func(t *testing.T) *Env {
		e := NewEnv(t)
		os.MkdirAll(filepath.Dir(e.DB), 0o700)
		if err := os.WriteFile(e.DB, tmpl, 0o600); err != nil {
			t.Fatal(err)
		}
		return e
	}
	ref := fresh(t)
	w := NewWatcher(ref)
	s := ref.Start(t, "import", book)
	var maxWAL int64
	for s.Running() {
		maxWAL = max(maxWAL, w.Now().WAL)
		time.Sleep(200 * time.Microsecond)
	}
	total := w.Now().Elapsed
	if r := s.Wait(t); r.Code != 0 {
		t.Fatalf("reference workbook import:\n%v", r)
	}
	all := ref.MustCounts(t)
	if all["course"] == 0 || all["offering"] == 0 || all["nomination"] != 20000 {
		t.Fatalf("reference workbook import: %v", all)
	}
	for _, tr := range []trigger{
		{"at_40%", func(o watch) bool { return o.Elapsed >= total*4/10 }},
		{"at_80%", func(o watch) bool { return o.Elapsed >= total*8/10 }},
		{"wal_half", func(o watch) bool { return o.WAL >= maxWAL/2 }},
	} {
		t.Run(tr.name, func(t *testing.T) {
			e := fresh(t)
			w := NewWatcher(e)
			s := e.Start(t, "import", book)
			var seen watch
			for s.Running() {
				if seen = w.Now(); tr.fire(seen) {
					s.Kill()
					break
				}
				time.Sleep(200 * time.Microsecond)
			}
			s.Wait(t)
			got := AssertAllOrNone(t, e, none, all)
			t.Logf("killed after %v (WAL %d KiB): %s of the workbook", seen.Elapsed.Round(time.Millisecond), seen.WAL>>10, got)
		})
	}
}
