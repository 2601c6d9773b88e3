package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// sqliteBulk is how an import writes into an SQLite file: multi-row
// INSERTs through prepared statements, with the secondary indexes dropped
// and built again and the references checked once at the end when the
// import is large (ImportOptions), a larger page cache and the statement
// journal in memory. SQLite has one writer, so none of this is seen by
// anyone until the commit.
type sqliteBulk struct {
	db *DB
	// saved is the DDL of the indexes begin dropped, built again by finish.
	saved []string
}

func (sqliteEngine) bulk(db *DB) bulkEngine { return &sqliteBulk{db: db} }

// sqliteBatchRows is how many rows one multi-row INSERT carries.
const sqliteBatchRows = 128

// indexCacheKiB is the page cache while deferred indexes are built.
const indexCacheKiB = 4096

// deferredIndexes are the secondary indexes an import may rebuild; the
// UNIQUE constraints stay, since the import relies on them. The events'
// index stays too: an import stores only status changes (creations are
// runs), and rebuilding it would cost a sort of every older event.
var deferredIndexes = []string{
	"person_name_key", "person_ministry", "person_report", "person_gender", "person_dupe_latin", "person_dupe_arabic", "person_name",
	"person_report_name", "person_no_rank_code",
	"nomination_offering_cover", "nomination_status", "nomination_participation", "person_search_token_kind",
}

func (e *sqliteBulk) batchRows() int { return sqliteBatchRows }

// background: SQLite writes in this process, so writing a batch on another
// goroutine would only take CPU time from reading the next.
func (e *sqliteBulk) background() bool { return false }

// session sets the writer connection's pragmas for the import. The writer
// pool holds one connection, so they apply to the connection the import
// uses, and restore puts them back on it.
func (e *sqliteBulk) session(ctx context.Context, opt ImportOptions) (func(), error) {
	w := e.db.w
	var undo []string
	restore := func() {
		for i := len(undo) - 1; i >= 0; i-- {
			w.ExecContext(context.WithoutCancel(ctx), undo[i])
		}
	}
	if opt.CacheSizeKiB > 0 {
		var oldCache int
		if err := w.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&oldCache); err != nil {
			return restore, err
		}
		undo = append(undo, `PRAGMA cache_size = `+strconv.Itoa(oldCache))
	}
	// A statement journal (the pages each multi-row INSERT touches, kept
	// so that one statement can be undone) goes to memory instead of a
	// temporary file: a bulk load otherwise spends a system call per page.
	var oldTemp int
	if err := w.QueryRowContext(ctx, `PRAGMA temp_store`).Scan(&oldTemp); err != nil {
		return restore, err
	}
	if _, err := w.ExecContext(ctx, `PRAGMA temp_store = MEMORY`); err != nil {
		return restore, err
	}
	undo = append(undo, `PRAGMA temp_store = `+strconv.Itoa(oldTemp))
	if opt.CheckForeignKeysAtEnd {
		// foreign_keys cannot change inside a transaction.
		if _, err := w.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
			return restore, err
		}
		undo = append(undo, `PRAGMA foreign_keys = ON`)
	}
	return restore, nil
}

func (e *sqliteBulk) begin(ctx context.Context, tx *Tx, opt ImportOptions) error {
	if opt.CacheSizeKiB > 0 {
		if _, err := tx.ExecContext(ctx, `PRAGMA cache_size = -`+strconv.Itoa(opt.CacheSizeKiB)); err != nil {
			return err
		}
	}
	if opt.DeferIndexes {
		var err error
		if e.saved, err = dropIndexes(ctx, tx); err != nil {
			return err
		}
	}
	return nil
}

// nextIDs: person and nomination are AUTOINCREMENT (migrations 0006,
// 0007), so the highest id ever used is in sqlite_sequence.
func (e *sqliteBulk) nextIDs(ctx context.Context, tx *Tx) (idPair, error) {
	var last idPair
	err := tx.QueryRowContext(ctx, `SELECT max(coalesce((SELECT max(id) FROM person), 0), coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'person'), 0)),
		max(coalesce((SELECT max(id) FROM nomination), 0), coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'nomination'), 0))`).
		Scan(&last.person, &last.nomination)
	return idPair{last.person + 1, last.nomination + 1}, err
}

// insert writes the queued rows as multi-row INSERTs whose last two
// columns are the transaction's timestamp. Parameters are anonymous: the
// driver looks every named or numbered parameter's name up, which costs
// more than the insert itself.
//
// The first value of each queued row is the id the loader promised; it is
// not sent. SQLite gives a new row max(id)+1, the same number, by appending
// at the end of the table, where an explicit id would cost a search of the
// table per row; the last id is checked after every statement.
//
// A nomination is written with its person's ministry, rank, rank code and
// English (the snapshot of migration 0007), read by the person's id as the
// row goes in: writing them afterwards (snapshotNominations) rewrote every
// new nomination, a tenth of the import's time. The rows come from VALUES
// joined to person in the order of the promised ids; a row whose person
// is missing goes in as before, for the foreign-key check to name.
func (e *sqliteBulk) insert(l *Loader, t *bulkTable, rows []any) error {
	const stamps = 2
	cols := len(t.cols)
	query := func(n int) string {
		return multiRow(`INSERT OR IGNORE INTO `+t.name+` (`+strings.Join(t.cols[1:], ", ")+`, created_at, updated_at) VALUES `, n, cols-1+stamps)
	}
	values := cols - 1 + stamps // parameters of a row
	if t == nominationBulk {
		query = func(n int) string {
			sel := make([]string, 0, cols+len(nominationSnapshot))
			for i := 2; i <= cols; i++ { // column1 is the promised id
				sel = append(sel, "v.column"+strconv.Itoa(i))
			}
			for _, c := range nominationSnapshot {
				sel = append(sel, "coalesce(p."+c+", '')")
			}
			return `INSERT OR IGNORE INTO nomination (` + strings.Join(t.cols[1:], ", ") + `, ` + strings.Join(nominationSnapshot, ", ") + `, created_at, updated_at)
				SELECT ` + strings.Join(sel, ", ") + `, ?, ? FROM (` + multiRow(`VALUES `, n, cols) + `) AS v
				LEFT JOIN person AS p ON p.id = v.column2 ORDER BY v.column1`
		}
		values = cols
	}
	for len(rows) > 0 {
		n := min(len(rows)/cols, sqliteBatchRows)
		s, err := l.stmt(query(n))
		if err != nil {
			return err
		}
		l.args = l.args[:0]
		if values == cols { // the timestamps come before the VALUES
			l.args = append(l.args, l.stamp, l.stamp)
		}
		for i := 0; i < n; i++ {
			if values == cols {
				l.args = append(l.args, rows[i*cols:(i+1)*cols]...)
				continue
			}
			l.args = append(l.args, rows[i*cols+1:(i+1)*cols]...)
			for j := 0; j < stamps; j++ {
				l.args = append(l.args, l.stamp)
			}
		}
		res, err := s.ExecContext(l.ctx, l.args...)
		if err != nil {
			return err
		}
		if err := wrote(res, int64(n)); err != nil {
			return err
		}
		want := rows[(n-1)*cols].(int64)
		if got, err := res.LastInsertId(); err != nil || got != want {
			return fmt.Errorf("bulk insert gave the last row id %d, not %d (%v)", got, want, err)
		}
		rows = rows[n*cols:]
	}
	return nil
}

// insertTokens writes the tokens as multi-row INSERTs through the loader's
// prepared statements: compiling a statement of 384 parameters for every
// batch, as insertTokens does for the daily commands, cost as much as
// running it.
func (e *sqliteBulk) insertTokens(l *Loader, rows []any) error {
	for len(rows) > 0 {
		n := min(len(rows)/tokenCols, batchRows)
		if _, err := l.exec(multiRow(insertTokensSQL, n, tokenCols), rows[:n*tokenCols]...); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
		rows = rows[n*tokenCols:]
	}
	return nil
}

// nominationSnapshot are the person's values a nomination keeps
// (migration 0007).
var nominationSnapshot = []string{"ministry", "rank", "rank_code", "english"}

// writesSnapshots: insert gives every nomination its person's values as
// they stand when it is written.
func (e *sqliteBulk) writesSnapshots() bool { return true }

// wrote checks that an INSERT OR IGNORE (or PostgreSQL's merge) wrote every
// row it was given: the
// importer has checked every constraint itself, so a row ignored here is a
// fault, and the import must not commit without it.
func wrote(res sql.Result, want int64) error {
	got, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("bulk insert wrote %d of %d rows (a constraint refused the others)", got, want)
	}
	return nil
}

// multiRow builds `head (?, ?, …), (…)` for n rows of cols parameters.
func multiRow(head string, n, cols int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + ")"
	return head + strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
}

// redate joins person to a VALUES list a batch at a time. (Not a
// temporary table: the import changes temp_store later in its transaction,
// which SQLite refuses once a temporary table exists.)
func (e *sqliteBulk) redate(l *Loader, list []Redate, set func(mask, asof string) string) error {
	head := set("r.column2", "r.column3") + ` FROM (VALUES `
	for len(list) > 0 {
		n := min(len(list), batchRows)
		s, err := l.stmt(head + strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", n), ", ") + `) AS r WHERE r.column1 = person.id`)
		if err != nil {
			return err
		}
		l.args = l.args[:0]
		for _, r := range list[:n] {
			l.args = append(l.args, r.ID, int64(r.Mask), r.Asof)
		}
		if _, err := s.ExecContext(l.ctx, l.args...); err != nil {
			return err
		}
		list = list[n:]
	}
	return nil
}

// grown is empty: SQLite has nothing to settle (sqliteEngine.settle).
func (e *sqliteBulk) grown() []string { return nil }

// finish builds the dropped indexes again and checks the references.
func (e *sqliteBulk) finish(ctx context.Context, tx *Tx, opt ImportOptions, _ idPair) error {
	if len(e.saved) > 0 {
		// Building an index sorts its keys in runs of the cache size
		// and merges them through temporary files: in memory, those
		// would hold the whole index at once.
		if _, err := tx.ExecContext(ctx, `PRAGMA temp_store = FILE`); err != nil {
			return err
		}
		// The sorter keeps runs as large as the page cache in memory;
		// small runs merge as fast and keep the import's peak memory
		// where the rows left it.
		if _, err := tx.ExecContext(ctx, `PRAGMA cache_size = -`+strconv.Itoa(indexCacheKiB)); err != nil {
			return err
		}
		if opt.OnStage != nil {
			opt.OnStage(StageIndexes)
		}
	}
	for _, ddl := range e.saved {
		if _, err := tx.ExecContext(ctx, ddl); err != nil {
			return fmt.Errorf("rebuilding an index: %w", err)
		}
	}
	if opt.CheckForeignKeysAtEnd {
		if opt.OnStage != nil {
			opt.OnStage(StageForeignKeys)
		}
		if err := checkForeignKeys(ctx, tx); err != nil {
			return err
		}
	}
	return nil
}

// checkForeignKeys refuses the import if any row of the tables it writes
// refers to nothing. It asks what PRAGMA foreign_key_check asks, the other
// way round: the distinct values of each reference, read in order from the
// index the column leads, each looked up once in its parent table. The
// pragma looks the parent up for every row in row order, which for a sheet
// listed by date rather than by person meant a million lookups at random
// places in the person table (2.2 s, against 0.5 s for a sheet grouped by
// person).
func checkForeignKeys(ctx context.Context, tx *Tx) error {
	for _, fk := range importForeignKeys {
		var missing int64
		err := tx.QueryRowContext(ctx, `SELECT v FROM (SELECT DISTINCT `+fk.column+` AS v FROM `+fk.child+`)
			WHERE NOT EXISTS (SELECT 1 FROM `+fk.parent+` WHERE id = v) LIMIT 1`).Scan(&missing)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return err
		}
		return danglingReference(fk.child, fk.parent)
	}
	return nil
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
