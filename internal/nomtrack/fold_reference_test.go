package nomtrack

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The folding functions as they were before they were made to allocate
// less (issue 16's import CPU): the oracle the differential tests compare
// the present ones with. Their outputs are what the stored keys and search
// tokens of every database hold, so the present ones must agree on every
// input.

func refFoldLatinName(s string) string {
	words := refLatinWords(s)
	for i := range words {
		words[i] = refFoldArticle(words, i)
	}
	var b strings.Builder
	for _, w := range words {
		b.WriteString(refFoldLatinWord(w))
	}
	return refCollapseRuns(b.String())
}

func refLatinWords(s string) []string {
	var words []string
	var w strings.Builder
	flush := func() {
		if w.Len() > 0 {
			words = append(words, w.String())
			w.Reset()
		}
	}
	for _, r := range s {
		r = unicode.ToLower(r)
		if base, ok := latinBase(r); ok {
			r = base
		}
		switch {
		case isNameMark(r):
		case unicode.IsLetter(r):
			w.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	return words
}

func refFoldArticle(words []string, i int) string {
	w := words[i]
	nextWord := ""
	if i+1 < len(words) {
		nextWord = words[i+1]
	}
	switch w {
	case "al", "el", "ul", "il":
		return "al"
	}
	// An assimilated article standing alone: vowel + sun consonant before a
	// word that starts with the same consonant (ar-Rahman, ash-Shammari).
	if len(w) >= 2 && strings.ContainsRune("aeiu", rune(w[0])) {
		if c := refSunCluster(w[1:]); c != "" && w[1+len(c):] == "" && strings.HasPrefix(nextWord, c) {
			return "al"
		}
	}
	// "abd" + article: Abdul…, Abdel…, Abdur Rahman, Abdurrahman.
	if strings.HasPrefix(w, "abd") && len(w) > 4 && strings.ContainsRune("aeiou", rune(w[3])) {
		rest := w[4:]
		if rest[0] == 'l' {
			return "abdal" + rest[1:]
		}
		if c := refSunCluster(rest); c != "" {
			after := rest[len(c):]
			if strings.HasPrefix(after, c) {
				return "abdal" + after
			}
			if after == "" && strings.HasPrefix(nextWord, c) {
				return "abdal"
			}
		}
	}
	return w
}

func refSunCluster(s string) string {
	for _, c := range sunClusters {
		if strings.HasPrefix(s, c) {
			return c
		}
	}
	return ""
}

func refFoldLatinWord(w string) string {
	w = strings.ReplaceAll(w, "ee", "i")
	w = strings.Map(func(r rune) rune {
		switch r {
		case 'e':
			return 'a'
		case 'o':
			return 'u'
		case 'q':
			return 'k'
		}
		return r
	}, w)
	rs := []rune(w)
	for i := 0; i+1 < len(rs); i++ {
		if rs[i] == 'a' && rs[i+1] == 'y' && (i+2 == len(rs) || !isVowel(rs[i+2])) {
			rs[i+1] = 'i'
		}
	}
	w = refCollapseRuns(string(rs))
	if n := len(w); n >= 2 && w[n-1] == 'h' && isVowel(rune(w[n-2])) {
		w = w[:n-1]
	}
	return w
}

func refCollapseRuns(s string) string {
	var b strings.Builder
	var last rune = -1
	for _, r := range s {
		if r != last {
			b.WriteRune(r)
		}
		last = r
	}
	return b.String()
}

func refFoldArabicName(s string) string {
	folded := strings.Map(func(r rune) rune {
		switch {
		case r == 'أ' || r == 'إ' || r == 'آ' || r == 'ٱ':
			return 'ا'
		case r == 'ى' || r == 'ی':
			return 'ي'
		case r == 'ة':
			return 'ه'
		case r == 'ک':
			return 'ك'
		case r >= 0x064B && r <= 0x065F, r == 0x0670, r == 0x0640:
			return -1
		case r >= 0x200B && r <= 0x200F, r == 0x061C, r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0xFEFF:
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(folded), " ")
}

func refSearchFold(s string) string {
	s = refFoldArabicName(s)
	var b strings.Builder
	for s != "" {
		i := strings.IndexFunc(s, unicode.IsDigit)
		if i < 0 {
			i = len(s)
		}
		b.WriteString(refFoldLatinName(s[:i]))
		j := strings.IndexFunc(s[i:], func(r rune) bool { return !unicode.IsDigit(r) })
		if j < 0 {
			j = len(s) - i
		}
		b.WriteString(s[i : i+j])
		s = s[i+j:]
	}
	return b.String()
}

func refNameKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r != 0x0640 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func refNameTokens(name string) []SearchToken {
	words := refSearchWords(refFoldArabicName(name))
	var out []SearchToken
	for i := range words {
		rest := refSearchFold(strings.Join(words[i:], " "))
		if rest == "" {
			continue
		}
		kind := TokenNameWord
		if len(out) == 0 {
			kind = TokenNameStart
		}
		out = append(out, SearchToken{rest, kind})
		word := refSearchFold(words[i])
		for _, inner := range refArticleStarts(word) {
			if tail := rest[inner:]; tail != "" && strings.HasPrefix(rest, word[:inner]) {
				out = append(out, SearchToken{tail, TokenNameWord})
			}
		}
	}
	return out
}

func refArticleStarts(word string) []int {
	for _, abd := range []string{"abd", "عبد", ""} {
		for _, al := range []string{"al", "ال"} {
			if p := abd + al; strings.HasPrefix(word, p) && utf8.RuneCountInString(word[len(p):]) >= 3 {
				return []int{len(p)}
			}
		}
	}
	return nil
}

func refSearchWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !isNameMark(r) && !unicode.Is(unicode.Mn, r)
	})
}

func refRefTokens(ref string) []SearchToken {
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

func refPersonTokens(p Person, aliases []Alias) []SearchToken {
	all := append(refNameTokens(p.Name), refNameTokens(p.NameAr)...)
	all = append(all, refRefTokens(p.Ref)...)
	for _, a := range aliases {
		if a.Kind == AliasRef {
			all = append(all, refRefTokens(a.Value)...)
		} else {
			all = append(all, refNameTokens(a.Value)...)
		}
	}
	best := map[string]int{}
	var out []SearchToken
	for _, t := range all {
		k, seen := best[t.Token]
		if !seen {
			out = append(out, t)
			best[t.Token] = len(out) - 1
		} else if t.Kind < out[k].Kind {
			out[k].Kind = t.Kind
		}
	}
	// The reversed refs, each once, apart: a reversed fold may equal
	// another token (a ref that reads the same both ways) and must not
	// merge into it.
	reversed := map[string]bool{}
	for _, t := range all {
		if t.Kind != TokenRefStart {
			continue
		}
		if r := ReverseString(t.Token); !reversed[r] {
			reversed[r] = true
			out = append(out, SearchToken{r, TokenRefReversed})
		}
	}
	return out
}
