package store

import (
	"context"
	"database/sql"
	"errors"
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
		off, err := scanOffering(scanWith{s: rows, prefix: []any{&c.NominationID, &c.Status}})
		if err != nil {
			return nil, err
		}
		c.Offering = *off
		others = append(others, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return nomtrack.DateIssues(tx.Today, *o, others), nil
}

// scanWith scans a row whose first columns go to prefix and last columns
// to suffix, the ones between to the destinations a scan function (such
// as scanOffering or scanNomination) asks for.
type scanWith struct {
	s              interface{ Scan(...any) error }
	prefix, suffix []any
}

func (w scanWith) Scan(dest ...any) error {
	all := append(append(append([]any{}, w.prefix...), dest...), w.suffix...)
	return w.s.Scan(all...)
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
// (ids as given; a run's nominations by person's name). A run's selection
// leaves out those the move is not for: alternates when ch.To takes a seat
// (they are promoted first), principals when it is released.
func (db *DB) SetStatuses(ctx context.Context, sel Selection, ch StatusChange) ([]*StatusResult, error) {
	var out []*StatusResult
	err := db.Update(ctx, func(tx *Tx) error {
		to, err := nomtrack.ParseStatus(ch.To)
		if err != nil {
			return err
		}
		ids, err := selectNominations(ctx, tx, sel, to)
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
func selectNominations(ctx context.Context, tx *Tx, sel Selection, to string) ([]int64, error) {
	if sel.Offering == "" {
		seen := map[int64]bool{}
		for _, id := range sel.IDs {
			if seen[id] {
				return nil, nomtrack.Errorf(nomtrack.EUSAGE, "nomination %d is given twice", id)
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
	roles := []any{nomtrack.RolePrincipal, nomtrack.RoleAlternate}
	switch {
	case nomtrack.Committed(to):
		roles = []any{nomtrack.RolePrincipal, nomtrack.RolePrincipal}
	case to == nomtrack.StatusReleased:
		roles = []any{nomtrack.RoleAlternate, nomtrack.RoleAlternate}
	}
	rows, err := tx.QueryContext(ctx, `SELECT n.id FROM nomination n JOIN person p ON p.id = n.person_id
		WHERE n.offering_id = ? AND n.status = ? AND n.role IN (?, ?) ORDER BY p.name, n.id`, o.ID, from, roles[0], roles[1])
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
		which := "nominations"
		if roles[0] == roles[1] {
			which = roles[0].(string) + "s"
		}
		return nil, nomtrack.Errorf(nomtrack.ECONFLICT, "offering %s has no %s %s", o.Ref, from, which)
	}
	return ids, nil
}

// PromoteFirst promotes the first alternate waiting on offering ref (the
// lowest alt_order) into a freed principal seat: the offering must have
// fewer principals in play (nominated, approved, confirmed, attended,
// completed) than seats. An offering whose seats are not announced takes
// the promotion. The promotion is recorded as Promote records it.
func (db *DB) PromoteFirst(ctx context.Context, ref, reason string) (*nomtrack.Nomination, error) {
	var n *nomtrack.Nomination
	err := db.Update(ctx, func(tx *Tx) error {
		o, err := findOffering(ctx, tx, ref)
		if err != nil {
			return err
		}
		if o.Seats != nil {
			var principals int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM nomination WHERE offering_id = ? AND role = ?
				AND status IN (`+sqlOpen+`, `+committedList+`)`, o.ID, nomtrack.RolePrincipal).Scan(&principals); err != nil {
				return err
			}
			if principals >= *o.Seats {
				return nomtrack.Errorf(nomtrack.ECONFLICT, "offering %s has %d seat%s and %d principal%s in play; no principal seat is free (withdraw, decline or cancel a principal first)",
					o.Ref, *o.Seats, pluralS(*o.Seats), principals, pluralS(principals))
			}
		}
		var id int64
		err = tx.QueryRowContext(ctx, `SELECT id FROM nomination WHERE offering_id = ? AND role = ? AND status IN (`+sqlOpen+`)
			ORDER BY CASE WHEN alt_order IS NULL THEN 1 ELSE 0 END, alt_order, id LIMIT 1`, o.ID, nomtrack.RoleAlternate).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nomtrack.Errorf(nomtrack.ECONFLICT, "offering %s has no alternate waiting", o.Ref)
		} else if err != nil {
			return err
		}
		n, err = promote(ctx, tx, id, reason)
		return err
	})
	return n, err
}

// CloseOffering closes offering ref once the course has started: every
// alternate still waiting is released (an event each, reason "offering
// closed" unless one is given), in one transaction, with an audit row. It
// returns the offering and the released nominations. Closing before the
// start is ECONFLICT: an alternate may still be needed.
func (db *DB) CloseOffering(ctx context.Context, ref, reason string) (*nomtrack.Offering, []int64, error) {
	var o *nomtrack.Offering
	var released []int64
	err := db.Update(ctx, func(tx *Tx) (err error) {
		if o, err = findOffering(ctx, tx, ref); err != nil {
			return err
		}
		if o.Status == nomtrack.OfferingCancelled {
			return nomtrack.Errorf(nomtrack.ECONFLICT, "offering %s is cancelled (%s); its nominations were cancelled with it", o.Ref, o.CancelReason)
		}
		if tx.Today < o.Start {
			return nomtrack.Errorf(nomtrack.ECONFLICT, "offering %s starts on %s; close it once the course has started (an alternate may still be needed)", o.Ref, o.Start)
		}
		if reason == "" {
			reason = "offering closed"
		}
		rows, err := tx.QueryContext(ctx, `SELECT id FROM nomination WHERE offering_id = ? AND role = ? AND status = ?
			ORDER BY CASE WHEN alt_order IS NULL THEN 1 ELSE 0 END, alt_order, id`, o.ID, nomtrack.RoleAlternate, nomtrack.StatusNominated)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			released = append(released, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range released {
			if err := moveStatus(ctx, tx, id, nomtrack.StatusNominated, nomtrack.StatusReleased, reason, SourceCLI, false); err != nil {
				return err
			}
		}
		if err := orderAlternates(ctx, tx, o.ID, 0, 0); err != nil {
			return err
		}
		return writeAudit(ctx, tx, "offering.close", "offering:"+o.Ref, map[string]any{"reason": reason, "released": released})
	})
	if released == nil {
		released = []int64{}
	}
	return o, released, err
}

// Move is what `nomination move` asks for.
type Move struct {
	ID       int64
	Offering string // the reference of the run to move to
	// AnyCourse allows a run of another course; by default only another
	// run of the same course is a move (anything else is a new nomination).
	AnyCourse    bool
	Reason       string
	Strict       bool // refuse on an eligibility gap or a date issue
	OverAllocate bool // a committed principal may take the target past its seats
}

// MoveNomination carries an open nomination, with its history, to another
// run: checked as Nominate checks a new one (eligibility and dates, warned
// or refused with Strict) and, when it holds a seat, under the seat rule of
// the target run. An alternate joins the end of the target's queue. The
// move is an event of kind move (from and to the offering references) and
// an audit row, in one transaction.
func (db *DB) MoveNomination(ctx context.Context, m Move) (*nomtrack.Nomination, Warnings, error) {
	var n *nomtrack.Nomination
	var warn Warnings
	err := db.Update(ctx, func(tx *Tx) (err error) {
		if n, err = findNomination(ctx, tx, m.ID); err != nil {
			return err
		}
		if !nomtrack.IsOpen(n.Status) {
			return nomtrack.Errorf(nomtrack.ECONFLICT, "nomination %d is %s; only an open nomination (nominated, approved, confirmed) can be moved", n.ID, n.Status)
		}
		to, err := findOffering(ctx, tx, m.Offering)
		if err != nil {
			return err
		}
		switch {
		case to.ID == n.OfferingID:
			return nomtrack.Errorf(nomtrack.ECONFLICT, "nomination %d is already for %s", n.ID, to.Ref)
		case to.Status == nomtrack.OfferingCancelled:
			return nomtrack.Errorf(nomtrack.ECONFLICT, "offering %s is cancelled (%s); nominations cannot be moved to it", to.Ref, to.CancelReason)
		case to.Course != n.Course && !m.AnyCourse:
			return nomtrack.Errorf(nomtrack.ECONFLICT, "nomination %d is for course %s and %s is a run of %s; use --any-course to move it to another course",
				n.ID, n.Course, to.Ref, to.Course)
		}
		var other int64
		err = tx.QueryRowContext(ctx, `SELECT id FROM nomination WHERE person_id = ? AND offering_id = ?`, n.PersonID, to.ID).Scan(&other)
		if err == nil {
			return nomtrack.Errorf(nomtrack.ECONFLICT, "the person of nomination %d is already nominated to %s (nomination %d)", n.ID, to.Ref, other)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		p, err := findPerson(ctx, tx, fmt.Sprint(n.PersonID))
		if err != nil {
			return err
		}
		if warn, err = checkNomination(ctx, tx, p, to, n.ID, m.Strict); err != nil {
			if nomtrack.ErrorCode(err) == nomtrack.ECONFLICT {
				return nomtrack.Errorf(nomtrack.ECONFLICT, "nomination %d: %s", n.ID,
					strings.Replace(nomtrack.ErrorMessage(err), "not nominated (--strict)", "not moved (--strict)", 1))
			}
			return err
		}
		if nomtrack.Committed(n.Status) {
			moved := *n
			moved.OfferingID, moved.Offering = to.ID, to.Ref
			if err := checkSeat(ctx, tx, &moved, n.Status, m.OverAllocate); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE nomination SET offering_id = ?, alt_order = NULL, updated_at = ? WHERE id = ?`, to.ID, tx.Stamp(), n.ID); err != nil {
			return fmt.Errorf("move nomination: %w", err)
		}
		if err := recountOfferings(ctx, tx, n.OfferingID, to.ID); err != nil {
			return err
		}
		if err := orderAlternates(ctx, tx, n.OfferingID, 0, 0); err != nil {
			return err
		}
		if n.Role == nomtrack.RoleAlternate {
			if err := orderAlternates(ctx, tx, to.ID, n.ID, 0); err != nil {
				return err
			}
		}
		if err := writeEventKind(ctx, tx, n.ID, nomtrack.EventMove, "", n.Offering, to.Ref, m.Reason, SourceCLI, false); err != nil {
			return err
		}
		if err := writeAudit(ctx, tx, "nomination.move", fmt.Sprintf("nomination:%d", n.ID),
			map[string]string{"from": n.Offering, "to": to.Ref, "reason": m.Reason}); err != nil {
			return err
		}
		n, err = findNomination(ctx, tx, n.ID)
		return err
	})
	if err != nil {
		return nil, Warnings{}, err
	}
	return n, warn, nil
}
