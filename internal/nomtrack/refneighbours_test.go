package nomtrack

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// neighbourSuggest is what a store does with RefNeighbours over an index of
// refs: the refs whose fold starts with the prefix or whose reversed fold
// starts with the reversed suffix, kept by Keep, in ref order, to Suggest.
func neighbourSuggest(input string, refs []string) string {
	nb := NewRefNeighbours(input)
	prefix, reversedSuffix, ok := nb.Ranges()
	if !ok {
		return Suggest(input, refs)
	}
	var cands []string
	for _, r := range refs {
		f := RefFold(r)
		if (strings.HasPrefix(f, prefix) || strings.HasPrefix(ReverseString(f), reversedSuffix)) && nb.Keep(f) {
			cands = append(cands, r)
		}
	}
	return Suggest(input, cands)
}

// oneEdit makes the typos people make in a ref: one character inserted,
// dropped, replaced, two neighbours swapped, or the case or punctuation
// changed.
func oneEdit(r *rand.Rand, ref string) string {
	rs := []rune(ref)
	i := r.IntN(len(rs))
	const typed = "0123456789ABCDEFGHMOSIabcdmos-/ "
	c := rune(typed[r.IntN(len(typed))])
	switch r.IntN(6) {
	case 0:
		return string(slices.Insert(slices.Clone(rs), r.IntN(len(rs)+1), c))
	case 1:
		return string(slices.Delete(slices.Clone(rs), i, i+1))
	case 2:
		out := slices.Clone(rs)
		out[i] = c
		return string(out)
	case 3:
		if len(rs) < 2 {
			return ref
		}
		out := slices.Clone(rs)
		j := min(i, len(rs)-2)
		out[j], out[j+1] = out[j+1], out[j]
		return string(out)
	case 4:
		return strings.ToLower(ref)
	}
	return strings.ReplaceAll(ref, "-", "")
}

// TestRefNeighboursSuggestAsEveryRefDoes: for one-edit typos of refs of the
// shapes programmes use, the suggestion from the neighbours is the one from
// reading every ref.
func TestRefNeighboursSuggestAsEveryRefDoes(t *testing.T) {
	r := rand.New(rand.NewPCG(16, 21))
	var refs []string
	seen := map[string]bool{}
	for len(refs) < 4000 {
		var ref string
		switch r.IntN(4) {
		case 0:
			ref = fmt.Sprintf("%s-%06d", []string{"MOD", "MOI", "CTS", "NSA"}[r.IntN(4)], r.IntN(1000000))
		case 1:
			ref = fmt.Sprintf("S-%04d", r.IntN(10000))
		case 2:
			ref = fmt.Sprintf("%d", 10000+r.IntN(90000))
		default:
			ref = fmt.Sprintf("A%02dB%03d", r.IntN(100), r.IntN(1000))
		}
		if !seen[ref] {
			seen[ref] = true
			refs = append(refs, ref)
		}
	}
	slices.Sort(refs)
	differ := 0
	for i := 0; i < 1000; i++ {
		typo := oneEdit(r, refs[r.IntN(len(refs))])
		if want, got := Suggest(typo, refs), neighbourSuggest(typo, refs); got != want {
			differ++
			t.Errorf("typo %q: neighbours suggest %q, every ref %q", typo, got, want)
		}
		if differ > 10 {
			t.FailNow()
		}
	}
}

// TestRefNeighboursRanges: the halves of a fold, the second reversed; a
// fold too short to split is read whole by the caller.
func TestRefNeighboursRanges(t *testing.T) {
	for _, c := range []struct {
		in, prefix, reversedSuffix string
		ok                         bool
	}{
		{"MOD-901614", "mod9", "4161", true}, // mod9 0 1614: the middle character may be the edited one
		{"s-12", "s", "2", true},
		{"S1", "", "", false},
		{"--", "", "", false},
	} {
		p, s, ok := NewRefNeighbours(c.in).Ranges()
		if ok != c.ok || ok && (p != c.prefix || s != c.reversedSuffix) {
			t.Errorf("Ranges(%q) = %q, %q, %v; want %q, %q, %v", c.in, p, s, ok, c.prefix, c.reversedSuffix, c.ok)
		}
	}
}
