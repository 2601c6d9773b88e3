package safety

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// fsizeBelowSchema lets SQLite size its 32 KiB shared-memory index but not
// write a whole new schema (about 90 KiB) or a backup of it.
const fsizeBelowSchema = 48 << 10

// AssertCleanFailure fails unless r exited 1 with one "nomtrack: " sentence
// on stderr (no stack trace, no raw SQL) naming the kind of trouble.
func AssertCleanFailure(tb testing.TB, r Result, words ...string) {
	tb.Helper()
	if r.Code != 1 {
		tb.Errorf("want exit 1:\n%v", r)
		return
	}
	msg := strings.TrimSpace(r.Stderr)
	tb.Logf("%s → %s", shortArgs(r.Args), msg)
	if !strings.HasPrefix(msg, "nomtrack: ") || strings.Count(msg, "\n") > 1 {
		tb.Errorf("want one nomtrack: sentence on stderr:\n%v", r)
	}
	for _, raw := range []string{"SQL logic", "sqlite3", "SQLITE_", "(1)", "no such table"} {
		if strings.Contains(msg, raw) {
			tb.Errorf("stderr shows raw driver text %q:\n%v", raw, r)
		}
	}
	for _, w := range words {
		if !strings.Contains(msg, w) {
			tb.Errorf("stderr lacks %q:\n%v", w, r)
		}
	}
}

// AssertNoStrayFiles fails when dir holds files other than want (and the
// database's own -wal/-shm).
func AssertNoStrayFiles(tb testing.TB, dir string, want ...string) {
	tb.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	ok := map[string]bool{}
	for _, w := range want {
		ok[w], ok[w+"-wal"], ok[w+"-shm"] = true, true, true
	}
	for _, en := range entries {
		if !ok[en.Name()] {
			tb.Errorf("stray file %s in %s", en.Name(), dir)
		}
	}
}

func TestInitOnFullDiskFailsCleanlyAndRetrySucceeds(t *testing.T) {
	e := NewEnv(t)
	r := e.RunLimited(t, fsizeBelowSchema, "init")
	AssertCleanFailure(t, r, "is it full", "nothing was written")
	// The half-made file is no database yet: a later init with room
	// completes it.
	e.MustRun(t, "init")
	e.MustCheck(t)
	if info := e.MustInfo(t); info.SchemaVersion != info.LatestSchema {
		t.Errorf("schema %d after retry, want %d", info.SchemaVersion, info.LatestSchema)
	}
}

func TestBackupOnFullDiskLeavesNoPartialFile(t *testing.T) {
	e := NewEnv(t)
	e.MustRun(t, "init")
	dest := filepath.Join(e.Dir, "backups", "copy.db")
	if err := os.MkdirAll(filepath.Dir(dest), 0o700); err != nil {
		t.Fatal(err)
	}
	r := e.RunLimited(t, fsizeBelowSchema, "db", "backup", dest)
	AssertCleanFailure(t, r, "is it full")
	if _, err := os.Stat(dest); err == nil {
		t.Errorf("a partial backup %s was left", dest)
	}
	AssertNoStrayFiles(t, filepath.Dir(dest))
	e.MustCheck(t)
	// With room the same backup works and passes the check.
	e.MustRun(t, "db", "backup", dest)
	b := &Env{Dir: e.Dir, DB: dest}
	b.MustCheck(t)
}

// MustTmpfs mounts a tmpfs of size bytes (a real disk that fills up, with
// ENOSPC) or skips the test where mounting is not permitted.
func MustTmpfs(tb testing.TB, size string) string {
	tb.Helper()
	if os.Geteuid() != 0 {
		tb.Skip("mounting a small tmpfs needs root; the RLIMIT_FSIZE tests cover a full disk")
	}
	dir := filepath.Join(tb.TempDir(), "fs")
	if err := os.Mkdir(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size+",mode=0755"); err != nil {
		tb.Skipf("cannot mount a tmpfs here (%v); the RLIMIT_FSIZE tests cover a full disk", err)
	}
	tb.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			tb.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

// MustFill writes a filler file so that about free bytes stay free in dir's
// file system, and returns a func that removes it.
func MustFill(tb testing.TB, dir string, free int64) func() {
	tb.Helper()
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		tb.Fatal(err)
	}
	avail := int64(st.Bavail) * int64(st.Bsize)
	if avail < free {
		tb.Fatalf("only %d bytes free, want to leave %d", avail, free)
	}
	path := filepath.Join(dir, "filler")
	if err := os.WriteFile(path, make([]byte, avail-free), 0o600); err != nil {
		tb.Fatal(err)
	}
	return func() {
		if err := os.Remove(path); err != nil {
			tb.Fatal(err)
		}
	}
}

func TestInitOnFullTmpfsFailsCleanly(t *testing.T) {
	fs := MustTmpfs(t, "1m")
	e := NewEnv(t)
	e.DB = filepath.Join(fs, "nomtrack.db")
	unfill := MustFill(t, fs, 48<<10)
	r := e.Run(t, "init")
	AssertCleanFailure(t, r)
	unfill()
	e.MustRun(t, "init")
	e.MustCheck(t)
}

func TestBackupOnFullTmpfsLeavesNoPartialFile(t *testing.T) {
	fs := MustTmpfs(t, "1m")
	e := NewEnv(t)
	e.DB = filepath.Join(fs, "nomtrack.db")
	e.MustRun(t, "init")
	before := MustSnapshot(t, fs)
	unfill := MustFill(t, fs, 48<<10)
	dest := filepath.Join(fs, "copy.db")
	r := e.Run(t, "db", "backup", dest)
	AssertCleanFailure(t, r)
	unfill()
	AssertNoStrayFiles(t, fs, "nomtrack.db")
	AssertSameSnapshot(t, fs, before)
	e.MustCheck(t)
}

// Unprivileged prepares e's database directory for a run as an
// unprivileged user, and returns the credential to run with: nil when the
// tests already run unprivileged. Root ignores file permissions, so as root
// the commands run as nobody (65534) with the files handed to nobody.
func Unprivileged(tb testing.TB, e *Env) *syscall.Credential {
	tb.Helper()
	if os.Geteuid() != 0 {
		return nil
	}
	const nobody = 65534
	cred := &syscall.Credential{Uid: nobody, Gid: nobody}
	probe := exec.Command(nomtrackBin, "version")
	probe.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if err := probe.Run(); err != nil {
		tb.Skipf("cannot run nomtrack as an unprivileged user here (%v); root ignores file permissions", err)
	}
	// Every directory from the temporary root down must be reachable.
	for d := filepath.Dir(e.DB); d != filepath.Dir(d) && d != os.TempDir(); d = filepath.Dir(d) {
		if st, err := os.Stat(d); err == nil && st.Mode().Perm()&0o005 != 0o005 && strings.HasPrefix(d, os.TempDir()) {
			os.Chmod(d, st.Mode().Perm()|0o005)
		}
	}
	err := filepath.Walk(filepath.Dir(e.DB), func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, nobody, nobody)
	})
	if err != nil {
		tb.Fatal(err)
	}
	return cred
}

// RunAs runs nomtrack as cred (nil: as the test's own user).
func (e *Env) RunAs(tb testing.TB, cred *syscall.Credential, args ...string) Result {
	tb.Helper()
	cmd := e.Command(args...)
	if cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	}
	return runCmd(tb, cmd, args)
}

// bigPosition is a value long enough that writing it needs more room than
// fsizeBelowSchema leaves (but short enough for one command-line argument).
var bigPosition = strings.Repeat("Directorate of Counter-Terrorism Operations, ", 2200)

func TestPersonAddOnFullDiskFailsCleanlyDatabaseIntact(t *testing.T) {
	e := NewEnv(t)
	before := MustBase(t, e)
	args := []string{"person", "add", "--name", "Omar Khalid Al-Jubouri", "--ministry", "MoI", "--ref", "MOI-2002", "--position", bigPosition}
	r := e.RunLimited(t, fsizeBelowSchema, args...)
	AssertCleanFailure(t, r, "is it full", "nothing was written")
	e.MustCheck(t)
	AssertCounts(t, e, before)
	// With room, the same command succeeds.
	e.MustRun(t, args...)
	before["person"]++
	AssertCounts(t, e, before)
}

func TestPersonAddOnFullTmpfsFailsCleanlyDatabaseIntact(t *testing.T) {
	fs := MustTmpfs(t, "1m")
	e := NewEnv(t)
	e.DB = filepath.Join(fs, "nomtrack.db")
	before := MustBase(t, e)
	unfill := MustFill(t, fs, 48<<10)
	r := e.Run(t, "person", "add", "--name", "Omar Khalid Al-Jubouri", "--ministry", "MoI", "--position", bigPosition)
	AssertCleanFailure(t, r, "disk is full")
	unfill()
	e.MustCheck(t)
	AssertCounts(t, e, before)
}

// shortArgs is a command line cut to a readable length, for logs.
func shortArgs(args []string) string {
	s := strings.Join(args, " ")
	if len(s) > 100 {
		s = s[:100] + "…"
	}
	return s
}

func TestReadOnCompletelyFullTmpfsFailsCleanly(t *testing.T) {
	fs := MustTmpfs(t, "1m")
	e := NewEnv(t)
	e.DB = filepath.Join(fs, "nomtrack.db")
	before := MustBase(t, e)
	// Not a byte left: SQLite cannot even create the shared-memory index a
	// WAL database needs to be read.
	unfill := MustFill(t, fs, 0)
	r := e.Run(t, "db", "info")
	AssertCleanFailure(t, r, "is it full")
	unfill()
	e.MustCheck(t)
	AssertCounts(t, e, before)
}
