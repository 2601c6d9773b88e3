package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// pgPlanNode is one node of PostgreSQL's EXPLAIN (FORMAT JSON).
type pgPlanNode struct {
	NodeType  string       `json:"Node Type"`
	Relation  string       `json:"Relation Name"`
	Alias     string       `json:"Alias"`
	IndexName string       `json:"Index Name"`
	IndexCond string       `json:"Index Cond"`
	Plans     []pgPlanNode `json:"Plans"`
}

// pgPlan is PostgreSQL's plan of query, one node a line, indented by
// depth: "Index Scan person_dupe_latin on person person (cond)", after the
// SET LOCAL settings (such as enable_sort = off, which leaves a Sort in
// the plan only where no index gives the order). It is the PostgreSQL
// counterpart of the SQLite tests' EXPLAIN QUERY PLAN.
func pgPlan(tb testing.TB, db *DB, settings []string, query string, args ...any) string {
	tb.Helper()
	var doc string
	ctx := context.Background()
	err := db.View(ctx, func(q Querier) error {
		for _, set := range settings {
			if _, err := q.ExecContext(ctx, `SET LOCAL `+set); err != nil {
				return err
			}
		}
		return q.QueryRowContext(ctx, `EXPLAIN (FORMAT JSON) `+query, args...).Scan(&doc)
	})
	if err != nil {
		tb.Fatal(err)
	}
	var plans []struct {
		Plan pgPlanNode `json:"Plan"`
	}
	if err := json.Unmarshal([]byte(doc), &plans); err != nil || len(plans) != 1 {
		tb.Fatalf("EXPLAIN (FORMAT JSON): %v: %s", err, doc)
	}
	var b strings.Builder
	var walk func(n pgPlanNode, depth int)
	walk = func(n pgPlanNode, depth int) {
		fmt.Fprintf(&b, "%s%s", strings.Repeat("  ", depth), n.NodeType)
		if n.IndexName != "" {
			fmt.Fprintf(&b, " %s", n.IndexName)
		}
		if n.Relation != "" {
			fmt.Fprintf(&b, " on %s %s", n.Relation, n.Alias)
		}
		if n.IndexCond != "" {
			fmt.Fprintf(&b, " (%s)", n.IndexCond)
		}
		b.WriteByte('\n')
		for _, c := range n.Plans {
			walk(c, depth+1)
		}
	}
	walk(plans[0].Plan, 0)
	return b.String()
}
