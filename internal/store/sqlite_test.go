package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/store"
)

// MustOpen opens a new database in a temporary directory with a pinned clock.
func MustOpen(tb testing.TB) *store.DB {
	tb.Helper()
	db, err := store.Open(context.Background(), store.DSNForTest(tb), store.Options{
		Now:   func() time.Time { return time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC) },
		Actor: "tester",
	})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func TestOpen(t *testing.T) {
	store.SkipOnPostgres(t, "SQLite files: permissions, WAL, foreign files (engine_postgres_test.go covers PostgreSQL)")
	ctx := context.Background()
	t.Run("OK_NewFilePrivate", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "new", "dir")
		path := filepath.Join(dir, "n.db")
		db, err := store.Open(ctx, path, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		st, _ := os.Stat(path)
		if st.Mode().Perm() != 0o600 {
			t.Errorf("database mode = %v, want 0600", st.Mode().Perm())
		}
		dst, _ := os.Stat(dir)
		if dst.Mode().Perm() != 0o700 {
			t.Errorf("directory mode = %v, want 0700", dst.Mode().Perm())
		}
		info, err := db.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if info.SchemaVersion != store.SchemaVersion() || info.JournalMode != "wal" {
			t.Errorf("info = %+v", info)
		}
	})
	t.Run("OK_OpenTwice", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "n.db")
		a, err := store.Open(ctx, path, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		b, err := store.Open(ctx, path, store.Options{})
		if err != nil {
			t.Fatalf("second open: %v", err)
		}
		b.Close()
		a.Close()
		c, err := store.Open(ctx, path, store.Options{})
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		c.Close()
	})
	t.Run("ErrNotSQLite_Untouched", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "notes.db")
		content := []byte("name,ministry\nAli,MoD\n")
		os.WriteFile(path, content, 0o644)
		_, err := store.Open(ctx, path, store.Options{})
		if err == nil || !strings.Contains(err.Error(), "not a nomtrack database") {
			t.Fatalf("err = %v", err)
		}
		got, _ := os.ReadFile(path)
		if !bytes.Equal(got, content) {
			t.Error("file was modified")
		}
		assertOnlyFile(t, path)
	})
	t.Run("ErrOtherApplication_Untouched", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "other.db")
		raw, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		raw.Exec(`CREATE TABLE t(x)`)
		raw.Close()
		before, _ := os.ReadFile(path)
		_, err = store.Open(ctx, path, store.Options{})
		if err == nil || !strings.Contains(err.Error(), "another application") {
			t.Fatalf("err = %v", err)
		}
		after, _ := os.ReadFile(path)
		if !bytes.Equal(before, after) {
			t.Error("file was modified")
		}
		assertOnlyFile(t, path)
	})
	t.Run("ErrNewerSchema", func(t *testing.T) {
		db := MustOpen(t)
		path := db.Path()
		db.Close()
		raw, _ := sql.Open("sqlite", path)
		if _, err := raw.Exec(`PRAGMA user_version = 99`); err != nil {
			t.Fatal(err)
		}
		raw.Close()
		_, err := store.Open(ctx, path, store.Options{})
		if err == nil || !strings.Contains(err.Error(), "newer nomtrack") {
			t.Fatalf("err = %v", err)
		}
		if nomtrack.ErrorCode(err) != nomtrack.EINTERNAL {
			t.Errorf("code = %q", nomtrack.ErrorCode(err))
		}
	})
}

// assertOnlyFile fails if the driver left -wal, -shm or -journal files beside path.
func assertOnlyFile(t *testing.T, path string) {
	t.Helper()
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v, want only %s", names, filepath.Base(path))
	}
}

func TestBackupAndCheck(t *testing.T) {
	store.SkipOnPostgres(t, "db backup and db check of an SQLite file")
	ctx := context.Background()
	db := MustOpen(t)
	dest := filepath.Join(t.TempDir(), "backup.db")
	if err := db.Backup(ctx, dest); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(dest)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("backup stat = %v, %v", st, err)
	}
	if err := db.Backup(ctx, dest); nomtrack.ErrorCode(err) != nomtrack.EUSAGE {
		t.Errorf("second backup to same file (a nomtrack database): %v", err)
	}
	taken := filepath.Join(filepath.Dir(dest), "taken.txt")
	os.WriteFile(taken, []byte("notes"), 0o600)
	if err := db.Backup(ctx, taken); nomtrack.ErrorCode(err) != nomtrack.ECONFLICT {
		t.Errorf("backup to an existing file: %v", err)
	}
	b, err := store.Open(ctx, dest, store.Options{})
	if err != nil {
		t.Fatalf("open backup: %v", err)
	}
	defer b.Close()
	res, err := b.Check(ctx)
	if err != nil || !res.OK() {
		t.Fatalf("check = %+v, %v", res, err)
	}
}

// A migration that runs with foreign keys off (0006 rebuilds person) checks
// them before committing: a database whose rows already refer to nothing
// (edited outside nomtrack) is refused and left at its old schema.
func TestMigrationWithForeignKeysOffRefusesDanglingRows(t *testing.T) {
	store.SkipOnPostgres(t, "an SQLite table rebuild with foreign keys off")
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	names, err := store.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	// The newest migration that runs with foreign keys off is applied by
	// Open; those before it, by hand.
	last := len(names) - 1
	for ; last > 0; last-- {
		body, err := store.MigrationFile(names[last].Name)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(string(body), "-- nomtrack: foreign-keys-off") {
			break
		}
	}
	names = names[:last+1]
	for _, m := range names[:len(names)-1] {
		body, err := store.MigrationFile(m.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", m.Name, err)
		}
		if _, err := raw.Exec(`CREATE TABLE IF NOT EXISTS schema_migration (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec(`INSERT INTO schema_migration VALUES (?, '')`, m.Version); err != nil {
			t.Fatal(err)
		}
	}
	const at = "2013-05-01T09:00:00Z"
	for _, q := range []string{
		`INSERT INTO course (id, code, title, area, created_at, updated_at) VALUES (1, 'M5-106', 'Course', 'counter-terrorism', '` + at + `', '` + at + `')`,
		`INSERT INTO offering (id, course_id, start, created_at, updated_at) VALUES (1, 1, '2013-06-03', '` + at + `', '` + at + `')`,
		`INSERT INTO nomination (id, person_id, offering_id, role, status, created_at, updated_at) VALUES (1, 99, 1, 'principal', 'nominated', '` + at + `', '` + at + `')`,
		fmt.Sprintf(`PRAGMA application_id = %d`, store.ApplicationID),
		fmt.Sprintf(`PRAGMA user_version = %d`, names[len(names)-2].Version),
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	raw.Close()
	_, err = store.Open(ctx, path, store.Options{})
	if err == nil || !strings.Contains(err.Error(), "nomination row 1 refers to a missing person") {
		t.Fatalf("opening a database with a dangling nomination: %v", err)
	}
	raw, _ = sql.Open("sqlite", path)
	defer raw.Close()
	var v int
	if err := raw.QueryRow(`PRAGMA user_version`).Scan(&v); err != nil || v != names[len(names)-2].Version {
		t.Errorf("schema version after the refused upgrade = %d (%v), want %d", v, err, names[len(names)-2].Version)
	}
}
