package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/nomtrack/nomtrack/internal/files"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"modernc.org/sqlite" // registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

// sqliteEngine is the default engine: one local file, opened through the
// pure-Go modernc.org/sqlite driver, with one writer connection per process
// and WAL so that readers run beside it.
type sqliteEngine struct{}

func (sqliteEngine) name() string { return "sqlite" }

// SQLite reads `?` itself.
func (sqliteEngine) rebind(query string) string { return query }

// Writers take SQLite's write lock as they begin (_txlock=immediate in the
// writer pool's DSN), so a check made in the transaction holds until commit.
func (sqliteEngine) beginWrite(ctx context.Context, conn *sql.Conn) (*sql.Tx, error) {
	return conn.BeginTx(ctx, nil)
}

func (sqliteEngine) readTxOptions() *sql.TxOptions { return nil }

// A unary + keeps SQLite's planner, which has no statistics, from choosing
// an index on expr.
func (sqliteEngine) unindexed(expr string) string { return "+" + expr }

// SQLite never aborts a transaction for another writer: BEGIN IMMEDIATE
// waits (busy_timeout) instead.
func (sqliteEngine) retryable(error) bool { return false }

// settle has nothing to do: SQLite keeps no statistics nomtrack asks for
// and no visibility map, and an import rebuilds its deferred indexes
// itself (loader_sqlite.go).
func (sqliteEngine) settle(context.Context, *DB, []string) {}

// bulkWrite has nothing to ready, as settle has nothing to do.
func (sqliteEngine) bulkWrite(context.Context, *Tx) error { return nil }

// sqliteMagic is the first 16 bytes of every SQLite 3 database file.
var sqliteMagic = files.SQLiteMagic

func (sqliteEngine) open(ctx context.Context, db *DB, opt Options) error {
	db.file = files.Resolve(db.path)
	created, err := prepareFile(db.path, db.file, opt.MustExist)
	if err != nil {
		return err
	}
	db.Created = created
	if db.w, err = sql.Open("sqlite", dsn(db.file, opt, "immediate")); err != nil {
		return fmt.Errorf("open %s: %w", db.path, err)
	}
	// A single writer connection per process: writes serialise here instead
	// of contending for SQLite's lock with ourselves.
	db.w.SetMaxOpenConns(1)
	ropt := opt
	ropt.CacheSizeKiB = 0
	if db.r, err = sql.Open("sqlite", dsn(db.file, ropt, "deferred")); err != nil {
		return fmt.Errorf("open %s: %w", db.path, err)
	}
	if err := db.verify(ctx); err != nil {
		return err
	}
	if err := db.useWAL(ctx, opt.BusyTimeout); err != nil {
		return mapOpenError(db.path, err)
	}
	return db.migrate(ctx)
}

// useWAL switches the file to WAL (a no-op once it is). On a new file the
// switch upgrades the connection's read lock to the write lock, and SQLite
// never calls the busy handler for such an upgrade (two connections doing
// it would deadlock): when several first commands start at once, all but
// one get SQLITE_BUSY straight away. So the switch is retried here, with a
// short growing pause, for as long as busy_timeout lets a writer wait.
func (db *DB) useWAL(ctx context.Context, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	pause := 2 * time.Millisecond
	for {
		_, err := db.w.ExecContext(ctx, `PRAGMA journal_mode=WAL`)
		if err == nil || !isSQLiteBusy(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(pause):
		}
		pause = min(2*pause, 100*time.Millisecond)
	}
}

// isSQLiteBusy reports SQLITE_BUSY or SQLITE_LOCKED, in any extended form.
func isSQLiteBusy(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	c := se.Code() & 0xff
	return c == sqlite3.SQLITE_BUSY || c == sqlite3.SQLITE_LOCKED
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
		return false, nomtrack.Errorf(nomtrack.EUSAGE, "%s is a directory, not a database file; give a file path with --db", path)
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

// migrate applies the embedded migrations that are
// missing, all in one immediate transaction, so two commands opening a new
// database at once migrate it once. Each applied migration is recorded by
// its version in schema_migration, so a migration that lands after a
// higher-numbered one still runs; user_version holds the highest applied
// version, which older builds compare to refuse a newer database.
func (db *DB) migrate(ctx context.Context) error {
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
		if err := applyMigrations(ctx, tx, ms, applied); err != nil {
			return err
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

// mapSQLiteError turns an SQLite error into a domain error by result code
// (never by message text); ok is false for any other error.
func mapSQLiteError(err error) (mapped error, ok bool) {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return nil, false
	}
	code := se.Code()
	switch code {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return nomtrack.Errorf(nomtrack.ECONFLICT, "that record already exists"), true
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return nomtrack.Errorf(nomtrack.ECONFLICT, "that record is still referred to by others"), true
	}
	switch code & 0xff {
	case sqlite3.SQLITE_CONSTRAINT:
		return nomtrack.Errorf(nomtrack.ECONFLICT, "the change breaks a rule of the database (constraint %d)", code), true
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return nomtrack.Errorf(nomtrack.EINTERNAL, "the database stayed busy with another command past the busy timeout; nothing was written, try again (or raise busy_timeout)"), true
	case sqlite3.SQLITE_FULL:
		return nomtrack.Errorf(nomtrack.EINTERNAL, "the disk is full; nothing was written and the database is unchanged"), true
	case sqlite3.SQLITE_READONLY:
		return nomtrack.Errorf(nomtrack.EINTERNAL, "the database or its directory is read-only; nothing was written"), true
	case sqlite3.SQLITE_CANTOPEN:
		return nomtrack.Errorf(nomtrack.EINTERNAL, "cannot open the database file (check the path and the directory's permissions)"), true
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
		return nomtrack.Errorf(nomtrack.EINTERNAL, "the database file is damaged or not a database; restore it from a backup (nomtrack db check tells more)"), true
	case sqlite3.SQLITE_IOERR:
		// A failed write, or no room to grow the WAL index, is what a full
		// disk or a file size limit looks like (SQLite says FULL only for
		// ENOSPC on the database file itself).
		if code == sqlite3.SQLITE_IOERR_WRITE || code == sqlite3.SQLITE_IOERR_SHMSIZE {
			return nomtrack.Errorf(nomtrack.EINTERNAL, "writing to the disk failed (is it full, or the file over a size limit?); nothing was written and the database is unchanged"), true
		}
		return nomtrack.Errorf(nomtrack.EINTERNAL, "a disk error stopped the database (I/O error %d); nothing was written", code), true
	case sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH:
		return nomtrack.Errorf(nomtrack.EINTERNAL, "permission denied by the database"), true
	}
	return unexpectedDatabaseError("the database refused the command", fmt.Sprintf("SQLite error %d", code)), true
}

// mapSQLiteOpenError names the file in what an SQLite error means while
// opening it; ok is false when that has no sentence of its own.
func mapSQLiteOpenError(path string, err error) (mapped error, ok bool) {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT:
			return nomtrack.Errorf(nomtrack.EINTERNAL, "%s is not a nomtrack database or is damaged; it was left untouched", path), true
		case sqlite3.SQLITE_CANTOPEN:
			return nomtrack.Errorf(nomtrack.EINTERNAL, "cannot open the database %s (check the path and the directory's permissions)", path), true
		case sqlite3.SQLITE_READONLY:
			return nomtrack.Errorf(nomtrack.EINTERNAL, "the database %s or its directory is read-only", path), true
		}
	}
	return nil, false
}

// damaged reports whether err is SQLite finding the file corrupt.
func damaged(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	code := se.Code() & 0xff
	return code == sqlite3.SQLITE_CORRUPT || code == sqlite3.SQLITE_NOTADB
}

// info reads the schema version and journal mode from the file's header
// fields and its size from the file system.
func (sqliteEngine) info(ctx context.Context, db *DB, q Querier, info *Info) error {
	if st, err := os.Stat(db.path); err == nil {
		info.SizeBytes = st.Size()
	}
	if err := q.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&info.SchemaVersion); err != nil {
		return err
	}
	return q.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&info.JournalMode)
}

// highWater is the highest id table has handed out: AUTOINCREMENT tables
// remember it in sqlite_sequence beyond the rows still there.
func (sqliteEngine) highWater(ctx context.Context, q Querier, table string) (int64, error) {
	var n int64
	err := q.QueryRowContext(ctx, `SELECT max(coalesce((SELECT max(id) FROM `+table+`), 0),
		coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?), 0))`, table).Scan(&n)
	return n, err
}

// setHighWater makes an AUTOINCREMENT table hand out ids above n; other
// tables continue from their largest id, as they do anyway.
func (sqliteEngine) setHighWater(ctx context.Context, tx *Tx, table string, n int64) error {
	var ddl string
	if err := tx.QueryRowContext(ctx, `SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`, table).Scan(&ddl); err != nil {
		return err
	}
	if !strings.Contains(strings.ToUpper(ddl), "AUTOINCREMENT") {
		return nil
	}
	res, err := tx.ExecContext(ctx, `UPDATE sqlite_sequence SET seq = ? WHERE name = ? AND seq < ?`, n, table, n)
	if err != nil {
		return err
	}
	if k, _ := res.RowsAffected(); k > 0 || n == 0 {
		return nil
	}
	var have int64
	err = tx.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_sequence WHERE name = ?`, table).Scan(&have)
	if err != nil || have > 0 {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)`, table, n)
	return err
}

// checkDatabase runs SQLite's integrity and foreign-key checks, adding what they find
// to res.
func (sqliteEngine) checkDatabase(ctx context.Context, q Querier, res *CheckResult) error {
	rows, err := q.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return err
		}
		if line != "ok" {
			res.Integrity = append(res.Integrity, line)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = q.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var table, parent string
		var rowid, fkid any
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			return err
		}
		res.ForeignKeys = append(res.ForeignKeys, fmt.Sprintf("%s row %v refers to a missing %s", table, rowid, parent))
	}
	return rows.Err()
}

// reportCacheKiB is the page cache a report gives its read connection. A
// year's nominations point at people scattered over the whole person table;
// with SQLite's default 2 MiB cache nearly every one of the ~60,000 lookups
// of a year on a 1M-nomination database re-reads a page from the file (a
// system call), which was 40% of `report year`'s time.
const reportCacheKiB = 64 << 10

// scatteredCacheKiB is the page cache of a report whose rows are scattered
// (scattered in tuneReport): each page is read once, so a large cache only
// holds pages that are not read again.
const scatteredCacheKiB = 2 << 10

// tuneReport gives the report's read connection a page cache large enough
// for a year's worth of people. cache_size is per connection and changes no
// data; the pool keeps it for the connection's later reads, which only
// helps them.
//
// A report whose pages are scattered over the file (scattered: the people
// of thousands of nominations, by id; an index rebuilt among the freed
// pages of its old self) reads the file without the memory map and through
// a small cache instead. On a page fault the kernel maps the neighbours of
// the page touched as well, and all of them count in the process's
// memory: the 30,000 people of `report eligibility` at 1,000,000
// nominations, a 93 MB table, made 230 MB of its 285 MB peak RSS through
// the map and 10 MB without it, for the same CPU time.
func (sqliteEngine) tuneReport(ctx context.Context, q Querier, scattered bool) error {
	cache, mmap := reportCacheKiB, 1<<30
	if scattered {
		cache, mmap = scatteredCacheKiB, 0
	}
	if _, err := q.ExecContext(ctx, fmt.Sprintf(`PRAGMA cache_size = -%d`, cache)); err != nil {
		return err
	}
	// Reports read far more pages than they keep: memory-mapped reads
	// skip copying every page into a freshly allocated cache, about a
	// fifth of a cold `report year` on a million nominations.
	_, err := q.ExecContext(ctx, fmt.Sprintf(`PRAGMA mmap_size = %d`, mmap))
	return err
}
