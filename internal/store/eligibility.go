package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

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
// offerings (courses without prerequisites), as one text of ids
// (eachListedID): with those of eligibilitySQL, every person nominated in
// the year.
const eligibilityOthersSQL = `
SELECT string_agg(CAST(n.person_id AS TEXT), ',')
FROM offering o
CROSS JOIN course c ON c.id = o.course_id
CROSS JOIN nomination n ON n.offering_id = o.id
WHERE o.start >= ? AND o.start < ? AND c.min_english = '' AND c.min_rank = ''`

// noRankCodeSQL reads the people without a NATO rank code (the person's
// own, current one) from person_no_rank_code (migration 0025), a third of
// the people at 1,000,000 nominations, as one text of ids (eachListedID):
// the 80,000 ids cost 16 ms of CPU as rows, 10 ms as one text.
const noRankCodeSQL = `SELECT string_agg(CAST(id AS TEXT), ',') FROM person WHERE rank_code = ''`

// eligibilityOffering is an offering of the year to a course with
// prerequisites.
type eligibilityOffering struct {
	id     int64
	course nomtrack.Course
	start  string
	ref    string
	// need is the same for the offerings of courses that ask the same
	// (eligibilityNeeds); order is the offering's place in the report (by
	// start, then course code).
	need, order int
}

// gapKey is a profile checked against what a course asks
// (eligibilityOffering.need).
type gapKey struct {
	need            int
	english, rankCo string
}

// shortfall is a nomination that falls short, as the candidates' pass
// keeps it: what varies by nomination, and its offering and gaps, shared
// with others. The report's rows are made from it once they are sorted,
// each copied once into a list of the right length.
type shortfall struct {
	nominationID, personID                    int64
	ministry, english, rankCode, role, status string
	offering                                  *eligibilityOffering
	gaps                                      []nomtrack.Gap
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
		short, err := eligibilityShortfalls(ctx, q, lo, hi, offerings, &nominated, &out.Nominated)
		if err != nil {
			return err
		}
		if out.Nominated, err = countYearPeople(ctx, q, lo, hi, &nominated, out.Nominated); err != nil {
			return err
		}
		if out.MissingRankCode, err = countWithoutRankCode(ctx, q, &nominated); err != nil {
			return err
		}
		out.Rows, err = eligibilityRows(ctx, q, short)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// eligibilityShortfalls reads the candidates (eligibilitySQL) and keeps
// those with a gap, marking each candidate's person in nominated and
// counting there the people it marks first.
func eligibilityShortfalls(ctx context.Context, q Querier, lo, hi string, offerings map[int64]*eligibilityOffering,
	nominated *personSet, count *int) ([]shortfall, error) {
	rows, err := q.QueryContext(ctx, eligibilitySQL, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("eligibility report: %w", err)
	}
	defer rows.Close()
	// The gaps depend on the profile and what the course asks alone: at
	// 1,000,000 nominations a few thousand combinations among 53,000
	// candidates, each checked once.
	gaps := map[gapKey][]nomtrack.Gap{}
	var short []shortfall
	var offeringID int64
	var o *eligibilityOffering
	var r shortfall
	for rows.Next() {
		if err := rows.Scan(&offeringID, &r.nominationID, &r.personID, &r.ministry, &r.english, &r.rankCode,
			&r.role, &r.status); err != nil {
			return nil, fmt.Errorf("eligibility report: %w", err)
		}
		if nominated.add(r.personID) {
			*count++
		}
		// The rows come offering by offering (CROSS JOIN pins the order).
		if o == nil || o.id != offeringID {
			o = offerings[offeringID]
		}
		k := gapKey{o.need, r.english, r.rankCode}
		g, ok := gaps[k]
		if !ok {
			g = nomtrack.Eligibility(nomtrack.Person{English: r.english, RankCode: r.rankCode}, o.course)
			gaps[k] = g
		}
		if len(g) == 0 {
			continue
		}
		r.offering, r.gaps = o, g
		short = append(short, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("eligibility report: %w", err)
	}
	return short, nil
}

// eligibilityRows names the people of short (reportNames) and makes the
// report's rows in the order of the report before issue 16's change,
// when SQL sorted: ORDER BY o.start, c.code, p.name, n.id (p.name in byte
// order on both engines).
func eligibilityRows(ctx context.Context, q Querier, short []shortfall) ([]figures.EligibilityRow, error) {
	ids := make([]int64, len(short))
	for i := range short {
		ids[i] = short[i].personID
	}
	people, err := reportNames(ctx, q, ids)
	if err != nil {
		return nil, fmt.Errorf("eligibility report: %w", err)
	}
	named := make([]reportName, len(short))
	for i := range short {
		named[i] = people[short[i].personID]
	}
	// By offering first, counting the rows of each (offering.order), so
	// that only each offering's rows are sorted by name and id.
	start := make([]int, 1, len(short)+1)
	for i := range short {
		o := short[i].offering.order + 1
		if o >= len(start) {
			start = append(start, make([]int, o+1-len(start))...)
		}
		start[o]++
	}
	for o := 1; o < len(start); o++ {
		start[o] += start[o-1]
	}
	type key struct {
		name string
		id   int64
		row  int
	}
	keys := make([]key, len(short))
	next := slices.Clone(start)
	for i := range short {
		o := short[i].offering.order
		keys[next[o]] = key{named[i].name, short[i].nominationID, i}
		next[o]++
	}
	for o := 0; o+1 < len(start); o++ {
		slices.SortFunc(keys[start[o]:start[o+1]], func(a, b key) int {
			return cmp.Or(cmp.Compare(a.name, b.name), cmp.Compare(a.id, b.id))
		})
	}
	out := make([]figures.EligibilityRow, len(short))
	for i, k := range keys {
		s, p := &short[k.row], &named[k.row]
		o := s.offering
		out[i] = figures.EligibilityRow{NominationID: s.nominationID, PersonID: s.personID, PersonRef: p.ref,
			Name: p.display, Ministry: s.ministry, Offering: o.ref, Course: o.course.Code, Role: s.role,
			Status: s.status, English: s.english, RankCode: s.rankCode, MinEnglish: o.course.MinEnglish,
			MinRank: o.course.MinRank, Gaps: s.gaps}
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
	needs := map[nomtrack.Course]int{}
	var list []*eligibilityOffering
	for rows.Next() {
		o := &eligibilityOffering{}
		if err := rows.Scan(&o.id, &o.start, &o.course.Code, &o.course.MinEnglish, &o.course.MinRank); err != nil {
			return nil, fmt.Errorf("eligibility report: %w", err)
		}
		need := eligibilityNeed(o.course)
		key, ok := needs[need]
		if !ok {
			key = len(needs)
			needs[need] = key
		}
		o.need, o.ref = key, nomtrack.OfferingRef(o.course.Code, o.start)
		byID[o.id] = o
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

// eligibilityNeed is what nomtrack.Eligibility reads of c: its minimums,
// and its code only when a minimum cannot be read (the gap then names the
// course). Courses with the same need have the same gaps for a profile.
func eligibilityNeed(c nomtrack.Course) nomtrack.Course {
	readable := func(min string, parse func(string) error) bool {
		return strings.TrimSpace(min) == "" || parse(min) == nil
	}
	english := readable(c.MinEnglish, func(s string) error { _, err := nomtrack.ParseEnglish(s); return err })
	rank := readable(c.MinRank, func(s string) error { _, err := nomtrack.ParseRankCode(s); return err })
	if english && rank {
		c.Code = ""
	}
	return c
}

// countYearPeople adds the people of eligibilityOthersSQL to nominated,
// which holds count people, and returns how many it holds then.
func countYearPeople(ctx context.Context, q Querier, lo, hi string, nominated *personSet, count int) (int, error) {
	err := eachListedID(ctx, q, "eligibility report", func(id int64) {
		if nominated.add(id) {
			count++
		}
	}, eligibilityOthersSQL, lo, hi)
	return count, err
}

// countWithoutRankCode counts the people of nominated without a rank code.
func countWithoutRankCode(ctx context.Context, q Querier, nominated *personSet) (int, error) {
	n := 0
	err := eachListedID(ctx, q, "rank code coverage", func(id int64) {
		if nominated.has(id) {
			n++
		}
	}, noRankCodeSQL)
	return n, err
}

// eachListedID runs query, whose rows are each one text of ids
// separated by commas (string_agg), and hands every id to fn; errors are
// prefixed with what, the report that asked.
func eachListedID(ctx context.Context, q Querier, what string, fn func(id int64), query string, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var list sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&list); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if err := eachID(list, fn); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}
