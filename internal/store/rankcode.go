package store

import (
	"context"
	"fmt"
)

// rankCodeCoverageSQL counts the distinct people nominated in a year and
// those of them without a rank code.
const rankCodeCoverageSQL = `
SELECT count(*), coalesce(sum(CASE WHEN p.rank_code = '' THEN 1 ELSE 0 END), 0)
FROM person p INDEXED BY person_report
WHERE p.id IN (SELECT n.person_id FROM nomination n JOIN offering o ON o.id = n.offering_id
	WHERE o.start >= ? AND o.start < ?)`

// RankCodeCoverage counts the distinct people nominated to offerings that
// start in year (nominated) and those of them without a NATO rank code
// (missing), for whom no rank prerequisite can be checked. `report
// eligibility` says it, so that a sheet whose rank titles gave no code is
// noticed rather than passing unseen as "rank unknown" gaps. The rank
// codes are read from person_report (migration 0020), not from each
// person's row.
func (db *DB) RankCodeCoverage(ctx context.Context, year int) (missing, nominated int, err error) {
	err = db.View(ctx, func(q Querier) error {
		lo, hi := yearBounds(year)
		err := q.QueryRowContext(ctx, rankCodeCoverageSQL, lo, hi).Scan(&nominated, &missing)
		if err != nil {
			return fmt.Errorf("rank code coverage: %w", err)
		}
		return nil
	})
	return missing, nominated, err
}
