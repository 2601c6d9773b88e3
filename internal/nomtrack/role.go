package nomtrack

import "strings"

// Genders as stored: the letters of the sheets and of --gender.
const (
	GenderFemale = "F"
	GenderMale   = "M"
)

// roleWords maps a typed role, lowercased with dots and spaces removed, to
// the canonical role (SPEC §4: primary/p → principal, reserve/alternate/a →
// alternate). A switch, not a map: nothing to build when the program starts.
func roleWord(key string) (string, bool) {
	switch key {
	case "principal", "primary", "p":
		return RolePrincipal, true
	case "alternate", "reserve", "a":
		return RoleAlternate, true
	}
	return "", false
}

// ParseRole reads a nomination role case-insensitively, with the synonyms
// of SPEC §4 and the Arabic أصيل / أساسي (principal) and احتياط / بديل
// (alternate). An empty or unknown role is an EINVALID error; callers that
// default a missing role to principal do so before calling.
func ParseRole(s string) (string, error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return "", Errorf(EINVALID, "role is empty; use principal or alternate")
	}
	if r, ok := roleWord(wordKey(in)); ok {
		return r, nil
	}
	if r, ok := arabicRoles()[ArabicWordKey(in)]; ok {
		return r, nil
	}
	return "", Errorf(EINVALID, "unknown role %q; use principal or alternate", in)
}

// genderWords maps a typed gender to F or M: the letters, the English words
// and the Arabic words ذكر (male) and أنثى (female), the latter also written
// without hamza as انثى, as Arabic keyboards often produce.
func genderWord(key string) (string, bool) {
	switch key {
	case "f", "female", "أنثى", "انثى", "أنثي", "انثي":
		return GenderFemale, true
	case "m", "male", "ذكر":
		return GenderMale, true
	}
	return "", false
}

// ParseGender reads a gender as sheets write it (SPEC §4: M/F, male/female,
// ذكر/أنثى), case-insensitively, and returns "F" or "M". Gender is optional:
// an empty value gives "" and no error. Anything else is EINVALID.
func ParseGender(s string) (string, error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return "", nil
	}
	if g, ok := genderWord(wordKey(in)); ok {
		return g, nil
	}
	if g, ok := arabicGenders()[ArabicWordKey(in)]; ok {
		return g, nil
	}
	return "", Errorf(EINVALID, "unknown gender %q; use F or M", in)
}

// wordKey lowercases s and drops dots, spaces and tatweel, so "P.", "Male "
// and "أنـثى" reach their dictionary word.
func wordKey(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '.', ' ', '\t', '\u0640':
			return -1
		}
		return r
	}, strings.ToLower(s))
}
