package store_test

import (
	"context"
	"fmt"

	"github.com/nomtrack/nomtrack/internal/figures"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/store"
)

// oracleMinistry is the ministry a nomination counts under in the oracles:
// the one it was made under.
const oracleMinistry = "CASE WHEN n.ministry = '' THEN p.ministry ELSE n.ministry END"

// oracleFunding is a nomination's funding source as stored (empty when unknown).
const oracleFunding = "n.funding"

// oracleFrom is the year's nominations with everything the figures group
// by, for the oracle queries below: one row per nomination.
const oracleFrom = `(SELECT n.person_id AS person, n.status AS status, ` + oracleMinistry + ` AS ministry,
		` + oracleFunding + ` AS funding, p.gender AS gender, c.code AS code, c.title AS title, c.area AS area,
		c.provider AS provider, substr(o.start, 1, 7) AS month, c.fee AS fee
	FROM offering o JOIN nomination n ON n.offering_id = o.id JOIN person p ON p.id = n.person_id
	JOIN course c ON c.id = o.course_id
	WHERE o.start >= ? AND o.start < ?) AS x`

// oracleYearFigures computes by SQL alone, independently of the Go
// grouping, what the year report adds to the counts: participants per
// group, women, repeat participants and cost. y's groups must be filled.
func oracleYearFigures(q store.Querier, year int, y *figures.Year) error {
	ctx := context.Background()
	lo, hi := fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-01-01", year+1)
	participated := "status IN (" + oracleStatusList(nomtrack.Participated) + ")"
	committed := "status IN (" + oracleStatusList(nomtrack.Committed) + ")"

	// Participants per group: count(DISTINCT person) over participations.
	for _, b := range []*figures.Breakdown{&y.ByMinistry, &y.ByArea, &y.ByCourse, &y.ByProvider, &y.ByMonth, &y.ByGender} {
		key, label := b.Dimension, "''"
		if b.Dimension == figures.DimCourse {
			key, label = "code", "title"
		}
		distinct := map[[2]string]int{}
		rows, err := q.QueryContext(ctx, `SELECT `+key+`, `+label+`, count(DISTINCT person) FROM `+oracleFrom+`
			WHERE `+participated+` GROUP BY 1, 2`, lo, hi)
		if err != nil {
			return err
		}
		for rows.Next() {
			var k, l string
			var n int
			if err := rows.Scan(&k, &l, &n); err != nil {
				rows.Close()
				return err
			}
			distinct[[2]string{k, l}] = n
		}
		rows.Close()
		for i := range b.Groups {
			b.Groups[i].Participants = distinct[[2]string{b.Groups[i].Key, b.Groups[i].Label}]
		}
	}

	// Women and repeat participants.
	if err := q.QueryRowContext(ctx, `SELECT count(DISTINCT person) FROM `+oracleFrom+`
		WHERE `+participated+` AND gender = 'F'`, lo, hi).Scan(&y.Women.Participants); err != nil {
		return err
	}
	y.Women.Share = figures.Ratio(y.Women.Participants, y.Participants)
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT person FROM `+oracleFrom+`
		WHERE `+participated+` GROUP BY person HAVING count(*) >= 2) AS repeats`, lo, hi).Scan(&y.RepeatParticipants); err != nil {
		return err
	}
	womenBy := map[string]int{}
	rows, err := q.QueryContext(ctx, `SELECT ministry, count(DISTINCT person) FROM `+oracleFrom+`
		WHERE `+participated+` AND gender = 'F' GROUP BY ministry`, lo, hi)
	if err != nil {
		return err
	}
	for rows.Next() {
		var m string
		var n int
		if err := rows.Scan(&m, &n); err != nil {
			rows.Close()
			return err
		}
		womenBy[m] = n
	}
	rows.Close()
	y.Women.ByMinistry = []figures.WomenRow{}
	for _, g := range y.ByMinistry.Groups {
		if g.Participants > 0 {
			y.Women.ByMinistry = append(y.Women.ByMinistry, figures.WomenRow{Ministry: g.Key, Participants: womenBy[g.Key],
				AllParticipants: g.Participants, Share: figures.Ratio(womenBy[g.Key], g.Participants)})
		}
	}

	// Cost: fees in cents, unknown fees (NULL) counted apart.
	fees := oracleFees
	y.Cost.Currency = figures.Currency
	if err := q.QueryRowContext(ctx, `SELECT `+fees(committed)+`, `+fees(participated)+` FROM `+oracleFrom, lo, hi).Scan(
		&y.Cost.Committed.Cents, &y.Cost.Committed.Nominations, &y.Cost.Committed.UnknownFee,
		&y.Cost.Participated.Cents, &y.Cost.Participated.Nominations, &y.Cost.Participated.UnknownFee); err != nil {
		return err
	}
	if y.Cost.ByMinistry, err = oracleCostRows(q, year, figures.DimMinistry, "ministry"); err != nil {
		return err
	}
	byFunding, err := oracleCostRows(q, year, figures.DimFunding, "CASE WHEN funding = '' THEN 'unknown' ELSE funding END")
	if err != nil {
		return err
	}
	// Every source is listed, zeros included.
	y.Cost.ByFunding = figures.CostBreakdown{Dimension: "funding", Rows: []figures.CostRow{}}
	for _, f := range figures.FundingSources {
		r := figures.CostRow{Key: f}
		for _, got := range byFunding.Rows {
			if got.Key == f {
				r = got
			}
		}
		y.Cost.ByFunding.Rows = append(y.Cost.ByFunding.Rows, r)
	}
	return nil
}

// oracleFees sums the fees of the rows of oracleFrom meeting cond: cents
// of the known fees, nominations, nominations of unknown fee.
func oracleFees(cond string) string {
	return fmt.Sprintf(`coalesce(sum(CASE WHEN %[1]s AND fee IS NOT NULL THEN CAST(round(fee * 100) AS INTEGER) END), 0),
		count(CASE WHEN %[1]s THEN 1 END), count(CASE WHEN %[1]s AND fee IS NULL THEN 1 END)`, cond)
}

// oracleCostRows is the year's fees grouped by expr (over oracleFrom's
// columns) as a cost breakdown of dim, largest committed amount first:
// the committed nominations and, among them, the participated.
func oracleCostRows(q store.Querier, year int, dim, expr string) (figures.CostBreakdown, error) {
	ctx := context.Background()
	lo, hi := fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-01-01", year+1)
	participated := "status IN (" + oracleStatusList(nomtrack.Participated) + ")"
	committed := "status IN (" + oracleStatusList(nomtrack.Committed) + ")"
	b := figures.CostBreakdown{Dimension: dim, Rows: []figures.CostRow{}}
	rows, err := q.QueryContext(ctx, `SELECT `+expr+` AS k, `+oracleFees(committed)+`, `+oracleFees(participated)+`,
		coalesce(sum(CASE WHEN fee > 0 THEN CAST(round(fee * 100) AS INTEGER) END), 0) AS committed_cents
		FROM `+oracleFrom+` WHERE `+committed+` GROUP BY 1 ORDER BY committed_cents DESC, 1`, lo, hi)
	if err != nil {
		return b, err
	}
	defer rows.Close()
	for rows.Next() {
		var r figures.CostRow
		var ignore int64
		if err := rows.Scan(&r.Key, &r.Committed.Cents, &r.Committed.Nominations, &r.Committed.UnknownFee,
			&r.Participated.Cents, &r.Participated.Nominations, &r.Participated.UnknownFee, &ignore); err != nil {
			return b, err
		}
		b.Rows = append(b.Rows, r)
	}
	return b, rows.Err()
}
