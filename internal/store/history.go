package store

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// SourceMerge is the source of the person changes a merge makes.
const SourceMerge = "merge"

// personDateNames are the person's date columns (migration 0008), in
// nomtrack.DatedFields order; personDateSets assigns them, one parameter
// each.
// Both are built on first use, not at start-up.
var (
	personDateNames = sync.OnceValue(func() string { return strings.Join(dateColumns(), ", ") })
	personDateSets  = sync.OnceValue(func() string { return strings.Join(dateColumns(), " = ?, ") + " = ?" })
)

func dateColumns() []string {
	cols := make([]string, len(nomtrack.DatedFields))
	for i, f := range nomtrack.DatedFields {
		cols[i] = f + "_asof"
	}
	return cols
}

func datesArgs(d nomtrack.PersonDates) []any {
	args := make([]any, len(d))
	for i, v := range d {
		args[i] = v
	}
	return args
}

// readPersonDated reads a person with the dates of its values.
func readPersonDated(ctx context.Context, q Querier, id int64) (*nomtrack.Person, nomtrack.PersonDates, error) {
	var d nomtrack.PersonDates
	p := &nomtrack.Person{}
	dst := []any{&p.ID, &p.Ref, &p.Name, &p.NameAr, &p.Ministry, &p.Rank, &p.RankCode, &p.Position, &p.Gender, &p.English, &p.Email, &p.Phone}
	for i := range d {
		dst = append(dst, &d[i])
	}
	err := q.QueryRowContext(ctx, `SELECT `+personColumns+`, `+personDateNames()+` FROM person p WHERE p.id = ?`, id).Scan(dst...)
	return p, d, err
}

// recordPersonChanges appends changes to a person's history, stamped with
// the transaction's clock and actor.
func recordPersonChanges(ctx context.Context, tx *Tx, personID int64, changes []nomtrack.FieldChange, source string) error {
	for _, c := range changes {
		if _, err := tx.ExecContext(ctx, `INSERT INTO person_change (person_id, at, actor, field, from_value, to_value, source) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			personID, tx.Stamp(), tx.Actor, c.Field, c.From, c.To, source); err != nil {
			return fmt.Errorf("record person change: %w", err)
		}
	}
	return nil
}

// PersonHistory returns every change of person id's fields, oldest first.
func (db *DB) PersonHistory(ctx context.Context, id int64) ([]nomtrack.PersonChange, error) {
	out := []nomtrack.PersonChange{}
	err := db.View(ctx, func(q Querier) error {
		rows, err := q.QueryContext(ctx, `SELECT person_id, at, actor, field, from_value, to_value, source FROM person_change
			WHERE person_id = ? ORDER BY at, id`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c nomtrack.PersonChange
			var at string
			if err := rows.Scan(&c.PersonID, &at, &c.Actor, &c.Field, &c.From, &c.To, &c.Source); err != nil {
				return err
			}
			c.At = readStamp(at)
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}

// PersonAliases returns the refs and spellings merged into person id.
func (db *DB) PersonAliases(ctx context.Context, id int64) ([]nomtrack.Alias, error) {
	var out []nomtrack.Alias
	err := db.View(ctx, func(q Querier) (err error) {
		out, err = personAliases(ctx, q, id)
		return err
	})
	return out, err
}

func personAliases(ctx context.Context, q Querier, id int64) ([]nomtrack.Alias, error) {
	out := []nomtrack.Alias{}
	rows, err := q.QueryContext(ctx, `SELECT kind, value, ministry FROM person_alias WHERE person_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var a nomtrack.Alias
		if err := rows.Scan(&a.Kind, &a.Value, &a.Ministry); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// addAlias gives person id an alias; one it already has is kept once.
func addAlias(ctx context.Context, tx *Tx, id int64, a nomtrack.Alias) error {
	key := ""
	if a.Kind == nomtrack.AliasName {
		key = nomtrack.NameKey(a.Value)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO person_alias (person_id, kind, value, name_key, ministry, created_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (person_id, kind, value) DO NOTHING`, id, a.Kind, a.Value, key, a.Ministry, tx.Stamp())
	if err != nil {
		return fmt.Errorf("add alias: %w", err)
	}
	return nil
}
