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
	res, err := tx.ExecContext(ctx, `INSERT INTO person (ref, name, name_key, name_ar, ministry, rank, rank_code, position, gender, english, email, phone, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		nullIfEmpty(p.Ref), p.Name, p.MatchKey(), p.NameAr, p.Ministry, p.Rank, p.RankCode, p.Position, p.Gender, p.English, p.Email, p.Phone,
		tx.Stamp(), tx.Stamp())
	if err != nil {
		return fmt.Errorf("insert person: %w", err)
	}
	p.ID, err = res.LastInsertId()
	return err
}

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
	return nil
}

// UpdatePerson writes every field of the person with p.ID (found with
// FindPerson) and refreshes the name key.
func (db *DB) UpdatePerson(ctx context.Context, p *nomtrack.Person) error {
	return db.Update(ctx, func(tx *Tx) error {
		if err := checkPersonRef(ctx, tx, p); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE person SET ref = ?, name = ?, name_key = ?, name_ar = ?, ministry = ?, rank = ?, rank_code = ?,
			position = ?, gender = ?, english = ?, email = ?, phone = ?, updated_at = ? WHERE id = ?`,
			nullIfEmpty(p.Ref), p.Name, p.MatchKey(), p.NameAr, p.Ministry, p.Rank, p.RankCode, p.Position, p.Gender, p.English,
			p.Email, p.Phone, tx.Stamp(), p.ID)
		if err != nil {
			return fmt.Errorf("update person: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nomtrack.Errorf(nomtrack.ENOTFOUND, "person %d not found", p.ID)
		}
		return nil
	})
}

// FindPerson returns the person with this id (all digits) or ref. When no id
// matches, an all-digit value is tried as a ref too, since service numbers
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
