package sqlite

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/nomtrack/nomtrack/internal/figures"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// courseInfo is what the year report shows of a course.
type courseInfo struct {
	code, title, area, provider string
}

// reportCourses reads every course once: a catalogue holds a few hundred.
func reportCourses(ctx context.Context, q Querier) (map[int64]courseInfo, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, code, title, area, provider FROM course`)
	if err != nil {
		return nil, fmt.Errorf("year report courses: %w", err)
	}
	defer rows.Close()
	out := map[int64]courseInfo{}
	for rows.Next() {
		var id int64
		var c courseInfo
		if err := rows.Scan(&id, &c.code, &c.title, &c.area, &c.provider); err != nil {
			return nil, fmt.Errorf("year report courses: %w", err)
		}
		out[id] = c
	}
	return out, rows.Err()
}

// cubeKey is one cell of a year's nominations grouped by every dimension
// the report breaks them down by; the course stands for its area and
// provider, which it determines.
type cubeKey struct {
	course                          int64
	month, ministry, gender, status string
}

// yearCube counts a year's nominations by cubeKey and collects the
// distinct people who participated, in one pass over the rows.
type yearCube struct {
	cells        map[cubeKey]int
	participants map[int64]struct{}
	interned     map[string]string // the few distinct texts, allocated once
}

func newYearCube() *yearCube {
	return &yearCube{cells: map[cubeKey]int{}, participants: map[int64]struct{}{}, interned: map[string]string{}}
}

// str returns b as a string shared by every row with the same text.
func (c *yearCube) str(b []byte) string {
	if s, ok := c.interned[string(b)]; ok {
		return s
	}
	s := string(b)
	c.interned[s] = s
	return s
}

func (c *yearCube) add(course int64, month, status []byte, person int64, ministry, gender []byte) {
	k := cubeKey{course: course, month: c.str(month), ministry: c.str(ministry), gender: c.str(gender), status: c.str(status)}
	c.cells[k]++
	if nomtrack.Participated(k.status) {
		c.participants[person] = struct{}{}
	}
}

// counts are the SPEC §2 counts of n nominations with status.
func counts(status string, n int) figures.Counts {
	out := figures.Counts{Nominations: n}
	if nomtrack.Committed(status) {
		out.Committed = n
	}
	if nomtrack.Participated(status) {
		out.Participated = n
	}
	if status == nomtrack.StatusNoShow {
		out.NoShow = n
	}
	return out
}

func addCounts(a *figures.Counts, b figures.Counts) {
	a.Nominations += b.Nominations
	a.Committed += b.Committed
	a.Participated += b.Participated
	a.NoShow += b.NoShow
}

// fill sets y's totals, status counts, participants and the breakdowns in
// dims (ministry, area, course, provider, month, gender: figures.Dimensions'
// order). Months are in calendar order; every other breakdown has the most
// nominations first, ties by key.
func (c *yearCube) fill(y *figures.Year, courses map[int64]courseInfo, dims []*figures.Breakdown) {
	type groupKey struct{ key, label string }
	groups := make([]map[groupKey]*figures.Counts, len(dims))
	for i := range groups {
		groups[i] = map[groupKey]*figures.Counts{}
	}
	add := func(d int, key, label string, n figures.Counts) {
		g := groups[d][groupKey{key, label}]
		if g == nil {
			g = &figures.Counts{}
			groups[d][groupKey{key, label}] = g
		}
		addCounts(g, n)
	}
	for k, n := range c.cells {
		cn := counts(k.status, n)
		y.ByStatus[k.status] += n
		y.Nominations += cn.Nominations
		y.Committed += cn.Committed
		y.Participated += cn.Participated
		y.NoShow += cn.NoShow
		co := courses[k.course]
		add(0, k.ministry, "", cn)
		add(1, co.area, "", cn)
		add(2, co.code, co.title, cn)
		add(3, co.provider, "", cn)
		add(4, k.month, "", cn)
		add(5, k.gender, "", cn)
	}
	for i, d := range dims {
		for k, n := range groups[i] {
			d.Groups = append(d.Groups, figures.Group{Key: k.key, Label: k.label, Counts: *n})
		}
		if d.Dimension == figures.DimMonth {
			slices.SortFunc(d.Groups, func(a, b figures.Group) int { return cmp.Compare(a.Key, b.Key) })
			continue
		}
		slices.SortFunc(d.Groups, func(a, b figures.Group) int {
			if c := cmp.Compare(b.Nominations, a.Nominations); c != 0 {
				return c
			}
			return cmp.Or(cmp.Compare(a.Key, b.Key), cmp.Compare(a.Label, b.Label))
		})
	}
	y.Participants = len(c.participants)
}
