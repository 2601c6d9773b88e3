package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
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

// RequestReplaced is what AddRequest replaced: the seats and note that the
// ministry's request for the area and year had before, and the ids of the
// requests it stood in (one, or several written twice before replacing was
// the rule).
type RequestReplaced struct {
	Seats int     `json:"seats"`
	Note  string  `json:"note"`
	IDs   []int64 `json:"ids"`
}

// AddRequest records a ministry's request for seats in an area and year and
// sets its ID. A ministry has one request per area and year: when one exists
// its seats and note are replaced (a second request is a correction, not 12 +
// 15 more seats), the replaced values are returned and the change is
// recorded in the audit table. Years outside 1900-2999 and negative seats are
// EINVALID.
func (db *DB) AddRequest(ctx context.Context, r *nomtrack.Request) (*RequestReplaced, error) {
	if err := checkRequest(r); err != nil {
		return nil, err
	}
	var replaced *RequestReplaced
	err := db.Update(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, seats, note FROM request WHERE ministry = ? AND area = ? AND year = ? ORDER BY id`,
			r.Ministry, r.Area, r.Year)
		if err != nil {
			return err
		}
		var old []nomtrack.Request
		for rows.Next() {
			var o nomtrack.Request
			if err := rows.Scan(&o.ID, &o.Seats, &o.Note); err != nil {
				rows.Close()
				return err
			}
			old = append(old, o)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(old) == 0 {
			id, err := tx.insertID(ctx, `INSERT INTO request (ministry, area, year, seats, note, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
				r.Ministry, r.Area, r.Year, r.Seats, r.Note, tx.Stamp())
			if err != nil {
				return fmt.Errorf("insert request: %w", err)
			}
			r.ID = id
			return nil
		}
		replaced = &RequestReplaced{IDs: []int64{}}
		notes := []string{}
		for _, o := range old {
			replaced.Seats += o.Seats
			replaced.IDs = append(replaced.IDs, o.ID)
			if o.Note != "" {
				notes = append(notes, o.Note)
			}
		}
		replaced.Note = strings.Join(notes, "; ")
		r.ID = old[0].ID
		if _, err := tx.ExecContext(ctx, `UPDATE request SET seats = ?, note = ? WHERE id = ?`, r.Seats, r.Note, r.ID); err != nil {
			return fmt.Errorf("update request: %w", err)
		}
		for _, o := range old[1:] {
			if _, err := tx.ExecContext(ctx, `DELETE FROM request WHERE id = ?`, o.ID); err != nil {
				return fmt.Errorf("delete request: %w", err)
			}
		}
		return writeAudit(ctx, tx, "request.replace", "request:"+strconv.FormatInt(r.ID, 10), map[string]any{
			"ministry": r.Ministry, "area": r.Area, "year": r.Year,
			"from": map[string]any{"seats": replaced.Seats, "note": replaced.Note, "ids": replaced.IDs},
			"to":   map[string]any{"seats": r.Seats, "note": r.Note},
		})
	})
	if err != nil {
		return nil, err
	}
	return replaced, nil
}

// CreateRequest is AddRequest for callers that need not know what it
// replaced.
func (db *DB) CreateRequest(ctx context.Context, r *nomtrack.Request) error {
	_, err := db.AddRequest(ctx, r)
	return err
}

// checkRequest refuses a year outside 1900-2999 and negative seats.
func checkRequest(r *nomtrack.Request) error {
	if r.Year < 1900 || r.Year > 2999 {
		return nomtrack.Errorf(nomtrack.EINVALID, "year %d is out of range; give a year between 1900 and 2999", r.Year)
	}
	if r.Seats < 0 {
		return nomtrack.Errorf(nomtrack.EINVALID, "seats %d is negative; give the number of seats requested", r.Seats)
	}
	return nil
}

// FindRequest returns request id, or ENOTFOUND.
func (db *DB) FindRequest(ctx context.Context, id int64) (*nomtrack.Request, error) {
	var r *nomtrack.Request
	err := db.View(ctx, func(q Querier) (err error) {
		r, err = findRequest(ctx, q, id)
		return err
	})
	return r, err
}

// UpdateRequest writes every field of r to the request with r.ID (found with
// FindRequest) and records the change in the audit table, returning the
// request as it was. Moving it onto a ministry, area and year that another
// request holds is ECONFLICT: a ministry has one request per area and year.
func (db *DB) UpdateRequest(ctx context.Context, r *nomtrack.Request) (*nomtrack.Request, error) {
	if err := checkRequest(r); err != nil {
		return nil, err
	}
	var before *nomtrack.Request
	err := db.Update(ctx, func(tx *Tx) (err error) {
		if before, err = findRequest(ctx, tx, r.ID); err != nil {
			return err
		}
		if *before == *r {
			return nil
		}
		var other int64
		err = tx.QueryRowContext(ctx, `SELECT id FROM request WHERE ministry = ? AND area = ? AND year = ? AND id != ? ORDER BY id LIMIT 1`,
			r.Ministry, r.Area, r.Year, r.ID).Scan(&other)
		if err == nil {
			return nomtrack.Errorf(nomtrack.ECONFLICT, "request %d already holds %s %s %d; edit or remove that one instead", other, r.Ministry, r.Area, r.Year)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE request SET ministry = ?, area = ?, year = ?, seats = ?, note = ? WHERE id = ?`,
			r.Ministry, r.Area, r.Year, r.Seats, r.Note, r.ID); err != nil {
			return fmt.Errorf("update request: %w", err)
		}
		return writeAudit(ctx, tx, "request.edit", "request:"+strconv.FormatInt(r.ID, 10), map[string]any{"from": before, "to": r})
	})
	if err != nil {
		return nil, err
	}
	return before, nil
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
