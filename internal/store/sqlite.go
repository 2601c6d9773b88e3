// Package sqlite is nomtrack's store: one local SQLite file opened through the
// pure-Go modernc.org/sqlite driver, with embedded migrations, and one file per
// entity. Every public method is one transaction; lowercase helpers take the
// transaction so that larger operations (an import) compose all-or-nothing.
package store

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
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/nomtrack/nomtrack/internal/files"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// ApplicationID stamps a file as a nomtrack database (PRAGMA application_id),
// so that any other SQLite file is recognised and left alone.
const ApplicationID = files.ApplicationID

//go:embed migrations/sqlite/*.sql
var migrationFS embed.FS

// sqliteMagic is the first 16 bytes of every SQLite 3 database file.
var sqliteMagic = files.SQLiteMagic

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

	path   string  // as the user gave it, for messages
	file   string  // the file it names: absolute, links followed
	w      *sql.DB // one writer connection; BEGIN IMMEDIATE
	r      *sql.DB // readers; WAL lets them run while a writer works
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
// every row and event it writes carries the same timestamp.
type Tx struct {
	*sql.Tx
	Now   time.Time
	Actor string
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
// an underscore, a name.
var migrationName = regexp.MustCompile(`^([0-9]{4})_[a-z0-9_]+\.sql$`)

// legacyVersions are the migrations that existed while a database's
// user_version counted the migrations applied instead of naming the newest:
// such a database with user_version k has the first k of these.
var legacyVersions = []int{1, 3, 4, 5, 6}

// Migrations returns the embedded migrations ordered by version, refusing a
// file whose name has no number or whose number another file has too.
func Migrations() ([]Migration, error) {
	names, err := fs.Glob(migrationFS, "migrations/sqlite/*.sql")
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
		m := migrationName.FindStringSubmatch(path.Base(name))
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

// Open opens the database at path, creating it (mode 0600, its directory 0700)
// when missing unless opt.MustExist, refusing files that are not nomtrack
// databases or that come from a newer nomtrack, and applying pending
// migrations. A refused file is never modified. The path is always a file
// name: `?`, `#` or a leading `file:` are part of the name, and a symbolic
// link, even one to a file not yet made, is followed.
func Open(ctx context.Context, path string, opt Options) (*DB, error) {
	if path == "" {
		return nil, nomtrack.Errorf(nomtrack.EUSAGE, "no database path given; use --db PATH or set NOMTRACK_DB")
	}
	file := files.Resolve(path)
	created, err := prepareFile(path, file, opt.MustExist)
	if err != nil {
		return nil, err
	}
	if opt.BusyTimeout <= 0 {
		opt.BusyTimeout = 60 * time.Second
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	db := &DB{Created: created, path: path, file: file, now: opt.Now, actor: opt.Actor, onWait: opt.OnWait}
	if db.w, err = sql.Open("sqlite", dsn(file, opt, "immediate")); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// A single writer connection per process: writes serialise here instead
	// of contending for SQLite's lock with ourselves.
	db.w.SetMaxOpenConns(1)
	ropt := opt
	ropt.CacheSizeKiB = 0
	if db.r, err = sql.Open("sqlite", dsn(file, ropt, "deferred")); err != nil {
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
//
// The file is given as a `file:` URI that nomtrack builds from the absolute
// path, every byte but letters, digits and -._~/ percent-escaped: the driver
// cuts a plain name at its first `?`, and SQLite reads a name starting with
// `file:` as a URI, so a plain name could open another file than the one
// prepareFile made private.
func dsn(file string, opt Options, txlock string) string {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "busy_timeout("+strconv.FormatInt(opt.BusyTimeout.Milliseconds(), 10)+")")
	q.Add("_pragma", "synchronous(NORMAL)")
	if opt.CacheSizeKiB > 0 {
		q.Add("_pragma", "cache_size(-"+strconv.Itoa(opt.CacheSizeKiB)+")")
	}
	q.Set("_txlock", txlock)
	return fileURI(file) + "?" + q.Encode()
}

// fileURI is the `file:` URI of an absolute path.
func fileURI(abs string) string {
	var b strings.Builder
	b.WriteString("file://")
	for i := 0; i < len(abs); i++ {
		c := abs[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte("-._~/", c) >= 0:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// prepareFile creates a missing database file with private permissions and
// refuses an existing file that is not SQLite, before the driver touches it.
// path is the user's (for messages), file what it resolves to. An existing
// empty file is a new database and is made private too. With mustExist,
// a missing or empty file is refused instead (read-only commands).
func prepareFile(path, file string, mustExist bool) (created bool, err error) {
	noDB := func() error {
		return nomtrack.Errorf(nomtrack.ENOTFOUND, "no database at %s; run nomtrack init, or check --db / NOMTRACK_DB", path)
	}
	f, err := os.Open(file)
	if errors.Is(err, os.ErrNotExist) {
		if mustExist {
			return false, noDB()
		}
		if dir := filepath.Dir(file); dir != "" {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return false, nomtrack.Errorf(nomtrack.EINTERNAL, "cannot create the database directory %s: %v", filepath.Dir(path), pathErr(err))
			}
		}
		nf, err := os.OpenFile(file, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
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
		// An empty file is a new database; one the user made first may
		// be readable by others.
		if mustExist {
			return false, noDB()
		}
		if st.Mode().Perm() != 0o600 {
			if err := os.Chmod(file, 0o600); err != nil {
				return false, nomtrack.Errorf(nomtrack.EINTERNAL, "cannot make the new database %s private: %v", path, pathErr(err))
			}
		}
		return true, nil
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
// missing, all in one immediate transaction, so two commands opening a new
// database at once migrate it once. Each applied migration is recorded by
// its version in schema_migration, so a migration that lands after a
// higher-numbered one still runs; user_version holds the highest applied
// version, which older builds compare to refuse a newer database.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.w.ExecContext(ctx, `PRAGMA journal_mode=WAL`); err != nil {
		return mapOpenError(db.path, err)
	}
	ms, err := Migrations()
	if err != nil {
		return err
	}
	applied, _, err := appliedMigrations(ctx, db.r)
	if err != nil {
		return mapOpenError(db.path, err)
	}
	db.FromVersion = highestVersion(applied)
	pending := pendingMigrations(ms, applied)
	if len(pending) == 0 {
		return nil
	}
	// A migration that rebuilds a table others refer to asks for foreign
	// keys to be off (SQLite's procedure for such changes); they can only
	// change outside a transaction, on the writer pool's one connection.
	// The whole batch is then checked before it commits.
	fkOff := false
	for _, m := range pending {
		body, err := migrationFS.ReadFile(m.Name)
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
		applied, recorded, err := appliedMigrations(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migration (
			version    INTEGER PRIMARY KEY,
			applied_at TEXT NOT NULL
		)`); err != nil {
			return err
		}
		if !recorded {
			// A database from before schema_migration: record what its
			// count said it had.
			for v := range applied {
				if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migration (version, applied_at) VALUES (?, ?)`, v, tx.Stamp()); err != nil {
					return err
				}
			}
		}
		for _, m := range pendingMigrations(ms, applied) {
			body, err := migrationFS.ReadFile(m.Name)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return fmt.Errorf("migration %s: %w", path.Base(m.Name), err)
			}
			if fill := migrationBackfills[m.Version]; fill != nil {
				if err := fill(ctx, tx); err != nil {
					return fmt.Errorf("migration %s: %w", path.Base(m.Name), err)
				}
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migration (version, applied_at) VALUES (?, ?)`, m.Version, tx.Stamp()); err != nil {
				return err
			}
			applied[m.Version] = true
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
		_, err = tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, highestVersion(applied)))
		return err
	})
}

// migrationBackfills fill, in the migration's transaction, the columns a
// migration adds whose values only Go can compute (a folding of names).
var migrationBackfills = map[int]func(context.Context, *Tx) error{
	13: backfillSearchKeys,
}

// appliedMigrations reads which migration versions the database has: the
// rows of schema_migration when it exists (recorded), else, for a database
// from before it, the first user_version of legacyVersions.
func appliedMigrations(ctx context.Context, q Querier) (applied map[int]bool, recorded bool, err error) {
	applied = map[int]bool{}
	var tables int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migration'`).Scan(&tables); err != nil {
		return nil, false, err
	}
	if tables == 0 {
		var count int
		if err := q.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&count); err != nil {
			return nil, false, err
		}
		for _, v := range legacyVersions[:min(count, len(legacyVersions))] {
			applied[v] = true
		}
		return applied, false, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT version FROM schema_migration`)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, false, err
		}
		applied[v] = true
	}
	return applied, true, rows.Err()
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
// rolled back otherwise (and always on a dry run).
func (db *DB) update(ctx context.Context, fn func(*Tx) error) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return mapError(err)
	}
	if db.dryRun {
		return mapError(tx.Rollback())
	}
	if err := tx.Commit(); err != nil {
		return mapError(err)
	}
	return nil
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
