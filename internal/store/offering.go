package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// OfferingFilter selects offerings for ListOfferings; zero fields select all.
type OfferingFilter struct {
	Year   int    // calendar year of the start date
	Course string // course code or ETOC code; unknown is ENOTFOUND with a suggestion
	Area   string // the course's area slug
	// Status keeps offerings in any of these statuses (none: all).
	Status []string
	// From and To keep offerings starting on or after From and on or
	// before To (YYYY-MM-DD, inclusive; "" is unbounded).
	From, To string
	// OldestFirst orders by start from the oldest (an export, a sheet in
	// time order); a list is newest first.
	OldestFirst bool
	Limit       int
}

// offeringColumns are read by scanOffering, in its order; they need
// `offering o JOIN course c ON c.id = o.course_id`.
const offeringColumns = `o.id, o.course_id, c.code, c.title, c.area, o.start, o.end, o.location, o.seats, o.deadline, o.status, o.cancel_reason`

const offeringFrom = ` FROM offering o JOIN course c ON c.id = o.course_id`

func scanOffering(s interface{ Scan(...any) error }) (*nomtrack.Offering, error) {
	o := &nomtrack.Offering{}
	var seats sql.NullInt64
	err := s.Scan(&o.ID, &o.CourseID, &o.Course, &o.Title, &o.Area, &o.Start, &o.End, &o.Location, &seats, &o.Deadline, &o.Status, &o.CancelReason)
	if seats.Valid {
		n := int(seats.Int64)
		o.Seats = &n
	}
	o.Ref = nomtrack.OfferingRef(o.Course, o.Start)
	return o, err
}

func nullSeats(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

// CreateOffering adds a run of course o.Course (a code or ETOC code) starting
// on o.Start, and fills in its ID, Ref, title and area. A second offering of
// the same course on the same day is ECONFLICT.
func (db *DB) CreateOffering(ctx context.Context, o *nomtrack.Offering) error {
	return db.Update(ctx, func(tx *Tx) error { return createOffering(ctx, tx, o) })
}

func createOffering(ctx context.Context, tx *Tx, o *nomtrack.Offering) error {
	c, err := findCourse(ctx, tx, o.Course)
	if err != nil {
		return err
	}
	o.CourseID, o.Course, o.Title, o.Area = c.ID, c.Code, c.Title, c.Area
	o.Ref = nomtrack.OfferingRef(c.Code, o.Start)
	if o.Status == "" {
		o.Status = nomtrack.OfferingOpen
	}
	if err := checkOfferingKey(ctx, tx, o); err != nil {
		return err
	}
	o.ID, err = tx.insertID(ctx, `INSERT INTO offering (course_id, start, "end", location, seats, deadline, status, cancel_reason, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		o.CourseID, o.Start, o.End, o.Location, nullSeats(o.Seats), o.Deadline, o.Status, o.CancelReason, tx.Stamp(), tx.Stamp())
	if err != nil {
		return fmt.Errorf("insert offering: %w", err)
	}
	return nil
}

func checkOfferingKey(ctx context.Context, q Querier, o *nomtrack.Offering) error {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM offering WHERE course_id = ? AND start = ? AND id != ?`, o.CourseID, o.Start, o.ID).Scan(&id)
	if err == nil {
		return nomtrack.Errorf(nomtrack.ECONFLICT, "offering %s already exists", o.Ref)
	} else if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	return nil
}

// UpdateOffering writes start, end, location, seats and deadline of the
// offering with o.ID (found with FindOffering) and refreshes o.Ref. The course
// and the status are not changed here: cancelling is CancelOffering.
func (db *DB) UpdateOffering(ctx context.Context, o *nomtrack.Offering) error {
	return db.Update(ctx, func(tx *Tx) error {
		o.Ref = nomtrack.OfferingRef(o.Course, o.Start)
		if err := checkOfferingKey(ctx, tx, o); err != nil {
			return err
		}
		before, err := scanOffering(tx.QueryRowContext(ctx, `SELECT `+offeringColumns+offeringFrom+` WHERE o.id = ?`, o.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return nomtrack.Errorf(nomtrack.ENOTFOUND, "offering %s not found", o.Ref)
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE offering SET start = ?, "end" = ?, location = ?, seats = ?, deadline = ?, updated_at = ? WHERE id = ?`,
			o.Start, o.End, o.Location, nullSeats(o.Seats), o.Deadline, tx.Stamp(), o.ID); err != nil {
			return fmt.Errorf("update offering: %w", err)
		}
		return auditEdit(ctx, tx, "offering.edit", "offering:"+before.Ref, offeringEdited(*before), offeringEdited(*o))
	})
}

// offeringEdit is what an offering.edit audit entry keeps of the offering
// before and after: the fields an edit (a command or an import row) can
// change.
type offeringEdit struct {
	Start    string `json:"start"`
	End      string `json:"end"`
	Location string `json:"location"`
	Seats    *int   `json:"seats"`
	Deadline string `json:"deadline"`
}

func offeringEdited(o nomtrack.Offering) offeringEdit {
	return offeringEdit{o.Start, o.End, o.Location, o.Seats, o.Deadline}
}

// FindOffering returns the offering with reference CODE@YYYY-MM-DD (the code
// may be the ETOC code). When the course exists but has no offering that day,
// the ENOTFOUND error suggests its offering nearest in date; an unknown course
// gets the course error with its own suggestion.
func (db *DB) FindOffering(ctx context.Context, ref string) (*nomtrack.Offering, error) {
	var o *nomtrack.Offering
	err := db.View(ctx, func(q Querier) (err error) {
		o, err = findOffering(ctx, q, ref)
		return err
	})
	return o, err
}

func findOffering(ctx context.Context, q Querier, ref string) (*nomtrack.Offering, error) {
	code, start, err := nomtrack.ParseOfferingRef(ref)
	if err != nil {
		// A reference that cannot be read is a malformed argument (exit
		// 2), as a malformed date is; in an imported row it stays a row
		// error (the importer reads its own).
		return nil, nomtrack.Errorf(nomtrack.EUSAGE, "%s", nomtrack.ErrorMessage(err))
	}
	c, err := findCourse(ctx, q, code)
	if err != nil {
		if nomtrack.ErrorCode(err) == nomtrack.ENOTFOUND {
			return nil, nomtrack.Errorf(nomtrack.ENOTFOUND, "offering %s not found: %s", strings.TrimSpace(ref), nomtrack.ErrorMessage(err))
		}
		return nil, err
	}
	o, err := scanOffering(q.QueryRowContext(ctx, `SELECT `+offeringColumns+offeringFrom+` WHERE o.course_id = ? AND o.start = ?`, c.ID, start))
	if err == nil {
		return o, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT start FROM offering WHERE course_id = ? ORDER BY start`, c.ID)
	if err != nil {
		return nil, err
	}
	starts, err := scanColumn(rows)
	if err != nil {
		return nil, err
	}
	want := nomtrack.OfferingRef(c.Code, start)
	if len(starts) == 0 {
		return nil, nomtrack.Errorf(nomtrack.ENOTFOUND, "offering %s not found; course %s has no offerings yet (add one with 'nomtrack offering add %s --start DATE')", want, c.Code, c.Code)
	}
	refs := make([]string, len(starts))
	for i, s := range starts {
		refs[i] = nomtrack.OfferingRef(c.Code, s)
	}
	return nil, nomtrack.Errorf(nomtrack.ENOTFOUND, "offering %s not found; did you mean %s?", want, nomtrack.SuggestDate(want, refs))
}

// ListOfferings returns the offerings matching f, newest start first (oldest
// first with f.OldestFirst), then by course code.
func (db *DB) ListOfferings(ctx context.Context, f OfferingFilter) ([]*nomtrack.Offering, error) {
	offerings := []*nomtrack.Offering{}
	err := db.View(ctx, func(q Querier) error {
		where, args := []string{"1 = 1"}, []any{}
		if f.Year != 0 {
			from, to := yearRange(f.Year)
			where, args = append(where, "o.start >= ? AND o.start < ?"), append(args, from, to)
		}
		if f.Course != "" {
			c, err := findCourse(ctx, q, f.Course)
			if err != nil {
				return err
			}
			where, args = append(where, "o.course_id = ?"), append(args, c.ID)
		}
		if f.Area != "" {
			where, args = append(where, "c.area = ?"), append(args, f.Area)
		}
		if len(f.Status) > 0 {
			where = append(where, "o.status IN ("+placeholders(len(f.Status))+")")
			for _, st := range f.Status {
				args = append(args, st)
			}
		}
		if f.From != "" {
			where, args = append(where, "o.start >= ?"), append(args, f.From)
		}
		if f.To != "" {
			where, args = append(where, "o.start <= ?"), append(args, f.To)
		}
		order := ` ORDER BY o.start DESC, c.code, o.id`
		if f.OldestFirst {
			order = ` ORDER BY o.start, c.code, o.id`
		}
		rows, err := q.QueryContext(ctx, `SELECT `+offeringColumns+offeringFrom+` WHERE `+strings.Join(where, " AND ")+
			order+sqlLimit(f.Limit), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			o, err := scanOffering(rows)
			if err != nil {
				return err
			}
			offerings = append(offerings, o)
		}
		return rows.Err()
	})
	return offerings, err
}

// yearRange is [YYYY-01-01, YYYY+1-01-01) as stored dates compare, so a year
// filter on offering.start uses its index.
func yearRange(year int) (from, to string) {
	return fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-01-01", year+1)
}

// StatusMove is one nomination moved from one status to another by a
// command that moves several (offering cancel, offering reopen).
type StatusMove struct {
	ID   int64  `json:"id"`
	From string `json:"from"`
	To   string `json:"to"`
}

// CancelOffering marks the offering cancelled with reason and moves every open
// nomination on it (nominated, approved, confirmed) to cancelled, each with an
// event carrying the reason, in one transaction. It returns the offering and
// the nominations it cancelled; the audit row lists them too, so that
// ReopenOffering can put them back. An already cancelled offering is
// ECONFLICT.
func (db *DB) CancelOffering(ctx context.Context, ref, reason string) (*nomtrack.Offering, []StatusMove, error) {
	var o *nomtrack.Offering
	moves := []StatusMove{}
	err := db.Update(ctx, func(tx *Tx) (err error) {
		if o, err = findOffering(ctx, tx, ref); err != nil {
			return err
		}
		if o.Status == nomtrack.OfferingCancelled {
			return nomtrack.Errorf(nomtrack.ECONFLICT, "offering %s is already cancelled (%s)", o.Ref, o.CancelReason)
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, status FROM nomination WHERE offering_id = ? AND status IN (?, ?, ?) ORDER BY id`,
			o.ID, nomtrack.StatusNominated, nomtrack.StatusApproved, nomtrack.StatusConfirmed)
		if err != nil {
			return err
		}
		for rows.Next() {
			m := StatusMove{To: nomtrack.StatusCancelled}
			if err := rows.Scan(&m.ID, &m.From); err != nil {
				rows.Close()
				return err
			}
			moves = append(moves, m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, m := range moves {
			if err := moveStatus(ctx, tx, m.ID, m.From, m.To, reason, SourceCLI, false); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE offering SET status = ?, cancel_reason = ?, updated_at = ? WHERE id = ?`,
			nomtrack.OfferingCancelled, reason, tx.Stamp(), o.ID); err != nil {
			return err
		}
		o.Status, o.CancelReason = nomtrack.OfferingCancelled, reason
		return writeAudit(ctx, tx, "offering.cancel", "offering:"+o.Ref, map[string]any{
			"offering_id": o.ID, "reason": reason, "nominations_cancelled": len(moves), "nominations": moves})
	})
	if err != nil {
		return nil, nil, err
	}
	return o, moves, nil
}

// OfferingCommitted counts the principals of an offering holding a seat
// (approved, confirmed, attended or completed), for the seat rule and for
// `offering show`.
func (db *DB) OfferingCommitted(ctx context.Context, offeringID int64) (int, error) {
	var n int
	err := db.View(ctx, func(q Querier) (err error) {
		n, err = offeringCommitted(ctx, q, offeringID, 0)
		return err
	})
	return n, err
}

// offeringCommitted counts committed principals of the offering, leaving out
// nomination except (0 leaves out none).
func offeringCommitted(ctx context.Context, q Querier, offeringID, except int64) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, offeringCommittedSQL, offeringID, nomtrack.RolePrincipal, except).Scan(&n)
	return n, err
}

// offeringCommittedSQL is the seat check's count: a range of the
// nomination_offering_cover index, never the table
// (TestStatusChangePlansStayNarrow).
var offeringCommittedSQL = `SELECT count(*) FROM nomination WHERE offering_id = ? AND role = ? AND id != ?
		AND status IN (` + committedList + `)`

// committedList is the SQL list of committed statuses (SPEC §2), literal so
// that the planner can use nomination_offering(offering_id, status).
const committedList = sqlCommitted
