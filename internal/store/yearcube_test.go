package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nomtrack/nomtrack/internal/figures"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/store"
)

// oracleStatusList quotes the statuses for which keep is true.
func oracleStatusList(keep func(string) bool) string {
	var out []string
	for _, s := range nomtrack.Statuses {
		if keep(s) {
			out = append(out, "'"+s+"'")
		}
	}
	return strings.Join(out, ", ")
}

// oracleYearSQL is the year report as the engine's own GROUP BY computes it
// (nomtrack's first implementation): the Go grouping must agree with it
// group for group and in the same order.
func oracleYearSQL() string {
	counts := fmt.Sprintf(`sum(n) AS nominations,
		sum(CASE WHEN status IN (%s) THEN n ELSE 0 END) AS committed,
		sum(CASE WHEN status IN (%s) THEN n ELSE 0 END) AS participated,
		sum(CASE WHEN status = 'no-show' THEN n ELSE 0 END) AS no_show`,
		oracleStatusList(nomtrack.Committed), oracleStatusList(nomtrack.Participated))
	return `
WITH cube AS MATERIALIZED (
	SELECT o.course_id AS course_id, substr(o.start, 1, 7) AS month, ` + oracleMinistry + ` AS ministry,
		p.gender AS gender, n.status AS status, count(*) AS n
	FROM offering o JOIN nomination n ON n.offering_id = o.id JOIN person p ON p.id = n.person_id
	WHERE o.start >= ? AND o.start < ?
	GROUP BY o.course_id, month, ` + oracleMinistry + `, p.gender, n.status
), f AS MATERIALIZED (
	SELECT cube.*, c.code AS code, c.title AS title, c.area AS area, c.provider AS provider
	FROM cube JOIN course c ON c.id = cube.course_id
)
SELECT d, k, l, nominations, committed, participated, no_show FROM (
	SELECT 0 AS d, status AS k, '' AS l, ` + counts + ` FROM f GROUP BY status
	UNION ALL SELECT 1, ministry, '', ` + counts + ` FROM f GROUP BY ministry
	UNION ALL SELECT 2, area, '', ` + counts + ` FROM f GROUP BY area
	UNION ALL SELECT 3, code, title, ` + counts + ` FROM f GROUP BY code, title
	UNION ALL SELECT 4, provider, '', ` + counts + ` FROM f GROUP BY provider
	UNION ALL SELECT 5, month, '', ` + counts + ` FROM f GROUP BY month
	UNION ALL SELECT 6, gender, '', ` + counts + ` FROM f GROUP BY gender
) AS groups
ORDER BY d, CASE WHEN d = 5 THEN k END, nominations DESC, k`
}

// oracleYear computes what YearReport must give for year, by SQL alone.
func oracleYear(t *testing.T, db *store.DB, year int) *figures.Year {
	t.Helper()
	y := &figures.Year{ByStatus: figures.StatusCounts{}}
	dims := []*figures.Breakdown{&y.ByMinistry, &y.ByArea, &y.ByCourse, &y.ByProvider, &y.ByMonth, &y.ByGender}
	for i, d := range dims {
		d.Dimension = figures.Dimensions[i]
		d.Groups = []figures.Group{}
	}
	lo, hi := fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-01-01", year+1)
	err := db.View(context.Background(), func(q store.Querier) error {
		rows, err := q.QueryContext(context.Background(), oracleYearSQL(), lo, hi)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var d int
			var g figures.Group
			if err := rows.Scan(&d, &g.Key, &g.Label, &g.Nominations, &g.Committed, &g.Participated, &g.NoShow); err != nil {
				return err
			}
			if d == 0 {
				y.ByStatus[g.Key] = g.Nominations
				y.Nominations += g.Nominations
				y.Committed += g.Committed
				y.Participated += g.Participated
				y.NoShow += g.NoShow
				continue
			}
			dims[d-1].Groups = append(dims[d-1].Groups, g)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if err := q.QueryRowContext(context.Background(), `SELECT count(DISTINCT n.person_id)
			FROM offering o JOIN nomination n ON n.offering_id = o.id
			WHERE o.start >= ? AND o.start < ? AND n.status IN (`+oracleStatusList(nomtrack.Participated)+`)`, lo, hi).Scan(&y.Participants); err != nil {
			return err
		}
		return oracleYearFigures(q, year, y)
	})
	if err != nil {
		t.Fatal(err)
	}
	return y
}

func TestYearReportGroupsAsSQLGroupByDoes(t *testing.T) {
	// The benchmark programme's shape: eight ministries, blank genders,
	// nine statuses, 160 courses, many ties among small groups.
	store.SkipOnPostgres(t, "the bench-shaped programme is an SQLite file (MustBenchDB; copying its 250,000 people to the server took a minute); "+
		"TestYearFiguresOnGeneratedData compares PostgreSQL's year report with its own GROUP BY")
	db := MustBenchDB(t, 20000)
	for _, year := range []int{2009, 2010, 2017, 2025} {
		got, err := db.YearReport(context.Background(), year, store.ReportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		want := oracleYear(t, db, year)
		opts := cmp.FilterPath(func(p cmp.Path) bool {
			switch p.Last().String() {
			case ".Year", ".Capacity", ".CapacitySource", ".Utilisation", ".Trend":
				return true
			}
			return false
		}, cmp.Ignore())
		if diff := cmp.Diff(want, got, opts); diff != "" {
			t.Errorf("year %d: Go grouping differs from SQL GROUP BY (-sql +go):\n%s", year, diff)
		}
		if year >= 2010 && got.Nominations == 0 {
			t.Errorf("year %d has no nominations: the comparison proves nothing", year)
		}
	}
}
