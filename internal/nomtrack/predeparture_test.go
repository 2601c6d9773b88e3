package nomtrack

import (
	"strings"
	"testing"
)

func TestParseChoice(t *testing.T) {
	ok := map[[2]string]string{
		{"visa", "Issued"}: "issued", {"visa", "pending"}: "requested", {"visa", " "}: "",
		{"clearance", "GRANTED"}: "granted", {"clearance", "denied"}: "refused",
		{"funding", "NATO"}: "nato", {"funding", "Host Nation"}: "host", {"funding", "national"}: "national",
	}
	for in, want := range ok {
		if got, err := ParseChoice(in[0], in[1]); err != nil || got != want {
			t.Errorf("ParseChoice(%q, %q) = %q, %v; want %q", in[0], in[1], got, err, want)
		}
	}
	_, err := ParseChoice("visa", "isued")
	if ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), "did you mean issued?") {
		t.Errorf("err = %v", err)
	}
	_, err = ParseChoice("funding", "banana")
	if err == nil || !strings.Contains(err.Error(), "use one of nato, national, host, other") {
		t.Errorf("err = %v", err)
	}
}

func TestParseRequires(t *testing.T) {
	for in, want := range map[string]string{"adl, Clearance": "clearance,adl", "": "", "none": "", "adl": "adl"} {
		if got, err := ParseRequires(in); err != nil || got != want {
			t.Errorf("ParseRequires(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseRequires("visa"); ErrorCode(err) != EINVALID {
		t.Errorf("visa: err = %v", err)
	}
}

func TestMissing(t *testing.T) {
	n := Nomination{Clearance: "requested"}
	if got := Missing("clearance,adl", n); strings.Join(got, ",") != "clearance,adl" {
		t.Errorf("Missing = %v", got)
	}
	n.Clearance, n.ADL = "granted", "2026-02-01"
	if got := Missing("clearance,adl", n); len(got) != 0 {
		t.Errorf("Missing = %v, want none", got)
	}
	if got := MissingText([]string{"clearance", "adl"}); got != "security clearance (not granted) and ADL pre-study (no completion date)" {
		t.Errorf("MissingText = %q", got)
	}
}
