package store

import (
	"context"
	"fmt"
	"slices"

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

// A search reads the index best first. A person's place in the answer is
// their best match, the smallest (rank, token) over the tokens of theirs
// the search finds, then their id:
//
//   - rank 0: a whole name or ref equal to the search (after folding),
//   - rank 1: a whole name or ref that starts with it,
//   - rank 2: a later word of a name, or a later part of a ref, that starts
//     with it;
//
// tokens compare in code point order (SQLite's BINARY, PostgreSQL's
// COLLATE "C"), so among equally good matches the names come in the
// order of their folded spelling, the same on both engines. Names are
// compared on nomtrack.SearchFold of the search, refs on nomtrack.RefFold.
// Each part of a rank is one range of the index on (kind, token,
// person_id) (migration 0019), read in that order (ORDER BY token,
// person_id is the index's own order, so neither engine sorts), and the
// parts are merged here: a listing cut at N reads about N entries. One
// query of the parts joined by UNION ALL would do on SQLite, which merges
// ordered branches, but PostgreSQL sorts every match of a UNION ALL before
// its LIMIT (docs/benchmarks.md, "Searching people").

// searchRange is one part of a rank: the tokens of one kind equal to fold
// (exact), or starting with it. after leaves out the token equal to fold,
// which the rank before has listed.
type searchRange struct {
	kind         int
	fold         string
	exact, after bool
}

// searchRanks returns the ranges of the index a search reads, rank by
// rank, best first; none when both folds of the search are empty.
func searchRanks(s string) [][]searchRange {
	var whole, start, word []searchRange
	add := func(fold string, wholeKind, partKind int) {
		if fold == "" {
			return
		}
		whole = append(whole, searchRange{kind: wholeKind, fold: fold, exact: true})
		start = append(start, searchRange{kind: wholeKind, fold: fold, after: true})
		word = append(word, searchRange{kind: partKind, fold: fold})
	}
	add(nomtrack.SearchFold(s), nomtrack.TokenNameStart, nomtrack.TokenNameWord)
	add(nomtrack.RefFold(s), nomtrack.TokenRefStart, nomtrack.TokenRefPart)
	if len(whole) == 0 {
		return nil
	}
	return [][]searchRange{whole, start, word}
}

// rangeQuery is the query of one range's matches: the token, the person's
// id, then cols (of person p), in (token, person_id) order, the order of
// the index; a person once for each of their tokens in the range.
// ministry, when set, keeps that ministry's people only. With no cols it
// reads the index alone (and ministry must be empty).
func rangeQuery(r searchRange, ministry, cols string) (query string, args []any) {
	where := fmt.Sprintf("t.kind = %d AND ", r.kind)
	switch lo, hi := nomtrack.TokenRange(r.fold); {
	case r.exact:
		where += "t.token = ?"
		args = append(args, r.fold)
	case r.after:
		where += "t.token > ? AND t.token < ?"
		args = append(args, lo, hi)
	default:
		where += "t.token >= ? AND t.token < ?"
		args = append(args, lo, hi)
	}
	const order = ` ORDER BY t.token, t.person_id`
	if cols == "" {
		return `SELECT t.token, t.person_id FROM person_search_token t WHERE ` + where + order, args
	}
	if ministry != "" {
		where += " AND p.ministry = ?"
		args = append(args, ministry)
	}
	return `SELECT t.token, t.person_id, ` + cols + ` FROM person_search_token t JOIN person p ON p.id = t.person_id WHERE ` + where + order, args
}

// rankMatch is one row of a range: a token, and its person (nil when the
// index is read alone).
type rankMatch struct {
	token  string
	id     int64
	person *nomtrack.Person
}

// before orders matches as the index does: token in code point order (Go
// compares strings by their UTF-8 bytes, which is that order, as SQLite's
// BINARY and PostgreSQL's COLLATE "C" are), then id.
func (m rankMatch) before(o rankMatch) bool {
	if m.token != o.token {
		return m.token < o.token
	}
	return m.id < o.id
}

// rangeReader reads one range of a rank a page at a time (all of it at
// once when pages are not asked for).
type rangeReader struct {
	query  string
	args   []any
	cols   bool // rows carry a person's columns
	offset int
	buf    []rankMatch
	done   bool
}

// fill reads the range's next page of size rows (0: the rest) when the
// rows read before are all taken.
func (r *rangeReader) fill(ctx context.Context, q Querier, size int) error {
	if len(r.buf) > 0 || r.done {
		return nil
	}
	query := r.query
	if size > 0 {
		query += fmt.Sprintf(" LIMIT %d OFFSET %d", size, r.offset)
	}
	rows, err := q.QueryContext(ctx, query, r.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var m rankMatch
		if r.cols {
			m.person, err = scanPerson(scanWith{s: rows, prefix: []any{&m.token, &m.id}})
		} else {
			err = rows.Scan(&m.token, &m.id)
		}
		if err != nil {
			return err
		}
		r.buf = append(r.buf, m)
		n++
	}
	r.offset += n
	r.done = size == 0 || n < size
	return rows.Err()
}

// eachRankMatch calls fn with the matches of rank's ranges merged in the
// order of the index, while fn asks for more. pageSize says how many rows
// to read of a range at a time (0: all of it).
func eachRankMatch(ctx context.Context, q Querier, rank []searchRange, ministry, cols string, pageSize func() int, fn func(rankMatch) (more bool, err error)) error {
	readers := make([]*rangeReader, len(rank))
	for i, r := range rank {
		query, args := rangeQuery(r, ministry, cols)
		readers[i] = &rangeReader{query: query, args: args, cols: cols != ""}
	}
	for {
		var next *rangeReader
		for _, r := range readers {
			if err := r.fill(ctx, q, pageSize()); err != nil {
				return err
			}
			if len(r.buf) > 0 && (next == nil || r.buf[0].before(next.buf[0])) {
				next = r
			}
		}
		if next == nil {
			return nil
		}
		m := next.buf[0]
		next.buf = next.buf[1:]
		if more, err := fn(m); err != nil || !more {
			return err
		}
	}
}

// eachSearchMatch calls fn with the people the search index finds for
// f.Search, best first, each once, and at most f.Limit of them when it is
// set; cols are scanned as personColumns. It reports whether anyone was
// found. With a limit, a range is read a page at a time (twice what is
// still wanted, as a person may match more than once) and reading stops
// at the last person listed, so neither engine reads much past it.
func eachSearchMatch(ctx context.Context, q Querier, f PersonFilter, cols string, fn func(*nomtrack.Person) error) (found bool, err error) {
	if f.Limit <= 0 {
		return eachSearchMatchByID(ctx, q, f, cols, fn)
	}
	seen := map[int64]bool{}
	pageSize := func() int { return max(2*(f.Limit-len(seen)), 16) }
	for _, rank := range searchRanks(f.Search) {
		if len(seen) >= f.Limit {
			break
		}
		err := eachRankMatch(ctx, q, rank, f.Ministry, cols, pageSize, func(m rankMatch) (bool, error) {
			if !seen[m.id] {
				seen[m.id] = true
				if err := fn(m.person); err != nil {
					return false, err
				}
			}
			return len(seen) < f.Limit, nil
		})
		if err != nil {
			return len(seen) > 0, err
		}
	}
	return len(seen) > 0, nil
}

// eachSearchMatchByID is eachSearchMatch for a whole listing: it reads
// the ranks from the index alone, then the people it found in id order, a
// batch at a time, and calls fn in the order of the index. Read in the
// order of their names, a common name's thousands of people would each be
// a lookup at a random place of the person table; in id order each page
// of it is read once, in file order (BenchmarkSearchPeople: 40,000 matches
// at 250,000 people listed in less than half the time).
func eachSearchMatchByID(ctx context.Context, q Querier, f PersonFilter, cols string, fn func(*nomtrack.Person) error) (bool, error) {
	var order []int64
	seen := map[int64]bool{}
	whole := func() int { return 0 }
	for _, rank := range searchRanks(f.Search) {
		err := eachRankMatch(ctx, q, rank, "", "", whole, func(m rankMatch) (bool, error) {
			if !seen[m.id] {
				seen[m.id] = true
				order = append(order, m.id)
			}
			return true, nil
		})
		if err != nil {
			return false, err
		}
	}
	ids := slices.Clone(order)
	slices.Sort(ids)
	people := make(map[int64]*nomtrack.Person, len(ids))
	for len(ids) > 0 {
		batch := ids[:min(len(ids), searchFetchBatch)]
		ids = ids[len(batch):]
		query, args := peopleByIDQuery(cols, batch, f.Ministry)
		err := func() error {
			rows, err := q.QueryContext(ctx, query, args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				p, err := scanPerson(rows)
				if err != nil {
					return err
				}
				people[p.ID] = p
			}
			return rows.Err()
		}()
		if err != nil {
			return false, err
		}
	}
	for _, id := range order {
		if p := people[id]; p != nil {
			if err := fn(p); err != nil {
				return true, err
			}
		}
	}
	return len(people) > 0, nil
}

// peopleByIDQuery reads cols of the people ids (of ministry, when set).
func peopleByIDQuery(cols string, ids []int64, ministry string) (string, []any) {
	query := `SELECT ` + cols + ` FROM person p WHERE p.id IN (` + placeholders(len(ids)) + `)`
	args := make([]any, 0, len(ids)+1)
	for _, id := range ids {
		args = append(args, id)
	}
	if ministry != "" {
		query += ` AND p.ministry = ?`
		args = append(args, ministry)
	}
	return query, args
}

// searchFetchBatch is how many people one query of eachSearchMatchByID
// reads by id (bound parameters; both engines take far more).
const searchFetchBatch = 500

// backfillReversedRefTokens writes the TokenRefReversed tokens of the
// people a database had before migration 0021: those nomtrack.PersonTokens
// gives for each person's ref and merged refs.
func backfillReversedRefTokens(ctx context.Context, tx *Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, ref FROM person WHERE ref IS NOT NULL
		UNION ALL SELECT person_id, value FROM person_alias WHERE kind = ?
		ORDER BY 1`, nomtrack.AliasRef)
	if err != nil {
		return err
	}
	defer rows.Close()
	var out []any
	var last int64
	seen := map[string]bool{}
	for rows.Next() {
		var id int64
		var ref string
		if err := rows.Scan(&id, &ref); err != nil {
			return err
		}
		if id != last {
			last, seen = id, map[string]bool{}
		}
		if f := nomtrack.RefFold(ref); f != "" && !seen[f] {
			seen[f] = true
			out = append(out, id, nomtrack.ReverseString(f), nomtrack.TokenRefReversed)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	return insertTokens(ctx, tx, out)
}

// refNeighboursSQL reads the tokens of kinds (a comma list) in a range,
// from the index on (kind, token, person_id) alone.
func refNeighboursSQL(kinds string) string {
	return `SELECT token, person_id FROM person_search_token WHERE kind IN (` + kinds + `) AND token >= ? AND token < ?`
}

// refSuggestion is nomtrack.Suggest of input among the refs of all people,
// read through the search index: only the refs whose fold starts or ends
// like input's and that nomtrack.RefNeighbours keeps, in ref order as
// allRefs gives them. A 250,000-person database was read whole for every
// mistyped ref (0.13 s); this reads a few thousand index entries. Input
// that folds to fewer than three characters reads every ref as before.
func refSuggestion(ctx context.Context, q Querier, input string) (string, error) {
	nb := nomtrack.NewRefNeighbours(input)
	prefix, reversedSuffix, ok := nb.Ranges()
	if !ok {
		refs, err := allRefs(ctx, q)
		if err != nil {
			return "", err
		}
		return nomtrack.Suggest(input, refs), nil
	}
	var ids []any
	seen := map[int64]bool{}
	// A ref's fold is stored once per person with the best kind of the
	// token: when a name folds to it too, as a name's (kind 0 or 1). So the
	// refs that start like input are looked for among those kinds too;
	// names that happen to match only add people whose refs Suggest weighs.
	for _, r := range []struct {
		from     string
		kinds    string
		reversed bool
	}{
		{prefix, fmt.Sprintf("%d, %d, %d", nomtrack.TokenNameStart, nomtrack.TokenNameWord, nomtrack.TokenRefStart), false},
		{reversedSuffix, fmt.Sprint(nomtrack.TokenRefReversed), true},
	} {
		lo, hi := nomtrack.TokenRange(r.from)
		rows, err := q.QueryContext(ctx, refNeighboursSQL(r.kinds), lo, hi)
		if err != nil {
			return "", err
		}
		for rows.Next() {
			var token string
			var id int64
			if err := rows.Scan(&token, &id); err != nil {
				rows.Close()
				return "", err
			}
			if r.reversed {
				token = nomtrack.ReverseString(token)
			}
			if !seen[id] && nb.Keep(token) {
				seen[id] = true
				ids = append(ids, id)
			}
		}
		if err := rows.Close(); err != nil {
			return "", err
		}
	}
	if len(ids) == 0 {
		return "", nil
	}
	var refs []string
	for len(ids) > 0 {
		n := min(len(ids), batchRows)
		rows, err := q.QueryContext(ctx, `SELECT ref FROM person WHERE ref IS NOT NULL AND id IN (`+placeholders(n)+`)`, ids[:n]...)
		if err != nil {
			return "", err
		}
		batch, err := scanColumn(rows)
		if err != nil {
			return "", err
		}
		refs = append(refs, batch...)
		ids = ids[n:]
	}
	slices.Sort(refs)
	return nomtrack.Suggest(input, refs), nil
}
