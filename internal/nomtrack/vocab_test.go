package nomtrack

import (
	"slices"
	"testing"
)

// MustResolve resolves input or fails the test.
func MustResolve(tb testing.TB, v *Vocabulary, kind, input string) string {
	tb.Helper()
	got, err := v.Resolve(kind, input)
	if err != nil {
		tb.Fatalf("Resolve(%q, %q): %v", kind, input, err)
	}
	return got
}

func testMinistries() *Vocabulary {
	return NewVocabulary(map[string][]string{
		"MoD": {"Ministry of Defence", "MOD", "وزارة الدفاع"},
		"MoI": {"Ministry of Interior", "وزارة الداخلية"},
		"NSA": {"National Security Adviser", "Office of the NSA"},
		"CTS": {"Counter-Terrorism Service"},
	})
}

func TestVocabularyResolvesCodesAndAliases(t *testing.T) {
	v := testMinistries()
	tests := map[string]string{
		"MoD": "MoD", "mod": "MoD", " M.o.D ": "MoD",
		"Ministry of Defence": "MoD", "ministry  of   DEFENCE": "MoD", "Ministry-of-Defence.": "MoD",
		"وزارة الدفاع": "MoD", "وزاره الدفاع": "MoD", "وزارة  الدفاع ": "MoD",
		"وزارة الداخلية":            "MoI",
		"counter terrorism service": "CTS", "Office of the N.S.A.": "NSA",
	}
	for in, want := range tests {
		if got := MustResolve(t, v, "ministry", in); got != want {
			t.Errorf("Resolve(%q) = %q, want %q", in, got, want)
		}
	}
	if got := MustResolve(t, v, "ministry", "  "); got != "" {
		t.Errorf("empty input: got %q", got)
	}
}

func TestVocabularyErrSuggestsCode(t *testing.T) {
	v := testMinistries()
	_, err := v.Resolve("ministry", "Minstry of Defence")
	if want := `unknown ministry "Minstry of Defence"; did you mean MoD?`; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
	if ErrorCode(err) != EINVALID {
		t.Errorf("code = %q", ErrorCode(err))
	}
	_, err = v.Resolve("ministry", "Ministry of Oil")
	if want := `unknown ministry "Ministry of Oil"; use one of CTS, MoD, MoI, NSA`; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
}

func TestVocabularyEmptyAcceptsAnything(t *testing.T) {
	for _, v := range []*Vocabulary{nil, NewVocabulary(nil), NewAreaVocabulary(nil)} {
		if got := MustResolve(t, v, "ministry", "  Ministry   of Oil "); got != "Ministry of Oil" {
			t.Errorf("got %q, want the cleaned input", got)
		}
		if !v.Empty() || len(v.Codes()) != 0 {
			t.Errorf("vocabulary should be empty: %v", v.Codes())
		}
	}
}

func TestVocabularyCodes(t *testing.T) {
	if got, want := testMinistries().Codes(), []string{"CTS", "MoD", "MoI", "NSA"}; !slices.Equal(got, want) {
		t.Errorf("Codes = %v, want %v", got, want)
	}
	areas := NewAreaVocabulary([]string{"counter-terrorism", "crisis-management", "energy-security", "counter-terrorism"})
	if got, want := areas.Codes(), []string{"counter-terrorism", "crisis-management", "energy-security"}; !slices.Equal(got, want) {
		t.Errorf("area Codes = %v, want %v", got, want)
	}
	codes := areas.Codes()
	codes[0] = "changed"
	if areas.Codes()[0] != "counter-terrorism" {
		t.Error("Codes must return a copy")
	}
}

func TestAreaVocabulary(t *testing.T) {
	v := NewAreaVocabulary([]string{"counter-terrorism", "crisis-management", "energy-security"})
	for in, want := range map[string]string{"Counter Terrorism": "counter-terrorism", "ENERGY_SECURITY": "energy-security", "crisis-management": "crisis-management"} {
		if got := MustResolve(t, v, "area", in); got != want {
			t.Errorf("Resolve(%q) = %q, want %q", in, got, want)
		}
	}
	_, err := v.Resolve("area", "counter-terorism")
	if want := `unknown area "counter-terorism"; did you mean counter-terrorism?`; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
}

func TestVocabularyAliasConflictIsDeterministic(t *testing.T) {
	for range 20 {
		v := NewVocabulary(map[string][]string{"B": {"shared"}, "A": {"shared"}, "C": {"B"}})
		if got := MustResolve(t, v, "ministry", "shared"); got != "A" {
			t.Fatalf("shared alias resolved to %q, want A (first code in order)", got)
		}
		if got := MustResolve(t, v, "ministry", "b"); got != "B" {
			t.Fatalf("code B resolved to %q; a code's own name wins over an alias", got)
		}
	}
}
