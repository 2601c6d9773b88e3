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
	if n, ok := invisibleNames[r]; ok {
		return fmt.Sprintf("U+%04X (%s)", r, n)
	}
	if r < 0xa0 {
		return controlName(r)
	}
	return fmt.Sprintf("U+%04X", r)
}

var invisibleNames = map[rune]string{
	0x00AD: "SOFT HYPHEN",
	0x061C: "ARABIC LETTER MARK",
	0x180E: "MONGOLIAN VOWEL SEPARATOR",
	0x200B: "ZERO WIDTH SPACE",
	0x200C: "ZERO WIDTH NON-JOINER",
	0x200D: "ZERO WIDTH JOINER",
	0x200E: "LEFT-TO-RIGHT MARK",
	0x200F: "RIGHT-TO-LEFT MARK",
	0x2028: "LINE SEPARATOR",
	0x2029: "PARAGRAPH SEPARATOR",
	0x202A: "LEFT-TO-RIGHT EMBEDDING",
	0x202B: "RIGHT-TO-LEFT EMBEDDING",
	0x202C: "POP DIRECTIONAL FORMATTING",
	0x202D: "LEFT-TO-RIGHT OVERRIDE",
	0x202E: "RIGHT-TO-LEFT OVERRIDE",
	0x2060: "WORD JOINER",
	0x2066: "LEFT-TO-RIGHT ISOLATE",
	0x2067: "RIGHT-TO-LEFT ISOLATE",
	0x2068: "FIRST STRONG ISOLATE",
	0x2069: "POP DIRECTIONAL ISOLATE",
	0xFEFF: "ZERO WIDTH NO-BREAK SPACE, a byte order mark",
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
