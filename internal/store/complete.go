package store

import "context"

// Kinds of value Complete offers, for shell completion.
const (
	CompleteCourse     = "course"
	CompleteOffering   = "offering"
	CompletePerson     = "person"
	CompleteNomination = "nomination"
	CompleteMinistry   = "ministry"
	CompleteArea       = "area"
)

// completeQueries find at most ? values starting with a prefix. Each stops
// at its limit, and the common ones (codes, refs, ids) read an index in
// order, so completion stays quick on a large database.
var completeQueries = map[string][]string{
	CompleteCourse: {`SELECT code FROM course WHERE code LIKE ? ESCAPE '\' ORDER BY code LIMIT ?`},
	CompleteOffering: {`SELECT c.code || '@' || o.start FROM offering o JOIN course c ON c.id = o.course_id
		WHERE c.code || '@' || o.start LIKE ? ESCAPE '\' ORDER BY o.start DESC, c.code LIMIT ?`},
	CompletePerson: {
		`SELECT ref FROM person WHERE ref LIKE ? ESCAPE '\' ORDER BY ref LIMIT ?`,
		`SELECT name FROM person WHERE name LIKE ? ESCAPE '\' LIMIT ?`,
	},
	CompleteNomination: {`SELECT CAST(id AS TEXT) FROM nomination WHERE CAST(id AS TEXT) LIKE ? ESCAPE '\' ORDER BY id DESC LIMIT ?`},
	CompleteMinistry:   {`SELECT DISTINCT ministry FROM person WHERE ministry LIKE ? ESCAPE '\' ORDER BY ministry LIMIT ?`},
	CompleteArea:       {`SELECT DISTINCT area FROM course WHERE area LIKE ? ESCAPE '\' ORDER BY area LIMIT ?`},
}

// Complete returns up to limit values of kind (a Complete* constant) that
// start with prefix, ignoring case: what a shell offers after a TAB.
func (db *DB) Complete(ctx context.Context, kind, prefix string, limit int) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	pattern := escapeLike(prefix) + "%"
	err := db.View(ctx, func(q Querier) error {
		for _, query := range completeQueries[kind] {
			rows, err := q.QueryContext(ctx, query, pattern, limit-len(out))
			if err != nil {
				return err
			}
			for rows.Next() {
				var v string
				if err := rows.Scan(&v); err != nil {
					rows.Close()
					return err
				}
				if v != "" && !seen[v] {
					seen[v] = true
					out = append(out, v)
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			if len(out) >= limit {
				break
			}
		}
		return nil
	})
	return out, err
}
