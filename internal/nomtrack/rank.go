package nomtrack

import (
	"cmp"
	"strconv"
	"strings"
)

// RankOfficerDesignate is STANAG 2116's OF(D): an officer cadet or student
// officer, below OF-1.
const RankOfficerDesignate = "OF(D)"

// rankCodesHelp is the tail of every rank code error.
const rankCodesHelp = "NATO rank codes are OR-1 to OR-9, WO-1 to WO-5, OF(D) and OF-1 to OF-10"

// ParseRankCode reads a NATO rank code (STANAG 2116) as people write it,
// "of4", "OF 4", "OF-04", "of(d)", and returns it canonically: "OF-4",
// "OR-7", "WO-2", "OF(D)". Anything else is an EINVALID error.
func ParseRankCode(s string) (string, error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return "", Errorf(EINVALID, "rank code is empty; %s", rankCodesHelp)
	}
	key := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '_', '.', '(', ')', '\t':
			return -1
		}
		return r
	}, strings.ToUpper(in))
	if key == "OFD" {
		return RankOfficerDesignate, nil
	}
	if len(key) > 2 {
		prefix := key[:2]
		n, err := strconv.Atoi(key[2:])
		if top, _ := rankTop(prefix); err == nil && allDigits(key[2:]) && n >= 1 && n <= top {
			return prefix + "-" + strconv.Itoa(n), nil
		}
	}
	return "", Errorf(EINVALID, "unknown rank code %q; %s", in, rankCodesHelp)
}

// rankTop is the highest number of each rank code category; false for
// another prefix.
func rankTop(prefix string) (int, bool) {
	switch prefix {
	case "OR":
		return 9, true
	case "WO":
		return 5, true
	case "OF":
		return 10, true
	}
	return 0, false
}

// rankOrder places a canonical rank code on one scale: other ranks OR-1..9,
// then warrant officers WO-1..5 (between other ranks and officers, as STANAG
// 2116 ranks them), then OF(D), then officers OF-1..10.
func rankOrder(code string) (int, bool) {
	c, err := ParseRankCode(code)
	if err != nil {
		return 0, false
	}
	if c == RankOfficerDesignate {
		return 20, true
	}
	n, _ := strconv.Atoi(c[3:])
	switch c[:2] {
	case "OR":
		return n, true
	case "WO":
		return 10 + n, true
	}
	return 20 + n, true
}

// CompareRank compares two NATO rank codes in any spelling ParseRankCode
// reads: -1 when a is junior to b, 0 when equal, +1 when senior. A code that
// cannot be read sorts below every real one (and unreadable codes among
// themselves by their text), so a sorted list stays total; callers that must
// tell "unknown" from "junior" parse first, as Eligibility does.
func CompareRank(a, b string) int {
	oa, okA := rankOrder(a)
	ob, okB := rankOrder(b)
	switch {
	case okA && okB:
		return cmp.Compare(oa, ob)
	case okA:
		return 1
	case okB:
		return -1
	}
	return cmp.Compare(a, b)
}

// allDigits reports whether s is made of ASCII digits only.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
