package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/nomtrack/nomtrack/internal/figures"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// repeatSQL lists every participation of the people who participated at
// least ? times between two offering start dates, oldest first per
// person. The people are found by one GROUP BY over the range's
// participations (the offering_start and nomination_offering_cover
// indexes), so only their rows are joined to course and person.
var repeatSQL = `
WITH part AS MATERIALIZED (
	SELECT n.person_id AS person_id, ` + nominationMinistry + ` AS ministry, o.course_id AS course_id,
		o.start AS start, n.status AS status
	FROM offering o
	CROSS JOIN nomination n ON n.offering_id = o.id
	CROSS JOIN person p INDEXED BY person_report ON p.id = n.person_id
	WHERE o.start >= ? AND o.start < ? AND n.status IN (` + sqlParticipated + `)
), many AS (
	SELECT person_id FROM part GROUP BY person_id HAVING count(*) >= ?
)
SELECT p.id, p.name, coalesce(p.ref, ''), part.ministry, c.code, c.title, part.start, part.status
FROM many
JOIN part ON part.person_id = many.person_id
JOIN person p ON p.id = many.person_id
JOIN course c ON c.id = part.course_id
ORDER BY p.id, part.start, c.code`

// RepeatReport computes `report repeat`: the people with at least min
// participations in the years from to to, with their courses, in one read
// transaction. Most participations first, then by name.
func (db *DB) RepeatReport(ctx context.Context, from, to, min int) ([]figures.RepeatRow, error) {
	var out []figures.RepeatRow
	err := db.reportView(ctx, func(q Querier) error {
		var err error
		out, err = repeatReport(ctx, q, from, to, min)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func repeatReport(ctx context.Context, q Querier, from, to, min int) ([]figures.RepeatRow, error) {
	lo, _ := yearBounds(from)
	_, hi := yearBounds(to)
	rows, err := q.QueryContext(ctx, repeatSQL, lo, hi, min)
	if err != nil {
		return nil, fmt.Errorf("repeat report: %w", err)
	}
	defer rows.Close()
	out := []figures.RepeatRow{}
	for rows.Next() {
		var id int64
		var name, ref, ministry string
		var c figures.RepeatCourse
		if err := rows.Scan(&id, &name, &ref, &ministry, &c.Course, &c.Title, &c.Start, &c.Status); err != nil {
			return nil, fmt.Errorf("repeat report: %w", err)
		}
		c.Offering = nomtrack.OfferingRef(c.Course, c.Start)
		if n := len(out); n == 0 || out[n-1].PersonID != id {
			out = append(out, figures.RepeatRow{PersonID: id, Person: name, Ref: ref})
		}
		r := &out[len(out)-1]
		r.Courses = append(r.Courses, c)
		r.Participations++
		r.Ministry = ministry // the latest participation's, rows being oldest first
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("repeat report: %w", err)
	}
	slices.SortStableFunc(out, func(a, b figures.RepeatRow) int {
		return cmp.Or(cmp.Compare(b.Participations, a.Participations), cmp.Compare(a.Person, b.Person),
			cmp.Compare(a.PersonID, b.PersonID))
	})
	return out, nil
}

// unknownFeeSQL lists the year's offerings whose course has no fee and
// that have committed nominations: the money promised whose amount is not
// known.
var unknownFeeSQL = `
SELECT c.code, c.title, c.provider, o.start,
	sum(CASE WHEN n.status IN (` + sqlCommitted + `) THEN 1 ELSE 0 END),
	sum(CASE WHEN n.status IN (` + sqlParticipated + `) THEN 1 ELSE 0 END)
FROM offering o
JOIN course c ON c.id = o.course_id
JOIN nomination n ON n.offering_id = o.id
WHERE o.start >= ? AND o.start < ? AND c.fee IS NULL AND n.status IN (` + sqlCommitted + `)
GROUP BY o.id, c.code, c.title, c.provider, o.start
ORDER BY o.start, c.code`

// CostsReport computes `report costs YEAR` in one read transaction: the
// year's nominations are read and grouped as for the year report (one pass,
// yearCube), and the offerings of unknown fee listed.
func (db *DB) CostsReport(ctx context.Context, year int) (*figures.Costs, error) {
	out := &figures.Costs{Year: year, Currency: figures.Currency, UnknownFees: []figures.UnknownFeeRow{}}
	err := db.reportView(ctx, func(q Querier) error {
		c, courses, err := readYear(ctx, q, year)
		if err != nil {
			return err
		}
		y := &figures.Year{ByStatus: figures.StatusCounts{}}
		dims := []*figures.Breakdown{&y.ByMinistry, &y.ByArea, &y.ByCourse, &y.ByProvider, &y.ByMonth, &y.ByGender}
		for i, d := range dims {
			d.Dimension = figures.Dimensions[i]
		}
		c.fill(y, courses, dims)
		out.Committed, out.Participated = y.Cost.Committed, y.Cost.Participated
		out.ByFunding, out.ByMinistry = y.Cost.ByFunding, y.Cost.ByMinistry
		out.ByArea = c.cost.area.breakdown(figures.DimArea, nil)
		out.ByProvider = c.cost.provider.breakdown(figures.DimProvider, nil)

		lo, hi := yearBounds(year)
		rows, err := q.QueryContext(ctx, unknownFeeSQL, lo, hi)
		if err != nil {
			return fmt.Errorf("costs report: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var r figures.UnknownFeeRow
			if err := rows.Scan(&r.Course, &r.Title, &r.Provider, &r.Start, &r.Committed, &r.Participated); err != nil {
				return fmt.Errorf("costs report: %w", err)
			}
			r.Offering = nomtrack.OfferingRef(r.Course, r.Start)
			out.UnknownFees = append(out.UnknownFees, r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
