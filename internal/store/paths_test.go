package store_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/store"
)

// TestOpenPathFormsPrivate: the database, its -wal and -shm are 0600 and
// are the files the path names, whatever its form: the driver never reads
// the path as a URI nor cuts it at '?'.
func TestOpenPathFormsPrivate(t *testing.T) {
	store.SkipOnPostgres(t, "about SQLite file paths and permissions")
	defer syscall.Umask(syscall.Umask(0o022))
	ctx := context.Background()
	for _, c := range []struct {
		name  string
		setup func(dir string) // prepares dir before opening
		path  string           // relative to dir
		file  string           // the database file that must result
	}{
		{"QuestionMark", nil, "a?mode=ro&cache=shared.db", "a?mode=ro&cache=shared.db"},
		{"Hash", nil, "b#c.db", "b#c.db"},
		{"Percent", nil, "d%41.db", "d%41.db"},
		{"FilePrefix", nil, "file:e.db", "file:e.db"},
		{"DanglingLink", func(dir string) {
			os.Mkdir(filepath.Join(dir, "store"), 0o755)
			os.Symlink("store/real.db", filepath.Join(dir, "link.db"))
		}, "link.db", "store/real.db"},
		{"EmptyFileMadeFirst", func(dir string) {
			os.WriteFile(filepath.Join(dir, "made.db"), nil, 0o644)
		}, "made.db", "made.db"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			if c.setup != nil {
				c.setup(dir)
			}
			db, err := store.Open(ctx, c.path, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if !db.Created {
				t.Error("Created = false for a new database")
			}
			if err := db.CreateCourse(ctx, &nomtrack.Course{Code: "M5-106", Title: "T", Area: "counter-terrorism"}); err != nil {
				t.Fatal(err)
			}
			for _, f := range []string{c.file, c.file + "-wal", c.file + "-shm"} {
				st, err := os.Stat(filepath.Join(dir, f))
				if err != nil {
					t.Errorf("%s: %v", f, err)
				} else if st.Mode().Perm() != 0o600 {
					t.Errorf("%s mode = %v, want 0600", f, st.Mode().Perm())
				}
			}
			var names []string
			filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					rel, _ := filepath.Rel(dir, p)
					names = append(names, rel)
				}
				return nil
			})
			sort.Strings(names)
			for _, n := range names {
				if n != c.path && !strings.HasPrefix(n, c.file) {
					t.Errorf("stray file %q beside the database (all: %q)", n, names)
				}
			}
		})
	}
}

// TestOpenMustExist: a read-only open never creates a database.
func TestOpenMustExist(t *testing.T) {
	store.SkipOnPostgres(t, "about a missing or empty SQLite file")
	ctx := context.Background()
	dir := t.TempDir()
	for _, name := range []string{"missing/n.db", "empty.db"} {
		path := filepath.Join(dir, name)
		if name == "empty.db" {
			os.WriteFile(path, nil, 0o600)
		}
		_, err := store.Open(ctx, path, store.Options{MustExist: true})
		if nomtrack.ErrorCode(err) != nomtrack.ENOTFOUND || !strings.Contains(err.Error(), "no database at "+path) {
			t.Errorf("%s: err = %v, want not found", name, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "missing")); err == nil {
		t.Error("a read-only open created the directory")
	}
	if st, _ := os.Stat(filepath.Join(dir, "empty.db")); st.Size() != 0 {
		t.Error("a read-only open wrote to the empty file")
	}
}
