package nomtrack

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// IsControl reports the characters a terminal may act on instead of showing:
// the C0 controls (ESC starts the sequences that move the cursor, recolour
// or retitle the window), DEL and the C1 controls (U+009B is a one-character
// CSI on some terminals). Tab and line feed are layout, not commands, and
// are left to the callers that fold whitespace.
func IsControl(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' || r >= 0x7f && r <= 0x9f
}

// CheckText refuses text that is not valid UTF-8 or that holds a control
// character (IsControl): stored text is replayed to terminals by every
// listing, so it must be what it claims to be. what names the value in the
// message ("--name").
func CheckText(what, s string) error {
	if !utf8.ValidString(s) {
		return Errorf(EINVALID, "%s is not valid UTF-8; type it again, or save the file it came from as UTF-8", what)
	}
	for _, r := range s {
		if IsControl(r) {
			return Errorf(EINVALID, "%s holds a control character (%s), which nomtrack does not store; type it without", what, controlName(r))
		}
	}
	return nil
}

// Printable returns s with every control character (IsControl) written as
// a visible escape (ESC as \x1b), and invalid UTF-8 bytes likewise, so that
// text stored before it was checked can never drive the terminal it is
// listed on. Clean text is returned as it is.
func Printable(s string) string {
	// Most cells are printable ASCII: one pass finds them clean.
	ascii := true
	for i := 0; ascii && i < len(s); i++ {
		ascii = s[i] >= 0x20 && s[i] < 0x7f || s[i] == '\t' || s[i] == '\n'
	}
	if ascii {
		return s
	}
	clean := utf8.ValidString(s)
	for i := 0; clean && i < len(s); i++ {
		clean = s[i] >= 0x20 && s[i] != 0x7f || s[i] == '\t' || s[i] == '\n'
	}
	if clean && !hasC1(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case IsControl(r) && r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// hasC1 reports a C1 control character (U+0080 to U+009F) in s.
func hasC1(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == 0xc2 && s[i+1] >= 0x80 && s[i+1] <= 0x9f {
			return true
		}
	}
	return false
}

// controlName names a control character for a message: "ESC, U+001B".
func controlName(r rune) string {
	names := map[rune]string{0x1b: "ESC", 0x07: "BEL", 0x08: "backspace", '\r': "carriage return", 0x7f: "DEL", 0x9b: "CSI", 0: "NUL"}
	if n, ok := names[r]; ok {
		return fmt.Sprintf("%s, U+%04X", n, r)
	}
	return fmt.Sprintf("U+%04X", r)
}
