package nomtrack

import (
	"slices"
	"testing"
)

func TestParseRankCode(t *testing.T) {
	ok := map[string]string{
		"of4": "OF-4", "OF 4": "OF-4", "OF-4": "OF-4", "of-04": "OF-4", " OF_4 ": "OF-4",
		"OR-9": "OR-9", "or1": "OR-1", "WO-5": "WO-5", "OF-10": "OF-10",
		"OF(D)": "OF(D)", "of (d)": "OF(D)", "OF-D": "OF(D)",
	}
	for in, want := range ok {
		if got, err := ParseRankCode(in); err != nil || got != want {
			t.Errorf("ParseRankCode(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "OF-0", "OF-11", "OR-10", "WO-6", "OF+4", "Colonel", "OF", "XX-4", "OF-4a"} {
		if _, err := ParseRankCode(bad); ErrorCode(err) != EINVALID {
			t.Errorf("ParseRankCode(%q) err = %v, want EINVALID", bad, err)
		}
	}
}

func TestCompareRankOrder(t *testing.T) {
	ascending := []string{"OR-1", "OR-5", "OR-9", "WO-1", "WO-5", "OF(D)", "OF-1", "OF-2", "OF-9", "OF-10"}
	for i := range ascending {
		for j := range ascending {
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got := CompareRank(ascending[i], ascending[j]); got != want {
				t.Errorf("CompareRank(%s, %s) = %d, want %d", ascending[i], ascending[j], got, want)
			}
		}
	}
	if CompareRank("of4", "OF-4") != 0 {
		t.Error("spellings of the same code should compare equal")
	}
	mixed := []string{"OF-10", "bogus", "OR-9", "OF-1"}
	slices.SortFunc(mixed, CompareRank)
	if want := []string{"bogus", "OR-9", "OF-1", "OF-10"}; !slices.Equal(mixed, want) {
		t.Errorf("sorted = %v, want %v", mixed, want)
	}
}
