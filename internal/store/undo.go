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

// This file holds the ways back from a mistake: reopening a cancelled
// offering, and removing a nomination, request, offering or person entered
// by mistake. Each is one transaction that writes an audit row holding what
// was undone or removed, so nothing disappears without a trace. Removing
// keeps history safe because ids are never reused (0006, 0007).

// ReopenOffering undoes CancelOffering: the offering is open again and every
// nomination that its cancellation moved to cancelled goes back to the
// status it had, each with a status event (marked as a correction, since it
// runs against the lifecycle) carrying reason, or a sentence naming the
// reopening when reason is empty. Nominations cancelled on their own are
// left as they are. An offering that is not cancelled is ECONFLICT.
func (db *DB) ReopenOffering(ctx context.Context, ref, reason string) (*nomtrack.Offering, []StatusMove, error) {
	var o *nomtrack.Offering
	moves := []StatusMove{}
	err := db.Update(ctx, func(tx *Tx) (err error) {
		if o, err = findOffering(ctx, tx, ref); err != nil {
			return err
		}
		if o.Status != nomtrack.OfferingCancelled {
			return nomtrack.Errorf(nomtrack.ECONFLICT, "offering %s is not cancelled; only a cancelled offering can be reopened", o.Ref)
		}
		if moves, err = cancelledBy(ctx, tx, o); err != nil {
			return err
		}
		if reason == "" {
			reason = fmt.Sprintf("offering %s reopened (it was cancelled: %s)", o.Ref, o.CancelReason)
		}
		for _, m := range moves {
			if err := moveStatus(ctx, tx, m.ID, m.From, m.To, reason, SourceCLI, true); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE offering SET status = ?, cancel_reason = '', updated_at = ? WHERE id = ?`,
			nomtrack.OfferingOpen, tx.Stamp(), o.ID); err != nil {
			return err
		}
		was := o.CancelReason
		o.Status, o.CancelReason = nomtrack.OfferingOpen, ""
		return writeAudit(ctx, tx, "offering.reopen", "offering:"+o.Ref, map[string]any{
			"offering_id": o.ID, "reason": reason, "cancel_reason": was, "nominations_restored": len(moves), "nominations": moves})
	})
	if err != nil {
		return nil, nil, err
	}
	return o, moves, nil
}

// cancelledBy finds the nominations of cancelled offering o that its
// cancellation moved: still cancelled, their latest status event the move
// to cancelled with the offering's reason, made when the offering was
// cancelled (the audit row's time; one transaction stamps them all alike).
// Each comes back as the move that restores it.
func cancelledBy(ctx context.Context, tx *Tx, o *nomtrack.Offering) ([]StatusMove, error) {
	var at sql.NullString
	if err := tx.QueryRowContext(ctx, `SELECT max(at) FROM audit WHERE action = 'offering.cancel' AND subject = ?`,
		"offering:"+o.Ref).Scan(&at); err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT n.id, e.from_status, e.at FROM nomination n
		JOIN nomination_event e ON e.id = (SELECT max(x.id) FROM nomination_event x WHERE x.nomination_id = n.id AND x.kind = 'status')
		WHERE n.offering_id = ? AND n.status = ? AND e.to_status = ? AND e.reason = ? AND e.from_status != ''
		ORDER BY n.id`, o.ID, nomtrack.StatusCancelled, nomtrack.StatusCancelled, o.CancelReason)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type found struct {
		move StatusMove
		at   string
	}
	var all []found
	latest := ""
	for rows.Next() {
		f := found{move: StatusMove{To: "", From: nomtrack.StatusCancelled}}
		if err := rows.Scan(&f.move.ID, &f.move.To, &f.at); err != nil {
			return nil, err
		}
		all = append(all, f)
		latest = max(latest, f.at)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Without an audit row under the offering's present reference (edited
	// since?), the newest of these events marks the cancellation.
	when := latest
	if at.Valid {
		when = at.String
	}
	moves := []StatusMove{}
	for _, f := range all {
		if f.at == when {
			moves = append(moves, f.move)
		}
	}
	return moves, nil
}

// RemoveOffering deletes an offering entered by mistake, recording it in the
// audit table with reason. An offering with nominations is refused
// (ECONFLICT naming how many and what to do instead).
func (db *DB) RemoveOffering(ctx context.Context, ref, reason string) (*nomtrack.Offering, error) {
	if err := needReason(reason); err != nil {
		return nil, err
	}
	var o *nomtrack.Offering
	err := db.Update(ctx, func(tx *Tx) (err error) {
		if o, err = findOffering(ctx, tx, ref); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM nomination WHERE offering_id = ?`, o.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nomtrack.Errorf(nomtrack.ECONFLICT, "offering %s has %d nomination%s; an offering with nominations is history and cannot be removed: cancel it with 'nomtrack offering cancel %s --reason R', or remove each nomination entered by mistake with 'nomtrack nomination remove ID --reason R' first",
				o.Ref, n, pluralS(n), o.Ref)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM offering WHERE id = ?`, o.ID); err != nil {
			return fmt.Errorf("delete offering: %w", err)
		}
		return writeAudit(ctx, tx, "offering.remove", "offering:"+o.Ref, map[string]any{"reason": reason, "offering": o})
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// RemovedNomination is a removed nomination as the audit table keeps it:
// its fields and its whole history.
type RemovedNomination struct {
	*nomtrack.Nomination
	History []nomtrack.Event `json:"history"`
}

// RemoveNomination deletes a nomination entered by mistake with its events,
// recording its fields and history in the audit table with reason. Its id is
// never given to another nomination.
func (db *DB) RemoveNomination(ctx context.Context, id int64, reason string) (*RemovedNomination, error) {
	if err := needReason(reason); err != nil {
		return nil, err
	}
	var r *RemovedNomination
	err := db.Update(ctx, func(tx *Tx) error {
		n, err := findNomination(ctx, tx, id)
		if err != nil {
			return err
		}
		history, err := nominationHistory(ctx, tx, id)
		if err != nil {
			return err
		}
		r = &RemovedNomination{Nomination: n, History: history}
		if _, err := tx.ExecContext(ctx, `DELETE FROM nomination_event WHERE nomination_id = ?`, id); err != nil {
			return fmt.Errorf("delete events: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM nomination WHERE id = ?`, id); err != nil {
			return fmt.Errorf("delete nomination: %w", err)
		}
		if err := recountOfferings(ctx, tx, n.OfferingID); err != nil {
			return err
		}
		return writeAudit(ctx, tx, "nomination.remove", "nomination:"+strconv.FormatInt(id, 10), map[string]any{"reason": reason, "nomination": r})
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// nominationHistory reads the events of nomination id, oldest first.
func nominationHistory(ctx context.Context, q Querier, id int64) ([]nomtrack.Event, error) {
	// nomination_history holds the stored events and the creation events an
	// import's runs stand for (id NULL, so first at equal at, on either engine).
	rows, err := q.QueryContext(ctx, `SELECT coalesce(id, 0), nomination_id, at, actor, from_status, to_status, reason, source, correction, kind, field
		FROM nomination_history WHERE nomination_id = ? ORDER BY at, id NULLS FIRST`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	events := []nomtrack.Event{}
	for rows.Next() {
		var e nomtrack.Event
		var at string
		if err := rows.Scan(&e.ID, &e.NominationID, &at, &e.Actor, &e.From, &e.To, &e.Reason, &e.Source, &e.Correction, &e.Kind, &e.Field); err != nil {
			return nil, err
		}
		e.At = readStamp(at)
		events = append(events, e)
	}
	return events, rows.Err()
}

// RemovePerson deletes a person entered by mistake, recording every field in
// the audit table with reason. A person with nominations is refused
// (ECONFLICT naming how many and what to do instead). The id is never given
// to another person.
func (db *DB) RemovePerson(ctx context.Context, idOrRef, reason string) (*nomtrack.Person, error) {
	if err := needReason(reason); err != nil {
		return nil, err
	}
	var p *nomtrack.Person
	err := db.Update(ctx, func(tx *Tx) (err error) {
		if p, err = findPerson(ctx, tx, idOrRef); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM nomination WHERE person_id = ?`, p.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nomtrack.Errorf(nomtrack.ECONFLICT, "person %s has %d nomination%s and cannot be removed; if the record is a duplicate, merge it with 'nomtrack person merge KEEP %s', or remove each nomination entered by mistake with 'nomtrack nomination remove ID --reason R' first",
				personLabel(p), n, pluralS(n), personLabel(p))
		}
		// Its aliases go with it (ON DELETE CASCADE); the audit row keeps
		// them, and person_change keeps its field history.
		rows, err := tx.QueryContext(ctx, `SELECT kind, value, ministry FROM person_alias WHERE person_id = ? ORDER BY id`, p.ID)
		if err != nil {
			return err
		}
		aliases := []nomtrack.Alias{}
		for rows.Next() {
			var a nomtrack.Alias
			if err := rows.Scan(&a.Kind, &a.Value, &a.Ministry); err != nil {
				rows.Close()
				return err
			}
			aliases = append(aliases, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM person_search_token WHERE person_id = ?`, p.ID); err != nil {
			return fmt.Errorf("delete person: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM person WHERE id = ?`, p.ID); err != nil {
			return fmt.Errorf("delete person: %w", err)
		}
		return writeAudit(ctx, tx, "person.remove", "person:"+strconv.FormatInt(p.ID, 10), map[string]any{"reason": reason, "person": p, "aliases": aliases})
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// RemoveRequest deletes a request entered by mistake, recording it in the
// audit table with reason.
func (db *DB) RemoveRequest(ctx context.Context, id int64, reason string) (*nomtrack.Request, error) {
	var r *nomtrack.Request
	err := db.Update(ctx, func(tx *Tx) (err error) {
		if r, err = findRequest(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM request WHERE id = ?`, id); err != nil {
			return fmt.Errorf("delete request: %w", err)
		}
		return writeAudit(ctx, tx, "request.remove", "request:"+strconv.FormatInt(id, 10), map[string]any{"reason": reason, "request": r})
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// needReason refuses a removal without a reason: the audit row must say why.
func needReason(reason string) error {
	if strings.TrimSpace(reason) == "" {
		return nomtrack.Errorf(nomtrack.EINVALID, "a removal needs a reason; give --reason saying why the record was a mistake")
	}
	return nil
}

// findRequest reads request id, or ENOTFOUND.
func findRequest(ctx context.Context, q Querier, id int64) (*nomtrack.Request, error) {
	r := &nomtrack.Request{}
	err := q.QueryRowContext(ctx, `SELECT id, ministry, area, year, seats, note FROM request WHERE id = ?`, id).
		Scan(&r.ID, &r.Ministry, &r.Area, &r.Year, &r.Seats, &r.Note)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nomtrack.Errorf(nomtrack.ENOTFOUND, "request %d not found (see 'nomtrack request list')", id)
	}
	return r, err
}
