package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// The flat database is what a user without nomtrack would build with sqlite3:
// one table shaped like the nominations sheet, with the same unique key that
// nomtrack enforces (the person's ref, the course and the start date, i.e.
// person and offering) and one index, on start, that the yearly reports use.
// The courses sheet is loaded beside it (untimed) so that the report's "by
// area" breakdown can be computed too.

// flatTable is the flat table's name in both sqlite3's and sqlite-utils'
// databases.
const flatTable = "nominations"

// flatSchema returns the CREATE statements of the flat table for the columns
// of the nominations CSV header. It fails when the header lacks a key column.
func flatSchema(columns []string) (string, error) {
	have := map[string]bool{}
	var defs []string
	for _, c := range columns {
		if !isIdent(c) {
			return "", fmt.Errorf("the nominations header has a column %q that is not a plain name", c)
		}
		have[c] = true
		defs = append(defs, "    "+c+" TEXT")
	}
	for _, k := range []string{"ref", "course", "start", "status", "ministry", "gender"} {
		if !have[k] {
			return "", fmt.Errorf("the nominations header lacks the %q column the flat table and its reports need", k)
		}
	}
	defs = append(defs, "    UNIQUE (ref, course, start)")
	return "CREATE TABLE " + flatTable + " (\n" + strings.Join(defs, ",\n") + "\n);\n" +
		"CREATE INDEX " + flatTable + "_start ON " + flatTable + "(start);\n", nil
}

// isIdent reports whether s is a lower-case SQL name needing no quotes.
func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r >= 'a' && r <= 'z' || r == '_' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// csvHeader returns the column names of a CSV file's first line (the
// generator writes plain names, never quoted ones).
func csvHeader(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil {
		return nil, fmt.Errorf("cannot read the header of %s: %w", path, err)
	}
	cols := strings.Split(strings.TrimRight(line, "\r\n"), ",")
	for i := range cols {
		cols[i] = strings.TrimSpace(cols[i])
	}
	return cols, nil
}

// sqlite3Import is the sqlite3 shell script that loads the CSV into the
// existing flat table: the floor nomtrack is measured against.
func sqlite3Import(csvPath string) string {
	return ".bail on\n.import --csv --skip 1 " + sqlQuote(csvPath) + " " + flatTable + "\n"
}

// sqlite3LoadCourses loads the courses sheet into a table named after its
// header (untimed; only the reports use it).
func sqlite3LoadCourses(csvPath string) string {
	return ".bail on\n.import --csv " + sqlQuote(csvPath) + " courses\n"
}

// sqlQuote quotes s as an SQL string literal, which the sqlite3 shell also
// accepts as a dot-command argument.
func sqlQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// The aggregates below are the ones SPEC §5 defines for `report year` and
// `report trend`, computed on the flat table: committed = approved +
// confirmed + attended + completed; participated = attended + completed;
// participants = distinct people (refs) who participated; utilisation =
// participated / capacity, with the default capacity of 500.
const (
	committedSQL    = "status IN ('approved','confirmed','attended','completed')"
	participatedSQL = "status IN ('attended','completed')"
	defaultCapacity = 500
)

// yearSQL is the sqlite3 script computing `report year Y`: the headline, the
// count of every status, and the breakdowns by ministry, area, course,
// provider, month and gender, as JSON.
func yearSQL(year int) string {
	where := fmt.Sprintf("start >= '%04d-01-01' AND start < '%04d-01-01'", year, year+1)
	counts := fmt.Sprintf("count(*) AS nominations, sum(%s) AS committed, sum(%s) AS participated, sum(status = 'no-show') AS no_show",
		committedSQL, participatedSQL)
	var b strings.Builder
	b.WriteString(".bail on\n.mode json\n")
	fmt.Fprintf(&b, "SELECT %d AS year, %d AS capacity, count(*) AS nominations, sum(%s) AS committed, sum(%s) AS participated,\n"+
		"       count(DISTINCT CASE WHEN %s THEN ref END) AS participants, round(sum(%s) * 1.0 / %d, 4) AS utilisation\n"+
		"  FROM %s WHERE %s;\n",
		year, defaultCapacity, committedSQL, participatedSQL, participatedSQL, participatedSQL, defaultCapacity, flatTable, where)
	fmt.Fprintf(&b, "SELECT status, count(*) AS nominations FROM %s WHERE %s GROUP BY status ORDER BY status;\n", flatTable, where)
	for _, dim := range []struct{ name, expr, from string }{
		{"ministry", "ministry", flatTable},
		{"area", "c.area", flatTable + " JOIN courses c ON c.code = " + flatTable + ".course"},
		{"course", "course", flatTable},
		{"provider", "c.provider", flatTable + " JOIN courses c ON c.code = " + flatTable + ".course"},
		{"month", "substr(start, 1, 7)", flatTable},
		{"gender", "gender", flatTable},
	} {
		fmt.Fprintf(&b, "SELECT %s AS %s, %s FROM %s WHERE %s GROUP BY 1 ORDER BY 1;\n", dim.expr, dim.name, counts, dim.from, where)
	}
	return b.String()
}

// trendSQL is the sqlite3 script computing `report trend`: one row a year.
func trendSQL() string {
	return fmt.Sprintf(".bail on\n.mode json\n"+
		"SELECT CAST(substr(start, 1, 4) AS INTEGER) AS year, %d AS capacity, count(*) AS nominations,\n"+
		"       sum(%s) AS committed, sum(%s) AS participated,\n"+
		"       count(DISTINCT CASE WHEN %s THEN ref END) AS participants, round(sum(%s) * 1.0 / %d, 4) AS utilisation\n"+
		"  FROM %s GROUP BY 1 ORDER BY 1;\n",
		defaultCapacity, committedSQL, participatedSQL, participatedSQL, participatedSQL, defaultCapacity, flatTable)
}
