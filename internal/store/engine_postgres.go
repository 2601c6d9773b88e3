package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// postgresEngine runs the store on a PostgreSQL 15+ database named by a
// postgres:// URL, through pgx's database/sql adapter, so that the store
// keeps one database/sql code path.
//
// Writers serialise on one transaction-level advisory lock
// (writerLockKey), taken as the transaction begins, under READ COMMITTED:
// every statement after the lock sees every write committed before it, and
// no other nomtrack writer commits until this one ends. That is SQLite's
// BEGIN IMMEDIATE, so every check a store method makes before it writes
// (seats, capacity, duplicates) stays true until it commits, on both
// engines alike. Readers take no lock: REPEATABLE READ READ ONLY gives them
// one snapshot that never waits for a writer. A serialization failure or a
// deadlock, which nomtrack's own writers cannot cause but other clients of
// the database may, is retried by update.
type postgresEngine struct {
	url  string // as given, with its password: never shown (see MaskDSN)
	role string // the database role connected as
}

// writerLockKey is the advisory lock key of nomtrack's writers (and of its
// migrations, which are writers too): any bigint, fixed forever, so that
// every nomtrack process contends for the same one.
const writerLockKey int64 = 0x6e6f6d7472616b01 // "nomtrak" 01

func (*postgresEngine) name() string { return "postgres" }

func (*postgresEngine) rebind(query string) string { return rebindDollar(query) }

func (e *postgresEngine) beginWrite(ctx context.Context, conn *sql.Conn) (*sql.Tx, error) {
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelReadCommitted})
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, writerLockKey); err != nil {
		tx.Rollback()
		return nil, err
	}
	return tx, nil
}

// PostgreSQL's planner weighs indexes by its statistics: no hint (and a
// unary + is not defined on text).
func (*postgresEngine) unindexed(expr string) string { return expr }

func (*postgresEngine) readTxOptions() *sql.TxOptions {
	return &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
}

func (*postgresEngine) retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

// open connects, refuses a database that holds another application's
// tables or a newer nomtrack's schema, and migrates. PGPASSWORD, ~/.pgpass,
// PGSERVICE, sslmode and the other libpq settings apply, as in psql:
// pgx.ParseConfig reads them (engine_postgres_connect.go).
func (e *postgresEngine) open(ctx context.Context, db *DB, opt Options) error {
	cfg, ignoredPassfile, err := parsePostgresURL(db.path, e.url)
	if err != nil {
		return err
	}
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	if _, ok := cfg.RuntimeParams["application_name"]; !ok {
		cfg.RuntimeParams["application_name"] = "nomtrack"
	}
	// A writer waiting for another's lock gives up after the busy
	// timeout, as SQLite's busy_timeout does.
	cfg.RuntimeParams["lock_timeout"] = strconv.FormatInt(opt.BusyTimeout.Milliseconds(), 10)
	db.w = stdlib.OpenDB(*cfg)
	db.r = stdlib.OpenDB(*cfg)
	// Writes serialise on the advisory lock anyway; one connection per
	// process holds it, as SQLite's one writer connection does.
	db.w.SetMaxOpenConns(1)
	db.r.SetMaxOpenConns(4)
	if err := db.r.QueryRowContext(ctx, `SELECT current_user`).Scan(&e.role); err != nil {
		return postgresLoginError(db.path, cfg.User, cfg.Password != "", ignoredPassfile, err)
	}
	db.actor = actorWithRole(db.actor, e.role)
	return e.migrate(ctx, db, opt.MustExist)
}

// actorWithRole is who a PostgreSQL database records as having made a
// change: the coordinator (actor or $USER) and the database role the
// change was made with, "alice (role nomtrack_rw)"; just "alice" when she
// connects as the role alice, and the role alone when no actor is known.
func actorWithRole(actor, role string) string {
	switch actor {
	case "", role:
		return role
	}
	return actor + " (role " + role + ")"
}

// pgSchemaState reads what the current schema holds: whether it has
// schema_migration (a nomtrack database), the versions recorded there, and
// how many tables it has at all.
func pgSchemaState(ctx context.Context, q Querier) (applied map[int]bool, recorded bool, tables int, err error) {
	applied = map[int]bool{}
	err = q.QueryRowContext(ctx, `SELECT to_regclass('schema_migration') IS NOT NULL,
		(SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema())`).Scan(&recorded, &tables)
	if err != nil || !recorded {
		return applied, recorded, tables, err
	}
	rows, err := q.QueryContext(ctx, `SELECT version FROM schema_migration`)
	if err != nil {
		return nil, false, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, false, 0, err
		}
		applied[v] = true
	}
	return applied, true, tables, rows.Err()
}

// check refuses a schema nomtrack must not touch.
func (e *postgresEngine) check(db *DB, applied map[int]bool, recorded bool, tables int, mustExist bool) error {
	switch {
	case !recorded && tables > 0:
		return nomtrack.Errorf(nomtrack.EINTERNAL, "%s holds tables of another application, not nomtrack; it was left untouched (give nomtrack a database of its own)", db.path)
	case !recorded && mustExist:
		return nomtrack.Errorf(nomtrack.ENOTFOUND, "no nomtrack database at %s; run nomtrack init, or check --db / NOMTRACK_DB", db.path)
	case highestVersion(applied) > SchemaVersion():
		return nomtrack.Errorf(nomtrack.EINTERNAL, "%s was written by a newer nomtrack (schema %d; this nomtrack knows up to %d); upgrade nomtrack to open it", db.path, highestVersion(applied), SchemaVersion())
	}
	return nil
}

// migrate applies the embedded PostgreSQL migrations that are missing, all
// in one write transaction, which holds the writers' advisory lock
// (pg_advisory_xact_lock of writerLockKey), so two first runs at once
// migrate once (the second finds nothing left to do). A database refused
// by check is left untouched: the first look takes no lock and writes
// nothing, and neither does a database already up to date.
func (e *postgresEngine) migrate(ctx context.Context, db *DB, mustExist bool) error {
	ms, err := migrationsIn("postgres")
	if err != nil {
		return err
	}
	applied, recorded, tables, err := pgSchemaState(ctx, db.r)
	if err != nil {
		return mapOpenError(db.path, err)
	}
	if err := e.check(db, applied, recorded, tables, mustExist); err != nil {
		return err
	}
	db.FromVersion = highestVersion(applied)
	if len(pendingMigrations(ms, applied)) == 0 {
		return nil
	}
	err = db.update(ctx, func(tx *Tx) error {
		// Read again under the lock: another process may have migrated.
		applied, recorded, tables, err := pgSchemaState(ctx, tx)
		if err != nil {
			return err
		}
		if err := e.check(db, applied, recorded, tables, mustExist); err != nil {
			return err
		}
		db.FromVersion = highestVersion(applied)
		db.Created = !recorded
		if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migration (
			version    BIGINT PRIMARY KEY,
			applied_at TEXT COLLATE "C" NOT NULL
		)`); err != nil {
			return err
		}
		// Without arguments pgx sends each file as one simple query,
		// every statement of it in this transaction.
		return applyMigrations(ctx, tx, ms, applied)
	})
	if err != nil {
		return mapOpenError(db.path, err)
	}
	return nil
}

// tuneReport leaves the server's settings alone: its shared buffers serve
// every connection.
func (*postgresEngine) tuneReport(context.Context, Querier, bool) error { return nil }

// settle vacuums and analyzes tables after a large write committed. Rows
// a transaction has just written count as visible to everyone only once
// VACUUM has marked their pages so in the visibility map: until then an
// index-only scan reads the table's pages as well, and the planner, with
// no statistics of the new rows, prefers reading whole tables. Right after
// a copy of 1,000,000 nominations, `report year` cost the server about
// 600 ms (a parallel scan of every nomination, every woman looked up in
// the person table) instead of 50 ms (docs/postgres.md, "Reading right
// after an import"). Autovacuum does the same a minute or so later; this
// does it before the command returns. VACUUM's lock blocks no reader and
// no writer. A role that does not own the tables gets a warning from the
// server, which nomtrack does not show, and nothing is done; an error (an
// autovacuum of the same table holding it past the lock timeout, an
// interruption) is dropped, as the rows are committed and autovacuum
// will come.
//
// The session commits synchronously meanwhile: ANALYZE commits each
// table's statistics, and a commit the server writes out later marks its
// whole group of 32 transaction ids in the commit log as not yet on disk,
// the import's with them; until the server has written it, VACUUM can
// mark none of the import's rows (after a copy of 1M nominations, two
// thirds of the person table were left unmarked that way).
func (*postgresEngine) settle(ctx context.Context, db *DB, tables []string) {
	if len(tables) == 0 {
		return
	}
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SET synchronous_commit = on`); err != nil {
		return
	}
	_, _ = conn.ExecContext(ctx, `VACUUM (ANALYZE) `+strings.Join(tables, ", "))
	_, _ = conn.ExecContext(context.WithoutCancel(ctx), `RESET synchronous_commit`)
}

// bulkWrite makes the transaction commit synchronously, whatever the
// server's synchronous_commit: VACUUM marks a page visible to all only
// once the commit of its rows is on disk (it must mark them committed
// first), and a commit the server writes out later, up to some hundred
// milliseconds, would leave settle's VACUUM marking few pages. It costs
// one flush of the server's log at the commit.
func (*postgresEngine) bulkWrite(ctx context.Context, tx *Tx) error {
	_, err := tx.ExecContext(ctx, `SET LOCAL synchronous_commit = on`)
	return err
}

// info gives the database's size on the server and its schema version;
// PostgreSQL has no journal mode to show.
func (e *postgresEngine) info(ctx context.Context, db *DB, q Querier, info *Info) error {
	return q.QueryRowContext(ctx, `SELECT pg_database_size(current_database()),
		(SELECT coalesce(max(version), 0) FROM schema_migration)`).Scan(&info.SizeBytes, &info.SchemaVersion)
}

// pgConn runs fn with the pgx connection under tx, for what database/sql
// cannot say (COPY): fn's work is part of tx. It fails on SQLite.
func (tx *Tx) pgConn(fn func(*pgx.Conn) error) error {
	return tx.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("not a PostgreSQL connection")
		}
		return fn(c.Conn())
	})
}

// The SQLSTATE codes nomtrack gives a sentence of its own.
const (
	pgUniqueViolation     = "23505"
	pgForeignKeyViolation = "23503"
	pgCheckViolation      = "23514"
	pgNotNullViolation    = "23502"
	pgExclusionViolation  = "23P01"
	pgRestrictViolation   = "23001"
	pgUndefinedTable      = "42P01"
	pgUndefinedColumn     = "42703"
	pgUndefinedFunction   = "42883"
	pgAdminShutdown       = "57P01"
	pgCrashShutdown       = "57P02"
	pgCannotConnectNow    = "57P03"
	pgInsufficientPriv    = "42501"
	pgLockNotAvailable    = "55P03"
	pgReadOnlyTx          = "25006"
	pgDiskFull            = "53100"
	pgQueryCanceled       = "57014"
	pgInvalidPassword     = "28P01"
	pgInvalidAuth         = "28000"
	pgUnknownDatabase     = "3D000"
)

// mapPostgresError turns a PostgreSQL error into the domain error that
// mapSQLiteError gives for the same failure, by SQLSTATE (never by message
// text); ok is false for any other error.
func mapPostgresError(err error) (mapped error, ok bool) {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		if lost := mapPostgresConnError(err); lost != nil {
			return lost, true
		}
		return nil, false
	}
	switch pe.Code {
	case pgUniqueViolation:
		return nomtrack.Errorf(nomtrack.ECONFLICT, "that record already exists"), true
	case pgForeignKeyViolation:
		return nomtrack.Errorf(nomtrack.ECONFLICT, "that record is still referred to by others"), true
	case pgCheckViolation, pgNotNullViolation, pgExclusionViolation, pgRestrictViolation:
		return nomtrack.Errorf(nomtrack.ECONFLICT, "the change breaks a rule of the database (constraint %s)", constraintName(pe)), true
	case pgInsufficientPriv:
		return nomtrack.Errorf(nomtrack.EINTERNAL, "the database role has no %s; nothing was written (ask the database's owner for it, or use a role that has it)", missingPrivilege(err, pe)), true
	case pgLockNotAvailable:
		return nomtrack.Errorf(nomtrack.EINTERNAL, "the database stayed busy with another command past the busy timeout; nothing was written, try again (or raise busy_timeout)"), true
	case pgReadOnlyTx:
		return nomtrack.Errorf(nomtrack.EINTERNAL, "the database is read-only; nothing was written"), true
	case pgDiskFull:
		return nomtrack.Errorf(nomtrack.EINTERNAL, "the database server's disk is full; nothing was written and the database is unchanged"), true
	case pgQueryCanceled:
		return nomtrack.Errorf(nomtrack.EINTERNAL, "interrupted; nothing was written"), true
	}
	what, transient := postgresFailure(pe.Code)
	if transient {
		return nomtrack.Errorf(nomtrack.EINTERNAL, "%s (PostgreSQL error %s); nothing was written, try again in a moment", what, pe.Code), true
	}
	return unexpectedDatabaseError(what, "PostgreSQL error "+pe.Code), true
}

// postgresFailure says in words what went wrong, for an SQLSTATE without a
// sentence of its own, from its class (the first two characters), and
// whether it passes (a server restarting, too many writers at once), so
// that trying again is the advice rather than a report.
func postgresFailure(code string) (what string, transient bool) {
	switch code {
	case pgUndefinedTable, pgUndefinedColumn, pgUndefinedFunction:
		return "the database lacks a table, column or function nomtrack needs (was its schema changed outside nomtrack, or is the server older than PostgreSQL 15?)", false
	case pgAdminShutdown, pgCrashShutdown, pgCannotConnectNow:
		return "the PostgreSQL server is shutting down or restarting", true
	}
	switch code[:min(2, len(code))] {
	case "08":
		return "lost the connection to the PostgreSQL server", true
	case "40":
		return "the database kept stopping the change because other writers were at work at the same moment", true
	case "53":
		return "the database server ran out of resources (memory, disk or connections)", true
	case "22":
		return "the database refused a value nomtrack sent", false
	case "25", "2D", "3B":
		return "the database refused the transaction", false
	case "42":
		return "the PostgreSQL server did not accept a statement of nomtrack", false
	case "54":
		return "the command went past a limit of the database server", false
	case "57":
		return "the database server stopped the command", false
	case "58", "XX":
		return "the database server failed", false
	}
	return "the database refused the command", false
}

// constraintName names the constraint a violation broke, or the column a
// NOT NULL violation left empty.
func constraintName(pe *pgconn.PgError) string {
	switch {
	case pe.ConstraintName != "":
		return pe.ConstraintName
	case pe.ColumnName != "":
		return pe.TableName + "." + pe.ColumnName
	}
	return pe.Code
}

// missingPrivilege is what a statement needed that the role lacks, as
// "INSERT privilege on table nomination": the verb from the statement
// (statementError), the object from PostgreSQL's message ("permission
// denied for table nomination"), which has no field of its own for it.
func missingPrivilege(err error, pe *pgconn.PgError) string {
	privilege := "privilege"
	var se *statementError
	if errors.As(err, &se) {
		privilege = se.verb + " privilege"
	}
	const prefix = "permission denied for "
	if strings.HasPrefix(pe.Message, prefix) {
		return privilege + " on " + strings.TrimPrefix(pe.Message, prefix)
	}
	return privilege + " for that"
}

// statementError is an error of a statement that begins with verb
// (INSERT, UPDATE, …), kept so that a missing privilege can be named.
type statementError struct {
	verb string
	err  error
}

func (e *statementError) Error() string { return e.err.Error() }
func (e *statementError) Unwrap() error { return e.err }

// withVerb keeps the verb of query beside a PostgreSQL permission error.
func withVerb(query string, err error) error {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != pgInsufficientPriv {
		return err
	}
	fields := strings.Fields(query)
	if len(fields) == 0 {
		return err
	}
	verb := strings.ToUpper(fields[0])
	if verb == "WITH" || verb == "(" {
		return err
	}
	return &statementError{verb: verb, err: err}
}

// mapPostgresConnError says that a connection failed or was lost, in one
// sentence; nil when err is not about the connection.
func mapPostgresConnError(err error) error {
	var ce *pgconn.ConnectError
	var ne net.Error
	switch {
	case errors.As(err, &ce), errors.As(err, &ne), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return nomtrack.Errorf(nomtrack.EINTERNAL, "lost the connection to the PostgreSQL server; the change in progress was not committed")
	}
	return nil
}

// mapPostgresOpenError names the database in what a PostgreSQL error means
// while connecting: a server not reachable, a login refused, a database
// missing. path is the URL with its password masked.
func mapPostgresOpenError(path string, err error) (mapped error, ok bool) {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case pgInvalidPassword, pgInvalidAuth:
			return nomtrack.Errorf(nomtrack.EINTERNAL, "the PostgreSQL server refused the login to %s: check the user and the password (PGPASSWORD, ~/.pgpass) and the server's pg_hba.conf", path), true
		case pgUnknownDatabase:
			return nomtrack.Errorf(nomtrack.ENOTFOUND, "the PostgreSQL server has no database named in %s; create it (createdb) or check --db / NOMTRACK_DB", path), true
		case pgInsufficientPriv:
			return nomtrack.Errorf(nomtrack.EINTERNAL, "the database role has no %s in %s", missingPrivilege(err, pe), path), true
		}
		return nil, false
	}
	if mapped, ok := postgresTLSError(path, err); ok {
		return mapped, true
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) || errors.As(err, new(net.Error)) {
		reason := "is it running, and are the host and port right?"
		if errors.Is(err, syscall.ECONNREFUSED) {
			reason = "the connection was refused; is it running, and are the host and port right?"
		} else if errors.Is(err, syscall.ENOENT) {
			reason = "no server listens on that socket; is it running, and is the socket directory right?"
		}
		return nomtrack.Errorf(nomtrack.EINTERNAL, "cannot reach the PostgreSQL server of %s: %s", path, reason), true
	}
	return nil, false
}

// highWater is the highest id table has handed out: its identity
// sequence's last value, or its largest id when that is higher.
func (*postgresEngine) highWater(ctx context.Context, q Querier, table string) (int64, error) {
	var n int64
	err := q.QueryRowContext(ctx, `SELECT greatest(coalesce((SELECT max(id) FROM `+table+`), 0),
		coalesce(pg_sequence_last_value(pg_get_serial_sequence(?, 'id')::regclass), 0))`, table).Scan(&n)
	return n, err
}

// setHighWater makes table's identity hand out ids above n.
func (*postgresEngine) setHighWater(ctx context.Context, tx *Tx, table string, n int64) error {
	_, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence(?, 'id'), ?, ?)`, table, max(n, 1), n > 0)
	return err
}

// checkDatabase asks the server's catalogue what can be wrong with a database it
// keeps: an index left invalid (a failed concurrent build) or a constraint
// added without validation, and then whether any row refers to a missing
// one (constraints may have been bypassed by a bulk load with triggers off).
func (*postgresEngine) checkDatabase(ctx context.Context, q Querier, res *CheckResult) error {
	rows, err := q.QueryContext(ctx, `SELECT c.relname FROM pg_index i
		JOIN pg_class c ON c.oid = i.indexrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND NOT i.indisvalid ORDER BY 1`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return err
		}
		res.Integrity = append(res.Integrity, fmt.Sprintf("index %s is invalid; rebuild it with REINDEX INDEX %s", name, name))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = q.QueryContext(ctx, `SELECT cl.relname, co.conname FROM pg_constraint co
		JOIN pg_class cl ON cl.oid = co.conrelid
		JOIN pg_namespace n ON n.oid = co.connamespace
		WHERE n.nspname = current_schema() AND NOT co.convalidated ORDER BY 1, 2`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var table, name string
		if err := rows.Scan(&table, &name); err != nil {
			rows.Close()
			return err
		}
		res.Integrity = append(res.Integrity, fmt.Sprintf("constraint %s on %s is not validated", name, table))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, fk := range []struct{ table, column, parent string }{
		{"offering", "course_id", "course"}, {"nomination", "person_id", "person"},
		{"nomination", "offering_id", "offering"}, {"nomination_event", "nomination_id", "nomination"},
		{"person_alias", "person_id", "person"},
		// No constraint guards this one (migration 0023): the store
		// deletes a person's tokens itself.
		{"person_search_token", "person_id", "person"},
	} {
		var n int64
		err := q.QueryRowContext(ctx, `SELECT count(*) FROM `+fk.table+` t WHERE NOT EXISTS
			(SELECT 1 FROM `+fk.parent+` p WHERE p.id = t.`+fk.column+`)`).Scan(&n)
		if err != nil {
			return err
		}
		if n > 0 {
			res.ForeignKeys = append(res.ForeignKeys, fmt.Sprintf("%d %s rows refer to a missing %s", n, fk.table, fk.parent))
		}
	}
	return nil
}
