package safety

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// HoldsWriteLock reports whether process pid holds SQLite's WAL write lock
// on the database at db: a POSIX write lock on byte 120 of its -shm file, as
// /proc/locks shows it. That is the moment a write transaction is open.
func HoldsWriteLock(tb testing.TB, pid int, db string) bool {
	tb.Helper()
	st, err := os.Stat(db + "-shm")
	if err != nil {
		return false
	}
	ino := st.Sys().(*syscall.Stat_t).Ino
	f, err := os.Open("/proc/locks")
	if err != nil {
		tb.Skipf("cannot read /proc/locks (%v): this test watches SQLite's locks through it", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// 5: POSIX  ADVISORY  WRITE 5004 fe:00:9977907 120 120
		fs := strings.Fields(sc.Text())
		if len(fs) < 8 || fs[1] != "POSIX" || fs[3] != "WRITE" || fs[4] != strconv.Itoa(pid) {
			continue
		}
		dev := strings.Split(fs[5], ":")
		if dev[len(dev)-1] == strconv.FormatUint(ino, 10) && fs[6] == "120" {
			return true
		}
	}
	return false
}

// MustStartImportHoldingLock starts the programme's import in e and
// returns once it holds the write lock (its transaction is open).
func MustStartImportHoldingLock(tb testing.TB, e *Env, p *programme) *Started {
	tb.Helper()
	s := e.Start(tb, "import", p.nominations, "--kind", "nominations")
	deadline := time.Now().Add(time.Minute)
	for !HoldsWriteLock(tb, s.cmd.Process.Pid, e.DB) {
		if !s.Running() || time.Now().After(deadline) {
			tb.Fatalf("the import never held the write lock:\n%v", s.Wait(tb))
		}
		time.Sleep(200 * time.Microsecond)
	}
	return s
}

// TestDuringARunningImport watches one import of the programme: while its
// transaction is open (it holds SQLite's write lock), readers answer without
// waiting for it and see none of it, a writer with a short busy timeout gives
// up cleanly, a backup holds none of it, and a writer waits for it, says so
// after a second, and succeeds.
func TestDuringARunningImport(t *testing.T) {
	p := MustProgramme(t)
	e := NewProgrammeEnv(t, p)
	imp := MustStartImportHoldingLock(t, e, p)
	pid := imp.cmd.Process.Pid
	began := time.Now()
	writer := e.Start(t, "capacity", "set", "2031", "480")

	t.Run("readers_not_blocked", func(t *testing.T) {
		for _, args := range [][]string{{"db", "info", "-o", "json"}, {"nomination", "list", "--limit", "5", "-o", "json"}, {"db", "check"}} {
			start := time.Now()
			r := e.Run(t, args...)
			took := time.Since(start)
			if r.Code != 0 {
				t.Errorf("reader during the import:\n%v", r)
			}
			// The reader ended while the import still held its transaction
			// open: it did not wait for the writer.
			if !HoldsWriteLock(t, pid, e.DB) {
				t.Fatalf("the import released the write lock before %v finished; make the import larger", args)
			}
			t.Logf("%s answered in %v while the import (%v in all) held the write lock", strings.Join(args, " "), took.Round(time.Millisecond), p.importTime.Round(time.Millisecond))
		}
		// A snapshot reader sees none of the uncommitted import, nor the
		// waiting writer's change.
		AssertCounts(t, e, p.baseCounts)
	})

	t.Run("impatient_writer_fails_cleanly", func(t *testing.T) {
		// With busy_timeout at 200 ms a writer gives up, cleanly.
		cmd := e.Command("person", "add", "--name", "Impatient Writer", "--ministry", "MoD")
		cmd.Env = append(cmd.Env, "NOMTRACK_BUSY_TIMEOUT=200ms")
		r := runCmd(t, cmd, cmd.Args[1:])
		if !HoldsWriteLock(t, pid, e.DB) {
			t.Skipf("the import committed before the writer's 200 ms ran out (writer exit %d)", r.Code)
		}
		AssertCleanFailure(t, r, "busy", "nothing was written")
	})

	during := filepath.Join(e.Dir, "during.db")
	t.Run("backup_during", func(t *testing.T) {
		e.MustRun(t, "db", "backup", during)
		if !HoldsWriteLock(t, pid, e.DB) {
			t.Fatal("the import ended before the backup did; make the import larger")
		}
	})

	<-imp.Done()
	waited := time.Since(began)
	final := Counts{} // the import and the waiting writer's capacity year
	for k, v := range p.afterCounts {
		final[k] = v
	}
	final["capacity"]++
	if r := imp.Wait(t); r.Code != 0 {
		t.Fatalf("import:\n%v", r)
	}
	t.Run("backup_holds_none", func(t *testing.T) {
		AssertMode(t, during, 0o600)
		b := &Env{Dir: e.Dir, DB: during}
		if got := AssertAllOrNone(t, b, p.baseCounts, p.afterCounts); got != "none" {
			t.Errorf("a backup taken while the import's transaction was open holds %s of it, want none", got)
		}
	})
	t.Run("writer_waits_and_says_so", func(t *testing.T) {
		wr := writer.Wait(t)
		if wr.Code != 0 {
			t.Fatalf("the waiting writer failed:\n%v", wr)
		}
		// The writer had to wait for the import's commit; past a second it
		// says so.
		t.Logf("the writer waited about %v for the import", waited.Round(time.Millisecond))
		if waited > 1500*time.Millisecond && !strings.Contains(wr.Stderr, "waiting for another nomtrack command") {
			t.Errorf("the writer waited %v without saying so:\n%v", waited, wr)
		}
		AssertCounts(t, e, final)
	})
	t.Run("backup_after_holds_all", func(t *testing.T) {
		after := filepath.Join(e.Dir, "after.db")
		e.MustRun(t, "db", "backup", after)
		a := &Env{Dir: e.Dir, DB: after}
		if got := AssertAllOrNone(t, a, p.baseCounts, final); got != "all" {
			t.Errorf("a backup taken after the import holds %s of it, want all", got)
		}
	})
}

// concurrentK is how many commands each small writer runs.
const concurrentK = 8

// MustConcurrencyBase adds, straight through the driver, what the small
// writers of the concurrency test work on: a course SAFE-1 with an offering
// without a seat limit, people to nominate and nominations to approve and
// decline.
func MustConcurrencyBase(tb testing.TB, e *Env) {
	tb.Helper()
	db := MustRawDB(tb, e.DB)
	const at = "2026-11-01T09:00:00Z"
	MustExec(tb, db,
		`INSERT INTO course (code, title, area, created_at, updated_at) VALUES ('SAFE-1', 'Safety Course', 'crisis-management', '`+at+`', '`+at+`')`,
		`INSERT INTO offering (course_id, start, end, created_at, updated_at) SELECT id, '2030-01-06', '2030-01-10', '`+at+`', '`+at+`' FROM course WHERE code = 'SAFE-1'`,
	)
	for _, group := range []string{"N1", "N2", "AP", "DE"} {
		for j := 0; j < concurrentK; j++ {
			ref := fmt.Sprintf("SAFE-%s-%d", group, j)
			name := fmt.Sprintf("Safety %s Person %d", group, j)
			MustExec(tb, db, `INSERT INTO person (ref, name, name_key, ministry, created_at, updated_at) VALUES ('`+ref+`', '`+name+`', '`+nomtrack.NameKey(name)+`', 'MoD', '`+at+`', '`+at+`')`)
			if group == "AP" || group == "DE" {
				MustExec(tb, db,
					`INSERT INTO nomination (person_id, offering_id, role, status, created_at, updated_at) SELECT p.id, o.id, 'principal', 'nominated', '`+at+`', '`+at+`' FROM person p, offering o JOIN course c ON c.id = o.course_id WHERE p.ref = '`+ref+`' AND c.code = 'SAFE-1'`,
					`INSERT INTO nomination_event (nomination_id, at, actor, to_status, source) SELECT n.id, '`+at+`', 'setup', 'nominated', 'cli' FROM nomination n JOIN person p ON p.id = n.person_id WHERE p.ref = '`+ref+`'`,
				)
			}
		}
	}
	if err := db.Close(); err != nil {
		tb.Fatal(err)
	}
}

// MustNominationIDs returns the ids of the nominations of the people whose
// ref starts with prefix, in ref order.
func MustNominationIDs(tb testing.TB, e *Env, prefix string) []string {
	tb.Helper()
	db := MustRawDB(tb, e.DB)
	defer db.Close()
	rows, err := db.Query(`SELECT n.id FROM nomination n JOIN person p ON p.id = n.person_id WHERE p.ref LIKE ? ORDER BY p.ref`, prefix+"%")
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, strconv.FormatInt(id, 10))
	}
	return ids
}

func TestEightProcessesWritingAtOnceAllSucceed(t *testing.T) {
	p := MustProgramme(t)
	e := NewProgrammeEnv(t, p)
	MustConcurrencyBase(t, e)
	before := e.MustCounts(t)
	approve := MustNominationIDs(t, e, "SAFE-AP-")
	decline := MustNominationIDs(t, e, "SAFE-DE-")
	if len(approve) != concurrentK || len(decline) != concurrentK {
		t.Fatalf("setup: %d and %d nominations", len(approve), len(decline))
	}

	// Eight workers, each one process at a time: one import and seven
	// sequences of small writes.
	workers := [][][]string{{{"import", p.nominations, "--kind", "nominations"}}}
	var addA, addB, nom1, nom2, appr, decl, misc [][]string
	for j := 0; j < concurrentK; j++ {
		addA = append(addA, []string{"person", "add", "--name", fmt.Sprintf("Concurrent A%d Hassan", j), "--ministry", "MoD", "--ref", fmt.Sprintf("SAFE-A-%d", j)})
		addB = append(addB, []string{"person", "add", "--name", fmt.Sprintf("Concurrent B%d Kareem", j), "--ministry", "MoI", "--ref", fmt.Sprintf("SAFE-B-%d", j)})
		nom1 = append(nom1, []string{"nominate", fmt.Sprintf("SAFE-N1-%d", j), "SAFE-1@2030-01-06"})
		nom2 = append(nom2, []string{"nominate", fmt.Sprintf("SAFE-N2-%d", j), "SAFE-1@2030-01-06", "--alternate"})
		appr = append(appr, []string{"nomination", "approve", approve[j]})
		decl = append(decl, []string{"nomination", "decline", decline[j], "--reason", "unit commitments"})
		if j%2 == 0 {
			misc = append(misc, []string{"request", "add", "--ministry", "MoD", "--area", "crisis-management", "--year", strconv.Itoa(2030 + j), "--seats", "3"})
		} else {
			misc = append(misc, []string{"capacity", "set", strconv.Itoa(2030 + j), "450"})
		}
	}
	workers = append(workers, addA, addB, nom1, nom2, appr, decl, misc)

	type outcome struct{ results []Result }
	done := make(chan outcome)
	start := make(chan struct{})
	for _, cmds := range workers {
		go func() {
			<-start
			var o outcome
			for _, args := range cmds {
				s := e.Start(t, args...)
				<-s.Done()
				o.results = append(o.results, s.result)
			}
			done <- o
		}()
	}
	close(start)
	for range workers {
		o := <-done
		for _, r := range o.results {
			AssertNoCrash(t, r)
			if r.Code != 0 {
				t.Errorf("a concurrent command failed:\n%v", r)
			}
			if strings.Contains(strings.ToLower(r.Stderr), "locked") || strings.Contains(r.Stderr, "busy") {
				t.Errorf("a concurrent command met a locked database:\n%v", r)
			}
		}
	}

	// No write was lost.
	want := Counts{}
	for k, v := range before {
		want[k] = v + p.afterCounts[k] - p.baseCounts[k]
	}
	want["person"] += 2 * concurrentK
	want["nomination"] += 2 * concurrentK
	want["nomination_event"] += 4 * concurrentK
	want["request"] += concurrentK / 2
	want["capacity"] += concurrentK / 2
	e.MustCheck(t)
	AssertCounts(t, e, want)
	db := MustRawDB(t, e.DB)
	for _, c := range []struct {
		prefix, status string
	}{{"SAFE-AP-", "approved"}, {"SAFE-DE-", "declined"}, {"SAFE-N1-", "nominated"}, {"SAFE-N2-", "nominated"}} {
		var n int
		db.QueryRow(`SELECT count(*) FROM nomination n JOIN person p ON p.id = n.person_id WHERE p.ref LIKE ? AND n.status = ?`, c.prefix+"%", c.status).Scan(&n)
		if n != concurrentK {
			t.Errorf("%d nominations of %s* are %s, want %d", n, c.prefix, c.status, concurrentK)
		}
	}
}

func TestEightFirstCommandsOnANewDatabaseAllSucceed(t *testing.T) {
	// No database yet: eight commands race to create and migrate it.
	e := NewEnv(t)
	start := make(chan struct{})
	results := make(chan Result)
	for i := 0; i < 8; i++ {
		go func() {
			<-start
			// --yes: First Comer A and E are one name to person add's
			// check, which folds vowels as person dupes does.
			s := e.Start(t, "person", "add", "--name", fmt.Sprintf("First Comer %c", 'A'+i), "--ministry", "MoD", "--yes")
			<-s.Done()
			results <- s.result
		}()
	}
	close(start)
	for i := 0; i < 8; i++ {
		r := <-results
		AssertNoCrash(t, r)
		if r.Code != 0 {
			t.Errorf("a first command failed:\n%v", r)
		}
	}
	e.MustCheck(t)
	info := e.MustInfo(t)
	if info.SchemaVersion != info.LatestSchema || info.Counts["person"] != 8 {
		t.Errorf("after the race: schema %d of %d, %d people", info.SchemaVersion, info.LatestSchema, info.Counts["person"])
	}
	AssertMode(t, e.DB, 0o600)
}
