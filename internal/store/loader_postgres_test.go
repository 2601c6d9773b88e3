package store

import (
	"context"
	"database/sql/driver"
	"fmt"
	"testing"
	"time"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/pgtest"
)

// openPostgres opens a fresh PostgreSQL database of the test cluster
// (skipping the test where the machine has no PostgreSQL server).
func openPostgres(tb testing.TB) *DB {
	tb.Helper()
	db, err := Open(context.Background(), pgtest.NewDatabase(tb), Options{Actor: "tester"})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// countPeople counts the people another connection sees.
func countPeople(tb testing.TB, ctx context.Context, db *DB) int {
	tb.Helper()
	var n int
	err := db.View(ctx, func(q Querier) error {
		return q.QueryRowContext(ctx, `SELECT count(*) FROM person`).Scan(&n)
	})
	if err != nil {
		tb.Fatalf("a reader during or after the import: %v", err)
	}
	return n
}

// addPeople queues n people named after i.
func addPeople(l *Loader, from, n int) error {
	for i := from; i < from+n; i++ {
		if _, err := l.AddPerson(nomtrack.Person{Name: fmt.Sprintf("Person %d", i), Ministry: "MoD"}, nomtrack.PersonDates{}); err != nil {
			return err
		}
	}
	return nil
}

// cancelOnEncode is a queued value that cancels the import's context while
// COPY encodes it: in the middle of the COPY's stream.
type cancelOnEncode struct {
	cancel func()
	text   string
}

func (c cancelOnEncode) Value() (driver.Value, error) {
	c.cancel()
	return c.text, nil
}

// mustImportAfter checks that the database takes a whole import after a
// failed one, on the same DB (the pool replaced a dead connection).
func mustImportAfter(t *testing.T, db *DB) {
	t.Helper()
	err := db.Import(context.Background(), ImportOptions{}, func(l *Loader) error { return addPeople(l, 0, 10) })
	if err != nil {
		t.Fatalf("an import after the failed one: %v", err)
	}
	if n := countPeople(t, context.Background(), db); n != 10 {
		t.Fatalf("after the next import the database holds %d people, want 10", n)
	}
}

// TestPostgresImportCancelledMidCopyLeavesNothing cancels an import (Ctrl-C)
// while COPY streams its second batch, the first already merged into the
// person table inside the transaction: nothing is left of it.
func TestPostgresImportCancelledMidCopyLeavesNothing(t *testing.T) {
	db := openPostgres(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	merged := 0
	err := db.Import(ctx, ImportOptions{}, func(l *Loader) error {
		if err := addPeople(l, 0, postgresBatchRows); err != nil {
			return err
		}
		if err := l.Tx().QueryRowContext(ctx, `SELECT count(*) FROM person`).Scan(&merged); err != nil {
			return err
		}
		if err := addPeople(l, postgresBatchRows, postgresBatchRows/2); err != nil {
			return err
		}
		last := len(l.people) - personCols
		l.people[last+2] = cancelOnEncode{cancel, "Cancelled While Sent"}
		return addPeople(l, postgresBatchRows*3/2, postgresBatchRows)
	})
	if merged != postgresBatchRows {
		t.Fatalf("the first batch was not merged before the cancel (%d people in the transaction)", merged)
	}
	if err == nil {
		t.Fatal("the cancelled import committed")
	}
	if ctx.Err() == nil {
		t.Fatal("the import failed before COPY sent the value that cancels it")
	}
	t.Logf("the cancelled import says: %v", err)
	if n := countPeople(t, context.Background(), db); n != 0 {
		t.Fatalf("a cancelled import left %d people", n)
	}
	mustImportAfter(t, db)
}

// TestPostgresImportWhoseConnectionIsCutLeavesNothing terminates the
// import's server process (pg_terminate_backend, as an administrator or a
// failing network would cut it) after one batch was merged: the
// transaction dies with it, and the import says so.
func TestPostgresImportWhoseConnectionIsCutLeavesNothing(t *testing.T) {
	db := openPostgres(t)
	ctx := context.Background()
	err := db.Import(ctx, ImportOptions{}, func(l *Loader) error {
		if err := addPeople(l, 0, postgresBatchRows+10); err != nil {
			return err
		}
		var pid int
		if err := l.Tx().QueryRowContext(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
			return err
		}
		var ok bool
		err := db.View(ctx, func(q Querier) error {
			return q.QueryRowContext(ctx, `SELECT pg_terminate_backend(?)`, pid).Scan(&ok)
		})
		if err != nil || !ok {
			t.Fatalf("pg_terminate_backend: %v %v", ok, err)
		}
		return addPeople(l, postgresBatchRows+10, postgresBatchRows)
	})
	if err == nil {
		t.Fatal("an import whose connection was cut committed")
	}
	t.Logf("the cut import says: %v", err)
	if nomtrack.ErrorCode(err) != nomtrack.EINTERNAL {
		t.Errorf("error %q (code %s), want a failure (exit 1)", err, nomtrack.ErrorCode(err))
	}
	if n := countPeople(t, ctx, db); n != 0 {
		t.Fatalf("an import whose connection was cut left %d people", n)
	}
	mustImportAfter(t, db)
}

// TestPostgresReaderRunsDuringAnImport reads while an import's transaction
// is open with a batch merged: the reader is answered at once (it waits for
// no lock the import holds) and sees the programme as it was.
func TestPostgresReaderRunsDuringAnImport(t *testing.T) {
	db := openPostgres(t)
	ctx := context.Background()
	mustImportAfter(t, db)
	err := db.Import(ctx, ImportOptions{}, func(l *Loader) error {
		if err := addPeople(l, 100, postgresBatchRows+10); err != nil {
			return err
		}
		// A reader that had to wait would fail at the deadline rather
		// than hang the test; no time is asserted beyond that.
		rctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		if n := countPeople(t, rctx, db); n != 10 {
			t.Errorf("a reader during the import sees %d people, want the 10 from before", n)
		}
		var nominations int
		err := db.View(rctx, func(q Querier) error {
			return q.QueryRowContext(rctx, `SELECT count(*) FROM nomination_history`).Scan(&nominations)
		})
		if err != nil {
			t.Errorf("a history reader during the import: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := countPeople(t, ctx, db); n != postgresBatchRows+20 {
		t.Errorf("after the import: %d people, want %d", n, postgresBatchRows+20)
	}
}

// TestPostgresMergeRefusingARowStopsTheImport: the importer checks every
// constraint before it queues a row, so a row the merge refuses is a fault
// that stops the whole import with a sentence, never half of it written.
func TestPostgresMergeRefusingARowStopsTheImport(t *testing.T) {
	db := openPostgres(t)
	ctx := context.Background()
	for name, queue := range map[string]func(l *Loader, off int64) error{
		"a second nomination of a person for an offering": func(l *Loader, off int64) error {
			pid, err := l.AddPerson(nomtrack.Person{Name: "Ali Hassan", Ministry: "MoD"}, nomtrack.PersonDates{})
			if err != nil {
				return err
			}
			for range 2 {
				if _, err := l.AddNomination(nomtrack.Nomination{PersonID: pid, OfferingID: off, Role: "principal", Status: "nominated"}, 2); err != nil {
					return err
				}
			}
			return nil
		},
		"a nomination of nobody": func(l *Loader, off int64) error {
			_, err := l.AddNomination(nomtrack.Nomination{PersonID: 999, OfferingID: off, Role: "principal", Status: "nominated"}, 2)
			return err
		},
	} {
		t.Run(name, func(t *testing.T) {
			err := db.Import(ctx, ImportOptions{}, func(l *Loader) error {
				cid, err := l.InsertCourse(nomtrack.Course{Code: "M5-106", Title: "Crisis", Area: "crisis-management"})
				if err != nil {
					return err
				}
				off, err := l.InsertOffering(nomtrack.Offering{CourseID: cid, Start: "2012-03-05"})
				if err != nil {
					return err
				}
				return queue(l, off)
			})
			if err == nil {
				t.Fatal("the import committed a row the merge should refuse")
			}
			t.Logf("the import says: %v", err)
			if n := countPeople(t, ctx, db); n != 0 {
				t.Errorf("the refused import left %d people", n)
			}
		})
	}
}

// TestPostgresImportStagesNominationsWithTheirPersonsValues: a nomination
// whose person is in the same batch is merged with the person's ministry,
// rank, rank code and English already (the snapshot of migration 0007), so
// that the UPDATE at the end of the import has nothing to rewrite. (Once,
// columns added to the queued person row shifted the values staged, and
// that UPDATE rewrote every nomination of an import.)
func TestPostgresImportStagesNominationsWithTheirPersonsValues(t *testing.T) {
	db := openPostgres(t)
	ctx := context.Background()
	err := db.Import(ctx, ImportOptions{}, func(l *Loader) error {
		cid, err := l.InsertCourse(nomtrack.Course{Code: "M5-106", Title: "Crisis", Area: "crisis-management"})
		if err != nil {
			return err
		}
		off, err := l.InsertOffering(nomtrack.Offering{CourseID: cid, Start: "2012-03-05"})
		if err != nil {
			return err
		}
		for i := range 3 {
			p := nomtrack.Person{Ref: fmt.Sprintf("MOD-%d", i), Name: fmt.Sprintf("Person %d", i), NameAr: "علي", Ministry: "MoD",
				Rank: "Major", RankCode: "OF-3", Position: "Planner", Gender: "M", English: "3232", Email: "p@example.org", Phone: "+1"}
			pid, err := l.AddPerson(p, nomtrack.PersonDates{})
			if err != nil {
				return err
			}
			if _, err := l.AddNomination(nomtrack.Nomination{PersonID: pid, OfferingID: off, Role: "principal", Status: "nominated"}, i+2); err != nil {
				return err
			}
		}
		if err := l.Flush(); err != nil {
			return err
		}
		var staged, differ int
		err = l.Tx().QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (WHERE n.ministry <> p.ministry OR n.rank <> p.rank OR n.rank_code <> p.rank_code OR n.english <> p.english)
			FROM nomination n JOIN person p ON p.id = n.person_id`).Scan(&staged, &differ)
		if err != nil {
			return err
		}
		if staged != 3 || differ != 0 {
			t.Errorf("%d of the %d nominations merged were staged without their person's values", differ, staged)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestPostgresImportReadsWhatTheBackgroundBatchWrites: a full batch is
// merged while the importer goes on queueing the next; whatever the
// importer then reads of the batch being merged (a person, a nomination)
// is read once it is merged, and a nomination queued after its person's
// batch left still gets the person's values.
func TestPostgresImportReadsWhatTheBackgroundBatchWrites(t *testing.T) {
	db := openPostgres(t)
	ctx := context.Background()
	people := postgresBatchRows + postgresBatchRows/2
	err := db.Import(ctx, ImportOptions{}, func(l *Loader) error {
		cid, err := l.InsertCourse(nomtrack.Course{Code: "M5-106", Title: "Crisis", Area: "crisis-management"})
		if err != nil {
			return err
		}
		off, err := l.InsertOffering(nomtrack.Offering{CourseID: cid, Start: "2012-03-05"})
		if err != nil {
			return err
		}
		var first int64
		merging := false
		for i := range people {
			pid, err := l.AddPerson(nomtrack.Person{Name: fmt.Sprintf("Person %d", i), Ministry: "MoD", Rank: "Major", RankCode: "OF-3", English: "3232"}, nomtrack.PersonDates{})
			if err != nil {
				return err
			}
			if i == 0 {
				first = pid
			}
			if i != 0 {
				if _, err := l.AddNomination(nomtrack.Nomination{PersonID: pid, OfferingID: off, Role: "principal", Status: "nominated"}, i+2); err != nil {
					return err
				}
			}
			if l.inflight == nil {
				continue
			}
			merging = true
			// The first batch is being merged: the first person
			// is no longer queued, and reading it waits for the merge.
			if l.RedateQueued(first, 1, "2030-01-01") {
				t.Error("a person of the batch being merged counts as queued")
			}
			p, _, err := l.Person(first)
			if err != nil || p.Name != "Person 0" {
				t.Errorf("person %d while its batch was merged: %+v, %v", first, p, err)
			}
			if _, found, err := l.Nomination(first+1, off); err != nil || !found {
				t.Errorf("the nomination of person %d while its batch was merged: found %v, %v", first+1, found, err)
			}
		}
		if !merging {
			t.Error("no batch was merged in the background")
		}
		// The first person's nomination, queued after its batch left.
		_, err = l.AddNomination(nomtrack.Nomination{PersonID: first, OfferingID: off, Role: "principal", Status: "nominated"}, people+2)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var n, differ int
	err = db.View(ctx, func(q Querier) error {
		return q.QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (WHERE n.ministry <> p.ministry OR n.rank <> p.rank OR n.rank_code <> p.rank_code OR n.english <> p.english)
			FROM nomination n JOIN person p ON p.id = n.person_id`).Scan(&n, &differ)
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != people || differ != 0 {
		t.Errorf("%d nominations (want %d), %d without their person's values", n, people, differ)
	}
	if c := countPeople(t, ctx, db); c != people {
		t.Errorf("%d people, want %d", c, people)
	}
}

// TestPostgresImportBackgroundBatchRefusedStopsTheImport: a row the
// server refuses in a batch merged in the background stops the import at
// the importer's next step, and nothing is left.
func TestPostgresImportBackgroundBatchRefusedStopsTheImport(t *testing.T) {
	db := openPostgres(t)
	ctx := context.Background()
	err := db.Import(ctx, ImportOptions{}, func(l *Loader) error {
		for i := range 2 * postgresBatchRows {
			// Person 999999 does not exist: the merge of the first
			// batch is refused by the reference to it.
			if _, err := l.AddNomination(nomtrack.Nomination{PersonID: 999999, OfferingID: int64(i + 1), Role: "principal", Status: "nominated"}, i+2); err != nil {
				return err
			}
		}
		t.Error("the importer went on after a refused batch")
		return nil
	})
	if err == nil {
		t.Fatal("the import committed a batch the server refused")
	}
	t.Logf("the import says: %v", err)
	var n int
	if err := db.View(ctx, func(q Querier) error {
		return q.QueryRowContext(ctx, `SELECT count(*) FROM nomination`).Scan(&n)
	}); err != nil || n != 0 {
		t.Errorf("the refused import left %d nominations (%v)", n, err)
	}
}

// TestSortedTokensAreInIndexOrder: the tokens of a batch are copied in the
// order of person_search_token_kind (kind, token in code point order,
// person), every row once.
func TestSortedTokensAreInIndexOrder(t *testing.T) {
	var rows []any
	rows = tokenRows(rows, 7, []nomtrack.SearchToken{{Token: "hassan", Kind: 1}, {Token: "ali", Kind: 0}, {Token: "Ωmega", Kind: 0}})
	rows = tokenRows(rows, 3, []nomtrack.SearchToken{{Token: "hassan", Kind: 1}, {Token: "Zed", Kind: 0}})
	got := fmt.Sprint(sortedTokens(rows, len(rows)/tokenCols))
	if want := "[{3 Zed 0} {7 ali 0} {7 Ωmega 0} {3 hassan 1} {7 hassan 1}]"; got != want {
		t.Errorf("sortedTokens = %s, want %s", got, want)
	}
}
