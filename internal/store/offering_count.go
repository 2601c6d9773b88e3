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

// countKey is one row of offering_count: the offering, and its role and
// status as their place in countChanges.kinds.
type countKey struct {
	offering int64
	kind     uint32
}

// roleStatus is the role and status of a row of offering_count.
type roleStatus struct{ role, status string }

// countChanges adds up an import's changes to offering_count, which it
// writes once at the end: recounting during a bulk load would read the
// nominations through an index the load has dropped. A key holds its role
// and status as a number (a handful of pairs, kinds), not as two strings:
// an entry is 24 bytes rather than 48, and a 1M-row import over 9,571
// offerings held 8.5 MB of them at its memory peak (issue 6: ≤ 100 MB).
type countChanges struct {
	n     map[countKey]int64
	kinds []roleStatus
}

func newCountChanges() countChanges { return countChanges{n: map[countKey]int64{}} }

// kindOf is the number of (role, status) in c.kinds, added on first use.
func (c *countChanges) kindOf(role, status string) uint32 {
	for i, k := range c.kinds {
		if k.role == role && k.status == status {
			return uint32(i)
		}
	}
	c.kinds = append(c.kinds, roleStatus{role, status})
	return uint32(len(c.kinds) - 1)
}

// add counts one nomination more (delta 1) or less (-1) under k.
func (c *countChanges) add(offering int64, role, status string, delta int64) {
	k := countKey{offering, c.kindOf(role, status)}
	c.n[k] += delta
	if c.n[k] == 0 {
		delete(c.n, k)
	}
}

// write adds the changes to offering_count: the increases in batches of
// multi-row upserts, ordered so that the same import writes the same
// statements; the decreases one UPDATE each, since an upsert's row is held
// to n >= 0 before it meets the row it updates (and the row it lowers must
// be there: a missing one is a fault, and the import does not commit).
func (c *countChanges) write(ctx context.Context, q Querier) error {
	var up, down []countKey
	for k, d := range c.n {
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
			ka, kb := c.kinds[a.kind], c.kinds[b.kind]
			if ka.role != kb.role {
				return ka.role < kb.role
			}
			return ka.status < kb.status
		})
	}
	for _, k := range down {
		kind := c.kinds[k.kind]
		res, err := q.ExecContext(ctx, `UPDATE offering_count SET n = n + ? WHERE offering_id = ? AND role = ? AND status = ?`,
			c.n[k], k.offering, kind.role, kind.status)
		if err != nil {
			return fmt.Errorf("update offering counts: %w", err)
		}
		if got, err := res.RowsAffected(); err != nil || got != 1 {
			return fmt.Errorf("update offering counts: offering %d has no count of %s %s nominations to lower (%v)", k.offering, kind.status, kind.role, err)
		}
	}
	const batch = 200
	args := make([]any, 0, 4*batch)
	for len(up) > 0 {
		n := min(len(up), batch)
		args = args[:0]
		for _, k := range up[:n] {
			kind := c.kinds[k.kind]
			args = append(args, k.offering, kind.role, kind.status, c.n[k])
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
