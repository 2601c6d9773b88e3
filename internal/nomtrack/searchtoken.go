package nomtrack

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kinds of SearchToken: where in a person's name or ref the token starts.
// A search ranks a match by kind: a whole name or ref first, then one that
// starts with the search, then one with a later word starting with it.
const (
	TokenNameStart = 0 // the fold of a whole name, from its first word
	TokenNameWord  = 1 // the fold of a name from a later word (or after an attached al-/ال)
	TokenRefStart  = 2 // a ref's RefFold, from its start
	TokenRefPart   = 3 // a ref's RefFold from a later run of letters or digits
	// TokenRefReversed is a ref's RefFold with its characters in reverse
	// order: refs that end alike are neighbours in the index, so a
	// mistyped ref's suggestions are looked up by its last characters as
	// by its first (RefNeighbours). Searches do not match it.
	TokenRefReversed = 4
)

// SearchToken is one entry of a person's search index (person_search_token):
// the folded text of a name or ref from one of its word starts to its end.
// A search finds a person by looking its own fold up as a prefix of these
// tokens, so it needs no scan of every person.
type SearchToken struct {
	Token string
	Kind  int
}

// NameTokens returns the search tokens of one name (Latin or Arabic): the
// SearchFold of the name from each of its words to the end, so that a
// search for any word of it, or for several words in a row, is a prefix of
// one token. A word that starts with an attached article or "abd" + article
// (Alsaadi, الساعدي, Abdulkarim, عبدالكريم) also gets the token from after
// it, so "Saadi" finds Alsaadi as it finds Al-Saadi. The first token is the
// whole name's fold (TokenNameStart); an empty name has none.
func NameTokens(name string) []SearchToken {
	words := searchWords(FoldArabicName(name))
	var out []SearchToken
	for i := range words {
		rest := SearchFold(strings.Join(words[i:], " "))
		if rest == "" {
			continue
		}
		kind := TokenNameWord
		if len(out) == 0 {
			kind = TokenNameStart
		}
		out = append(out, SearchToken{rest, kind})
		word := rest // the last word's fold is the rest's
		if i+1 < len(words) {
			word = SearchFold(words[i])
		}
		if inner := articleStart(word); inner > 0 {
			if tail := rest[inner:]; tail != "" && strings.HasPrefix(rest, word[:inner]) {
				out = append(out, SearchToken{tail, TokenNameWord})
			}
		}
	}
	return out
}

// articleStart returns the byte offset inside a folded word after its
// leading article (Latin al, Arabic ال), or "abd" + article (abdal, عبدال),
// when the rest of the word, of three letters or more, can be a name of its
// own (Alsaadi, not Ali); 0 when there is none.
func articleStart(word string) int {
	for _, p := range articlePrefixes {
		if strings.HasPrefix(word, p) && utf8.RuneCountInString(word[len(p):]) >= 3 {
			return len(p)
		}
	}
	return 0
}

// articlePrefixes are "abd" (Latin, Arabic or none) + article (Latin,
// Arabic), in the order articleStart tries them.
var articlePrefixes = []string{"abdal", "abdال", "عبدal", "عبدال", "al", "ال"}

// searchWords splits a name into its words: runs of letters, digits and the
// ʿayn and hamza marks that FoldLatinName drops inside words.
func searchWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !isNameMark(r) && !unicode.Is(unicode.Mn, r)
	})
}

// RefTokens returns the search tokens of a ref: its RefFold from the start
// (TokenRefStart) and from each later run of letters or digits
// (TokenRefPart), so that S-0012 is found by s-0012, s0012 or 0012.
func RefTokens(ref string) []SearchToken {
	f := RefFold(ref)
	if f == "" {
		return nil
	}
	out := []SearchToken{{f, TokenRefStart}}
	rs := []rune(f)
	for i := 1; i < len(rs); i++ {
		if runClass(rs[i]) != runClass(rs[i-1]) {
			out = append(out, SearchToken{string(rs[i:]), TokenRefPart})
		}
	}
	return out
}

// runClass tells letters, digits and everything else apart, for RefTokens.
func runClass(r rune) int {
	switch {
	case unicode.IsDigit(r):
		return 1
	case unicode.IsLetter(r):
		return 2
	}
	return 0
}

// RefFold is a ref as searched: lowercase letters and digits only, so that
// S-0012, s 0012 and S0012 agree.
func RefFold(ref string) string { return NameKey(ref) }

// PersonTokens returns the search tokens of a person: those of the Latin
// name, the Arabic name, the ref and the names and refs merged into the
// person (aliases), each token once with its best kind, then each ref's
// TokenRefReversed.
func PersonTokens(p Person, aliases []Alias) []SearchToken {
	all := append(NameTokens(p.Name), NameTokens(p.NameAr)...)
	all = append(all, RefTokens(p.Ref)...)
	for _, a := range aliases {
		if a.Kind == AliasRef {
			all = append(all, RefTokens(a.Value)...)
		} else {
			all = append(all, NameTokens(a.Value)...)
		}
	}
	// A person has a dozen tokens or so: a search of the list costs less
	// than a map made for each person the import adds.
	var out []SearchToken
	for _, t := range all {
		k := slices.IndexFunc(out, func(o SearchToken) bool { return o.Token == t.Token })
		if k < 0 {
			out = append(out, t)
		} else if t.Kind < out[k].Kind {
			out[k].Kind = t.Kind
		}
	}
	// The reversed refs, each once, apart: a reversed fold may equal
	// another token (a ref that reads the same both ways) and must not
	// merge into it.
	tokens := len(out)
	for _, t := range all {
		if t.Kind != TokenRefStart {
			continue
		}
		r := ReverseString(t.Token)
		if !slices.ContainsFunc(out[tokens:], func(o SearchToken) bool { return o.Token == r }) {
			out = append(out, SearchToken{r, TokenRefReversed})
		}
	}
	return out
}

// TokenRange returns the bounds of the tokens that start with prefix:
// token >= lo AND token < hi, in code point order (SQLite's BINARY and
// PostgreSQL's "C" collation). hi is prefix with its last rune incremented.
func TokenRange(prefix string) (lo, hi string) {
	rs := []rune(prefix)
	for len(rs) > 0 {
		last := rs[len(rs)-1] + 1
		if last >= 0xD800 && last <= 0xDFFF {
			last = 0xE000
		}
		if last <= unicode.MaxRune {
			rs[len(rs)-1] = last
			return prefix, string(rs)
		}
		rs = rs[:len(rs)-1]
	}
	return prefix, string(unicode.MaxRune) + string(unicode.MaxRune)
}
