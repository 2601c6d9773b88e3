package sqlite

import (
	"context"
	"fmt"
	"strings"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// This file holds the store's side of the coordinator's calendar (SPEC §2
// Dates, Seats): the date rules, the alternates' order, and the status
// changes that take several nominations at once.

// dateIssues returns what the calendar says against person personID being
// put forward for (or approved on) offering o today: the rule is
// nomtrack.DateIssues, fed with the person's other committed nominations to
// open offerings that overlap o. except is the nomination being changed.
func dateIssues(ctx context.Context, tx *Tx, personID int64, o *nomtrack.Offering, except int64) ([]nomtrack.DateIssue, error) {
	rows, err := tx.QueryContext(ctx, `SELECT n.id, n.status, `+offeringColumns+offeringFrom+`
		JOIN nomination n ON n.offering_id = o.id
		WHERE n.person_id = ? AND n.id <> ? AND o.id <> ? AND o.status = ? AND n.status IN (`+committedList+`)
			AND o.start <= ? AND (CASE WHEN o.end >= o.start THEN o.end ELSE o.start END) >= ?
		ORDER BY o.start, c.code`, personID, except, o.ID, nomtrack.OfferingOpen, o.LastDay(), o.Start)
	if err != nil {
		return nil, fmt.Errorf("overlapping nominations: %w", err)
	}
	defer rows.Close()
	var others []nomtrack.Commitment
	for rows.Next() {
		var c nomtrack.Commitment
		var off *nomtrack.Offering
		off, err := scanOffering(scanPrefix{rows, []any{&c.NominationID, &c.Status}})
		if err != nil {
			return nil, err
		}
		c.Offering = *off
		others = append(others, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return nomtrack.DateIssues(tx.Now.Format(nomtrack.DateLayout), *o, others), nil
}

// scanPrefix scans a row whose first columns go to prefix and the rest to
// the destinations a scan function asks for.
type scanPrefix struct {
	s      interface{ Scan(...any) error }
	prefix []any
}

func (p scanPrefix) Scan(dest ...any) error {
	return p.s.Scan(append(append([]any{}, p.prefix...), dest...)...)
}

// dateMessages joins date issues for one refusal.
func dateMessages(list []nomtrack.DateIssue) string {
	msgs := make([]string, len(list))
	for i, d := range list {
		msgs[i] = d.Message
	}
	return strings.Join(msgs, "; ")
}

// orderAlternates numbers the open alternates of an offering 1, 2, … in
// their present order (alt_order, then id), first putting nomination insert
// (0: none) at place (1-based; 0 or past the end: last). Nominations that
// are no longer waiting alternates (promoted, released, withdrawn …) lose
// their number, so the queue has no gaps. Only rows whose number changes
// are written.
func orderAlternates(ctx context.Context, tx *Tx, offeringID, insert int64, place int) error {
	if _, err := tx.ExecContext(ctx, `UPDATE nomination SET alt_order = NULL
		WHERE offering_id = ? AND alt_order IS NOT NULL AND (role <> ? OR status NOT IN (`+sqlOpen+`))`,
		offeringID, nomtrack.RoleAlternate); err != nil {
		return fmt.Errorf("order alternates: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, coalesce(alt_order, 0) FROM nomination
		WHERE offering_id = ? AND role = ? AND status IN (`+sqlOpen+`) AND id <> ?
		ORDER BY CASE WHEN alt_order IS NULL THEN 1 ELSE 0 END, alt_order, id`, offeringID, nomtrack.RoleAlternate, insert)
	if err != nil {
		return fmt.Errorf("order alternates: %w", err)
	}
	type alt struct {
		id    int64
		order int
	}
	var queue []alt
	for rows.Next() {
		var a alt
		if err := rows.Scan(&a.id, &a.order); err != nil {
			rows.Close()
			return err
		}
		queue = append(queue, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if insert != 0 {
		if place <= 0 || place > len(queue)+1 {
			place = len(queue) + 1
		}
		queue = append(queue[:place-1], append([]alt{{id: insert}}, queue[place-1:]...)...)
	}
	for i, a := range queue {
		if a.order == i+1 {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE nomination SET alt_order = ? WHERE id = ?`, i+1, a.id); err != nil {
			return fmt.Errorf("order alternates: %w", err)
		}
	}
	return nil
}

// placeAlternate puts the new alternate nomination id at place in its
// offering's queue (0: last).
func placeAlternate(ctx context.Context, tx *Tx, offeringID, id int64, place int) error {
	return orderAlternates(ctx, tx, offeringID, id, place)
}

// Selection names the nominations a status command works on: IDs, or every
// nomination of Offering (a reference) in status From.
type Selection struct {
	IDs      []int64
	Offering string
	From     string // a status as ParseStatus reads it; required with Offering
}

// SetStatuses moves every selected nomination to ch.To under the rules of
// SetStatus, in one transaction: one refusal refuses them all, so a run is
// never left half recorded. The results are in the order of the selection
// (ids as given; a run's nominations by person's name).
func (db *DB) SetStatuses(ctx context.Context, sel Selection, ch StatusChange) ([]*StatusResult, error) {
	var out []*StatusResult
	err := db.Update(ctx, func(tx *Tx) error {
		ids, err := selectNominations(ctx, tx, sel)
		if err != nil {
			return err
		}
		for _, id := range ids {
			res, err := setStatus(ctx, tx, id, ch)
			if err != nil {
				return err
			}
			out = append(out, res)
		}
		return nil
	})
	return out, err
}

// selectNominations resolves a Selection to nomination ids. A repeated id
// is refused: moving one nomination twice in one command is a typing slip.
func selectNominations(ctx context.Context, tx *Tx, sel Selection) ([]int64, error) {
	if sel.Offering == "" {
		seen := map[int64]bool{}
		for _, id := range sel.IDs {
			if seen[id] {
				return nil, nomtrack.Errorf(nomtrack.EINVALID, "nomination %d is given twice", id)
			}
			seen[id] = true
		}
		return sel.IDs, nil
	}
	o, err := findOffering(ctx, tx, sel.Offering)
	if err != nil {
		return nil, err
	}
	from, err := nomtrack.ParseStatus(sel.From)
	if err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT n.id FROM nomination n JOIN person p ON p.id = n.person_id
		WHERE n.offering_id = ? AND n.status = ? ORDER BY p.name, n.id`, o.ID, from)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, nomtrack.Errorf(nomtrack.ECONFLICT, "offering %s has no %s nominations", o.Ref, from)
	}
	return ids, nil
}
