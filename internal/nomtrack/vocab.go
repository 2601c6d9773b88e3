package nomtrack

import (
	"slices"
	"strings"
)

// Vocabulary is a configured list of codes, each with aliases: the
// ministries (config `ministries`, code → aliases) or the areas of
// cooperation (config `areas`, SPEC §6). It turns what a sheet or a
// coordinator wrote into the code stored in the database.
//
// Codes and aliases match case- and punctuation-insensitively, and Arabic
// aliases also across the letter variants FoldArabicName folds (وزارة الدفاع
// matches وزاره الدفاع). An empty Vocabulary (nil, or nothing configured)
// accepts any value as written.
type Vocabulary struct {
	codes []string          // in the order Codes returns them
	keys  []string          // every code and alias key, for suggestions
	code  map[string]string // key → code
}

// NewVocabulary builds a vocabulary from codes mapped to their aliases, as
// config `ministries` gives them. Codes are listed in sorted order. When an
// alias is claimed by two codes, the first code in sorted order keeps it, so
// the result does not depend on map order; a code's own name always wins
// over another code's alias.
func NewVocabulary(codes map[string][]string) *Vocabulary {
	v := &Vocabulary{code: map[string]string{}}
	aliases := map[string][]string{}
	for c, as := range codes {
		if c = cleanValue(c); c != "" {
			if _, seen := aliases[c]; !seen {
				v.codes = append(v.codes, c)
			}
			aliases[c] = append(aliases[c], as...)
		}
	}
	slices.Sort(v.codes)
	for _, c := range v.codes {
		v.addKey(vocabKey(c), c)
	}
	for _, c := range v.codes {
		slices.Sort(aliases[c]) // codes differing only in spaces merge in a fixed order
		for _, a := range aliases[c] {
			v.addKey(vocabKey(a), c)
		}
	}
	return v
}

// NewAreaVocabulary builds the vocabulary of areas of cooperation from the
// configured slugs, kept in the configured order. A slug matches itself
// written with spaces or in capitals too ("Counter Terrorism").
func NewAreaVocabulary(slugs []string) *Vocabulary {
	v := &Vocabulary{code: map[string]string{}}
	for _, s := range slugs {
		s = cleanValue(s)
		if s == "" || slices.Contains(v.codes, s) {
			continue
		}
		v.codes = append(v.codes, s)
		v.addKey(vocabKey(s), s)
	}
	return v
}

func (v *Vocabulary) addKey(key, code string) {
	if key == "" {
		return
	}
	if _, taken := v.code[key]; taken {
		return
	}
	v.code[key] = code
	v.keys = append(v.keys, key)
}

// Codes returns the codes of the vocabulary (a copy): sorted for ministries,
// in configured order for areas; nil when the vocabulary is empty.
func (v *Vocabulary) Codes() []string {
	if v == nil {
		return nil
	}
	return slices.Clone(v.codes)
}

// Empty reports whether nothing is configured, in which case Resolve accepts
// every value.
func (v *Vocabulary) Empty() bool { return v == nil || len(v.codes) == 0 }

// Resolve returns the code that input names. kind ("ministry", "area") only
// words the error. Input is trimmed and its whitespace folded; an empty
// input gives "" and no error, since whether the value is required is the
// caller's rule. With an empty vocabulary the cleaned input is returned as
// written (SPEC §6: when `ministries` is not set, any ministry is accepted).
// No match is an EINVALID error with a suggestion among codes and aliases,
// answered with the code: `unknown ministry "Minstry of Defence"; did you
// mean MoD?`, or the list of codes when nothing is near.
func (v *Vocabulary) Resolve(kind, input string) (string, error) {
	in := cleanValue(input)
	if in == "" || v.Empty() {
		return in, nil
	}
	key := vocabKey(in)
	if c, ok := v.code[key]; ok {
		return c, nil
	}
	if s := Suggest(key, v.keys); s != "" {
		return "", Errorf(EINVALID, "unknown %s %q; did you mean %s?", kind, in, v.code[s])
	}
	return "", Errorf(EINVALID, "unknown %s %q; use one of %s", kind, in, strings.Join(v.codes, ", "))
}

// cleanValue trims s and folds its whitespace to single spaces.
func cleanValue(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// vocabKey is the case- and punctuation-insensitive form of a code or alias,
// with Arabic letter variants folded.
func vocabKey(s string) string {
	return NameKey(FoldArabicName(s))
}
