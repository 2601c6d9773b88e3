package nomtrack

import "fmt"

// Kinds of date issue (SPEC §2 Dates).
const (
	DateDeadline = "deadline" // the offering's nomination deadline has passed
	DateStarted  = "started"  // the offering has already started
	DateOverlap  = "overlap"  // the person is committed to an overlapping offering
)

// DateIssue is one thing the calendar says against nominating or approving
// a nomination today. Nominate and approve print Message as a warning, or
// refuse with --strict.
type DateIssue struct {
	Kind    string `json:"kind"`
	Message string `json:"message"`
}

// LastDay is the offering's last day: its end date, or its start when the
// end is not known (a run of one day as far as anyone can tell).
func (o Offering) LastDay() string {
	if o.End != "" && o.End >= o.Start {
		return o.End
	}
	return o.Start
}

// Overlaps reports whether two offerings share at least one day. Dates are
// YYYY-MM-DD, so they compare as strings.
func Overlaps(a, b Offering) bool {
	return a.Start <= b.LastDay() && b.Start <= a.LastDay()
}

// Commitment is another nomination of the same person that holds a seat,
// for the overlap rule.
type Commitment struct {
	NominationID int64
	Status       string
	Offering     Offering
}

// DateIssues lists what the calendar says against putting a person forward
// for (or approving them on) offering o on day today (YYYY-MM-DD): the
// nomination deadline has passed, the offering has started, or one of
// others (the person's committed nominations elsewhere) overlaps it. None
// is an error by itself: the coordinator may know better (a school that
// extended its deadline), so callers warn, and refuse only with --strict.
func DateIssues(today string, o Offering, others []Commitment) []DateIssue {
	var out []DateIssue
	if o.Deadline != "" && today > o.Deadline {
		out = append(out, DateIssue{Kind: DateDeadline,
			Message: fmt.Sprintf("the nomination deadline of %s was %s", o.Ref, o.Deadline)})
	}
	if today > o.Start {
		out = append(out, DateIssue{Kind: DateStarted,
			Message: fmt.Sprintf("%s started on %s", o.Ref, o.Start)})
	}
	for _, c := range others {
		if c.Offering.ID != o.ID && Overlaps(o, c.Offering) {
			out = append(out, DateIssue{Kind: DateOverlap,
				Message: fmt.Sprintf("the person is %s for %s (nomination %d), which overlaps %s",
					c.Status, c.Offering.Ref, c.NominationID, o.Ref)})
		}
	}
	return out
}

// NeedsStarted reports whether moving to status records something that can
// only have happened once the offering started: attended, completed,
// no-show. Before the start such a move is refused unless forced.
func NeedsStarted(status string) bool {
	return status == StatusAttended || status == StatusCompleted || status == StatusNoShow
}

// CheckStarted refuses (ECONFLICT) recording status on a nomination to
// offering o on day today when o has not started yet, unless force.
func CheckStarted(today string, o Offering, status string, force bool) error {
	if !NeedsStarted(status) || force || today >= o.Start {
		return nil
	}
	return Errorf(ECONFLICT, "%s starts on %s; a nomination cannot be %s before the course starts (use --force to record it anyway)",
		o.Ref, o.Start, status)
}
