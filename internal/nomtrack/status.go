package nomtrack

import "strings"

// Nomination statuses (SPEC §2). The strings are stored in the database and
// appear in JSON, so they never change.
const (
	StatusNominated = "nominated"
	StatusApproved  = "approved"
	StatusConfirmed = "confirmed"
	StatusAttended  = "attended"
	StatusCompleted = "completed"
	StatusDeclined  = "declined"
	StatusWithdrawn = "withdrawn"
	StatusCancelled = "cancelled"
	StatusNoShow    = "no-show"
	// StatusReleased closes an alternate who was not needed: final, and
	// counted neither as committed nor as declined or withdrawn.
	StatusReleased = "released"
)

// Statuses lists every status in lifecycle order: the main line first, then
// the final side exits. Reports use it so that every status appears, in an
// order a coordinator recognises.
var Statuses = []string{
	StatusNominated, StatusApproved, StatusConfirmed, StatusAttended, StatusCompleted,
	StatusDeclined, StatusWithdrawn, StatusCancelled, StatusNoShow, StatusReleased,
}

// next holds the arrows of the lifecycle diagram in SPEC §2: the moves an
// interactive command may make without --force. The exits withdrawn,
// declined and cancelled leave from the open states only; once a person has
// attended, the only way on is completed. A switch over static lists, not a
// map: nothing to build when the program starts.
func next(s string) []string {
	switch s {
	case StatusNominated:
		return nextFromNominated
	case StatusApproved:
		return nextFromApproved
	case StatusConfirmed:
		return nextFromConfirmed
	case StatusAttended:
		return nextFromAttended
	}
	return nil
}

var (
	nextFromNominated = []string{StatusApproved, StatusDeclined, StatusWithdrawn, StatusCancelled, StatusReleased}
	nextFromApproved  = []string{StatusConfirmed, StatusDeclined, StatusWithdrawn, StatusCancelled}
	nextFromConfirmed = []string{StatusAttended, StatusDeclined, StatusWithdrawn, StatusCancelled, StatusNoShow}
	nextFromAttended  = []string{StatusCompleted}
)

// IsValidStatus reports whether s is one of the canonical statuses exactly as
// stored (use ParseStatus for text typed by people).
func IsValidStatus(s string) bool {
	for _, v := range Statuses {
		if s == v {
			return true
		}
	}
	return false
}

// IsOpen reports whether a nomination in status s is still waiting for the
// course: nominated, approved or confirmed. Open nominations are the ones an
// offering's cancellation cancels and the ones that may still be withdrawn or
// declined. Attended is neither open nor final: the person took part and only
// completion is left.
func IsOpen(s string) bool {
	return s == StatusNominated || s == StatusApproved || s == StatusConfirmed
}

// IsFinal reports whether s ends the lifecycle: completed, declined,
// withdrawn, cancelled, no-show or released. Nothing moves on from a final status
// without --force.
func IsFinal(s string) bool {
	switch s {
	case StatusCompleted, StatusDeclined, StatusWithdrawn, StatusCancelled, StatusNoShow, StatusReleased:
		return true
	}
	return false
}

// Closed reports whether a nomination in status s was stopped before the
// course: withdrawn, declined, cancelled or released. Of two nominations
// of one person to one offering (two records of a person being merged),
// a closed one gives way to the other (SPEC §4 Duplicates).
func Closed(s string) bool {
	switch s {
	case StatusWithdrawn, StatusDeclined, StatusCancelled, StatusReleased:
		return true
	}
	return false
}

// Committed reports whether a nomination in status s holds a funded seat:
// approved, confirmed, attended or completed (SPEC §2 "committed").
func Committed(s string) bool {
	switch s {
	case StatusApproved, StatusConfirmed, StatusAttended, StatusCompleted:
		return true
	}
	return false
}

// Participated reports whether the person took part: attended or completed
// (SPEC §2 "participated"); utilisation counts these.
func Participated(s string) bool {
	return s == StatusAttended || s == StatusCompleted
}

// NextStatuses returns the statuses an interactive command may move s to
// without --force, in lifecycle order; nil for a final status. Messages and
// shell completion use it.
func NextStatuses(s string) []string {
	n := next(s)
	if n == nil {
		return nil
	}
	out := make([]string, 0, len(n))
	for _, v := range Statuses {
		for _, w := range n {
			if v == w {
				out = append(out, v)
			}
		}
	}
	return out
}

// statusWords maps a typed status, reduced to its letters (see statusKey), to
// the canonical status. It holds the canonical names and the synonyms that
// ministries' sheets use (SPEC §4), plus the American spelling of cancelled.
// A switch, not a map: nothing to build when the program starts.
func statusWord(key string) (string, bool) {
	switch key {
	case "nominated":
		return StatusNominated, true
	case "approved", "accepted", "allocated":
		return StatusApproved, true
	case "confirmed":
		return StatusConfirmed, true
	case "attended":
		return StatusAttended, true
	case "completed", "graduated":
		return StatusCompleted, true
	case "declined", "rejected", "regretted":
		return StatusDeclined, true
	case "withdrawn", "replaced":
		return StatusWithdrawn, true
	case "cancelled", "canceled":
		return StatusCancelled, true
	case "noshow", "didnotattend", "dna":
		return StatusNoShow, true
	case "released":
		return StatusReleased, true
	}
	return "", false
}

// statusKey lowercases s and keeps only its letters, so "No-Show", "no show",
// "NOSHOW" and "D.N.A." all reach the same key.
func statusKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ParseStatus reads a status as people type it: case-insensitively, with or
// without hyphen and spaces, and with the synonyms of SPEC §4 (graduated,
// did not attend / dna, rejected / regretted, accepted / allocated,
// replaced), and the Arabic words of Arabic sheets (مرشح, موافق عليه,
// مقبول, مؤكد, حضر, أكمل, متخرج, اجتاز, منسحب, مرفوض, اعتذر, ملغى, لم يحضر,
// غائب …) with or without hamza and ta marbuta. An unknown word is an EINVALID error that suggests the nearest
// status, or lists them all when none is near.
func ParseStatus(s string) (string, error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return "", Errorf(EINVALID, "status is empty; use one of %s", strings.Join(Statuses, ", "))
	}
	if st, ok := statusWord(statusKey(in)); ok {
		return st, nil
	}
	if st, ok := arabicStatuses()[ArabicWordKey(in)]; ok {
		return st, nil
	}
	if sug := Suggest(in, Statuses); sug != "" {
		return "", Errorf(EINVALID, "unknown status %q; did you mean %s?", in, sug)
	}
	return "", Errorf(EINVALID, "unknown status %q; use one of %s", in, strings.Join(Statuses, ", "))
}

// Move checks an interactive change of status from -> to. Along the arrows of
// SPEC §2 it is allowed and not a correction. Any other move between two
// different statuses is refused with ECONFLICT unless force is set, in which
// case it is allowed and reported as a correction, to be recorded as such in
// the history. A move to the current status is always ECONFLICT ("already
// approved"): it would record an event that changes nothing. to may be any
// spelling ParseStatus reads; an unknown status is EINVALID.
func Move(from, to string, force bool) (correction bool, err error) {
	if !IsValidStatus(from) {
		return false, Errorf(EINVALID, "unknown current status %q", from)
	}
	to, err = ParseStatus(to)
	if err != nil {
		return false, err
	}
	if from == to {
		return false, Errorf(ECONFLICT, "the nomination is already %s", to)
	}
	for _, n := range next(from) {
		if n == to {
			return false, nil
		}
	}
	if force {
		return true, nil
	}
	if IsFinal(from) {
		return false, Errorf(ECONFLICT, "cannot move a nomination from %s to %s: %s is final; use --force to record a correction", from, to, from)
	}
	return false, Errorf(ECONFLICT, "cannot move a nomination from %s to %s; from %s it can go to %s; use --force to record a correction",
		from, to, from, orList(NextStatuses(from)))
}

// forwardRank orders the main line of the lifecycle for IsForward (0 for
// a status off it, as nominated).
func forwardRank(s string) int {
	switch s {
	case StatusApproved:
		return 1
	case StatusConfirmed:
		return 2
	case StatusAttended:
		return 3
	case StatusCompleted:
		return 4
	}
	return 0
}

// IsForward reports whether an import may move a nomination from -> to, that
// is whether to is later in the lifecycle (SPEC §2: an import may move a
// nomination forward to any later state; backward is a row error).
//
// Later means: along nominated < approved < confirmed < attended < completed;
// declined, withdrawn and cancelled are later than any open state (nominated,
// approved, confirmed); no-show is later than any open state too, since a
// historic sheet may record it without the confirmation in between. Nothing
// is later than a final state, and nothing but completed is later than
// attended. released is later than nominated only: an alternate is never
// approved, so a sheet that releases an approved nomination is a mistake. The same status is not forward: re-importing changes nothing.
func IsForward(from, to string) bool {
	if from == to || IsFinal(from) || !IsValidStatus(from) || !IsValidStatus(to) {
		return false
	}
	switch to {
	case StatusDeclined, StatusWithdrawn, StatusCancelled, StatusNoShow:
		return IsOpen(from)
	case StatusReleased:
		return from == StatusNominated
	}
	return forwardRank(to) > forwardRank(from)
}

// orList joins words as "a, b or c".
func orList(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}
