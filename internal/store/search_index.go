package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// The search index (person_search_token, migration 0015) holds every
// person's nomtrack.PersonTokens. Whatever writes a person's name, Arabic
// name, ref or aliases calls indexPerson in the same transaction; the
// import loader queues the tokens of the people it adds with their rows.

// tokenCols is the number of values of one person_search_token row.
const tokenCols = 3

// insertTokensSQL is the head of a multi-row INSERT of tokens.
const insertTokensSQL = `INSERT INTO person_search_token (person_id, token, kind) VALUES `

// indexPerson replaces the search tokens of person id with those of its
// stored names, ref and aliases. A person that no longer exists is left
// with none.
func indexPerson(ctx context.Context, tx *Tx, id int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM person_search_token WHERE person_id = ?`, id); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	p, err := personByID(ctx, tx, id)
	if err != nil || p == nil {
		return err
	}
	aliases, err := personAliases(ctx, tx, id)
	if err != nil {
		return err
	}
	return insertTokens(ctx, tx, tokenRows(nil, id, nomtrack.PersonTokens(*p, aliases)))
}

// tokenRows appends the rows (person_id, token, kind) of tokens to rows.
func tokenRows(rows []any, id int64, tokens []nomtrack.SearchToken) []any {
	for _, t := range tokens {
		rows = append(rows, id, t.Token, t.Kind)
	}
	return rows
}

// insertTokens writes rows of tokenCols values, batchRows rows a statement.
func insertTokens(ctx context.Context, tx *Tx, rows []any) error {
	for len(rows) > 0 {
		n := min(len(rows)/tokenCols, batchRows)
		if _, err := tx.ExecContext(ctx, multiRow(insertTokensSQL, n, tokenCols), rows[:n*tokenCols]...); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
		rows = rows[n*tokenCols:]
	}
	return nil
}

// rebuildSearchIndex computes the tokens of every person anew: the
// migration runner's backfill for 0015, and what the tests compare the
// maintained index with (SearchIndexDrift).
func rebuildSearchIndex(ctx context.Context, tx *Tx) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM person_search_token`); err != nil {
		return err
	}
	want, err := computedTokens(ctx, tx)
	if err != nil {
		return err
	}
	var rows []any
	for _, t := range want {
		rows = append(rows, t.id, t.token, t.kind)
	}
	return insertTokens(ctx, tx, rows)
}

// indexRow is one row of person_search_token.
type indexRow struct {
	id    int64
	token string
	kind  int
}

// computedTokens returns the rows the index should hold: every person's
// tokens, from the stored names, refs and aliases, in id order.
func computedTokens(ctx context.Context, q Querier) ([]indexRow, error) {
	people, err := queryPeople(ctx, q, `SELECT `+personColumns+` FROM person p ORDER BY p.id`)
	if err != nil {
		return nil, err
	}
	aliases := map[int64][]nomtrack.Alias{}
	rows, err := q.QueryContext(ctx, `SELECT person_id, kind, value, ministry FROM person_alias ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var a nomtrack.Alias
		if err := rows.Scan(&id, &a.Kind, &a.Value, &a.Ministry); err != nil {
			return nil, err
		}
		aliases[id] = append(aliases[id], a)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []indexRow
	for _, p := range people {
		for _, t := range nomtrack.PersonTokens(*p, aliases[p.ID]) {
			out = append(out, indexRow{p.ID, t.Token, t.Kind})
		}
	}
	return out, nil
}

// SearchIndexDrift compares the search index with a recomputation from the
// people as stored and returns the rows that differ ("+" missing from the
// index, "-" in the index but not computed), sorted; none when they agree.
// Tests call it after every kind of write; `db check` could too.
func (db *DB) SearchIndexDrift(ctx context.Context) ([]string, error) {
	var drift []string
	err := db.View(ctx, func(q Querier) error {
		want, err := computedTokens(ctx, q)
		if err != nil {
			return err
		}
		count := map[indexRow]int{}
		for _, r := range want {
			count[r]++
		}
		rows, err := q.QueryContext(ctx, `SELECT person_id, token, kind FROM person_search_token ORDER BY person_id, token, kind`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r indexRow
			if err := rows.Scan(&r.id, &r.token, &r.kind); err != nil {
				return err
			}
			count[r]--
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for r, n := range count {
			for ; n > 0; n-- {
				drift = append(drift, fmt.Sprintf("+ %d %q %d", r.id, r.token, r.kind))
			}
			for ; n < 0; n++ {
				drift = append(drift, fmt.Sprintf("- %d %q %d", r.id, r.token, r.kind))
			}
		}
		return nil
	})
	slices.Sort(drift)
	return drift, err
}

// searchMatches is the subquery of the tokens a search matches through the
// index, with the rank of each match (person_id, r; a person once for each
// token matched): 0 a whole name or ref, 1 a name or ref that starts with
// the search, 2 a later word of a name or part of a ref. Names are compared
// on nomtrack.SearchFold of the search, refs on nomtrack.RefFold; a fold
// that is empty matches nothing.
func searchMatches(s string) (query string, args []any) {
	var parts []string
	if f := nomtrack.SearchFold(s); f != "" {
		lo, hi := nomtrack.TokenRange(f)
		parts = append(parts, `SELECT person_id, CASE WHEN kind = 0 AND token = ? THEN 0 WHEN kind = 0 THEN 1 ELSE 2 END AS r
			FROM person_search_token WHERE token >= ? AND token < ? AND kind <= 1`)
		args = append(args, f, lo, hi)
	}
	if f := nomtrack.RefFold(s); f != "" {
		lo, hi := nomtrack.TokenRange(f)
		parts = append(parts, `SELECT person_id, CASE WHEN kind = 2 AND token = ? THEN 0 WHEN kind = 2 THEN 1 ELSE 2 END AS r
			FROM person_search_token WHERE token >= ? AND token < ? AND kind >= 2`)
		args = append(args, f, lo, hi)
	}
	if len(parts) == 0 {
		return "", nil
	}
	return strings.Join(parts, " UNION ALL "), args
}
