package safety

import (
	"os"
	"path/filepath"
	"testing"
)

// RunUmask runs nomtrack under a shell that first sets umask, so the test
// shows the modes nomtrack asks for rather than what the umask allows.
func (e *Env) RunUmask(tb testing.TB, umask string, args ...string) Result {
	tb.Helper()
	cmd := e.Command(args...)
	cmd.Path = "/bin/sh"
	cmd.Args = append([]string{"sh", "-c", `umask ` + umask + ` && exec "$0" "$@"`, nomtrackBin}, args...)
	return runCmd(tb, cmd, args)
}

// AssertMode fails unless path has permission bits want.
func AssertMode(tb testing.TB, path string, want os.FileMode) {
	tb.Helper()
	st, err := os.Stat(path)
	if err != nil {
		tb.Errorf("stat: %v", err)
		return
	}
	if got := st.Mode().Perm(); got != want {
		tb.Errorf("%s has mode %04o, want %04o", filepath.Base(path), got, want)
	}
}

func TestDatabaseAndBackupArePrivateWhateverTheUmask(t *testing.T) {
	for _, umask := range []string{"000", "022"} {
		t.Run("umask_"+umask, func(t *testing.T) {
			e := NewEnv(t)
			e.DB = filepath.Join(e.Dir, "new", "dir", "nomtrack.db")
			if r := e.RunUmask(t, umask, "init"); r.Code != 0 {
				t.Fatalf("init:\n%v", r)
			}
			AssertMode(t, e.DB, 0o600)
			AssertMode(t, filepath.Dir(e.DB), 0o700)
			dest := filepath.Join(e.Dir, "backup.db")
			if r := e.RunUmask(t, umask, "db", "backup", dest); r.Code != 0 {
				t.Fatalf("backup:\n%v", r)
			}
			AssertMode(t, dest, 0o600)
		})
	}
}

func TestWrittenFilesArePrivateWhateverTheUmask(t *testing.T) {
	e := NewEnv(t)
	MustBase(t, e)
	// Lists and reports written with --out hold names and ministries.
	for _, args := range [][]string{
		{"person", "list", "--out", "people.csv"},
		{"nomination", "list", "--out", "nominations.json"},
		{"report", "year", "2012", "--out", "report.xlsx"},
		{"export", "people", "--with-contact", "--out", "people.xlsx"},
		{"export", "nominations", "--out", "nominations.csv"},
	} {
		if r := e.RunUmask(t, "000", args...); r.Code != 0 {
			t.Errorf("want success:\n%v", r)
			continue
		}
		AssertMode(t, filepath.Join(e.Dir, args[len(args)-1]), 0o600)
	}
}
