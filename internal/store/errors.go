package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// mapError turns driver errors into domain errors by the engine's error code
// (never by message text; see mapSQLiteError and mapPostgresError), so the
// CLI can print one sentence and the right exit code. Domain errors and nil
// pass through; unknown driver errors are wrapped.
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
	if mapped, ok := mapSQLiteError(err); ok {
		return mapped
	}
	if mapped, ok := mapPostgresError(err); ok {
		return mapped
	}
	return err
}

// mapOpenError is mapError with the database named, for errors while
// opening.
func mapOpenError(path string, err error) error {
	if mapped, ok := mapSQLiteOpenError(path, err); ok {
		return mapped
	}
	if mapped, ok := mapPostgresOpenError(path, err); ok {
		return mapped
	}
	if e := mapError(err); nomtrack.ErrorCode(e) != nomtrack.EINTERNAL || errors.As(e, new(*nomtrack.Error)) {
		return e
	}
	return fmt.Errorf("open %s: %w", path, mapError(err))
}

// unexpectedDatabaseError is the sentence for a database error nomtrack
// has no sentence of its own for: what failed, in words; the engine's code,
// to quote in a report (never the server's message, which may hold SQL
// or values); that nothing was written (the transaction is rolled back);
// and what to do.
func unexpectedDatabaseError(what, code string) error {
	return nomtrack.Errorf(nomtrack.EINTERNAL, "%s (%s); nothing was written: run nomtrack db check, and if it finds nothing wrong, please report this error", what, code)
}
