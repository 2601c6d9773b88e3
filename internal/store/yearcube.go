package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/nomtrack/nomtrack/internal/figures"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// courseInfo is what the year report shows of a course; fee is its fee per
// seat in cents, figures.FeeUnknown when unknown.
type courseInfo struct {
	code, title, area, provider string
	fee                         int64
}

// reportCourses reads every course once: a catalogue holds a few hundred.
func reportCourses(ctx context.Context, q Querier) (map[int64]courseInfo, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, code, title, area, provider, fee FROM course`)
	if err != nil {
		return nil, fmt.Errorf("year report courses: %w", err)
	}
	defer rows.Close()
	out := map[int64]courseInfo{}
	for rows.Next() {
		var id int64
		var c courseInfo
		var fee *float64
		if err := rows.Scan(&id, &c.code, &c.title, &c.area, &c.provider, &fee); err != nil {
			return nil, fmt.Errorf("year report courses: %w", err)
		}
		c.fee = figures.FeeCents(fee)
		out[id] = c
	}
	return out, rows.Err()
}

// cubeKey is one cell of a year's nominations grouped by every dimension
// the report breaks them down by; the course stands for its area, provider
// and fee, which it determines. ministry is the one the nomination was
// made under, funding its funding source (empty when unknown).
type cubeKey struct {
	course                                   int64
	month, ministry, gender, status, funding string
}

// participation is one nomination that was attended or completed, kept to
// count distinct people per group after the pass: its person and its cell
// (an index into yearCube.keys), 16 bytes, so that keeping and sorting a
// year's worth costs little.
type participation struct {
	person int64
	cell   int32
}

// yearCube counts a year's nominations by cubeKey and keeps the
// participations, in one pass over the rows. The cells are numbered in
// order of appearance: keys[i] is counted counts[i] times.
//
// A cell is found by its cellCode, the cubeKey with each text replaced by
// its number (code): hashing five strings for each of a year's 62,500
// nominations was a fifth of `report year`'s time at 1,000,000
// nominations.
type yearCube struct {
	cells  map[cellCode]int32
	keys   []cubeKey
	counts []int
	// participated[i] tells whether keys[i].status is attended or completed.
	participated []bool
	parts        []participation
	cost         yearCost // set by fill

	codes     map[string]uint32 // the few distinct texts, numbered
	texts     []string          // texts[code]
	genders   [3]uint32         // the codes of genderTexts
	offerings map[int64]yearOffering
	last      [3]lastCode // the previous row's status, ministry and funding
}

// cellCode is a cubeKey whose texts are codes (yearCube.code).
type cellCode struct {
	course                                   int64
	month, ministry, gender, status, funding uint32
}

// yearOffering is what a year's nominations take from their offering:
// its course and the code of its month.
type yearOffering struct {
	course int64
	month  uint32
}

// lastCode remembers the code of the text a column had in the previous
// row: rows come by offering and status, so the status and funding
// repeat.
type lastCode struct {
	text []byte
	code uint32
	set  bool
}

// The columns of yearRowsSQL whose previous text yearCube.code remembers;
// noColumn remembers nothing.
const (
	statusColumn = iota
	ministryColumn
	fundingColumn
	noColumn = -1
)

// yearCost is the fees of the year's committed nominations grouped by
// each dimension `report costs` shows.
type yearCost struct {
	funding, ministry, area, provider costGroups
}

func newYearCube() *yearCube {
	c := &yearCube{cells: map[cellCode]int32{}, codes: map[string]uint32{}, offerings: map[int64]yearOffering{}}
	for g, text := range genderTexts {
		c.genders[g] = c.code(noColumn, []byte(text))
	}
	return c
}

// code numbers the text b (the same number for the same text), taking
// the previous row's answer for column col when the text is the same.
func (c *yearCube) code(col int, b []byte) uint32 {
	var l *lastCode
	if col != noColumn {
		l = &c.last[col]
		if l.set && string(l.text) == string(b) {
			return l.code
		}
	}
	n, ok := c.codes[string(b)]
	if !ok {
		s := string(b)
		n = uint32(len(c.texts))
		c.codes[s] = n
		c.texts = append(c.texts, s)
	}
	if l != nil {
		l.text, l.code, l.set = append(l.text[:0], b...), n, true
	}
	return n
}

// addOffering records the course and month (YYYY-MM) of an offering whose
// nominations addRow will count.
func (c *yearCube) addOffering(id, course int64, month []byte) {
	c.offerings[id] = yearOffering{course: course, month: c.code(noColumn, month)}
}

// addRow counts one row of yearRowsSQL: a nomination of offering (one
// given to addOffering) with status, made under ministry, funded by
// funding, by person whose gender is genderTexts[gender].
func (c *yearCube) addRow(offering int64, status []byte, person int64, ministry []byte, gender uint8, funding []byte) {
	o := c.offerings[offering]
	c.count(c.cell(cellCode{course: o.course, month: o.month, ministry: c.code(ministryColumn, ministry),
		gender: c.genders[gender], status: c.code(statusColumn, status), funding: c.code(fundingColumn, funding)}), person)
}

// add counts one nomination given by its texts.
func (c *yearCube) add(course int64, month, status []byte, person int64, ministry, gender, funding []byte) {
	c.count(c.cell(cellCode{course: course, month: c.code(noColumn, month), ministry: c.code(noColumn, ministry),
		gender: c.code(noColumn, gender), status: c.code(noColumn, status), funding: c.code(noColumn, funding)}), person)
}

// cell is the number of the cell k, numbering it if it is new.
func (c *yearCube) cell(k cellCode) int32 {
	i, ok := c.cells[k]
	if !ok {
		i = int32(len(c.keys))
		c.cells[k] = i
		key := cubeKey{course: k.course, month: c.texts[k.month], ministry: c.texts[k.ministry],
			gender: c.texts[k.gender], status: c.texts[k.status], funding: c.texts[k.funding]}
		c.keys = append(c.keys, key)
		c.counts = append(c.counts, 0)
		c.participated = append(c.participated, nomtrack.Participated(key.status))
	}
	return i
}

// count counts a nomination of person in cell i.
func (c *yearCube) count(i int32, person int64) {
	c.counts[i]++
	if c.participated[i] {
		c.parts = append(c.parts, participation{person: person, cell: i})
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

// groupKey is a group of one breakdown: its key, and for courses the title.
type groupKey struct{ key, label string }

// dimKeys are the groups of the year's breakdowns (report.Dimensions'
// order) a nomination of course in month under ministry by a person of
// gender falls in.
func dimKeys(co courseInfo, month, ministry, gender string) [6]groupKey {
	return [6]groupKey{{ministry, ""}, {co.area, ""}, {co.code, co.title}, {co.provider, ""}, {month, ""}, {gender, ""}}
}

// costGroups are the fees of a year's nominations grouped by one dimension.
type costGroups map[string]*figures.CostRow

func (g costGroups) add(key string, committed, participated bool, fee int64, n int) {
	r := g[key]
	if r == nil {
		r = &figures.CostRow{Key: key}
		g[key] = r
	}
	if committed {
		r.Committed.AddFee(fee, n)
	}
	if participated {
		r.Participated.AddFee(fee, n)
	}
}

// breakdown returns the groups as a breakdown of dim: the keys in keys
// first, in that order (with zeros when absent), then the others by
// committed amount, largest first, ties by key.
func (g costGroups) breakdown(dim string, keys []string) figures.CostBreakdown {
	rows := []figures.CostRow{}
	fixed := map[string]bool{}
	for _, k := range keys {
		fixed[k] = true
		if r := g[k]; r != nil {
			rows = append(rows, *r)
		} else {
			rows = append(rows, figures.CostRow{Key: k})
		}
	}
	var rest []figures.CostRow
	for k, r := range g {
		if !fixed[k] {
			rest = append(rest, *r)
		}
	}
	slices.SortFunc(rest, func(a, b figures.CostRow) int {
		return cmp.Or(cmp.Compare(b.Committed.Cents, a.Committed.Cents), cmp.Compare(a.Key, b.Key))
	})
	return figures.CostBreakdown{Dimension: dim, Rows: append(rows, rest...)}
}

// fill sets y's totals, status counts, participants, breakdowns in dims
// (ministry, area, course, provider, month, gender: report.Dimensions'
// order), women, repeat participants and cost. Months are in calendar
// order; every other breakdown has the most nominations first, ties by key.
func (c *yearCube) fill(y *figures.Year, courses map[int64]courseInfo, dims []*figures.Breakdown) {
	groups := make([]map[groupKey]*figures.Group, len(dims))
	for i := range groups {
		groups[i] = map[groupKey]*figures.Group{}
	}
	c.cost = yearCost{funding: costGroups{}, ministry: costGroups{}, area: costGroups{}, provider: costGroups{}}
	for i, k := range c.keys {
		n := c.counts[i]
		cn := counts(k.status, n)
		y.ByStatus[k.status] += n
		y.Nominations += cn.Nominations
		y.Committed += cn.Committed
		y.Participated += cn.Participated
		y.NoShow += cn.NoShow
		co := courses[k.course]
		for d, gk := range dimKeys(co, k.month, k.ministry, k.gender) {
			g := groups[d][gk]
			if g == nil {
				g = &figures.Group{Key: gk.key, Label: gk.label}
				groups[d][gk] = g
			}
			addCounts(&g.Counts, cn)
			// Participants start as participations; fillParticipants
			// takes away each person's second and later ones.
			g.Participants += cn.Participated
		}
		if committed, participated := cn.Committed > 0, cn.Participated > 0; committed || participated {
			if committed {
				y.Cost.Committed.AddFee(co.fee, n)
			}
			if participated {
				y.Cost.Participated.AddFee(co.fee, n)
			}
			c.cost.funding.add(figures.FundingKey(k.funding), committed, participated, co.fee, n)
			c.cost.ministry.add(k.ministry, committed, participated, co.fee, n)
			c.cost.area.add(co.area, committed, participated, co.fee, n)
			c.cost.provider.add(co.provider, committed, participated, co.fee, n)
		}
	}
	women, womenBy := c.fillParticipants(y, courses, groups)
	for i, d := range dims {
		for _, g := range groups[i] {
			d.Groups = append(d.Groups, *g)
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
	y.Women = figures.Women{Participants: women, Share: figures.Ratio(women, y.Participants),
		ByMinistry: []figures.WomenRow{}}
	for _, g := range y.ByMinistry.Groups {
		if g.Participants > 0 {
			y.Women.ByMinistry = append(y.Women.ByMinistry, figures.WomenRow{Ministry: g.Key,
				Participants: womenBy[g.Key], AllParticipants: g.Participants,
				Share: figures.Ratio(womenBy[g.Key], g.Participants)})
		}
	}
	y.Cost.Currency = figures.Currency
	y.Cost.ByFunding = c.cost.funding.breakdown(figures.DimFunding, figures.FundingSources)
	y.Cost.ByMinistry = c.cost.ministry.breakdown(figures.DimMinistry, nil)
}

// fillParticipants counts distinct people: the year's participants, its
// repeat participants, and each group's participants (corrected from the
// participations counted in fill). It returns the distinct women who
// participated, in all and per ministry.
//
// The participations are sorted by person, so each person's are adjacent;
// a person with one participation (most people) needs no correction, and
// only repeat participants' groups are compared.
func (c *yearCube) fillParticipants(y *figures.Year, courses map[int64]courseInfo, groups []map[groupKey]*figures.Group) (women int, womenBy map[string]int) {
	slices.SortFunc(c.parts, func(a, b participation) int { return cmp.Compare(a.person, b.person) })
	womenBy = map[string]int{}
	var seen [6][]groupKey
	for i := 0; i < len(c.parts); {
		j := i + 1
		for j < len(c.parts) && c.parts[j].person == c.parts[i].person {
			j++
		}
		run := c.parts[i:j]
		i = j
		y.Participants++
		first := c.keys[run[0].cell]
		woman := first.gender == nomtrack.GenderFemale
		if woman {
			women++
		}
		if len(run) == 1 {
			if woman {
				womenBy[first.ministry]++
			}
			continue
		}
		y.RepeatParticipants++
		for d := range seen {
			seen[d] = seen[d][:0]
		}
		for _, p := range run {
			k := c.keys[p.cell]
			for d, gk := range dimKeys(courses[k.course], k.month, k.ministry, k.gender) {
				if slices.Contains(seen[d], gk) {
					groups[d][gk].Participants--
					continue
				}
				seen[d] = append(seen[d], gk)
				if d == 0 && woman {
					womenBy[gk.key]++
				}
			}
		}
	}
	return women, womenBy
}

// foldTop keeps the top groups of each breakdown in dims (fill's order:
// most nominations first) but the months, which are a calendar, and sums
// the others into one figures.OtherKey group. Its counts are sums; its
// participants are distinct people, counted again from the participations
// (sorted by person by fillParticipants), since one person may have
// participated in several of the folded groups.
func (c *yearCube) foldTop(courses map[int64]courseInfo, dims []*figures.Breakdown, top int) {
	folded := make([]map[groupKey]bool, len(dims))
	cut := false
	for d, b := range dims {
		if b.Dimension == figures.DimMonth || len(b.Groups) <= top {
			continue
		}
		other := figures.Group{Key: figures.OtherKey, Folded: len(b.Groups) - top}
		folded[d] = map[groupKey]bool{}
		for _, g := range b.Groups[top:] {
			addCounts(&other.Counts, g.Counts)
			folded[d][groupKey{g.Key, g.Label}] = true
		}
		b.Groups = append(b.Groups[:top:top], other)
		cut = true
	}
	if !cut {
		return
	}
	for i := 0; i < len(c.parts); {
		j := i + 1
		for j < len(c.parts) && c.parts[j].person == c.parts[i].person {
			j++
		}
		var in [6]bool
		for _, p := range c.parts[i:j] {
			k := c.keys[p.cell]
			for d, gk := range dimKeys(courses[k.course], k.month, k.ministry, k.gender) {
				if folded[d][gk] {
					in[d] = true
				}
			}
		}
		for d, ok := range in {
			if ok {
				dims[d].Groups[len(dims[d].Groups)-1].Participants++
			}
		}
		i = j
	}
}
