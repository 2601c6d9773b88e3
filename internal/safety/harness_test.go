package safety

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	// The binary is built from these sources in TestMain; importing them
	// makes go test's cache notice when they change.
	_ "github.com/nomtrack/nomtrack/internal/cli"
)

// nomtrackBin is the nomtrack binary TestMain builds once for every test.
var nomtrackBin string

// afterAll are run by TestMain when every test is done (removing shared
// generated files).
var afterAll []func()

// Environment variables by which the test binary re-executes itself as a
// wrapper that applies a resource limit and then execs nomtrack: the limit
// must be set in the child only, never in the test process.
const (
	wrapFSizeEnv = "NOMTRACK_SAFETY_FSIZE" // RLIMIT_FSIZE in bytes
	wrapBinEnv   = "NOMTRACK_SAFETY_BIN"
)

func TestMain(m *testing.M) {
	if limit := os.Getenv(wrapFSizeEnv); limit != "" {
		os.Exit(wrapExec(limit))
	}
	dir, err := os.MkdirTemp("", "nomtrack-safety-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// Readable and executable by everyone: some tests run the binary as an
	// unprivileged user.
	os.Chmod(dir, 0o755)
	nomtrackBin = filepath.Join(dir, "nomtrack")
	build := exec.Command("go", "build", "-o", nomtrackBin, "github.com/nomtrack/nomtrack/cmd/nomtrack")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building nomtrack:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	for _, fn := range afterAll {
		fn()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// wrapExec sets RLIMIT_FSIZE and replaces this process with nomtrack (the
// arguments after the test binary's own). SIGXFSZ is ignored by Go programs,
// so a write past the limit fails with EFBIG, as on a full disk.
func wrapExec(limit string) int {
	n, err := strconv.ParseUint(limit, 10, 64)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bad", wrapFSizeEnv, limit)
		return 125
	}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: n, Max: n}); err != nil {
		fmt.Fprintln(os.Stderr, "setrlimit:", err)
		return 125
	}
	bin := os.Getenv(wrapBinEnv)
	args := append([]string{bin}, os.Args[1:]...)
	env := []string{}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, wrapFSizeEnv+"=") && !strings.HasPrefix(kv, wrapBinEnv+"=") {
			env = append(env, kv)
		}
	}
	err = syscall.Exec(bin, args, env)
	fmt.Fprintln(os.Stderr, "exec:", err)
	return 125
}

// Env is one private nomtrack installation: a home directory with the XDG
// directories inside it and a database path.
type Env struct {
	Dir string // working directory of every command
	DB  string // the database file (NOMTRACK_DB)
	// Extra environment, KEY=VALUE, added to every command.
	Extra []string
}

// NewEnv makes a fresh installation in a temporary directory; the database is
// not created until a command opens it.
func NewEnv(tb testing.TB) *Env {
	tb.Helper()
	dir := tb.TempDir()
	return &Env{Dir: dir, DB: filepath.Join(dir, "data", "nomtrack.db")}
}

func (e *Env) environ() []string {
	home := filepath.Join(e.Dir, "home")
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"XDG_DATA_HOME=" + filepath.Join(home, ".local", "share"),
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"USER=coordinator",
		"NO_COLOR=1",
		"TZ=UTC",
		"NOMTRACK_DB=" + e.DB,
	}
	return append(env, e.Extra...)
}

// Result is how one nomtrack run ended.
type Result struct {
	Args   []string
	Code   int
	Stdout string
	Stderr string
	// Signal is the signal that killed the process, if one did.
	Signal syscall.Signal
	// MaxRSSKiB is the process's peak resident memory as last seen while it
	// ran (sampled every 5 ms).
	MaxRSSKiB int64
}

func (r Result) String() string {
	return fmt.Sprintf("nomtrack %s: exit %d\nstdout:\n%s\nstderr:\n%s", shortArgs(r.Args), r.Code, clip(r.Stdout), clip(r.Stderr))
}

func clip(s string) string {
	if len(s) > 4000 {
		return s[:4000] + "…"
	}
	return s
}

// Command prepares nomtrack with args in e, for tests that start, watch
// and kill processes themselves.
func (e *Env) Command(args ...string) *exec.Cmd {
	cmd := exec.Command(nomtrackBin, args...)
	cmd.Dir = e.Dir
	cmd.Env = e.environ()
	return cmd
}

// Run runs nomtrack with args to completion (bounded by two minutes).
func (e *Env) Run(tb testing.TB, args ...string) Result {
	tb.Helper()
	return runCmd(tb, e.Command(args...), args)
}

// RunLimited runs nomtrack with args under a file size limit of fsize bytes
// (RLIMIT_FSIZE), the portable stand-in for a full disk.
func (e *Env) RunLimited(tb testing.TB, fsize int64, args ...string) Result {
	tb.Helper()
	self, err := os.Executable()
	if err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command(self, args...)
	cmd.Dir = e.Dir
	cmd.Env = append(e.environ(), wrapFSizeEnv+"="+strconv.FormatInt(fsize, 10), wrapBinEnv+"="+nomtrackBin)
	return runCmd(tb, cmd, args)
}

func runCmd(tb testing.TB, cmd *exec.Cmd, args []string) Result {
	tb.Helper()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		tb.Fatalf("start nomtrack: %v", err)
	}
	timer := time.AfterFunc(2*time.Minute, func() { cmd.Process.Kill() })
	stop := make(chan struct{})
	peak := peakRSS(cmd.Process.Pid, stop)
	err := cmd.Wait()
	close(stop)
	timer.Stop()
	res := Result{Args: args, Stdout: out.String(), Stderr: errb.String(), MaxRSSKiB: <-peak}
	res.Code, res.Signal = exitStatus(tb, err)
	AssertNoCrash(tb, res)
	return res
}

// exitStatus turns cmd.Wait's error into an exit code and a killing signal.
func exitStatus(tb testing.TB, err error) (int, syscall.Signal) {
	tb.Helper()
	if err == nil {
		return 0, 0
	}
	ee, ok := err.(*exec.ExitError)
	if !ok {
		tb.Fatalf("wait nomtrack: %v", err)
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return -1, ws.Signal()
	}
	return ee.ExitCode(), 0
}

// AssertNoCrash fails when a run that was not killed by the test printed a
// Go panic or stack trace, or an internal error.
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

// MustRun runs nomtrack and fails the test unless it exits 0.
func (e *Env) MustRun(tb testing.TB, args ...string) Result {
	tb.Helper()
	r := e.Run(tb, args...)
	if r.Code != 0 {
		tb.Fatalf("want success:\n%v", r)
	}
	return r
}

// Counts are a database's row counts as `db info -o json` reports them.
type Counts map[string]int64

// MustCounts reads the row counts through the binary.
func (e *Env) MustCounts(tb testing.TB) Counts {
	tb.Helper()
	r := e.MustRun(tb, "db", "info", "-o", "json")
	var info struct {
		SchemaVersion int    `json:"schema_version"`
		Counts        Counts `json:"counts"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &info); err != nil {
		tb.Fatalf("db info -o json: %v\n%s", err, r.Stdout)
	}
	return info.Counts
}

// MustCheck runs `db check` and fails the test unless the database passes
// SQLite's integrity and foreign-key checks.
func (e *Env) MustCheck(tb testing.TB) {
	tb.Helper()
	r := e.Run(tb, "db", "check")
	if r.Code != 0 || !strings.HasPrefix(r.Stdout, "ok: ") {
		tb.Fatalf("db check failed:\n%v", r)
	}
}

// MustFileBytes reads a file or fails.
func MustFileBytes(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// withTimeout is a context for helpers that poll.
func withTimeout(tb testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	tb.Cleanup(cancel)
	return ctx
}

// peakRSS follows a running process's peak resident memory (VmHWM in
// /proc/PID/status, in KiB) until stop is closed, then sends the last value
// read. Rusage cannot serve: the child starts as a vfork of this (large)
// test process, whose peak it inherits.
func peakRSS(pid int, stop <-chan struct{}) <-chan int64 {
	out := make(chan int64, 1)
	go func() {
		var peak int64
		path := "/proc/" + strconv.Itoa(pid) + "/status"
		for {
			if b, err := os.ReadFile(path); err == nil {
				for _, line := range strings.Split(string(b), "\n") {
					if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
						n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
						peak = max(peak, n)
					}
				}
			}
			select {
			case <-stop:
				out <- peak
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	return out
}
