package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kinds of value Complete offers, for shell completion.
const (
	CompleteCourse     = "course"
	CompleteOffering   = "offering"
	CompletePerson     = "person"
	CompleteNomination = "nomination"
	CompleteMinistry   = "ministry"
	CompleteArea       = "area"
)

// completer is the function that finds at most limit values of one kind starting with a prefix.
// A completion runs at every TAB, so each reads an index in order and stops
// at its limit: on the 1M-nomination database none reads more rows than it
// returns, but for the course catalogue (a few hundred rows).
func completer(kind string) func(ctx context.Context, q Querier, prefix string, limit int) ([]string, error) {
	switch kind {
	case CompleteCourse:
		return completeCourse
	case CompleteOffering:
		return completeOffering
	case CompletePerson:
		return completePerson
	case CompleteNomination:
		return completeNomination
	case CompleteMinistry:
		return completeMinistry
	case CompleteArea:
		return completeArea
	}
	return nil
}

// Complete returns up to limit values of kind (a Complete* constant) that
// start with prefix: what a shell offers after a TAB. Codes, references and
// areas match ignoring case; refs and names as typed or capitalised.
func (db *DB) Complete(ctx context.Context, kind, prefix string, limit int) ([]string, error) {
	fn := completer(kind)
	if fn == nil || limit <= 0 {
		return nil, nil
	}
	var out []string
	err := db.View(ctx, func(q Querier) (err error) {
		out, err = fn(ctx, q, prefix, limit)
		return err
	})
	return out, err
}

// collect adds the first column of each row of query to out, skipping
// empty values and values already in out, until out holds limit values.
func collect(ctx context.Context, q Querier, out []string, limit int, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return out, fmt.Errorf("complete: %w", err)
	}
	defer rows.Close()
	for rows.Next() && len(out) < limit {
		var v string
		if err := rows.Scan(&v); err != nil {
			return out, fmt.Errorf("complete: %w", err)
		}
		if v != "" && !containsString(out, v) {
			out = append(out, v)
		}
	}
	return out, rows.Err()
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// upperPrefix is a LIKE pattern matching text whose upper case starts with
// prefix's, for `upper(col) LIKE ?`: LIKE ignores case on SQLite but not on
// PostgreSQL, upper() works on both.
func upperPrefix(prefix string) string {
	return escapeLike(strings.ToUpper(prefix)) + "%"
}

func completeCourse(ctx context.Context, q Querier, prefix string, limit int) ([]string, error) {
	return collect(ctx, q, nil, limit, `SELECT code FROM course WHERE upper(code) LIKE ? ESCAPE '\' ORDER BY code LIMIT ?`,
		upperPrefix(prefix), limit)
}

// completeOffering offers references CODE@DATE, newest first. Before the
// @ the prefix matches course codes; after it, the course is the one named
// and the prefix matches start dates. The newest first order is the
// offering_start index read backwards, so an empty prefix reads limit rows.
func completeOffering(ctx context.Context, q Querier, prefix string, limit int) ([]string, error) {
	const sel = `SELECT c.code || '@' || o.start FROM offering o JOIN course c ON c.id = o.course_id WHERE `
	const order = ` ORDER BY o.start DESC, o.id DESC LIMIT ?`
	if code, start, ok := strings.Cut(prefix, "@"); ok {
		// course.code ignores case (COLLATE NOCASE; citext on PostgreSQL), so
		// this is one seek of its unique index, then the course's offerings.
		return collect(ctx, q, nil, limit, sel+`c.code = ? AND o.start LIKE ? ESCAPE '\'`+order,
			code, escapeLike(start)+"%", limit)
	}
	if prefix == "" {
		return collect(ctx, q, nil, limit, sel+`1 = 1`+order, limit)
	}
	return collect(ctx, q, nil, limit, sel+`upper(c.code) LIKE ? ESCAPE '\'`+order, upperPrefix(prefix), limit)
}

// prefixForms are the spellings a typed prefix of a ref or name is looked
// up in, each as an index range: as typed, capitalised (ali → Ali) and in
// capitals (mod-1 → MOD-1).
func prefixForms(prefix string) []string {
	forms := []string{prefix}
	if r, n := utf8.DecodeRuneInString(prefix); n > 0 && unicode.IsLower(r) {
		forms = append(forms, string(unicode.ToUpper(r))+prefix[n:])
	}
	if up := strings.ToUpper(prefix); !containsString(forms, up) {
		forms = append(forms, up)
	}
	return forms
}

// completePerson offers refs, then names. Each form of the prefix is a
// range of the column's index (person.ref's unique index; person_name,
// migration 0017) checked again with LIKE, so the index bounds the read
// whatever the engine's collation.
func completePerson(ctx context.Context, q Querier, prefix string, limit int) ([]string, error) {
	var out []string
	var err error
	for _, col := range []string{"ref", "name"} {
		for _, p := range prefixForms(prefix) {
			if len(out) >= limit {
				return out, nil
			}
			out, err = collect(ctx, q, out, limit, `SELECT DISTINCT `+col+` FROM person WHERE `+col+` >= ? AND `+col+` < ? AND `+col+
				` LIKE ? ESCAPE '\' ORDER BY `+col+` LIMIT ?`, p, p+"\U0010FFFF", escapeLike(p)+"%", limit-len(out))
			if err != nil {
				return out, err
			}
		}
	}
	return out, nil
}

// completeNomination offers nomination ids, newest (highest) first. The ids
// starting with the digits P are P itself, P0-P9, P00-P99 …: one range of
// the primary key per length up to the highest id's, longest first.
//
// The text column is named id_text and the order names nomination.id: on
// PostgreSQL an unnamed CAST(id AS TEXT) is itself called id, and ORDER BY
// id would then sort the text (99 before 248).
func completeNomination(ctx context.Context, q Querier, prefix string, limit int) ([]string, error) {
	if prefix == "" {
		return collect(ctx, q, nil, limit, `SELECT CAST(id AS TEXT) AS id_text FROM nomination ORDER BY nomination.id DESC LIMIT ?`, limit)
	}
	p, err := strconv.ParseInt(prefix, 10, 64)
	if err != nil || p <= 0 || prefix[0] == '0' || len(prefix) > 18 {
		return nil, nil // not the start of an id
	}
	var maxID int64
	if err := q.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM nomination`).Scan(&maxID); err != nil {
		return nil, fmt.Errorf("complete: %w", err)
	}
	extra := len(strconv.FormatInt(maxID, 10)) - len(prefix)
	var out []string
	for k := extra; k >= 0 && len(out) < limit; k-- {
		scale := int64(1)
		for range k {
			scale *= 10
		}
		out, err = collect(ctx, q, out, limit, `SELECT CAST(id AS TEXT) AS id_text FROM nomination WHERE id >= ? AND id < ? ORDER BY nomination.id DESC LIMIT ?`,
			p*scale, (p+1)*scale, limit-len(out))
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// completeMinistry offers the ministries people are stored under, in
// order. A ministry is shared by thousands of people, so it steps through
// the distinct values of the person_ministry index, one seek each, instead
// of reading every person; it stops after a few hundred distinct values.
func completeMinistry(ctx context.Context, q Querier, prefix string, limit int) ([]string, error) {
	var out []string
	want := strings.ToUpper(prefix)
	last := ""
	for range 500 {
		var next *string
		if err := q.QueryRowContext(ctx, `SELECT min(ministry) FROM person WHERE ministry > ?`, last).Scan(&next); err != nil {
			return out, fmt.Errorf("complete: %w", err)
		}
		if next == nil {
			break
		}
		last = *next
		if strings.HasPrefix(strings.ToUpper(last), want) {
			if out = append(out, last); len(out) >= limit {
				break
			}
		}
	}
	return out, nil
}

func completeArea(ctx context.Context, q Querier, prefix string, limit int) ([]string, error) {
	return collect(ctx, q, nil, limit, `SELECT DISTINCT area FROM course WHERE upper(area) LIKE ? ESCAPE '\' ORDER BY area LIMIT ?`,
		upperPrefix(prefix), limit)
}
