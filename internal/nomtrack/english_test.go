package nomtrack

import (
	"reflect"
	"testing"
)

// MustEnglish parses a profile or fails the test.
func MustEnglish(tb testing.TB, s string) English {
	tb.Helper()
	e, err := ParseEnglish(s)
	if err != nil {
		tb.Fatalf("ParseEnglish(%q): %v", s, err)
	}
	return e
}

func TestParseEnglishForms(t *testing.T) {
	tests := map[string]string{
		"3232":         "3232",
		"3 2 3 2":      "3232",
		"3-2-3-2":      "3232",
		"3/2/3/2":      "3232",
		"2+2+32":       "2+2+32",
		"2+ 2+ 3 2":    "2+2+32",
		"L3 S2 R3 W2":  "3232",
		"l3s2r3w2":     "3232",
		"S2 L3 W1 R3":  "3231",
		"L2+ S2 R3 W2": "2+232",
		"SLP 3232":     "3232",
		"SLP: 3-2-3-2": "3232",
		"LSRW 3232":    "3232",
		"slp 2+232":    "2+232",
		"٣٢٣٢":         "3232",
		"۳۲۳۲":         "3232",
		"0+000":        "0+000",
		"5555":         "5555",
		" 4+4+4+4+ ":   "4+4+4+4+",
	}
	for in, want := range tests {
		e, err := ParseEnglish(in)
		if err != nil {
			t.Errorf("ParseEnglish(%q): %v", in, err)
			continue
		}
		if e.String() != want {
			t.Errorf("ParseEnglish(%q) = %s, want %s", in, e, want)
		}
	}
}

func TestParseEnglishErrInvalid(t *testing.T) {
	for _, bad := range []string{"", "323", "32323", "3262", "5+555", "+3232", "3++232", "L3 S2 R3", "L3 L2 R3 W2", "L3 2 3 2", "abcd", "3,2,3,x", "L S2 R3 W2 3"} {
		if _, err := ParseEnglish(bad); ErrorCode(err) != EINVALID {
			t.Errorf("ParseEnglish(%q) err = %v, want EINVALID", bad, err)
		}
	}
}

func TestEnglishPlusLevelSitsBetween(t *testing.T) {
	two, twoPlus, three := MustEnglish(t, "2222")[0], MustEnglish(t, "2+222")[0], MustEnglish(t, "3222")[0]
	if !(two < twoPlus && twoPlus < three) {
		t.Errorf("want 2 < 2+ < 3, got %d %d %d", two, twoPlus, three)
	}
	if !MustEnglish(t, "2+2+2+2+").Meets(MustEnglish(t, "2222")) {
		t.Error("2+2+2+2+ should meet 2222")
	}
	if MustEnglish(t, "2+2+2+2+").Meets(MustEnglish(t, "3222")) {
		t.Error("2+ should not meet 3")
	}
}

func TestEnglishGaps(t *testing.T) {
	tests := []struct {
		have, min string
		want      []string
	}{
		{"2232", "3232", []string{"listening 2 < 3"}},
		{"3232", "3232", nil},
		{"4444", "3232", nil},
		{"2+1+2+1+", "3232", []string{"listening 2+ < 3", "speaking 1+ < 2", "reading 2+ < 3", "writing 1+ < 2"}},
		{"3222", "3232", []string{"reading 2 < 3"}},
	}
	for _, tt := range tests {
		got := EnglishGaps(MustEnglish(t, tt.have), MustEnglish(t, tt.min))
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("EnglishGaps(%s, %s) = %q, want %q", tt.have, tt.min, got, tt.want)
		}
	}
}
