package pgsafety

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	// The binary is built from these sources in TestMain; importing them
	// makes go test's cache notice when they change.
	_ "github.com/nomtrack/nomtrack/internal/cli"
	"github.com/nomtrack/nomtrack/internal/pgtest"
)

// nomtrackBin is the nomtrack binary TestMain builds once for every test.
var nomtrackBin string

// afterAll are run by TestMain when every test is done.
var afterAll []func()

func TestMain(m *testing.M) {
	if !pgtest.OnPostgres() {
		fmt.Println("pgsafety: the PostgreSQL half; run with " + pgtest.EngineEnv + "=postgres (scripts/test.sh does)")
		os.Exit(0)
	}
	dir, err := os.MkdirTemp("", "nomtrack-pgsafety-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	nomtrackBin = filepath.Join(dir, "nomtrack")
	build := exec.Command("go", "build", "-o", nomtrackBin, "github.com/nomtrack/nomtrack/cmd/nomtrack")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building nomtrack:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	pgtest.Stop()
	for _, fn := range afterAll {
		fn()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// Env is one coordinator's installation: a home directory and the
// database URL (NOMTRACK_DB).
type Env struct {
	Dir string
	DB  string
}

// Command prepares nomtrack with args in e.
func (e *Env) Command(args ...string) *exec.Cmd {
	cmd := exec.Command(nomtrackBin, args...)
	cmd.Dir = e.Dir
	home := filepath.Join(e.Dir, "home")
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"XDG_DATA_HOME=" + filepath.Join(home, ".local", "share"),
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"USER=coordinator",
		"NO_COLOR=1",
		"TZ=UTC",
		"NOMTRACK_DB=" + e.DB,
	}
	return cmd
}

// Result is how one nomtrack run ended.
type Result struct {
	Args           []string
	Code           int
	Stdout, Stderr string
	Signal         syscall.Signal
}

func (r Result) String() string {
	return fmt.Sprintf("nomtrack %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(r.Args, " "), r.Code, clip(r.Stdout), clip(r.Stderr))
}

func clip(s string) string {
	if len(s) > 4000 {
		return s[:4000] + "…"
	}
	return s
}

// run runs cmd to completion (bounded by two minutes) without a testing.TB,
// for goroutines.
func run(cmd *exec.Cmd) Result {
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	r := Result{Args: cmd.Args[1:]}
	if err := cmd.Start(); err != nil {
		r.Code, r.Stderr = -2, err.Error()
		return r
	}
	timer := time.AfterFunc(2*time.Minute, func() { cmd.Process.Kill() })
	err := cmd.Wait()
	timer.Stop()
	r.Stdout, r.Stderr = out.String(), errb.String()
	r.Code, r.Signal = waitStatus(err)
	return r
}

// Run runs nomtrack with args to completion and checks it did not crash.
func (e *Env) Run(tb testing.TB, args ...string) Result {
	tb.Helper()
	r := run(e.Command(args...))
	AssertNoCrash(tb, r)
	return r
}

// MustRun runs nomtrack and fails the test unless it exits 0.
func (e *Env) MustRun(tb testing.TB, args ...string) Result {
	tb.Helper()
	r := e.Run(tb, args...)
	if r.Code != 0 {
		tb.Fatalf("want success:\n%v", r)
	}
	return r
}

// Started is a nomtrack process running in the background.
type Started struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
	done           chan struct{}
	result         Result
}

// Start starts nomtrack with args without waiting for it; the test's
// cleanup kills it if it still runs.
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
			s.cmd.Process.Signal(syscall.SIGKILL)
			<-s.done
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

// Wait waits for the process to exit (bounded by two minutes).
func (s *Started) Wait(tb testing.TB) Result {
	tb.Helper()
	select {
	case <-s.done:
	case <-time.After(2 * time.Minute):
		s.cmd.Process.Signal(syscall.SIGKILL)
		<-s.done
		tb.Fatalf("nomtrack %v did not finish in two minutes", s.result.Args)
	}
	AssertNoCrash(tb, s.result)
	return s.result
}

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

// AssertNoCrash fails when a run that the test did not kill printed a Go
// panic or stack trace, or an internal error.
func AssertNoCrash(tb testing.TB, r Result) {
	tb.Helper()
	if r.Signal == syscall.SIGKILL {
		return
	}
	for _, bad := range []string{"goroutine ", "panic:", "internal error", "runtime error", ".go:"} {
		if strings.Contains(r.Stderr, bad) || strings.Contains(r.Stdout, bad) {
			tb.Errorf("output contains %q:\n%v", bad, r)
		}
	}
	if r.Signal != 0 {
		tb.Errorf("killed by %v:\n%v", r.Signal, r)
	}
}

// Counts are row counts by table.
type Counts map[string]int64
