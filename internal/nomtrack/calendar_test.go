package nomtrack

import (
	"strings"
	"testing"
)

func TestDateIssues(t *testing.T) {
	o := Offering{ID: 1, Ref: "M5-106@2026-03-02", Start: "2026-03-02", End: "2026-03-06", Deadline: "2026-01-15"}
	other := Commitment{NominationID: 9, Status: StatusApproved,
		Offering: Offering{ID: 2, Ref: "CT-201@2026-03-05", Start: "2026-03-05", End: "2026-03-09"}}
	apart := Commitment{NominationID: 10, Status: StatusConfirmed,
		Offering: Offering{ID: 3, Ref: "CT-201@2026-03-09", Start: "2026-03-09"}}
	kinds := func(list []DateIssue) string {
		var k []string
		for _, d := range list {
			k = append(k, d.Kind)
		}
		return strings.Join(k, ",")
	}
	for _, tc := range []struct {
		name, today string
		others      []Commitment
		want        string
	}{
		{"OK", "2026-01-10", []Commitment{apart}, ""},
		{"OnDeadline", "2026-01-15", nil, ""},
		{"PastDeadline", "2026-01-16", nil, "deadline"},
		{"OnStart", "2026-03-02", nil, "deadline"},
		{"Started", "2026-03-03", nil, "deadline,started"},
		{"Overlap", "2026-01-10", []Commitment{other, apart}, "overlap"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := DateIssues(tc.today, o, tc.others)
			if kinds(got) != tc.want {
				t.Errorf("kinds = %q, want %q (%v)", kinds(got), tc.want, got)
			}
		})
	}
	got := DateIssues("2026-01-10", o, []Commitment{other})
	if want := "the person is approved for CT-201@2026-03-05 (nomination 9), which overlaps M5-106@2026-03-02"; got[0].Message != want {
		t.Errorf("message = %q, want %q", got[0].Message, want)
	}
}

func TestOverlapsOneDayRuns(t *testing.T) {
	a := Offering{Start: "2026-03-02"}
	if !Overlaps(a, Offering{Start: "2026-03-02"}) || Overlaps(a, Offering{Start: "2026-03-03"}) {
		t.Error("one-day runs: same day must overlap, the next day not")
	}
	if !Overlaps(Offering{Start: "2026-03-01", End: "2026-03-02"}, a) {
		t.Error("a run ending on the other's start overlaps it")
	}
}

func TestCheckStarted(t *testing.T) {
	o := Offering{Ref: "M5-106@2026-03-02", Start: "2026-03-02"}
	err := CheckStarted("2026-02-16", o, StatusAttended, false)
	if ErrorCode(err) != ECONFLICT || !strings.Contains(err.Error(), "starts on 2026-03-02") {
		t.Errorf("before start: err = %v", err)
	}
	for _, ok := range []error{
		CheckStarted("2026-02-16", o, StatusAttended, true),
		CheckStarted("2026-03-02", o, StatusCompleted, false),
		CheckStarted("2026-02-16", o, StatusApproved, false),
	} {
		if ok != nil {
			t.Errorf("unexpected refusal: %v", ok)
		}
	}
}
