package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/store"
)

// recountAll sets offering_count from the nominations, for fixtures that
// write nominations with SQL of their own instead of through the store.
func recountAll(tx *store.Tx) error {
	ctx := context.Background()
	if _, err := tx.ExecContext(ctx, `DELETE FROM offering_count`); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO offering_count (offering_id, role, status, n)
		SELECT offering_id, role, status, count(*) FROM nomination GROUP BY offering_id, role, status`)
	return err
}

// offeringCounts reads offering_count (rows counting nothing left out) and
// a full recount from the nominations, each as sorted lines
// "offering role status n".
func offeringCounts(tb testing.TB, db *store.DB) (kept, recount []string) {
	tb.Helper()
	read := func(query string) []string {
		var out []string
		err := db.View(context.Background(), func(q store.Querier) error {
			rows, err := q.QueryContext(context.Background(), query)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var o, n int64
				var role, status string
				if err := rows.Scan(&o, &role, &status, &n); err != nil {
					return err
				}
				out = append(out, fmt.Sprintf("%d %s %s %d", o, role, status, n))
			}
			return rows.Err()
		})
		if err != nil {
			tb.Fatal(err)
		}
		slices.Sort(out)
		return out
	}
	kept = read(`SELECT offering_id, role, status, n FROM offering_count WHERE n <> 0`)
	recount = read(`SELECT offering_id, role, status, count(*) FROM nomination GROUP BY offering_id, role, status`)
	return kept, recount
}

// TestOfferingCountsFollowEveryChange performs random operations — nominate,
// every status change (forced or not), promote, release, move, merge,
// remove, cancel and reopen an offering, import new and changed rows — and
// after each one compares offering_count with a full recount of the
// nominations. Refused operations are part of the mix: a refusal must leave
// the counts as they were.
func TestOfferingCountsFollowEveryChange(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	db := MustOpenAt(t, &now)
	MustCourse(t, db, "A1-100", "crisis-management")
	MustCourse(t, db, "B2-200", "counter-terrorism")
	var offerings []string
	for i, start := range []string{"2026-03-02", "2026-09-07", "2026-10-05", "2027-02-01"} {
		for j, code := range []string{"A1-100", "B2-200"} {
			MustOffering(t, db, code, start, 1+(i+j)%3)
			offerings = append(offerings, code+"@"+start)
		}
	}
	var people []string
	for i := range 14 {
		people = append(people, idOf(MustPerson(t, db, fmt.Sprintf("Person %02d", i), []string{"MoD", "MoI"}[i%2])))
	}
	statuses := nomtrack.Statuses
	rng := rand.New(rand.NewPCG(14, 2026))
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	nominations := func() []int64 {
		var ids []int64
		err := db.View(ctx, func(q store.Querier) error {
			rows, err := q.QueryContext(ctx, `SELECT id FROM nomination ORDER BY id`)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var id int64
				if err := rows.Scan(&id); err != nil {
					return err
				}
				ids = append(ids, id)
			}
			return rows.Err()
		})
		if err != nil {
			t.Fatal(err)
		}
		return ids
	}
	someNomination := func() int64 {
		ids := nominations()
		if len(ids) == 0 {
			return 1
		}
		return ids[rng.IntN(len(ids))]
	}
	done := map[string]int{}
	for step := range 600 {
		var op string
		var err error
		switch k := rng.IntN(12); k {
		case 0, 1:
			op = "nominate"
			_, _, err = db.Nominate(ctx, store.NewNomination{Person: pick(people), Offering: pick(offerings), Alternate: rng.IntN(3) == 0})
		case 2, 3, 4:
			op = "status"
			_, err = db.SetStatus(ctx, someNomination(), store.StatusChange{To: pick(statuses), Force: rng.IntN(3) == 0, OverAllocate: rng.IntN(2) == 0})
		case 5:
			op = "promote"
			_, err = db.Promote(ctx, someNomination(), "")
		case 6:
			op = "move"
			_, _, err = db.MoveNomination(ctx, store.Move{ID: someNomination(), Offering: pick(offerings), AnyCourse: rng.IntN(2) == 0, OverAllocate: rng.IntN(2) == 0})
		case 7:
			op = "merge"
			keep, drop := pick(people), pick(people)
			if _, err = db.MergePeople(ctx, keep, drop); err == nil {
				people = slices.DeleteFunc(people, func(p string) bool { return p == drop })
				people = append(people, idOf(MustPerson(t, db, fmt.Sprintf("Person %03d", step), "MoD")))
			}
		case 8:
			op = "remove"
			_, err = db.RemoveNomination(ctx, someNomination(), "entered by mistake")
		case 9:
			if rng.IntN(2) == 0 {
				op = "cancel"
				_, _, err = db.CancelOffering(ctx, pick(offerings), "school closed")
			} else {
				op = "reopen"
				_, _, err = db.ReopenOffering(ctx, pick(offerings), "")
			}
		case 10:
			op = "set"
			_, err = db.SetStatuses(ctx, store.Selection{IDs: []int64{someNomination(), someNomination()}}, store.StatusChange{To: pick(statuses), Force: true, OverAllocate: true})
		case 11:
			op = "import"
			err = randomImport(ctx, db, rng, people, statuses)
		}
		if err == nil {
			done[op]++
		}
		kept, recount := offeringCounts(t, db)
		if !slices.Equal(kept, recount) {
			t.Fatalf("step %d (%s, err %v): offering_count\n  %s\nrecount\n  %s", step, op, err, strings.Join(kept, "\n  "), strings.Join(recount, "\n  "))
		}
	}
	// The mix must have done each kind of change, or the test proves less
	// than it says.
	t.Logf("changes made: %v", done)
	for _, op := range []string{"nominate", "status", "promote", "move", "merge", "remove", "cancel", "reopen", "set", "import"} {
		if done[op] == 0 {
			t.Errorf("no %s went through in the random mix: %v", op, done)
		}
	}
}

// randomImport adds a few nominations and changes the role and status of
// others through the importer's loader, as an import of a sheet would,
// with the bulk options on or off.
func randomImport(ctx context.Context, db *store.DB, rng *rand.Rand, people, statuses []string) error {
	var offeringIDs []int64
	err := db.View(ctx, func(q store.Querier) error {
		rows, err := q.QueryContext(ctx, `SELECT id FROM offering WHERE status = 'open' ORDER BY id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			offeringIDs = append(offeringIDs, id)
		}
		return rows.Err()
	})
	if err != nil || len(offeringIDs) == 0 {
		return err
	}
	bulk := rng.IntN(2) == 0
	opt := store.ImportOptions{DeferIndexes: bulk, CheckForeignKeysAtEnd: bulk, Rollback: rng.IntN(5) == 0}
	err = db.Import(ctx, opt, func(l *store.Loader) error {
		if err := l.SetSource("random.csv"); err != nil {
			return err
		}
		seen := map[[2]int64]bool{}
		for row := 2; row < 2+rng.IntN(6); row++ {
			pid, _ := strconv.ParseInt(people[rng.IntN(len(people))], 10, 64)
			oid := offeringIDs[rng.IntN(len(offeringIDs))]
			if seen[[2]int64{pid, oid}] {
				continue
			}
			seen[[2]int64{pid, oid}] = true
			role := []string{nomtrack.RolePrincipal, nomtrack.RoleAlternate}[rng.IntN(2)]
			status := statuses[rng.IntN(len(statuses))]
			cur, found, err := l.Nomination(pid, oid)
			if err != nil {
				return err
			}
			if !found {
				if _, err := l.AddNomination(nomtrack.Nomination{PersonID: pid, OfferingID: oid, Role: role, Status: status}, row); err != nil {
					return err
				}
				continue
			}
			next := cur
			next.Role, next.Status = role, status
			if err := l.UpdateNomination(next, cur, row); err != nil {
				return err
			}
		}
		return nil
	})
	if err == store.ErrRolledBack {
		return nil
	}
	return err
}
