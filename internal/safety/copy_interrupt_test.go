package safety

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// copyDirWatch is what a poller saw of the directory a `db copy` writes
// into.
type copyDirWatch struct {
	Elapsed time.Duration
	Files   int   // files of any name: the target, a temporary copy, companions
	WAL     int64 // the largest -wal file's size
}

func watchCopyDir(dir string, start time.Time) copyDirWatch {
	w := copyDirWatch{Elapsed: time.Since(start)}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		w.Files++
		if strings.HasSuffix(e.Name(), "-wal") {
			if st, err := e.Info(); err == nil && st.Size() > w.WAL {
				w.WAL = st.Size()
			}
		}
	}
	return w
}

// TestStoppedCopyLeavesNoTarget stops `db copy --to NEW.db` by SIGINT and by
// SIGKILL at several moments (as the target file appears, as its WAL fills,
// and by the clock through the copy and the check after it): the name
// given holds either the whole, checked copy or nothing at all, never an
// empty or partial database. Ctrl-C leaves no file of any name; SIGKILL,
// which no handler sees, may leave a private temporary file, never the
// target.
func TestStoppedCopyLeavesNoTarget(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: a programme import and a dozen copies")
	}
	src := NewEnv(t)
	sample, err := filepath.Abs("../../testdata/sample/history.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	src.MustRun(t, "import", sample, "-q")
	want := src.MustCounts(t)

	copyTo := func(t *testing.T, name string) (*Started, string) {
		dir := filepath.Join(t.TempDir(), "out")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		return src.Start(t, "db", "copy", "--to", filepath.Join(dir, name)), dir
	}
	// assertWhole fails unless target is the whole copy of the source.
	assertWhole := func(t *testing.T, target string) {
		t.Helper()
		e := &Env{Dir: filepath.Dir(target), DB: target}
		e.MustCheck(t)
		if got := e.MustCounts(t); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("the copy holds %v, the source %v", got, want)
		}
	}

	s, dir := copyTo(t, "ref.db")
	start := time.Now()
	var maxWAL int64
	for s.Running() {
		maxWAL = max(maxWAL, watchCopyDir(dir, start).WAL)
		time.Sleep(200 * time.Microsecond)
	}
	total := time.Since(start)
	if r := s.Wait(t); r.Code != 0 {
		t.Fatalf("reference copy:\n%v", r)
	}
	assertWhole(t, filepath.Join(dir, "ref.db"))
	t.Logf("reference copy: %v, WAL up to %d KiB", total.Round(time.Millisecond), maxWAL>>10)

	triggers := []struct {
		name string
		fire func(w copyDirWatch) bool
	}{
		{"file_appears", func(w copyDirWatch) bool { return w.Files > 0 }},
		{"wal_begins", func(w copyDirWatch) bool { return w.WAL > 32<<10 }},
		{"wal_half", func(w copyDirWatch) bool { return w.WAL >= maxWAL/2 }},
	}
	for _, pct := range []int{30, 60, 85, 95} {
		at := total * time.Duration(pct) / 100
		triggers = append(triggers, struct {
			name string
			fire func(w copyDirWatch) bool
		}{fmt.Sprintf("at_%d%%", pct), func(w copyDirWatch) bool { return w.Elapsed >= at }})
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGKILL} {
		for _, tr := range triggers {
			t.Run(fmt.Sprintf("%s/%s", strings.TrimPrefix(sig.String(), "signal "), tr.name), func(t *testing.T) {
				s, dir := copyTo(t, "new.db")
				target := filepath.Join(dir, "new.db")
				start := time.Now()
				for s.Running() {
					if tr.fire(watchCopyDir(dir, start)) {
						s.cmd.Process.Signal(sig)
						break
					}
					time.Sleep(200 * time.Microsecond)
				}
				<-s.Done()
				r := s.result
				if _, err := os.Stat(target); err == nil {
					// Finished (or stopped after the copy took its name).
					t.Logf("the target is there after exit %d, signal %v", r.Code, r.Signal)
					assertWhole(t, target)
					return
				}
				t.Logf("stopped after %v (exit %d, signal %v): no target", time.Since(start).Round(time.Millisecond), r.Code, r.Signal)
				if sig == syscall.SIGINT {
					AssertInterrupted(t, r)
					if ents, _ := os.ReadDir(dir); len(ents) > 0 {
						t.Errorf("an interrupted copy left %s in the target's directory", ents[0].Name())
					}
				} else {
					ents, _ := os.ReadDir(dir)
					for _, e := range ents {
						if !strings.HasPrefix(e.Name(), ".nomtrack-copy-") {
							t.Errorf("a killed copy left %s", e.Name())
						}
						AssertMode(t, filepath.Join(dir, e.Name()), 0o600)
					}
				}
				// Nothing is in the way of copying again.
				if r := src.Run(t, "db", "copy", "--to", target); r.Code != 0 {
					t.Fatalf("copying again after the stopped copy:\n%v", r)
				}
				assertWhole(t, target)
			})
		}
	}
}
