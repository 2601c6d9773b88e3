package pgsafety

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestPostgresStoppedCopy stops `db copy` from an SQLite file into a
// PostgreSQL database by SIGINT and by SIGKILL: at the named stages (as
// the target is opened, once the copy has committed, once it is checked)
// and by the clock through the copy, its commit and its check. The target
// holds either nothing or the whole programme, never a part, and a Ctrl-C's
// message says which: "nothing was written" only of an empty target, and
// "committed" only of a whole one (issue 17).
func TestPostgresStoppedCopy(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: a programme import and a dozen copies")
	}
	sample, err := filepath.Abs("../../../testdata/sample/history.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	src := &Env{Dir: t.TempDir()}
	src.DB = filepath.Join(src.Dir, "source.db")
	src.MustRun(t, "import", sample, "-q")
	want := infoCounts(t, src)

	// One copy to the end, for its length.
	ref, refConn := NewPostgresEnv(t)
	start := time.Now()
	src.MustRun(t, "db", "copy", "--to", ref.DB)
	total := time.Since(start)
	assertWholeCopy(t, ref, refConn, want)
	t.Logf("reference copy: %v", total.Round(time.Millisecond))

	type stop struct {
		name  string
		stage string        // NOMTRACK_TEST_INTERRUPT_AT, or by the clock:
		after time.Duration // the signal sent this long after the start
	}
	var stops []stop
	for _, stage := range []string{"copy-opened", "copy-committed", "copy-checked"} {
		stops = append(stops, stop{name: stage, stage: stage})
	}
	for _, pct := range []int{30, 60, 90} {
		stops = append(stops, stop{name: fmt.Sprintf("at_%d%%", pct), after: total * time.Duration(pct) / 100})
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGKILL} {
		for _, st := range stops {
			t.Run(fmt.Sprintf("%s/%s", strings.TrimPrefix(sig.String(), "signal "), st.name), func(t *testing.T) {
				target, conn := NewPostgresEnv(t)
				from := *src
				from.Dir = target.Dir
				cmd := from.Command("db", "copy", "--to", target.DB)
				if st.stage != "" {
					name := map[syscall.Signal]string{syscall.SIGINT: "INT", syscall.SIGKILL: "KILL"}[sig]
					cmd.Env = append(cmd.Env, "NOMTRACK_TEST_INTERRUPT_AT="+st.stage+":"+name)
				} else {
					timer := time.AfterFunc(st.after, func() {
						if cmd.Process != nil {
							cmd.Process.Signal(sig)
						}
					})
					defer timer.Stop()
				}
				r := run(cmd)
				AssertNoCrash(t, r)
				AssertNoServerErrorShown(t, r)
				waitForBackendsGone(t, conn)
				empty := isEmpty(t, conn)
				last := lastLine(r.Stderr)
				switch {
				case r.Code == 0:
					assertWholeCopy(t, target, conn, want)
				case r.Signal == syscall.SIGKILL:
					if !empty {
						assertWholeCopy(t, target, conn, want)
					}
				case r.Code != 130:
					t.Fatalf("want exit 0 or 130:\n%v", r)
				case last == "nomtrack: interrupted; nothing was written":
					if !empty {
						t.Errorf("said nothing was written, but the target holds %v", MustPGCounts(t, conn))
					}
				case strings.HasPrefix(last, "nomtrack: interrupted after the copy was committed to "):
					assertWholeCopy(t, target, conn, want)
				case strings.HasPrefix(last, "nomtrack: interrupted as the copy to "):
					// Stopped as the commit was answered, and the target
					// could not be asked: all or nothing, either way.
					if !empty {
						assertWholeCopy(t, target, conn, want)
					}
				default:
					t.Fatalf("an interrupted copy must say whether it wrote:\n%v", r)
				}
				if st.stage != "" {
					wantDone := st.stage != "copy-opened"
					if empty == wantDone {
						t.Errorf("stopped at %s, the target is empty: %v, want %v", st.stage, empty, !wantDone)
					}
				}
				t.Logf("exit %d, signal %v: target empty %v; %s", r.Code, r.Signal, empty, last)
				if empty { // nothing is in the way of copying again
					src.MustRun(t, "db", "copy", "--to", target.DB)
					assertWholeCopy(t, target, conn, want)
				}
			})
		}
	}
}

// infoCounts reads e's row counts through `db info -o json`.
func infoCounts(tb testing.TB, e *Env) map[string]int64 {
	tb.Helper()
	r := e.MustRun(tb, "db", "info", "-o", "json")
	var info struct {
		Counts map[string]int64 `json:"counts"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &info); err != nil {
		tb.Fatalf("db info -o json: %v\n%s", err, r.Stdout)
	}
	return info.Counts
}

// assertWholeCopy fails unless the database e names passes the server's
// checks and holds the counts want.
func assertWholeCopy(tb testing.TB, e *Env, conn *pgx.Conn, want map[string]int64) {
	tb.Helper()
	if r := e.Run(tb, "db", "check"); r.Code != 0 {
		tb.Errorf("db check of the copy:\n%v", r)
	}
	if got := infoCounts(tb, e); fmt.Sprint(got) != fmt.Sprint(want) {
		tb.Errorf("the copy holds %v, the source %v", got, want)
	}
}

// isEmpty reports whether no programme table of conn's database holds a
// row (a copy stopped before its migrations ran has no tables at all).
func isEmpty(tb testing.TB, conn *pgx.Conn) bool {
	tb.Helper()
	var migrated bool
	if err := conn.QueryRow(context.Background(), `SELECT to_regclass('course') IS NOT NULL`).Scan(&migrated); err != nil {
		tb.Fatal(err)
	}
	if !migrated {
		return true
	}
	for _, n := range MustPGCounts(tb, conn) {
		if n > 0 {
			return false
		}
	}
	return true
}

// waitForBackendsGone waits until no other server process works on conn's
// database: a killed client's transaction is over (rolled back, or
// committed if its COMMIT had been sent) only once the server has noticed.
func waitForBackendsGone(tb testing.TB, conn *pgx.Conn) {
	tb.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid()`).Scan(&n); err != nil {
			tb.Fatal(err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("%d server processes still work on the target two minutes after the copy ended", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
