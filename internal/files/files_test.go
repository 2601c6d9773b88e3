package files_test

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nomtrack/nomtrack/internal/files"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// mustNomtrackDB writes a file with a nomtrack database's header.
func mustNomtrackDB(t *testing.T, path string) {
	t.Helper()
	header := make([]byte, 100)
	copy(header, files.SQLiteMagic)
	binary.BigEndian.PutUint32(header[68:72], files.ApplicationID)
	if err := os.WriteFile(path, header, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestCheckOutput(t *testing.T) {
	dir := t.TempDir()
	at := func(name string) string { return filepath.Join(dir, name) }
	db := at("nomtrack.db")
	mustNomtrackDB(t, db)
	mustNomtrackDB(t, at("other.db"))
	os.WriteFile(at("other.db-wal"), nil, 0o600)
	os.WriteFile(at("sheet.csv"), []byte("name\n"), 0o600)
	os.WriteFile(at("plain.csv"), []byte("a\n"), 0o600)
	os.Mkdir(at("sub"), 0o700)
	os.Symlink(db, at("link.csv"))
	os.Symlink("link.csv", at("link2.csv"))
	os.Link(db, at("hard.csv"))
	os.Link(at("sheet.csv"), at("sheet-hard.csv"))
	keep := []files.Keep{files.Database(db), files.Input(at("sheet.csv"))}

	for _, c := range []struct {
		target, want string // want "" passes
	}{
		{"", ""},
		{at("new.csv"), ""},
		{at("plain.csv"), ""},
		{at("nomtrack.db-journal.csv"), ""},
		{db, "it is the open database;"},
		{at("sub/../nomtrack.db"), "it is the open database;"},
		{at("link.csv"), "it is the open database;"},
		{at("link2.csv"), "it is the open database;"},
		{at("hard.csv"), "it is the open database;"},
		{at("nomtrack.db-wal"), "the open database's write-ahead log"},
		{at("nomtrack.db-shm"), "the open database's shared-memory index"},
		{at("nomtrack.db-journal"), "the open database's rollback journal"},
		{at("sheet.csv"), "it is the input file"},
		{at("sheet-hard.csv"), "it is the input file"},
		{at("other.db"), "it is a nomtrack database"},
		{at("other.db-wal"), "the write-ahead log of the nomtrack database"},
		// A companion not there yet (a backup's, say) is refused too.
		{at("other.db-shm"), "the shared-memory index of the nomtrack database"},
		{at("other.db-journal"), "the rollback journal of the nomtrack database"},
		{at("plain.csv-wal"), ""},
	} {
		err := files.CheckOutput(c.target, keep...)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("CheckOutput(%q) = %v, want nil", c.target, err)
		case c.want != "" && err == nil:
			t.Errorf("CheckOutput(%q) passed, want %q", c.target, c.want)
		case c.want != "" && !strings.Contains(err.Error(), c.want):
			t.Errorf("CheckOutput(%q) = %v, want %q", c.target, err, c.want)
		case err != nil && nomtrack.ErrorCode(err) != nomtrack.EUSAGE:
			t.Errorf("CheckOutput(%q) code = %s, want usage", c.target, nomtrack.ErrorCode(err))
		}
	}
}

func TestResolveFollowsDanglingLinks(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "store"), 0o700)
	os.Symlink("store/real.db", filepath.Join(dir, "a.db"))
	os.Symlink(filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db"))
	want, _ := filepath.EvalSymlinks(filepath.Join(dir, "store"))
	want = filepath.Join(want, "real.db")
	if got := files.Resolve(filepath.Join(dir, "b.db")); got != want {
		t.Errorf("Resolve = %q, want %q", got, want)
	}
	os.Symlink("loop.db", filepath.Join(dir, "loop.db"))
	if got := files.Resolve(filepath.Join(dir, "loop.db")); !strings.HasSuffix(got, "loop.db") {
		t.Errorf("Resolve(loop) = %q", got)
	}
}

func TestCheckDatabaseTarget(t *testing.T) {
	dir := t.TempDir()
	at := func(name string) string { return filepath.Join(dir, name) }
	db := at("nomtrack.db")
	mustNomtrackDB(t, db)
	mustNomtrackDB(t, at("other.db"))
	os.WriteFile(at("plain.db"), []byte("a\n"), 0o600)
	os.Symlink(at("nomtrack.db-wal"), at("link.db"))
	for _, c := range []struct {
		target, want string // want "" passes
	}{
		{at("new.db"), ""},
		{at("plain.db"), ""},     // the command says what it is
		{at("other.db"), ""},     // an empty nomtrack file may take a copy
		{at("plain.db-wal"), ""}, // not the companion of a database
		{db, "it is the open database;"},
		{at("nomtrack.db-wal"), "it is the open database's write-ahead log"},
		{at("link.db"), "it is the open database's write-ahead log"},
		{at("nomtrack.db-journal"), "it is the open database's rollback journal"},
		{at("other.db-shm"), "it is the shared-memory index of the nomtrack database"},
	} {
		err := files.CheckDatabaseTarget(c.target, db)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("CheckDatabaseTarget(%q) = %v, want nil", c.target, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want) || nomtrack.ErrorCode(err) != nomtrack.EUSAGE):
			t.Errorf("CheckDatabaseTarget(%q) = %v, want usage error with %q", c.target, err, c.want)
		}
	}
}
