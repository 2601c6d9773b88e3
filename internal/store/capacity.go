package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// Sources of a year's capacity.
const (
	CapacitySet     = "set"     // a per-year override (capacity set)
	CapacityDefault = "default" // the configured capacity, else 500
)

// CapacityFor returns the capacity of year: its override when one was set,
// else defaultSeats (the configured capacity; 0 or less means
// nomtrack.DefaultCapacity).
func (db *DB) CapacityFor(ctx context.Context, year, defaultSeats int) (nomtrack.Capacity, error) {
	var c nomtrack.Capacity
	err := db.View(ctx, func(q Querier) (err error) {
		c, err = capacityFor(ctx, q, year, defaultSeats)
		return err
	})
	return c, err
}

func capacityFor(ctx context.Context, q Querier, year, defaultSeats int) (nomtrack.Capacity, error) {
	c := nomtrack.Capacity{Year: year, Seats: defaultCapacity(defaultSeats), Source: CapacityDefault}
	var seats int
	err := q.QueryRowContext(ctx, `SELECT seats FROM capacity WHERE year = ?`, year).Scan(&seats)
	if err == nil {
		c.Seats, c.Source = seats, CapacitySet
	} else if !errors.Is(err, sql.ErrNoRows) {
		return c, err
	}
	return c, nil
}

func defaultCapacity(n int) int {
	if n <= 0 {
		return nomtrack.DefaultCapacity
	}
	return n
}

// SetCapacity overrides the capacity of year, recording the change in the
// audit table. Years outside 1900-2999 and
// negative seats are EINVALID.
func (db *DB) SetCapacity(ctx context.Context, year, seats int) (nomtrack.Capacity, error) {
	if year < 1900 || year > 2999 {
		return nomtrack.Capacity{}, nomtrack.Errorf(nomtrack.EINVALID, "year %d is out of range; give a year between 1900 and 2999", year)
	}
	if seats < 0 {
		return nomtrack.Capacity{}, nomtrack.Errorf(nomtrack.EINVALID, "capacity %d is negative; give the number of seats the programme can fund", seats)
	}
	err := db.Update(ctx, func(tx *Tx) error {
		var was sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT seats FROM capacity WHERE year = ?`, year).Scan(&was)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if was.Valid && was.Int64 == int64(seats) {
			return nil // unchanged: nothing to record
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO capacity (year, seats, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (year) DO UPDATE SET seats = excluded.seats, updated_at = excluded.updated_at`, year, seats, tx.Stamp())
		if err != nil {
			return fmt.Errorf("set capacity: %w", err)
		}
		// from is null when the year had no capacity of its own (it
		// followed the configured one).
		var from any
		if was.Valid {
			from = was.Int64
		}
		return writeAudit(ctx, tx, "capacity.set", "capacity:"+strconv.Itoa(year), map[string]any{"year": year, "from": from, "to": seats})
	})
	return nomtrack.Capacity{Year: year, Seats: seats, Source: CapacitySet}, err
}

// ListCapacity returns the effective capacity of every year that has an
// override or an offering, in year order.
func (db *DB) ListCapacity(ctx context.Context, defaultSeats int) ([]nomtrack.Capacity, error) {
	list := []nomtrack.Capacity{}
	err := db.View(ctx, func(q Querier) error {
		rows, err := q.QueryContext(ctx, `SELECT y.year, c.seats FROM (
				SELECT year FROM capacity
				UNION SELECT DISTINCT CAST(substr(start, 1, 4) AS INTEGER) FROM offering
			) y LEFT JOIN capacity c ON c.year = y.year ORDER BY y.year DESC`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var year int
			var seats sql.NullInt64
			if err := rows.Scan(&year, &seats); err != nil {
				return err
			}
			c := nomtrack.Capacity{Year: year, Seats: defaultCapacity(defaultSeats), Source: CapacityDefault}
			if seats.Valid {
				c.Seats, c.Source = int(seats.Int64), CapacitySet
			}
			list = append(list, c)
		}
		return rows.Err()
	})
	return list, err
}

// yearLoad counts the committed nominations of year (by the offering's start)
// against its capacity.
func yearLoad(ctx context.Context, q Querier, year, defaultSeats int) (*YearLoad, error) {
	capa, err := capacityFor(ctx, q, year, defaultSeats)
	if err != nil {
		return nil, err
	}
	from, to := yearRange(year)
	var n int
	err = q.QueryRowContext(ctx, yearCommittedSQL, from, to).Scan(&n)
	if err != nil {
		return nil, err
	}
	return &YearLoad{Year: year, Committed: n, Capacity: capa}, nil
}

// yearCommittedSQL sums the year's committed seats from offering_count
// (migration 0014): a few rows for each of the year's offerings, where
// counting nominations read every committed one of every year (0.4 s at
// 1,000,000). TestStatusChangePlansStayNarrow guards its plan.
var yearCommittedSQL = `SELECT coalesce(sum(c.n), 0) FROM offering o JOIN offering_count c ON c.offering_id = o.id
		WHERE o.start >= ? AND o.start < ? AND c.status IN (` + committedList + `)`

// YearCommitted is a year's committed seats against its capacity, for the
// capacity listing and warnings.
func (db *DB) YearCommitted(ctx context.Context, year, defaultSeats int) (*YearLoad, error) {
	var l *YearLoad
	err := db.View(ctx, func(q Querier) (err error) {
		l, err = yearLoad(ctx, q, year, defaultSeats)
		return err
	})
	return l, err
}
