package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/nomtrack/nomtrack/internal/figures"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// `report eligibility YEAR` at 1,000,000 nominations checks the 53,000
// nominations of a year to courses with prerequisites and lists the 30,000
// that fall short. Its time goes into the driver, column by column: each
// value a query returns costs 0.1 µs (a number) to 0.2 µs (text) to hand
// over, so the queries below return what varies by row and read what
// varies by offering once per offering (issue 16).

// eligibilityOfferingsSQL reads the year's offerings of courses with
// prerequisites: a few hundred rows.
const eligibilityOfferingsSQL = `
SELECT o.id, o.start, c.code, c.min_english, c.min_rank
FROM offering o
CROSS JOIN course c ON c.id = o.course_id
WHERE o.start >= ? AND o.start < ? AND (c.min_english <> '' OR c.min_rank <> '')`

// eligibilitySQL reads the nominations to those offerings with the profile
// each was made with (english, rank_code: the nomination's own, so a later
// edit of the person does not change a past year's list) from
// nomination_offering_cover alone (migration 0020), without the person.
const eligibilitySQL = `
SELECT n.offering_id, n.id, n.person_id, n.ministry, n.english, n.rank_code, n.role, n.status
FROM offering o
CROSS JOIN course c ON c.id = o.course_id
CROSS JOIN nomination n ON n.offering_id = o.id
WHERE o.start >= ? AND o.start < ? AND (c.min_english <> '' OR c.min_rank <> '')`

// eligibilityOthersSQL reads the people nominated to the year's other
// offerings (courses without prerequisites): with those of
// eligibilitySQL, every person nominated in the year.
const eligibilityOthersSQL = `
SELECT n.person_id
FROM offering o
CROSS JOIN course c ON c.id = o.course_id
CROSS JOIN nomination n ON n.offering_id = o.id
WHERE o.start >= ? AND o.start < ? AND c.min_english = '' AND c.min_rank = ''`

// noRankCodeSQL reads the people without a NATO rank code (the person's
// own, current one) from person_no_rank_code (migration 0025), a third of
// the people at 1,000,000 nominations.
const noRankCodeSQL = `SELECT id FROM person WHERE rank_code = ''`

// eligibilityOffering is an offering of the year to a course with
// prerequisites.
type eligibilityOffering struct {
	course nomtrack.Course
	start  string
	ref    string
	// courseKey is the same for the offerings of one course; order is
	// the offering's place in the report (by start, then course code).
	courseKey, order int
}

// gapKey is a profile checked against a course (eligibilityOffering.courseKey).
type gapKey struct {
	course          int
	english, rankCo string
}

// EligibilityReport computes `report eligibility YEAR` in one read
// transaction: the year's nominations to courses with prerequisites, kept
// when nomtrack.Eligibility finds a gap (the rule lives in the domain, not
// in SQL), whatever their status, by offering start, course, person's name
// and nomination id; and how many of the people nominated in the year have
// no rank code.
//
// The candidates come from an index; the people of those that fall short
// are read afterwards, each once, in id order (reportNames), without the
// memory map (scatteredReportView). The year's people are counted in a
// bit set from the same pass, so the rank codes are read once for the
// programme's people without one, not once per nomination.
func (db *DB) EligibilityReport(ctx context.Context, year int) (*figures.Eligibility, error) {
	out := &figures.Eligibility{Rows: []figures.EligibilityRow{}}
	err := db.scatteredReportView(ctx, func(q Querier) error {
		lo, hi := yearBounds(year)
		offerings, err := eligibilityOfferings(ctx, q, lo, hi)
		if err != nil {
			return err
		}
		var nominated personSet
		rows, err := q.QueryContext(ctx, eligibilitySQL, lo, hi)
		if err != nil {
			return fmt.Errorf("eligibility report: %w", err)
		}
		defer rows.Close()
		// The gaps depend on the profile and the course alone: 17,000
		// combinations among 53,000 candidates at 1,000,000
		// nominations, each checked once.
		gaps := map[gapKey][]nomtrack.Gap{}
		var orders []int // Rows[i]'s offering's place in the report
		var offeringID int64
		var r figures.EligibilityRow
		for rows.Next() {
			if err := rows.Scan(&offeringID, &r.NominationID, &r.PersonID, &r.Ministry, &r.English, &r.RankCode,
				&r.Role, &r.Status); err != nil {
				return fmt.Errorf("eligibility report: %w", err)
			}
			if nominated.add(r.PersonID) {
				out.Nominated++
			}
			o := offerings[offeringID]
			k := gapKey{o.courseKey, r.English, r.RankCode}
			g, ok := gaps[k]
			if !ok {
				g = nomtrack.Eligibility(nomtrack.Person{English: r.English, RankCode: r.RankCode}, o.course)
				gaps[k] = g
			}
			if len(g) == 0 {
				continue
			}
			r.Gaps = g
			r.Offering, r.Course, r.MinEnglish, r.MinRank = o.ref, o.course.Code, o.course.MinEnglish, o.course.MinRank
			out.Rows = append(out.Rows, r)
			orders = append(orders, o.order)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("eligibility report: %w", err)
		}
		rows.Close()
		if out.Nominated, err = countYearPeople(ctx, q, lo, hi, &nominated, out.Nominated); err != nil {
			return err
		}
		if out.MissingRankCode, err = countWithoutRankCode(ctx, q, &nominated); err != nil {
			return err
		}
		names, err := eligibilityPeople(ctx, q, out.Rows)
		if err != nil {
			return err
		}
		// The order of the report before issue 16's change, when SQL
		// sorted: ORDER BY o.start, c.code, p.name, n.id (p.name in byte
		// order on both engines).
		type key struct {
			order int
			name  string
			id    int64
			row   int
		}
		keys := make([]key, len(out.Rows))
		for i, r := range out.Rows {
			keys[i] = key{orders[i], names[i], r.NominationID, i}
		}
		slices.SortFunc(keys, func(a, b key) int {
			return cmp.Or(cmp.Compare(a.order, b.order), cmp.Compare(a.name, b.name), cmp.Compare(a.id, b.id))
		})
		sorted := make([]figures.EligibilityRow, len(out.Rows))
		for i, k := range keys {
			sorted[i] = out.Rows[k.row]
		}
		out.Rows = sorted
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// eligibilityOfferings reads the offerings of eligibilityOfferingsSQL by
// id, each with its place in the report's order.
func eligibilityOfferings(ctx context.Context, q Querier, lo, hi string) (map[int64]*eligibilityOffering, error) {
	rows, err := q.QueryContext(ctx, eligibilityOfferingsSQL, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("eligibility report: %w", err)
	}
	defer rows.Close()
	byID := map[int64]*eligibilityOffering{}
	courses := map[string]int{}
	var list []*eligibilityOffering
	for rows.Next() {
		var id int64
		o := &eligibilityOffering{}
		if err := rows.Scan(&id, &o.start, &o.course.Code, &o.course.MinEnglish, &o.course.MinRank); err != nil {
			return nil, fmt.Errorf("eligibility report: %w", err)
		}
		key, ok := courses[o.course.Code]
		if !ok {
			key = len(courses)
			courses[o.course.Code] = key
		}
		o.courseKey, o.ref = key, nomtrack.OfferingRef(o.course.Code, o.start)
		byID[id] = o
		list = append(list, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("eligibility report: %w", err)
	}
	slices.SortFunc(list, func(a, b *eligibilityOffering) int {
		return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.course.Code, b.course.Code))
	})
	for i, o := range list {
		o.order = i
	}
	return byID, nil
}

// countYearPeople adds the people of eligibilityOthersSQL to nominated,
// which holds count people, and returns how many it holds then.
func countYearPeople(ctx context.Context, q Querier, lo, hi string, nominated *personSet, count int) (int, error) {
	err := eachRowID(ctx, q, "eligibility report", func(id int64) {
		if nominated.add(id) {
			count++
		}
	}, eligibilityOthersSQL, lo, hi)
	return count, err
}

// countWithoutRankCode counts the people of nominated without a rank code.
func countWithoutRankCode(ctx context.Context, q Querier, nominated *personSet) (int, error) {
	n := 0
	err := eachRowID(ctx, q, "rank code coverage", func(id int64) {
		if nominated.has(id) {
			n++
		}
	}, noRankCodeSQL)
	return n, err
}

// eachRowID runs query, whose rows are one id each, and hands every id to
// fn; errors are prefixed with what, the report that asked.
func eachRowID(ctx context.Context, q Querier, what string, fn func(id int64), query string, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var id int64
	for rows.Next() {
		if err := rows.Scan(&id); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		fn(id)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// eligibilityPeople fills in each row's person (ref and display name) and
// returns each row's person's stored name (the key the report is sorted
// by).
func eligibilityPeople(ctx context.Context, q Querier, out []figures.EligibilityRow) ([]string, error) {
	ids := make([]int64, len(out))
	for i, r := range out {
		ids[i] = r.PersonID
	}
	people, err := reportNames(ctx, q, ids)
	if err != nil {
		return nil, fmt.Errorf("eligibility report: %w", err)
	}
	names := make([]string, len(out))
	for i := range out {
		p := people[out[i].PersonID]
		out[i].PersonRef, out[i].Name, names[i] = p.ref, p.display, p.name
	}
	return names, nil
}
