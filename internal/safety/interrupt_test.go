package safety

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// AssertInterrupted fails unless r is a command stopped by SIGINT or SIGTERM
// as SPEC §8 says: exit 130 and, as its last line, the one sentence.
func AssertInterrupted(tb testing.TB, r Result) {
	tb.Helper()
	lines := strings.Split(strings.TrimSpace(r.Stderr), "\n")
	if r.Code != 130 || lines[len(lines)-1] != "nomtrack: interrupted; nothing was written" {
		tb.Errorf("want exit 130 and \"nomtrack: interrupted; nothing was written\":\n%v", r)
	}
}

// interruptStageEnv is the test-only variable by which nomtrack interrupts
// itself when its import enters a stage (internal/cli/import.go).
const interruptStageEnv = "NOMTRACK_TEST_INTERRUPT_AT"

// RunInterruptedAt runs an import that sends itself sig as it enters stage,
// and returns how it ended and how long it took to end after the signal
// (from the line the hook prints to the process's exit).
func (e *Env) RunInterruptedAt(tb testing.TB, stage string, sig syscall.Signal, args ...string) (Result, time.Duration) {
	tb.Helper()
	name := "INT"
	if sig == syscall.SIGTERM {
		name = "TERM"
	}
	env := *e
	env.Extra = append(append([]string(nil), e.Extra...), interruptStageEnv+"="+stage+":"+name)
	cmd := env.Command(args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	pipe, err := cmd.StderrPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	timer := time.AfterFunc(2*time.Minute, func() { cmd.Process.Kill() })
	defer timer.Stop()
	var signalled time.Time
	sc := bufio.NewScanner(io.TeeReader(pipe, &stderr))
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "nomtrack: test: ") && signalled.IsZero() {
			signalled = time.Now()
		}
	}
	err = cmd.Wait()
	ended := time.Now()
	r := Result{Args: args, Stdout: stdout.String(), Stderr: stderr.String()}
	r.Code, r.Signal = exitStatus(tb, err)
	AssertNoCrash(tb, r)
	if signalled.IsZero() {
		tb.Fatalf("the import never reached the %s stage:\n%v", stage, r)
	}
	return r, ended.Sub(signalled)
}

// TestInterruptAtEveryStageWritesNothing interrupts the programme's import
// (100,000 nominations, a bulk load: indexes rebuilt, foreign keys checked
// at the end) as it enters each stage: it stops, writes nothing, says so,
// exits 130 and leaves the database free for the next writer.
func TestInterruptAtEveryStageWritesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: five imports of 100,000 rows")
	}
	p := MustProgramme(t)
	for _, c := range []struct {
		stage string
		sig   syscall.Signal
	}{
		{"reading", syscall.SIGINT},
		{"parsing", syscall.SIGTERM},
		{"writing", syscall.SIGINT},
		{"index rebuild", syscall.SIGTERM},
		{"foreign-key check", syscall.SIGINT},
	} {
		t.Run(strings.ReplaceAll(c.stage, " ", "_"), func(t *testing.T) {
			e := NewProgrammeEnv(t, p)
			r, took := e.RunInterruptedAt(t, c.stage, c.sig, "import", p.nominations, "--kind", "nominations")
			AssertInterrupted(t, r)
			t.Logf("%v at the %s stage: exit %d %v after the signal (the whole import takes %v)",
				c.sig, c.stage, r.Code, took.Round(time.Millisecond), p.importTime.Round(time.Millisecond))
			// A stage that ignored the signal would run the import to its end.
			if took > 5*time.Second {
				t.Errorf("ended %v after the signal", took)
			}
			if got := AssertAllOrNone(t, e, p.baseCounts, p.afterCounts); got != "none" {
				t.Errorf("an interrupted import left %s of it", got)
			}
			// The write lock went with the process: a writer succeeds now.
			e.MustRun(t, "capacity", "set", "2031", "10")
		})
	}
}

// TestInterruptWhileReadingAWorkbook interrupts an import while it reads a
// workbook of a million rows, nearly all of them blank: reading stops at
// the next 64 KiB of XML.
func TestInterruptWhileReadingAWorkbook(t *testing.T) {
	e := NewEnv(t)
	before := MustBase(t, e)
	path := MustXLSX(t, t.TempDir(), "long.xlsx", func(w io.Writer) error {
		writeRow(w, 1, headerCells(1)...)
		writeRow(w, 2, rowCells(2, validRow)...)
		bw := bufio.NewWriterSize(w, 1<<16)
		for i := 3; i <= 1_000_000; i++ {
			bw.WriteString(`<row><c t="inlineStr"><is><t> </t></is></c></row>`)
		}
		return bw.Flush()
	}, "")
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		r, took := e.RunInterruptedAt(t, "reading", sig, "import", path, "--kind", "nominations")
		AssertInterrupted(t, r)
		t.Logf("%v while reading: ended %v after the signal", sig, took.Round(time.Millisecond))
		AssertCounts(t, e, before)
	}
}

// TestInterruptAtStartUp sends SIGINT and SIGTERM as nomtrack starts, before
// its command tree exists: it stops as a later signal would (exit 130, the
// sentence, nothing written). The handler used to be installed only once
// main had built its context, so a Ctrl-C in the first ~0.1 s of a loaded
// machine's start-up killed nomtrack with no message (internal/interrupt
// now catches it from package initialisation on). Repeated, and for a
// command that would create the database, which must not exist after.
func TestInterruptAtStartUp(t *testing.T) {
	e := NewEnv(t)
	for i := range 3 {
		for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
			for _, args := range [][]string{{"version"}, {"person", "add", "--name", "Ali Hasan", "--ministry", "MoD"}} {
				r, _ := e.RunInterruptedAt(t, "start", sig, args...)
				AssertInterrupted(t, r)
				if r.Stdout != "" {
					t.Errorf("run %d, %v: stdout %q, want nothing", i, sig, r.Stdout)
				}
				if _, err := os.Stat(e.DB); !os.IsNotExist(err) {
					t.Fatalf("run %d, %v: %s interrupted at start left a database (%v)", i, sig, shortArgs(args), err)
				}
			}
		}
	}
}

// TestInterruptStopsALoopingJQ: a --jq expression may never end (def f: f;
// f), as jq's own may; Ctrl-C must stop it like any command (SPEC §8). The
// first SIGINT cancelled the command's context, which the jq evaluation
// never looked at, so nomtrack ran on until a second signal killed it
// without the exit code and sentence. The output file is never written.
func TestInterruptStopsALoopingJQ(t *testing.T) {
	e := NewEnv(t)
	e.MustRun(t, "person", "add", "--name", "Ali Hussein Al-Obaidi", "--ministry", "MoD", "--ref", "MOD-1")
	out := t.TempDir() + "/people.json"
	for _, args := range [][]string{
		{"person", "list", "--jq", "def f: f; f"},
		{"person", "list", "-o", "json", "--jq", "def f: [f]; f", "--out", out},
	} {
		cmd := e.Command(args...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Generous: the test fails by hanging (killed after two minutes),
		// not by a clock.
		timer := time.AfterFunc(2*time.Minute, func() { cmd.Process.Kill() })
		time.Sleep(500 * time.Millisecond) // the expression is running
		cmd.Process.Signal(syscall.SIGINT)
		err := cmd.Wait()
		timer.Stop()
		r := Result{Args: args, Stdout: stdout.String(), Stderr: stderr.String()}
		r.Code, r.Signal = exitStatus(t, err)
		AssertNoCrash(t, r)
		AssertInterrupted(t, r)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("%s was written (%v)", out, err)
	}
}

// TestInterruptAfterTheImportCommittedSaysSo interrupts an import just after
// its transaction committed, while it writes its summary to --out: the rows
// stay, so nomtrack must not say "nothing was written" (the file summary is
// given up, as every interrupted output is); it says the import was
// committed, and still exits 130.
func TestInterruptAfterTheImportCommittedSaysSo(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: an import of 100,000 rows")
	}
	p := MustProgramme(t)
	e := NewProgrammeEnv(t, p)
	summary := filepath.Join(t.TempDir(), "summary.json")
	r, _ := e.RunInterruptedAt(t, "committed", syscall.SIGINT,
		"import", p.nominations, "--kind", "nominations", "--out", summary)
	if r.Code != 130 {
		t.Errorf("want exit 130, got:\n%v", r)
	}
	if strings.Contains(r.Stderr, "nothing was written") || !strings.Contains(r.Stderr, "was committed") {
		t.Errorf("want a sentence saying the import was committed, not that nothing was written:\n%v", r)
	}
	if got := AssertAllOrNone(t, e, p.baseCounts, p.afterCounts); got != "all" {
		t.Errorf("an import interrupted after its commit left %s of it", got)
	}
}
