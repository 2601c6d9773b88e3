package main

import (
	"database/sql"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/nomtrack/nomtrack/internal/gen"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
	_ "modernc.org/sqlite"
)

// MustReadCSV reads a whole CSV file.
func MustReadCSV(tb testing.TB, path string) [][]string {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	return recs
}

// MustFlatDB builds the flat database the harness builds with sqlite3 — the
// flat table from flatSchema and the courses table — in-process, from a
// generated programme of n nominations, and returns it with the nominations'
// records (header first).
func MustFlatDB(tb testing.TB, n int) (*sql.DB, [][]string) {
	tb.Helper()
	dir := tb.TempDir()
	if _, err := gen.Write(dir, gen.Config{N: n, Seed: 7}); err != nil {
		tb.Fatal(err)
	}
	db, err := sql.Open("sqlite", filepath.Join(dir, "flat.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	noms := MustReadCSV(tb, filepath.Join(dir, "nominations.csv"))
	schema, err := flatSchema(noms[0])
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := db.Exec(schema); err != nil {
		tb.Fatal(err)
	}
	courses := MustReadCSV(tb, filepath.Join(dir, "courses.csv"))
	if _, err := db.Exec("CREATE TABLE courses (" + strings.Join(courses[0], " TEXT, ") + " TEXT)"); err != nil {
		tb.Fatal(err)
	}
	MustInsert(tb, db, flatTable, noms[1:])
	MustInsert(tb, db, "courses", courses[1:])
	return db, noms
}

// MustInsert inserts records into table in one transaction.
func MustInsert(tb testing.TB, db *sql.DB, table string, recs [][]string) {
	tb.Helper()
	tx, err := db.Begin()
	if err != nil {
		tb.Fatal(err)
	}
	marks := strings.TrimSuffix(strings.Repeat("?,", len(recs[0])), ",")
	st, err := tx.Prepare("INSERT INTO " + table + " VALUES (" + marks + ")")
	if err != nil {
		tb.Fatal(err)
	}
	for _, r := range recs {
		args := make([]any, len(r))
		for i, v := range r {
			args[i] = v
		}
		if _, err := st.Exec(args...); err != nil {
			tb.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}

// statements splits a sqlite3 shell script into its SQL statements, leaving
// out the dot-commands.
func statements(script string) []string {
	var sqlText strings.Builder
	for _, line := range strings.Split(script, "\n") {
		if !strings.HasPrefix(line, ".") {
			sqlText.WriteString(line + "\n")
		}
	}
	var out []string
	for _, s := range strings.Split(sqlText.String(), ";\n") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// MustQuery runs q and returns its rows as text keyed by column.
func MustQuery(tb testing.TB, db *sql.DB, q string) []map[string]string {
	tb.Helper()
	rows, err := db.Query(q)
	if err != nil {
		tb.Fatalf("%v\n%s", err, q)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []map[string]string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			tb.Fatal(err)
		}
		m := map[string]string{}
		for i, c := range cols {
			m[c] = fmt.Sprint(vals[i])
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// counts are the SPEC §2 figures of a set of nominations.
type counts struct{ nominations, committed, participated, participants int }

// countsByYear computes the SPEC's figures per year straight from the
// records with the domain package's own definitions.
func countsByYear(recs [][]string) map[int]counts {
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	out := map[int]counts{}
	people := map[int]map[string]bool{}
	for _, r := range recs[1:] {
		y, _ := strconv.Atoi(r[col["start"]][:4])
		c := out[y]
		c.nominations++
		st := r[col["status"]]
		if nomtrack.Committed(st) {
			c.committed++
		}
		if nomtrack.Participated(st) {
			c.participated++
			if people[y] == nil {
				people[y] = map[string]bool{}
			}
			people[y][r[col["ref"]]] = true
		}
		c.participants = len(people[y])
		out[y] = c
	}
	return out
}

func TestYearSQLComputesTheSpecFiguresAndItsBreakdownsCoverEveryNomination(t *testing.T) {
	db, recs := MustFlatDB(t, 3000)
	want := countsByYear(recs)
	const year = 2018
	stmts := statements(yearSQL(year))
	if len(stmts) != 8 {
		t.Fatalf("yearSQL has %d statements, want headline, by_status and 6 breakdowns", len(stmts))
	}
	head := MustQuery(t, db, stmts[0])
	w := want[year]
	if w.nominations == 0 || w.participants == 0 {
		t.Fatalf("the generated data has no participation in %d: %+v", year, w)
	}
	got := head[0]
	for f, v := range map[string]int{"nominations": w.nominations, "committed": w.committed, "participated": w.participated, "participants": w.participants} {
		if got[f] != strconv.Itoa(v) {
			t.Errorf("%s = %s, want %d", f, got[f], v)
		}
	}
	if got["capacity"] != "500" || got["year"] != strconv.Itoa(year) {
		t.Errorf("year/capacity = %s/%s", got["year"], got["capacity"])
	}
	for _, q := range stmts[1:] {
		sum := 0
		for _, r := range MustQuery(t, db, q) {
			n, _ := strconv.Atoi(r["nominations"])
			sum += n
		}
		if sum != w.nominations {
			t.Errorf("breakdown sums to %d nominations, want %d:\n%s", sum, w.nominations, q)
		}
	}
}

func TestTrendSQLComputesTheSpecFiguresForEveryYear(t *testing.T) {
	db, recs := MustFlatDB(t, 3000)
	want := countsByYear(recs)
	stmts := statements(trendSQL())
	if len(stmts) != 1 {
		t.Fatalf("trendSQL has %d statements, want 1", len(stmts))
	}
	rows := MustQuery(t, db, stmts[0])
	if len(rows) != len(want) {
		t.Fatalf("%d years, want %d", len(rows), len(want))
	}
	for _, r := range rows {
		y, _ := strconv.Atoi(r["year"])
		w := want[y]
		got := counts{}
		got.nominations, _ = strconv.Atoi(r["nominations"])
		got.committed, _ = strconv.Atoi(r["committed"])
		got.participated, _ = strconv.Atoi(r["participated"])
		got.participants, _ = strconv.Atoi(r["participants"])
		if got != w {
			t.Errorf("year %d: %+v, want %+v", y, got, w)
		}
	}
}

func TestFlatSchemaRejectsDuplicateKeys(t *testing.T) {
	db, recs := MustFlatDB(t, 50)
	args := make([]any, len(recs[1]))
	for i, v := range recs[1] {
		args[i] = v
	}
	marks := strings.TrimSuffix(strings.Repeat("?,", len(args)), ",")
	if _, err := db.Exec("INSERT INTO "+flatTable+" VALUES ("+marks+")", args...); err == nil {
		t.Error("a second row with the same ref, course and start was accepted")
	}
}

func TestFlatSchemaErrors(t *testing.T) {
	for name, cols := range map[string][]string{
		"ErrMissingKey": {"ref", "course", "status", "ministry", "gender"},
		"ErrOddName":    {"ref", "course", "start", "status", "ministry", "gender", "drop table"},
		"ErrEmptyName":  {"ref", "course", "start", "status", "ministry", "gender", ""},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := flatSchema(cols); err == nil {
				t.Errorf("flatSchema(%q) accepted", cols)
			}
		})
	}
}

func TestSQLQuoteDoublesQuotes(t *testing.T) {
	if got := sqlQuote("/tmp/it's.csv"); got != "'/tmp/it''s.csv'" {
		t.Errorf("sqlQuote = %s", got)
	}
}
