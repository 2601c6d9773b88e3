package nomtrack

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// An identifier (a person's ref, a course's code or ETOC code, an offering
// reference) is how a coordinator tells records apart, and it is shown in a
// terminal. A character that shows nothing (a zero-width space, a BOM) or
// that reorders what follows (the bidi embeddings, overrides and isolates)
// makes two different identifiers look the same there: "S-10\u202E10"
// shows as S-1001. Such characters are refused in identifiers, never
// silently dropped, since dropping an override stores another text than the
// one the user saw. Names are different: an Arabic name carries the
// direction marks right-to-left editors insert, and those are removed (see
// StripInvisible), as an import's cleaning always did.

// FirstInvisible returns the first character of s that a terminal does not
// show as itself: a control character (C0, DEL, C1) other than the
// whitespace a value is trimmed of (space, tab, line feed, carriage
// return), a format character (Unicode Cf: U+200B–U+200F, U+202A–U+202E,
// U+2060–U+2069, U+FEFF, U+00AD, U+061C …), or a line or paragraph
// separator. ok is false when s has none.
func FirstInvisible(s string) (r rune, ok bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			for _, r := range s[i:] {
				if isInvisible(r) {
					return r, true
				}
			}
			return 0, false
		}
		if c < 0x20 && c != ' ' && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
			return rune(c), true
		}
	}
	return 0, false
}

func isInvisible(r rune) bool {
	switch {
	case r == ' ' || r == '\t' || r == '\n' || r == '\r':
		return false
	case r < 0x20 || r >= 0x7f && r <= 0x9f:
		return true
	case r < 0xa0:
		return false
	}
	return IsFormat(r) || unicode.In(r, unicode.Zl, unicode.Zp)
}

// IsFormat reports a Unicode format character (category Cf): a BOM, a
// soft hyphen, the zero-width spaces and joiners, the bidi marks,
// embeddings, overrides and isolates. They carry no text, so a sheet's
// cleaning drops them from values and an identifier refuses them.
func IsFormat(r rune) bool { return r >= 0xad && unicode.Is(unicode.Cf, r) }

// StripInvisible removes the format characters FirstInvisible reports
// (direction marks, zero-width characters, BOMs) from text that is not an
// identifier, such as a name: they are not part of it, and two names that
// differ only by them are one name. Control characters are left for
// CheckText to refuse.
func StripInvisible(s string) string {
	if _, ok := FirstInvisible(s); !ok {
		return s
	}
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if isInvisible(r) && !(r < 0xa0) {
			continue
		}
		out = append(out, r)
	}
	return string(out)
}

// InvisibleName names an invisible character for a message: its code point
// and, for the ones that turn up in sheets, its Unicode name.
func InvisibleName(r rune) string {
	if n, ok := invisibleName(r); ok {
		return fmt.Sprintf("U+%04X (%s)", r, n)
	}
	if r < 0xa0 {
		return controlName(r)
	}
	return fmt.Sprintf("U+%04X", r)
}

// invisibleName is the Unicode name of the invisible characters that turn
// up in sheets.
func invisibleName(r rune) (string, bool) {
	switch r {
	case 0x00AD:
		return "SOFT HYPHEN", true
	case 0x061C:
		return "ARABIC LETTER MARK", true
	case 0x180E:
		return "MONGOLIAN VOWEL SEPARATOR", true
	case 0x200B:
		return "ZERO WIDTH SPACE", true
	case 0x200C:
		return "ZERO WIDTH NON-JOINER", true
	case 0x200D:
		return "ZERO WIDTH JOINER", true
	case 0x200E:
		return "LEFT-TO-RIGHT MARK", true
	case 0x200F:
		return "RIGHT-TO-LEFT MARK", true
	case 0x2028:
		return "LINE SEPARATOR", true
	case 0x2029:
		return "PARAGRAPH SEPARATOR", true
	case 0x202A:
		return "LEFT-TO-RIGHT EMBEDDING", true
	case 0x202B:
		return "RIGHT-TO-LEFT EMBEDDING", true
	case 0x202C:
		return "POP DIRECTIONAL FORMATTING", true
	case 0x202D:
		return "LEFT-TO-RIGHT OVERRIDE", true
	case 0x202E:
		return "RIGHT-TO-LEFT OVERRIDE", true
	case 0x2060:
		return "WORD JOINER", true
	case 0x2066:
		return "LEFT-TO-RIGHT ISOLATE", true
	case 0x2067:
		return "RIGHT-TO-LEFT ISOLATE", true
	case 0x2068:
		return "FIRST STRONG ISOLATE", true
	case 0x2069:
		return "POP DIRECTIONAL ISOLATE", true
	case 0xFEFF:
		return "ZERO WIDTH NO-BREAK SPACE, a byte order mark", true
	}
	return "", false
}

// CheckIdentifier refuses an identifier holding an invisible character
// (FirstInvisible), naming what it is (what: "ref", "course code") and the
// character's code point. The value is quoted with Go escapes, so the
// message shows where the character is instead of acting on the terminal.
func CheckIdentifier(what, s string) error {
	r, ok := FirstInvisible(s)
	if !ok {
		return nil
	}
	return Errorf(EINVALID, "%s %s holds the invisible character %s, which can make two %ss look alike; type it again without", what, Shown(s), InvisibleName(r), what)
}
