package safety

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// migrationNominations is how many nominations the old database given to the
// migration crash test holds: enough that building an index takes a while.
const migrationNominations = 150000

// MustLargeOldDatabase writes, at path, a database as a nomtrack with only
// the first migration left it, holding migrationNominations nominations
// (made by SQL, with the first schema's columns only), and returns its bytes.
func MustLargeOldDatabase(tb testing.TB, path string) []byte {
	tb.Helper()
	MustOldDatabase(tb, path, 1)
	db := MustRawDB(tb, path)
	const at = "2012-01-10T09:00:00Z"
	MustExec(tb, db,
		`BEGIN`,
		`WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < 2000)
		 INSERT INTO offering (course_id, start, end, seats, created_at, updated_at)
		 SELECT 1, date('2013-01-07', '+' || (n * 3) || ' days'), '', 4, '`+at+`', '`+at+`' FROM i`,
		`WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < 30000)
		 INSERT INTO person (ref, name, name_key, ministry, created_at, updated_at)
		 SELECT 'OLD-' || n, 'Officer ' || n, 'officer' || n, 'MoD', '`+at+`', '`+at+`' FROM i`,
		fmt.Sprintf(`WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < %d)
		 INSERT INTO nomination (person_id, offering_id, role, status, created_at, updated_at)
		 SELECT 2 + (n %% 30000), 2 + (n / 30000) * 7 + (n %% 7), 'principal', 'nominated', '`+at+`', '`+at+`' FROM i`, migrationNominations-1),
		`COMMIT`,
		`PRAGMA journal_mode = DELETE`,
	)
	if err := db.Close(); err != nil {
		tb.Fatal(err)
	}
	return MustFileBytes(tb, path)
}

func TestKilledMigrationLeavesOldOrNewSchema(t *testing.T) {
	latest := MustLatestSchema(t)
	if len(MustMigrationFiles(t)) < 2 {
		t.Skip("only one migration: nothing to migrate yet")
	}
	tmpl := MustLargeOldDatabase(t, filepath.Join(t.TempDir(), "old.db"))
	fresh := func(t *testing.T) *Env {
		e := NewEnv(t)
		os.MkdirAll(filepath.Dir(e.DB), 0o700)
		if err := os.WriteFile(e.DB, tmpl, 0o600); err != nil {
			t.Fatal(err)
		}
		return e
	}

	// The reference migration runs to the end; its time and the size its WAL
	// reaches place the kills.
	ref := fresh(t)
	w := NewWatcher(ref)
	s := ref.Start(t, "db", "migrate")
	var maxWAL int64
	for s.Running() {
		maxWAL = max(maxWAL, w.Now().WAL)
		time.Sleep(200 * time.Microsecond)
	}
	total := w.Now().Elapsed
	if r := s.Wait(t); r.Code != 0 {
		t.Fatalf("reference migration:\n%v", r)
	}
	want := ref.MustInfo(t)
	if want.SchemaVersion != latest || want.Counts["nomination"] != migrationNominations {
		t.Fatalf("reference migration: %+v", want)
	}
	t.Logf("migrating %d nominations from schema 1 to %d took %v, WAL up to %d KiB", migrationNominations, latest, total.Round(time.Millisecond), maxWAL>>10)

	triggers := []trigger{
		{"at_30%", func(o watch) bool { return o.Elapsed >= total*3/10 }},
		{"at_70%", func(o watch) bool { return o.Elapsed >= total*7/10 }},
		{"wal_half", func(o watch) bool { return o.WAL >= maxWAL/2 }},
		{"checkpoint_begins", func(o watch) bool { return o.MainChanged }},
	}
	outcomes := map[int]int{}
	for _, tr := range triggers {
		t.Run(tr.name, func(t *testing.T) {
			e := fresh(t)
			w := NewWatcher(e)
			s := e.Start(t, "db", "migrate")
			for s.Running() {
				if tr.fire(w.Now()) {
					s.Kill()
					break
				}
				time.Sleep(200 * time.Microsecond)
			}
			r := s.Wait(t)
			if r.Signal != syscall.SIGKILL {
				t.Logf("the migration ended (exit %d) before the kill", r.Code)
			}
			// Read the stamp without migrating: straight through the driver.
			db := MustRawDB(t, e.DB)
			var version int
			if err := db.QueryRow(`PRAGMA user_version`).Scan(&version); err != nil {
				t.Fatal(err)
			}
			var n int64
			db.QueryRow(`SELECT count(*) FROM nomination`).Scan(&n)
			db.Close()
			if (version != 1 && version != latest) || n != migrationNominations {
				t.Fatalf("after the kill: schema %d with %d nominations, want schema 1 or %d with %d", version, n, latest, migrationNominations)
			}
			outcomes[version]++
			// Whatever the kill left, the next command migrates and checks.
			e.MustCheck(t)
			if info := e.MustInfo(t); info.SchemaVersion != latest || info.Counts["nomination"] != migrationNominations {
				t.Errorf("after reopening: %+v", info)
			}
		})
	}
	t.Logf("schema versions found after the kills: %v", outcomes)
}
