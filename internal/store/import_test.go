package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/store"
)

// mustScalar reads one value.
func mustScalar[T any](tb testing.TB, db *store.DB, query string) T {
	tb.Helper()
	var v T
	if err := db.View(context.Background(), func(q store.Querier) error {
		return q.QueryRowContext(context.Background(), query).Scan(&v)
	}); err != nil {
		tb.Fatal(err)
	}
	return v
}

// mustJoined reads one text column of a query's rows, joined by spaces
// (group_concat is SQLite's, string_agg PostgreSQL's).
func mustJoined(tb testing.TB, db *store.DB, query string) string {
	tb.Helper()
	var out []string
	err := db.View(context.Background(), func(q store.Querier) error {
		rows, err := q.QueryContext(context.Background(), query)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				return err
			}
			out = append(out, s)
		}
		return rows.Err()
	})
	if err != nil {
		tb.Fatal(err)
	}
	return strings.Join(out, " ")
}

// indexCount is how many of the named indexes the database has, asked of
// the engine's catalogue.
func indexCount(tb testing.TB, db *store.DB, names ...string) int {
	tb.Helper()
	list := "'" + strings.Join(names, "', '") + "'"
	if store.OnPostgres() {
		return mustScalar[int](tb, db, `SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname IN (`+list+`)`)
	}
	return mustScalar[int](tb, db, `SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN (`+list+`)`)
}

// mustOffering adds one course and offering through a loader.
func mustOffering(tb testing.TB, l *store.Loader) int64 {
	tb.Helper()
	cid, err := l.InsertCourse(nomtrack.Course{Code: "M5-106", Title: "Crisis", Area: "crisis-management"})
	if err != nil {
		tb.Fatal(err)
	}
	oid, err := l.InsertOffering(nomtrack.Offering{CourseID: cid, Start: "2012-03-05"})
	if err != nil {
		tb.Fatal(err)
	}
	return oid
}

// mustOfferingAt adds another offering of mustOffering's course.
func mustOfferingAt(tb testing.TB, l *store.Loader, start string) int64 {
	tb.Helper()
	var cid int64
	if err := l.Tx().QueryRowContext(context.Background(), `SELECT id FROM course WHERE code = 'M5-106'`).Scan(&cid); err != nil {
		tb.Fatal(err)
	}
	oid, err := l.InsertOffering(nomtrack.Offering{CourseID: cid, Start: start})
	if err != nil {
		tb.Fatal(err)
	}
	return oid
}

func TestImportWritesQueuedRowsAndCreationEventsInRuns(t *testing.T) {
	db := MustOpen(t)
	err := db.Import(context.Background(), store.ImportOptions{CacheSizeKiB: 8192, DeferIndexes: true}, func(l *store.Loader) error {
		if err := l.SetSource("noms.csv"); err != nil {
			return err
		}
		oid := mustOffering(t, l)
		// 300 people, each nominated from rows 2..301 except row 100,
		// which breaks the run of rows.
		for i := 0; i < 300; i++ {
			pid, err := l.AddPerson(nomtrack.Person{Name: "Person " + string(rune('A'+i%26)) + string(rune('a'+i/26)), Ministry: "MoD"}, nomtrack.PersonDates{})
			if err != nil {
				return err
			}
			row := i + 2
			if row >= 100 {
				row++
			}
			if _, err := l.AddNomination(nomtrack.Nomination{PersonID: pid, OfferingID: oid, Role: "principal", Status: "nominated"}, row); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := mustScalar[int](t, db, `SELECT count(*) FROM nomination_history WHERE from_status = '' AND to_status = 'nominated'`); n != 300 {
		t.Errorf("creation events = %d, want 300", n)
	}
	if n := mustScalar[int](t, db, `SELECT count(*) FROM nomination_event`); n != 0 {
		t.Errorf("stored events = %d, want 0: runs stand for creation events", n)
	}
	// Rows 2-99 are ids 1-98, rows 101-302 are ids 99-300: two runs.
	if got := mustJoined(t, db, `SELECT first_id || '-' || last_id || '+' || row_offset FROM nomination_import_run ORDER BY first_id`); got != "1-98+1 99-300+2" {
		t.Errorf("runs = %q, want 1-98+1 99-300+2", got)
	}
	got := mustJoined(t, db, `SELECT e.source FROM nomination_history e
		WHERE e.nomination_id IN (1, 98, 99, 300) ORDER BY e.nomination_id`)
	if want := "import:noms.csv:2 import:noms.csv:99 import:noms.csv:101 import:noms.csv:302"; got != want {
		t.Errorf("sources = %q, want %q", got, want)
	}
	if n := indexCount(t, db, "person_name_key", "person_ministry", "person_report", "nomination_offering_cover",
		"nomination_status", "nomination_event_nomination"); n != 6 {
		t.Errorf("indexes after a deferred-index import = %d, want 6", n)
	}
	if nk := mustScalar[string](t, db, `SELECT name_key FROM person WHERE id = 1`); nk != "personaa" {
		t.Errorf("name_key = %q", nk)
	}
}

func TestImportErrorRollsBackEverythingAndRestoresIndexes(t *testing.T) {
	db := MustOpen(t)
	boom := errors.New("boom")
	err := db.Import(context.Background(), store.ImportOptions{DeferIndexes: true}, func(l *store.Loader) error {
		oid := mustOffering(t, l)
		pid, _ := l.AddPerson(nomtrack.Person{Name: "Ali", Ministry: "MoD"}, nomtrack.PersonDates{})
		l.AddNomination(nomtrack.Nomination{PersonID: pid, OfferingID: oid, Role: "principal", Status: "nominated"}, 2)
		if err := l.Flush(); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if n := mustScalar[int](t, db, `SELECT (SELECT count(*) FROM course) + (SELECT count(*) FROM person) + (SELECT count(*) FROM nomination_event)`); n != 0 {
		t.Errorf("%d rows left after a failed import", n)
	}
	if n := indexCount(t, db, "nomination_status"); n != 1 {
		t.Error("a rolled-back import lost an index")
	}
}

func TestImportRollbackOptionRunsEverythingAndKeepsNothing(t *testing.T) {
	db := MustOpen(t)
	err := db.Import(context.Background(), store.ImportOptions{Rollback: true}, func(l *store.Loader) error {
		mustOffering(t, l)
		return nil
	})
	if !errors.Is(err, store.ErrRolledBack) {
		t.Fatalf("err = %v, want ErrRolledBack", err)
	}
	if n := mustScalar[int](t, db, `SELECT count(*) FROM course`); n != 0 {
		t.Errorf("courses = %d after a dry run", n)
	}
}

func TestImportStatusUpdateRecordsEventAfterCreation(t *testing.T) {
	db := MustOpen(t)
	err := db.Import(context.Background(), store.ImportOptions{}, func(l *store.Loader) error {
		if err := l.SetSource("n.csv"); err != nil {
			return err
		}
		oid := mustOffering(t, l)
		pid, _ := l.AddPerson(nomtrack.Person{Name: "Ali", Ministry: "MoD"}, nomtrack.PersonDates{})
		id, _ := l.AddNomination(nomtrack.Nomination{PersonID: pid, OfferingID: oid, Role: "principal", Status: "nominated"}, 2)
		n, found, err := l.Nomination(pid, oid)
		if err != nil || !found || n.ID != id {
			t.Fatalf("Nomination = %+v %v %v", n, found, err)
		}
		cur := n
		n.Status = "approved"
		return l.UpdateNomination(n, cur, 3)
	})
	if err != nil {
		t.Fatal(err)
	}
	// A creation event stood for by an import run has no id: first, as
	// undo and merge read the history (SQLite sorts NULL first of itself,
	// PostgreSQL last).
	got := mustJoined(t, db, `SELECT from_status || '>' || to_status || '@' || source FROM nomination_history ORDER BY at, id NULLS FIRST`)
	if got != ">nominated@import:n.csv:2 nominated>approved@import:n.csv:3" {
		t.Errorf("history = %s", got)
	}
}

func TestImportCheckingForeignKeysAtEndRefusesDanglingRows(t *testing.T) {
	db := MustOpen(t)
	err := db.Import(context.Background(), store.ImportOptions{CheckForeignKeysAtEnd: true, DeferIndexes: true}, func(l *store.Loader) error {
		oid := mustOffering(t, l)
		_, err := l.AddNomination(nomtrack.Nomination{PersonID: 42, OfferingID: oid, Role: "principal", Status: "nominated"}, 2)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "import check: a row of nomination refers to a missing person; nothing was written") {
		t.Fatalf("err = %v", err)
	}
	if n := mustScalar[int](t, db, `SELECT count(*) FROM course`); n != 0 {
		t.Errorf("a refused import left %d courses", n)
	}
	// References are checked again after the import (SQLite turned them
	// off for it): a nomination of nobody is refused.
	err = db.Update(context.Background(), func(tx *store.Tx) error {
		_, err := tx.ExecContext(context.Background(), `INSERT INTO nomination (person_id, offering_id, role, status, created_at, updated_at)
			VALUES (42, 42, 'principal', 'nominated', '', '')`)
		return err
	})
	if nomtrack.ErrorCode(err) != nomtrack.ECONFLICT {
		t.Errorf("a dangling nomination after the import: %v, want it refused", err)
	}
}

func TestImportCheckingForeignKeysAtEndNamesADanglingOffering(t *testing.T) {
	db := MustOpen(t)
	err := db.Import(context.Background(), store.ImportOptions{CheckForeignKeysAtEnd: true, DeferIndexes: true}, func(l *store.Loader) error {
		mustOffering(t, l)
		pid, err := l.AddPerson(nomtrack.Person{Name: "Ali Hassan", Ministry: "MoD"}, nomtrack.PersonDates{})
		if err != nil {
			return err
		}
		_, err = l.AddNomination(nomtrack.Nomination{PersonID: pid, OfferingID: 77, Role: "principal", Status: "nominated"}, 2)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "import check: a row of nomination refers to a missing offering; nothing was written") {
		t.Fatalf("err = %v", err)
	}
	if n := mustScalar[int](t, db, `SELECT count(*) FROM person`); n != 0 {
		t.Errorf("a refused import left %d people", n)
	}
}

// Nominations keep the ministry, rank and English their person had when
// they were made (migration 0007): through the command path and the bulk
// import alike, and an edit of the person afterwards leaves them.
func TestNominationsKeepThePersonAsOfTheirMaking(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	err := db.Import(ctx, store.ImportOptions{DeferIndexes: true}, func(l *store.Loader) error {
		if err := l.SetSource("noms.csv"); err != nil {
			return err
		}
		oid := mustOffering(t, l)
		pid, err := l.AddPerson(nomtrack.Person{Ref: "S-1", Name: "Ali Hassan", Ministry: "MoD", Rank: "Colonel", RankCode: "OF-5", English: "3232"}, nomtrack.PersonDates{})
		if err != nil {
			return err
		}
		_, err = l.AddNomination(nomtrack.Nomination{PersonID: pid, OfferingID: oid, Role: "principal", Status: "nominated"}, 2)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	MustOffering(t, db, "M5-106", "2013-03-04", 5)
	MustNominate(t, db, "S-1", "M5-106@2013-03-04")
	p, err := db.FindPerson(ctx, "S-1")
	if err != nil {
		t.Fatal(err)
	}
	p.Ministry, p.RankCode = "NSA", "OF-6"
	if _, err := db.UpdatePerson(ctx, p); err != nil {
		t.Fatal(err)
	}
	got := mustJoined(t, db, `SELECT ministry || '/' || rank || '/' || rank_code || '/' || english FROM nomination ORDER BY id`)
	if want := "MoD/Colonel/OF-5/3232 MoD/Colonel/OF-5/3232"; got != want {
		t.Errorf("nomination snapshots %q, want %q", got, want)
	}
}

// A nomination an import creates keeps its person's values as of its row
// (SPEC §3), as if the rows had been entered one by one: when a later row
// of the same import changes the person (UpdatePerson), nominations written
// before keep the earlier values and the ones after take the new; a
// nomination given values of its own (an older row's) keeps those. (They
// all took the person's values as the import left them: a historic sheet
// counted its early years under the person's last ministry.)
func TestImportedNominationsKeepTheirPersonAsOfTheirRow(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	var oid, kept, changed int64
	err := db.Import(ctx, store.ImportOptions{DeferIndexes: true}, func(l *store.Loader) error {
		oid = mustOffering(t, l)
		var err error
		if kept, err = l.AddPerson(nomtrack.Person{Ref: "S-1", Name: "Ali Hassan", Ministry: "MoD", Rank: "Major", RankCode: "OF-3", English: "2222"}, nomtrack.PersonDates{}); err != nil {
			return err
		}
		changed, err = l.AddPerson(nomtrack.Person{Ref: "S-2", Name: "Omar Said", Ministry: "MoD", Rank: "Major", RankCode: "OF-3", English: "2222"}, nomtrack.PersonDates{})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Import(ctx, store.ImportOptions{DeferIndexes: true}, func(l *store.Loader) error {
		if err := l.SetSource("noms.csv"); err != nil {
			return err
		}
		for i, pid := range []int64{kept, changed} {
			if _, err := l.AddNomination(nomtrack.Nomination{PersonID: pid, OfferingID: oid, Role: "principal", Status: "nominated"}, i+2); err != nil {
				return err
			}
		}
		if err := l.UpdatePerson(nomtrack.Person{ID: changed, Ref: "S-2", Name: "Omar Said", Ministry: "NSA", Rank: "Colonel", RankCode: "OF-5", English: "3333"}, nomtrack.PersonDates{}); err != nil {
			return err
		}
		later := mustOfferingAt(t, l, "2012-09-03")
		if _, err := l.AddNomination(nomtrack.Nomination{PersonID: changed, OfferingID: later, Role: "principal", Status: "nominated"}, 4); err != nil {
			return err
		}
		older := mustOfferingAt(t, l, "2011-09-05")
		_, err := l.AddNomination(nomtrack.Nomination{PersonID: changed, OfferingID: older, Role: "principal", Status: "nominated",
			Ministry: "MoI", Rank: "Captain", RankCode: "OF-2", English: "1111"}, 5)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var snaps []string
	if err := db.View(ctx, func(q store.Querier) error {
		rows, err := q.QueryContext(ctx, `SELECT ministry, rank, rank_code, english FROM nomination ORDER BY id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var m, r, c, e string
			if err := rows.Scan(&m, &r, &c, &e); err != nil {
				return err
			}
			snaps = append(snaps, m+"/"+r+"/"+c+"/"+e)
		}
		return rows.Err()
	}); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(snaps, " "), "MoD/Major/OF-3/2222 MoD/Major/OF-3/2222 NSA/Colonel/OF-5/3333 MoI/Captain/OF-2/1111"; got != want {
		t.Errorf("nomination snapshots %q, want %q", got, want)
	}
}
