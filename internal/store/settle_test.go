package store

import (
	"context"
	"fmt"
	"testing"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/pgtest"
)

// settled says how often each table was vacuumed and analyzed by hand
// (autovacuum counts apart), and whether every page of it is marked
// visible to all, as the server sees it from a new connection. (VACUUM
// marks none while a transaction older than the import runs anywhere in
// the cluster: each test's cluster runs one test at a time.)
type settled struct {
	vacuums, analyzes int64
	allVisible        bool
}

func settledTables(t *testing.T, dsn string, tables ...string) map[string]settled {
	t.Helper()
	out := map[string]settled{}
	for _, table := range tables {
		out[table] = settled{
			vacuums:  pgScalar[int64](t, dsn, `SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = '`+table+`'`),
			analyzes: pgScalar[int64](t, dsn, `SELECT analyze_count FROM pg_stat_user_tables WHERE relname = '`+table+`'`),
			allVisible: pgScalar[bool](t, dsn, `SELECT relpages > 0 AND relallvisible = relpages FROM pg_class
				WHERE oid = '`+table+`'::regclass`),
		}
	}
	return out
}

// importPeopleWithNominations imports n people, each with one nomination
// to one offering (made by the first import), starting at person from.
func importPeopleWithNominations(t *testing.T, db *DB, from, n int) {
	t.Helper()
	ctx := context.Background()
	err := db.Import(ctx, ImportOptions{}, func(l *Loader) error {
		var off int64
		if offs, err := l.Offerings(); err != nil {
			return err
		} else if len(offs) > 0 {
			off = offs[0].ID
		} else {
			cid, err := l.InsertCourse(nomtrack.Course{Code: "M5-106", Title: "Crisis", Area: "crisis-management"})
			if err != nil {
				return err
			}
			if off, err = l.InsertOffering(nomtrack.Offering{CourseID: cid, Start: "2018-03-05"}); err != nil {
				return err
			}
		}
		for i := from; i < from+n; i++ {
			pid, err := l.AddPerson(nomtrack.Person{Ref: fmt.Sprintf("MOD-%d", i), Name: fmt.Sprintf("Person %d", i), Ministry: "MoD", Gender: "F"}, nomtrack.PersonDates{})
			if err != nil {
				return err
			}
			if _, err := l.AddNomination(nomtrack.Nomination{PersonID: pid, OfferingID: off, Role: "principal", Status: "completed"}, i+2); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestPostgresImportSettlesWhatItGrew: an import that adds many rows to a
// table vacuums and analyzes it before it returns, so that the first
// report reads the new rows from the indexes alone (docs/postgres.md,
// "Reading right after an import"); a small import into a larger table
// leaves that to autovacuum.
func TestPostgresImportSettlesWhatItGrew(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	db, err := Open(context.Background(), dsn, Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tables := []string{"person", "person_search_token", "nomination"}

	importPeopleWithNominations(t, db, 0, settleRows+200)
	after := settledTables(t, dsn, tables...)
	for _, table := range tables {
		if s := after[table]; s.vacuums != 1 || s.analyzes != 1 || !s.allVisible {
			t.Errorf("after an import of %d people and nominations into an empty database, %s was vacuumed %d and analyzed %d times by hand, every page marked visible: %v; want once each, and every page",
				settleRows+200, table, s.vacuums, s.analyzes, s.allVisible)
		}
	}

	// 10 rows into tables of 1,200: below settleRows + settleShare × 1,200.
	importPeopleWithNominations(t, db, settleRows+200, 10)
	again := settledTables(t, dsn, tables...)
	for _, table := range tables {
		if again[table].vacuums != after[table].vacuums || again[table].analyzes != after[table].analyzes {
			t.Errorf("an import of 10 rows into a table of %d vacuumed or analyzed %s (vacuums %d → %d, analyzes %d → %d)",
				settleRows+200, table, after[table].vacuums, again[table].vacuums, after[table].analyzes, again[table].analyzes)
		}
	}
}

// TestPostgresImportCommitsSynchronously: an import's transaction commits
// synchronously even on a server whose synchronous_commit is off (as the
// test cluster's is), so that settle's VACUUM can mark its rows visible
// to all at once.
func TestPostgresImportCommitsSynchronously(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	if got := pgScalar[string](t, dsn, `SHOW synchronous_commit`); got != "off" {
		t.Skipf("the test cluster runs with synchronous_commit %s; the test needs it off", got)
	}
	db, err := Open(context.Background(), dsn, Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var during string
	err = db.Import(context.Background(), ImportOptions{}, func(l *Loader) error {
		return l.Tx().QueryRowContext(context.Background(), `SELECT current_setting('synchronous_commit')`).Scan(&during)
	})
	if err != nil {
		t.Fatal(err)
	}
	if during != "on" {
		t.Errorf("synchronous_commit in the import's transaction is %q, want on", during)
	}
	if got := pgScalar[string](t, dsn, `SHOW synchronous_commit`); got != "off" {
		t.Errorf("after the import, a new session's synchronous_commit is %q: the import changed more than its own transaction", got)
	}
}

// TestPostgresImportByARoleNotOwningTheTablesIsKept: only a table's owner
// may vacuum it; for any other role the server skips the tables with a
// warning, and the import, committed, is kept and reported as done.
func TestPostgresImportByARoleNotOwningTheTablesIsKept(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	owner, err := Open(context.Background(), dsn, Options{Actor: "owner"})
	if err != nil {
		t.Fatal(err)
	}
	owner.Close()
	writer := pgRoleURL(t, dsn, "rw",
		`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %s`,
		`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO %s`)
	db, err := Open(context.Background(), writer, Options{Actor: "writer"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	importPeopleWithNominations(t, db, 0, settleRows+200)
	if n := countPeople(t, context.Background(), db); n != settleRows+200 {
		t.Fatalf("the import by a role that owns no table left %d people, want %d", n, settleRows+200)
	}
	if s := settledTables(t, dsn, "person")["person"]; s.vacuums != 0 {
		t.Errorf("a role that does not own person vacuumed it %d times", s.vacuums)
	}
}

// TestPostgresCopySettlesTheTarget: `db copy` to PostgreSQL vacuums and
// analyzes every table it filled before it compares the yearly reports.
func TestPostgresCopySettlesTheTarget(t *testing.T) {
	src, err := Open(context.Background(), DSNForTest(t), Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	importPeopleWithNominations(t, src, 0, 20)
	dsn := pgtest.NewDatabase(t)
	target, err := Open(context.Background(), dsn, Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	if _, err := src.CopyTo(context.Background(), target, ReportOptions{}); err != nil {
		t.Fatal(err)
	}
	for table, s := range settledTables(t, dsn, "course", "offering", "person", "person_search_token", "nomination") {
		if s.vacuums != 1 || s.analyzes != 1 || !s.allVisible {
			t.Errorf("after db copy, %s was vacuumed %d and analyzed %d times by hand, every page marked visible: %v; want once each, and every page",
				table, s.vacuums, s.analyzes, s.allVisible)
		}
	}
}
