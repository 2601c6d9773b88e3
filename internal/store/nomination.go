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

// SourceCLI is the source of events made by interactive commands; imports
// write "import:FILE:ROW".
const SourceCLI = "cli"

// NominationFilter selects nominations for ListNominations; zero fields
// select all. Course, Offering and Person are resolved first, so a mistyped
// one is ENOTFOUND with a suggestion instead of an empty list.
type NominationFilter struct {
	Year     int    // year of the offering's start
	Status   string // a status as ParseStatus reads it, or several, comma-separated (any of them)
	Ministry string // the nomination's ministry code (as of the nomination), exactly
	Course   string // course code or ETOC code
	Offering string // offering reference CODE@YYYY-MM-DD
	Person   string // person id or ref
	// Visa, Clearance and Funding select one value of the pre-departure
	// field, or "none" for not recorded; ADL is "done" or "none".
	Visa, Clearance, Funding, ADL string
	Limit                         int
	// OldestFirst orders by the offering's start from the oldest (a
	// person's history); lists are newest first.
	OldestFirst bool
}

// nominationColumns are read by scanNomination, in its order, from
// nominationFrom.
// The ministry, rank, rank code and English are the nomination's own (as of
// the nomination, migration 0007), not the person's today.
const nominationColumns = `n.id, n.person_id, coalesce(p.ref, ''), ` + personDisplayName + `, n.ministry, n.rank, n.rank_code, n.english, n.offering_id, c.code, c.area, o.start,
	n.role, n.alt_order, n.status, n.note, n.visa, n.clearance, n.adl, n.funding, n.certificate, n.created_at, n.updated_at`

const nominationFrom = ` FROM nomination n JOIN person p ON p.id = n.person_id JOIN offering o ON o.id = n.offering_id JOIN course c ON c.id = o.course_id`

// nominationOrder is the stable order of a nomination list: newest offering
// first, as people read a list that leads with a date (the latest runs are
// what they look for; --reverse and --sort give any other order).
// nominationTimeOrder is a person's history, told in time order.
const (
	nominationOrder     = ` ORDER BY o.start DESC, c.code, p.name, n.id`
	nominationTimeOrder = ` ORDER BY o.start, c.code, p.name, n.id`
)

func scanNomination(s interface{ Scan(...any) error }) (*nomtrack.Nomination, error) {
	n := &nomtrack.Nomination{}
	var created, updated string
	var alt sql.NullInt64
	err := s.Scan(&n.ID, &n.PersonID, &n.PersonRef, &n.Name, &n.Ministry, &n.Rank, &n.RankCode, &n.English, &n.OfferingID, &n.Course, &n.Area, &n.Start,
		&n.Role, &alt, &n.Status, &n.Note, &n.Visa, &n.Clearance, &n.ADL, &n.Funding, &n.Certificate, &created, &updated)
	if alt.Valid {
		k := int(alt.Int64)
		n.AltOrder = &k
	}
	n.Offering = nomtrack.OfferingRef(n.Course, n.Start)
	n.CreatedAt, n.UpdatedAt = readStamp(created), readStamp(updated)
	return n, err
}

// FindNomination returns the nomination with this id, or ENOTFOUND.
func (db *DB) FindNomination(ctx context.Context, id int64) (*nomtrack.Nomination, error) {
	var n *nomtrack.Nomination
	err := db.View(ctx, func(q Querier) (err error) {
		n, err = findNomination(ctx, q, id)
		return err
	})
	return n, err
}

func findNomination(ctx context.Context, q Querier, id int64) (*nomtrack.Nomination, error) {
	n, err := scanNomination(q.QueryRowContext(ctx, `SELECT `+nominationColumns+nominationFrom+` WHERE n.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nomtrack.Errorf(nomtrack.ENOTFOUND, "nomination %d not found (see 'nomtrack nomination list')", id)
	}
	return n, err
}

// ListNominations returns the nominations matching f, ordered by the
// offering's start (newest first unless f.OldestFirst), course code,
// person's name, then id. Rows are scanned
// straight into structs with one query, so a year of 100k nominations is one
// pass. The read is tuned as a report's (reportView): a ministry's year is
// ~20,000 nominations and their people scattered over both tables, and
// reading those pages memory-mapped rather than one system call each took
// `nomination list --ministry MoD --year 2018` on 1M nominations from 0.43
// to 0.30 s of CPU with the rest of its round.
func (db *DB) ListNominations(ctx context.Context, f NominationFilter) ([]*nomtrack.Nomination, error) {
	list := []*nomtrack.Nomination{}
	err := db.reportView(ctx, func(q Querier) error {
		where, args, err := nominationWhere(ctx, q, f)
		if err != nil {
			return err
		}
		order := nominationOrder
		if f.OldestFirst {
			order = nominationTimeOrder
		}
		rows, err := q.QueryContext(ctx, `SELECT `+nominationColumns+nominationFrom+` WHERE `+where+order+sqlLimit(f.Limit), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			n, err := scanNomination(rows)
			if err != nil {
				return err
			}
			list = append(list, n)
		}
		return rows.Err()
	})
	return list, err
}

// nominationWhere turns f into a WHERE clause over nominationFrom,
// resolving names to ids so that the indexes do the work.
func nominationWhere(ctx context.Context, q Querier, f NominationFilter) (string, []any, error) {
	where, args := []string{"1 = 1"}, []any{}
	if f.Year != 0 {
		from, to := yearRange(f.Year)
		where, args = append(where, "o.start >= ? AND o.start < ?"), append(args, from, to)
	}
	if f.Status != "" {
		var sts []any
		for _, s := range strings.Split(f.Status, ",") {
			st, err := nomtrack.ParseStatus(strings.TrimSpace(s))
			if err != nil {
				return "", nil, err
			}
			sts = append(sts, st)
		}
		// With another filter, that one leads: a status is shared by a
		// twentieth to a half of all nominations, and SQLite, without
		// statistics, would rather walk nomination_status through every
		// year (measured on 1M nominations: --year 2018 --status completed
		// 0.9 s that way, 0.5 s from the year's offerings). The unary +
		// keeps the status test off the index.
		term := "n.status = ?"
		if len(sts) > 1 {
			term = "n.status IN (" + placeholders(len(sts)) + ")"
		}
		if f.Year != 0 || f.Course != "" || f.Offering != "" || f.Person != "" {
			term = engineOf(q).unindexed(term)
		}
		where, args = append(where, term), append(args, sts...)
	}
	if f.Ministry != "" {
		where, args = append(where, "n.ministry = ?"), append(args, f.Ministry)
	}
	if f.Course != "" {
		c, err := findCourse(ctx, q, f.Course)
		if err != nil {
			return "", nil, err
		}
		where, args = append(where, "o.course_id = ?"), append(args, c.ID)
	}
	if f.Offering != "" {
		o, err := findOffering(ctx, q, f.Offering)
		if err != nil {
			return "", nil, err
		}
		where, args = append(where, "n.offering_id = ?"), append(args, o.ID)
	}
	for _, c := range []struct{ column, value string }{{"visa", f.Visa}, {"clearance", f.Clearance}, {"funding", f.Funding}} {
		switch c.value {
		case "":
		case "none":
			where, args = append(where, "n."+c.column+" = ?"), append(args, "")
		default:
			v, err := nomtrack.ParseChoice(c.column, c.value)
			if err != nil {
				return "", nil, err
			}
			where, args = append(where, "n."+c.column+" = ?"), append(args, v)
		}
	}
	switch f.ADL {
	case "":
	case "done":
		where = append(where, "n.adl <> ''")
	case "none":
		where = append(where, "n.adl = ''")
	default:
		return "", nil, nomtrack.Errorf(nomtrack.EINVALID, "ADL filter %q is neither done nor none", f.ADL)
	}
	if f.Person != "" {
		p, err := findPerson(ctx, q, f.Person)
		if err != nil {
			return "", nil, err
		}
		where, args = append(where, "n.person_id = ?"), append(args, p.ID)
	}
	return strings.Join(where, " AND "), args, nil
}

// NominationHistory returns the events of nomination id, oldest first.
func (db *DB) NominationHistory(ctx context.Context, id int64) ([]nomtrack.Event, error) {
	var events []nomtrack.Event
	err := db.View(ctx, func(q Querier) (err error) {
		if _, err := findNomination(ctx, q, id); err != nil {
			return err
		}
		events, err = nominationHistory(ctx, q, id)
		return err
	})
	return events, err
}

// NewNomination is what `nominate` asks for.
type NewNomination struct {
	Person    string // id or ref
	Offering  string // CODE@YYYY-MM-DD
	Alternate bool
	// AltPlace puts an alternate at this place in the offering's order
	// (1 first), moving those from there on one place down; 0 appends.
	AltPlace int
	Note     string
	// Strict refuses a person who falls short of the course's prerequisites,
	// or a nomination the calendar speaks against (deadline passed, course
	// started, overlapping commitment), with ECONFLICT instead of returning
	// them as warnings.
	Strict bool
}

// Warnings are what a change went through with but the coordinator should
// hear about: eligibility gaps, date issues, missing pre-departure items.
type Warnings struct {
	Gaps    []nomtrack.Gap
	Dates   []nomtrack.DateIssue
	Missing []string // required pre-departure items not recorded (course.requires)
}

// Nominate puts a person forward for an offering as principal (or
// alternate, at the end of the offering's alternates or at in.AltPlace),
// status nominated, with its first event. It returns the eligibility gaps
// and date issues for the caller to warn about; with in.Strict either
// refuses the nomination. A cancelled offering and a second nomination of
// the same person to the same offering are ECONFLICT.
func (db *DB) Nominate(ctx context.Context, in NewNomination) (*nomtrack.Nomination, Warnings, error) {
	var n *nomtrack.Nomination
	var warn Warnings
	err := db.Update(ctx, func(tx *Tx) error {
		p, err := findPerson(ctx, tx, in.Person)
		if err != nil {
			return err
		}
		o, err := findOffering(ctx, tx, in.Offering)
		if err != nil {
			return err
		}
		if o.Status == nomtrack.OfferingCancelled {
			return nomtrack.Errorf(nomtrack.ECONFLICT, "offering %s is cancelled (%s); nominations cannot be added to it", o.Ref, o.CancelReason)
		}
		var existing int64
		var status string
		err = tx.QueryRowContext(ctx, `SELECT id, status FROM nomination WHERE person_id = ? AND offering_id = ?`, p.ID, o.ID).Scan(&existing, &status)
		if err == nil {
			return nomtrack.Errorf(nomtrack.ECONFLICT, "person %s is already nominated to %s (nomination %d, %s)", personLabel(p), o.Ref, existing, status)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if warn, err = checkNomination(ctx, tx, p, o, 0, in.Strict); err != nil {
			return err
		}
		role := nomtrack.RolePrincipal
		if in.Alternate {
			role = nomtrack.RoleAlternate
		}
		// The nomination keeps the person's ministry, rank and English as
		// they are today, so that later edits do not move this year's report.
		id, err := tx.insertID(ctx, `INSERT INTO nomination (person_id, offering_id, role, status, note,
				ministry, rank, rank_code, english, created_at, updated_at)
			SELECT p.id, ?, ?, ?, ?, p.ministry, p.rank, p.rank_code, p.english, ?, ? FROM person p WHERE p.id = ?`,
			o.ID, role, nomtrack.StatusNominated, in.Note, tx.Stamp(), tx.Stamp(), p.ID)
		if err != nil {
			return fmt.Errorf("insert nomination: %w", err)
		}
		if in.Alternate {
			if err := placeAlternate(ctx, tx, o.ID, id, in.AltPlace); err != nil {
				return err
			}
		}
		if err := recountOfferings(ctx, tx, o.ID); err != nil {
			return err
		}
		if err := writeEvent(ctx, tx, id, "", nomtrack.StatusNominated, "", SourceCLI, false); err != nil {
			return err
		}
		n, err = findNomination(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, Warnings{}, err
	}
	return n, warn, nil
}

// checkNomination applies the rules of putting person p forward for (or
// moving them to) offering o: the course's prerequisites and the calendar
// (SPEC §2 Eligibility, Dates). except is the nomination being moved (0 for
// a new one), so it does not overlap itself. With strict any finding is
// ECONFLICT; otherwise the findings are returned as warnings.
func checkNomination(ctx context.Context, tx *Tx, p *nomtrack.Person, o *nomtrack.Offering, except int64, strict bool) (Warnings, error) {
	var warn Warnings
	c, err := findCourse(ctx, tx, o.Course)
	if err != nil {
		return warn, err
	}
	warn.Gaps = nomtrack.Eligibility(*p, *c)
	if strict && len(warn.Gaps) > 0 {
		msgs := make([]string, len(warn.Gaps))
		for i, g := range warn.Gaps {
			msgs[i] = g.Message
		}
		return warn, nomtrack.Errorf(nomtrack.ECONFLICT, "person %s does not meet the prerequisites of %s: %s; not nominated (--strict)",
			personLabel(p), c.Code, strings.Join(msgs, "; "))
	}
	if warn.Dates, err = dateIssues(ctx, tx, p.ID, o, except); err != nil {
		return warn, err
	}
	if strict && len(warn.Dates) > 0 {
		return warn, nomtrack.Errorf(nomtrack.ECONFLICT, "person %s: %s; not nominated (--strict)", personLabel(p), dateMessages(warn.Dates))
	}
	return warn, nil
}

// personLabel names a person in messages by ref, else by id: messages may
// end up in shell histories and tickets, names stay out of them.
func personLabel(p *nomtrack.Person) string {
	if p.Ref != "" {
		return p.Ref
	}
	return strconv.FormatInt(p.ID, 10)
}

// StatusChange is an interactive change of a nomination's status.
type StatusChange struct {
	To     string // any spelling ParseStatus reads
	Reason string
	// Force allows a move against the lifecycle's arrows, recorded as a
	// correction.
	Force bool
	// OverAllocate allows approving a principal beyond the offering's seats.
	OverAllocate bool
	// Strict refuses an approval the calendar speaks against (deadline
	// passed, course started, overlapping commitment) instead of warning.
	Strict bool
	// Capacity is the configured capacity for years without an override
	// (0: nomtrack.DefaultCapacity); it only decides the capacity warning.
	Capacity int
}

// StatusResult is the outcome of SetStatus.
type StatusResult struct {
	Nomination *nomtrack.Nomination
	From       string
	Correction bool
	// OverCapacity is set when an approval or confirmation leaves the year's
	// committed seats past its capacity, for the CLI to warn.
	OverCapacity *YearLoad
	// Warnings holds the date issues of an approval and the required
	// pre-departure items an approval or confirmation goes without.
	Warnings Warnings
}

// YearLoad is a year's committed seats against its capacity.
type YearLoad struct {
	Year      int
	Committed int
	Capacity  nomtrack.Capacity
}

// SetStatus moves nomination id to ch.To under the rules of SPEC §2: along
// the lifecycle's arrows only unless ch.Force (then recorded as a
// correction); an alternate never takes a seat (promote it first) and only
// an alternate is released; a principal takes a seat only while the
// offering has one free, unless ch.OverAllocate; attended, completed and
// no-show wait for the course to start unless ch.Force; an approval the
// calendar speaks against warns, or is refused with ch.Strict. The change
// and its event are one transaction.
func (db *DB) SetStatus(ctx context.Context, id int64, ch StatusChange) (*StatusResult, error) {
	var res *StatusResult
	err := db.Update(ctx, func(tx *Tx) (err error) {
		res, err = setStatus(ctx, tx, id, ch)
		return err
	})
	return res, err
}

func setStatus(ctx context.Context, tx *Tx, id int64, ch StatusChange) (*StatusResult, error) {
	n, err := findNomination(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	to, err := nomtrack.ParseStatus(ch.To)
	if err != nil {
		return nil, err
	}
	correction, err := nomtrack.Move(n.Status, to, ch.Force)
	if err != nil {
		var de *nomtrack.Error
		if errors.As(err, &de) {
			return nil, nomtrack.Errorf(de.Code, "nomination %d: %s", id, de.Message)
		}
		return nil, err
	}
	if to == nomtrack.StatusReleased && n.Role == nomtrack.RolePrincipal && !ch.Force {
		return nil, nomtrack.Errorf(nomtrack.ECONFLICT, "nomination %d is a principal; only an alternate who was not needed is released (withdraw or decline a principal)", id)
	}
	o, err := findOffering(ctx, tx, n.Offering)
	if err != nil {
		return nil, err
	}
	if err := nomtrack.CheckStarted(tx.Today, *o, to, ch.Force); err != nil {
		return nil, nomtrack.Errorf(nomtrack.ECONFLICT, "nomination %d: %s", id, nomtrack.ErrorMessage(err))
	}
	if nomtrack.Committed(to) && !nomtrack.Committed(n.Status) {
		if err := checkSeat(ctx, tx, n, to, ch.OverAllocate); err != nil {
			return nil, err
		}
	}
	res := &StatusResult{From: n.Status, Correction: correction}
	if to == nomtrack.StatusApproved || to == nomtrack.StatusConfirmed {
		c, err := findCourse(ctx, tx, o.Course)
		if err != nil {
			return nil, err
		}
		res.Warnings.Missing = nomtrack.Missing(c.Requires, *n)
	}
	if to == nomtrack.StatusApproved {
		if res.Warnings.Dates, err = dateIssues(ctx, tx, n.PersonID, o, n.ID); err != nil {
			return nil, err
		}
		if ch.Strict && len(res.Warnings.Dates) > 0 {
			return nil, nomtrack.Errorf(nomtrack.ECONFLICT, "nomination %d: %s; not approved (--strict)", id, dateMessages(res.Warnings.Dates))
		}
	}
	if err := moveStatus(ctx, tx, id, n.Status, to, ch.Reason, SourceCLI, correction); err != nil {
		return nil, err
	}
	if n.Role == nomtrack.RoleAlternate && nomtrack.IsOpen(to) != nomtrack.IsOpen(n.Status) {
		// An alternate who leaves the queue hands its place to the next;
		// one brought back by a correction joins its end.
		if err := orderAlternates(ctx, tx, n.OfferingID, 0, 0); err != nil {
			return nil, err
		}
	}
	if res.Nomination, err = findNomination(ctx, tx, id); err != nil {
		return nil, err
	}
	if to == nomtrack.StatusApproved || to == nomtrack.StatusConfirmed {
		year, _ := strconv.Atoi(n.Start[:4])
		load, err := yearLoad(ctx, tx, year, ch.Capacity)
		if err != nil {
			return nil, err
		}
		if load.Committed > load.Capacity.Seats {
			res.OverCapacity = load
		}
	}
	return res, nil
}

// checkSeat applies the seat rules to nomination n about to take a seat
// (move to a committed status).
func checkSeat(ctx context.Context, q Querier, n *nomtrack.Nomination, to string, overAllocate bool) error {
	if n.Role == nomtrack.RoleAlternate {
		return nomtrack.Errorf(nomtrack.ECONFLICT, "nomination %d is an alternate and cannot be %s; promote it first with 'nomtrack nomination promote %d'", n.ID, to, n.ID)
	}
	var seats sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT seats FROM offering WHERE id = ?`, n.OfferingID).Scan(&seats); err != nil {
		return err
	}
	if !seats.Valid || overAllocate {
		return nil // seats not announced yet: nothing to hold against
	}
	committed, err := offeringCommitted(ctx, q, n.OfferingID, n.ID)
	if err != nil {
		return err
	}
	if int64(committed) >= seats.Int64 {
		return nomtrack.Errorf(nomtrack.ECONFLICT, "offering %s has %d seat%s and %d committed; nomination %d was not %s (use --over-allocate to go beyond the seats)",
			n.Offering, seats.Int64, pluralS(int(seats.Int64)), committed, n.ID, to)
	}
	return nil
}

// moveStatus sets a nomination's status, recounts its offering
// (offering_count) and records the event: every status change of an
// interactive command goes through here.
func moveStatus(ctx context.Context, tx *Tx, id int64, from, to, reason, source string, correction bool) error {
	if _, err := tx.ExecContext(ctx, `UPDATE nomination SET status = ?, updated_at = ? WHERE id = ?`, to, tx.Stamp(), id); err != nil {
		return fmt.Errorf("update nomination: %w", err)
	}
	offering, err := nominationOffering(ctx, tx, id)
	if err != nil {
		return err
	}
	if err := recountOfferings(ctx, tx, offering); err != nil {
		return err
	}
	return writeEvent(ctx, tx, id, from, to, reason, source, correction)
}

// writeEvent appends one change of status to a nomination's history,
// stamped with the transaction's clock and actor.
func writeEvent(ctx context.Context, tx *Tx, id int64, from, to, reason, source string, correction bool) error {
	return writeEventKind(ctx, tx, id, nomtrack.EventStatus, "", from, to, reason, source, correction)
}

// writeEventKind appends an event of any kind (nomtrack.EventPromote, …;
// field for an edit) to a nomination's history.
func writeEventKind(ctx context.Context, tx *Tx, id int64, kind, field, from, to, reason, source string, correction bool) error {
	corr := 0
	if correction {
		corr = 1
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO nomination_event (nomination_id, at, actor, from_status, to_status, reason, source, correction, kind, field)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, tx.Stamp(), tx.Actor, from, to, reason, source, corr, kind, field)
	if err != nil {
		return fmt.Errorf("insert event: %w", err)
	}
	return nil
}

// Promote makes an open alternate nomination principal. Promotion does not
// approve: the promoted nomination keeps its status and takes a seat when it
// is approved, under the seat rule like any principal. The change of role
// is an event in the nomination's history (kind promote) and in the audit
// table; the alternates behind it move up one place.
func (db *DB) Promote(ctx context.Context, id int64, reason string) (*nomtrack.Nomination, error) {
	var n *nomtrack.Nomination
	err := db.Update(ctx, func(tx *Tx) (err error) {
		n, err = promote(ctx, tx, id, reason)
		return err
	})
	return n, err
}

func promote(ctx context.Context, tx *Tx, id int64, reason string) (*nomtrack.Nomination, error) {
	n, err := findNomination(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if n.Role == nomtrack.RolePrincipal {
		return nil, nomtrack.Errorf(nomtrack.ECONFLICT, "nomination %d is already principal", id)
	}
	if !nomtrack.IsOpen(n.Status) {
		return nil, nomtrack.Errorf(nomtrack.ECONFLICT, "nomination %d is %s; only an open alternate can be promoted", id, n.Status)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE nomination SET role = ?, alt_order = NULL, updated_at = ? WHERE id = ?`, nomtrack.RolePrincipal, tx.Stamp(), id); err != nil {
		return nil, fmt.Errorf("promote nomination: %w", err)
	}
	if err := orderAlternates(ctx, tx, n.OfferingID, 0, 0); err != nil {
		return nil, err
	}
	if err := recountOfferings(ctx, tx, n.OfferingID); err != nil {
		return nil, err
	}
	if err := writeEventKind(ctx, tx, id, nomtrack.EventPromote, "", nomtrack.RoleAlternate, nomtrack.RolePrincipal, reason, SourceCLI, false); err != nil {
		return nil, err
	}
	if err := writeAudit(ctx, tx, "nomination.promote", "nomination:"+strconv.FormatInt(id, 10),
		map[string]string{"from": nomtrack.RoleAlternate, "to": nomtrack.RolePrincipal, "reason": reason}); err != nil {
		return nil, err
	}
	return findNomination(ctx, tx, id)
}

// NominationEditable reports the columns `nomination edit` may change, each
// with the flag that names it. The snapshot columns correct what the
// nomination was made under (a wrong ministry moves a past year's report,
// so it is never changed by editing the person).
func NominationEditable(field string) bool {
	switch field {
	case "ministry", "rank", "rank_code", "english",
		// Pre-departure and completion fields (issue 14).
		"visa", "clearance", "adl", "funding", "certificate",
		"note":
		return true
	}
	return false
}

// FieldEdit is one new value of a nomination column; Value is validated by
// the caller (a ministry resolved, a rank code parsed).
type FieldEdit struct {
	Field, Value string
}

// EditNomination sets the given columns of nomination id, in one
// transaction, each change recorded as an event of kind 'edit' (field,
// from, to, reason). A value equal to the stored one records nothing. It
// returns the nomination and the number of fields that changed.
func (db *DB) EditNomination(ctx context.Context, id int64, edits []FieldEdit, reason string) (*nomtrack.Nomination, int, error) {
	var n *nomtrack.Nomination
	changed := 0
	err := db.Update(ctx, func(tx *Tx) error {
		if _, err := findNomination(ctx, tx, id); err != nil {
			return err
		}
		for _, e := range edits {
			if !NominationEditable(e.Field) {
				return fmt.Errorf("nomination field %q cannot be edited", e.Field)
			}
			var old string
			// e.Field is one NominationEditable takes, never user text.
			if err := tx.QueryRowContext(ctx, `SELECT `+e.Field+` FROM nomination WHERE id = ?`, id).Scan(&old); err != nil {
				return err
			}
			if old == e.Value {
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE nomination SET `+e.Field+` = ?, updated_at = ? WHERE id = ?`, e.Value, tx.Stamp(), id); err != nil {
				return fmt.Errorf("edit nomination: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO nomination_event (nomination_id, at, actor, from_status, to_status, reason, source, correction, kind, field)
				VALUES (?, ?, ?, ?, ?, ?, ?, 0, 'edit', ?)`, id, tx.Stamp(), tx.Actor, old, e.Value, reason, SourceCLI, e.Field); err != nil {
				return fmt.Errorf("insert event: %w", err)
			}
			changed++
		}
		var err error
		n, err = findNomination(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return n, changed, nil
}
