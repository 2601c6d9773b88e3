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

// PersonFilter selects people for ListPeople; zero fields select all.
type PersonFilter struct {
	Ministry string // exact ministry code
	Search   string // part of the name (ignoring case, spaces and punctuation), Arabic name or ref
	Limit    int
}

// personDisplayName is the name a person is shown by in listings of
// nominations: the Latin name, or the Arabic one while no Latin spelling is
// known (nomtrack.Person.DisplayName).
const personDisplayName = `CASE WHEN p.name = '' THEN p.name_ar ELSE p.name END`

// personColumns are read by scanPerson, in its order.
const personColumns = `p.id, coalesce(p.ref, ''), p.name, p.name_ar, p.ministry, p.rank, p.rank_code, p.position, p.gender, p.english, p.email, p.phone`

func scanPerson(s interface{ Scan(...any) error }) (*nomtrack.Person, error) {
	p := &nomtrack.Person{}
	err := s.Scan(&p.ID, &p.Ref, &p.Name, &p.NameAr, &p.Ministry, &p.Rank, &p.RankCode, &p.Position, &p.Gender, &p.English, &p.Email, &p.Phone)
	return p, err
}

// CreatePerson adds p and sets its ID. A ref already in use is ECONFLICT
// naming the person who has it.
func (db *DB) CreatePerson(ctx context.Context, p *nomtrack.Person) error {
	return db.Update(ctx, func(tx *Tx) error { return createPerson(ctx, tx, p) })
}

func createPerson(ctx context.Context, tx *Tx, p *nomtrack.Person) error {
	if err := checkPersonRef(ctx, tx, p); err != nil {
		return err
	}
	// The values given are from today (SPEC §4 Newest wins); an empty one
	// has no date, so any later row may fill it.
	var dates nomtrack.PersonDates
	for i, v := range p.DatedValues() {
		if *v != "" {
			dates[i] = tx.Now.Format(nomtrack.DateLayout)
		}
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO person (ref, name, name_key, name_ar, ministry, rank, rank_code, position, gender, english, email, phone, created_at, updated_at, `+personDateNames+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		append([]any{nullIfEmpty(p.Ref), p.Name, p.MatchKey(), p.NameAr, p.Ministry, p.Rank, p.RankCode, p.Position, p.Gender, p.English, p.Email, p.Phone,
			tx.Stamp(), tx.Stamp()}, datesArgs(dates)...)...)
	if err != nil {
		return fmt.Errorf("insert person: %w", err)
	}
	p.ID, err = res.LastInsertId()
	return err
}

// checkPersonRef refuses a ref that another person has, as ref or as an
// alias left by a merge.
func checkPersonRef(ctx context.Context, q Querier, p *nomtrack.Person) error {
	if p.Ref == "" {
		return nil
	}
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM person WHERE ref = ? AND id != ?`, p.Ref, p.ID).Scan(&id)
	if err == nil {
		return nomtrack.Errorf(nomtrack.ECONFLICT, "ref %s already belongs to person %d", p.Ref, id)
	} else if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	err = q.QueryRowContext(ctx, `SELECT person_id FROM person_alias WHERE kind = 'ref' AND value = ? AND person_id != ?`, p.Ref, p.ID).Scan(&id)
	if err == nil {
		return nomtrack.Errorf(nomtrack.ECONFLICT, "ref %s already belongs to person %d (a ref merged into that person)", p.Ref, id)
	} else if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	return nil
}

// UpdatePerson writes the fields of the person with p.ID (found with
// FindPerson) that differ from the stored ones, refreshes the name key and
// records each change in the person's history (source cli). A command's
// values are from today: each changed field's date becomes today, or stays
// later when a sheet already dated it later. It returns the changes.
func (db *DB) UpdatePerson(ctx context.Context, p *nomtrack.Person) ([]nomtrack.FieldChange, error) {
	var changes []nomtrack.FieldChange
	err := db.Update(ctx, func(tx *Tx) error {
		if err := checkPersonRef(ctx, tx, p); err != nil {
			return err
		}
		cur, dates, err := readPersonDated(ctx, tx, p.ID)
		if errors.Is(err, sql.ErrNoRows) {
			return nomtrack.Errorf(nomtrack.ENOTFOUND, "person %d not found", p.ID)
		} else if err != nil {
			return err
		}
		if cur.Ref != p.Ref {
			changes = append(changes, nomtrack.FieldChange{Field: "ref", From: cur.Ref, To: p.Ref})
		}
		today := tx.Now.Format(nomtrack.DateLayout)
		have, give := cur.DatedValues(), p.DatedValues()
		for i, f := range nomtrack.DatedFields {
			if *have[i] == *give[i] {
				continue
			}
			changes = append(changes, nomtrack.FieldChange{Field: f, From: *have[i], To: *give[i]})
			dates[i] = max(dates[i], today)
		}
		if len(changes) == 0 {
			return nil
		}
		_, err = tx.ExecContext(ctx, `UPDATE person SET ref = ?, name = ?, name_key = ?, name_ar = ?, ministry = ?, rank = ?, rank_code = ?,
			position = ?, gender = ?, english = ?, email = ?, phone = ?, updated_at = ?, `+personDateSets+` WHERE id = ?`,
			append(append([]any{nullIfEmpty(p.Ref), p.Name, p.MatchKey(), p.NameAr, p.Ministry, p.Rank, p.RankCode, p.Position, p.Gender, p.English,
				p.Email, p.Phone, tx.Stamp()}, datesArgs(dates)...), p.ID)...)
		if err != nil {
			return fmt.Errorf("update person: %w", err)
		}
		return recordPersonChanges(ctx, tx, p.ID, changes, SourceCLI)
	})
	return changes, err
}

// FindPerson returns the person with this id (all digits), ref, or a ref
// merged into it (an alias). When no id matches, an all-digit value is tried as a ref too, since service numbers
// are often numeric. Not found is ENOTFOUND with a suggestion among refs.
func (db *DB) FindPerson(ctx context.Context, idOrRef string) (*nomtrack.Person, error) {
	var p *nomtrack.Person
	err := db.View(ctx, func(q Querier) (err error) {
		p, err = findPerson(ctx, q, idOrRef)
		return err
	})
	return p, err
}

func findPerson(ctx context.Context, q Querier, idOrRef string) (*nomtrack.Person, error) {
	key := strings.TrimSpace(idOrRef)
	if id, err := strconv.ParseInt(key, 10, 64); err == nil {
		p, err := scanPerson(q.QueryRowContext(ctx, `SELECT `+personColumns+` FROM person p WHERE p.id = ?`, id))
		if err == nil {
			return p, nil
		} else if !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
	}
	p, err := scanPerson(q.QueryRowContext(ctx, `SELECT `+personColumns+` FROM person p WHERE p.ref = ?`, key))
	if err == nil {
		return p, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	// A ref merged into another person finds the person kept.
	p, err = scanPerson(q.QueryRowContext(ctx, `SELECT `+personColumns+` FROM person_alias a JOIN person p ON p.id = a.person_id
		WHERE a.kind = 'ref' AND a.value = ?`, key))
	if err == nil {
		return p, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT ref FROM person WHERE ref IS NOT NULL`)
	if err != nil {
		return nil, err
	}
	refs, err := scanColumn(rows)
	if err != nil {
		return nil, err
	}
	return nil, nomtrack.Errorf(nomtrack.ENOTFOUND, "person %s not found (give an id or a ref)%s", key, nomtrack.DidYouMean(key, refs))
}

// ListPeople returns the people matching f, ordered by name, then id.
func (db *DB) ListPeople(ctx context.Context, f PersonFilter) ([]*nomtrack.Person, error) {
	where, args := []string{"1 = 1"}, []any{}
	if f.Ministry != "" {
		where, args = append(where, "p.ministry = ?"), append(args, f.Ministry)
	}
	if s := strings.TrimSpace(f.Search); s != "" {
		cond := []string{"p.name_ar LIKE ? ESCAPE '\\'", "p.ref LIKE ? ESCAPE '\\'", "p.name LIKE ? ESCAPE '\\'"}
		like := "%" + escapeLike(s) + "%"
		args = append(args, like, like, like)
		if k := nomtrack.NameKey(s); k != "" {
			cond = append(cond, "p.name_key LIKE ? ESCAPE '\\'")
			args = append(args, "%"+escapeLike(k)+"%")
		}
		where = append(where, "("+strings.Join(cond, " OR ")+")")
	}
	query := `SELECT ` + personColumns + ` FROM person p WHERE ` + strings.Join(where, " AND ") + ` ORDER BY p.name, p.id` + sqlLimit(f.Limit)
	people := []*nomtrack.Person{}
	err := db.View(ctx, func(q Querier) error {
		var err error
		people, err = queryPeople(ctx, q, query, args...)
		return err
	})
	return people, err
}

func queryPeople(ctx context.Context, q Querier, query string, args ...any) ([]*nomtrack.Person, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	people := []*nomtrack.Person{}
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, err
		}
		people = append(people, p)
	}
	return people, rows.Err()
}

// escapeLike escapes LIKE's wildcards so a search for "50%" finds "50%".
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Duplicates lists the likely duplicate people (nomtrack.FindDuplicates over
// everyone), for `person dupes`.
func (db *DB) Duplicates(ctx context.Context) ([]nomtrack.DuplicatePair, error) {
	var pairs []nomtrack.DuplicatePair
	err := db.View(ctx, func(q Querier) error {
		people, err := queryPeople(ctx, q, `SELECT `+personColumns+` FROM person p ORDER BY p.id`)
		if err != nil {
			return err
		}
		all := make([]nomtrack.Person, len(people))
		for i, p := range people {
			all[i] = *p
		}
		pairs = nomtrack.FindDuplicates(all)
		return nil
	})
	return pairs, err
}
