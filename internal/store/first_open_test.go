package store_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nomtrack/nomtrack/internal/store"
)

// TestFirstOpenWaitsForAnotherWriter: a new file whose write lock another
// connection holds is opened once that lock is released, not refused.
// Switching a new file to WAL upgrades a read lock, which SQLite answers
// with SQLITE_BUSY at once instead of calling the busy handler; before the
// retry, eight first commands started together failed now and then with
// "the database stayed busy … past the busy timeout" within a second.
func TestFirstOpenWaitsForAnotherWriter(t *testing.T) {
	store.SkipOnPostgres(t, "about creating an SQLite file")
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "new.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	other, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	go func() {
		time.Sleep(300 * time.Millisecond)
		conn.ExecContext(ctx, `ROLLBACK`)
	}()
	db, err := store.Open(ctx, path, store.Options{BusyTimeout: 30 * time.Second})
	if err != nil {
		t.Fatalf("opening a new file while another connection held its write lock: %v", err)
	}
	defer db.Close()
	var mode string
	if err := other.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" {
		t.Errorf("journal_mode = %q, want wal", mode)
	}
}
