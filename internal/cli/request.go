package cli

import (
	"strings"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/output"
	"github.com/nomtrack/nomtrack/internal/sqlite"
	"github.com/spf13/cobra"
)

func newRequestCmd(app *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "request",
		Short: "Record and list ministries' requests for seats",
	}
	cmd.AddCommand(newRequestAddCmd(app), newRequestListCmd(app))
	return cmd
}

func requestBlock(r *nomtrack.Request) []kv {
	return []kv{{"id", r.ID}, {"ministry", r.Ministry}, {"area", r.Area}, {"year", r.Year}, {"seats", r.Seats}, {"note", r.Note}}
}

func newRequestAddCmd(app *App) *cobra.Command {
	var r nomtrack.Request
	var opts output.Options
	cmd := &cobra.Command{
		Use:     "add --ministry M --area A --year Y --seats N",
		Short:   "Record a ministry's request for seats in an area and year",
		Example: `  nomtrack request add --ministry MoD --area crisis-management --year 2026 --seats 12`,
		Args:    exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := requireFlags(cmd, "ministry", "area", "year", "seats"); err != nil {
				return err
			}
			if err := checkYearFlag(cmd, r.Year); err != nil {
				return err
			}
			if err := checkCount("seats", r.Seats); err != nil {
				return err
			}
			var err error
			if r.Ministry, err = ministryValue(app, r.Ministry); err != nil {
				return err
			}
			if r.Area, err = areaValue(app, r.Area); err != nil {
				return err
			}
			if r.Ministry == "" || r.Area == "" {
				return nomtrack.Errorf(nomtrack.EINVALID, "--ministry and --area must not be empty")
			}
			r.Note = strings.TrimSpace(r.Note)
			if err := checkRecord(r.Validate()); err != nil {
				return err
			}
			db, err := app.DB(cmd.Context())
			if err != nil {
				return err
			}
			if err := db.CreateRequest(cmd.Context(), &r); err != nil {
				return err
			}
			return app.Print(opts, output.TextFormats, blockDoc(&r, requestBlock(&r)))
		},
	}
	f := cmd.Flags()
	f.StringVar(&r.Ministry, "ministry", "", "the requesting ministry")
	f.StringVar(&r.Area, "area", "", "area of cooperation")
	f.IntVar(&r.Year, "year", 0, "the year the seats are for")
	f.IntVar(&r.Seats, "seats", 0, "seats requested")
	f.StringVar(&r.Note, "note", "", "a note on the request")
	addOutputFlags(cmd, &opts, output.TextFormats)
	return cmd
}

func newRequestListCmd(app *App) *cobra.Command {
	var f sqlite.RequestFilter
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "list [--year Y]",
		Short: "List requests by year, ministry and area",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkYearFlag(cmd, f.Year); err != nil {
				return err
			}
			if err := checkLimit(f.Limit); err != nil {
				return err
			}
			var err error
			if f.Ministry, err = ministryValue(app, f.Ministry); err != nil {
				return err
			}
			if f.Area, err = areaValue(app, f.Area); err != nil {
				return err
			}
			db, err := app.ReadDB(cmd.Context())
			if err != nil {
				return err
			}
			list, err := db.ListRequests(cmd.Context(), f)
			if err != nil {
				return err
			}
			t := &output.Tab{Columns: []string{"id", "year", "ministry", "area", "seats", "note"}}
			for _, r := range list {
				t.Rows = append(t.Rows, []any{r.ID, r.Year, r.Ministry, r.Area, r.Seats, r.Note})
			}
			return app.Print(opts, output.TextFormats, output.Doc{JSON: list, Tab: t})
		},
	}
	cmd.Flags().IntVar(&f.Year, "year", 0, "only requests for this year")
	cmd.Flags().StringVar(&f.Ministry, "ministry", "", "only requests of this ministry")
	cmd.Flags().StringVar(&f.Area, "area", "", "only requests in this area")
	cmd.Flags().IntVar(&f.Limit, "limit", 0, "print at most N requests")
	addOutputFlags(cmd, &opts, output.TextFormats)
	return cmd
}
