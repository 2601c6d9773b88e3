package nomtrack

import (
	"slices"
	"testing"
)

// TestNameTokensStartWithTheWholeName: the first token of a name is its
// SearchFold, so a name is found whole by an exact lookup of the token.
func TestNameTokensStartWithTheWholeName(t *testing.T) {
	for _, name := range []string{"Mohammed Al-Saadi", "Sa'adi, Ali", "عبد الله حسن", "أحمد  كريم الساعدي", "Ali 2", "Abdul Rahman",
		"  -Zainab Omar Salman7", "محمّد ـ علي", "Ḥasan al-Ṭāʾī"} {
		got := NameTokens(name)
		if len(got) == 0 || got[0].Token != SearchFold(name) || got[0].Kind != TokenNameStart {
			t.Errorf("NameTokens(%q)[0] = %v, want %q as TokenNameStart", name, got, SearchFold(name))
		}
	}
	if got := NameTokens(" - "); len(got) != 0 {
		t.Errorf("NameTokens of punctuation = %v, want none", got)
	}
}

// TestNameTokensFindWords: every word of a name, and every run of words to
// its end, is the prefix of a token, also a word behind an attached article.
func TestNameTokensFindWords(t *testing.T) {
	for _, c := range []struct {
		name   string
		search []string
	}{
		{"Mohammed Alsaadi", []string{"Mohammed", "Muhammad Al Saadi", "Alsaadi", "al-Saadi", "Saadi", "Sadi"}},
		{"Abdulkarim Hassan", []string{"Abdul Karim", "Karim Hassan", "Hasan"}},
		{"محمد الساعدي", []string{"ساعدي", "الساعدي", "محمد"}},
		{"عبدالكريم حسن", []string{"كريم", "عبد الكريم حسن"}},
	} {
		tokens := NameTokens(c.name)
		for _, s := range c.search {
			f := SearchFold(s)
			found := slices.ContainsFunc(tokens, func(t SearchToken) bool { return len(t.Token) >= len(f) && t.Token[:len(f)] == f })
			if !found {
				t.Errorf("search %q (%q) is no prefix of a token of %q: %v", s, f, c.name, tokens)
			}
		}
	}
}

func TestRefTokens(t *testing.T) {
	got := RefTokens("S-0012")
	want := []SearchToken{{"s0012", TokenRefStart}, {"0012", TokenRefPart}}
	if !slices.Equal(got, want) {
		t.Errorf("RefTokens(S-0012) = %v, want %v", got, want)
	}
}

// TestPersonTokensOnce: a token that two names give is kept once, with its
// best kind; each ref's reversed fold comes last, once, apart from them.
func TestPersonTokensOnce(t *testing.T) {
	got := PersonTokens(Person{Name: "Ali Hassan", NameAr: "علي حسن"}, []Alias{{Kind: AliasName, Value: "Hassan"}, {Kind: AliasRef, Value: "X1"}})
	want := []SearchToken{{"alihasan", 0}, {"hasan", 0}, {"عليحسن", 0}, {"حسن", 1}, {"x1", 2}, {"1", 3}, {"1x", TokenRefReversed}}
	if !slices.Equal(got, want) {
		t.Errorf("PersonTokens = %v, want %v", got, want)
	}
	// A ref that reads the same both ways keeps both its tokens; a merged
	// ref with the same fold adds none.
	got = PersonTokens(Person{Name: "Omar", Ref: "12-21"}, []Alias{{Kind: AliasRef, Value: "1221"}})
	want = []SearchToken{{"umar", 0}, {"1221", 2}, {"1221", TokenRefReversed}}
	if !slices.Equal(got, want) {
		t.Errorf("PersonTokens = %v, want %v", got, want)
	}
}

func TestTokenRange(t *testing.T) {
	for prefix, hi := range map[string]string{"abc": "abd", "احمد": "احمذ", "a\U0010FFFF": "b"} {
		if lo, h := TokenRange(prefix); lo != prefix || h != hi {
			t.Errorf("TokenRange(%q) = %q, %q; want %q, %q", prefix, lo, h, prefix, hi)
		}
	}
}

// A name's first token is its whole SearchFold, the fold person.search_key
// holds: a search for a part of a name that starts inside a word reads
// these tokens for its candidates (store.eachPerson), so it must find
// every name the search key has.
func TestNameTokensStartWithTheWholeFold(t *testing.T) {
	for _, name := range []string{"Mohammed Al-Saadi", "O'Brien", "Ali 2", "Ali-2", "Ali2b", "ʿAbd al-Karim", "Abd-al-Karim",
		"Jean-Luc Picard", "Al-Saadi (Jr.)", "  Ali   Hasan ", "عبدُ الله", "عبد\u200cالله", "Müller", "Ali.Hasan", "A. B. C.",
		"12 34", "x_y", "محمد٣", "D'Souza", "Saʿid", "Ḥasan", "al-", "Noor-ul-Haq", "أحمد الساعدي"} {
		toks := NameTokens(name)
		fold := SearchFold(name)
		switch {
		case len(toks) == 0 && fold != "":
			t.Errorf("NameTokens(%q) is empty, SearchFold %q", name, fold)
		case len(toks) > 0 && (toks[0].Token != fold || toks[0].Kind != TokenNameStart):
			t.Errorf("NameTokens(%q)[0] = %+v, want {%q TokenNameStart}", name, toks[0], fold)
		}
	}
}
