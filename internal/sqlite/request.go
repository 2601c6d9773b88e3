package sqlite

import (
	"context"
	"fmt"
	"strings"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// RequestFilter selects requests for ListRequests; zero fields select all.
type RequestFilter struct {
	Year     int
	Ministry string // exact ministry code
	Area     string // exact area slug
	Limit    int
}

// CreateRequest records a ministry's request for seats and sets its ID.
// Years outside 1900-2999 and negative seats are EINVALID.
func (db *DB) CreateRequest(ctx context.Context, r *nomtrack.Request) error {
	if r.Year < 1900 || r.Year > 2999 {
		return nomtrack.Errorf(nomtrack.EINVALID, "year %d is out of range; give a year between 1900 and 2999", r.Year)
	}
	if r.Seats < 0 {
		return nomtrack.Errorf(nomtrack.EINVALID, "seats %d is negative; give the number of seats requested", r.Seats)
	}
	return db.Update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO request (ministry, area, year, seats, note, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			r.Ministry, r.Area, r.Year, r.Seats, r.Note, tx.Stamp())
		if err != nil {
			return fmt.Errorf("insert request: %w", err)
		}
		r.ID, err = res.LastInsertId()
		return err
	})
}

// ListRequests returns the requests matching f, ordered by year, ministry,
// area, then id.
func (db *DB) ListRequests(ctx context.Context, f RequestFilter) ([]*nomtrack.Request, error) {
	where, args := []string{"1 = 1"}, []any{}
	if f.Year != 0 {
		where, args = append(where, "year = ?"), append(args, f.Year)
	}
	if f.Ministry != "" {
		where, args = append(where, "ministry = ?"), append(args, f.Ministry)
	}
	if f.Area != "" {
		where, args = append(where, "area = ?"), append(args, f.Area)
	}
	list := []*nomtrack.Request{}
	err := db.View(ctx, func(q Querier) error {
		rows, err := q.QueryContext(ctx, `SELECT id, ministry, area, year, seats, note FROM request WHERE `+strings.Join(where, " AND ")+
			` ORDER BY year, ministry, area, id`+sqlLimit(f.Limit), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r := &nomtrack.Request{}
			if err := rows.Scan(&r.ID, &r.Ministry, &r.Area, &r.Year, &r.Seats, &r.Note); err != nil {
				return err
			}
			list = append(list, r)
		}
		return rows.Err()
	})
	return list, err
}
