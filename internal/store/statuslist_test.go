package store

import (
	"strings"
	"testing"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// The status lists the queries are built from are literals (so the
// queries are constants, built by the compiler rather than at start-up):
// each must hold exactly the statuses the domain's rule keeps, in the
// domain's order.
func TestStatusListsFollowTheDomain(t *testing.T) {
	for _, c := range []struct {
		name, list string
		keep       func(string) bool
	}{
		{"sqlCommitted", sqlCommitted, nomtrack.Committed},
		{"committedList", committedList, nomtrack.Committed},
		{"sqlParticipated", sqlParticipated, nomtrack.Participated},
		{"sqlOpen", sqlOpen, nomtrack.IsOpen},
	} {
		var want []string
		for _, s := range nomtrack.Statuses {
			if c.keep(s) {
				want = append(want, "'"+s+"'")
			}
		}
		if got := strings.Join(want, ", "); c.list != got {
			t.Errorf("%s = %s, the domain's rule keeps %s", c.name, c.list, got)
		}
	}
}
