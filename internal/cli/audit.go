package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/nomtrack/nomtrack/internal/output"
	"github.com/nomtrack/nomtrack/internal/store"
	"github.com/spf13/cobra"
)

func newAuditCmd(app *App) *cobra.Command {
	var f store.AuditFilter
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "audit [--since DATE] [--actor A] [--action X]",
		Short: "List every merge, removal, reopening, cancellation and change of role, capacity or request",
		Long: `List the audit trail, newest first: every person merge, every removal, offering
cancellation and reopening, change of role (promotion), of a year's capacity
and of a request. Each entry has when (UTC), who, the action (noun.verb), its
subject, the detail the store kept (the removed record, the values before and
after, the reason) and its source.

The table sums each detail up in a line (the reason first, the values before
and after, the ids or references of what was removed or moved); -o json, csv,
tsv and md give it whole. --action takes an action (offering.cancel) or a noun (offering: every action
on offerings).`,
		Example: `  nomtrack audit --since 2026-01-01
  nomtrack audit --action person.merge -o json
  nomtrack audit --action offering --actor alice`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			f.Limit = opts.QueryLimit()
			var err error
			if f.Since, err = dateFlag(app, "since", f.Since); err != nil {
				return err
			}
			db, err := app.ReadDB(cmd.Context())
			if err != nil {
				return err
			}
			list, err := db.ListAudit(cmd.Context(), f)
			if err != nil {
				return err
			}
			t := &output.Tab{Columns: []string{"at", "actor", "action", "subject", "detail", "source"}}
			short := &output.Tab{Columns: t.Columns}
			for _, e := range list {
				row := []any{e.At.Format(time.RFC3339), e.Actor, e.Action, e.Subject, string(e.Detail), e.Source}
				t.Rows = append(t.Rows, row)
				short.Rows = append(short.Rows, append(append([]any{}, row[:4]...), shorten(summarise(e.Detail), detailWidth), e.Source))
			}
			d := output.Doc{JSON: list, Tab: t}
			d.Text = func(w io.Writer, color bool) error {
				return output.Write(&output.Streams{Out: w, Color: color}, output.Options{Format: output.Table}, []string{output.Table}, output.Doc{Tab: short})
			}
			return app.Print(opts, output.TextFormats, d)
		},
	}
	cmd.Flags().StringVar(&f.Since, "since", "", "only entries on or after this day (YYYY-MM-DD)")
	cmd.Flags().StringVar(&f.Actor, "actor", "", "only entries by this actor")
	cmd.Flags().StringVar(&f.Action, "action", "", "only this action (offering.cancel) or noun (offering)")
	addOutputFlags(cmd, &opts, output.TextFormats)
	addListFlags(cmd, &opts)
	return cmd
}

// detailWidth is how much of an entry's summed-up detail the table shows.
const detailWidth = 80

// summarise sums an audit detail up in one line for the table: the reason
// first, then each other key in order; a change from → to where the detail
// holds one (a field, or from/to records: only what differs); a record by
// its reference, code or id; a list by its items' ids.
func summarise(detail json.RawMessage) string {
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(detail))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil || m == nil {
		return string(detail)
	}
	var parts []string
	if r, ok := m["reason"].(string); ok && r != "" {
		parts = append(parts, "reason: "+r)
	}
	if f, ok := m["field"].(string); ok {
		parts = append(parts, fmt.Sprintf("%s: %s → %s", f, summaryValue(m["from"]), summaryValue(m["to"])))
		delete(m, "from")
		delete(m, "to")
	} else if from, ok := m["from"].(map[string]any); ok {
		if to, ok := m["to"].(map[string]any); ok {
			for _, k := range sortedKeys(to) {
				if a, b := summaryValue(from[k]), summaryValue(to[k]); a != b {
					parts = append(parts, fmt.Sprintf("%s: %s → %s", k, a, b))
				}
			}
			delete(m, "from")
			delete(m, "to")
		}
	}
	if _, ok := m["to"]; ok {
		parts = append(parts, fmt.Sprintf("%s → %s", summaryValue(m["from"]), summaryValue(m["to"])))
		delete(m, "from")
		delete(m, "to")
	}
	for _, k := range sortedKeys(m) {
		if k == "reason" || k == "field" {
			continue
		}
		if v := summaryValue(m[k]); v != "" {
			parts = append(parts, k+": "+v)
		}
	}
	return strings.Join(parts, "; ")
}

// summaryValue is one value of a detail in a few characters.
func summaryValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "none"
	case string:
		if x == "" {
			return `""`
		}
		return x
	case map[string]any:
		for _, k := range []string{"ref", "code", "id"} {
			if id, ok := x[k]; ok && summaryValue(id) != `""` {
				return summaryValue(id)
			}
		}
		return fmt.Sprintf("%d fields", len(x))
	case []any:
		items := make([]string, len(x))
		for i, it := range x {
			items[i] = summaryValue(it)
			if o, ok := it.(map[string]any); ok {
				if id, ok := o["id"]; ok {
					items[i] = summaryValue(id)
				} else if val, ok := o["value"]; ok {
					items[i] = summaryValue(val)
				}
			}
		}
		return strings.Join(items, ",")
	}
	return fmt.Sprint(v)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// shorten cuts s to n characters, marking the cut with "…".
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
