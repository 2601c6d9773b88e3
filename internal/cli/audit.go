package cli

import (
	"io"
	"time"

	"github.com/nomtrack/nomtrack/internal/output"
	"github.com/nomtrack/nomtrack/internal/sqlite"
	"github.com/spf13/cobra"
)

func newAuditCmd(app *App) *cobra.Command {
	var f sqlite.AuditFilter
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "audit [--since DATE] [--actor A] [--action X]",
		Short: "List every merge, removal, reopening, cancellation and change of role, capacity or request",
		Long: `List the audit trail, newest first: every person merge, every removal, offering
cancellation and reopening, change of role (promotion), of a year's capacity
and of a request. Each entry has when (UTC), who, the action (noun.verb), its
subject, the detail the store kept (the removed record, the values before and
after, the reason) and its source.

The table shortens each detail to its first characters; -o json, csv, tsv
and md give it whole. --action takes an action (offering.cancel) or a noun (offering: every action
on offerings).`,
		Example: `  nomtrack audit --since 2026-01-01
  nomtrack audit --action person.merge -o json
  nomtrack audit --action offering --actor alice`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkLimit(f.Limit); err != nil {
				return err
			}
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
				short.Rows = append(short.Rows, append(append([]any{}, row[:4]...), shorten(string(e.Detail), detailWidth), e.Source))
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
	cmd.Flags().IntVar(&f.Limit, "limit", 0, "print at most N entries")
	addOutputFlags(cmd, &opts, output.TextFormats)
	return cmd
}

// detailWidth is how much of an entry's detail the table shows.
const detailWidth = 60

// shorten cuts s to n characters, marking the cut with "…".
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
