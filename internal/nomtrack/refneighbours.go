package nomtrack

import (
	"strings"
	"unicode/utf8"
)

// RefNeighbours finds the refs that Suggest could offer for a mistyped ref
// without reading every ref: a store looks up, in the search index, the
// refs whose RefFold starts like input's fold or ends like it
// (TokenRefReversed), keeps those Keep accepts and gives only those to
// Suggest.
//
// Why the two halves suffice: one edit (an insertion, deletion,
// substitution or swap of neighbours) leaves either the first P = n/2
// characters of input's fold (n characters long) or its last n-P-1
// untouched, and dropping punctuation and case from both strings never
// increases the distance. So every ref at distance one of input, which is
// what Suggest picks when one exists, is found, and Suggest's answer is the
// one it gives over all refs; so is its fallback of a single ref that input
// begins (its fold begins with input's). Only when the nearest ref is two
// or three edits away may the answer differ from a reading of every ref,
// and then it is still within Suggest's distance.
type RefNeighbours struct {
	fold   []rune
	folded string
	limit  int
	rows   osaRows
	buf    []rune
}

// NewRefNeighbours prepares the search for input, as findPerson got it.
func NewRefNeighbours(input string) *RefNeighbours {
	in := strings.ToLower(strings.TrimSpace(input))
	f := RefFold(input)
	return &RefNeighbours{fold: []rune(f), folded: f, limit: max(1, utf8.RuneCountInString(in)/3)}
}

// Ranges returns the prefix of the folds to look up (TokenRefStart tokens
// that start with it) and the reversed suffix (TokenRefReversed tokens that
// start with it). ok is false for a fold shorter than three characters,
// whose halves would match nearly every ref; the caller reads every ref then.
func (r *RefNeighbours) Ranges() (prefix, reversedSuffix string, ok bool) {
	n := len(r.fold)
	if n < 3 {
		return "", "", false
	}
	p := n / 2
	s := n - p - 1
	return string(r.fold[:p]), ReverseString(string(r.fold[n-s:])), true
}

// Keep reports whether a ref whose RefFold is fold can be Suggest's answer:
// its fold is within Suggest's distance of input's, or begins with it.
func (r *RefNeighbours) Keep(fold string) bool {
	if strings.HasPrefix(fold, r.folded) {
		return true
	}
	r.buf = r.buf[:0]
	for _, c := range fold {
		r.buf = append(r.buf, c)
	}
	if abs(len(r.buf)-len(r.fold)) > r.limit {
		return false
	}
	return r.rows.within(r.fold, r.buf, r.limit) <= r.limit
}

// ReverseString returns s with its runes in reverse order: the text of a
// TokenRefReversed token.
func ReverseString(s string) string {
	rs := []rune(s)
	for i, j := 0, len(rs)-1; i < j; i, j = i+1, j-1 {
		rs[i], rs[j] = rs[j], rs[i]
	}
	return string(rs)
}
