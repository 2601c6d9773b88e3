package store

import (
	"context"
	"testing"
)

// MigrationFile reads an embedded migration by the name Migrations gives.
var MigrationFile = migrationFS.ReadFile

// mustOpenEmpty opens a new database in a temporary directory for a test of
// the package's unexported parts; it is closed when the test ends.
func mustOpenEmpty(tb testing.TB) *DB {
	tb.Helper()
	db, err := Open(context.Background(), DSNForTest(tb), Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// mustExec runs each statement on db's writing connection, placeholders
// as the engine writes them.
func mustExec(tb testing.TB, db *DB, stmts ...string) {
	tb.Helper()
	for _, q := range stmts {
		if _, err := db.w.ExecContext(context.Background(), db.eng.rebind(q)); err != nil {
			tb.Fatal(q, err)
		}
	}
}

// mustRows runs a read query and returns its rows, every column as text.
func mustRows(tb testing.TB, db *DB, query string, args ...any) [][]string {
	tb.Helper()
	var out [][]string
	err := db.View(context.Background(), func(q Querier) error {
		rows, err := q.QueryContext(context.Background(), query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		cols, err := rows.Columns()
		if err != nil {
			return err
		}
		for rows.Next() {
			row := make([]string, len(cols))
			ptrs := make([]any, len(cols))
			for i := range row {
				ptrs[i] = &row[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			out = append(out, row)
		}
		return rows.Err()
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}
