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
var pendingOrder = map[string]int{figures.PendingAttendance: 0, figures.PendingCompletion: 1, figures.PendingDeadline: 2,
	figures.PendingClearance: 3, figures.PendingADL: 4}

// PendingReport computes `report pending` for day today (YYYY-MM-DD) in one
// read transaction: the nominations of open offerings that wait for the
// coordinator (see figures.Pending*), each with the command that settles
// it, by kind, then date, offering and name.
func (db *DB) PendingReport(ctx context.Context, today string) ([]figures.PendingRow, error) {
	out := []figures.PendingRow{}
	err := db.reportView(ctx, func(q Querier) error {
		// One pass over the open offerings' nominations that could be
		// pending at all: open or attended, of runs not cancelled.
		rows, err := q.QueryContext(ctx, `
			SELECT n.id, n.role, n.status, n.clearance, n.adl, coalesce(p.ref, ''), p.id, p.name,
				c.code, c.requires, o.start, CASE WHEN o.end >= o.start THEN o.end ELSE o.start END, o.deadline
			FROM nomination n
			JOIN offering o ON o.id = n.offering_id
			JOIN course c ON c.id = o.course_id
			JOIN person p ON p.id = n.person_id
			WHERE o.status = ? AND n.status IN (?, ?, ?, ?)`,
			nomtrack.OfferingOpen, nomtrack.StatusNominated, nomtrack.StatusApproved, nomtrack.StatusConfirmed, nomtrack.StatusAttended)
		if err != nil {
			return fmt.Errorf("pending report: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var n nomtrack.Nomination
			var ref, requires, last, deadline string
			var personID int64
			if err := rows.Scan(&n.ID, &n.Role, &n.Status, &n.Clearance, &n.ADL, &ref, &personID, &n.Name,
				&n.Course, &requires, &n.Start, &last, &deadline); err != nil {
				return fmt.Errorf("pending report: %w", err)
			}
			if ref == "" {
				ref = strconv.FormatInt(personID, 10)
			}
			out = append(out, pendingItems(today, &n, ref, requires, last, deadline)...)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Kind != b.Kind {
			return pendingOrder[a.Kind] < pendingOrder[b.Kind]
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

// pendingItems are the items nomination n (to a run with last day last and
// the given deadline) stands for on day today.
func pendingItems(today string, n *nomtrack.Nomination, person, requires, last, deadline string) []figures.PendingRow {
	ref := nomtrack.OfferingRef(n.Course, n.Start)
	item := func(kind, since, action string) figures.PendingRow {
		return figures.PendingRow{Kind: kind, Offering: ref, Nomination: n.ID, Person: person, Name: n.Name, Since: since, Action: action}
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
