package nomtrack

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// Messages never echo contact details (SPEC §8): a value shaped like an
// e-mail address or a phone number is described instead. A sheet whose
// columns are shifted puts them anywhere (in the course, the date, the
// ref), so the check is on the value's shape, not on its column.

// The descriptions that stand in for contact details.
const (
	EmailShown = "a value that looks like an e-mail address"
	PhoneShown = "a value that looks like a phone number"
)

// The patterns are compiled on first use, not at every command's start.
var (
	// emailShape: text @ (or an obfuscated (at)/[at]) a domain with a dot.
	emailShape = lazyRegexp(`[^\s"'<>(),;:@\[\]]+(?:@|\s?\(at\)\s?|\s?\[at\]\s?)[^\s"'<>(),;:@\[\]]+\.[A-Za-z]{2,}`)
	// phoneCandidate: digits with the separators phone numbers are written
	// with; phoneLike decides by the digits.
	phoneCandidate = lazyRegexp(`\+?\(?\d[\d ().\-]*\d`)
	isoDate        = lazyRegexp(`\d{4}-\d{2}-\d{2}`)
	// databaseURL: a PostgreSQL URL, as messages name the database (its
	// password masked). Its role@host, an IP address or the digits of a
	// socket directory are not contact details, and the coordinator needs
	// the URL as given to run what the message suggests.
	databaseURL = lazyRegexp(`(?i)\bpostgres(?:ql)?://[^\s'"]*`)
)

// lazyRegexp compiles expr the first time it is called for.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

// phoneLike reports whether a run of digits and separators is a phone
// number: an international one (+ or 00, 8 digits or more), a local one (0
// and 9 or more), or 9 digits or more that are not dates. Years, dates, year
// ranges (1900-2999), fees and 8-digit service numbers are not.
func phoneLike(s string) bool {
	if isoDate().MatchString(s) {
		return false
	}
	digits := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			digits++
		}
	}
	t := strings.TrimLeft(s, "(")
	switch {
	case strings.HasPrefix(t, "+") || strings.HasPrefix(t, "00"):
		return digits >= 8
	default:
		return digits >= 9
	}
}

// LooksLikeEmail reports whether v is shaped like an e-mail address.
func LooksLikeEmail(v string) bool { return emailShape().MatchString(v) }

// LooksLikePhone reports whether v holds a phone number.
func LooksLikePhone(v string) bool { return len(phoneSpans(v)) > 0 }

// phoneSpans finds the phone numbers in s: candidates that stand alone (not
// the digits inside a word or a path, such as /tmp/build3847562893/) and
// that phoneLike accepts.
func phoneSpans(s string) [][]int {
	var spans [][]int
	for _, loc := range phoneCandidate().FindAllStringIndex(s, -1) {
		if loc[0] > 0 && wordByte(s[loc[0]-1]) || loc[1] < len(s) && wordByte(s[loc[1]]) {
			continue
		}
		if phoneLike(s[loc[0]:loc[1]]) {
			spans = append(spans, loc)
		}
	}
	return spans
}

// wordByte: a byte that joins digits to a word or path around them.
func wordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b == '/' || b == '\\' || b >= 0x80
}

// Shown is v quoted for a message, or a description of it when it looks like
// contact details.
func Shown(v string) string {
	switch {
	case LooksLikeEmail(v):
		return EmailShown
	case LooksLikePhone(v):
		return PhoneShown
	}
	return strconv.Quote(v)
}

// Redact replaces what looks like an e-mail address or a phone number in a
// message (with the quotes around it) by its description: the last guard
// before a message is printed or written to a rejects file's error column.
func Redact(msg string) string {
	if !strings.ContainsAny(msg, "0123456789@([") {
		return msg
	}
	msg = replaceQuoted(msg, outsideURLs(msg, emailShape().FindAllStringIndex(msg, -1)), EmailShown)
	return replaceQuoted(msg, outsideURLs(msg, phoneSpans(msg)), PhoneShown)
}

// outsideURLs keeps the spans of msg that do not touch a database URL.
func outsideURLs(msg string, spans [][]int) [][]int {
	if len(spans) == 0 || !strings.Contains(msg, "://") {
		return spans
	}
	urls := databaseURL().FindAllStringIndex(msg, -1)
	var kept [][]int
	for _, sp := range spans {
		inside := false
		for _, u := range urls {
			if sp[0] < u[1] && sp[1] > u[0] {
				inside = true
				break
			}
		}
		if !inside {
			kept = append(kept, sp)
		}
	}
	return kept
}

// replaceQuoted replaces each span of msg by with, taking a quote on both
// sides of it along.
func replaceQuoted(msg string, spans [][]int, with string) string {
	if len(spans) == 0 {
		return msg
	}
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		from, to := sp[0], sp[1]
		if from > 0 && to < len(msg) && msg[from-1] == '"' && msg[to] == '"' {
			from, to = from-1, to+1
		}
		if from < last {
			continue
		}
		b.WriteString(msg[last:from])
		b.WriteString(with)
		last = to
	}
	b.WriteString(msg[last:])
	return b.String()
}
