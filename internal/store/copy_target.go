package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"

	"github.com/nomtrack/nomtrack/internal/files"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// CopyTarget is the database `db copy` fills. A new SQLite file is written
// under a temporary name beside the one given, and takes that name only in
// Publish, once the copy has committed: a copy stopped at any moment (Ctrl-C,
// or SIGKILL, which no handler sees) leaves no file, empty or partial, under
// the name the coordinator gave. A PostgreSQL database, or an SQLite file
// that already holds something (CopyTo refuses it), is used in place.
type CopyTarget struct {
	*DB
	final   string // the file Publish gives the copy's name to; "" in place
	replace bool   // final is an empty file that was there before: replaced
}

// copyTempPattern names a copy being written (os.CreateTemp): hidden, and
// recognisably nomtrack's should a SIGKILL leave one behind.
const copyTempPattern = ".nomtrack-copy-*"

// OpenCopyTarget opens the target of a copy to `to` (see CopyTarget).
func OpenCopyTarget(ctx context.Context, to string, opt Options) (*CopyTarget, error) {
	if to == "" || IsPostgresURL(to) {
		db, err := Open(ctx, to, opt)
		return &CopyTarget{DB: db}, err
	}
	final := files.Resolve(to)
	st, err := os.Stat(final)
	existed := err == nil
	switch {
	case err == nil && st.IsDir():
		return nil, nomtrack.Errorf(nomtrack.EUSAGE, "will not write to %s: it is a directory; give --to a file name (nothing was written)", to)
	case err == nil && !(st.Mode().IsRegular() && st.Size() == 0):
		// An existing database (or something else): Open says what it is.
		db, err := Open(ctx, to, opt)
		return &CopyTarget{DB: db}, err
	case err != nil && !errors.Is(err, os.ErrNotExist):
		db, err := Open(ctx, to, opt)
		return &CopyTarget{DB: db}, err
	}
	dir := filepath.Dir(final)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nomtrack.Errorf(nomtrack.EINTERNAL, "cannot create the database directory %s: %v", filepath.Dir(to), pathErr(err))
	}
	tmp, err := os.CreateTemp(dir, copyTempPattern) // mode 0600
	if err != nil {
		return nil, nomtrack.Errorf(nomtrack.EINTERNAL, "cannot write the copy in %s: %v", filepath.Dir(to), pathErr(err))
	}
	name := tmp.Name()
	tmp.Close() // an empty file: Open makes it a new database
	db, err := Open(ctx, name, opt)
	if err != nil {
		removeDatabaseFiles(name)
		return nil, err
	}
	db.path = to // messages and the result name the file as given
	return &CopyTarget{DB: db, final: final, replace: existed}, nil
}

// Temporary reports whether the copy is written under a temporary name
// (a new SQLite file), so that Discard leaves nothing even after a commit.
func (t *CopyTarget) Temporary() bool { return t.final != "" }

// Publish closes the target and gives a copy written under a temporary
// name the name it was asked for. The copy's WAL is checkpointed into the
// file first, so the one file holds all of it.
func (t *CopyTarget) Publish() error {
	if t.final == "" {
		return t.Close()
	}
	if _, err := t.w.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Discard()
		return mapError(err)
	}
	if err := t.Close(); err != nil {
		removeDatabaseFiles(t.file)
		return err
	}
	if st, err := os.Stat(t.file + "-wal"); err == nil && st.Size() > 0 {
		removeDatabaseFiles(t.file)
		return nomtrack.Errorf(nomtrack.EINTERNAL, "the copy's write-ahead log was not folded into it; nothing was written to %s", t.path)
	}
	os.Remove(t.file + "-wal")
	os.Remove(t.file + "-shm")
	if t.replace {
		if err := os.Rename(t.file, t.final); err != nil {
			removeDatabaseFiles(t.file)
			return nomtrack.Errorf(nomtrack.EINTERNAL, "cannot write the copy %s: %v", t.path, pathErr(err))
		}
		return nil
	}
	// Link refuses a file that appeared under the name meanwhile; file
	// systems without hard links fall back to a rename.
	if err := os.Link(t.file, t.final); err != nil {
		if os.IsExist(err) {
			removeDatabaseFiles(t.file)
			return nomtrack.Errorf(nomtrack.ECONFLICT, "%s appeared while the copy was written; nothing was written over it: copy again to another name", t.path)
		}
		if err := os.Rename(t.file, t.final); err != nil {
			removeDatabaseFiles(t.file)
			return nomtrack.Errorf(nomtrack.EINTERNAL, "cannot write the copy %s: %v", t.path, pathErr(err))
		}
		return nil
	}
	os.Remove(t.file)
	return nil
}

// Discard closes the target and removes a file this copy made (the
// temporary one, or a new file written in place).
func (t *CopyTarget) Discard() {
	if t.final == "" {
		t.DiscardNew()
		return
	}
	t.Close()
	removeDatabaseFiles(t.file)
}

// removeDatabaseFiles removes an SQLite file and its companions.
func removeDatabaseFiles(file string) {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(file + suffix)
	}
}
