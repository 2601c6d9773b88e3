package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// mapError turns driver errors into domain errors by SQLite result code (never
// by message text), so the CLI can print one sentence and the right exit
// code. Domain errors and nil pass through; unknown driver errors are wrapped.
func mapError(err error) error {
	if err == nil {
		return nil
	}
	var de *nomtrack.Error
	if errors.As(err, &de) {
		return err
	}
	if errors.Is(err, context.Canceled) {
		return nomtrack.Errorf(nomtrack.EINTERNAL, "interrupted; nothing was written")
	}
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return err
	}
	code := se.Code()
	switch code {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return nomtrack.Errorf(nomtrack.ECONFLICT, "that record already exists")
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return nomtrack.Errorf(nomtrack.ECONFLICT, "that record is still referred to by others")
	}
	switch code & 0xff {
	case sqlite3.SQLITE_CONSTRAINT:
		return nomtrack.Errorf(nomtrack.ECONFLICT, "the change breaks a rule of the database (constraint %d)", code)
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return nomtrack.Errorf(nomtrack.EINTERNAL, "the database stayed busy with another command past the busy timeout; nothing was written, try again (or raise busy_timeout)")
	case sqlite3.SQLITE_FULL:
		return nomtrack.Errorf(nomtrack.EINTERNAL, "the disk is full; nothing was written and the database is unchanged")
	case sqlite3.SQLITE_READONLY:
		return nomtrack.Errorf(nomtrack.EINTERNAL, "the database or its directory is read-only; nothing was written")
	case sqlite3.SQLITE_CANTOPEN:
		return nomtrack.Errorf(nomtrack.EINTERNAL, "cannot open the database file (check the path and the directory's permissions)")
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
		return nomtrack.Errorf(nomtrack.EINTERNAL, "the database file is damaged or not a database; restore it from a backup (nomtrack db check tells more)")
	case sqlite3.SQLITE_IOERR:
		// A failed write, or no room to grow the WAL index, is what a full
		// disk or a file size limit looks like (SQLite says FULL only for
		// ENOSPC on the database file itself).
		if code == sqlite3.SQLITE_IOERR_WRITE || code == sqlite3.SQLITE_IOERR_SHMSIZE {
			return nomtrack.Errorf(nomtrack.EINTERNAL, "writing to the disk failed (is it full, or the file over a size limit?); nothing was written and the database is unchanged")
		}
		return nomtrack.Errorf(nomtrack.EINTERNAL, "a disk error stopped the database (I/O error %d); nothing was written", code)
	case sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH:
		return nomtrack.Errorf(nomtrack.EINTERNAL, "permission denied by the database")
	}
	return fmt.Errorf("database error %d", code)
}

// mapOpenError is mapError with the file named, for errors while opening.
func mapOpenError(path string, err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT:
			return nomtrack.Errorf(nomtrack.EINTERNAL, "%s is not a nomtrack database or is damaged; it was left untouched", path)
		case sqlite3.SQLITE_CANTOPEN:
			return nomtrack.Errorf(nomtrack.EINTERNAL, "cannot open the database %s (check the path and the directory's permissions)", path)
		case sqlite3.SQLITE_READONLY:
			return nomtrack.Errorf(nomtrack.EINTERNAL, "the database %s or its directory is read-only", path)
		}
	}
	if e := mapError(err); nomtrack.ErrorCode(e) != nomtrack.EINTERNAL || errors.As(e, new(*nomtrack.Error)) {
		return e
	}
	return fmt.Errorf("open %s: %w", path, mapError(err))
}
