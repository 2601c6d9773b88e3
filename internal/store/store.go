// Package store is nomtrack's store: a local SQLite file (the default,
// through the pure-Go modernc.org/sqlite driver) or a PostgreSQL database
// (through pgx), with embedded migrations per engine, and one file per
// entity. The queries are written once; what differs between the engines
// lives in engine.go, engine_sqlite.go and engine_postgres.go. Every public
// method is one transaction; lowercase helpers take the transaction so that
// larger operations (an import) compose all-or-nothing.
package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nomtrack/nomtrack/internal/files"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// ApplicationID stamps a file as a nomtrack database (PRAGMA application_id),
// so that any other SQLite file is recognised and left alone.
const ApplicationID = files.ApplicationID

// migrationFS holds each engine's migrations: migrations/sqlite/*.sql and
// migrations/postgres/*.sql.
//
//go:embed migrations
var migrationFS embed.FS

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
	// MustExist refuses to create a database (read-only commands): a
	// missing or empty file is "not found".
	MustExist bool
}

// DB is an open nomtrack database.
type DB struct {
	// Created is true when Open made a new database file.
	Created bool
	// FromVersion is the schema version found on open, before migrating.
	FromVersion int

	eng    engine
	path   string  // as the user gave it (a URL with its password masked), for messages
	file   string  // SQLite: the file it names, absolute, links followed
	w      *sql.DB // writers (SQLite: one connection; BEGIN IMMEDIATE)
	r      *sql.DB // readers; they run while a writer works
	now    func() time.Time
	actor  string
	onWait func()
	// dryRun rolls back every write transaction that would commit (see
	// DryRun).
	dryRun bool
}

// Querier is what both read and write transactions offer to helpers.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// Tx is a write transaction. Now is captured once when it begins, in UTC, so
// every row and event it writes carries the same timestamp. Today is the
// local date of that instant (the clock's zone, or the offset NOMTRACK_NOW is
// written with): the day the calendar's rules judge deadlines and starts on,
// the same day `report upcoming` and `report pending` count from, so the
// reports and the commands never disagree about whether a deadline has
// passed. Its queries use `?` placeholders on every engine.
type Tx struct {
	Now   time.Time
	Today string
	Actor string

	tx     *sql.Tx
	conn   *sql.Conn // the connection tx runs on, for engine-specific work
	eng    engine
	rebind func(string) string
}

// ExecContext runs a statement in the transaction.
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := tx.tx.ExecContext(ctx, tx.rebind(query), args...)
	if err != nil {
		return nil, withVerb(query, err)
	}
	return res, nil
}

// QueryContext runs a query in the transaction.
func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return tx.tx.QueryContext(ctx, tx.rebind(query), args...)
}

// QueryRowContext runs a query expected to return at most one row.
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return tx.tx.QueryRowContext(ctx, tx.rebind(query), args...)
}

// PrepareContext prepares a statement bound to the transaction.
func (tx *Tx) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return tx.tx.PrepareContext(ctx, tx.rebind(query))
}

// insertID runs an INSERT of one row and returns the id it was given
// (RETURNING id, which both engines read the same way).
func (tx *Tx) insertID(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	if err := tx.tx.QueryRowContext(ctx, tx.rebind(query+" RETURNING id"), args...).Scan(&id); err != nil {
		return 0, withVerb(query, err)
	}
	return id, nil
}

// end commits or rolls back the transaction and gives its connection back.
func (tx *Tx) end(commit bool) error {
	var err error
	if commit {
		err = tx.tx.Commit()
	} else {
		err = tx.tx.Rollback()
	}
	if cerr := tx.conn.Close(); err == nil && commit {
		err = cerr
	}
	return err
}

// readTx is a read transaction as helpers see it: `?` placeholders on every
// engine.
type readTx struct {
	tx     *sql.Tx
	eng    engine
	rebind func(string) string
}

func (r readTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return r.tx.ExecContext(ctx, r.rebind(query), args...)
}

func (r readTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return r.tx.QueryContext(ctx, r.rebind(query), args...)
}

func (r readTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return r.tx.QueryRowContext(ctx, r.rebind(query), args...)
}

func (r readTx) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return r.tx.PrepareContext(ctx, r.rebind(query))
}

// Stamp is Now formatted as stored (RFC 3339, UTC).
func (tx *Tx) Stamp() string { return tx.Now.Format(time.RFC3339) }

// Migration is one embedded schema change. Its Version is the number its
// file name begins with (0007_x.sql is version 7), never its position in the
// list, so a number skipped or added later cannot shift the others.
type Migration struct {
	Version int
	Name    string // path inside the embedded file system
}

// migrationName is how every migration file is named: a zero-padded number,
// an underscore, a name. Compiled when migrations are read, not at every
// start-up.
var migrationName = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^([0-9]{4})_[a-z0-9_]+\.sql$`)
})

// legacyVersions are the migrations that existed while a database's
// user_version counted the migrations applied instead of naming the newest:
// such a database with user_version k has the first k of these.
var legacyVersions = []int{1, 3, 4, 5, 6}

// Migrations returns the embedded migrations ordered by version, refusing a
// file whose name has no number or whose number another file has too.
func Migrations() ([]Migration, error) { return migrationsIn("sqlite") }

// migrationsIn returns the embedded migrations of one engine (the directory
// under migrations/), ordered by version.
func migrationsIn(engine string) ([]Migration, error) {
	names, err := fs.Glob(migrationFS, "migrations/"+engine+"/*.sql")
	if err != nil {
		return nil, err
	}
	return parseMigrations(names)
}

// parseMigrations reads the version of each migration file name.
func parseMigrations(names []string) ([]Migration, error) {
	out := make([]Migration, 0, len(names))
	seen := map[int]string{}
	for _, name := range names {
		m := migrationName().FindStringSubmatch(path.Base(name))
		if m == nil {
			return nil, fmt.Errorf("migration %s: the name must be NNNN_words.sql", name)
		}
		v, _ := strconv.Atoi(m[1])
		if v == 0 {
			return nil, fmt.Errorf("migration %s: numbers start at 0001", name)
		}
		if other, ok := seen[v]; ok {
			return nil, fmt.Errorf("migrations %s and %s share the number %d", other, name, v)
		}
		seen[v] = name
		out = append(out, Migration{Version: v, Name: name})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// SchemaVersion is the version this build migrates databases to: the number
// of its newest migration.
func SchemaVersion() int {
	ms, err := Migrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].Version
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

// Open opens the database that path names: a PostgreSQL database when it is
// a postgres:// or postgresql:// URL (see engine_postgres.go), else an SQLite
// file, created (mode 0600, its directory 0700) when missing unless
// opt.MustExist. Databases that are not nomtrack's or that come from a newer
// nomtrack are refused untouched; pending migrations are applied. A file path
// is always a file name: `?`, `#` or a leading `file:` are part of the name,
// and a symbolic link, even one to a file not yet made, is followed.
func Open(ctx context.Context, path string, opt Options) (*DB, error) {
	if path == "" {
		return nil, nomtrack.Errorf(nomtrack.EUSAGE, "no database path given; use --db PATH or set NOMTRACK_DB")
	}
	if opt.BusyTimeout <= 0 {
		opt.BusyTimeout = 60 * time.Second
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	db := &DB{path: MaskDSN(path), now: opt.Now, actor: opt.Actor, onWait: opt.OnWait}
	db.eng = sqliteEngine{}
	if IsPostgresURL(path) {
		db.eng = &postgresEngine{url: path}
	}
	if err := db.eng.open(ctx, db, opt); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// migrationBackfill is what fills, in the migration's transaction, the columns a
// migration adds whose values only Go can compute (a folding of names).
func migrationBackfill(version int) func(context.Context, *Tx) error {
	switch version {
	case 13:
		return backfillSearchKeys
	case 15:
		return rebuildSearchIndex
	case 16:
		return backfillDupeKeys
	case 21:
		return backfillReversedRefTokens
	}
	return nil
}

// pendingMigrations lists, in order, the migrations not yet applied.
func pendingMigrations(ms []Migration, applied map[int]bool) []Migration {
	var out []Migration
	for _, m := range ms {
		if !applied[m.Version] {
			out = append(out, m)
		}
	}
	return out
}

// highestVersion is the newest applied migration's version (0 for none).
func highestVersion(applied map[int]bool) int {
	h := 0
	for v := range applied {
		h = max(h, v)
	}
	return h
}

// Path is the database as the user named it: a file path, or a PostgreSQL
// URL with its password masked.
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

// begin starts a write transaction, taking the engine's write lock up
// front. If that takes more than a second (another command is writing),
// OnWait is told once.
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
	defer close(done)
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return nil, err
	}
	stx, err := db.eng.beginWrite(ctx, conn)
	if err != nil {
		conn.Close()
		return nil, err
	}
	now := db.now().Truncate(time.Second)
	return &Tx{tx: stx, conn: conn, eng: db.eng, rebind: db.eng.rebind, Now: now.UTC(), Today: now.Format(nomtrack.DateLayout), Actor: db.actor}, nil
}

// maxWriteAttempts bounds how often update runs a transaction that the
// engine aborted for a conflict with another writer (retryable).
const maxWriteAttempts = 8

// update runs fn in one write transaction: committed when fn returns nil,
// rolled back otherwise (and always on a dry run). A transaction the
// engine aborted for a conflict with another writer (a serialization
// failure or a deadlock on PostgreSQL) is run again, silently, a bounded
// number of times, so fn must be safe to run again: it starts from what it
// reads in the transaction.
func (db *DB) update(ctx context.Context, fn func(*Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := db.updateOnce(ctx, fn)
		if err == nil || attempt == maxWriteAttempts || !db.eng.retryable(err) {
			return mapError(err)
		}
		// Back off a little, more each time, so that the writers that
		// collided do not collide again.
		select {
		case <-ctx.Done():
			return mapError(ctx.Err())
		case <-time.After(time.Duration(attempt*attempt) * 5 * time.Millisecond):
		}
	}
}

// updateOnce is update without the retry, for a fn that cannot run twice
// (an import reading its rows once); errors come back unmapped.
func (db *DB) updateOnce(ctx context.Context, fn func(*Tx) error) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.end(false)
		return err
	}
	return tx.end(!db.dryRun)
}

// DryRun returns the same database seen through a rehearsal: every write
// transaction runs in full, under the same rules and with the same checks,
// and is then rolled back instead of committed. A method called on it returns
// what it did (the records it would change, the errors it would raise) and
// writes nothing, so each destructive command gets its --dry-run without
// preview code of its own. The rehearsal shares db's connections: close db,
// not it.
func (db *DB) DryRun() *DB {
	r := *db
	r.dryRun = true
	return &r
}

// IsDryRun reports whether db is a rehearsal made by DryRun.
func (db *DB) IsDryRun() bool { return db.dryRun }

// Update runs fn in one write transaction holding the write lock (SQLite's
// BEGIN IMMEDIATE; PostgreSQL's, see engine_postgres.go); any error rolls
// everything back. Store methods and the importer compose on it.
func (db *DB) Update(ctx context.Context, fn func(*Tx) error) error { return db.update(ctx, fn) }

// View runs fn in one read transaction: a consistent snapshot that never
// waits for writers.
func (db *DB) View(ctx context.Context, fn func(q Querier) error) error {
	tx, err := db.r.BeginTx(ctx, db.eng.readTxOptions())
	if err != nil {
		return mapError(err)
	}
	defer tx.Rollback()
	return mapError(fn(readTx{tx: tx, eng: db.eng, rebind: db.eng.rebind}))
}

// placeholders returns "?, ?, ?" for n arguments.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// applyMigrations runs, in tx, each migration of ms not in applied, in
// version order: its SQL, then its Go backfill when it has one, then its
// schema_migration row, marking it applied. Both engines migrate through it,
// each under its own writer lock.
func applyMigrations(ctx context.Context, tx *Tx, ms []Migration, applied map[int]bool) error {
	for _, m := range pendingMigrations(ms, applied) {
		body, err := migrationFS.ReadFile(m.Name)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			return fmt.Errorf("migration %s: %w", path.Base(m.Name), err)
		}
		if fill := migrationBackfill(m.Version); fill != nil {
			if err := fill(ctx, tx); err != nil {
				return fmt.Errorf("migration %s: %w", path.Base(m.Name), err)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migration (version, applied_at) VALUES (?, ?)`, m.Version, tx.Stamp()); err != nil {
			return err
		}
		applied[m.Version] = true
	}
	return nil
}
