package nomtrack

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestSuggest(t *testing.T) {
	statuses := Statuses
	courses := []string{"M5-106", "M5-107", "ETE-SP-31399", "P3-200"}
	tests := []struct {
		name, in string
		cands    []string
		want     string
	}{
		{"OneLetterMissing", "aproved", statuses, "approved"},
		{"Swap", "apporved", statuses, "approved"},
		{"CaseOnly", "APPROVED", statuses, "approved"},
		{"UniquePrefix", "comp", statuses, "completed"},
		{"AmbiguousPrefixGivesNothing", "co", statuses, ""},
		{"TooFar", "banana", statuses, ""},
		{"Empty", "", statuses, ""},
		{"CourseTypo", "M5-160", courses, "M5-106"},
		{"NearestWinsFirstOnTie", "m5-10", courses, "M5-106"},
		{"NoCandidates", "x", nil, ""},
		{"ShortInputOneEdit", "ab", []string{"ac", "zz"}, "ac"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Suggest(tt.in, tt.cands); got != tt.want {
				t.Errorf("Suggest(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestDidYouMean(t *testing.T) {
	if got := DidYouMean("aproved", Statuses); got != "; did you mean approved?" {
		t.Errorf("got %q", got)
	}
	if got := DidYouMean("banana", Statuses); got != "" {
		t.Errorf("got %q, want empty", got)
	}
}

func TestSuggestDate(t *testing.T) {
	refs := []string{"M5-106@2011-03-05", "M5-106@2012-03-05", "M5-106@2012-09-10", "M5-107@2012-03-06", "P3-200@2012-03-01"}
	tests := []struct{ name, in, want string }{
		{"DayOffSameCourse", "M5-106@2012-03-06", "M5-106@2012-03-05"},
		{"CodeCaseInsensitive", "m5-106@2012-09-01", "M5-106@2012-09-10"},
		{"TieTakesEarlier", "P3-200@2012-02-29", "P3-200@2012-03-01"},
		{"UnknownCourseFallsBackToEditDistance", "M5-160@2012-03-05", "M5-106@2012-03-05"},
		{"Unreadable", "nonsense", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SuggestDate(tt.in, refs); got != tt.want {
				t.Errorf("SuggestDate(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	tie := []string{"X@2012-03-03", "X@2012-03-01"}
	if got := SuggestDate("X@2012-03-02", tie); got != "X@2012-03-01" {
		t.Errorf("tie: got %q, want the earlier date", got)
	}
}

func TestParseOfferingRef(t *testing.T) {
	code, start, err := ParseOfferingRef(" M5-106@2012-03-05 ")
	if err != nil || code != "M5-106" || start != "2012-03-05" {
		t.Fatalf("got %q %q %v", code, start, err)
	}
	for _, bad := range []string{"M5-106", "@2012-03-05", "M5-106@2012-13-05", "M5-106@5/3/2012", "a@b@2012-03-05", "", "M5-106@0212-03-05", "M5-106@3012-03-05"} {
		if _, _, err := ParseOfferingRef(bad); ErrorCode(err) != EINVALID {
			t.Errorf("ParseOfferingRef(%q) err = %v, want EINVALID", bad, err)
		}
	}
}

func TestNearest(t *testing.T) {
	got := Nearest("MOX", []string{"Ministry of Health", "MoI", "MoD", "CTS"}, 2)
	if strings.Join(got, ",") != "MoI,MoD" {
		t.Errorf("Nearest = %v", got)
	}
	if got := Nearest("x", nil, 3); len(got) != 0 {
		t.Errorf("Nearest(no candidates) = %v", got)
	}
}

// The bounded distance Suggest uses agrees with the full one wherever it
// is within the limit, and says "past the limit" exactly when it is not.
func TestOSAWithinAgreesWithDistance(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 16))
	word := func() []rune {
		alphabet := []rune("abcdeé-0123")
		w := make([]rune, rng.IntN(12))
		for i := range w {
			w[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return w
	}
	var rows osaRows
	for range 20000 {
		a, b, limit := word(), word(), rng.IntN(5)
		full := plainOSA(a, b)
		if d := osaDistance(a, b); d != full {
			t.Fatalf("osaDistance(%q, %q) = %d; the distance is %d", string(a), string(b), d, full)
		}
		got := rows.within(a, b, limit)
		if (full <= limit && got != full) || (full > limit && got <= limit) {
			t.Fatalf("within(%q, %q, %d) = %d; the distance is %d", string(a), string(b), limit, got, full)
		}
	}
}

// plainOSA is the textbook optimal string alignment distance, written
// apart from the bounded one so that the test has an independent oracle.
func plainOSA(a, b []rune) int {
	// Three rolling rows: two back for transpositions, one back, current.
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
