package sqlite

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// The plan of `nomination list` with a status and another filter starts
// from the other filter; a status alone uses nomination_status.
func TestNominationListPlanLeadsWithTheNarrowerFilter(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "plan.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	plan := func(f NominationFilter) string {
		var out []string
		err := db.View(ctx, func(q Querier) error {
			where, args, err := nominationWhere(ctx, q, f)
			if err != nil {
				return err
			}
			rows, err := q.QueryContext(ctx, `EXPLAIN QUERY PLAN SELECT `+nominationColumns+nominationFrom+` WHERE `+where+nominationOrder, args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					return err
				}
				out = append(out, detail)
			}
			return rows.Err()
		})
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(out, "; ")
	}
	if p := plan(NominationFilter{Year: 2018, Status: "completed"}); strings.Contains(p, "nomination_status") || !strings.Contains(p, "offering_start") {
		t.Errorf("--year --status plan: %s; want the year's offerings first, not every completed nomination", p)
	}
	if p := plan(NominationFilter{Status: "no-show"}); !strings.Contains(p, "nomination_status") {
		t.Errorf("--status plan: %s; want nomination_status", p)
	}
}
