package store

import (
	"context"
	"fmt"
	"sort"
	"strconv"

	"github.com/nomtrack/nomtrack/internal/figures"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// pendingOrder ranks the kinds of pending item as the report lists them.
func pendingOrder(kind string) int {
	switch kind {
	case figures.PendingAttendance:
		return 0
	case figures.PendingCompletion:
		return 1
	case figures.PendingDeadline:
		return 2
	case figures.PendingClearance:
		return 3
	case figures.PendingADL:
		return 4
	}
	return 0
}

// pendingOfferingsSQL reads the open offerings with what pendingItems needs
// of each: its course's code and requirements, its start, last day and
// deadline.
const pendingOfferingsSQL = `
SELECT o.id, c.code, c.requires, o.start, CASE WHEN o.end >= o.start THEN o.end ELSE o.start END, o.deadline
FROM offering o
CROSS JOIN course c ON c.id = o.course_id
WHERE o.status = ?`

// pendingSQL reads the nominations of open offerings that could be
// pending at all (open or attended) from nomination_offering_cover: the
// tens of thousands of past attendances of a large programme are read from
// the index alone. What each needs of its offering is read once per
// offering (pendingOfferingsSQL): each value a query returns costs the
// driver 0.1 to 0.2 µs, and five of them were the offering's. The
// clearance and ADL date, which only an approved or confirmed nomination
// of a run not yet ended needs, are read after for those (pendingCheck).
const pendingSQL = `
SELECT n.offering_id, n.id, n.role, n.status, n.person_id
FROM offering o
CROSS JOIN nomination n ON n.offering_id = o.id
WHERE o.status = ? AND n.status IN (?, ?, ?, ?)`

// pendingOffering is an open offering as pendingItems needs it.
type pendingOffering struct{ course, requires, start, last, deadline string }

// pendingOfferings reads the open offerings by id.
func pendingOfferings(ctx context.Context, q Querier) (map[int64]*pendingOffering, error) {
	rows, err := q.QueryContext(ctx, pendingOfferingsSQL, nomtrack.OfferingOpen)
	if err != nil {
		return nil, fmt.Errorf("pending report: %w", err)
	}
	defer rows.Close()
	out := map[int64]*pendingOffering{}
	for rows.Next() {
		var id int64
		o := &pendingOffering{}
		if err := rows.Scan(&id, &o.course, &o.requires, &o.start, &o.last, &o.deadline); err != nil {
			return nil, fmt.Errorf("pending report: %w", err)
		}
		out[id] = o
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pending report: %w", err)
	}
	return out, nil
}

// PendingReport computes `report pending` for day today (YYYY-MM-DD) in one
// read transaction: the nominations of open offerings that wait for the
// coordinator (see figures.Pending*), each with the command that settles
// it, by kind, then date, offering and name.
//
// The candidates come from an index; the people are read afterwards, only
// those of the items listed, each once (reportNames), without the memory
// map (scatteredReportView). Reading every candidate's nomination and
// person row took 591 ms of CPU and mapped 281 MB at 1,000,000
// nominations (issue 16). Memory grows with the items listed, not with
// the programme.
func (db *DB) PendingReport(ctx context.Context, today string) ([]figures.PendingRow, error) {
	out := []figures.PendingRow{}
	err := db.scatteredReportView(ctx, func(q Querier) error {
		offerings, err := pendingOfferings(ctx, q)
		if err != nil {
			return err
		}
		rows, err := q.QueryContext(ctx, pendingSQL,
			nomtrack.OfferingOpen, nomtrack.StatusNominated, nomtrack.StatusApproved, nomtrack.StatusConfirmed, nomtrack.StatusAttended)
		if err != nil {
			return fmt.Errorf("pending report: %w", err)
		}
		defer rows.Close()
		var people []int64 // out[i]'s person
		var checks []pendingCheck
		var offeringID int64
		for rows.Next() {
			var n nomtrack.Nomination
			var c pendingCheck
			if err := rows.Scan(&offeringID, &n.ID, &n.Role, &n.Status, &c.person); err != nil {
				return fmt.Errorf("pending report: %w", err)
			}
			o := offerings[offeringID]
			n.Course, n.Start, c.requires, c.last, c.deadline = o.course, o.start, o.requires, o.last, o.deadline
			if c.requires != "" && (n.Status == nomtrack.StatusApproved || n.Status == nomtrack.StatusConfirmed) && c.last >= today {
				// Its items are its missing clearance and ADL alone
				// (a run not ended has no attendance due).
				c.n = n
				checks = append(checks, c)
				continue
			}
			items := pendingItems(today, &n, c.requires, c.last, c.deadline)
			for range items {
				people = append(people, c.person)
			}
			out = append(out, items...)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("pending report: %w", err)
		}
		rows.Close()
		for _, c := range checks {
			if err := q.QueryRowContext(ctx, `SELECT clearance, adl FROM nomination WHERE id = ?`, c.n.ID).Scan(&c.n.Clearance, &c.n.ADL); err != nil {
				return fmt.Errorf("pending report: %w", err)
			}
			items := pendingItems(today, &c.n, c.requires, c.last, c.deadline)
			for range items {
				people = append(people, c.person)
			}
			out = append(out, items...)
		}
		names, err := reportNames(ctx, q, people)
		if err != nil {
			return fmt.Errorf("pending report: %w", err)
		}
		for i, id := range people {
			p := names[id]
			out[i].Person, out[i].Name = p.ref, p.name
			if p.ref == "" {
				out[i].Person = strconv.FormatInt(id, 10)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Kind != b.Kind {
			return pendingOrder(a.Kind) < pendingOrder(b.Kind)
		}
		if a.Since != b.Since {
			return a.Since < b.Since
		}
		if a.Offering != b.Offering {
			return a.Offering < b.Offering
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Nomination < b.Nomination
	})
	return out, nil
}

// pendingCheck is a nomination whose pre-departure items (clearance, ADL)
// are due: its pendingSQL row, read again with those fields.
type pendingCheck struct {
	n                        nomtrack.Nomination
	person                   int64
	requires, last, deadline string
}

// pendingItems are the items nomination n (to a run with last day last and
// the given deadline) stands for on day today, without their person
// (PendingReport names the people of all items at once).
func pendingItems(today string, n *nomtrack.Nomination, requires, last, deadline string) []figures.PendingRow {
	ref := nomtrack.OfferingRef(n.Course, n.Start)
	item := func(kind, since, action string) figures.PendingRow {
		return figures.PendingRow{Kind: kind, Offering: ref, Nomination: n.ID, Since: since, Action: action}
	}
	id := strconv.FormatInt(n.ID, 10)
	ended := last < today
	var out []figures.PendingRow
	switch {
	case ended && n.Status == nomtrack.StatusConfirmed && n.Role == nomtrack.RolePrincipal:
		out = append(out, item(figures.PendingAttendance, last, "nomtrack nomination attend "+id+" (or no-show "+id+")"))
	case ended && n.Status == nomtrack.StatusApproved && n.Role == nomtrack.RolePrincipal:
		out = append(out, item(figures.PendingAttendance, last, "nomtrack nomination confirm "+id+", then attend or no-show"))
	case ended && n.Status == nomtrack.StatusAttended:
		out = append(out, item(figures.PendingCompletion, last, "nomtrack nomination complete "+id))
	case n.Status == nomtrack.StatusNominated:
		due := deadline
		if due == "" {
			due = n.Start
		}
		if due >= today {
			break
		}
		switch {
		case n.Role == nomtrack.RoleAlternate && n.Start <= today:
			out = append(out, item(figures.PendingDeadline, due, "nomtrack offering close "+ref))
		case n.Role == nomtrack.RoleAlternate:
			out = append(out, item(figures.PendingDeadline, due, "nomtrack nomination promote "+id+" (or release "+id+")"))
		default:
			out = append(out, item(figures.PendingDeadline, due, "nomtrack nomination approve "+id+" (or decline, withdraw "+id+")"))
		}
	}
	if (n.Status == nomtrack.StatusApproved || n.Status == nomtrack.StatusConfirmed) && !ended {
		for _, m := range nomtrack.Missing(requires, *n) {
			switch m {
			case nomtrack.RequireClearance:
				out = append(out, item(figures.PendingClearance, n.Start, "nomtrack nomination edit "+id+" --clearance granted"))
			case nomtrack.RequireADL:
				out = append(out, item(figures.PendingADL, n.Start, "nomtrack nomination edit "+id+" --adl DATE"))
			}
		}
	}
	return out
}
