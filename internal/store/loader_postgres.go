package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// postgresBulk is how an import writes into PostgreSQL: each batch of
// queued rows goes through COPY into a temporary staging table of the
// transaction, and one INSERT … SELECT merges the batch into its table,
// set-wise. Indexes and references stay as they are: dropping
// an index takes a lock that would block every reader until the commit,
// and a reader is never blocked by an import (it sees the programme as it
// was before the import until the import commits). The whole import is
// one transaction: cancelled, killed or cut off, it leaves nothing.
type postgresBulk struct {
	// first are the ids nextIDs handed out, to know at the end whether
	// the id sequences must move.
	first idPair
}

func (*postgresEngine) bulk(*DB) bulkEngine { return &postgresBulk{} }

// postgresBatchRows is how many rows of a table are queued before they are
// staged and merged: a batch costs a few round trips to the server, and
// reads of queued records are answered from the queue. Two batches are
// held while one is merged in the background (background), within the
// import's heap limit (internal/cli): with 16,384 rows the collector ran
// back to back and the importer's CPU time doubled (11 s instead of 5 s
// at 200,000 rows).
const postgresBatchRows = 4096

// snapshotCols are the person's values a nomination keeps (migration
// 0007), staged with the nomination.
var snapshotCols = []string{"ministry", "rank", "rank_code", "english"}

// stageTable names the staging table of t (temporary, dropped at commit).
func stageTable(t *bulkTable) string { return "nomtrack_stage_" + t.name }

func (e *postgresBulk) batchRows() int { return postgresBatchRows }

// background: the server merges a batch while the importer reads and
// checks the next one, so the import's two halves use both cores of a
// small machine instead of taking turns. (At 200,000 rows on a loaded
// 2-core machine the importer spends about 5 s of CPU time and the
// server about 9 s.)
func (e *postgresBulk) background() bool { return true }

func (e *postgresBulk) session(context.Context, ImportOptions) (func(), error) {
	return func() {}, nil
}

// tokenStage is the staging table of the search tokens of the people a
// batch adds (person_search_token's columns).
const tokenStage = "nomtrack_stage_token"

// begin creates the staging tables: columns of the queued values, typed
// as the table's, without constraints; ON COMMIT DROP, so they live and
// die with the transaction.
func (e *postgresBulk) begin(ctx context.Context, tx *Tx, _ ImportOptions) error {
	if _, err := tx.ExecContext(ctx, `CREATE TEMPORARY TABLE `+tokenStage+` (person_id BIGINT, token TEXT, kind BIGINT) ON COMMIT DROP`); err != nil {
		return err
	}
	for _, t := range []*bulkTable{personBulk, nominationBulk} {
		cols := t.cols
		if t == nominationBulk {
			cols = append(append([]string(nil), cols...), snapshotCols...)
		}
		defs := make([]string, len(cols))
		for i, c := range cols {
			typ := "TEXT"
			if c == "id" || strings.HasSuffix(c, "_id") {
				typ = "BIGINT"
			}
			defs[i] = c + " " + typ
		}
		if _, err := tx.ExecContext(ctx, `CREATE TEMPORARY TABLE `+stageTable(t)+` (`+strings.Join(defs, ", ")+`) ON COMMIT DROP`); err != nil {
			return err
		}
	}
	return nil
}

// nextIDs: ids are identities; the highest ever handed out is the
// sequence's last value (NULL before the first), or a higher id inserted
// explicitly before. Writers hold the writers' lock (postgresEngine), so
// no other nomtrack writer takes an id until the import commits.
func (e *postgresBulk) nextIDs(ctx context.Context, tx *Tx) (idPair, error) {
	var last idPair
	err := tx.QueryRowContext(ctx, `SELECT
		greatest((SELECT coalesce(max(id), 0) FROM person), coalesce(pg_sequence_last_value(pg_get_serial_sequence('person', 'id')::regclass), 0)),
		greatest((SELECT coalesce(max(id), 0) FROM nomination), coalesce(pg_sequence_last_value(pg_get_serial_sequence('nomination', 'id')::regclass), 0))`).
		Scan(&last.person, &last.nomination)
	e.first = idPair{last.person + 1, last.nomination + 1}
	return e.first, err
}

// insert stages the rows through COPY and merges them. A nomination is
// staged with its person's ministry, rank, rank code and English when the
// person is in the batch (the usual case: a sheet lists a person's rows
// together); snapshotNominations fills in the others, and those whose
// person a later row changed, at the end. (Joining the person table in
// the merge instead cost a scan of it, or a probe per row, every batch.)
// The importer has checked every constraint itself, so a row the merge
// refuses is a fault that stops the import, as on SQLite. (ON CONFLICT DO
// NOTHING with a count afterwards, SQLite's way, made the merge about a
// third slower: PostgreSQL then probes every unique index before each row.)
func (e *postgresBulk) insert(l *Loader, t *bulkTable, rows []any) error {
	n := len(rows) / len(t.cols)
	stage := stageTable(t)
	cols := len(t.cols)
	names := t.cols
	values := func(i int) ([]any, error) { return rows[i*cols : (i+1)*cols], nil }
	if t == nominationBulk {
		names = append(append([]string(nil), t.cols...), snapshotCols...)
		row := make([]any, len(names))
		values = func(i int) ([]any, error) {
			copy(row, rows[i*cols:(i+1)*cols])
			snap := row[cols:]
			if p := l.writing.person(row[1].(int64)); p != nil {
				snap[0], snap[1], snap[2], snap[3] = p[personAt.ministry], p[personAt.rank], p[personAt.rankCode], p[personAt.english]
			} else {
				snap[0], snap[1], snap[2], snap[3] = "", "", "", ""
			}
			return row, nil
		}
	}
	if err := copyInto(l, stage, names, n, values); err != nil {
		return err
	}
	list := strings.Join(names, ", ")
	res, err := l.execBatch(`INSERT INTO `+t.name+` (`+list+`, created_at, updated_at) SELECT `+list+`, ?, ? FROM `+stage+` ORDER BY id`, l.stamp, l.stamp)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && strings.HasPrefix(pe.Code, "23") { // integrity_constraint_violation
		for _, fk := range importForeignKeys {
			if pe.Code == pgForeignKeyViolation && pe.TableName == fk.child && pe.ConstraintName == fk.child+"_"+fk.column+"_fkey" {
				return danglingReference(fk.child, fk.parent)
			}
		}
		return fmt.Errorf("bulk insert of %s: constraint %s refused a row the import had checked", t.name, constraintName(pe))
	}
	if err != nil {
		return err
	}
	if err := wrote(res, int64(n)); err != nil {
		return err
	}
	_, err = l.execBatch(`TRUNCATE ` + stage)
	return err
}

// copyInto sends n rows (values gives row i) into the staging table
// through COPY.
func copyInto(l *Loader, stage string, names []string, n int, values func(i int) ([]any, error)) error {
	return l.tx.pgConn(func(c *pgx.Conn) error {
		_, err := c.CopyFrom(l.ctx, pgx.Identifier{stage}, names, pgx.CopyFromSlice(n, values))
		return err
	})
}

// insertTokens stages the tokens through COPY and merges them in one
// INSERT … SELECT. (As multi-row INSERTs of 128 rows, the other writers'
// way, the 500,000 tokens of 50,000 people took 4,000 statements and
// 11-16 s of the server's time on a loaded machine, more than the
// nominations.)
func (e *postgresBulk) insertTokens(l *Loader, rows []any) error {
	n := len(rows) / tokenCols
	if n == 0 {
		return nil
	}
	err := copyInto(l, tokenStage, []string{"person_id", "token", "kind"}, n, func(i int) ([]any, error) {
		return rows[i*tokenCols : (i+1)*tokenCols], nil
	})
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	res, err := l.execBatch(`INSERT INTO person_search_token (person_id, token, kind) SELECT person_id, token, kind FROM ` + tokenStage)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	if err := wrote(res, int64(n)); err != nil {
		return err
	}
	_, err = l.execBatch(`TRUNCATE ` + tokenStage)
	return err
}

// redateStage holds RedatePeople's list on the server.
const redateStage = "nomtrack_stage_redate"

// redate copies the list into a staging table and updates every person on
// it in one statement.
func (e *postgresBulk) redate(l *Loader, list []Redate, set func(mask, asof string) string) error {
	if _, err := l.exec(`CREATE TEMPORARY TABLE IF NOT EXISTS ` + redateStage + ` (id BIGINT, mask BIGINT, asof TEXT) ON COMMIT DROP`); err != nil {
		return err
	}
	if _, err := l.exec(`TRUNCATE ` + redateStage); err != nil {
		return err
	}
	err := l.tx.pgConn(func(c *pgx.Conn) error {
		_, err := c.CopyFrom(l.ctx, pgx.Identifier{redateStage}, []string{"id", "mask", "asof"}, pgx.CopyFromSlice(len(list), func(i int) ([]any, error) {
			return []any{list[i].ID, int64(list[i].Mask), list[i].Asof}, nil
		}))
		return err
	})
	if err != nil {
		return err
	}
	_, err = l.exec(set("r.mask", "r.asof") + ` FROM ` + redateStage + ` r WHERE r.id = person.id`)
	return err
}

// finish moves the id sequences past the ids the import gave, so that the
// next record made one at a time does not take one of them. (setval is not
// undone by a rollback; a sequence that moved past ids never used only
// skips them.)
func (e *postgresBulk) finish(ctx context.Context, tx *Tx, opt ImportOptions, next idPair) error {
	if opt.Rollback {
		return nil // nothing is kept: the sequences stay
	}
	for _, s := range []struct {
		table       string
		first, next int64
	}{{"person", e.first.person, next.person}, {"nomination", e.first.nomination, next.nomination}} {
		if s.next == s.first {
			continue
		}
		if _, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence(?, 'id'), ?)`, s.table, s.next-1); err != nil {
			return err
		}
	}
	return nil
}
