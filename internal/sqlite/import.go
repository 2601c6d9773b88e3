package sqlite

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
	// Rollback runs everything and then rolls the transaction back (dry run).
	Rollback bool
}

// ErrRolledBack is what DB.Import returns after a requested rollback
// (ImportOptions.Rollback) once the import function succeeded.
var ErrRolledBack = errors.New("import rolled back as requested")

// deferredIndexes are the secondary indexes an import may rebuild; the
// UNIQUE constraints stay, since the import relies on them.
var deferredIndexes = []string{
	"person_name_key", "person_ministry",
	"nomination_offering", "nomination_status",
	"nomination_event_nomination",
}

// Import runs fn in one write transaction with a Loader, for bulk imports:
// committed when fn returns nil, rolled back on any error, on ctx's
// cancellation (Ctrl-C) and when opt.Rollback is set.
func (db *DB) Import(ctx context.Context, opt ImportOptions, fn func(*Loader) error) error {
	var oldCache int
	if opt.CacheSizeKiB > 0 {
		if err := db.w.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&oldCache); err != nil {
			return mapError(err)
		}
		defer func() {
			// The writer pool holds one connection, so this restores the
			// setting on the connection the import used.
			db.w.ExecContext(context.WithoutCancel(ctx), `PRAGMA cache_size = `+strconv.Itoa(oldCache))
		}()
	}
	err := db.update(ctx, func(tx *Tx) error {
		if opt.CacheSizeKiB > 0 {
			if _, err := tx.ExecContext(ctx, `PRAGMA cache_size = -`+strconv.Itoa(opt.CacheSizeKiB)); err != nil {
				return err
			}
		}
		var saved []string
		if opt.DeferIndexes {
			var err error
			if saved, err = dropIndexes(ctx, tx); err != nil {
				return err
			}
		}
		l, err := newLoader(ctx, tx)
		if err != nil {
			return err
		}
		defer l.close()
		if err := fn(l); err != nil {
			return err
		}
		if err := l.Flush(); err != nil {
			return err
		}
		for _, ddl := range saved {
			if _, err := tx.ExecContext(ctx, ddl); err != nil {
				return fmt.Errorf("rebuilding an index: %w", err)
			}
		}
		if opt.Rollback {
			return ErrRolledBack
		}
		return nil
	})
	return err
}

// dropIndexes drops the deferred indexes that exist and returns the DDL that
// creates them again, as the schema holds it.
func dropIndexes(ctx context.Context, tx *Tx) ([]string, error) {
	var ddls []string
	for _, name := range deferredIndexes {
		var ddl sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`, name).Scan(&ddl)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if !ddl.Valid {
			continue
		}
		if _, err := tx.ExecContext(ctx, `DROP INDEX `+name); err != nil {
			return nil, err
		}
		ddls = append(ddls, ddl.String)
	}
	return ddls, nil
}

// Loader reads and writes the records of an import inside its transaction
// through statements prepared once and reused for every row. It keeps no
// records in memory beyond the pending batch of events; the importer keeps
// its own compact lookup maps.
type Loader struct {
	ctx   context.Context
	tx    *Tx
	stamp string

	stmts map[string]*sql.Stmt

	events    []any // pending event arguments, eventCols per event
	eventBulk *sql.Stmt
}

// eventCols is the number of arguments of one nomination_event row.
const (
	eventCols  = 7
	eventBatch = 128
)

const eventValues = `(?, ?, ?, ?, ?, ?, ?)`

func newLoader(ctx context.Context, tx *Tx) (*Loader, error) {
	return &Loader{ctx: ctx, tx: tx, stamp: tx.Stamp(), stmts: map[string]*sql.Stmt{}}, nil
}

func (l *Loader) close() {
	for _, s := range l.stmts {
		s.Close()
	}
	if l.eventBulk != nil {
		l.eventBulk.Close()
	}
}

// Tx is the transaction the loader writes in (its Now and Actor stamp
// every record).
func (l *Loader) Tx() *Tx { return l.tx }

// stmt returns the prepared statement for query, preparing it on first use.
func (l *Loader) stmt(query string) (*sql.Stmt, error) {
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

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Courses returns every course, for the importer's lookup maps.
func (l *Loader) Courses() ([]nomtrack.Course, error) {
	rows, err := l.tx.QueryContext(l.ctx, `SELECT id, code, coalesce(etoc_code, ''), title, area, provider, days, fee, min_english, min_rank FROM course ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []nomtrack.Course
	for rows.Next() {
		var c nomtrack.Course
		if err := rows.Scan(&c.ID, &c.Code, &c.EtocCode, &c.Title, &c.Area, &c.Provider, &c.Days, &c.Fee, &c.MinEnglish, &c.MinRank); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// InsertCourse creates c and returns its id.
func (l *Loader) InsertCourse(c nomtrack.Course) (int64, error) {
	res, err := l.exec(`INSERT INTO course (code, etoc_code, title, area, provider, days, fee, min_english, min_rank, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.Code, nullable(c.EtocCode), c.Title, c.Area, c.Provider, c.Days, c.Fee, c.MinEnglish, c.MinRank, l.stamp, l.stamp)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// UpdateCourse writes every field of c (found by its ID).
func (l *Loader) UpdateCourse(c nomtrack.Course) error {
	_, err := l.exec(`UPDATE course SET code = ?, etoc_code = ?, title = ?, area = ?, provider = ?, days = ?, fee = ?,
		min_english = ?, min_rank = ?, updated_at = ? WHERE id = ?`,
		c.Code, nullable(c.EtocCode), c.Title, c.Area, c.Provider, c.Days, c.Fee, c.MinEnglish, c.MinRank, l.stamp, c.ID)
	return err
}

// Offerings returns every offering with its course code, for the importer's
// lookup maps.
func (l *Loader) Offerings() ([]nomtrack.Offering, error) {
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
	res, err := l.exec(`INSERT INTO offering (course_id, start, end, location, seats, deadline, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		o.CourseID, o.Start, o.End, o.Location, seatsArg(o.Seats), o.Deadline, l.stamp, l.stamp)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// UpdateOffering writes end, location, seats and deadline of o (by ID).
func (l *Loader) UpdateOffering(o nomtrack.Offering) error {
	_, err := l.exec(`UPDATE offering SET end = ?, location = ?, seats = ?, deadline = ?, updated_at = ? WHERE id = ?`,
		o.End, o.Location, seatsArg(o.Seats), o.Deadline, l.stamp, o.ID)
	return err
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

// Person reads one person by id, contact details included.
func (l *Loader) Person(id int64) (nomtrack.Person, error) {
	s, err := l.stmt(`SELECT id, coalesce(ref, ''), name, name_ar, ministry, rank, rank_code, position, gender, english, email, phone FROM person WHERE id = ?`)
	if err != nil {
		return nomtrack.Person{}, err
	}
	var p nomtrack.Person
	err = s.QueryRowContext(l.ctx, id).Scan(&p.ID, &p.Ref, &p.Name, &p.NameAr, &p.Ministry, &p.Rank, &p.RankCode, &p.Position, &p.Gender, &p.English, &p.Email, &p.Phone)
	return p, err
}

// InsertPerson creates p (its name key computed here) and returns its id.
func (l *Loader) InsertPerson(p nomtrack.Person) (int64, error) {
	res, err := l.exec(`INSERT INTO person (ref, name, name_key, name_ar, ministry, rank, rank_code, position, gender, english, email, phone, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		nullable(p.Ref), p.Name, nomtrack.NameKey(p.Name), p.NameAr, p.Ministry, p.Rank, p.RankCode, p.Position, p.Gender, p.English, p.Email, p.Phone, l.stamp, l.stamp)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// UpdatePerson writes every field of p (by ID).
func (l *Loader) UpdatePerson(p nomtrack.Person) error {
	_, err := l.exec(`UPDATE person SET ref = ?, name = ?, name_key = ?, name_ar = ?, ministry = ?, rank = ?, rank_code = ?, position = ?,
		gender = ?, english = ?, email = ?, phone = ?, updated_at = ? WHERE id = ?`,
		nullable(p.Ref), p.Name, nomtrack.NameKey(p.Name), p.NameAr, p.Ministry, p.Rank, p.RankCode, p.Position, p.Gender, p.English, p.Email, p.Phone, l.stamp, p.ID)
	return err
}

// ImportEvent is the history entry an import writes with a nomination change.
type ImportEvent struct {
	From, To string
	Source   string // import:FILE:ROW
}

// InsertNomination creates the nomination of n.PersonID for n.OfferingID
// with its creation event, unless that person already has a nomination for
// that offering (the UNIQUE key): then it writes nothing and returns
// created=false, and the caller compares with Nomination.
func (l *Loader) InsertNomination(n nomtrack.Nomination, source string) (id int64, created bool, err error) {
	res, err := l.exec(`INSERT INTO nomination (person_id, offering_id, role, status, note, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (person_id, offering_id) DO NOTHING`,
		n.PersonID, n.OfferingID, n.Role, n.Status, n.Note, l.stamp, l.stamp)
	if err != nil {
		return 0, false, err
	}
	if affected, err := res.RowsAffected(); err != nil || affected == 0 {
		return 0, false, err
	}
	if id, err = res.LastInsertId(); err != nil {
		return 0, false, err
	}
	return id, true, l.addEvent(id, "", n.Status, source)
}

// Nomination reads the nomination of a person for an offering through the
// UNIQUE (person_id, offering_id) index; found is false when there is none.
func (l *Loader) Nomination(personID, offeringID int64) (n nomtrack.Nomination, found bool, err error) {
	s, err := l.stmt(`SELECT id, role, status, note FROM nomination WHERE person_id = ? AND offering_id = ?`)
	if err != nil {
		return n, false, err
	}
	err = s.QueryRowContext(l.ctx, personID, offeringID).Scan(&n.ID, &n.Role, &n.Status, &n.Note)
	if errors.Is(err, sql.ErrNoRows) {
		return n, false, nil
	}
	n.PersonID, n.OfferingID = personID, offeringID
	return n, err == nil, err
}

// UpdateNomination writes role, status and note of n (by ID); a change of
// status from `from` records its event.
func (l *Loader) UpdateNomination(n nomtrack.Nomination, from, source string) error {
	if _, err := l.exec(`UPDATE nomination SET role = ?, status = ?, note = ?, updated_at = ? WHERE id = ?`,
		n.Role, n.Status, n.Note, l.stamp, n.ID); err != nil {
		return err
	}
	if from != n.Status {
		return l.addEvent(n.ID, from, n.Status, source)
	}
	return nil
}

// addEvent queues one nomination_event row; queued events are written in
// multi-row INSERTs, which cost a fraction of one statement per event.
func (l *Loader) addEvent(nominationID int64, from, to, source string) error {
	l.events = append(l.events, nominationID, l.stamp, l.tx.Actor, from, to, source, 0)
	if len(l.events) >= eventBatch*eventCols {
		return l.Flush()
	}
	return nil
}

// Flush writes the queued events. Import calls it before committing; the
// importer calls it before reading history it may just have written.
func (l *Loader) Flush() error {
	const head = `INSERT INTO nomination_event (nomination_id, at, actor, from_status, to_status, source, correction) VALUES `
	for len(l.events) >= eventBatch*eventCols {
		if l.eventBulk == nil {
			s, err := l.tx.PrepareContext(l.ctx, head+strings.TrimSuffix(strings.Repeat(eventValues+", ", eventBatch), ", "))
			if err != nil {
				return err
			}
			l.eventBulk = s
		}
		if _, err := l.eventBulk.ExecContext(l.ctx, l.events[:eventBatch*eventCols]...); err != nil {
			return err
		}
		l.events = append(l.events[:0], l.events[eventBatch*eventCols:]...)
	}
	for len(l.events) > 0 {
		if _, err := l.exec(head+eventValues, l.events[:eventCols]...); err != nil {
			return err
		}
		l.events = l.events[eventCols:]
	}
	l.events = l.events[:0]
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
	res, err := l.exec(`INSERT INTO request (ministry, area, year, seats, note, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		r.Ministry, r.Area, r.Year, r.Seats, r.Note, l.stamp)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// UpdateRequest writes seats and note of r (by ID).
func (l *Loader) UpdateRequest(r nomtrack.Request) error {
	_, err := l.exec(`UPDATE request SET seats = ?, note = ? WHERE id = ?`, r.Seats, r.Note, r.ID)
	return err
}

// TableRows returns the number of rows of the import's tables (person,
// nomination), so the importer can decide whether deferring indexes pays.
func (db *DB) TableRows(ctx context.Context) (people, nominations int64, err error) {
	err = db.View(ctx, func(q Querier) error {
		return q.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM person), (SELECT count(*) FROM nomination)`).Scan(&people, &nominations)
	})
	return people, nominations, err
}
