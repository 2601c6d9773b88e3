package nomtrack

import "unicode"

// IsArabicScript reports whether the letters of s are mostly Arabic script,
// which is how an import tells an Arabic name written in a name column
// (الاسم, Full Name) from a Latin one: such a value belongs in name_ar. A
// value without letters is not Arabic.
func IsArabicScript(s string) bool {
	arabic, other := 0, 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r):
			arabic++
		case unicode.IsLetter(r):
			other++
		}
	}
	return arabic > 0 && arabic >= other
}

// DisplayName is the name a person is shown by: the Latin name, or the
// Arabic one while no Latin spelling is known (a person imported from an
// Arabic-only sheet).
func (p Person) DisplayName() string {
	if p.Name != "" {
		return p.Name
	}
	return p.NameAr
}

// MatchKey is the key an import matches the person's name on and the store
// keeps as name_key: NameKey of the Latin name, or, for a person known only
// by the Arabic name, NameKey of that name with its letter variants folded
// (أحمد and احمد are one spelling). Latin and Arabic keys never meet, since
// they share no letters.
func (p Person) MatchKey() string {
	if p.Name != "" {
		return NameKey(p.Name)
	}
	return NameKey(FoldArabicName(p.NameAr))
}
