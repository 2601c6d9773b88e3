package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nomtrack/nomtrack/internal/figures"
	"github.com/nomtrack/nomtrack/internal/gen"
	"github.com/nomtrack/nomtrack/internal/importer"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/store"
)

// genYears are the years of the generated programme of the figures tests.
var genYears = []int{2022, 2023, 2024}

// MustGenerated opens a database holding a programme made by internal/gen
// (4,000 nominations over genYears, imported as a coordinator would), then
// varied by hand so every figure has something to count: nominations get
// a funding source (a sixth stay unknown), a tenth were made under another
// ministry than their person's current one (people move), a few have no
// ministry snapshot (they count under the person's), and requests are
// added for some ministries and areas.
func MustGenerated(tb testing.TB) *store.DB {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "programme")
	if _, err := gen.Write(dir, gen.Config{N: 4000, Seed: 15, FromYear: genYears[0], ToYear: genYears[len(genYears)-1]}); err != nil {
		tb.Fatal(err)
	}
	db := MustOpen(tb)
	ctx := context.Background()
	for _, k := range []string{"courses", "offerings", "people", "nominations"} {
		sum, err := importer.Run(ctx, db, filepath.Join(dir, k+".csv"), importer.Options{Kind: k})
		if err != nil || sum.Rejected > 0 {
			tb.Fatalf("import %s: %v %+v", k, err, sum)
		}
	}
	err := db.Update(ctx, func(tx *store.Tx) error {
		for _, q := range []string{
			`UPDATE nomination SET funding = CASE id % 6 WHEN 0 THEN 'nato' WHEN 1 THEN 'national' WHEN 2 THEN 'host'
				WHEN 3 THEN 'other' WHEN 4 THEN 'nato' ELSE '' END`,
			`UPDATE nomination SET ministry = 'MoX' WHERE id % 10 = 3`,
			`UPDATE nomination SET ministry = '' WHERE id % 37 = 5`,
			`INSERT INTO request (ministry, area, year, seats, created_at)
				SELECT ministry, area, y, 3 + (length(ministry) + length(area) + y) % 7, 'T'
				FROM (SELECT DISTINCT ministry FROM person) AS m, (SELECT DISTINCT area FROM course) AS a,
				(SELECT 2023 AS y UNION ALL SELECT 2024) AS y
				WHERE (length(ministry) * 7 + length(area)) % 3 = 0`,
			`INSERT INTO request (ministry, area, year, seats, created_at) VALUES ('MoZ', 'counter-terrorism', 2023, 5, 'T')`,
		} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("%.60s: %w", q, err)
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return db
}

// MustScalar runs a query returning one value.
func MustScalar[T any](tb testing.TB, db *store.DB, query string, args ...any) T {
	tb.Helper()
	var v T
	err := db.View(context.Background(), func(q store.Querier) error {
		return q.QueryRowContext(context.Background(), query, args...).Scan(&v)
	})
	if err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
	return v
}

// Every figure of the year report on generated data equals the one SQL
// computes on its own (oracleYear, oracleYearFigures).
func TestYearFiguresOnGeneratedData(t *testing.T) {
	db := MustGenerated(t)
	// Some people of unknown gender: the report reads them, and the
	// women, as sets (readGenders), and everyone else is a man.
	err := db.Update(context.Background(), func(tx *store.Tx) error {
		_, err := tx.ExecContext(context.Background(), `UPDATE person SET gender = '' WHERE id % 9 = 1`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, year := range genYears {
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
			t.Errorf("year %d: figures differ from SQL (-sql +go):\n%s", year, diff)
		}
		// The data must exercise what is compared.
		if got.RepeatParticipants == 0 || got.Women.Participants == 0 || got.Cost.Committed.UnknownFee == 0 ||
			got.Cost.Committed.Cents == 0 || len(got.Women.ByMinistry) < 3 {
			t.Errorf("year %d: the generated data leaves a figure empty: repeats %d, women %d, cost %+v",
				year, got.RepeatParticipants, got.Women.Participants, got.Cost.Committed)
		}
		for _, r := range got.Cost.ByFunding.Rows {
			if r.Committed.Nominations == 0 {
				t.Errorf("year %d: no committed nomination funded by %s", year, r.Key)
			}
		}
		if !hasGroup(got.ByGender, "") || !hasGroup(got.ByGender, "F") || !hasGroup(got.ByGender, "M") {
			t.Errorf("year %d: the gender breakdown lacks a gender: %+v", year, got.ByGender.Groups)
		}
		if !hasGroup(got.ByMinistry, "MoX") {
			t.Errorf("year %d: nominations made under MoX are not counted under it", year)
		}
	}
}

// The trend on generated data: every year's counts and distinct
// participants equal what SQL counts on its own from the nominations
// (the trend reads offering_count and nomination_participation, 0024).
// Statuses are varied first, through the store, so that the index and the
// counts it is compared with have seen changes as well as the import.
func TestTrendOnGeneratedData(t *testing.T) {
	db := MustGenerated(t)
	ctx := context.Background()
	type nom struct {
		id     int64
		status string
	}
	var noms []nom
	err := db.View(ctx, func(q store.Querier) error {
		rows, err := q.QueryContext(ctx, `SELECT id, status FROM nomination WHERE role = 'principal' AND id % 53 = 7 ORDER BY id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var n nom
			if err := rows.Scan(&n.id, &n.status); err != nil {
				return err
			}
			noms = append(noms, n)
		}
		return rows.Err()
	})
	if err != nil || len(noms) < 20 {
		t.Fatalf("principals to vary: %d, %v", len(noms), err)
	}
	// Every nomination loses its participation, if it had one; every
	// other one then gets one.
	for i, n := range noms {
		to := []string{nomtrack.StatusNoShow, nomtrack.StatusCompleted}[:1+i%2]
		if n.status == nomtrack.StatusNoShow {
			to[0] = nomtrack.StatusWithdrawn
		}
		for _, status := range to {
			ch := store.StatusChange{To: status, Reason: "test", Force: true, OverAllocate: true}
			if _, err := db.SetStatus(ctx, n.id, ch); err != nil {
				t.Fatalf("nomination %d to %s: %v", n.id, status, err)
			}
		}
	}
	from, to := genYears[0]-1, genYears[len(genYears)-1]+1
	got, err := db.TrendReport(ctx, &from, &to, store.ReportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != to-from+1 {
		t.Fatalf("trend has %d rows, want %d", len(got), to-from+1)
	}
	participated := "n.status IN (" + oracleStatusList(nomtrack.Participated) + ")"
	committed := "n.status IN (" + oracleStatusList(nomtrack.Committed) + ")"
	for _, r := range got {
		lo, hi := fmt.Sprintf("%04d-01-01", r.Year), fmt.Sprintf("%04d-01-01", r.Year+1)
		var want [4]int
		err := db.View(ctx, func(q store.Querier) error {
			return q.QueryRowContext(ctx, `SELECT count(*),
				coalesce(sum(CASE WHEN `+committed+` THEN 1 ELSE 0 END), 0),
				coalesce(sum(CASE WHEN `+participated+` THEN 1 ELSE 0 END), 0),
				count(DISTINCT CASE WHEN `+participated+` THEN n.person_id END)
				FROM offering o JOIN nomination n ON n.offering_id = o.id
				WHERE o.start >= ? AND o.start < ?`, lo, hi).Scan(&want[0], &want[1], &want[2], &want[3])
		})
		if err != nil {
			t.Fatal(err)
		}
		if g := [4]int{r.Nominations, r.Committed, r.Participated, r.Participants}; g != want {
			t.Errorf("%d: nominations, committed, participated, participants = %v; SQL counts %v", r.Year, g, want)
		}
		inRange := r.Year >= genYears[0] && r.Year <= genYears[len(genYears)-1]
		if inRange && (r.Participants == 0 || r.Participants == r.Participated) {
			t.Errorf("%d: %d participants of %d participations; the data must have repeat participants", r.Year, r.Participants, r.Participated)
		}
		if !inRange && r.Nominations != 0 {
			t.Errorf("%d: %d nominations outside the generated years", r.Year, r.Nominations)
		}
	}
}

func hasGroup(b figures.Breakdown, key string) bool {
	for _, g := range b.Groups {
		if g.Key == key {
			return true
		}
	}
	return false
}

// The repeat report on generated data: the people SQL finds with at least
// min participations in the range, each with that many courses, oldest
// first, under the ministry of the latest; most participations first.
func TestRepeatReportOnGeneratedData(t *testing.T) {
	db := MustGenerated(t)
	participated := oracleStatusList(nomtrack.Participated)
	for _, tc := range []struct{ from, to, min int }{{2023, 2023, 2}, {2022, 2024, 3}, {2024, 2024, 1}} {
		got, err := db.RepeatReport(context.Background(), tc.from, tc.to, tc.min)
		if err != nil {
			t.Fatal(err)
		}
		lo, hi := fmt.Sprintf("%04d-01-01", tc.from), fmt.Sprintf("%04d-01-01", tc.to+1)
		want := MustScalar[int](t, db, `SELECT count(*) FROM (SELECT n.person_id FROM nomination n
			JOIN offering o ON o.id = n.offering_id WHERE o.start >= ? AND o.start < ? AND n.status IN (`+participated+`)
			GROUP BY n.person_id HAVING count(*) >= ?) AS repeats`, lo, hi, tc.min)
		if len(got) != want || want == 0 {
			t.Fatalf("%+v: %d people, SQL finds %d (and must find some)", tc, len(got), want)
		}
		for i, r := range got {
			n := MustScalar[int](t, db, `SELECT count(*) FROM nomination n JOIN offering o ON o.id = n.offering_id
				WHERE n.person_id = ? AND o.start >= ? AND o.start < ? AND n.status IN (`+participated+`)`, r.PersonID, lo, hi)
			if r.Participations != n || len(r.Courses) != n || n < tc.min {
				t.Errorf("%+v: %s has %d participations and %d courses, SQL counts %d", tc, r.Ref, r.Participations, len(r.Courses), n)
			}
			last := MustScalar[string](t, db, `SELECT CASE WHEN n.ministry = '' THEN p.ministry ELSE n.ministry END
				FROM nomination n JOIN offering o ON o.id = n.offering_id JOIN course c ON c.id = o.course_id
				JOIN person p ON p.id = n.person_id
				WHERE n.person_id = ? AND o.start >= ? AND o.start < ? AND n.status IN (`+participated+`)
				ORDER BY o.start DESC, c.code DESC LIMIT 1`, r.PersonID, lo, hi)
			if r.Ministry != last {
				t.Errorf("%+v: %s's ministry is %q, the latest participation was made under %q", tc, r.Ref, r.Ministry, last)
			}
			for j := 1; j < len(r.Courses); j++ {
				if r.Courses[j].Start < r.Courses[j-1].Start {
					t.Errorf("%s's courses are not oldest first: %+v", r.Ref, r.Courses)
				}
			}
			if i > 0 && (got[i-1].Participations < r.Participations ||
				got[i-1].Participations == r.Participations && got[i-1].Person > r.Person) {
				t.Errorf("%+v: %s before %s breaks most-first, then name order", tc, got[i-1].Ref, r.Ref)
			}
		}
	}
}

// The costs report on generated data: each breakdown equals SQL's own
// grouping; the offerings of unknown fee hold every committed nomination
// whose fee is unknown.
func TestCostsReportOnGeneratedData(t *testing.T) {
	db := MustGenerated(t)
	for _, year := range genYears {
		got, err := db.CostsReport(context.Background(), year)
		if err != nil {
			t.Fatal(err)
		}
		err = db.View(context.Background(), func(q store.Querier) error {
			for _, c := range []struct {
				got  figures.CostBreakdown
				expr string
			}{{got.ByMinistry, "ministry"}, {got.ByArea, "area"}, {got.ByProvider, "provider"}} {
				want, err := oracleCostRows(q, year, c.got.Dimension, c.expr)
				if err != nil {
					return err
				}
				if diff := cmp.Diff(want, c.got); diff != "" {
					t.Errorf("%d by %s (-sql +go):\n%s", year, c.got.Dimension, diff)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		y := oracleYear(t, db, year)
		if diff := cmp.Diff(y.Cost.ByFunding, got.ByFunding); diff != "" {
			t.Errorf("%d by funding (-sql +go):\n%s", year, diff)
		}
		if got.Committed != y.Cost.Committed || got.Participated != y.Cost.Participated {
			t.Errorf("%d totals = %+v, %+v; SQL %+v, %+v", year, got.Committed, got.Participated, y.Cost.Committed, y.Cost.Participated)
		}
		unknown := 0
		for _, r := range got.UnknownFees {
			unknown += r.Committed
		}
		if unknown != got.Committed.UnknownFee || unknown == 0 {
			t.Errorf("%d: the offerings of unknown fee hold %d committed nominations; %d have no fee (and some must)",
				year, unknown, got.Committed.UnknownFee)
		}
	}
}

// The demand report on generated data against a second computation in Go
// from the raw rows: every ministry and area that requested or nominated,
// and the totals.
func TestDemandReportOnGeneratedData(t *testing.T) {
	db := MustGenerated(t)
	ctx := context.Background()
	for _, year := range genYears {
		type key struct{ ministry, area string }
		rows := map[key]*figures.DemandRow{}
		at := func(m, a string) *figures.DemandRow {
			if rows[key{m, a}] == nil {
				rows[key{m, a}] = &figures.DemandRow{Ministry: m, Area: a}
			}
			return rows[key{m, a}]
		}
		lo, hi := fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-01-01", year+1)
		err := db.View(ctx, func(q store.Querier) error {
			rs, err := q.QueryContext(ctx, `SELECT n.ministry, p.ministry, c.area, n.status FROM nomination n
				JOIN offering o ON o.id = n.offering_id JOIN course c ON c.id = o.course_id JOIN person p ON p.id = n.person_id
				WHERE o.start >= ? AND o.start < ?`, lo, hi)
			if err != nil {
				return err
			}
			defer rs.Close()
			for rs.Next() {
				var made, now, area, status string
				if err := rs.Scan(&made, &now, &area, &status); err != nil {
					return err
				}
				if made == "" {
					made = now
				}
				r := at(made, area)
				r.Nominations++
				if nomtrack.Committed(status) {
					r.Committed++
				}
				if nomtrack.Participated(status) {
					r.Participated++
				}
			}
			rq, err := q.QueryContext(ctx, `SELECT ministry, area, seats FROM request WHERE year = ?`, year)
			if err != nil {
				return err
			}
			defer rq.Close()
			for rq.Next() {
				var m, a string
				var seats int
				if err := rq.Scan(&m, &a, &seats); err != nil {
					return err
				}
				r := at(m, a)
				if r.Requested == nil {
					r.Requested = new(int)
				}
				*r.Requested += seats
			}
			return rq.Err()
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.DemandReport(ctx, year)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Rows) != len(rows) {
			t.Errorf("%d: %d rows, Go counts %d", year, len(got.Rows), len(rows))
		}
		var total figures.DemandRow
		for _, r := range got.Rows {
			w := rows[key{r.Ministry, r.Area}]
			if w == nil {
				t.Errorf("%d: row %s/%s has nothing behind it", year, r.Ministry, r.Area)
				continue
			}
			if w.Requested != nil {
				w.FillRate = figures.Ratio(w.Committed, *w.Requested)
			}
			if diff := cmp.Diff(*w, r); diff != "" {
				t.Errorf("%d %s/%s (-go +store):\n%s", year, r.Ministry, r.Area, diff)
			}
			total.Add(*w)
		}
		if diff := cmp.Diff(total, got.Total); diff != "" {
			t.Errorf("%d total (-go +store):\n%s", year, diff)
		}
		if year == 2023 && !hasDemand(got, "MoZ") {
			t.Error("a ministry that requested but nominated nobody is missing")
		}
	}
}

func hasDemand(d *figures.Demand, ministry string) bool {
	for _, r := range d.ByMinistry {
		if r.Ministry == ministry {
			return true
		}
	}
	return false
}

// The eligibility report on generated data lists what the query of the
// report before issue 16 listed, in its order: every nomination of the
// year to a course with prerequisites, with its person joined, sorted by
// SQL (ORDER BY o.start, c.code, p.name, n.id), kept when the domain finds
// a gap; and the count of the year's people without a rank code, as the
// query before counted it. The report now reads the candidates from an
// index, reads the people of those kept after, sorts in Go, and counts the
// year's people in a bit set.
func TestEligibilityReportOnGeneratedData(t *testing.T) {
	db := MustGenerated(t)
	ctx := context.Background()
	// Some people without a ref, and namesakes on one course, so that
	// the person's id and the name order are both exercised.
	err := db.Update(ctx, func(tx *store.Tx) error {
		for _, q := range []string{
			`UPDATE person SET ref = NULL WHERE id % 11 = 4`,
			`UPDATE person SET name = 'Ali Hassan' WHERE id % 13 = 2`,
			`UPDATE person SET rank_code = '' WHERE id % 7 = 3`,
			// Minimums that cannot be read, whose gaps name the
			// course, on several courses (gaps are checked once per
			// profile and what a course asks).
			`UPDATE course SET min_english = 'fluent' WHERE min_english <> '' AND id % 3 = 0`,
			`UPDATE course SET min_rank = 'captain' WHERE min_rank <> '' AND id % 4 = 1`,
		} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, year := range genYears {
		e, err := db.EligibilityReport(ctx, year)
		if err != nil {
			t.Fatal(err)
		}
		got := e.Rows
		var want []figures.EligibilityRow
		err = db.View(ctx, func(q store.Querier) error {
			rows, err := q.QueryContext(ctx, `
				SELECT n.id, p.id, coalesce(p.ref, ''), CASE WHEN p.name = '' THEN p.name_ar ELSE p.name END,
					n.ministry, n.english, n.rank_code, c.code, c.min_english, c.min_rank, o.start, n.role, n.status
				FROM offering o
				JOIN course c ON c.id = o.course_id
				JOIN nomination n ON n.offering_id = o.id
				JOIN person p ON p.id = n.person_id
				WHERE o.start >= ? AND o.start < ? AND (c.min_english <> '' OR c.min_rank <> '')
				ORDER BY o.start, c.code, p.name, n.id`, fmt.Sprintf("%d-01-01", year), fmt.Sprintf("%d-01-01", year+1))
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var r figures.EligibilityRow
				var start string
				if err := rows.Scan(&r.NominationID, &r.PersonID, &r.PersonRef, &r.Name, &r.Ministry, &r.English, &r.RankCode,
					&r.Course, &r.MinEnglish, &r.MinRank, &start, &r.Role, &r.Status); err != nil {
					return err
				}
				r.Gaps = nomtrack.Eligibility(nomtrack.Person{English: r.English, RankCode: r.RankCode},
					nomtrack.Course{Code: r.Course, MinEnglish: r.MinEnglish, MinRank: r.MinRank})
				if len(r.Gaps) > 0 {
					r.Offering = nomtrack.OfferingRef(r.Course, start)
					want = append(want, r)
				}
			}
			return rows.Err()
		})
		if err != nil {
			t.Fatal(err)
		}
		if want == nil {
			want = []figures.EligibilityRow{}
		}
		// The closing count, as the query before issue 16's change
		// counted it: the distinct people nominated in the year, and
		// those of them whose own rank code is empty.
		var nominated, missing int
		err = db.View(ctx, func(q store.Querier) error {
			return q.QueryRowContext(ctx, `
				SELECT count(*), coalesce(sum(CASE WHEN p.rank_code = '' THEN 1 ELSE 0 END), 0)
				FROM person p
				WHERE p.id IN (SELECT n.person_id FROM nomination n JOIN offering o ON o.id = n.offering_id
					WHERE o.start >= ? AND o.start < ?)`,
				fmt.Sprintf("%d-01-01", year), fmt.Sprintf("%d-01-01", year+1)).Scan(&nominated, &missing)
		})
		if err != nil {
			t.Fatal(err)
		}
		if e.Nominated != nominated || e.MissingRankCode != missing {
			t.Errorf("eligibility %d: %d of %d people without a rank code, want %d of %d", year,
				e.MissingRankCode, e.Nominated, missing, nominated)
		}
		if missing == 0 || missing == nominated {
			t.Errorf("eligibility %d: %d of %d people without a rank code; the test compares too little", year, missing, nominated)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("eligibility %d (-old query +report):\n%s", year, diff)
		}
		total += len(got)
	}
	if total < 100 {
		t.Errorf("only %d nominations fall short on the generated data; the test compares too little", total)
	}
	t.Logf("%d nominations fall short over %v", total, genYears)
}
