package sheet

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// Clean normalises a value as typed in a spreadsheet: it trims, folds runs of
// whitespace (NBSP and tabs included) and control characters (an escape
// sequence's ESC, C1 controls: never stored, never replayed to a terminal)
// to one space, drops BOMs, zero-width and
// bidi marks that Arabic Excel leaves in cells, turns Arabic-Indic (٠-٩) and
// Persian (۰-۹) digits into ASCII digits and applies Unicode NFC. A value
// that is already clean ASCII is returned as is, without allocating.
func Clean(s string) string {
	if cleanASCII(s) || cleanUnicode(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space, ascii := false, true
	for _, r := range s {
		switch {
		case r >= '٠' && r <= '٩':
			r = '0' + (r - '٠')
		case r >= '۰' && r <= '۹':
			r = '0' + (r - '۰')
		case invisible(r):
			continue
		case r == utf8.RuneError || !unicode.IsSpace(r) && !nomtrack.IsControl(r):
		default: // whitespace and control characters (C0, DEL, C1)
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if r >= utf8.RuneSelf {
			ascii = false
		}
		b.WriteRune(r)
	}
	out := b.String()
	if !ascii && !norm.NFC.IsNormalString(out) {
		out = norm.NFC.String(out)
	}
	return out
}

// cleanASCII reports whether s is printable ASCII with no leading, trailing
// or doubled spaces, i.e. already what Clean would return.
func cleanASCII(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	prevSpace := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f {
			return false
		}
		if c == ' ' {
			if prevSpace {
				return false
			}
			prevSpace = true
		} else {
			prevSpace = false
		}
	}
	return true
}

// cleanUnicode reports whether a non-ASCII s is already what Clean would
// return: single inner spaces, no other whitespace, no invisible characters,
// no Arabic-Indic or Persian digits, and NFC.
func cleanUnicode(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	prevSpace, simple := false, true
	for _, r := range s {
		switch {
		case r == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
			continue
		case r < 0x20 || r == 0x7f:
			return false
		case r >= 0x80 && r <= 0x9f: // C1 controls
			return false
		case r < utf8.RuneSelf:
		case r >= '٠' && r <= '٩', r >= '۰' && r <= '۹', invisible(r), unicode.IsSpace(r), r == utf8.RuneError:
			return false
		default:
			simple = simple && stableNFC(r)
		}
		prevSpace = false
	}
	return simple || norm.NFC.IsNormalString(s)
}

// stableNFC reports characters that neither compose with their neighbours
// nor decompose: Latin below the combining diacritics, and Arabic letters
// (only the Arabic marks take part in composition). A string of these is
// NFC without asking the normaliser, which is the common case for names.
func stableNFC(r rune) bool {
	switch {
	case r < 0x300:
		return true
	case r < 0x600 || r > 0x6FF:
		return false
	case r >= 0x610 && r <= 0x61A, r >= 0x64B && r <= 0x65F, r == 0x670, r >= 0x6D6 && r <= 0x6ED:
		return false
	}
	return true
}

// invisible reports the format characters a cleaned value drops (BOM,
// zero-width spaces and joiners, the bidi marks right-to-left editors
// insert): the same set an identifier refuses (nomtrack.IsFormat).
func invisible(r rune) bool { return nomtrack.IsFormat(r) }

// blankText reports whether s is empty once cleaned, without building the
// cleaned string.
func blankText(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) && !invisible(r) && !nomtrack.IsControl(r) {
			return false
		}
	}
	return true
}
