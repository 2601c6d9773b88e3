package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// ImportOptions tune the one write transaction of a bulk import.
type ImportOptions struct {
	// CacheSizeKiB, when positive, sets the writer connection's page cache for
	// the import only (restored afterwards): a bulk load touches far more
	// pages than a daily command.
	CacheSizeKiB int
	// DeferIndexes drops the secondary (non-unique) indexes of person,
	// nomination and nomination_event at the start of the transaction and
	// builds them again before it commits. Building an index once from sorted
	// keys is far cheaper than keeping it up to date through a million random
	// inserts; DDL is transactional in SQLite, so a rollback restores them.
	DeferIndexes bool
	// CheckForeignKeysAtEnd turns SQLite's per-statement foreign-key checks
	// off for the import and runs PRAGMA foreign_key_check over the tables
	// an import writes (offering, nomination, nomination_event) before it
	// commits; any violation rolls everything back. One pass over a million
	// nominations costs a fraction of checking them a statement at a time.
	// It pays for bulk loads only: the pass reads whole tables. PostgreSQL
	// keeps its constraints on and checks each merge; a dangling row ends
	// the import with the same sentence on both (danglingReference).
	CheckForeignKeysAtEnd bool
	// Rollback runs everything and then rolls the transaction back (dry run).
	Rollback bool
	// OnStage, when set, is called with StageIndexes before the deferred
	// indexes are rebuilt and with StageForeignKeys before the foreign-key
	// check (tests interrupt an import there).
	OnStage func(stage string)
	// AfterRows, when set, is called once the import function has returned
	// and its rows are written, before the statements that complete the
	// import and the deferred indexes: the caller's lookups are garbage by
	// then, and their memory can go back to the system.
	AfterRows func()
}

// The stages of DB.Import that ImportOptions.OnStage reports.
const (
	StageIndexes     = "index rebuild"
	StageForeignKeys = "foreign-key check"
)

// importForeignKeys are the references of the tables an import writes (the
// REFERENCES clauses of the schema). Each child column leads an index. On
// PostgreSQL each is the constraint child_column_fkey (the default name of
// an unnamed REFERENCES in migrations/postgres).
var importForeignKeys = []struct{ child, column, parent string }{
	{"offering", "course_id", "course"},
	{"nomination", "person_id", "person"},
	{"nomination", "offering_id", "offering"},
	{"nomination_event", "nomination_id", "nomination"},
	{"offering_count", "offering_id", "offering"},
	{"person_alias", "person_id", "person"},
	{"person_search_token", "person_id", "person"},
}

// danglingReference is the sentence an import ends with when a row it
// wrote refers to nothing (the importer checks every reference itself, so
// this is a fault): the same on both engines, SQLite's check at the end
// (checkForeignKeys) and PostgreSQL's constraint at the merge
// (postgresBulk.insert).
func danglingReference(child, parent string) error {
	return fmt.Errorf("import check: a row of %s refers to a missing %s; nothing was written", child, parent)
}

// ErrRolledBack is what DB.Import returns after a requested rollback
// (ImportOptions.Rollback) once the import function succeeded.
var ErrRolledBack = errors.New("import rolled back as requested")

// Import runs fn in one write transaction with a Loader, for bulk imports:
// committed when fn returns nil, rolled back on any error, on ctx's
// cancellation (Ctrl-C) and when opt.Rollback is set.
func (db *DB) Import(ctx context.Context, opt ImportOptions, fn func(*Loader) error) error {
	eng := db.bulkEngine()
	restore, err := eng.session(ctx, opt)
	if err != nil {
		return mapError(err)
	}
	defer restore()
	// The import reads its rows once: a transaction the engine aborted is
	// not run again.
	err = db.updateOnce(ctx, func(tx *Tx) error {
		if err := db.eng.bulkWrite(ctx, tx); err != nil {
			return err
		}
		if err := eng.begin(ctx, tx, opt); err != nil {
			return err
		}
		l, err := newLoader(ctx, tx, eng)
		if err != nil {
			return err
		}
		defer func() {
			if l != nil {
				l.close()
			}
		}()
		if err := fn(l); err != nil {
			return err
		}
		if err := l.Flush(); err != nil {
			return err
		}
		// The rows are written: the caller's lookups and the loader's
		// statements are let go before the statements that complete the
		// import and the index builds, so that their memory is not on
		// top of SQLite's (issue 6: peak RSS ≤ 100 MB at 1M rows).
		next, first, counts, current := l.next, l.firstNomination, l.counts, l.snapshotsCurrent()
		kept, rows := l.keptAsOf, l.rowAsOf
		l.close()
		l = nil
		if opt.AfterRows != nil {
			opt.AfterRows()
		}
		if err := counts.write(ctx, tx); err != nil {
			return err
		}
		if !current {
			if err := snapshotNominations(ctx, tx, first); err != nil {
				return err
			}
		}
		if err := orderImportedAlternates(ctx, tx, first); err != nil {
			return err
		}
		if err := eng.finish(ctx, tx, opt, next); err != nil {
			return err
		}
		// After finish: the updates find a person's nominations through
		// the index that finish rebuilds.
		if err := applyAsOf(ctx, tx, first, kept, rows); err != nil {
			return err
		}
		if opt.Rollback {
			return ErrRolledBack
		}
		return nil
	})
	if err == nil {
		db.eng.settle(ctx, db, eng.grown())
	}
	return mapError(err)
}

// bulkEngine is what an import does differently on each database engine;
// the Loader around it, and so every lookup, check and row error, is
// written once. loader_sqlite.go and loader_postgres.go implement it.
type bulkEngine interface {
	// session readies the writer connection before the import's
	// transaction begins; restore undoes it afterwards.
	session(ctx context.Context, opt ImportOptions) (restore func(), err error)
	// begin runs first in the transaction, before the loader reads
	// anything.
	begin(ctx context.Context, tx *Tx, opt ImportOptions) error
	// nextIDs are the ids the import's first new person and nomination
	// get: above every id ever used, so that a removed record's id (and
	// its history) is never handed to another.
	nextIDs(ctx context.Context, tx *Tx) (idPair, error)
	// batchRows is how many queued rows of a table make a batch.
	batchRows() int
	// background reports whether a full batch is written while the
	// importer goes on reading rows (Loader.flushFull): the engine's
	// insert and insertTokens then run on another goroutine, and must
	// use the Loader only through the transaction's connection and the
	// batch handed to them (Loader.writing).
	background() bool
	// insert writes the queued rows of t: t.cols values a row, the id the
	// loader promised first. Every row must be written with that id.
	insert(l *Loader, t *bulkTable, rows []any) error
	// insertTokens writes the search tokens of the people insert has
	// just written: tokenCols values a row (tokenRows).
	insertTokens(l *Loader, rows []any) error
	// redate runs RedatePeople's UPDATE, whose head set(mask, asof) makes
	// with the names of the list's columns, over list.
	redate(l *Loader, list []Redate, set func(mask, asof string) string) error
	// finish runs after every row is written, before the commit; next
	// are the ids the import's next new records would have had.
	finish(ctx context.Context, tx *Tx, opt ImportOptions, next idPair) error
	// grown names the tables the committed import added so many rows to
	// that the engine settles them (engine.settle) before Import returns.
	grown() []string
}

// bulkEngine returns the import path of db's engine.
func (db *DB) bulkEngine() bulkEngine { return db.eng.bulk(db) }

// idPair holds one id of person and one of nomination.
type idPair struct{ person, nomination int64 }

// bulkTable is a table whose new rows an import queues.
type bulkTable struct {
	name string
	// cols are the queued values of a row, id first; the transaction's
	// timestamp fills created_at and updated_at.
	cols []string
}

// The tables whose new rows a Loader queues.
var (
	personBulk = &bulkTable{name: "person", cols: append([]string{"id", "ref", "name", "name_key", "search_key", "dupe_latin_key", "dupe_arabic_key", "name_ar", "ministry", "rank", "rank_code",
		"position", "gender", "english", "email", "phone"}, dateColumns()...)}
	nominationBulk = &bulkTable{name: "nomination", cols: []string{"id", "person_id", "offering_id", "role", "status", "note",
		"visa", "clearance", "adl", "funding", "certificate"}}
)

// personAt is where each value of a person is in a queued row
// (personBulk.cols), found by name so that a column added to the queue
// cannot shift what a reader of the queue takes.
var personAt = struct {
	ref, name, nameAr, ministry, rank, rankCode, position, gender, english, email, phone int
}{
	ref: personBulk.col("ref"), name: personBulk.col("name"), nameAr: personBulk.col("name_ar"), ministry: personBulk.col("ministry"),
	rank: personBulk.col("rank"), rankCode: personBulk.col("rank_code"), position: personBulk.col("position"), gender: personBulk.col("gender"),
	english: personBulk.col("english"), email: personBulk.col("email"), phone: personBulk.col("phone"),
}

// col is the place of column name in t's queued rows; a name that is not
// there is a programming error, found when the package loads.
func (t *bulkTable) col(name string) int {
	for i, c := range t.cols {
		if c == name {
			return i
		}
	}
	panic("store: " + t.name + " queues no column " + name)
}

// snapshotNominations gives the nominations an import created (ids from
// first) their person's ministry, rank, rank code and English as the import
// leaves them: what the nomination was made under (migration 0007). One
// set-wise statement after the rows, rather than a lookup per row, because
// a new nomination's person may still be queued when the row is read. Only
// nominations that differ are written: an engine that fills them in as it
// writes them (PostgreSQL) leaves only those whose person changed later.
func snapshotNominations(ctx context.Context, tx *Tx, first int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE nomination SET ministry = p.ministry, rank = p.rank, rank_code = p.rank_code, english = p.english
		FROM person p WHERE p.id = nomination.person_id AND nomination.id >= ?
		AND (nomination.ministry <> p.ministry OR nomination.rank <> p.rank OR nomination.rank_code <> p.rank_code OR nomination.english <> p.english)`, first)
	return err
}

// applyAsOf gives the nominations an import made the values they were made
// under where those are not their person's as the import leaves them
// (snapshotNominations): a nomination made before a later row changed its
// person keeps the person's values of then, as if the rows had been
// entered one by one; one whose row gave values of its own (an older
// sheet, read after a newer one, does not change the person) keeps the
// row's. Later changes are undone first, so each nomination ends with the
// values of the change after it; a row's own values come last.
func applyAsOf(ctx context.Context, tx *Tx, first int64, kept []keptAsOf, rows []rowAsOf) error {
	for i := len(kept) - 1; i >= 0; i-- {
		k := kept[i]
		if _, err := tx.ExecContext(ctx, `UPDATE nomination SET ministry = ?, rank = ?, rank_code = ?, english = ?
			WHERE person_id = ? AND id >= ? AND id < ?`,
			k.values.Ministry, k.values.Rank, k.values.RankCode, k.values.English, k.person, first, k.before); err != nil {
			return err
		}
	}
	for _, r := range rows {
		if _, err := tx.ExecContext(ctx, `UPDATE nomination SET ministry = ?, rank = ?, rank_code = ?, english = ? WHERE id = ?`,
			r.values.Ministry, r.values.Rank, r.values.RankCode, r.values.English, r.id); err != nil {
			return err
		}
	}
	return nil
}

// snapshotWriter is an engine whose insert gives each new nomination its
// person's values as they stand at that moment (sqliteBulk).
type snapshotWriter interface{ writesSnapshots() bool }

// snapshotsCurrent reports whether every nomination the import created
// already holds its person's values as the import leaves them: the engine
// wrote them with the rows, and no person was changed afterwards (only
// UpdatePerson changes a person's ministry, rank, rank code or English).
// snapshotNominations is then a pass over the new nominations that changes
// nothing.
func (l *Loader) snapshotsCurrent() bool {
	w, ok := l.eng.(snapshotWriter)
	return ok && w.writesSnapshots() && !l.peopleUpdated
}

// orderImportedAlternates gives the open alternates an import created (ids
// from first) their places in their offerings' queues: after the
// alternates already waiting there, in sheet order. The places are read
// first, in one window over the new nominations, then written by id a
// batch at a time. One UPDATE … FROM over them all made SQLite keep every
// page it touched in the statement journal, which an import keeps in
// memory (sqliteBulk.session): 40 MB at 1M rows, the peak of the import's
// memory (issue 6).
func orderImportedAlternates(ctx context.Context, tx *Tx, first int64) error {
	rows, err := tx.QueryContext(ctx, `SELECT n.id,
			coalesce((SELECT max(m.alt_order) FROM nomination m WHERE m.offering_id = n.offering_id AND m.id < ? AND m.alt_order IS NOT NULL), 0)
			+ row_number() OVER (PARTITION BY n.offering_id ORDER BY n.id)
		FROM nomination n WHERE n.id >= ? AND n.role = ? AND n.status IN (`+sqlOpen+`) ORDER BY n.id`, first, first, nomtrack.RoleAlternate)
	if err != nil {
		return fmt.Errorf("order imported alternates: %w", err)
	}
	var places []any // id, place, id, place, …
	for rows.Next() {
		var id, place int64
		if err := rows.Scan(&id, &place); err != nil {
			rows.Close()
			return fmt.Errorf("order imported alternates: %w", err)
		}
		places = append(places, id, place)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("order imported alternates: %w", err)
	}
	for len(places) > 0 {
		n := min(len(places)/2, batchRows)
		values := strings.TrimSuffix(strings.Repeat(`(CAST(? AS BIGINT), CAST(? AS BIGINT)), `, n), ", ")
		if _, err := tx.ExecContext(ctx, `UPDATE nomination SET alt_order = v.column2 FROM (VALUES `+values+`) AS v WHERE nomination.id = v.column1`,
			places[:2*n]...); err != nil {
			return fmt.Errorf("order imported alternates: %w", err)
		}
		places = places[2*n:]
	}
	return nil
}

// Loader reads and writes the records of an import inside its transaction.
// New people and nominations are queued and written in multi-row INSERTs
// with ids the loader assigns, and the creation events of consecutive new
// nominations are one nomination_import_run row per run of sheet rows
// (migration 0005): a bulk load costs a fraction of one statement per
// record, and no event row per nomination. Everything queued is
// written before any read that could see it and before the commit.
type Loader struct {
	ctx   context.Context
	tx    *Tx
	eng   bulkEngine
	stamp string
	batch int // rows of a table queued before they are written

	stmts map[string]*sql.Stmt

	next            idPair // ids the next new records get
	firstNomination int64  // the id of the import's first new nomination

	args     []any // reused argument list of multi-row statements
	rowQueue       // the queued rows
	// writing is the batch being written: the queue as it was when it
	// was handed to the engine. While it is written in the background
	// (inflight is not nil), the importer's goroutine fills the queue and
	// touches neither writing nor the transaction: every method that
	// uses the transaction settles first.
	writing  rowQueue
	inflight chan error
	// failed is the error of a batch written in the background: the
	// transaction is lost with it, and every later use returns it.
	failed error
	// committed counts the committed principals of every offering once
	// OfferingCommitted first asks (nil before), kept up to date by the
	// loader's own writes, so that the question costs no query.
	committed map[int64]int
	// nominationKeys, kept when batches are large, holds the person and
	// offering of each queued nomination.
	nominationKeys map[[2]int64]struct{}

	// Runs of new nominations whose ids and sheet rows both go up by one:
	// the creation event of nomination id has source prefix || (id + offset).
	source string // "import:FILE:"
	runs   []eventRun

	// counts adds up what the import changes in offering_count, written
	// once at the end (countChanges).
	counts countChanges
	// peopleUpdated is set once UpdatePerson has changed a stored person
	// (snapshotsCurrent).
	peopleUpdated bool

	// The values new nominations are made under where they are not their
	// person's as the import leaves them (applyAsOf): nominations made
	// before a later row changed their person, and nominations whose row
	// gave values of its own (an older sheet's).
	keptAsOf []keptAsOf
	rowAsOf  []rowAsOf
}

// AsOf is what a nomination keeps of its person (SPEC §3): ministry, rank,
// rank code and English as of the nomination.
type AsOf struct{ Ministry, Rank, RankCode, English string }

// keptAsOf: the nominations of person this import made before id before
// keep values, their person's until a later row changed them.
type keptAsOf struct {
	person, before int64
	values         AsOf
}

// rowAsOf: nomination id is made under the values its row gave.
type rowAsOf struct {
	id     int64
	values AsOf
}

type eventRun struct {
	first, last, offset int64
}

// rowQueue holds new rows, written a batch at a time (flushRows): people
// first, then their search tokens, then the nominations, which refer to
// both people and offerings.
type rowQueue struct {
	people      []any // person rows, personCols values each
	tokens      []any // search tokens of the people, tokenCols values each
	nominations []any // nomination rows, nominationCols values each
}

// person returns the values of person id if it is in q, else nil. The
// people of a queue have consecutive ids.
func (q *rowQueue) person(id int64) []any {
	if len(q.people) == 0 {
		return nil
	}
	i := id - q.people[0].(int64)
	if i < 0 || int(i) >= len(q.people)/personCols {
		return nil
	}
	return q.people[int(i)*personCols : int(i+1)*personCols]
}

const (
	personCols = personDatesAt + nomtrack.NumDatedFields
	// personDatesAt is where a queued person row's dates start (AddPerson,
	// personBulk.cols).
	personDatesAt  = 16
	nominationCols = 11
	// batchRows is how many rows a multi-row statement of the loader's
	// own (RedatePeople) carries.
	batchRows = 128
	maxRuns   = 4096
	// scanRows is the longest queue of nominations that is searched row by
	// row; a longer one keeps an index of its keys.
	scanRows = 1024
)

func newLoader(ctx context.Context, tx *Tx, eng bulkEngine) (*Loader, error) {
	l := &Loader{ctx: ctx, tx: tx, eng: eng, stamp: tx.Stamp(), batch: eng.batchRows(), stmts: map[string]*sql.Stmt{}, counts: newCountChanges()}
	if l.batch > scanRows {
		l.nominationKeys = map[[2]int64]struct{}{}
	}
	var err error
	if l.next, err = eng.nextIDs(ctx, tx); err != nil {
		return nil, err
	}
	l.firstNomination = l.next.nomination
	// A run that reaches the next id claims nominations that do not exist:
	// nomtrack never deletes one, but a hand-edited file might have. Such a
	// run would block the first_id of the next run and stand for the new
	// nominations' creation: it is cut back to the nominations that are
	// left, or dropped when none is.
	if _, err := tx.ExecContext(ctx, `DELETE FROM nomination_import_run WHERE first_id >= ?`, l.next.nomination); err != nil {
		return nil, err
	}
	_, err = tx.ExecContext(ctx, `UPDATE nomination_import_run SET last_id = ? WHERE last_id >= ?`, l.next.nomination-1, l.next.nomination)
	return l, err
}

func (l *Loader) close() {
	l.settle() // the transaction's connection is free again
	for _, s := range l.stmts {
		s.Close()
	}
}

// SetSource names the file whose rows the creation events cite:
// import:FILE:ROW (SPEC §2).
func (l *Loader) SetSource(file string) error {
	if err := l.Flush(); err != nil {
		return err
	}
	l.source = "import:" + file + ":"
	return nil
}

// Tx is the transaction the loader writes in (its Now and Actor stamp
// every record). No batch is being written when it returns, so the caller
// may use it.
func (l *Loader) Tx() *Tx {
	l.settle()
	return l.tx
}

// settle waits for the batch being written in the background, if any, and
// returns the error that lost the transaction, if one did.
func (l *Loader) settle() error {
	if l.inflight != nil {
		if err := <-l.inflight; err != nil && l.failed == nil {
			l.failed = err
		}
		l.inflight = nil
	}
	return l.failed
}

// stmt returns the prepared statement for query, preparing it on first
// use, once no batch is being written.
func (l *Loader) stmt(query string) (*sql.Stmt, error) {
	if err := l.settle(); err != nil {
		return nil, err
	}
	return l.prepared(query)
}

func (l *Loader) prepared(query string) (*sql.Stmt, error) {
	if s, ok := l.stmts[query]; ok {
		return s, nil
	}
	s, err := l.tx.PrepareContext(l.ctx, query)
	if err != nil {
		return nil, err
	}
	l.stmts[query] = s
	return s, nil
}

func (l *Loader) exec(query string, args ...any) (sql.Result, error) {
	s, err := l.stmt(query)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(l.ctx, args...)
}

// insertID runs an INSERT … RETURNING id and returns the id.
func (l *Loader) insertID(query string, args ...any) (int64, error) {
	s, err := l.stmt(query)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.QueryRowContext(l.ctx, args...).Scan(&id)
	return id, err
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Courses returns every course, for the importer's lookup maps.
func (l *Loader) Courses() ([]nomtrack.Course, error) {
	if err := l.settle(); err != nil {
		return nil, err
	}
	rows, err := l.tx.QueryContext(l.ctx, `SELECT id, code, coalesce(etoc_code, ''), title, area, provider, days, fee, min_english, min_rank, requires FROM course ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []nomtrack.Course
	for rows.Next() {
		var c nomtrack.Course
		if err := rows.Scan(&c.ID, &c.Code, &c.EtocCode, &c.Title, &c.Area, &c.Provider, &c.Days, &c.Fee, &c.MinEnglish, &c.MinRank, &c.Requires); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// InsertCourse creates c and returns its id.
func (l *Loader) InsertCourse(c nomtrack.Course) (int64, error) {
	return l.insertID(`INSERT INTO course (code, etoc_code, title, area, provider, days, fee, min_english, min_rank, requires, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.Code, nullable(c.EtocCode), c.Title, c.Area, c.Provider, c.Days, c.Fee, c.MinEnglish, c.MinRank, c.Requires, l.stamp, l.stamp)
}

// UpdateCourse writes every field of c (found by its ID), replacing was,
// and records the edit in the audit table as `course edit` does (source
// import:FILE:ROW): a catalogue sheet that changes a title or a fee leaves
// the same trace as a command.
func (l *Loader) UpdateCourse(was, c nomtrack.Course, row int) error {
	if _, err := l.exec(`UPDATE course SET code = ?, etoc_code = ?, title = ?, area = ?, provider = ?, days = ?, fee = ?,
		min_english = ?, min_rank = ?, requires = ?, updated_at = ? WHERE id = ?`,
		c.Code, nullable(c.EtocCode), c.Title, c.Area, c.Provider, c.Days, c.Fee, c.MinEnglish, c.MinRank, c.Requires, l.stamp, c.ID); err != nil {
		return err
	}
	return auditEditFrom(l.ctx, l.tx, l.source+strconv.Itoa(row), "course.edit", "course:"+was.Code, was, c)
}

// Offerings returns every offering with its course code, for the importer's
// lookup maps.
func (l *Loader) Offerings() ([]nomtrack.Offering, error) {
	if err := l.settle(); err != nil {
		return nil, err
	}
	rows, err := l.tx.QueryContext(l.ctx, `SELECT o.id, o.course_id, c.code, o.start, o.end, o.location, o.seats, o.deadline, o.status
		FROM offering o JOIN course c ON c.id = o.course_id ORDER BY o.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []nomtrack.Offering
	for rows.Next() {
		var o nomtrack.Offering
		var seats sql.NullInt64
		if err := rows.Scan(&o.ID, &o.CourseID, &o.Course, &o.Start, &o.End, &o.Location, &seats, &o.Deadline, &o.Status); err != nil {
			return nil, err
		}
		if seats.Valid {
			n := int(seats.Int64)
			o.Seats = &n
		}
		o.Ref = nomtrack.OfferingRef(o.Course, o.Start)
		out = append(out, o)
	}
	return out, rows.Err()
}

// InsertOffering creates o (CourseID, Start and the optional fields) and
// returns its id.
func (l *Loader) InsertOffering(o nomtrack.Offering) (int64, error) {
	return l.insertID(`INSERT INTO offering (course_id, start, "end", location, seats, deadline, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		o.CourseID, o.Start, o.End, o.Location, seatsArg(o.Seats), o.Deadline, l.stamp, l.stamp)
}

// UpdateOffering writes end, location, seats and deadline of o (by ID),
// replacing was's, and records the edit in the audit table as `offering
// edit` does (source import:FILE:ROW).
func (l *Loader) UpdateOffering(was, o nomtrack.Offering, row int) error {
	if _, err := l.exec(`UPDATE offering SET "end" = ?, location = ?, seats = ?, deadline = ?, updated_at = ? WHERE id = ?`,
		o.End, o.Location, seatsArg(o.Seats), o.Deadline, l.stamp, o.ID); err != nil {
		return err
	}
	return auditEditFrom(l.ctx, l.tx, l.source+strconv.Itoa(row), "offering.edit", "offering:"+was.Ref, offeringEdited(was), offeringEdited(o))
}

func seatsArg(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

// PersonKey is what an import matches people on: the id with the ref,
// name key and ministry.
type PersonKey struct {
	ID       int64
	Ref      string
	NameKey  string
	Ministry string
}

// EachPersonKey calls fn for every person, in id order, so the importer can
// build its lookup maps without holding whole records.
func (l *Loader) EachPersonKey(fn func(PersonKey)) error {
	if err := l.settle(); err != nil {
		return err
	}
	rows, err := l.tx.QueryContext(l.ctx, `SELECT id, coalesce(ref, ''), name_key, ministry FROM person ORDER BY id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var k PersonKey
	for rows.Next() {
		if err := rows.Scan(&k.ID, &k.Ref, &k.NameKey, &k.Ministry); err != nil {
			return err
		}
		fn(k)
	}
	return rows.Err()
}

// Person reads one person by id, contact details included, with the dates
// of its values (SPEC §4 Newest wins). A person still queued is read from
// the queue, so that reading it does not cost a write of the queue.
func (l *Loader) Person(id int64) (nomtrack.Person, nomtrack.PersonDates, error) {
	if row := l.queuedPerson(id); row != nil {
		return queuedPerson(row)
	}
	s, err := l.stmt(`SELECT id, coalesce(ref, ''), name, name_ar, ministry, rank, rank_code, position, gender, english, email, phone, ` + personDateNames() + ` FROM person WHERE id = ?`)
	if err != nil {
		return nomtrack.Person{}, nomtrack.PersonDates{}, err
	}
	var p nomtrack.Person
	var d nomtrack.PersonDates
	err = s.QueryRowContext(l.ctx, id).Scan(&p.ID, &p.Ref, &p.Name, &p.NameAr, &p.Ministry, &p.Rank, &p.RankCode, &p.Position, &p.Gender, &p.English, &p.Email, &p.Phone,
		&d[0], &d[1], &d[2], &d[3], &d[4], &d[5], &d[6], &d[7], &d[8], &d[9])
	return p, d, err
}

// queuedPerson returns the queued values of person id, or nil when the
// person is not queued (a person of the batch being written is not: it is
// read from the database once the batch is written).
func (l *Loader) queuedPerson(id int64) []any { return l.rowQueue.person(id) }

// queuedPerson reads a queued row as AddPerson wrote it.
func queuedPerson(row []any) (nomtrack.Person, nomtrack.PersonDates, error) {
	str := func(i int) string {
		v, _ := row[i].(string) // a NULL ref is nil
		return v
	}
	// The name, search and duplicate keys are derived, not read.
	p := nomtrack.Person{ID: row[0].(int64), Ref: str(personAt.ref), Name: str(personAt.name), NameAr: str(personAt.nameAr),
		Ministry: str(personAt.ministry), Rank: str(personAt.rank), RankCode: str(personAt.rankCode), Position: str(personAt.position),
		Gender: str(personAt.gender), English: str(personAt.english), Email: str(personAt.email), Phone: str(personAt.phone)}
	var d nomtrack.PersonDates
	for i := range d {
		d[i] = str(personDatesAt + i)
	}
	return p, d, nil
}

// AddPerson queues a new person (its name key computed here) whose values
// are from dates, and returns the id it will have.
func (l *Loader) AddPerson(p nomtrack.Person, dates nomtrack.PersonDates) (int64, error) {
	id := l.next.person
	l.next.person++
	dupe := p.DuplicateKey()
	l.people = append(l.people, id, nullable(p.Ref), p.Name, p.MatchKey(), p.SearchKey(), dupe.Latin, dupe.Arabic, p.NameAr, p.Ministry, p.Rank, p.RankCode,
		p.Position, p.Gender, p.English, p.Email, p.Phone)
	for _, d := range dates {
		l.people = append(l.people, d)
	}
	l.tokens = tokenRows(l.tokens, id, nomtrack.PersonTokens(p, nil))
	if len(l.people) >= l.batch*personCols {
		return id, l.flushFull()
	}
	return id, nil
}

// UpdatePerson writes every field of p (by ID) and the dates of its values.
func (l *Loader) UpdatePerson(p nomtrack.Person, dates nomtrack.PersonDates) error {
	if err := l.flushRows(); err != nil {
		return err
	}
	l.peopleUpdated = true
	if l.next.nomination > l.firstNomination {
		// The nominations this import made for the person so far keep
		// the values they were made under (applyAsOf).
		var was AsOf
		if err := l.tx.QueryRowContext(l.ctx, `SELECT ministry, rank, rank_code, english FROM person WHERE id = ?`, p.ID).
			Scan(&was.Ministry, &was.Rank, &was.RankCode, &was.English); err != nil {
			return err
		}
		if was != (AsOf{p.Ministry, p.Rank, p.RankCode, p.English}) {
			l.keptAsOf = append(l.keptAsOf, keptAsOf{person: p.ID, before: l.next.nomination, values: was})
		}
	}
	dupe := p.DuplicateKey()
	_, err := l.exec(`UPDATE person SET ref = ?, name = ?, name_key = ?, search_key = ?, dupe_latin_key = ?, dupe_arabic_key = ?, name_ar = ?, ministry = ?, rank = ?, rank_code = ?, position = ?,
		gender = ?, english = ?, email = ?, phone = ?, updated_at = ?, `+personDateSets()+` WHERE id = ?`,
		nullable(p.Ref), p.Name, p.MatchKey(), p.SearchKey(), dupe.Latin, dupe.Arabic, p.NameAr, p.Ministry, p.Rank, p.RankCode, p.Position, p.Gender, p.English, p.Email, p.Phone, l.stamp,
		dates[0], dates[1], dates[2], dates[3], dates[4], dates[5], dates[6], dates[7], dates[8], dates[9], p.ID)
	if err != nil {
		return err
	}
	return indexPerson(l.ctx, l.tx, p.ID)
}

// PersonChanges records changes of person id made by sheet row `row` in the
// person's history (source import:FILE:ROW).
func (l *Loader) PersonChanges(id int64, changes []nomtrack.FieldChange, row int) error {
	for _, c := range changes {
		if _, err := l.exec(`INSERT INTO person_change (person_id, at, actor, field, from_value, to_value, source) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			id, l.stamp, l.tx.Actor, c.Field, c.From, c.To, l.source+strconv.Itoa(row)); err != nil {
			return err
		}
	}
	return nil
}

// Redate is a person whose values in Mask (bit i is
// nomtrack.DatedFields[i]) rows of an import agreed with, from a date
// (Asof) later than the values' own.
type Redate struct {
	ID   int64
	Mask uint16
	Asof string
}

// RedatePeople makes the dates of each person's fields in Mask at least
// Asof, set-wise: a bulk import ends with one such list for most of the
// people it saw, and a statement per person would cost more than the dates
// are worth. The engine brings the list to the database (redate).
func (l *Loader) RedatePeople(list []Redate) error {
	if err := l.flushRows(); err != nil {
		return err
	}
	if len(list) == 0 {
		return nil
	}
	return l.eng.redate(l, list, func(mask, asof string) string {
		sets := make([]string, len(nomtrack.DatedFields))
		for i, f := range nomtrack.DatedFields {
			col := f + "_asof"
			sets[i] = fmt.Sprintf("%s = CASE WHEN (%s & %d) <> 0 AND %s < %s THEN %s ELSE %s END", col, mask, 1<<i, col, asof, asof, col)
		}
		return `UPDATE person SET ` + strings.Join(sets, ", ")
	})
}

// RedateQueued makes the dates of the fields in mask (as Redate's) of
// person id at least asof if the person is still queued, and reports
// whether it was: a person's rows usually follow one another, and a date
// raised in the queue costs no UPDATE at the end (RedatePeople).
func (l *Loader) RedateQueued(id int64, mask uint16, asof string) bool {
	row := l.queuedPerson(id)
	if row == nil {
		return false
	}
	for i := range nomtrack.NumDatedFields {
		if mask&(1<<i) != 0 {
			if d, _ := row[personDatesAt+i].(string); d < asof {
				row[personDatesAt+i] = asof
			}
		}
	}
	return true
}

// FoldedInto reports whether a merge folded a nomination in status into
// nomination id (an event of kind 'merge' from that status, see
// foldNomination).
func (l *Loader) FoldedInto(id int64, status string) (bool, error) {
	if err := l.Flush(); err != nil {
		return false, err
	}
	var n int
	err := l.tx.QueryRowContext(l.ctx, `SELECT count(*) FROM nomination_event WHERE nomination_id = ? AND kind = 'merge' AND from_status = ? AND to_status = ''`,
		id, status).Scan(&n)
	return n > 0, err
}

// HandSet is when a command last set a field of a nomination, and whether
// by an edit (which may have cleared it) rather than by its creation.
type HandSet struct {
	At     string
	Edited bool
}

// SetByHandSince returns the fields of nomination id (role, note, visa,
// clearance, adl, funding, certificate) that a command set after since
// (RFC 3339, UTC): an edit or a promotion by hand, or the nomination's
// creation by hand (nominate), which set them all. Changes made by imports
// are not counted: between sheets, the sheet imported last wins, as before.
func (l *Loader) SetByHandSince(id int64, since string) (map[string]HandSet, error) {
	if err := l.Flush(); err != nil {
		return nil, err
	}
	rows, err := l.tx.QueryContext(l.ctx, `SELECT kind, field, from_status, at FROM nomination_event
		WHERE nomination_id = ? AND at > ? AND source NOT LIKE 'import:%' ORDER BY at, id`, id, since)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	set := map[string]HandSet{}
	for rows.Next() {
		var kind, field, from, at string
		if err := rows.Scan(&kind, &field, &from, &at); err != nil {
			return nil, err
		}
		switch {
		case kind == nomtrack.EventEdit && field != "":
			set[field] = HandSet{at, true}
		case kind == nomtrack.EventPromote:
			set["role"] = HandSet{at, true}
		case kind == nomtrack.EventStatus && from == "":
			for _, f := range []string{"role", "note", "visa", "clearance", "adl", "funding", "certificate"} {
				set[f] = HandSet{At: at}
			}
		}
	}
	return set, rows.Err()
}

// OfferingCommitted counts the committed principals of an offering, the
// rows queued so far included. The first call counts them for every
// offering in one query; the loader's writes keep the counts up to date.
func (l *Loader) OfferingCommitted(id int64) (int, error) {
	if l.committed == nil {
		if err := l.flushRows(); err != nil {
			return 0, err
		}
		rows, err := l.tx.QueryContext(l.ctx, `SELECT offering_id, count(*) FROM nomination WHERE role = ? AND status IN (`+committedList+`)
			GROUP BY offering_id`, nomtrack.RolePrincipal)
		if err != nil {
			return 0, err
		}
		defer rows.Close()
		l.committed = map[int64]int{}
		for rows.Next() {
			var off int64
			var n int
			if err := rows.Scan(&off, &n); err != nil {
				l.committed = nil
				return 0, err
			}
			l.committed[off] = n
		}
		if err := rows.Err(); err != nil {
			l.committed = nil
			return 0, err
		}
	}
	return l.committed[id], nil
}

// countCommitted keeps OfferingCommitted's counts up to date when a
// nomination of offering goes from (role, status) was to is.
func (l *Loader) countCommitted(offering int64, wasRole, wasStatus, role, status string) {
	if l.committed == nil {
		return
	}
	was := wasRole == nomtrack.RolePrincipal && nomtrack.Committed(wasStatus)
	is := role == nomtrack.RolePrincipal && nomtrack.Committed(status)
	switch {
	case is && !was:
		l.committed[offering]++
	case was && !is:
		l.committed[offering]--
	}
}

// EachAlias calls fn for every alias a merge left (migration 0008), so
// rows naming a merged-away ref or spelling find the person kept.
func (l *Loader) EachAlias(fn func(personID int64, a nomtrack.Alias)) error {
	if err := l.settle(); err != nil {
		return err
	}
	rows, err := l.tx.QueryContext(l.ctx, `SELECT person_id, kind, value, ministry FROM person_alias ORDER BY id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var a nomtrack.Alias
		if err := rows.Scan(&id, &a.Kind, &a.Value, &a.Ministry); err != nil {
			return err
		}
		fn(id, a)
	}
	return rows.Err()
}

// PersonAliases returns the aliases of person id.
func (l *Loader) PersonAliases(id int64) ([]nomtrack.Alias, error) {
	if err := l.settle(); err != nil {
		return nil, err
	}
	return personAliases(l.ctx, l.tx, id)
}

// EachNominationKey calls fn with the person and offering of every
// nomination, so the importer knows which rows may meet an existing one.
func (l *Loader) EachNominationKey(fn func(personID, offeringID int64)) error {
	if err := l.settle(); err != nil {
		return err
	}
	rows, err := l.tx.QueryContext(l.ctx, `SELECT person_id, offering_id FROM nomination`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var p, o int64
	for rows.Next() {
		if err := rows.Scan(&p, &o); err != nil {
			return err
		}
		fn(p, o)
	}
	return rows.Err()
}

// AddNomination queues a new nomination of n.PersonID for n.OfferingID,
// created from sheet row `row`, with its creation event (” -> status),
// and returns the id it will have. The caller has made sure the person has
// no nomination for that offering yet. n's ministry, rank, rank code and
// English, when any is given, are what the nomination is made under
// instead of its person's (the values of an older row).
func (l *Loader) AddNomination(n nomtrack.Nomination, row int) (int64, error) {
	id := l.next.nomination
	l.next.nomination++
	if v := (AsOf{n.Ministry, n.Rank, n.RankCode, n.English}); v != (AsOf{}) {
		l.rowAsOf = append(l.rowAsOf, rowAsOf{id: id, values: v})
	}
	l.nominations = append(l.nominations, id, n.PersonID, n.OfferingID, n.Role, n.Status, n.Note,
		n.Visa, n.Clearance, n.ADL, n.Funding, n.Certificate)
	l.counts.add(n.OfferingID, n.Role, n.Status, 1)
	l.countCommitted(n.OfferingID, "", "", n.Role, n.Status)
	if l.nominationKeys != nil {
		l.nominationKeys[[2]int64{n.PersonID, n.OfferingID}] = struct{}{}
	}
	off := int64(row) - id
	if k := len(l.runs) - 1; k >= 0 && l.runs[k].last == id-1 && l.runs[k].offset == off {
		l.runs[k].last = id
	} else {
		l.runs = append(l.runs, eventRun{first: id, last: id, offset: off})
	}
	if len(l.nominations) >= l.batch*nominationCols {
		if err := l.flushFull(); err != nil {
			return id, err
		}
		if len(l.runs) >= maxRuns {
			return id, l.Flush()
		}
	}
	return id, nil
}

// Nomination reads the nomination of a person for an offering through the
// UNIQUE (person_id, offering_id) index; found is false when there is none.
func (l *Loader) Nomination(personID, offeringID int64) (n nomtrack.Nomination, found bool, err error) {
	if l.queuedNomination(personID, offeringID) {
		if err := l.flushRows(); err != nil {
			return n, false, err
		}
	}
	s, err := l.stmt(`SELECT id, role, status, note, visa, clearance, adl, funding, certificate FROM nomination WHERE person_id = ? AND offering_id = ?`)
	if err != nil {
		return n, false, err
	}
	err = s.QueryRowContext(l.ctx, personID, offeringID).Scan(&n.ID, &n.Role, &n.Status, &n.Note,
		&n.Visa, &n.Clearance, &n.ADL, &n.Funding, &n.Certificate)
	if errors.Is(err, sql.ErrNoRows) {
		return n, false, nil
	}
	n.PersonID, n.OfferingID = personID, offeringID
	return n, err == nil, err
}

// queuedNomination reports whether a nomination of person for offering is
// queued (then it must be written before it is read).
func (l *Loader) queuedNomination(personID, offeringID int64) bool {
	if l.nominationKeys != nil {
		_, ok := l.nominationKeys[[2]int64{personID, offeringID}]
		return ok
	}
	for i := 0; i < len(l.nominations); i += nominationCols {
		if l.nominations[i+1].(int64) == personID && l.nominations[i+2].(int64) == offeringID {
			return true
		}
	}
	return false
}

// UpdateNomination writes role, status, note and the pre-departure fields
// of n (by ID); a change of status from cur's records its event, and each
// other field that changes (role, note, pre-departure) an 'edit' event,
// with source import:FILE:ROW.
func (l *Loader) UpdateNomination(n, cur nomtrack.Nomination, row int) error {
	if err := l.Flush(); err != nil { // its creation event comes first
		return err
	}
	if _, err := l.exec(`UPDATE nomination SET role = ?, status = ?, note = ?, visa = ?, clearance = ?, adl = ?, funding = ?, certificate = ?,
		updated_at = ? WHERE id = ?`,
		n.Role, n.Status, n.Note, n.Visa, n.Clearance, n.ADL, n.Funding, n.Certificate, l.stamp, n.ID); err != nil {
		return err
	}
	if cur.Role != n.Role || cur.Status != n.Status {
		offering := cur.OfferingID
		if offering == 0 {
			var err error
			if offering, err = nominationOffering(l.ctx, l.tx, n.ID); err != nil {
				return err
			}
		}
		l.counts.add(offering, cur.Role, cur.Status, -1)
		l.counts.add(offering, n.Role, n.Status, 1)
		l.countCommitted(offering, cur.Role, cur.Status, n.Role, n.Status)
	}
	source := l.source + strconv.Itoa(row)
	if cur.Status != n.Status {
		if _, err := l.exec(`INSERT INTO nomination_event (nomination_id, at, actor, from_status, to_status, source, correction) VALUES (?, ?, ?, ?, ?, ?, 0)`,
			n.ID, l.stamp, l.tx.Actor, cur.Status, n.Status, source); err != nil {
			return err
		}
	}
	// The role and the note too: a sheet that makes an alternate a
	// principal, or rewrites the note, changes what a coordinator entered.
	for _, f := range []struct{ field, from, to string }{{"role", cur.Role, n.Role}, {"visa", cur.Visa, n.Visa}, {"clearance", cur.Clearance, n.Clearance},
		{"adl", cur.ADL, n.ADL}, {"funding", cur.Funding, n.Funding}, {"certificate", cur.Certificate, n.Certificate}, {"note", cur.Note, n.Note}} {
		if f.from == f.to {
			continue
		}
		if _, err := l.exec(`INSERT INTO nomination_event (nomination_id, at, actor, from_status, to_status, source, correction, kind, field)
			VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)`, n.ID, l.stamp, l.tx.Actor, f.from, f.to, source, nomtrack.EventEdit, f.field); err != nil {
			return err
		}
	}
	return nil
}

// flushRows writes the queued rows and returns once they are written.
func (l *Loader) flushRows() error {
	if err := l.settle(); err != nil {
		return err
	}
	l.handOver()
	return l.writeBatch()
}

// flushFull hands a full queue to the engine. An engine that writes in
// the background (PostgreSQL: the server merges one batch while the
// importer reads and checks the rows of the next) gets it on another
// goroutine, and the next use of the transaction waits for it (settle).
func (l *Loader) flushFull() error {
	if err := l.settle(); err != nil {
		return err
	}
	l.handOver()
	if !l.eng.background() {
		return l.writeBatch()
	}
	done := make(chan error, 1)
	l.inflight = done
	go func() { done <- l.writeBatch() }()
	return nil
}

// handOver makes the queue the batch to write and empties the queue,
// reusing the slices of the batch written before.
func (l *Loader) handOver() {
	l.writing, l.rowQueue = l.rowQueue, rowQueue{l.writing.people[:0], l.writing.tokens[:0], l.writing.nominations[:0]}
	clear(l.nominationKeys)
}

// writeBatch writes l.writing: the people, their search tokens (which
// refer to them), then the nominations (which refer to both).
func (l *Loader) writeBatch() error {
	b := &l.writing
	if len(b.people) > 0 {
		if err := l.eng.insert(l, personBulk, b.people); err != nil {
			return err
		}
	}
	if len(b.tokens) > 0 {
		if err := l.eng.insertTokens(l, b.tokens); err != nil {
			return err
		}
	}
	if len(b.nominations) > 0 {
		if err := l.eng.insert(l, nominationBulk, b.nominations); err != nil {
			return err
		}
	}
	return nil
}

// Flush writes everything queued: people, nominations and the runs that
// stand for the new nominations' creation events. Import calls it before
// committing. The engine has written every queued nomination with the id
// it was promised, so each run covers exactly the
// nominations it names.
func (l *Loader) Flush() error {
	if err := l.flushRows(); err != nil {
		return err
	}
	for _, r := range l.runs {
		if _, err := l.exec(`INSERT INTO nomination_import_run (first_id, last_id, row_offset, at, actor, source) VALUES (?, ?, ?, ?, ?, ?)`,
			r.first, r.last, r.offset, l.stamp, l.tx.Actor, l.source); err != nil {
			return err
		}
	}
	l.runs = l.runs[:0]
	return nil
}

// RequestKey finds requests of a ministry for an area in a year.
type RequestKey struct {
	Ministry, Area string
	Year           int
}

// Request reads the first request of k; found is false when there is none.
func (l *Loader) Request(k RequestKey) (r nomtrack.Request, found bool, err error) {
	s, err := l.stmt(`SELECT id, ministry, area, year, seats, note FROM request WHERE ministry = ? AND area = ? AND year = ? ORDER BY id LIMIT 1`)
	if err != nil {
		return r, false, err
	}
	err = s.QueryRowContext(l.ctx, k.Ministry, k.Area, k.Year).Scan(&r.ID, &r.Ministry, &r.Area, &r.Year, &r.Seats, &r.Note)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	return r, err == nil, err
}

// InsertRequest creates r and returns its id.
func (l *Loader) InsertRequest(r nomtrack.Request) (int64, error) {
	return l.insertID(`INSERT INTO request (ministry, area, year, seats, note, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		r.Ministry, r.Area, r.Year, r.Seats, r.Note, l.stamp)
}

// UpdateRequest writes seats and note of r (by ID), replacing those of
// was, and records the replacement in the audit table as `request add`
// does (source import:FILE:ROW).
func (l *Loader) UpdateRequest(was, r nomtrack.Request, row int) error {
	if _, err := l.exec(`UPDATE request SET seats = ?, note = ? WHERE id = ?`, r.Seats, r.Note, r.ID); err != nil {
		return err
	}
	return writeAuditFrom(l.ctx, l.tx, l.source+strconv.Itoa(row), "request.replace", "request:"+strconv.FormatInt(r.ID, 10), map[string]any{
		"ministry": r.Ministry, "area": r.Area, "year": r.Year,
		"from": map[string]any{"seats": was.Seats, "note": was.Note, "ids": []int64{was.ID}},
		"to":   map[string]any{"seats": r.Seats, "note": r.Note},
	})
}

// TableRows returns the number of rows of the import's tables (person,
// nomination), so the importer can decide whether deferring indexes pays.
func (db *DB) TableRows(ctx context.Context) (people, nominations int64, err error) {
	err = db.View(ctx, func(q Querier) error {
		return q.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM person), (SELECT count(*) FROM nomination)`).Scan(&people, &nominations)
	})
	return people, nominations, err
}
