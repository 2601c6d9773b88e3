package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// programmeTables lists every table that holds a programme, parents before
// the tables that refer to them: the order `db copy` fills a target in. A
// test keeps it equal to both engines' schemas, so a table added by a
// migration cannot be left behind by a copy.
var programmeTables = []string{
	"course", "offering", "person", "nomination", "offering_count", "nomination_event",
	"request", "capacity", "audit", "nomination_import_run",
	"person_change", "person_alias", "person_search_token",
}

// copyBatchParams bounds the placeholders of one INSERT of a copy, well
// under both engines' limits (SQLite 32766, PostgreSQL 65535).
const copyBatchParams = 4000

// TableCount is one table's rows in a copy.
type TableCount struct {
	Table string `json:"table"`
	Rows  int64  `json:"rows"`
}

// CopyResult is what `db copy` did and what it compared afterwards.
type CopyResult struct {
	From   string       `json:"from"`
	To     string       `json:"to"`
	Tables []TableCount `json:"tables"`
	// Years are the years whose yearly report was compared, source against
	// target, after the copy committed.
	Years []int `json:"years_compared"`
}

// Rows is how many rows of table the copy wrote.
func (r *CopyResult) Rows(table string) int64 {
	for _, t := range r.Tables {
		if t.Table == table {
			return t.Rows
		}
	}
	return 0
}

// sequencer is the part of an engine that keeps ids from ever being reused
// across a copy: the highest id a table has handed out (rows since removed
// included), and setting it on the target.
type sequencer interface {
	highWater(ctx context.Context, q Querier, table string) (int64, error)
	setHighWater(ctx context.Context, tx *Tx, table string, n int64) error
}

// CopyTo copies the whole programme of db into target (Copy) and then
// compares the two (CopyResult.Check).
func (db *DB) CopyTo(ctx context.Context, target *DB, opt ReportOptions) (*CopyResult, error) {
	res, err := db.Copy(ctx, target)
	if err != nil {
		return res, err
	}
	return res, res.Check(ctx, db, target, opt)
}

// Copy copies the whole programme of db (every table, history, audit and
// capacity, ids kept) into target, which must be empty, in one transaction
// on the target read from one snapshot of db. A nil result means nothing
// was committed; a result with an error means the copy is committed (the
// error, an interruption, came while its commit was answered).
func (db *DB) Copy(ctx context.Context, target *DB) (*CopyResult, error) {
	res := &CopyResult{From: db.path, To: target.path}
	if err := target.refuseNonEmpty(ctx); err != nil {
		return nil, err
	}
	err := db.View(ctx, func(src Querier) error {
		return target.update(ctx, func(tx *Tx) error {
			if err := target.eng.bulkWrite(ctx, tx); err != nil {
				return err
			}
			res.Tables = res.Tables[:0]
			for _, table := range programmeTables {
				n, err := copyTable(ctx, src, tx, table)
				if err != nil {
					return fmt.Errorf("copying %s: %w", table, err)
				}
				res.Tables = append(res.Tables, TableCount{table, n})
				if err := copyHighWater(ctx, db, src, target, tx, table); err != nil {
					return err
				}
			}
			return nil
		})
	})
	if err != nil {
		if ctx.Err() == nil {
			return nil, err
		}
		switch held, known := target.holdsCopy(ctx, res); {
		case !known:
			return nil, &CopyCommitUnknown{To: target.path, err: err}
		case held:
			return res, err
		}
		return nil, err
	}
	var filled []string
	for _, t := range res.Tables {
		if t.Rows > 0 {
			filled = append(filled, t.Table)
		}
	}
	target.eng.settle(ctx, target, filled)
	return res, nil
}

// CopyCommitUnknown is Copy's error when it was interrupted as its commit
// was answered and the target could not be asked afterwards whether it
// holds the copy.
type CopyCommitUnknown struct {
	To  string
	err error
}

func (e *CopyCommitUnknown) Error() string {
	return "interrupted as the copy to " + e.To + " was committed"
}
func (e *CopyCommitUnknown) Unwrap() error { return e.err }

// holdsCopy reports whether target holds the rows of a copy that was
// interrupted (known false when it could not be asked): a stop that comes
// while the commit is on its way may find it done or not, and only the
// target can say which, once the copy's transaction is over there. So it
// asks in a write transaction of its own, which waits for the write lock
// the copy held (PostgreSQL's server ends the copy's transaction, by
// commit or rollback, when it has seen its client gone), and rolls it
// back. It asks with a context of its own, as ctx is already cancelled,
// for at most a few seconds.
func (db *DB) holdsCopy(ctx context.Context, res *CopyResult) (held, known bool) {
	table := ""
	for _, t := range res.Tables {
		if t.Rows > 0 {
			table = t.Table
			break
		}
	}
	if table == "" {
		return false, true // nothing to write: an empty programme leaves nothing either way
	}
	ask, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	err := db.update(ask, func(tx *Tx) error {
		var one int
		err := tx.QueryRowContext(ask, `SELECT 1 FROM `+table+` LIMIT 1`).Scan(&one)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		held = err == nil
		return errOnlyAsked
	})
	return held, errors.Is(err, errOnlyAsked)
}

// errOnlyAsked rolls back holdsCopy's transaction, which only reads.
var errOnlyAsked = errors.New("only asked")

// refuseNonEmpty says which records a target already holds: a copy only
// ever fills an empty database, so nothing there can be overwritten.
func (db *DB) refuseNonEmpty(ctx context.Context) error {
	var held []string
	err := db.View(ctx, func(q Querier) error {
		for _, table := range programmeTables {
			var n int64
			if err := q.QueryRowContext(ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				held = append(held, fmt.Sprintf("%d %s", n, tableNoun(table, n)))
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(held) > 0 {
		return nomtrack.Errorf(nomtrack.EUSAGE,
			"the target %s is not empty (it holds %s); db copy fills only an empty database: give a new file, or a newly created PostgreSQL database",
			db.path, strings.Join(held, ", "))
	}
	return nil
}

// tableNoun names a table's rows for messages.
func tableNoun(table string, n int64) string {
	nouns := map[string][2]string{
		"course": {"course", "courses"}, "offering": {"offering", "offerings"},
		"person": {"person", "people"}, "nomination": {"nomination", "nominations"},
		"nomination_event": {"status event", "status events"}, "request": {"request", "requests"},
		"capacity": {"capacity year", "capacity years"}, "audit": {"audit entry", "audit entries"},
		"nomination_import_run": {"import run", "import runs"},
		"person_change":         {"person change", "person changes"},
		"person_alias":          {"alias", "aliases"},
		"person_search_token":   {"search token", "search tokens"},
		"offering_count":        {"offering count", "offering counts"},
	}
	w, ok := nouns[table]
	if !ok {
		return table + " rows"
	}
	if n == 1 {
		return w[0]
	}
	return w[1]
}

// columnsOf is the column list of table as q's engine has it.
func columnsOf(ctx context.Context, q Querier, table string) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT * FROM `+table+` WHERE 1 = 0`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return rows.Columns()
}

// copyTable streams every row of table from src into tx, in batches of
// multi-row INSERTs that both engines run, ids included.
func copyTable(ctx context.Context, src Querier, tx *Tx, table string) (int64, error) {
	cols, err := columnsOf(ctx, src, table)
	if err != nil {
		return 0, err
	}
	targetCols, err := columnsOf(ctx, tx, table)
	if err != nil {
		return 0, err
	}
	if !sameColumns(cols, targetCols) {
		return 0, fmt.Errorf("the two databases' %s tables differ (%s against %s); migrate both to the same nomtrack version first",
			table, strings.Join(cols, ","), strings.Join(targetCols, ","))
	}
	// Quoted: a column may be a keyword on one engine (offering."end").
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
	}
	list := strings.Join(quoted, ", ")
	rows, err := src.QueryContext(ctx, `SELECT `+list+` FROM `+table+` ORDER BY `+quoted[0])
	if err != nil {
		return 0, err
	}
	defer rows.Close()

	perBatch := max(1, copyBatchParams/len(cols))
	row := "(" + placeholders(len(cols)) + ")"
	head := `INSERT INTO ` + table + ` (` + list + `) VALUES `
	args := make([]any, 0, perBatch*len(cols))
	var n int64
	inBatch := 0
	flush := func() error {
		if inBatch == 0 {
			return nil
		}
		q := head + strings.TrimSuffix(strings.Repeat(row+",", inBatch), ",")
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return err
		}
		args, inBatch = args[:0], 0
		return nil
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		for _, v := range vals {
			args = append(args, portable(v))
		}
		inBatch++
		n++
		if inBatch == perBatch {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	return n, flush()
}

// portable turns a value one driver scanned into one both drivers bind the
// same way: bytes become text (every column nomtrack stores is text, a
// number or NULL).
func portable(v any) any {
	if b, ok := v.([]byte); ok {
		return string(b)
	}
	return v
}

func sameColumns(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// copyHighWater carries the highest id table has ever handed out over to the
// target, so an id retired at the source (a merged-away person, a removed
// nomination) is never given out again at the target.
func copyHighWater(ctx context.Context, from *DB, src Querier, to *DB, tx *Tx, table string) error {
	cols, err := columnsOf(ctx, src, table)
	if err != nil {
		return err
	}
	if len(cols) == 0 || cols[0] != "id" {
		return nil
	}
	srcSeq, ok1 := from.eng.(sequencer)
	dstSeq, ok2 := to.eng.(sequencer)
	if !ok1 || !ok2 {
		return fmt.Errorf("the %s engine cannot carry ids over", to.eng.name())
	}
	n, err := srcSeq.highWater(ctx, src, table)
	if err != nil {
		return err
	}
	return dstSeq.setHighWater(ctx, tx, table, n)
}

// Check compares, after the copy committed, the copy at to against from:
// every table holds as many rows at the target as were copied, and the
// yearly report of every year reads the same from both databases. A
// difference is an error saying which.
func (res *CopyResult) Check(ctx context.Context, from, to *DB, opt ReportOptions) error {
	var diffs []string
	err := to.View(ctx, func(q Querier) error {
		for _, t := range res.Tables {
			var n int64
			if err := q.QueryRowContext(ctx, `SELECT count(*) FROM `+t.Table).Scan(&n); err != nil {
				return err
			}
			if n != t.Rows {
				diffs = append(diffs, fmt.Sprintf("%s: %d copied, %d at the target", t.Table, t.Rows, n))
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	years, err := from.programmeYears(ctx)
	if err != nil {
		return err
	}
	res.Years = years
	for _, y := range years {
		a, err := from.YearReport(ctx, y, opt)
		if err != nil {
			return err
		}
		b, err := to.YearReport(ctx, y, opt)
		if err != nil {
			return err
		}
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if string(ja) != string(jb) {
			diffs = append(diffs, "the yearly report of "+strconv.Itoa(y))
		}
	}
	if len(diffs) > 0 {
		return &copyMismatchError{nomtrack.Errorf(nomtrack.EINTERNAL,
			"the copy at %s committed but does not match %s (%s): was %s written to while copying? Copy again into a new target",
			to.path, from.path, strings.Join(diffs, "; "), from.path)}
	}
	return nil
}

// copyMismatchError is a check that ran to the end and found the copy
// different from its source.
type copyMismatchError struct{ err error }

func (e *copyMismatchError) Error() string { return e.err.Error() }
func (e *copyMismatchError) Unwrap() error { return e.err }

// IsCopyMismatch reports whether err is a copy's check finding a
// difference, rather than the check failing to run.
func IsCopyMismatch(err error) bool {
	var m *copyMismatchError
	return errors.As(err, &m)
}

// DiscardNew closes db and, when this run created it as an SQLite file,
// removes that file and its companions: a copy that failed before it
// committed leaves nothing behind.
func (db *DB) DiscardNew() {
	db.Close()
	if !db.Created || db.file == "" {
		return
	}
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(db.file + suffix)
	}
}

// programmeYears are the years with an offering or a capacity row, oldest
// first.
func (db *DB) programmeYears(ctx context.Context) ([]int, error) {
	var years []int
	err := db.View(ctx, func(q Querier) error {
		rows, err := q.QueryContext(ctx, `SELECT DISTINCT substr(start, 1, 4) FROM offering
			UNION SELECT DISTINCT CAST(year AS TEXT) FROM capacity`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				return err
			}
			if y, err := strconv.Atoi(s); err == nil {
				years = append(years, y)
			}
		}
		return rows.Err()
	})
	slices.Sort(years)
	return slices.Compact(years), err
}
