package nomtrack

import (
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Suggest returns the candidate closest to input, for "did you mean"
// messages (SPEC §3: a mistyped course, offering, person or status gets a
// suggestion). Closeness is the case-insensitive Damerau–Levenshtein
// distance (optimal string alignment: insertions, deletions, substitutions
// and swaps of two neighbouring characters each cost one). A candidate
// qualifies when its distance is at most max(1, len(input)/3) characters;
// the nearest wins and, among equals, the earliest in candidates. When none
// is that close, a candidate that input is the beginning of (at least two
// characters, "appr" for approved) is returned if it is the only one. It
// returns "" when nothing fits, so a wild guess is never offered.
func Suggest(input string, candidates []string) string {
	in := []rune(strings.ToLower(strings.TrimSpace(input)))
	if len(in) == 0 {
		return ""
	}
	limit := max(1, len(in)/3)
	best, bestDist := "", limit+1
	// A person's ref is looked for among every ref of the database (250,000
	// on a large one), so each candidate is lowered into one reused buffer
	// and its distance is given up as soon as it cannot beat the best.
	var cr []rune
	var rows osaRows
	for _, c := range candidates {
		cr = appendLower(cr[:0], c)
		if abs(len(cr)-len(in)) >= bestDist {
			continue
		}
		if d := rows.within(in, cr, bestDist-1); d < bestDist {
			best, bestDist = c, d
		}
	}
	if best != "" {
		return best
	}
	if len(in) < 2 {
		return ""
	}
	prefix := string(in)
	found := ""
	for _, c := range candidates {
		if strings.HasPrefix(strings.ToLower(c), prefix) {
			if found != "" && !strings.EqualFold(found, c) {
				return ""
			}
			found = c
		}
	}
	return found
}

// DidYouMean returns "; did you mean X?" for the Suggest of input among
// candidates, or "" when there is none, ready to append to an error sentence.
func DidYouMean(input string, candidates []string) string {
	if s := Suggest(input, candidates); s != "" {
		return "; did you mean " + s + "?"
	}
	return ""
}

// SuggestDate suggests an offering reference for a ref that was not found:
// among refs of the same course (code compared case-insensitively), the one
// whose start date is nearest to ref's, the earlier on a tie. A date one day
// off is the usual mistake (M5-106@2012-03-06 for M5-106@2012-03-05), and
// plain edit distance would prefer the wrong one among a course's many
// offerings. When ref cannot be read or its course has no offerings in refs,
// it falls back to Suggest over the whole references, which catches a
// mistyped course code.
func SuggestDate(ref string, refs []string) string {
	code, start, err := ParseOfferingRef(ref)
	if err != nil {
		return Suggest(ref, refs)
	}
	want, _ := time.Parse(DateLayout, start)
	best := ""
	var bestGap time.Duration
	var bestDate time.Time
	for _, r := range refs {
		c, s, err := ParseOfferingRef(r)
		if err != nil || !strings.EqualFold(c, code) {
			continue
		}
		d, _ := time.Parse(DateLayout, s)
		gap := d.Sub(want)
		if gap < 0 {
			gap = -gap
		}
		if best == "" || gap < bestGap || (gap == bestGap && d.Before(bestDate)) {
			best, bestGap, bestDate = r, gap, d
		}
	}
	if best != "" {
		return best
	}
	return Suggest(ref, refs)
}

// osaDistance is the optimal string alignment distance between a and b:
// within with no limit, so the two can never disagree.
func osaDistance(a, b []rune) int {
	var r osaRows
	return r.within(a, b, math.MaxInt)
}

// appendLower appends the runes of s, lowered as strings.ToLower lowers
// them, to buf.
func appendLower(buf []rune, s string) []rune {
	for _, r := range s {
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
		} else {
			r = unicode.ToLower(r)
		}
		buf = append(buf, r)
	}
	return buf
}

// osaRows are the three rolling rows of osaDistance, kept between calls.
type osaRows struct{ prev2, prev, cur []int }

// within is osaDistance(a, b) when that is at most limit, and some number
// above limit otherwise: it stops as soon as two rows in a row are past
// the limit, since no later cell can come back under it (a cell adds to
// the row above or, by a swap, to the row two above).
func (r *osaRows) within(a, b []rune, limit int) int {
	n := len(b) + 1
	if cap(r.cur) < n {
		r.prev2, r.prev, r.cur = make([]int, n), make([]int, n), make([]int, n)
	}
	prev2, prev, cur := r.prev2[:n], r.prev[:n], r.cur[:n]
	for j := range prev {
		prev[j] = j
	}
	prevMin := 0
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > limit && prevMin > limit {
			return limit + 1
		}
		prevMin = rowMin
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// Nearest returns up to n candidates nearest to input by the distance
// Suggest uses (case-insensitive), nearest first, the earlier in candidates
// among equals, whatever their distance: for naming the closest of a short
// list ("the nearest stored ministries: MoD, MoI").
func Nearest(input string, candidates []string, n int) []string {
	in := []rune(strings.ToLower(strings.TrimSpace(input)))
	type scored struct {
		c    string
		dist int
	}
	all := make([]scored, 0, len(candidates))
	for _, c := range candidates {
		all = append(all, scored{c, osaDistance(in, []rune(strings.ToLower(c)))})
	}
	slices.SortStableFunc(all, func(a, b scored) int { return a.dist - b.dist })
	out := make([]string, 0, min(n, len(all)))
	for _, s := range all[:min(n, len(all))] {
		out = append(out, s.c)
	}
	return out
}
