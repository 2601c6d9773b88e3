package nomtrack

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// latinBase folds the accented and scholarly-transliteration letters that
// appear in Arabic names written in Latin script (ā, ḥ, ṣ, é …) to the plain
// letter, since most sheets write the same names without them. Callers pass
// NFC text, so these are single runes. A switch, not a map: nothing to build
// when the program starts.
func latinBase(r rune) (rune, bool) {
	switch r {
	case 'à', 'á', 'â', 'ã', 'ä', 'å', 'ā', 'ă':
		return 'a', true
	case 'ç':
		return 'c', true
	case 'ḍ', 'ḏ', 'đ':
		return 'd', true
	case 'è', 'é', 'ê', 'ë', 'ē':
		return 'e', true
	case 'ġ':
		return 'g', true
	case 'ǧ':
		return 'j', true
	case 'ḥ', 'ḫ':
		return 'h', true
	case 'ì', 'í', 'î', 'ï', 'ī':
		return 'i', true
	case 'ñ':
		return 'n', true
	case 'ò', 'ó', 'ô', 'õ', 'ö', 'ō':
		return 'o', true
	case 'ṣ', 'š':
		return 's', true
	case 'ṭ', 'ṯ':
		return 't', true
	case 'ù', 'ú', 'û', 'ü', 'ū':
		return 'u', true
	case 'ý', 'ÿ':
		return 'y', true
	case 'ẓ', 'ž':
		return 'z', true
	}
	return r, false
}

// isNameMark reports whether r marks an ʿayn or hamza inside a transliterated
// name (Sa'adi, Saʿadi, Sa’adi): it is dropped and the letters around it
// join, rather than splitting the word.
func isNameMark(r rune) bool {
	switch r {
	case '\'', '`', '´', '‘', '’', 'ʼ', 'ʾ', 'ʿ', 'ʻ':
		return true
	}
	return false
}

// sunClusters are the consonants (as transliterated) that the Arabic article
// assimilates to: ad-Din, ar-Rahman, as-Sayed, ash-Shammari. Longest first,
// so "sh" is tried before "s".
var sunClusters = []string{"sh", "th", "dh", "t", "d", "r", "z", "s", "n", "l"}

// FoldLatinName reduces a Latin-script name to a key on which the usual
// transliteration variants of one Arabic name agree, for duplicate
// detection (SPEC §4 Duplicates). It applies ordered rules, not a list of
// names:
//
//  1. lowercase; accents and scholarly marks to the plain letter (ḥ → h);
//     ʿayn and hamza marks (' ’ ʿ) dropped inside words; anything else that
//     is not a letter separates words.
//  2. the article: a word al, el, ul or il is "al"; an assimilated article
//     (ad, ar, as, ash, an …) before a word starting with that consonant is
//     "al" (ad-Din → al-Din); after "abd" the article in all its forms is
//     "al" (Abdul, Abdel, Abd al-, Abdur Rahman, Abdurrahman → abdal…).
//  3. in each word: ee → i (Hameed → Hamid); e → a and o → u, so vowels fall
//     into three classes a/e, o/u, i (Mohammed → Muhammad, Omar stays apart
//     from Amir); q → k; ay before a consonant or the end → ai (Zayd, Zaid);
//     runs of one letter → one (Mohammed, Noor, Saadi); a final h after a
//     vowel is dropped (Fatimah, Abdullah).
//  4. the words are joined without spaces (Abdul Karim, Abdulkarim;
//     Al Saadi, Alsaadi) and runs of one letter collapsed again.
//
// The key is a hint for a person to review, never grounds to merge on its
// own: distinct names whose transliterations differ only in vowel length
// (Amer, Ammar) do fold together.
func FoldLatinName(s string) string {
	words := latinWords(s)
	for i := range words {
		words[i] = foldArticle(words, i)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, w := range words {
		b.WriteString(foldLatinWord(w))
	}
	return collapseRuns(b.String())
}

// latinWords lowercases s, folds accents, drops name marks and splits it into
// words of letters. The words are cut from one string: a name costs two
// allocations, not one per word (the import folds every new person's names
// several times).
func latinWords(s string) []string {
	buf := make([]byte, 0, len(s))
	var cuts [16]int // word ends in buf, most names have a few words
	ends := cuts[:0]
	flush := func() {
		if n := len(ends); len(buf) > 0 && (n == 0 || ends[n-1] < len(buf)) {
			ends = append(ends, len(buf))
		}
	}
	for _, r := range s {
		r = unicode.ToLower(r)
		if r >= utf8.RuneSelf { // latinBase holds no ASCII letter
			if base, ok := latinBase(r); ok {
				r = base
			}
		}
		switch {
		case isNameMark(r):
		case unicode.IsLetter(r):
			buf = utf8.AppendRune(buf, r)
		default:
			flush()
		}
	}
	flush()
	if len(ends) == 0 {
		return nil
	}
	all := string(buf)
	words := make([]string, len(ends))
	start := 0
	for i, end := range ends {
		words[i] = all[start:end]
		start = end
	}
	return words
}

// foldArticle returns words[i] with the Arabic article normalised to "al"
// (rule 2 of FoldLatinName). It looks at the next word to recognise an
// assimilated article.
func foldArticle(words []string, i int) string {
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
		if c := sunCluster(w[1:]); c != "" && w[1+len(c):] == "" && strings.HasPrefix(nextWord, c) {
			return "al"
		}
	}
	// "abd" + article: Abdul…, Abdel…, Abdur Rahman, Abdurrahman.
	if strings.HasPrefix(w, "abd") && len(w) > 4 && strings.ContainsRune("aeiou", rune(w[3])) {
		rest := w[4:]
		if rest[0] == 'l' {
			return "abdal" + rest[1:]
		}
		if c := sunCluster(rest); c != "" {
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

// sunCluster returns the sun consonant cluster s starts with, or "".
func sunCluster(s string) string {
	for _, c := range sunClusters {
		if strings.HasPrefix(s, c) {
			return c
		}
	}
	return ""
}

// foldLatinWord applies rule 3 of FoldLatinName to one word. A word of
// ASCII letters, as most are, is folded in one buffer on the stack
// (foldASCIIWord); others rune by rune.
func foldLatinWord(w string) string {
	if isASCII(w) {
		return foldASCIIWord(w)
	}
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
	w = collapseRuns(string(rs))
	if n := len(w); n >= 2 && w[n-1] == 'h' && isVowel(rune(w[n-2])) {
		w = w[:n-1]
	}
	return w
}

// foldASCIIWord is foldLatinWord for a word of ASCII bytes, step for step:
// ee → i, then e → a, o → u, q → k; ay → ai before a consonant or the end;
// runs collapsed; a final h after a vowel dropped.
func foldASCIIWord(w string) string {
	var stack [48]byte
	b := stack[:0]
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch c {
		case 'e':
			if i+1 < len(w) && w[i+1] == 'e' {
				c = 'i'
				i++
			} else {
				c = 'a'
			}
		case 'o':
			c = 'u'
		case 'q':
			c = 'k'
		}
		b = append(b, c)
	}
	for i := 0; i+1 < len(b); i++ {
		if b[i] == 'a' && b[i+1] == 'y' && (i+2 == len(b) || !isVowel(rune(b[i+2]))) {
			b[i+1] = 'i'
		}
	}
	n := 0
	for i, c := range b {
		if i == 0 || c != b[i-1] {
			b[n] = c
			n++
		}
	}
	b = b[:n]
	if n >= 2 && b[n-1] == 'h' && isVowel(rune(b[n-2])) {
		b = b[:n-1]
	}
	return string(b)
}

// isASCII reports whether s is all ASCII bytes.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isVowel(r rune) bool {
	return r == 'a' || r == 'e' || r == 'i' || r == 'o' || r == 'u'
}

// collapseRuns replaces every run of one letter by a single letter. A
// string without a run (and valid UTF-8) is returned as it is.
func collapseRuns(s string) string {
	var last rune = -1
	for _, r := range s {
		if r == last || r == utf8.RuneError {
			return collapseRunsCopy(s)
		}
		last = r
	}
	return s
}

func collapseRunsCopy(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	var last rune = -1
	for _, r := range s {
		if r != last {
			b.WriteRune(r)
		}
		last = r
	}
	return b.String()
}

// FoldArabicName folds the letter variants that make one Arabic name look
// like two (SPEC §4 Duplicates): alef forms أ إ آ ٱ → ا, ى → ي, ة → ه,
// Persian ی ک → ي ك; diacritics (U+064B–U+065F, U+0670), tatweel, and the
// invisible joiners and direction marks that copying from documents leaves
// behind are removed; whitespace is folded to single spaces.
func FoldArabicName(s string) string {
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
	if singleSpaced(folded) {
		return folded // what Fields and Join would give, without a copy
	}
	return strings.Join(strings.Fields(folded), " ")
}

// singleSpaced reports whether s has no white space but single spaces
// between other runes.
func singleSpaced(s string) bool {
	space := true // a space first is not single
	for _, r := range s {
		if unicode.IsSpace(r) {
			if r != ' ' || space {
				return false
			}
			space = true
		} else {
			space = false
		}
	}
	return !space || s == ""
}

// NameKey is the key an import matches a person's name on (SPEC §4
// Matching): lowercase letters and digits only, so case, spaces and
// punctuation do not matter. It deliberately does not fold transliteration
// variants: two spellings may be two people, and an import must never merge
// them silently; FindDuplicates offers them for review instead.
func NameKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r != 0x0640 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// DuplicatePair is two people who are likely one, with the reason, for
// `person dupes`. A has the lower ID.
type DuplicatePair struct {
	A, B   Person
	Reason string
}

// DuplicateKey is what two people who are likely one share (SPEC §4
// Duplicates): Latin is the ministry's NameKey and the Latin name after
// FoldLatinName, so only people of one ministry share it; Arabic is the
// Arabic name after FoldArabicName, in any ministry. A part is "" when its
// name folds to nothing. Two people are a likely pair exactly when one part
// is equal and not empty, so a store that keeps the parts indexed compares
// only people who share one (blocking) instead of every pair.
type DuplicateKey struct {
	Latin, Arabic string
}

// DuplicateKey computes p's duplicate key from its names and ministry.
func (p Person) DuplicateKey() DuplicateKey {
	var k DuplicateKey
	if f := FoldLatinName(p.Name); f != "" {
		// NameKey has no spaces, so the space keeps "ab"+"c" apart from "a"+"bc".
		k.Latin = NameKey(p.Ministry) + " " + f
	}
	k.Arabic = FoldArabicName(p.NameAr)
	return k
}

// DuplicateReason says why a and b are likely one person, or "" when they
// are not.
func DuplicateReason(a, b Person) string {
	return DuplicateReasonKeyed(a, b, a.DuplicateKey(), b.DuplicateKey())
}

// DuplicateReasonKeyed is DuplicateReason for people whose keys are known
// (a store keeps them): the Arabic reason, then the Latin one, when both
// parts agree; and that their refs differ when both have one, since a
// service number can be mistyped as easily as a name and nobody should
// merge them unchecked.
func DuplicateReasonKeyed(a, b Person, ka, kb DuplicateKey) string {
	var reasons []string
	if ka.Arabic != "" && ka.Arabic == kb.Arabic {
		reasons = append(reasons, arabicReason(a, b))
	}
	if ka.Latin != "" && ka.Latin == kb.Latin {
		reasons = append(reasons, latinReason(a, b))
	}
	if len(reasons) == 0 {
		return ""
	}
	reason := strings.Join(reasons, "; ")
	if a.Ref != "" && b.Ref != "" && !strings.EqualFold(a.Ref, b.Ref) {
		reason += "; their refs differ, so check they are one person before merging"
	}
	return reason
}

// EachDuplicateInBlock calls emit with the likely pairs among block, people
// who share the Arabic part of their duplicate key (arabic) or the Latin
// part, keys[i] being block[i]'s key: every pair in block order, the
// person earlier in the block as A. In a Latin block it skips the pairs
// that share the Arabic part too: their Arabic block gives them, with both
// reasons. An error from emit stops it and is returned.
func EachDuplicateInBlock(block []Person, keys []DuplicateKey, arabic bool, emit func(DuplicatePair) error) error {
	for i := range block {
		for j := i + 1; j < len(block); j++ {
			if !arabic && keys[i].Arabic != "" && keys[i].Arabic == keys[j].Arabic {
				continue
			}
			pair := DuplicatePair{A: block[i], B: block[j], Reason: DuplicateReasonKeyed(block[i], block[j], keys[i], keys[j])}
			if err := emit(pair); err != nil {
				return err
			}
		}
	}
	return nil
}

// FindDuplicates lists the likely duplicates among people held in memory
// (SPEC §4), in the order a store streams them: first the blocks of people
// whose Arabic names fold alike, then those of people of one ministry whose
// Latin names fold alike, each block in the byte order of its key and
// ordered by id within (EachDuplicateInBlock). Only people in one block
// are compared, so the work is n log n plus the pairs found.
func FindDuplicates(people []Person) []DuplicatePair {
	keys := make([]DuplicateKey, len(people))
	for i, p := range people {
		keys[i] = p.DuplicateKey()
	}
	var pairs []DuplicatePair
	for _, arabic := range []bool{true, false} {
		part := func(i int) string {
			if arabic {
				return keys[i].Arabic
			}
			return keys[i].Latin
		}
		var order []int
		for i := range people {
			if part(i) != "" {
				order = append(order, i)
			}
		}
		slices.SortStableFunc(order, func(i, j int) int {
			return cmp.Or(strings.Compare(part(i), part(j)), cmp.Compare(people[i].ID, people[j].ID))
		})
		for len(order) > 0 {
			n := 1
			for n < len(order) && part(order[n]) == part(order[0]) {
				n++
			}
			block := make([]Person, n)
			blockKeys := make([]DuplicateKey, n)
			for k, i := range order[:n] {
				block[k], blockKeys[k] = people[i], keys[i]
			}
			EachDuplicateInBlock(block, blockKeys, arabic, func(p DuplicatePair) error {
				pairs = append(pairs, p)
				return nil
			})
			order = order[n:]
		}
	}
	return pairs
}

func latinReason(a, b Person) string {
	if a.Name == b.Name || NameKey(a.Name) == NameKey(b.Name) {
		return "same ministry, names equal ignoring case and punctuation (" + strconv.Quote(a.Name) + " ~ " + strconv.Quote(b.Name) + ")"
	}
	return "same ministry, names equal after folding transliteration (" + strconv.Quote(a.Name) + " ~ " + strconv.Quote(b.Name) + ")"
}

// arabicReason is called for every pair `person dupes` prints (hundreds of
// thousands on a large database), so it compares before it folds and
// builds its sentence without fmt.
func arabicReason(a, b Person) string {
	var r string
	if a.NameAr == b.NameAr || strings.Join(strings.Fields(a.NameAr), " ") == strings.Join(strings.Fields(b.NameAr), " ") {
		r = "Arabic names equal (" + strconv.Quote(a.NameAr) + ")"
	} else {
		r = "Arabic names equal after folding letter variants (" + strconv.Quote(a.NameAr) + " ~ " + strconv.Quote(b.NameAr) + ")"
	}
	if a.Ministry != b.Ministry && NameKey(a.Ministry) != NameKey(b.Ministry) {
		r += ", in different ministries (" + a.Ministry + ", " + b.Ministry + ")"
	}
	return r
}

// SearchFold folds a name, or a search typed for one, to the form people
// are searched and found by (SPEC §3 PERSON, `person list --search`): the
// Arabic letter variants, diacritics and tatweel of FoldArabicName, then the
// transliteration rules of FoldLatinName, which also join the words, so
// عبدالله and عبد الله, or Mohammed Al-Saadi and Muhammad al Saadi, fold
// alike. The result has no spaces.
//
// Digits are kept where they stand (FoldLatinName drops them), so "Ali 2"
// and "Ali 3" stay two names.
func SearchFold(s string) string {
	s = FoldArabicName(s)
	if strings.IndexFunc(s, unicode.IsDigit) < 0 {
		return FoldLatinName(s)
	}
	var b strings.Builder
	for s != "" {
		i := strings.IndexFunc(s, unicode.IsDigit)
		if i < 0 {
			i = len(s)
		}
		b.WriteString(FoldLatinName(s[:i]))
		j := strings.IndexFunc(s[i:], func(r rune) bool { return !unicode.IsDigit(r) })
		if j < 0 {
			j = len(s) - i
		}
		b.WriteString(s[i : i+j])
		s = s[i+j:]
	}
	return b.String()
}

// FoldText reduces free text (a course's code or title, or a search typed
// for one) to lowercase letters and digits, accents to the plain letter,
// everything else dropped, so "crisis response", "Crisis-Response" and
// "CRISIS RESPONSE" find the same titles and "m5106" finds M5-106.
func FoldText(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if base, ok := latinBase(r); ok {
			r = base
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// SearchKey is what the store keeps for searching a person (person.search_key):
// SearchFold of the Latin name and of the Arabic name, each between spaces
// (" latin arabic "). Neither fold contains a space, so a store finds a
// whole name as " F ", a name starting with F as " F", and part of a name as
// F, with plain substring tests.
func (p Person) SearchKey() string {
	return " " + SearchFold(p.Name) + " " + SearchFold(p.NameAr) + " "
}
