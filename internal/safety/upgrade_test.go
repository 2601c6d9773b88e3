package safety

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	_ "modernc.org/sqlite" // the same driver nomtrack uses, to build old files
)

// migrationsDir holds the embedded migrations of internal/store; the tests
// read them from disk to build databases as older builds left them.
const migrationsDir = "../store/migrations/sqlite"

// applicationID is internal/store.ApplicationID, repeated here because an
// old database must be built without the current code's help.
const applicationID = 0x4e4d544b

// MustMigrationFiles lists the migration files in order.
func MustMigrationFiles(tb testing.TB) []string {
	tb.Helper()
	names, err := filepath.Glob(filepath.Join(migrationsDir, "*.sql"))
	if err != nil || len(names) == 0 {
		tb.Fatalf("no migrations in %s: %v", migrationsDir, err)
	}
	sort.Strings(names)
	return names
}

// MigrationVersion is the number a migration file's name begins with.
func MigrationVersion(tb testing.TB, file string) int {
	tb.Helper()
	v, err := strconv.Atoi(strings.SplitN(filepath.Base(file), "_", 2)[0])
	if err != nil {
		tb.Fatalf("migration %s has no number: %v", file, err)
	}
	return v
}

// MustLatestSchema is the version of the newest migration.
func MustLatestSchema(tb testing.TB) int {
	files := MustMigrationFiles(tb)
	return MigrationVersion(tb, files[len(files)-1])
}

// legacyMigrations is how many migrations existed while user_version
// counted them (0001, 0003 … 0006); a database with no more than those is
// written as such a build left it.
const legacyMigrations = 5

// MustRawDB opens path with the driver alone (no nomtrack code).
func MustRawDB(tb testing.TB, path string) *sql.DB {
	tb.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		tb.Fatal(err)
	}
	db, err := sql.Open("sqlite", path+"?_pragma=foreign_keys(1)")
	if err != nil {
		tb.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	tb.Cleanup(func() { db.Close() })
	return db
}

// MustExec runs statements or fails.
func MustExec(tb testing.TB, db *sql.DB, stmts ...string) {
	tb.Helper()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			tb.Fatalf("%s: %v", s, err)
		}
	}
}

// MustOldDatabase writes, at path, a database as a nomtrack with only the
// first k migrations left it, holding one course, offering, person and
// nomination with its creation event (written right after 0001, so the rows
// use only the first schema's columns).
func MustOldDatabase(tb testing.TB, path string, k int) {
	tb.Helper()
	files := MustMigrationFiles(tb)
	if k < 1 || k > len(files) {
		tb.Fatalf("k = %d of %d migrations", k, len(files))
	}
	db := MustRawDB(tb, path)
	for i, f := range files[:k] {
		body, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		// A migration marked so runs with foreign keys off, as nomtrack
		// runs it (a table rebuild).
		if strings.HasPrefix(string(body), "-- nomtrack: foreign-keys-off") {
			MustExec(tb, db, `PRAGMA foreign_keys = OFF`, string(body), `PRAGMA foreign_keys = ON`)
		} else {
			MustExec(tb, db, string(body))
		}
		if i == 0 {
			const at = "2012-01-10T09:00:00Z"
			MustExec(tb, db,
				`INSERT INTO course (id, code, title, area, created_at, updated_at) VALUES (1, 'M5-106', 'Counter-Terrorism Course', 'counter-terrorism', '`+at+`', '`+at+`')`,
				`INSERT INTO offering (id, course_id, start, end, seats, created_at, updated_at) VALUES (1, 1, '2012-03-05', '2012-03-09', 2, '`+at+`', '`+at+`')`,
				`INSERT INTO person (id, ref, name, name_key, name_ar, ministry, created_at, updated_at) VALUES (1, 'MOD-1001', 'Ali Hussein Al-Saadi', 'alihusseinalsaadi', 'علي حسين الساعدي', 'MoD', '`+at+`', '`+at+`')`,
				`INSERT INTO nomination (id, person_id, offering_id, role, status, created_at, updated_at) VALUES (1, 1, 1, 'principal', 'approved', '`+at+`', '`+at+`')`,
				`INSERT INTO nomination_event (nomination_id, at, actor, from_status, to_status, source) VALUES (1, '`+at+`', 'coordinator', '', 'nominated', 'cli'), (1, '`+at+`', 'coordinator', 'nominated', 'approved', 'cli')`,
			)
		}
	}
	if k <= legacyMigrations {
		MustExec(tb, db, fmt.Sprintf(`PRAGMA application_id = %d`, applicationID), fmt.Sprintf(`PRAGMA user_version = %d`, k))
	} else {
		MustExec(tb, db, `CREATE TABLE schema_migration (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`)
		for _, f := range files[:k] {
			MustExec(tb, db, fmt.Sprintf(`INSERT INTO schema_migration VALUES (%d, 'x')`, MigrationVersion(tb, f)))
		}
		MustExec(tb, db, fmt.Sprintf(`PRAGMA application_id = %d`, applicationID), fmt.Sprintf(`PRAGMA user_version = %d`, MigrationVersion(tb, files[k-1])))
	}
	if err := db.Close(); err != nil {
		tb.Fatal(err)
	}
}

// Info is what `db info -o json` says.
type Info struct {
	SchemaVersion int    `json:"schema_version"`
	LatestSchema  int    `json:"latest_schema"`
	JournalMode   string `json:"journal_mode"`
	Counts        Counts `json:"counts"`
}

// MustInfo runs `db info -o json`.
func (e *Env) MustInfo(tb testing.TB) Info {
	tb.Helper()
	r := e.MustRun(tb, "db", "info", "-o", "json")
	var info Info
	if err := json.Unmarshal([]byte(r.Stdout), &info); err != nil {
		tb.Fatalf("db info -o json: %v\n%s", err, r.Stdout)
	}
	return info
}

func TestOlderDatabaseMigratesKeepingItsData(t *testing.T) {
	files := MustMigrationFiles(t)
	for k := 1; k <= len(files); k++ {
		t.Run(fmt.Sprintf("from_%d_of_%d", k, len(files)), func(t *testing.T) {
			e := NewEnv(t)
			MustOldDatabase(t, e.DB, k)
			r := e.MustRun(t, "db", "migrate")
			from, latest := MigrationVersion(t, files[k-1]), MustLatestSchema(t)
			want := fmt.Sprintf("migrated schema version %d to %d", from, latest)
			if k == len(files) {
				want = fmt.Sprintf("schema version %d: up to date", latest)
			}
			if !strings.Contains(r.Stdout, want) {
				t.Errorf("db migrate said %q, want %q", r.Stdout, want)
			}
			info := e.MustInfo(t)
			if info.SchemaVersion != latest || info.LatestSchema != latest {
				t.Errorf("schema %d (latest %d), want %d", info.SchemaVersion, info.LatestSchema, latest)
			}
			if info.JournalMode != "wal" {
				t.Errorf("journal mode %q after upgrade, want wal", info.JournalMode)
			}
			wantCounts := map[string]int64{"course": 1, "offering": 1, "person": 1, "nomination": 1, "nomination_event": 2}
			for table, n := range wantCounts {
				if info.Counts[table] != n {
					t.Errorf("%s: %d rows after upgrade, want %d", table, info.Counts[table], n)
				}
			}
			e.MustCheck(t)
			// The old rows read back unchanged through the raw driver.
			db := MustRawDB(t, e.DB)
			var name, ar, status string
			if err := db.QueryRow(`SELECT p.name, p.name_ar, n.status FROM nomination n JOIN person p ON p.id = n.person_id`).Scan(&name, &ar, &status); err != nil {
				t.Fatal(err)
			}
			if name != "Ali Hussein Al-Saadi" || ar != "علي حسين الساعدي" || status != "approved" {
				t.Errorf("after upgrade: %q %q %q", name, ar, status)
			}
		})
	}
}

// Migration 0006 makes person ids AUTOINCREMENT. A database that merged away
// its newest person before then must not hand that id out afterwards: the
// merge's audit row still names it.
func TestMigrationRetiresIDsOfPeopleMergedBefore(t *testing.T) {
	files := MustMigrationFiles(t)
	before0006 := 0
	for before0006 < len(files) && MigrationVersion(t, files[before0006]) < 6 {
		before0006++
	}
	e := NewEnv(t)
	MustOldDatabase(t, e.DB, before0006)
	db := MustRawDB(t, e.DB)
	const at = "2013-05-01T09:00:00Z"
	MustExec(t, db,
		`INSERT INTO person (id, name, name_key, ministry, created_at, updated_at) VALUES (2, 'Zainab Noor', 'zainabnoor', 'MoI', '`+at+`', '`+at+`')`,
		`INSERT INTO audit (at, actor, action, subject, detail) VALUES ('`+at+`', 'coordinator', 'person.merge', 'person:1',
			'{"dropped":{"id":3,"name":"Ali Husain Alsaadi","ministry":"MoD"},"moved_nominations":[],"filled":[]}')`)
	db.Close()
	e.MustRun(t, "db", "migrate")
	r := e.MustRun(t, "person", "add", "--name", "Omar Khalid", "--ministry", "MoD", "-o", "json")
	var p struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &p); err != nil {
		t.Fatalf("person add -o json: %v\n%s", err, r.Stdout)
	}
	if p.ID != 4 {
		t.Errorf("the first person added after the upgrade got id %d, want 4 (3 was merged away before it)", p.ID)
	}
	e.MustCheck(t)
}

// dirSnapshot is every file of a directory with its bytes.
type dirSnapshot map[string][]byte

// MustSnapshot reads every regular file in dir.
func MustSnapshot(tb testing.TB, dir string) dirSnapshot {
	tb.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	s := dirSnapshot{}
	for _, en := range entries {
		if en.Type().IsRegular() {
			s[en.Name()] = MustFileBytes(tb, filepath.Join(dir, en.Name()))
		}
	}
	return s
}

// AssertSameSnapshot fails when dir's files differ from before.
func AssertSameSnapshot(tb testing.TB, dir string, before dirSnapshot) {
	tb.Helper()
	after := MustSnapshot(tb, dir)
	for name, b := range before {
		a, ok := after[name]
		switch {
		case !ok:
			tb.Errorf("%s disappeared", name)
		case !bytes.Equal(a, b):
			tb.Errorf("%s changed (%d bytes before, %d after)", name, len(b), len(a))
		}
	}
	for name := range after {
		if _, ok := before[name]; !ok {
			tb.Errorf("%s appeared", name)
		}
	}
}

func TestFutureSchemaRefusedUntouched(t *testing.T) {
	e := NewEnv(t)
	e.MustRun(t, "init")
	latest := MustLatestSchema(t)
	db := MustRawDB(t, e.DB)
	MustExec(t, db,
		`INSERT INTO course (code, title, area, created_at, updated_at) VALUES ('M5-106', 'T', 'counter-terrorism', 'x', 'x')`,
		fmt.Sprintf(`PRAGMA user_version = %d`, latest+1),
	)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(e.DB)
	before := MustSnapshot(t, dir)
	if _, ok := before["nomtrack.db-wal"]; ok {
		t.Fatalf("setup left a WAL file: %v", before)
	}
	for _, args := range [][]string{
		{"db", "info"}, {"db", "check"}, {"db", "migrate"}, {"init"},
		{"db", "backup", filepath.Join(e.Dir, "b.db")},
	} {
		r := e.Run(t, args...)
		if r.Code != 1 || !strings.Contains(r.Stderr, "newer nomtrack") || !strings.Contains(r.Stderr, fmt.Sprintf("schema %d", latest+1)) {
			t.Errorf("want exit 1 naming the newer schema:\n%v", r)
		}
		AssertSameSnapshot(t, dir, before)
	}
	if _, err := os.Stat(filepath.Join(e.Dir, "b.db")); err == nil {
		t.Error("a backup was written from a refused database")
	}
}
