package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// postgresBulk is how an import writes into PostgreSQL: each batch of
// queued rows goes through COPY straight into its table (every queued row
// is new, and checked by the importer). Indexes and references stay as
// they are: dropping
// an index takes a lock that would block every reader until the commit,
// and a reader is never blocked by an import (it sees the programme as it
// was before the import until the import commits). The whole import is
// one transaction: cancelled, killed or cut off, it leaves nothing.
type postgresBulk struct {
	// first are the ids nextIDs handed out, to know at the end whether
	// the id sequences must move.
	first idPair
	// held are about how many people and nominations the tables held
	// before the import (the server's estimate), and added how many it
	// added: together they say which tables to settle (grown).
	held, added idPair
}

func (*postgresEngine) bulk(*DB) bulkEngine { return &postgresBulk{} }

// postgresBatchRows is how many rows of a table are queued before they are
// copied: a batch costs a few round trips to the server, and
// reads of queued records are answered from the queue. Two batches are
// held while one is written in the background (background), within the
// import's heap limit (internal/cli): with 16,384 rows the collector ran
// back to back and the importer's CPU time doubled (11 s instead of 5 s
// at 200,000 rows).
const postgresBatchRows = 4096

// snapshotCols are the person's values a nomination keeps (migration
// 0007), copied with the nomination.
var snapshotCols = []string{"ministry", "rank", "rank_code", "english"}

func (e *postgresBulk) batchRows() int { return postgresBatchRows }

// background: the server writes a batch while the importer reads and
// checks the next one, so the import's two halves use both cores of a
// small machine instead of taking turns. (At 200,000 rows on a loaded
// 2-core machine the importer spends about 5 s of CPU time and the
// server about 9 s.)
func (e *postgresBulk) background() bool { return true }

func (e *postgresBulk) session(context.Context, ImportOptions) (func(), error) {
	return func() {}, nil
}

// begin has nothing to ready: the rows go straight into their tables.
func (e *postgresBulk) begin(context.Context, *Tx, ImportOptions) error { return nil }

// nextIDs: ids are identities; the highest ever handed out is the
// sequence's last value (NULL before the first), or a higher id inserted
// explicitly before. Writers hold the writers' lock (postgresEngine), so
// no other nomtrack writer takes an id until the import commits.
//
// It also reads the server's estimate of the rows each table holds
// (pg_class.reltuples, -1 before the first VACUUM or ANALYZE), for grown.
func (e *postgresBulk) nextIDs(ctx context.Context, tx *Tx) (idPair, error) {
	var last idPair
	err := tx.QueryRowContext(ctx, `SELECT
		greatest((SELECT coalesce(max(id), 0) FROM person), coalesce(pg_sequence_last_value(pg_get_serial_sequence('person', 'id')::regclass), 0)),
		greatest((SELECT coalesce(max(id), 0) FROM nomination), coalesce(pg_sequence_last_value(pg_get_serial_sequence('nomination', 'id')::regclass), 0)),
		(SELECT greatest(reltuples, 0)::BIGINT FROM pg_class WHERE oid = 'person'::regclass),
		(SELECT greatest(reltuples, 0)::BIGINT FROM pg_class WHERE oid = 'nomination'::regclass)`).
		Scan(&last.person, &last.nomination, &e.held.person, &e.held.nomination)
	e.first = idPair{last.person + 1, last.nomination + 1}
	return e.first, err
}

// insert copies the rows straight into t's table. Every row is new: the
// loader promised its id, above every id ever used (nextIDs), and the
// importer has checked every constraint itself, so staging the rows and
// merging them with INSERT … SELECT only copied each row twice (at
// 200,000 nominations the staging COPYs and merges of people and
// nominations were about a third of the server's time). COPY takes the
// same lock as INSERT, so readers go on as before. A row the server
// refuses is a fault that stops the import, as on SQLite. (ON CONFLICT DO
// NOTHING with a count afterwards, SQLite's way, made the merge about a
// third slower: PostgreSQL then probes every unique index before each row.)
//
// A nomination is written with its person's ministry, rank, rank code and
// English when the person is in the batch (the usual case: a sheet lists
// a person's rows together); snapshotNominations fills in the others, and
// those whose person a later row changed, at the end. (Joining the person
// table instead cost a scan of it, or a probe per row, every batch.)
func (e *postgresBulk) insert(l *Loader, t *bulkTable, rows []any) error {
	n := len(rows) / len(t.cols)
	cols := len(t.cols)
	names := t.cols
	if t == nominationBulk {
		names = append(append([]string(nil), names...), snapshotCols...)
	}
	names = append(append([]string(nil), names...), "created_at", "updated_at")
	row := make([]any, len(names))
	row[len(row)-2], row[len(row)-1] = l.stamp, l.stamp
	values := func(i int) ([]any, error) {
		copy(row, rows[i*cols:(i+1)*cols])
		if t == nominationBulk {
			snap := row[cols : cols+len(snapshotCols)]
			if p := l.writing.person(row[1].(int64)); p != nil {
				snap[0], snap[1], snap[2], snap[3] = p[personAt.ministry], p[personAt.rank], p[personAt.rankCode], p[personAt.english]
			} else {
				snap[0], snap[1], snap[2], snap[3] = "", "", "", ""
			}
		}
		return row, nil
	}
	got, err := copyInto(l, t.name, names, n, values)
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
	if got != int64(n) {
		return fmt.Errorf("bulk insert of %s wrote %d of %d rows", t.name, got, n)
	}
	return nil
}

// copyInto sends n rows (values gives row i) into table through COPY and
// returns how many the server took.
func copyInto(l *Loader, table string, names []string, n int, values func(i int) ([]any, error)) (got int64, err error) {
	err = l.tx.pgConn(func(c *pgx.Conn) error {
		got, err = c.CopyFrom(l.ctx, pgx.Identifier{table}, names, pgx.CopyFromSlice(n, values))
		return err
	})
	return got, err
}

// insertTokens copies the tokens straight into person_search_token: they
// are all new (the tokens of the people insert has just written), the
// table has no unique key a row could break and, since migration 0023, no
// reference checked row by row, so staging them first would only copy
// them twice. (As multi-row INSERTs of 128 rows, the other writers' way,
// the 500,000 tokens of 50,000 people took 4,000 statements and 11-16 s
// of the server's time on a loaded machine; staged and merged with
// INSERT … SELECT, 9.3 s at 200,000 nominations, half of it the check of
// each token's person.)
func (e *postgresBulk) insertTokens(l *Loader, rows []any) error {
	n := len(rows) / tokenCols
	if n == 0 {
		return nil
	}
	sorted := sortedTokens(rows, n)
	row := make([]any, tokenCols)
	got, err := copyInto(l, "person_search_token", []string{"person_id", "token", "kind"}, n, func(i int) ([]any, error) {
		t := &sorted[i]
		row[0], row[1], row[2] = t.id, t.token, t.kind
		return row, nil
	})
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	if got != int64(n) {
		return fmt.Errorf("search index: wrote %d of %d tokens", got, n)
	}
	return nil
}

// sortedTokens returns the n token rows in the order of the search index
// (kind, token, person), the order they are copied in, so that the server
// inserts neighbouring index entries one after the other instead of all
// over the index (about a tenth of the import's server time at 200,000
// nominations).
func sortedTokens(rows []any, n int) []indexRow {
	out := make([]indexRow, n)
	for i := range out {
		r := rows[i*tokenCols : (i+1)*tokenCols]
		out[i] = indexRow{id: r[0].(int64), token: r[1].(string), kind: r[2].(int)}
	}
	slices.SortFunc(out, func(a, b indexRow) int {
		return cmp.Or(cmp.Compare(a.kind, b.kind), strings.Compare(a.token, b.token), cmp.Compare(a.id, b.id))
	})
	return out
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
	e.added = idPair{next.person - e.first.person, next.nomination - e.first.nomination}
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

// An import settles (engine.settle) each table it grew by at least
// settleRows plus settleShare of the rows the table held before:
// PostgreSQL's defaults for when autovacuum vacuums a table that rows
// were inserted into (autovacuum_vacuum_insert_threshold and
// autovacuum_vacuum_insert_scale_factor). So the import does at once what
// autovacuum would soon do anyway, and a small import into a large
// programme does not wait for a VACUUM.
const (
	settleRows  = 1000
	settleShare = 0.2
)

// grown names the tables the import grew past settleRows and
// settleShare: the people with their search tokens (about ten a person),
// and the nominations.
func (e *postgresBulk) grown() []string {
	grew := func(added, held int64) bool { return float64(added) >= settleRows+settleShare*float64(held) }
	var tables []string
	if grew(e.added.person, e.held.person) {
		tables = append(tables, "person", "person_search_token")
	}
	if grew(e.added.nomination, e.held.nomination) {
		tables = append(tables, "nomination")
	}
	return tables
}
