package nomtrack

import "strings"

// Genders as stored: the letters of the sheets and of --gender.
const (
	GenderFemale = "F"
	GenderMale   = "M"
)

// roleWords maps a typed role, lowercased with dots and spaces removed, to
// the canonical role (SPEC §4: primary/p → principal, reserve/alternate/a →
// alternate).
var roleWords = map[string]string{
	"principal": RolePrincipal,
	"primary":   RolePrincipal,
	"p":         RolePrincipal,
	"alternate": RoleAlternate,
	"reserve":   RoleAlternate,
	"a":         RoleAlternate,
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
	if r, ok := roleWords[wordKey(in)]; ok {
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
var genderWords = map[string]string{
	"f": GenderFemale, "female": GenderFemale, "أنثى": GenderFemale, "انثى": GenderFemale, "أنثي": GenderFemale, "انثي": GenderFemale,
	"m": GenderMale, "male": GenderMale, "ذكر": GenderMale,
}

// ParseGender reads a gender as sheets write it (SPEC §4: M/F, male/female,
// ذكر/أنثى), case-insensitively, and returns "F" or "M". Gender is optional:
// an empty value gives "" and no error. Anything else is EINVALID.
func ParseGender(s string) (string, error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return "", nil
	}
	if g, ok := genderWords[wordKey(in)]; ok {
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
