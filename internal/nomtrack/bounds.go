package nomtrack

import "fmt"

// MaxSeats is the most seats an offering, a ministry's request or a year's
// capacity may hold. The programme funds hundreds of places a year; a value
// beyond this is a typo (or an attack on the reports, whose charts and sums
// scale with it), so it is refused rather than stored.
const MaxSeats = 100_000

// CheckSeats refuses a count of seats below 0 or above MaxSeats; what names
// the value in the message ("--seats", "capacity").
func CheckSeats(what string, n int) error {
	switch {
	case n < 0:
		return Errorf(EINVALID, "%s %d is negative; give 0 or more", what, n)
	case n > MaxSeats:
		return Errorf(EINVALID, "%s is more than %s, the most nomtrack accepts", what, thousands(MaxSeats))
	}
	return nil
}

// thousands writes n with comma separators, for messages.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
