package store

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/nomtrack/nomtrack/internal/figures"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// The status sets of the counting rules (SPEC §2) as SQL lists, literal so
// that the queries built from them are constants (nothing to build when the
// program starts) and the planner can use the status indexes.
// TestStatusListsFollowTheDomain checks each against the domain's own
// definition (nomtrack.Committed, Participated, IsOpen), so the report
// queries and the domain cannot drift apart.
const (
	sqlCommitted    = `'approved', 'confirmed', 'attended', 'completed'`
	sqlParticipated = `'attended', 'completed'`
	sqlOpen         = `'nominated', 'approved', 'confirmed'`
)

// reportView is View for the reports: one read transaction tuned by the
// engine for reading a year's worth of people (on SQLite, a page cache
// large enough for them; see sqliteEngine.tuneReport).
func (db *DB) reportView(ctx context.Context, fn func(q Querier) error) error {
	return db.tunedView(ctx, false, fn)
}

// scatteredReportView is reportView for a report whose pages are
// scattered over the file — people looked up by id for thousands of
// nominations, or every year's participations in an index that a
// migration rebuilt among the freed pages of the old one: on SQLite, read
// without the memory map, which would count every neighbouring page the
// kernel maps as the report's memory.
func (db *DB) scatteredReportView(ctx context.Context, fn func(q Querier) error) error {
	return db.tunedView(ctx, true, fn)
}

func (db *DB) tunedView(ctx context.Context, scattered bool, fn func(q Querier) error) error {
	return db.View(ctx, func(q Querier) error {
		if err := db.eng.tuneReport(ctx, q, scattered); err != nil {
			return err
		}
		return fn(q)
	})
}

// ReportOptions are what every report needs from the configuration.
type ReportOptions struct {
	// DefaultCapacity is the seats of a year without a row in the capacity
	// table (config `capacity`); 0 means nomtrack.DefaultCapacity.
	DefaultCapacity int
	// WithTrend asks YearReport for the participation of every year up to
	// the report's, for the by-year chart of the HTML and XLSX renderings.
	WithTrend bool
	// WithRepeats asks YearReport for the repeat participants with their
	// courses, for the table of the HTML and XLSX renderings.
	WithRepeats bool
	// Top, when above 0, keeps the Top largest groups of each of the
	// year's breakdowns but the months and sums the others into one
	// figures.OtherKey group (--top).
	Top int
}

func (o ReportOptions) capacity() int {
	if o.DefaultCapacity > 0 {
		return o.DefaultCapacity
	}
	return nomtrack.DefaultCapacity
}

// yearBounds are the first day of year and of the year after: a nomination
// belongs to the year of its offering's start, and a range on offering.start
// uses its index where strftime('%Y', start) would not.
func yearBounds(year int) (lo, hi string) {
	return fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-01-01", year+1)
}

// countCols are the SPEC §2 counts of the rows of a group whose status
// column is status and whose weight (1 per nomination, or a pre-aggregated
// count) is n.
func countCols(status, n string) string {
	return fmt.Sprintf(`sum(%[2]s) AS nominations,
		sum(CASE WHEN %[1]s IN (%[3]s) THEN %[2]s ELSE 0 END) AS committed,
		sum(CASE WHEN %[1]s IN (%[4]s) THEN %[2]s ELSE 0 END) AS participated,
		sum(CASE WHEN %[1]s = '%[5]s' THEN %[2]s ELSE 0 END) AS no_show`,
		status, n, sqlCommitted, sqlParticipated, nomtrack.StatusNoShow)
}

// nominationMinistry is the ministry a nomination counts under in every
// report: the one it was made under (nomination.ministry, 0007), so that a
// person who moves does not move past years' figures. A nomination stored
// without one (empty: a row written outside nomtrack) counts under the
// person's current ministry. Both columns are in the indexes the
// reports read (nomination_offering_cover, person_report).
const nominationMinistry = `coalesce(nullif(n.ministry, ''), p.ministry)`

// yearRowsSQL reads a year's nominations once, in one pass over the
// offerings of the year and their nominations (the offering_start and
// nomination_offering_cover indexes; CROSS JOIN pins that order), with only
// what varies by nomination: its offering, status, person, the ministry it
// was made under and its funding. Each column a row carries costs time in
// modernc.org/sqlite and database/sql (a text column more than an integer
// one), so the course and month come from the year's offerings
// (yearOfferingsSQL), the person's gender from readGenders, and the
// person's ministry, for a nomination stored without one, from
// yearOrphans. The grouping is done in Go (yearCube): a GROUP BY over these
// rows cost SQLite as much as reading them.
const yearRowsSQL = `
SELECT n.offering_id, n.status, n.person_id, n.ministry, n.funding
FROM offering o
CROSS JOIN nomination n ON n.offering_id = o.id
WHERE o.start >= ? AND o.start < ?`

// yearOfferingsSQL reads the course and month of each offering of a year.
const yearOfferingsSQL = `SELECT id, course_id, substr(start, 1, 7) FROM offering WHERE start >= ? AND start < ?`

// The codes of a gender (genders.code), and their texts as stored.
const (
	genderCodeUnknown uint8 = iota
	genderCodeFemale
	genderCodeMale
)

var genderTexts = [3]string{genderCodeUnknown: "", genderCodeFemale: nomtrack.GenderFemale, genderCodeMale: nomtrack.GenderMale}

// genders tells each person's gender from two sets: the women and the
// people whose gender is not known. A person's gender is empty, F or M
// (a CHECK of the person table), so everyone else is a man.
type genders struct{ women, unknown personSet }

// code is person's gender as stored, as a gender code.
func (g *genders) code(person int64) uint8 {
	switch {
	case g.women.has(person):
		return genderCodeFemale
	case g.unknown.has(person):
		return genderCodeUnknown
	}
	return genderCodeMale
}

// gendersSQL reads the people of one gender from person_gender.
const gendersSQL = `SELECT id FROM person WHERE gender = ?`

// readGenders reads the ids of the women and of the people of unknown
// gender, two ranges of the person_gender index (migration 0020). Looking
// up the person of each of a year's 62,500 nominations at 1,000,000
// nominations was half of `report year`'s CPU; reading the 30,000 women of
// its 250,000 people is a tenth of that. A programme that records few
// genders reads more ids here, at most one per person.
func readGenders(ctx context.Context, q Querier) (*genders, error) {
	g := &genders{}
	for _, set := range []struct {
		gender string
		ids    *personSet
	}{{nomtrack.GenderFemale, &g.women}, {"", &g.unknown}} {
		if err := readPersonSet(ctx, q, set.ids, gendersSQL, set.gender); err != nil {
			return nil, fmt.Errorf("genders: %w", err)
		}
	}
	return g, nil
}

// readPersonSet adds to set the person ids query returns (one column).
func readPersonSet(ctx context.Context, q Querier, set *personSet, query string, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var id int64
	for rows.Next() {
		if err := rows.Scan(&id); err != nil {
			return err
		}
		set.add(id)
	}
	return rows.Err()
}

// YearReport computes the yearly report of SPEC §5 in one read transaction.
func (db *DB) YearReport(ctx context.Context, year int, opt ReportOptions) (*figures.Year, error) {
	var y *figures.Year
	err := db.reportView(ctx, func(q Querier) error {
		var err error
		if y, err = yearReport(ctx, q, year, opt); err != nil {
			return err
		}
		if opt.WithTrend {
			from, err := firstYear(ctx, q)
			if err != nil {
				return err
			}
			if from == 0 || from > year {
				from = year
			}
			y.Trend, err = trendReport(ctx, q, from, year, opt)
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return y, nil
}

func yearReport(ctx context.Context, q Querier, year int, opt ReportOptions) (*figures.Year, error) {
	y := &figures.Year{Year: year, ByStatus: figures.StatusCounts{}}
	var err error
	if y.Capacity, y.CapacitySource, err = capacityOf(ctx, q, year, opt); err != nil {
		return nil, err
	}
	dims := []*figures.Breakdown{&y.ByMinistry, &y.ByArea, &y.ByCourse, &y.ByProvider, &y.ByMonth, &y.ByGender}
	for i, d := range dims {
		d.Dimension = figures.Dimensions[i]
		d.Groups = []figures.Group{}
	}
	c, courses, err := readYear(ctx, q, year)
	if err != nil {
		return nil, err
	}
	c.fill(y, courses, dims)
	if opt.Top > 0 {
		c.foldTop(courses, dims, opt.Top)
	}
	y.Utilisation = figures.Ratio(y.Participated, y.Capacity)
	if opt.WithRepeats {
		if y.Repeats, err = repeatReport(ctx, q, year, year, 2); err != nil {
			return nil, err
		}
	}
	return y, nil
}

// readYear reads the year's nominations into a cube (yearRowsSQL), with
// the catalogue it refers to.
func readYear(ctx context.Context, q Querier, year int) (*yearCube, map[int64]courseInfo, error) {
	courses, err := reportCourses(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	g, err := readGenders(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	c := newYearCube()
	lo, hi := yearBounds(year)
	if err := readYearOfferings(ctx, q, c, lo, hi); err != nil {
		return nil, nil, fmt.Errorf("year report: %w", err)
	}
	rows, err := q.QueryContext(ctx, yearRowsSQL, lo, hi)
	if err != nil {
		return nil, nil, fmt.Errorf("year report: %w", err)
	}
	defer rows.Close()
	var offering, person int64
	var status, ministry, funding sql.RawBytes
	var orphans []yearOrphan
	for rows.Next() {
		if err := rows.Scan(&offering, &status, &person, &ministry, &funding); err != nil {
			return nil, nil, fmt.Errorf("year report: %w", err)
		}
		if len(ministry) == 0 {
			orphans = append(orphans, yearOrphan{offering: offering, status: string(status), person: person,
				funding: string(funding)})
			continue
		}
		c.addRow(offering, status, person, ministry, g.code(person), funding)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("year report: %w", err)
	}
	rows.Close()
	if err := addYearOrphans(ctx, q, c, g, orphans); err != nil {
		return nil, nil, fmt.Errorf("year report: %w", err)
	}
	return c, courses, nil
}

// readYearOfferings reads the course and month of the offerings starting
// from lo to before hi into c.
func readYearOfferings(ctx context.Context, q Querier, c *yearCube, lo, hi string) error {
	rows, err := q.QueryContext(ctx, yearOfferingsSQL, lo, hi)
	if err != nil {
		return err
	}
	defer rows.Close()
	var id, course int64
	var month sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&id, &course, &month); err != nil {
			return err
		}
		c.addOffering(id, course, month)
	}
	return rows.Err()
}

// yearOrphan is a nomination stored without the ministry it was made
// under (a row written outside nomtrack): it counts under its person's
// current ministry (nominationMinistry).
type yearOrphan struct {
	offering, person int64
	status, funding  string
}

// addYearOrphans counts the orphans in c under their people's current
// ministries, each person read once, in batches from person_report.
func addYearOrphans(ctx context.Context, q Querier, c *yearCube, g *genders, orphans []yearOrphan) error {
	if len(orphans) == 0 {
		return nil
	}
	ids := make([]int64, len(orphans))
	for i, o := range orphans {
		ids[i] = o.person
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	ministries := make(map[int64]string, len(ids))
	for len(ids) > 0 {
		batch := ids[:min(peopleBatch, len(ids))]
		ids = ids[len(batch):]
		args := make([]any, len(batch))
		for i, id := range batch {
			args[i] = id
		}
		rows, err := q.QueryContext(ctx, `SELECT id, ministry FROM person WHERE id IN (`+placeholders(len(batch))+`)`, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var m string
			if err := rows.Scan(&id, &m); err != nil {
				rows.Close()
				return err
			}
			ministries[id] = m
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return err
		}
	}
	for _, o := range orphans {
		c.addRow(o.offering, []byte(o.status), o.person, []byte(ministries[o.person]), g.code(o.person), []byte(o.funding))
	}
	return nil
}

// capacityOf is the year's capacity row, else the configured default.
func capacityOf(ctx context.Context, q Querier, year int, opt ReportOptions) (int, string, error) {
	var seats int
	err := q.QueryRowContext(ctx, `SELECT seats FROM capacity WHERE year = ?`, year).Scan(&seats)
	switch {
	case err == sql.ErrNoRows:
		return opt.capacity(), figures.CapacityDefault, nil
	case err != nil:
		return 0, "", fmt.Errorf("capacity of %d: %w", year, err)
	}
	return seats, figures.CapacitySet, nil
}

// firstYear and lastYear bound the years that have nominations (0 when
// there are none). min/max over offering.start read the ends of its index;
// offerings without nominations are skipped by probing nomination_offering_cover.
func firstYear(ctx context.Context, q Querier) (int, error) {
	return edgeYear(ctx, q, "ASC")
}

func lastYear(ctx context.Context, q Querier) (int, error) {
	return edgeYear(ctx, q, "DESC")
}

func edgeYear(ctx context.Context, q Querier, order string) (int, error) {
	var s sql.NullString
	err := q.QueryRowContext(ctx, `SELECT o.start FROM offering o
		WHERE EXISTS (SELECT 1 FROM nomination n WHERE n.offering_id = o.id)
		ORDER BY o.start `+order+` LIMIT 1`).Scan(&s)
	if err == sql.ErrNoRows || (err == nil && !s.Valid) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("years with nominations: %w", err)
	}
	return strconv.Atoi(s.String[:4])
}

// TrendReport computes `report trend`: one row per year from from to to
// (nil: the first and last years with nominations), years without
// nominations included with zeros, in one read transaction. It reads half
// of nomination_offering_cover (every year's participations), without the
// memory map: on a copy of the 1,000,000-nomination database migrated to
// 0020 the map made 166 MB of peak RSS of it, the file read 37 MB, for the
// same CPU time.
func (db *DB) TrendReport(ctx context.Context, from, to *int, opt ReportOptions) ([]figures.TrendRow, error) {
	out := []figures.TrendRow{}
	err := db.scatteredReportView(ctx, func(q Querier) error {
		lo, hi := 0, 0
		var err error
		if from != nil {
			lo = *from
		} else if lo, err = firstYear(ctx, q); err != nil {
			return err
		}
		if to != nil {
			hi = *to
		} else if hi, err = lastYear(ctx, q); err != nil {
			return err
		}
		if from != nil && to == nil && hi < lo {
			hi = lo
		}
		if to != nil && from == nil && (lo == 0 || lo > hi) {
			lo = hi
		}
		if lo == 0 || hi == 0 || lo > hi {
			return nil
		}
		out, err = trendReport(ctx, q, lo, hi, opt)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// trendCountsSQL counts a year's nominations from offering_count
// (migration 0014: per offering, role and status, a few rows an offering)
// instead of reading its 62,500 nominations at 1,000,000. One query a year,
// with no GROUP BY: one statement over every year grouped by year made
// SQLite sort the 64,000 rows of offering_count, and took longer than the
// sixteen queries together.
var trendCountsSQL = sync.OnceValue(func() string {
	return `SELECT ` + countCols("c.status", "c.n") + `
FROM offering o CROSS JOIN offering_count c ON c.offering_id = o.id
WHERE o.start >= ? AND o.start < ?`
})

// trendCapacitySQL reads the capacity rows of a range of years.
const trendCapacitySQL = `SELECT year, seats FROM capacity WHERE year >= ? AND year <= ?`

func trendReport(ctx context.Context, q Querier, from, to int, opt ReportOptions) ([]figures.TrendRow, error) {
	seats := map[int]int{}
	rows, err := q.QueryContext(ctx, trendCapacitySQL, from, to)
	if err != nil {
		return nil, fmt.Errorf("trend report: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var year, n int
		if err := rows.Scan(&year, &n); err != nil {
			return nil, fmt.Errorf("trend report: %w", err)
		}
		seats[year] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("trend report: %w", err)
	}
	rows.Close()
	out := []figures.TrendRow{}
	var seen personSet
	for year := from; year <= to; year++ {
		r := figures.TrendRow{Year: year, Capacity: opt.capacity(), CapacitySource: figures.CapacityDefault}
		if n, ok := seats[year]; ok {
			r.Capacity, r.CapacitySource = n, figures.CapacitySet
		}
		lo, hi := yearBounds(year)
		var noShow int
		err := q.QueryRowContext(ctx, trendCountsSQL(), lo, hi).Scan(&nullInt{&r.Nominations}, &nullInt{&r.Committed},
			&nullInt{&r.Participated}, &nullInt{&noShow})
		if err != nil {
			return nil, fmt.Errorf("trend report: %w", err)
		}
		if r.Participated > 0 {
			if r.Participants, err = yearParticipants(ctx, q, year, &seen); err != nil {
				return nil, err
			}
		}
		r.Utilisation = figures.Ratio(r.Participated, r.Capacity)
		out = append(out, r)
	}
	return out, nil
}

// yearParticipantsSQL lists the person of every nomination of a year that
// participated, through the offering_start and nomination_participation
// (0024: the participations alone, by offering) indexes, as one text of
// decimal ids separated by commas: the 45,000 ids of a year at 1,000,000
// nominations cost modernc.org/sqlite and database/sql far more as rows
// than the engine spends joining them, and string_agg is standard on both
// engines. The status condition is the index's own.
var yearParticipantsSQL = `SELECT string_agg(CAST(n.person_id AS TEXT), ',')
	FROM offering o CROSS JOIN nomination n INDEXED BY nomination_participation ON n.offering_id = o.id
	WHERE o.start >= ? AND o.start < ? AND n.status IN (` + sqlParticipated + `)`

// yearParticipants counts the distinct people who participated in year,
// marking them in seen (cleared first). SQLite's count(DISTINCT) kept a
// temporary b-tree of each year's 45,000 people at 1,000,000 nominations,
// which was half the trend's time (a CPU profile: 510 ms a trend, against
// 200 ms for reading the same rows into a bit set).
func yearParticipants(ctx context.Context, q Querier, year int, seen *personSet) (int, error) {
	lo, hi := yearBounds(year)
	var ids sql.RawBytes
	rows, err := q.QueryContext(ctx, yearParticipantsSQL, lo, hi)
	if err != nil {
		return 0, fmt.Errorf("trend report: %w", err)
	}
	defer rows.Close()
	seen.clear()
	n := 0
	for rows.Next() {
		if err := rows.Scan(&ids); err != nil {
			return 0, fmt.Errorf("trend report: %w", err)
		}
		err := eachID(ids, func(id int64) {
			if seen.add(id) {
				n++
			}
		})
		if err != nil {
			return 0, fmt.Errorf("trend report: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("trend report: %w", err)
	}
	return n, nil
}

// eachID calls fn with each id of list, decimal numbers separated by
// commas (yearParticipantsSQL); an empty list has none.
func eachID(list []byte, fn func(id int64)) error {
	for len(list) > 0 {
		field := list
		if i := bytes.IndexByte(list, ','); i >= 0 {
			field, list = list[:i], list[i+1:]
		} else {
			list = nil
		}
		id, err := strconv.ParseInt(string(field), 10, 64)
		if err != nil {
			return fmt.Errorf("person id %q: %w", field, err)
		}
		fn(id)
	}
	return nil
}

// personSet is a set of person ids, one bit each: ids are small and dense
// (AUTOINCREMENT from 1).
type personSet struct{ words []uint64 }

// add puts id in the set and reports whether it was not there.
func (s *personSet) add(id int64) bool {
	if id < 0 {
		return false
	}
	w, bit := int(id>>6), uint64(1)<<(id&63)
	if w >= len(s.words) {
		s.words = append(s.words, make([]uint64, w+1-len(s.words))...)
	}
	if s.words[w]&bit != 0 {
		return false
	}
	s.words[w] |= bit
	return true
}

func (s *personSet) clear() { clear(s.words) }

// has reports whether id is in the set.
func (s *personSet) has(id int64) bool {
	w := int(id >> 6)
	return id >= 0 && w < len(s.words) && s.words[w]&(1<<(id&63)) != 0
}

// demandSQL lays the year's requests (summed per ministry and area) beside
// its nominations grouped the same way; the keys are the union of both, so
// a request nobody was nominated for and nominations without a request both
// show.
var demandSQL = sync.OnceValue(func() string {
	return `
WITH noms AS (
	SELECT ` + nominationMinistry + ` AS ministry, c.area AS area, ` + countCols("n.status", "1") + `
	FROM offering o
	JOIN course c ON c.id = o.course_id
	JOIN nomination n ON n.offering_id = o.id
	JOIN person p INDEXED BY person_report ON p.id = n.person_id
	WHERE o.start >= ? AND o.start < ?
	GROUP BY 1, c.area
), req AS (
	SELECT ministry, area, sum(seats) AS seats FROM request WHERE year = ? GROUP BY ministry, area
), k AS (
	SELECT ministry, area FROM noms UNION SELECT ministry, area FROM req
)
SELECT k.ministry, k.area, r.seats, coalesce(n.nominations, 0), coalesce(n.committed, 0), coalesce(n.participated, 0)
FROM k
LEFT JOIN noms n ON n.ministry = k.ministry AND n.area = k.area
LEFT JOIN req r ON r.ministry = k.ministry AND r.area = k.area
ORDER BY k.ministry, k.area`
})

// DemandReport computes `report demand YEAR` in one read transaction: the
// rows by SQL, the totals per ministry and in all from them.
func (db *DB) DemandReport(ctx context.Context, year int) (*figures.Demand, error) {
	out := []figures.DemandRow{}
	err := db.reportView(ctx, func(q Querier) error {
		lo, hi := yearBounds(year)
		rows, err := q.QueryContext(ctx, demandSQL(), lo, hi, year)
		if err != nil {
			return fmt.Errorf("demand report: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var r figures.DemandRow
			var req sql.NullInt64
			if err := rows.Scan(&r.Ministry, &r.Area, &req, &r.Nominations, &r.Committed, &r.Participated); err != nil {
				return fmt.Errorf("demand report: %w", err)
			}
			if req.Valid {
				n := int(req.Int64)
				r.Requested = &n
				r.FillRate = figures.Ratio(r.Committed, n)
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	d := &figures.Demand{Year: year, Rows: out, ByMinistry: []figures.DemandRow{}}
	for _, r := range out {
		if n := len(d.ByMinistry); n == 0 || d.ByMinistry[n-1].Ministry != r.Ministry {
			d.ByMinistry = append(d.ByMinistry, figures.DemandRow{Ministry: r.Ministry})
		}
		d.ByMinistry[len(d.ByMinistry)-1].Add(r)
		d.Total.Add(r)
	}
	return d, nil
}

// OfferingsReport computes `report offerings YEAR` in one read transaction:
// every offering starting in the year, cancelled ones included (their status
// says so), with its nominations counted by one GROUP BY.
func (db *DB) OfferingsReport(ctx context.Context, year int) ([]figures.OfferingRow, error) {
	out := []figures.OfferingRow{}
	err := db.reportView(ctx, func(q Querier) error {
		lo, hi := yearBounds(year)
		rows, err := q.QueryContext(ctx, `
			SELECT c.code, c.title, c.area, o.start, o.end, o.seats, o.status,
				count(n.id), coalesce(sum(CASE WHEN n.status IN (`+sqlCommitted+`) THEN 1 ELSE 0 END), 0),
				coalesce(sum(CASE WHEN n.status IN (`+sqlParticipated+`) THEN 1 ELSE 0 END), 0),
				coalesce(sum(CASE WHEN n.role = 'alternate' THEN 1 ELSE 0 END), 0),
				coalesce(sum(CASE WHEN n.status = 'no-show' THEN 1 ELSE 0 END), 0)
			FROM offering o
			JOIN course c ON c.id = o.course_id
			LEFT JOIN nomination n ON n.offering_id = o.id
			WHERE o.start >= ? AND o.start < ?
			GROUP BY o.id, c.id
			ORDER BY o.start, c.code`, lo, hi)
		if err != nil {
			return fmt.Errorf("offerings report: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var r figures.OfferingRow
			var seats sql.NullInt64
			if err := rows.Scan(&r.Course, &r.Title, &r.Area, &r.Start, &r.End, &seats, &r.Status, &r.Nominations,
				&r.Committed, &r.Participated, &r.Alternates, &r.NoShows); err != nil {
				return fmt.Errorf("offerings report: %w", err)
			}
			r.Ref = nomtrack.OfferingRef(r.Course, r.Start)
			if seats.Valid {
				n := int(seats.Int64)
				r.Seats = &n
				r.FillRate = figures.Ratio(r.Committed, n)
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpcomingReport computes `report upcoming` in one read transaction: every
// open (not cancelled) offering whose nomination deadline or start falls
// within the window today .. until (inclusive), full or not, with the days
// left to each, its seats, committed principals, open seats, principals
// awaiting approval and alternates waiting. today and until are
// YYYY-MM-DD; the days are counted in Go from the stored dates.
func (db *DB) UpcomingReport(ctx context.Context, today, until string) ([]figures.UpcomingRow, error) {
	out := []figures.UpcomingRow{}
	day0, err := time.Parse(nomtrack.DateLayout, today)
	if err != nil {
		return nil, fmt.Errorf("upcoming report: %w", err)
	}
	days := func(d string) int {
		t, err := time.Parse(nomtrack.DateLayout, d)
		if err != nil {
			return 0
		}
		return int(t.Sub(day0).Hours() / 24)
	}
	err = db.reportView(ctx, func(q Querier) error {
		rows, err := q.QueryContext(ctx, `
			SELECT c.code, c.title, o.start, o.deadline, o.seats,
				coalesce(sum(CASE WHEN n.role = 'principal' AND n.status IN (`+committedList+`) THEN 1 ELSE 0 END), 0),
				coalesce(sum(CASE WHEN n.role = 'principal' AND n.status = 'nominated' THEN 1 ELSE 0 END), 0),
				coalesce(sum(CASE WHEN n.role = 'alternate' AND n.status IN (`+sqlOpen+`) THEN 1 ELSE 0 END), 0)
			FROM offering o
			JOIN course c ON c.id = o.course_id
			LEFT JOIN nomination n ON n.offering_id = o.id
			WHERE o.status = 'open'
				AND ((o.start >= ? AND o.start <= ?) OR (o.deadline <> '' AND o.deadline >= ? AND o.deadline <= ?))
			GROUP BY o.id, c.code, c.title, o.start, o.deadline, o.seats
			ORDER BY CASE WHEN o.deadline <> '' AND o.deadline >= ? AND o.deadline < o.start THEN o.deadline ELSE o.start END, o.start, c.code`,
			today, until, today, until, today)
		if err != nil {
			return fmt.Errorf("upcoming report: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var r figures.UpcomingRow
			var seats sql.NullInt64
			if err := rows.Scan(&r.Course, &r.Title, &r.Start, &r.Deadline, &seats, &r.Committed,
				&r.AwaitingApproval, &r.Alternates); err != nil {
				return fmt.Errorf("upcoming report: %w", err)
			}
			r.Ref = nomtrack.OfferingRef(r.Course, r.Start)
			r.DaysToStart = days(r.Start)
			if r.Deadline != "" {
				d := days(r.Deadline)
				r.DaysToDeadline = &d
			}
			if seats.Valid {
				n, open := int(seats.Int64), int(seats.Int64)-r.Committed
				r.Seats, r.OpenSeats = &n, &open
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// peopleBatch is how many people reportNames asks for in one query:
// below SQLite's and PostgreSQL's limits on parameters, and large enough
// that the queries cost little beside the rows.
const peopleBatch = 500

// reportName is how a report names a person: the ref (empty when there
// is none), the stored name (the key reports sort by) and the name shown
// (the Arabic one when there is no Latin one).
type reportName struct{ ref, name, display string }

// reportNamesSQL reads a batch of people from person_report_name
// (migration 0025), which holds only what a report names a person by:
// SQLite looks a person up by id in the table otherwise, a page of wide
// rows read for each person.
var reportNamesSQL = sync.OnceValue(func() string {
	return `SELECT p.id, coalesce(p.ref, ''), p.name, ` + personDisplayName + `
	FROM person p INDEXED BY person_report_name WHERE p.id IN (` + placeholders(peopleBatch) + `)`
})

// reportNames reads the people of ids (in any order, repeats allowed),
// each once, in id order, in batches through one prepared statement (the
// last batch repeats its last id, which IN reads once): a report that
// names thousands of people scattered over the person table reads only
// those.
func reportNames(ctx context.Context, q Querier, ids []int64) (map[int64]reportName, error) {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	people := make(map[int64]reportName, len(ids))
	if len(ids) == 0 {
		return people, nil
	}
	stmt, err := q.PrepareContext(ctx, reportNamesSQL())
	if err != nil {
		return nil, fmt.Errorf("people: %w", err)
	}
	defer stmt.Close()
	args := make([]any, peopleBatch)
	for len(ids) > 0 {
		batch := ids[:min(peopleBatch, len(ids))]
		ids = ids[len(batch):]
		for i := range args {
			args[i] = batch[min(i, len(batch)-1)]
		}
		rows, err := stmt.QueryContext(ctx, args...)
		if err != nil {
			return nil, fmt.Errorf("people: %w", err)
		}
		for rows.Next() {
			var id int64
			var p reportName
			if err := rows.Scan(&id, &p.ref, &p.name, &p.display); err != nil {
				rows.Close()
				return nil, fmt.Errorf("people: %w", err)
			}
			people[id] = p
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("people: %w", err)
		}
	}
	return people, nil
}

// PersonReport computes `report person ID|REF` in one read transaction: the
// person found by id, else by ref (as `person show`), their totals (one GROUP BY) and
// their nominations oldest first. An unknown person is ENOTFOUND with a
// suggestion among the refs.
func (db *DB) PersonReport(ctx context.Context, idOrRef string) (*figures.Person, error) {
	var p *figures.Person
	err := db.reportView(ctx, func(q Querier) error {
		var err error
		if p, err = reportPerson(ctx, q, idOrRef); err != nil {
			return err
		}
		err = q.QueryRowContext(ctx, `SELECT `+countCols("status", "1")+` FROM nomination WHERE person_id = ?`,
			p.ID).Scan(&nullInt{&p.Totals.Nominations}, &nullInt{&p.Totals.Committed},
			&nullInt{&p.Totals.Participated}, &nullInt{&p.Totals.NoShow})
		if err != nil {
			return fmt.Errorf("person report totals: %w", err)
		}
		rows, err := q.QueryContext(ctx, `
			SELECT n.id, c.code, c.title, c.area, c.provider, o.start, o.end, o.location, n.role, n.status
			FROM nomination n
			JOIN offering o ON o.id = n.offering_id
			JOIN course c ON c.id = o.course_id
			WHERE n.person_id = ?
			ORDER BY o.start, c.code`, p.ID)
		if err != nil {
			return fmt.Errorf("person report: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var c figures.PersonCourse
			if err := rows.Scan(&c.NominationID, &c.Course, &c.Title, &c.Area, &c.Provider, &c.Start, &c.End,
				&c.Location, &c.Role, &c.Status); err != nil {
				return fmt.Errorf("person report: %w", err)
			}
			c.Offering = nomtrack.OfferingRef(c.Course, c.Start)
			p.Nominations = append(p.Nominations, c)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// reportPerson finds the person as `person show` does (findPerson: id,
// then ref, with a suggestion when neither matches), without contact details.
func reportPerson(ctx context.Context, q Querier, idOrRef string) (*figures.Person, error) {
	p, err := findPerson(ctx, q, idOrRef)
	if err != nil {
		return nil, err
	}
	return &figures.Person{ID: p.ID, Ref: p.Ref, Name: p.Name, NameAr: p.NameAr, Ministry: p.Ministry, Rank: p.Rank,
		RankCode: p.RankCode, Position: p.Position, Gender: p.Gender, English: p.English,
		Nominations: []figures.PersonCourse{}}, nil
}

// nullInt scans an aggregate that is NULL over no rows (sum of nothing) as 0.
type nullInt struct{ p *int }

func (n *nullInt) Scan(v any) error {
	var x sql.NullInt64
	if err := x.Scan(v); err != nil {
		return err
	}
	*n.p = int(x.Int64)
	return nil
}
