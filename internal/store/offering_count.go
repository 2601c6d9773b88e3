package store

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// offering_count (migration 0014) holds, per offering, how many nominations
// it has of each role and status, so the capacity check of an approval sums
// a few rows per offering of the year instead of reading the year's
// nominations. It is kept in the transaction that changes a nomination's
// offering, role or status: the interactive commands recount the offerings
// they touched (recountOfferings), an import adds up its changes and writes
// them once (countChanges). TestOfferingCountsFollowEveryChange compares it
// with a full recount after random operations.

// recountOfferings sets the counts of each offering from its nominations:
// a range of the nomination_offering_cover index, about a hundred rows an
// offering on a million nominations.
func recountOfferings(ctx context.Context, q Querier, offeringIDs ...int64) error {
	for _, id := range offeringIDs {
		if _, err := q.ExecContext(ctx, `DELETE FROM offering_count WHERE offering_id = ?`, id); err != nil {
			return fmt.Errorf("recount offering: %w", err)
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO offering_count (offering_id, role, status, n)
			SELECT offering_id, role, status, count(*) FROM nomination WHERE offering_id = ?
			GROUP BY offering_id, role, status`, id); err != nil {
			return fmt.Errorf("recount offering: %w", err)
		}
	}
	return nil
}

// nominationOffering returns the offering of nomination id.
func nominationOffering(ctx context.Context, q Querier, id int64) (int64, error) {
	var o int64
	err := q.QueryRowContext(ctx, `SELECT offering_id FROM nomination WHERE id = ?`, id).Scan(&o)
	return o, err
}

// countKey is one row of offering_count.
type countKey struct {
	offering     int64
	role, status string
}

// countChanges adds up an import's changes to offering_count, which it
// writes once at the end: recounting during a bulk load would read the
// nominations through an index the load has dropped.
type countChanges map[countKey]int64

// add counts one nomination more (delta 1) or less (-1) under k.
func (c countChanges) add(offering int64, role, status string, delta int64) {
	k := countKey{offering, role, status}
	c[k] += delta
	if c[k] == 0 {
		delete(c, k)
	}
}

// write adds the changes to offering_count: the increases in batches of
// multi-row upserts, ordered so that the same import writes the same
// statements; the decreases one UPDATE each, since an upsert's row is held
// to n >= 0 before it meets the row it updates (and the row it lowers must
// be there: a missing one is a fault, and the import does not commit).
func (c countChanges) write(ctx context.Context, q Querier) error {
	var up, down []countKey
	for k, d := range c {
		if d > 0 {
			up = append(up, k)
		} else {
			down = append(down, k)
		}
	}
	for _, keys := range [][]countKey{up, down} {
		sort.Slice(keys, func(i, j int) bool {
			a, b := keys[i], keys[j]
			if a.offering != b.offering {
				return a.offering < b.offering
			}
			if a.role != b.role {
				return a.role < b.role
			}
			return a.status < b.status
		})
	}
	for _, k := range down {
		res, err := q.ExecContext(ctx, `UPDATE offering_count SET n = n + ? WHERE offering_id = ? AND role = ? AND status = ?`,
			c[k], k.offering, k.role, k.status)
		if err != nil {
			return fmt.Errorf("update offering counts: %w", err)
		}
		if got, err := res.RowsAffected(); err != nil || got != 1 {
			return fmt.Errorf("update offering counts: offering %d has no count of %s %s nominations to lower (%v)", k.offering, k.status, k.role, err)
		}
	}
	const batch = 200
	args := make([]any, 0, 4*batch)
	for len(up) > 0 {
		n := min(len(up), batch)
		args = args[:0]
		for _, k := range up[:n] {
			args = append(args, k.offering, k.role, k.status, c[k])
		}
		_, err := q.ExecContext(ctx, `INSERT INTO offering_count (offering_id, role, status, n) VALUES `+
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?), ", n), ", ")+`
			ON CONFLICT (offering_id, role, status) DO UPDATE SET n = offering_count.n + excluded.n`, args...)
		if err != nil {
			return fmt.Errorf("update offering counts: %w", err)
		}
		up = up[n:]
	}
	return nil
}
