package gen

import (
	"math/rand/v2"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// person is one generated officer or official, held as indices into the
// vocabularies so that writing it allocates nothing.
type person struct {
	index                 int
	ministry              int
	female                bool
	given, father, family int
	rank                  *rank
	position              int
	english               string
	refNum                int
	phone                 int // last four digits; -1 for no phone
	firstYear, span       int // the years in which the person is put forward
}

// nomination is one generated (person, offering) pair with its role and status.
type nomination struct {
	offering int32
	role     string
	status   string
	note     string
}

// statusTables give the status distribution of a nomination by the phase of
// its offering on the as-of date, for principals and for alternates.
var statusTables = [4][2][]weighted{
	phasePast: {
		{{nomtrack.StatusCompleted, 80}, {nomtrack.StatusAttended, 4}, {nomtrack.StatusNoShow, 4}, {nomtrack.StatusDeclined, 4}, {nomtrack.StatusWithdrawn, 8}},
		{{nomtrack.StatusWithdrawn, 65}, {nomtrack.StatusDeclined, 35}},
	},
	phaseRunning: {
		{{nomtrack.StatusAttended, 88}, {nomtrack.StatusNoShow, 4}, {nomtrack.StatusWithdrawn, 4}, {nomtrack.StatusDeclined, 4}},
		{{nomtrack.StatusWithdrawn, 70}, {nomtrack.StatusDeclined, 30}},
	},
	phaseClosed: {
		{{nomtrack.StatusConfirmed, 60}, {nomtrack.StatusApproved, 20}, {nomtrack.StatusNominated, 8}, {nomtrack.StatusWithdrawn, 6}, {nomtrack.StatusDeclined, 6}},
		{{nomtrack.StatusNominated, 80}, {nomtrack.StatusWithdrawn, 20}},
	},
	phaseOpen: {
		{{nomtrack.StatusNominated, 55}, {nomtrack.StatusApproved, 35}, {nomtrack.StatusWithdrawn, 5}, {nomtrack.StatusDeclined, 5}},
		{{nomtrack.StatusNominated, 90}, {nomtrack.StatusWithdrawn, 10}},
	},
}

// maxPerPerson bounds the nominations of one person; see nominationCount.
const maxPerPerson = 8

// plan fixes how many people a run has and how its N nominations are shared
// among them, without storing a count per person: people are paired and the
// pair's counts are 4+x and 4-x, so every four nominations make one person.
type plan struct {
	n, people  int
	refModulus int
	refBits    int    // even, with 1<<refBits >= refModulus
	refKey     uint64 // keys the Feistel rounds of refNumber
	seed       uint64
}

func newPlan(c Config) plan {
	p := plan{n: c.N, seed: c.Seed}
	switch {
	case c.N == 0:
		p.people = 0
	case c.N < 4:
		p.people = 1
	default:
		p.people = c.N / 4
	}
	// Refs are a permutation of the person index onto 6-digit (or wider)
	// numbers, so they look issued rather than counted and are unique by
	// construction.
	p.refModulus = 1000000
	for p.refModulus < p.people {
		p.refModulus *= 10
	}
	for p.refBits = 2; 1<<p.refBits < p.refModulus; p.refBits += 2 {
	}
	p.refKey = mix(c.Seed ^ streamIdentity)
	return p
}

// nominationCount is how many nominations person i has; the counts sum to N.
func (p plan) nominationCount(i int) int {
	if p.people < 3 {
		c := p.n / p.people
		if i < p.n%p.people {
			c++
		}
		return c
	}
	c := 4
	if pair := i / 2; 2*pair+1 < p.people {
		x := int(mix(p.seed^streamNominations^uint64(pair)) % 4)
		if i%2 == 0 {
			c += x
		} else {
			c -= x
		}
	}
	if i < p.n-4*p.people {
		c++
	}
	return c
}

// refNumber is person i's service number: a four-round Feistel permutation
// of refBits bits, walked until it lands below refModulus, which is a
// bijection of [0, refModulus) and so never repeats a number.
func (p plan) refNumber(i int) int {
	half := uint(p.refBits / 2)
	mask := uint64(1)<<half - 1
	x := uint64(i)
	for {
		l, r := x>>half, x&mask
		for round := range uint64(4) {
			l, r = r, l^(mix(p.refKey+round<<32+r)&mask)
		}
		x = l<<half | r
		if x < uint64(p.refModulus) {
			return int(x)
		}
	}
}

// pickRank draws a rank from a table by weight.
func pickRank(r *rand.Rand, ranks []rank) *rank {
	total := 0
	for _, rk := range ranks {
		total += rk.weight
	}
	n := r.IntN(total)
	for i := range ranks {
		if n < ranks[i].weight {
			return &ranks[i]
		}
		n -= ranks[i].weight
	}
	return &ranks[len(ranks)-1]
}

// makePerson derives person i from the seed alone: the same i always gives
// the same person, whichever file asks for it.
func (g *generator) makePerson(i int, p *person) {
	seedPCG(&g.pcg, g.cfg.Seed, streamPerson, uint64(i))
	r := g.rnd
	total := 0
	for _, m := range ministries {
		total += m.weight
	}
	n := r.IntN(total)
	mi := 0
	for mi = range ministries {
		if n < ministries[mi].weight {
			break
		}
		n -= ministries[mi].weight
	}
	m := &ministries[mi]
	*p = person{index: i, ministry: mi}
	p.female = r.IntN(100) < m.femalePct
	if p.female {
		p.given = r.IntN(len(femaleNames))
	} else {
		p.given = r.IntN(len(maleNames))
	}
	p.father = r.IntN(len(maleNames))
	p.family = r.IntN(len(familyNames))
	if r.IntN(100) < m.militaryPct {
		p.rank = pickRank(r, militaryRanks)
	} else {
		p.rank = pickRank(r, civilGrades)
	}
	p.position = r.IntN(len(m.positions))
	p.english = pickWeighted(r, englishProfiles)
	p.refNum = g.plan.refNumber(i)
	p.phone = -1
	if r.IntN(100) >= 8 {
		p.phone = r.IntN(10000)
	}
	// A career of span years starting anywhere from span-1 years before the
	// range to its last year; see makeNominations for why this keeps the
	// nominations of each year even.
	years := g.cfg.ToYear - g.cfg.FromYear + 1
	p.span = 1 + r.IntN(8)
	p.firstYear = g.cfg.FromYear - p.span + 1 + r.IntN(years+p.span-1)
}

// givenName is the person's given name in both scripts.
func (p *person) givenName() *name {
	if p.female {
		return &femaleNames[p.given]
	}
	return &maleNames[p.given]
}

// rankLevel orders STANAG 2116 codes: every OR below every OF; 0 if unknown.
func rankLevel(code string) int {
	if len(code) < 4 || code[2] != '-' {
		return 0
	}
	n := 0
	for _, d := range code[3:] {
		if d < '0' || d > '9' {
			return 0
		}
		n = 10*n + int(d-'0')
	}
	switch code[:2] {
	case "OR":
		return n
	case "OF":
		return 20 + n
	}
	return 0
}

// makeNominations fills g.noms with person p's nominations, in the order of
// their offerings' start dates. Each offering appears at most once, because
// the importer keys a nomination by person and offering.
func (g *generator) makeNominations(p *person) []nomination {
	seedPCG(&g.pcg, g.cfg.Seed, streamNominations, uint64(p.index))
	r := g.rnd
	cat := g.cat
	m := &ministries[p.ministry]
	count := g.plan.nominationCount(p.index)
	years := g.cfg.ToYear - g.cfg.FromYear + 1
	level := rankLevel(p.rank.code)

	chosen := g.chosen[:0]
	for range count {
		pick := int32(-1)
		for try := 0; try < 12 && pick < 0; try++ {
			// Career start and year within the career are both uniform, so
			// every year of the range is equally likely; a year that falls
			// outside the range is redrawn over the whole range, which keeps
			// it so instead of piling the overflow onto the first and last year.
			y := p.firstYear + r.IntN(p.span)
			if y < g.cfg.FromYear || y > g.cfg.ToYear {
				y = g.cfg.FromYear + r.IntN(years)
			}
			pool := cat.pools[y-g.cfg.FromYear][pickArea(r, &m.areaWeights)]
			if len(pool) == 0 {
				continue
			}
			o := pool[r.IntN(len(pool))]
			if slices32Contains(chosen, o) {
				continue
			}
			// Coordinators rarely put forward someone below a course's
			// minimum rank; let a few through so eligibility reports have
			// something to say.
			if need := rankLevel(cat.courses[cat.offerings[o].course].minRank); try < 3 && level > 0 && need > level && r.IntN(100) < 90 {
				continue
			}
			pick = o
		}
		if pick < 0 { // the person's years are crowded: take the next free offering anywhere
			o := int32(r.IntN(len(cat.offerings)))
			for slices32Contains(chosen, o) {
				o = (o + 1) % int32(len(cat.offerings))
			}
			pick = o
		}
		chosen = append(chosen, pick)
	}
	for i := 1; i < len(chosen); i++ { // insertion sort: at most maxPerPerson entries
		for j := i; j > 0 && chosen[j] < chosen[j-1]; j-- {
			chosen[j], chosen[j-1] = chosen[j-1], chosen[j]
		}
	}
	g.chosen = chosen

	noms := g.noms[:0]
	for _, o := range chosen {
		off := &cat.offerings[o]
		role, ri := nomtrack.RolePrincipal, 0
		if r.IntN(100) < 12 {
			role, ri = nomtrack.RoleAlternate, 1
		}
		status := pickWeighted(r, statusTables[off.phase][ri])
		if off.cancelled {
			status = nomtrack.StatusCancelled
		}
		note := ""
		if r.IntN(100) < 4 {
			note = notes[r.IntN(len(notes))]
		}
		noms = append(noms, nomination{offering: o, role: role, status: status, note: note})
	}
	g.noms = noms
	return noms
}

func slices32Contains(s []int32, v int32) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
