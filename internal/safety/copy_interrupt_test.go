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

// TestCopyStoppedAfterCommit stops `db copy` after its transaction has
// committed (as the check of the copy begins, and as it ends) by SIGINT
// and by SIGKILL, into a new file and into an empty nomtrack file that was
// there before and is used in place, and holds what the command says to
// what is on disk. A new file never takes its name, so "nothing was
// written" is true of it; a file used in place keeps the whole copy, and
// the message says that it was committed and whether it was checked.
func TestCopyStoppedAfterCommit(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: a programme import and eight copies")
	}
	src := NewEnv(t)
	sample, err := filepath.Abs("../../testdata/sample/history.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	src.MustRun(t, "import", sample, "-q")
	want := src.MustCounts(t)

	for _, sig := range []string{"INT", "KILL"} {
		for _, stage := range []string{"copy-committed", "copy-checked"} {
			for _, place := range []string{"new", "in_place"} {
				t.Run(sig+"/"+stage+"/"+place, func(t *testing.T) {
					dir := t.TempDir()
					target := filepath.Join(dir, "target.db")
					into := &Env{Dir: dir, DB: target}
					if place == "in_place" {
						into.MustRun(t, "db", "migrate")
					}
					stopped := *src
					stopped.Extra = append(append([]string(nil), src.Extra...), interruptStageEnv+"="+stage+":"+sig)
					r := stopped.Run(t, "db", "copy", "--to", target)
					last := lastLine(r.Stderr)
					switch {
					case sig == "KILL" && r.Signal != syscall.SIGKILL:
						t.Fatalf("want killed by SIGKILL at %s:\n%v", stage, r)
					case sig == "KILL" && place == "in_place":
						assertCopyOf(t, into, want) // committed before the kill
					case sig == "KILL":
						ents, _ := os.ReadDir(dir)
						for _, e := range ents {
							if !strings.HasPrefix(e.Name(), ".nomtrack-copy-") {
								t.Errorf("a copy killed after its commit left %s under a name of its own", e.Name())
							}
						}
					case place == "in_place":
						wantLine := "nomtrack: interrupted after the copy was committed to " + target + ", before it was checked: it holds the programme of " + src.DB + ", unchecked; "
						if stage == "copy-checked" {
							wantLine = "nomtrack: interrupted after the copy was committed to " + target + " and checked: it holds the whole programme of " + src.DB
						}
						if r.Code != 130 || !strings.HasPrefix(last, wantLine) || strings.Contains(r.Stderr, "nothing was written") {
							t.Errorf("want exit 130 and %q:\n%v", wantLine, r)
						}
						assertCopyOf(t, into, want)
					default:
						AssertInterrupted(t, r)
						if ents, _ := os.ReadDir(dir); len(ents) > 0 {
							t.Errorf("a copy interrupted after its commit, said to have written nothing, left %s", ents[0].Name())
						}
					}
				})
			}
		}
	}
}

// assertCopyOf fails unless e's database passes its checks and holds the
// counts want.
func assertCopyOf(t *testing.T, e *Env, want Counts) {
	t.Helper()
	e.MustCheck(t)
	if got := e.MustCounts(t); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("the copy holds %v, the source %v", got, want)
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
