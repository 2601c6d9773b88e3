// Package sqlite is nomtrack's store: one local SQLite file opened through the
// pure-Go modernc.org/sqlite driver, with embedded migrations, and one file per
// entity. Every public method is one transaction; lowercase helpers take the
// transaction so that larger operations (an import) compose all-or-nothing.
package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// ApplicationID stamps a file as a nomtrack database (PRAGMA application_id),
// so that any other SQLite file is recognised and left alone.
const ApplicationID = 0x4e4d544b // "NMTK"

//go:embed migrations/*.sql
var migrationFS embed.FS

// sqliteMagic is the first 16 bytes of every SQLite 3 database file.
var sqliteMagic = []byte("SQLite format 3\x00")

// Options tune how a database is opened. The zero value is usable.
type Options struct {
	// BusyTimeout bounds how long a writer waits for another writer (default 60s).
	BusyTimeout time.Duration
	// Now is the clock; a transaction reads it once. Default time.Now.
	Now func() time.Time
	// Actor is recorded as "who" in history events.
	Actor string
	// OnWait is called once when a write transaction has waited over a second
	// for another writer, so the CLI can say so on stderr.
	OnWait func()
	// CacheSizeKiB, when positive, sets the page cache of write connections
	// (bulk imports use a larger one).
	CacheSizeKiB int
}

// DB is an open nomtrack database.
type DB struct {
	// Created is true when Open made a new database file.
	Created bool
	// FromVersion is the schema version found on open, before migrating.
	FromVersion int

	path   string
	w      *sql.DB // one writer connection; BEGIN IMMEDIATE
	r      *sql.DB // readers; WAL lets them run while a writer works
	now    func() time.Time
	actor  string
	onWait func()
}

// Querier is what both read and write transactions offer to helpers.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// Tx is a write transaction. Now is captured once when it begins, in UTC, so
// every row and event it writes carries the same timestamp.
type Tx struct {
	*sql.Tx
	Now   time.Time
	Actor string
}

// Stamp is Now formatted as stored (RFC 3339, UTC).
func (tx *Tx) Stamp() string { return tx.Now.Format(time.RFC3339) }

// Migrations returns the embedded migrations in order; the schema version of a
// database is the number of migrations applied.
func Migrations() ([]string, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	return names, nil
}

// SchemaVersion is the version this build migrates databases to.
func SchemaVersion() int {
	names, _ := Migrations()
	return len(names)
}

// DefaultPath is $XDG_DATA_HOME/nomtrack/nomtrack.db, else
// ~/.local/share/nomtrack/nomtrack.db.
func DefaultPath() string {
	dir := os.Getenv("XDG_DATA_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			home = "."
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "nomtrack", "nomtrack.db")
}

// Open opens the database at path, creating it (mode 0600, its directory 0700)
// when missing, refusing files that are not nomtrack databases or that come from
// a newer nomtrack, and applying pending migrations. A refused file is never
// modified.
func Open(ctx context.Context, path string, opt Options) (*DB, error) {
	if path == "" {
		return nil, nomtrack.Errorf(nomtrack.EUSAGE, "no database path given; use --db PATH or set NOMTRACK_DB")
	}
	created, err := prepareFile(path)
	if err != nil {
		return nil, err
	}
	if opt.BusyTimeout <= 0 {
		opt.BusyTimeout = 60 * time.Second
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	db := &DB{Created: created, path: path, now: opt.Now, actor: opt.Actor, onWait: opt.OnWait}
	if db.w, err = sql.Open("sqlite", dsn(path, opt, "immediate")); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// A single writer connection per process: writes serialise here instead
	// of contending for SQLite's lock with ourselves.
	db.w.SetMaxOpenConns(1)
	ropt := opt
	ropt.CacheSizeKiB = 0
	if db.r, err = sql.Open("sqlite", dsn(path, ropt, "deferred")); err != nil {
		db.w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := db.verify(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// dsn puts the per-connection pragmas in the connection string so every pooled
// connection gets them. journal_mode is not among them: it changes the file,
// and a file must be verified as ours before anything changes it.
func dsn(path string, opt Options, txlock string) string {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "busy_timeout("+strconv.FormatInt(opt.BusyTimeout.Milliseconds(), 10)+")")
	q.Add("_pragma", "synchronous(NORMAL)")
	if opt.CacheSizeKiB > 0 {
		q.Add("_pragma", "cache_size(-"+strconv.Itoa(opt.CacheSizeKiB)+")")
	}
	q.Set("_txlock", txlock)
	return path + "?" + q.Encode()
}

// prepareFile creates a missing database file with private permissions and
// refuses an existing file that is not SQLite, before the driver touches it.
func prepareFile(path string) (created bool, err error) {
	f, err := os.Open(path)
	var nf *os.File
	if errors.Is(err, os.ErrNotExist) {
		if dir := filepath.Dir(path); dir != "" {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return false, nomtrack.Errorf(nomtrack.EINTERNAL, "cannot create the database directory %s: %v", dir, pathErr(err))
			}
		}
		nf, err = os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil && !errors.Is(err, os.ErrExist) {
			return false, nomtrack.Errorf(nomtrack.EINTERNAL, "cannot create the database %s: %v", path, pathErr(err))
		}
		if nf != nil {
			nf.Close()
		}
		return nf != nil, nil
	} else if err != nil {
		return false, nomtrack.Errorf(nomtrack.EINTERNAL, "cannot open the database %s: %v", path, pathErr(err))
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return false, nomtrack.Errorf(nomtrack.EINTERNAL, "cannot read the database %s: %v", path, pathErr(err))
	}
	if st.IsDir() {
		return false, nomtrack.Errorf(nomtrack.EINTERNAL, "%s is a directory, not a database file; give a file path with --db", path)
	}
	header := make([]byte, 100)
	n, err := io.ReadFull(f, header)
	if n == 0 {
		return false, nil // an empty file is a new database
	}
	if err != nil || !bytes.Equal(header[:16], sqliteMagic) {
		return false, nomtrack.Errorf(nomtrack.EINTERNAL, "%s is not a nomtrack database (not an SQLite file); it was left untouched", path)
	}
	if id := binary.BigEndian.Uint32(header[68:72]); id != 0 && id != ApplicationID {
		return false, nomtrack.Errorf(nomtrack.EINTERNAL, "%s is an SQLite database of another application, not nomtrack; it was left untouched", path)
	}
	return false, nil
}

// pathErr strips the path an *os.PathError repeats, leaving its reason.
func pathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// verify reads the stamp of the file through the driver (which also sees a
// not-yet-checkpointed WAL) and refuses foreign or newer databases.
func (db *DB) verify(ctx context.Context) error {
	var appID, version, tables int
	err := db.r.QueryRowContext(ctx, `SELECT (SELECT application_id FROM pragma_application_id),
		(SELECT user_version FROM pragma_user_version),
		(SELECT count(*) FROM sqlite_master)`).Scan(&appID, &version, &tables)
	if err != nil {
		return mapOpenError(db.path, err)
	}
	switch {
	case appID == 0 && tables == 0:
		return nil // new database
	case appID != ApplicationID:
		return nomtrack.Errorf(nomtrack.EINTERNAL, "%s is an SQLite database of another application, not nomtrack; it was left untouched", db.path)
	case version > SchemaVersion():
		return nomtrack.Errorf(nomtrack.EINTERNAL, "%s was written by a newer nomtrack (schema %d; this nomtrack knows up to %d); upgrade nomtrack to open it", db.path, version, SchemaVersion())
	}
	return nil
}

// foreignKeysOffMarker, as a migration's first line, has it run with
// foreign keys off (see migrate).
const foreignKeysOffMarker = "-- nomtrack: foreign-keys-off"

// migrate switches the file to WAL and applies the embedded migrations that are
// missing, each batch in one immediate transaction, so two commands opening a
// new database at once migrate it once.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.w.ExecContext(ctx, `PRAGMA journal_mode=WAL`); err != nil {
		return mapOpenError(db.path, err)
	}
	names, err := Migrations()
	if err != nil {
		return err
	}
	var version int
	if err := db.r.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return mapOpenError(db.path, err)
	}
	db.FromVersion = version
	if version >= len(names) {
		return nil
	}
	// A migration that rebuilds a table others refer to asks for foreign
	// keys to be off (SQLite's procedure for such changes); they can only
	// change outside a transaction, on the writer pool's one connection.
	// The whole batch is then checked before it commits.
	fkOff := false
	for _, name := range names[version:] {
		body, err := migrationFS.ReadFile(name)
		if err != nil {
			return err
		}
		fkOff = fkOff || bytes.HasPrefix(body, []byte(foreignKeysOffMarker))
	}
	if fkOff {
		if _, err := db.w.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
			return mapOpenError(db.path, err)
		}
		defer db.w.ExecContext(context.WithoutCancel(ctx), `PRAGMA foreign_keys = ON`)
	}
	return db.update(ctx, func(tx *Tx) error {
		// Read again under the write lock: another process may have migrated.
		if err := tx.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
			return err
		}
		for i := version; i < len(names); i++ {
			body, err := migrationFS.ReadFile(names[i])
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return fmt.Errorf("migration %s: %w", filepath.Base(names[i]), err)
			}
		}
		if fkOff {
			var table string
			var rowid sql.NullInt64
			var parent string
			var fkid int
			err := tx.QueryRowContext(ctx, `PRAGMA foreign_key_check`).Scan(&table, &rowid, &parent, &fkid)
			if err == nil {
				return nomtrack.Errorf(nomtrack.EINTERNAL, "%s cannot be upgraded: %s row %d refers to a missing %s (changed outside nomtrack?); it was left as it was",
					db.path, table, rowid.Int64, parent)
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA application_id = %d`, ApplicationID)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, len(names)))
		return err
	})
}

// Path is the database file's path.
func (db *DB) Path() string { return db.path }

// Close closes both connection pools.
func (db *DB) Close() error {
	var err error
	if db.w != nil {
		err = db.w.Close()
	}
	if db.r != nil {
		if rerr := db.r.Close(); err == nil {
			err = rerr
		}
	}
	return err
}

// begin starts a write transaction, taking the write lock up front. If that
// takes more than a second (another command is writing), OnWait is told once.
func (db *DB) begin(ctx context.Context) (*Tx, error) {
	done := make(chan struct{})
	if db.onWait != nil {
		timer := time.AfterFunc(time.Second, func() {
			select {
			case <-done:
			default:
				db.onWait()
			}
		})
		defer timer.Stop()
	}
	stx, err := db.w.BeginTx(ctx, nil)
	close(done)
	if err != nil {
		return nil, mapError(err)
	}
	return &Tx{Tx: stx, Now: db.now().UTC().Truncate(time.Second), Actor: db.actor}, nil
}

// update runs fn in one write transaction: committed when fn returns nil,
// rolled back otherwise.
func (db *DB) update(ctx context.Context, fn func(*Tx) error) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return mapError(err)
	}
	if err := tx.Commit(); err != nil {
		return mapError(err)
	}
	return nil
}

// Update runs fn in one write transaction (BEGIN IMMEDIATE); any error rolls
// everything back. Store methods and the importer compose on it.
func (db *DB) Update(ctx context.Context, fn func(*Tx) error) error { return db.update(ctx, fn) }

// View runs fn in one read transaction: a consistent snapshot that never
// waits for writers.
func (db *DB) View(ctx context.Context, fn func(q Querier) error) error {
	tx, err := db.r.BeginTx(ctx, nil)
	if err != nil {
		return mapError(err)
	}
	defer tx.Rollback()
	return mapError(fn(tx))
}

// placeholders returns "?, ?, ?" for n arguments.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
