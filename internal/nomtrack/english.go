package nomtrack

import (
	"fmt"
	"strings"
)

// Level is one STANAG 6001 proficiency level, 0 to 5 with the plus levels
// 0+ to 4+ between them. It counts half steps (2 is 4, 2+ is 5, 3 is 6), so
// levels compare with < and 2+ sits between 2 and 3.
type Level uint8

// MaxLevel is level 5, the highest STANAG 6001 level; there is no 5+.
const MaxLevel Level = 10

// String writes the level as the standard does: "2", "2+".
func (l Level) String() string {
	s := string(rune('0' + l/2))
	if l%2 == 1 {
		s += "+"
	}
	return s
}

// Skills names the four skills of a STANAG 6001 profile in the order the
// profile is written (SLRW is the standard's order; nomtrack follows SPEC §1,
// listening-speaking-reading-writing, as the ministries' sheets do).
var Skills = [4]string{"listening", "speaking", "reading", "writing"}

// skillLetters are the labels of the labelled form "L3 S2 R3 W2".
const skillLetters = "LSRW"

// English is a STANAG 6001 profile: the levels for listening, speaking,
// reading and writing, in that order.
type English [4]Level

// String writes the profile canonically, levels run together: "3232",
// "2+232". It is how profiles are stored and shown.
func (e English) String() string {
	var b strings.Builder
	for _, l := range e {
		b.WriteString(l.String())
	}
	return b.String()
}

// Meets reports whether e reaches min in every skill.
func (e English) Meets(min English) bool {
	for i := range e {
		if e[i] < min[i] {
			return false
		}
	}
	return true
}

// ParseEnglish reads a STANAG 6001 profile in the forms coordinators and
// sheets write: "3232", "3 2 3 2", "3-2-3-2", "3/2/3/2", with plus levels
// ("2+2+32"), or labelled in any order ("L3 S2 R3 W2", "S2 L3 W2 R3"),
// optionally after "SLP" or "LSRW". Arabic-Indic and Persian digits are read as
// digits. An empty or malformed profile is an EINVALID error; callers treat
// an empty cell as "profile unknown" before calling.
func ParseEnglish(s string) (English, error) {
	in := strings.TrimSpace(s)
	var e English
	if in == "" {
		return e, Errorf(EINVALID, "English profile is empty; write four STANAG 6001 levels (listening, speaking, reading, writing), e.g. 3232 or 2+232")
	}
	text := strings.ToUpper(in)
	for _, header := range []string{"SLP", "LSRW"} {
		text = strings.TrimSpace(strings.TrimPrefix(text, header))
	}
	text = strings.TrimLeft(text, ": ")

	var levels []Level
	var labels []int // skill index per level, when labelled
	pending := -1    // skill named by a letter, waiting for its level
	lastDigit := false
	for _, r := range text {
		if d, ok := digitValue(r); ok {
			if d > 5 {
				return e, Errorf(EINVALID, "English profile %q has level %d; STANAG 6001 levels go from 0 to 5", in, d)
			}
			levels = append(levels, Level(2*d))
			if pending >= 0 {
				labels = append(labels, pending)
				pending = -1
			}
			lastDigit = true
			continue
		}
		wasDigit := lastDigit
		lastDigit = false
		switch {
		case r == '+':
			if !wasDigit {
				return e, Errorf(EINVALID, "English profile %q has a + that does not follow a level", in)
			}
			if levels[len(levels)-1] == MaxLevel {
				return e, Errorf(EINVALID, "English profile %q has 5+, which STANAG 6001 does not have", in)
			}
			levels[len(levels)-1]++
		case strings.ContainsRune(skillLetters, r):
			if pending >= 0 {
				return e, Errorf(EINVALID, "English profile %q names skill %c without a level", in, skillLetters[pending])
			}
			pending = strings.IndexRune(skillLetters, r)
		case strings.ContainsRune(" \t-/,.:_|", r):
		default:
			return e, Errorf(EINVALID, "English profile %q has %q, which is not a level; write it like 3232 or 2+232", in, r)
		}
	}
	if pending >= 0 {
		return e, Errorf(EINVALID, "English profile %q names skill %c without a level", in, skillLetters[pending])
	}
	if len(levels) != 4 {
		return e, Errorf(EINVALID, "English profile %q must give four STANAG 6001 levels (listening, speaking, reading, writing), e.g. 3232 or 2+232", in)
	}
	switch len(labels) {
	case 0:
		copy(e[:], levels)
	case 4:
		var seen [4]bool
		for i, skill := range labels {
			if seen[skill] {
				return e, Errorf(EINVALID, "English profile %q gives %s twice", in, Skills[skill])
			}
			seen[skill] = true
			e[skill] = levels[i]
		}
	default:
		return e, Errorf(EINVALID, "English profile %q labels some levels but not all; write L3 S2 R3 W2 or 3232", in)
	}
	return e, nil
}

// digitValue reads an ASCII, Arabic-Indic (٠-٩) or Persian (۰-۹) digit.
func digitValue(r rune) (int, bool) {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0'), true
	case r >= '٠' && r <= '٩':
		return int(r - '٠'), true
	case r >= '۰' && r <= '۹':
		return int(r - '۰'), true
	}
	return 0, false
}

// EnglishGaps names each skill in which have falls short of min, as
// "listening 2 < 3", in profile order; nil when have meets min.
func EnglishGaps(have, min English) []string {
	var gaps []string
	for i := range have {
		if have[i] < min[i] {
			gaps = append(gaps, fmt.Sprintf("%s %s < %s", Skills[i], have[i], min[i]))
		}
	}
	return gaps
}
