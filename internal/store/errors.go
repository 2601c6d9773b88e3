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
