package nomtrack

import (
	"fmt"
	"strings"
)

// Kinds of eligibility gap.
const (
	GapEnglish = "english"
	GapRank    = "rank"
)

// Gap is one way a person falls short of a course's prerequisites (SPEC §2
// Eligibility). Nominating prints Message as a warning, or refuses with
// --strict; `report eligibility` lists them.
type Gap struct {
	Kind    string `json:"kind"` // GapEnglish or GapRank
	Message string `json:"message"`
	// Unknown is set when the person's profile or rank code is missing or
	// cannot be read, so the gap may not be real. It is still a gap: a
	// coordinator should find out before the school does, and --strict
	// refuses it like any other; reports may show it apart.
	Unknown bool `json:"unknown,omitempty"`
}

// Eligibility lists the prerequisites of course c that person p does not
// meet: an English profile below the course minimum in any skill, a rank
// code below the minimum rank, or either of them unknown while the course
// sets a minimum. A course without prerequisites yields nil. A course
// minimum that cannot be read is reported as a gap too, naming the course,
// rather than silently passing everyone.
func Eligibility(p Person, c Course) []Gap {
	var gaps []Gap
	if g, ok := englishGap(p.English, c); ok {
		gaps = append(gaps, g)
	}
	if g, ok := rankGap(p.RankCode, c); ok {
		gaps = append(gaps, g)
	}
	return gaps
}

func englishGap(have string, c Course) (Gap, bool) {
	if strings.TrimSpace(c.MinEnglish) == "" {
		return Gap{}, false
	}
	min, err := ParseEnglish(c.MinEnglish)
	if err != nil {
		return Gap{Kind: GapEnglish, Unknown: true,
			Message: fmt.Sprintf("course %s has minimum English %q, which is not a STANAG 6001 profile", c.Code, c.MinEnglish)}, true
	}
	if strings.TrimSpace(have) == "" {
		return Gap{Kind: GapEnglish, Unknown: true,
			Message: fmt.Sprintf("English profile unknown; the course minimum is %s", min)}, true
	}
	got, err := ParseEnglish(have)
	if err != nil {
		return Gap{Kind: GapEnglish, Unknown: true,
			Message: fmt.Sprintf("English profile %q cannot be read; the course minimum is %s", have, min)}, true
	}
	short := EnglishGaps(got, min)
	if len(short) == 0 {
		return Gap{}, false
	}
	return Gap{Kind: GapEnglish,
		Message: fmt.Sprintf("English %s is below the course minimum %s (%s)", got, min, strings.Join(short, ", "))}, true
}

func rankGap(have string, c Course) (Gap, bool) {
	if strings.TrimSpace(c.MinRank) == "" {
		return Gap{}, false
	}
	min, err := ParseRankCode(c.MinRank)
	if err != nil {
		return Gap{Kind: GapRank, Unknown: true,
			Message: fmt.Sprintf("course %s has minimum rank %q, which is not a NATO rank code", c.Code, c.MinRank)}, true
	}
	if strings.TrimSpace(have) == "" {
		return Gap{Kind: GapRank, Unknown: true,
			Message: fmt.Sprintf("rank code unknown; the course minimum is %s", min)}, true
	}
	got, err := ParseRankCode(have)
	if err != nil {
		return Gap{Kind: GapRank, Unknown: true,
			Message: fmt.Sprintf("rank code %q cannot be read; the course minimum is %s", have, min)}, true
	}
	if CompareRank(got, min) >= 0 {
		return Gap{}, false
	}
	return Gap{Kind: GapRank, Message: fmt.Sprintf("rank %s is below the course minimum %s", got, min)}, true
}
