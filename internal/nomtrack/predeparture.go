package nomtrack

import (
	"fmt"
	"strings"
	"sync"
)

// What stands between an approved officer and the classroom, and what the
// course leaves behind (issue 14): each a nomination column, "" when not
// known. The stored words never change: reports (funding) and filters read
// them.
var (
	// VisaValues are a visa's states.
	VisaValues = []string{"requested", "issued", "refused"}
	// ClearanceValues are a security clearance's states.
	ClearanceValues = []string{"requested", "granted", "refused"}
	// FundingValues are who pays for the seat.
	FundingValues = []string{"nato", "national", "host", "other"}
)

// Requirements a course may set (course.requires).
const (
	RequireClearance = "clearance" // a granted security clearance
	RequireADL       = "adl"       // the ADL pre-study completed (a date)
)

// choiceWords are the synonyms sheets and people use, by field, reduced to
// letters (statusKey); the canonical words map to themselves. Built on
// first use, not at start-up.
var choiceWords = sync.OnceValue(func() map[string]map[string]string {
	return map[string]map[string]string{
		"visa": {"requested": "requested", "applied": "requested", "pending": "requested",
			"issued": "issued", "granted": "issued", "approved": "issued",
			"refused": "refused", "denied": "refused", "rejected": "refused"},
		"clearance": {"requested": "requested", "applied": "requested", "pending": "requested",
			"granted": "granted", "issued": "granted", "approved": "granted", "cleared": "granted",
			"refused": "refused", "denied": "refused", "rejected": "refused"},
		"funding": {"nato": "nato", "national": "national", "partner": "national", "self": "national",
			"host": "host", "hostnation": "host", "other": "other"},
	}
})

// choiceValues are the canonical words of each choice field, in order.
func choiceValues(field string) []string {
	switch field {
	case "visa":
		return VisaValues
	case "clearance":
		return ClearanceValues
	case "funding":
		return FundingValues
	}
	return nil
}

// ParseChoice reads the value of a pre-departure choice field (visa,
// clearance, funding) as people type it: any case, the synonyms of
// choiceWords. Empty stays empty (not known). Anything else is EINVALID
// naming the field and its values, with a suggestion when one is near.
func ParseChoice(field, s string) (string, error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return "", nil
	}
	words, ok := choiceWords()[field]
	if !ok {
		return "", fmt.Errorf("nomtrack: %q is not a choice field", field)
	}
	if v, ok := words[statusKey(in)]; ok {
		return v, nil
	}
	if sug := Suggest(in, choiceValues(field)); sug != "" {
		return "", Errorf(EINVALID, "unknown %s %q; did you mean %s?", field, in, sug)
	}
	return "", Errorf(EINVALID, "unknown %s %q; use one of %s", field, in, strings.Join(choiceValues(field), ", "))
}

// ParseRequires reads a course's requirements ("clearance,adl", any case
// and order, spaces allowed) into their canonical comma list, in the order
// clearance, adl; "" or "none" is none.
func ParseRequires(s string) (string, error) {
	seen := map[string]bool{}
	for _, part := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		switch part {
		case RequireClearance, RequireADL:
			seen[part] = true
		case "none":
		default:
			return "", Errorf(EINVALID, "unknown requirement %q; a course can require %s, %s or none", part, RequireClearance, RequireADL)
		}
	}
	var out []string
	for _, r := range []string{RequireClearance, RequireADL} {
		if seen[r] {
			out = append(out, r)
		}
	}
	return strings.Join(out, ","), nil
}

// Missing lists the requirements of a course (its requires list) that
// nomination n has not met: a clearance not granted, an ADL pre-study
// without a completion date. Approving or confirming warns about them and
// `report pending` lists them.
func Missing(requires string, n Nomination) []string {
	var out []string
	for _, r := range strings.Split(requires, ",") {
		switch strings.TrimSpace(r) {
		case RequireClearance:
			if n.Clearance != "granted" {
				out = append(out, RequireClearance)
			}
		case RequireADL:
			if n.ADL == "" {
				out = append(out, RequireADL)
			}
		}
	}
	return out
}

// MissingText says what is missing, for warnings: "clearance (not granted)
// and ADL pre-study (no completion date)".
func MissingText(missing []string) string {
	words := make([]string, len(missing))
	for i, m := range missing {
		switch m {
		case RequireClearance:
			words[i] = "security clearance (not granted)"
		case RequireADL:
			words[i] = "ADL pre-study (no completion date)"
		default:
			words[i] = m
		}
	}
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}
