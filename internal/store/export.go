package store

import (
	"context"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// ExportNominations calls fn for every nomination matching f with its
// person's full record, in a stable order (offering start, course, name,
// ref), streaming from one read snapshot so that exporting a million rows
// holds one row in memory at a time. Contact details are read only when
// contact is set.
func (db *DB) ExportNominations(ctx context.Context, f NominationFilter, contact bool, fn func(*nomtrack.Nomination, *nomtrack.Person) error) error {
	return db.View(ctx, func(q Querier) error {
		where, args, err := nominationWhere(ctx, q, f)
		if err != nil {
			return err
		}
		rows, err := q.QueryContext(ctx, `SELECT `+nominationColumns+`, `+exportPersonColumns(contact)+nominationFrom+
			` WHERE `+where+` ORDER BY o.start, c.code, p.name, coalesce(p.ref, ''), n.id`+sqlLimit(f.Limit), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var p nomtrack.Person
			n, err := scanNomination(scanWith{s: rows, suffix: []any{
				&p.ID, &p.Ref, &p.Name, &p.NameAr, &p.Ministry, &p.Rank, &p.RankCode, &p.Position, &p.Gender, &p.English, &p.Email, &p.Phone}})
			if err != nil {
				return err
			}
			if err := fn(n, &p); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}

// ExportPeople calls fn for every person matching f, streaming: with a
// search best matches first, as ListPeople, else ordered by name, then
// ref; email and phone are read only when contact is set.
func (db *DB) ExportPeople(ctx context.Context, f PersonFilter, contact bool, fn func(*nomtrack.Person) error) error {
	return db.View(ctx, func(q Querier) error {
		return eachPerson(ctx, q, f, exportPersonColumns(contact), "p.name, coalesce(p.ref, ''), p.id", fn)
	})
}

// exportPersonColumns are a person's columns, with email and phone blanked
// in the query itself unless contact details were asked for.
func exportPersonColumns(contact bool) string {
	cols := `p.id, coalesce(p.ref, ''), p.name, p.name_ar, p.ministry, p.rank, p.rank_code, p.position, p.gender, p.english, `
	if contact {
		return cols + `p.email, p.phone`
	}
	return cols + `'', ''`
}
