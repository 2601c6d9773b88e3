package gen

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"
)

// numCourses is the size of the generated catalogue: about what NATO opens to
// one partner across the areas of cooperation, whatever the number of nominations.
const numCourses = 300

// Streams separate the random sequences of the catalogue, of people and of
// nominations, so that each can be re-derived on its own and in any order.
const (
	streamCatalogue   = 0x636174616c6f67 // "catalog"
	streamPerson      = 0x706572736f6e   // "person"
	streamNominations = 0x6e6f6d73       // "noms"
	streamIdentity    = 0x6964656e74     // "ident"
)

// mix is splitmix64's finaliser: it spreads neighbouring indices over the PCG
// state space so that person 41 and person 42 share nothing.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// seedPCG points p at the random sequence of record i of the given stream.
func seedPCG(p *rand.PCG, seed, stream, i uint64) {
	p.Seed(mix(seed^mix(stream)), mix(i^mix(stream+seed)))
}

// course is one generated catalogue entry.
type course struct {
	code, etoc, title string
	area, provider    int
	days, fee         int // fee 0: not known (an empty cell)
	minEnglish        string
	minRank           string
}

// Offering phases relative to the programme's "as of" date.
const (
	phasePast    = iota // ended before the as-of date: final statuses
	phaseRunning        // under way on the as-of date
	phaseClosed         // nomination deadline passed, not started
	phaseOpen           // still taking nominations
)

// offering is one generated run of a course; dates are kept as text because
// that is all the writers need.
type offering struct {
	course                  int32
	start, end, deadline    string
	startT, endT, deadlineT time.Time
	location                string
	seats                   int
	year                    int
	phase                   int
	cancelled               bool
}

// catalogue is the part of a programme that fits in memory whatever N is:
// courses, offerings and, per year and area, the offerings people are put
// forward for.
type catalogue struct {
	cfg       Config
	asOf      time.Time
	courses   []course
	offerings []offering
	pools     [][numAreas][]int32 // [year-FromYear][area] -> offering indices
}

// pickWeighted draws one index of ws with probability proportional to its weight.
func pickWeighted(r *rand.Rand, ws []weighted) string {
	total := 0
	for _, w := range ws {
		total += w.weight
	}
	n := r.IntN(total)
	for _, w := range ws {
		if n < w.weight {
			return w.value
		}
		n -= w.weight
	}
	return ws[len(ws)-1].value
}

// pickArea draws an area with the given relative weights.
func pickArea(r *rand.Rand, ws *[numAreas]int) int {
	total := 0
	for _, w := range ws {
		total += w
	}
	n := r.IntN(total)
	for a, w := range ws {
		if n < w {
			return a
		}
		n -= w
	}
	return numAreas - 1
}

// newCatalogue generates the courses and offerings of c. It depends only on
// the seed and the year range, not on N, so that every N of a seed shares one
// catalogue.
func newCatalogue(c Config) *catalogue {
	var pcg rand.PCG
	seedPCG(&pcg, c.Seed, streamCatalogue, 0)
	r := rand.New(&pcg)
	cat := &catalogue{cfg: c, asOf: time.Date(c.ToYear, time.July, 1, 0, 0, 0, 0, time.UTC)}

	taken := make(map[string]bool, 2*numCourses) // membership only, never iterated
	for i := range numCourses {
		area := i // the first courses cover every area once, so no area's pool is empty
		if i >= numAreas {
			area = pickArea(r, &areaWeights)
		}
		var candidates []int
		for p, pr := range providers {
			if slices.Contains(pr.areas, area) {
				candidates = append(candidates, p)
			}
		}
		p := candidates[r.IntN(len(candidates))]
		pr := providers[p]
		var code string
		for {
			code = string(pr.letters[r.IntN(len(pr.letters))]) + strconv.Itoa(1+r.IntN(9)) + "-" + strconv.Itoa(100+r.IntN(900))
			if !taken[code] {
				break
			}
		}
		taken[code] = true
		etoc := ""
		if r.IntN(100) >= 15 {
			for {
				etoc = "ETE-" + areaETOC[area] + "-" + strconv.Itoa(10000+r.IntN(90000))
				if !taken[etoc] {
					break
				}
			}
			taken[etoc] = true
		}
		titles := areaTitles[area]
		title := titles[r.IntN(len(titles))] + " " + titleKinds[r.IntN(len(titleKinds))]
		fee := 0
		if pr.fees && r.IntN(100) < 70 {
			fee = 600 + 50*r.IntN(40)
		}
		cat.courses = append(cat.courses, course{
			code: code, etoc: etoc, title: title, area: area, provider: p,
			days: courseDays[r.IntN(len(courseDays))], fee: fee,
			minEnglish: pickWeighted(r, minEnglish), minRank: pickWeighted(r, minRank),
		})
	}
	slices.SortFunc(cat.courses, func(a, b course) int { return cmp.Compare(a.code, b.code) })

	const weeks = 48 // offerings start on the Mondays of weeks 1..48, clear of the year's end
	years := c.ToYear - c.FromYear + 1
	for ci := range cat.courses {
		co := &cat.courses[ci]
		for y := c.FromYear; y <= c.ToYear; y++ {
			jan1 := time.Date(y, time.January, 1, 0, 0, 0, 0, time.UTC)
			firstMonday := jan1.AddDate(0, 0, (8-int(jan1.Weekday()))%7)
			k := 1 + r.IntN(3)
			var used [weeks + 1]bool
			for range k {
				w := 1 + r.IntN(weeks)
				for used[w] {
					w = 1 + r.IntN(weeks)
				}
				used[w] = true
				start := firstMonday.AddDate(0, 0, 7*w)
				end := start.AddDate(0, 0, co.days)
				deadline := start.AddDate(0, 0, -[]int{35, 42, 42, 49}[r.IntN(4)])
				loc := providers[co.provider].location
				if r.IntN(100) < 12 {
					loc = mobileLocations[r.IntN(len(mobileLocations))]
				}
				o := offering{
					course: int32(ci), start: start.Format(dateLayout), end: end.Format(dateLayout),
					deadline: deadline.Format(dateLayout), location: loc,
					startT: start, endT: end, deadlineT: deadline,
					seats: 1 + r.IntN(6), year: y,
				}
				switch {
				case end.Before(cat.asOf):
					o.phase = phasePast
					o.cancelled = r.IntN(100) < 3
				case !start.After(cat.asOf):
					o.phase = phaseRunning
				case !deadline.After(cat.asOf):
					o.phase = phaseClosed
				default:
					o.phase = phaseOpen
				}
				cat.offerings = append(cat.offerings, o)
			}
		}
	}
	slices.SortFunc(cat.offerings, func(a, b offering) int {
		if c := cmp.Compare(a.start, b.start); c != 0 {
			return c
		}
		return cmp.Compare(a.course, b.course)
	})

	cat.pools = make([][numAreas][]int32, years)
	for i, o := range cat.offerings {
		a := cat.courses[o.course].area
		cat.pools[o.year-c.FromYear][a] = append(cat.pools[o.year-c.FromYear][a], int32(i))
	}
	return cat
}
