package nomtrack_test

import (
	"strings"
	"testing"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

func TestFirstInvisible(t *testing.T) {
	for _, c := range []struct {
		in   string
		want rune // 0: none
	}{
		{"S-1001", 0},
		{" S-1001\t", 0},
		{"محمد", 0},
		{"S-10\u202e10", 0x202e},
		{"S-\u200b1001", 0x200b},
		{"\ufeffS-1", 0xfeff},
		{"S-1\u2066", 0x2066},
		{"S-1\u200f", 0x200f},
		{"S-1\x1b[31m", 0x1b},
		{"S-1\x7f", 0x7f},
		{"S-1\u0085", 0x85},
		{"S-1\u00ad", 0xad},
		{"S-1\u2028", 0x2028},
	} {
		r, ok := nomtrack.FirstInvisible(c.in)
		if ok != (c.want != 0) || r != c.want {
			t.Errorf("FirstInvisible(%q) = %U, %v; want %U", c.in, r, ok, c.want)
		}
	}
}

// Names lose the marks, keep their letters (and any control character, for
// CheckText to refuse).
func TestStripInvisible(t *testing.T) {
	for in, want := range map[string]string{
		"\u200fأحمد علي\u200e": "أحمد علي",
		"Sara\u200b Karim":     "Sara Karim",
		"Ali":                  "Ali",
		"Ali\x1b":              "Ali\x1b",
	} {
		if got := nomtrack.StripInvisible(in); got != want {
			t.Errorf("StripInvisible(%q) = %q, want %q", in, got, want)
		}
	}
}

// Every identifier check refuses them, naming the code point, and the
// message shows the value escaped (it never carries the character itself).
func TestIdentifiersRefuseInvisible(t *testing.T) {
	for name, err := range map[string]error{
		"ref":      nomtrack.ValidateRef("S-10\u202e10"),
		"code":     nomtrack.ValidateCourseCode("M5\u200b-106"),
		"etoc":     (&nomtrack.Course{Code: "M5-106", EtocCode: "ETE\u2067-1"}).Validate(),
		"offering": func() error { _, _, err := nomtrack.ParseOfferingRef("M5-106\ufeff@2026-03-02"); return err }(),
	} {
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, "U+") || strings.ContainsAny(msg, "\u202e\u200b\u2067\ufeff") {
			t.Errorf("%s: %q; want the code point named and the value escaped", name, msg)
		}
	}
}
