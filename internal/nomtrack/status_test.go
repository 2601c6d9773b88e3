package nomtrack

import (
	"strings"
	"testing"
)

// allowedMoves is SPEC §2's diagram written out by hand: every arrow an
// interactive command may follow without --force.
var allowedMoves = map[[2]string]bool{
	{StatusNominated, StatusApproved}:  true,
	{StatusNominated, StatusDeclined}:  true,
	{StatusNominated, StatusWithdrawn}: true,
	{StatusNominated, StatusCancelled}: true,
	{StatusNominated, StatusReleased}:  true,
	{StatusApproved, StatusConfirmed}:  true,
	{StatusApproved, StatusDeclined}:   true,
	{StatusApproved, StatusWithdrawn}:  true,
	{StatusApproved, StatusCancelled}:  true,
	{StatusConfirmed, StatusAttended}:  true,
	{StatusConfirmed, StatusDeclined}:  true,
	{StatusConfirmed, StatusWithdrawn}: true,
	{StatusConfirmed, StatusCancelled}: true,
	{StatusConfirmed, StatusNoShow}:    true,
	{StatusAttended, StatusCompleted}:  true,
}

func TestStatusesHasAllTenOnce(t *testing.T) {
	if len(Statuses) != 10 {
		t.Fatalf("len(Statuses) = %d, want 10", len(Statuses))
	}
	seen := map[string]bool{}
	for _, s := range Statuses {
		if seen[s] {
			t.Errorf("%s listed twice", s)
		}
		seen[s] = true
	}
}

func TestMoveEveryPair(t *testing.T) {
	for _, from := range Statuses {
		for _, to := range Statuses {
			allowed := allowedMoves[[2]string{from, to}]
			t.Run(from+"->"+to, func(t *testing.T) {
				corr, err := Move(from, to, false)
				switch {
				case from == to:
					if ErrorCode(err) != ECONFLICT || !strings.Contains(err.Error(), "already "+to) {
						t.Errorf("same status: err = %v, want ECONFLICT already %s", err, to)
					}
				case allowed:
					if err != nil || corr {
						t.Errorf("Move(%s,%s,false) = %v, %v; want allowed, no correction", from, to, corr, err)
					}
				default:
					if ErrorCode(err) != ECONFLICT {
						t.Fatalf("Move(%s,%s,false) err = %v, want ECONFLICT", from, to, err)
					}
					msg := err.Error()
					for _, want := range []string{from, to, "--force"} {
						if !strings.Contains(msg, want) {
							t.Errorf("message %q does not mention %q", msg, want)
						}
					}
					for _, n := range NextStatuses(from) {
						if !strings.Contains(msg, n) {
							t.Errorf("message %q does not list allowed next status %q", msg, n)
						}
					}
				}

				corr, err = Move(from, to, true)
				switch {
				case from == to:
					if ErrorCode(err) != ECONFLICT {
						t.Errorf("forced same status: err = %v, want ECONFLICT", err)
					}
				case allowed:
					if err != nil || corr {
						t.Errorf("Move(%s,%s,true) = %v, %v; want allowed, no correction", from, to, corr, err)
					}
				default:
					if err != nil || !corr {
						t.Errorf("Move(%s,%s,true) = %v, %v; want a correction", from, to, corr, err)
					}
				}
			})
		}
	}
}

func TestMoveMessageFromApproved(t *testing.T) {
	_, err := Move(StatusApproved, StatusCompleted, false)
	want := "cannot move a nomination from approved to completed; from approved it can go to confirmed, declined, withdrawn or cancelled; use --force to record a correction"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
}

func TestMoveAcceptsSynonymTarget(t *testing.T) {
	if corr, err := Move(StatusAttended, "graduated", false); err != nil || corr {
		t.Errorf("Move(attended, graduated) = %v, %v", corr, err)
	}
}

func TestMoveErrUnknownStatus(t *testing.T) {
	if _, err := Move(StatusNominated, "aproved", false); ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), "did you mean approved?") {
		t.Errorf("err = %v", err)
	}
	if _, err := Move("bogus", StatusApproved, true); ErrorCode(err) != EINVALID {
		t.Errorf("unknown from: err = %v", err)
	}
}

func TestIsForward(t *testing.T) {
	// forward[from] lists every status later than from; all other pairs are not forward.
	forward := map[string][]string{
		StatusNominated: {StatusApproved, StatusConfirmed, StatusAttended, StatusCompleted, StatusDeclined, StatusWithdrawn, StatusCancelled, StatusNoShow, StatusReleased},
		StatusApproved:  {StatusConfirmed, StatusAttended, StatusCompleted, StatusDeclined, StatusWithdrawn, StatusCancelled, StatusNoShow},
		StatusConfirmed: {StatusAttended, StatusCompleted, StatusDeclined, StatusWithdrawn, StatusCancelled, StatusNoShow},
		StatusAttended:  {StatusCompleted},
	}
	for _, from := range Statuses {
		for _, to := range Statuses {
			want := false
			for _, f := range forward[from] {
				if f == to {
					want = true
				}
			}
			if got := IsForward(from, to); got != want {
				t.Errorf("IsForward(%s, %s) = %v, want %v", from, to, got, want)
			}
		}
	}
	if IsForward("bogus", StatusApproved) || IsForward(StatusNominated, "bogus") {
		t.Error("IsForward accepted an unknown status")
	}
}

func TestStatusClasses(t *testing.T) {
	type class struct{ open, final, committed, participated bool }
	want := map[string]class{
		StatusNominated: {open: true},
		StatusApproved:  {open: true, committed: true},
		StatusConfirmed: {open: true, committed: true},
		StatusAttended:  {committed: true, participated: true},
		StatusCompleted: {final: true, committed: true, participated: true},
		StatusDeclined:  {final: true},
		StatusWithdrawn: {final: true},
		StatusCancelled: {final: true},
		StatusNoShow:    {final: true},
		StatusReleased:  {final: true},
	}
	for _, s := range Statuses {
		got := class{IsOpen(s), IsFinal(s), Committed(s), Participated(s)}
		if got != want[s] {
			t.Errorf("%s: got %+v, want %+v", s, got, want[s])
		}
		if IsFinal(s) != (len(NextStatuses(s)) == 0) {
			t.Errorf("%s: final=%v but NextStatuses=%v", s, IsFinal(s), NextStatuses(s))
		}
	}
}

func TestParseStatus(t *testing.T) {
	ok := map[string]string{
		"nominated": StatusNominated, "Approved": StatusApproved, " CONFIRMED ": StatusConfirmed,
		"attended": StatusAttended, "completed": StatusCompleted, "declined": StatusDeclined,
		"withdrawn": StatusWithdrawn, "cancelled": StatusCancelled, "no-show": StatusNoShow,
		"graduated": StatusCompleted, "Graduated": StatusCompleted,
		"did not attend": StatusNoShow, "Did Not Attend": StatusNoShow, "dna": StatusNoShow, "DNA": StatusNoShow,
		"no show": StatusNoShow, "noshow": StatusNoShow, "No_Show": StatusNoShow,
		"rejected": StatusDeclined, "regretted": StatusDeclined,
		"accepted": StatusApproved, "allocated": StatusApproved,
		"replaced": StatusWithdrawn, "canceled": StatusCancelled, "Released": StatusReleased,
	}
	for in, want := range ok {
		got, err := ParseStatus(in)
		if err != nil || got != want {
			t.Errorf("ParseStatus(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestParseStatusErrSuggests(t *testing.T) {
	_, err := ParseStatus("aproved")
	if want := `unknown status "aproved"; did you mean approved?`; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
	if ErrorCode(err) != EINVALID {
		t.Errorf("code = %s, want EINVALID", ErrorCode(err))
	}
	_, err = ParseStatus("banana")
	if err == nil || !strings.Contains(err.Error(), "use one of nominated, approved, confirmed, attended, completed, declined, withdrawn, cancelled, no-show, released") {
		t.Errorf("err = %v, want the list of statuses", err)
	}
	if _, err := ParseStatus("  "); ErrorCode(err) != EINVALID {
		t.Errorf("empty: err = %v", err)
	}
}

func TestParseOfferingStatus(t *testing.T) {
	for in, want := range map[string]string{"open": OfferingOpen, " Cancelled ": OfferingCancelled} {
		if got, err := ParseOfferingStatus(in); err != nil || got != want {
			t.Errorf("ParseOfferingStatus(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	_, err := ParseOfferingStatus("canceled")
	if ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), "did you mean cancelled?") {
		t.Errorf("ParseOfferingStatus(canceled) = %v; want EINVALID suggesting cancelled", err)
	}
}
