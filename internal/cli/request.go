package cli

import (
	"fmt"
	"strings"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/output"
	"github.com/nomtrack/nomtrack/internal/store"
	"github.com/spf13/cobra"
)

func newRequestCmd(app *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "request",
		Short: "Record and list ministries' requests for seats",
	}
	cmd.AddCommand(newRequestAddCmd(app), newRequestListCmd(app), newRequestEditCmd(app), newRequestRemoveCmd(app))
	return cmd
}

func requestBlock(r *nomtrack.Request) []kv {
	return []kv{{"id", r.ID}, {"ministry", r.Ministry}, {"area", r.Area}, {"year", r.Year}, {"seats", r.Seats}, {"note", r.Note}}
}

func newRequestAddCmd(app *App) *cobra.Command {
	var r nomtrack.Request
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "add --ministry M --area A --year Y --seats N",
		Short: "Record a ministry's request for seats in an area and year",
		Long: `Record a ministry's request for seats in an area of cooperation and a year. A
ministry has one request per area and year: adding it again replaces its seats
and note (said on stderr, and kept in the audit trail), it does not add up.`,
		Example: `  nomtrack request add --ministry MoD --area crisis-management --year 2026 --seats 12`,
		Args:    exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := requireFlags(cmd, "ministry", "area", "year", "seats"); err != nil {
				return err
			}
			if err := checkYearFlag(cmd, r.Year); err != nil {
				return err
			}
			if err := nomtrack.CheckSeats("--seats", r.Seats); err != nil {
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
			var sayMinistry func()
			if r.Ministry, sayMinistry, err = recordMinistry(app, cmd.Context(), db, r.Ministry); err != nil {
				return err
			}
			replaced, err := db.AddRequest(cmd.Context(), &r)
			if err != nil {
				return err
			}
			sayMinistry()
			if replaced != nil {
				app.IO.Notice("nomtrack: request %s %s %d: %d → %d seats (replaced)", r.Ministry, r.Area, r.Year, replaced.Seats, r.Seats)
			}
			return app.Print(opts, output.TextFormats, blockDoc(struct {
				*nomtrack.Request
				Replaced *store.RequestReplaced `json:"replaced,omitempty"`
			}{&r, replaced}, requestBlock(&r)))
		},
	}
	f := cmd.Flags()
	f.StringVar(&r.Ministry, "ministry", "", "the requesting ministry")
	f.StringVar(&r.Area, "area", "", "area of cooperation")
	f.IntVar(&r.Year, "year", 0, "the year the seats are for")
	f.IntVar(&r.Seats, "seats", 0, "seats requested")
	f.StringVar(&r.Note, "note", "", "a note on the request")
	addOutputFlags(cmd, &opts, output.TextFormats)
	declareFields(&opts, nomtrack.Request{}, "replaced")
	return cmd
}

func newRequestListCmd(app *App) *cobra.Command {
	var f store.RequestFilter
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "list [--year Y]",
		Short: "List requests by year, ministry and area",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkYearFlag(cmd, f.Year); err != nil {
				return err
			}
			f.Limit = opts.QueryLimit()
			var err error
			if f.Ministry, err = ministryFilter(app, cmd, f.Ministry); err != nil {
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
	addListFlags(cmd, &opts)
	addOutputFlags(cmd, &opts, output.TextFormats)
	return cmd
}

func newRequestEditCmd(app *App) *cobra.Command {
	var r nomtrack.Request
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "edit ID [--seats N] [--note N] [--ministry M] [--area A] [--year Y]",
		Short: "Change a request's fields (only the flags given)",
		Long: `Change a request's fields (only the flags given). The values before and after
are kept in the audit trail.`,
		Example: `  nomtrack request edit 3 --seats 15 --note "revised by letter of 2 March"`,
		Args:    exactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID("request", args[0])
			if err != nil {
				return err
			}
			changed := cmd.Flags().Changed
			if changed("year") {
				if err := checkYearFlag(cmd, r.Year); err != nil {
					return err
				}
			}
			if changed("seats") {
				if err := checkCount("seats", r.Seats); err != nil {
					return err
				}
			}
			db, err := app.DB(cmd.Context())
			if err != nil {
				return err
			}
			cur, err := db.FindRequest(cmd.Context(), id)
			if err != nil {
				return err
			}
			sayMinistry := func() {}
			if changed("ministry") {
				if cur.Ministry, err = ministryValue(app, r.Ministry); err != nil {
					return err
				}
				if cur.Ministry, sayMinistry, err = recordMinistry(app, cmd.Context(), db, cur.Ministry); err != nil {
					return err
				}
			}
			if changed("area") {
				if cur.Area, err = areaValue(app, r.Area); err != nil {
					return err
				}
			}
			if cur.Ministry == "" || cur.Area == "" {
				return nomtrack.Errorf(nomtrack.EINVALID, "--ministry and --area must not be empty")
			}
			if changed("year") {
				cur.Year = r.Year
			}
			if changed("seats") {
				cur.Seats = r.Seats
			}
			if changed("note") {
				cur.Note = strings.TrimSpace(r.Note)
			}
			if err := checkRecord(cur.Validate()); err != nil {
				return err
			}
			before, err := db.UpdateRequest(cmd.Context(), cur)
			if err != nil {
				return err
			}
			sayMinistry()
			if *before == *cur {
				app.IO.Notice("nomtrack: request %d unchanged", cur.ID)
			} else if before.Seats != cur.Seats {
				app.IO.Notice("nomtrack: request %d: %d → %d seats", cur.ID, before.Seats, cur.Seats)
			}
			return app.Print(opts, output.TextFormats, blockDoc(cur, requestBlock(cur)))
		},
	}
	f := cmd.Flags()
	f.StringVar(&r.Ministry, "ministry", "", "the requesting ministry")
	f.StringVar(&r.Area, "area", "", "area of cooperation")
	f.IntVar(&r.Year, "year", 0, "the year the seats are for")
	f.IntVar(&r.Seats, "seats", 0, "seats requested")
	f.StringVar(&r.Note, "note", "", "a note on the request")
	addOutputFlags(cmd, &opts, output.TextFormats)
	declareFields(&opts, nomtrack.Request{})
	return cmd
}

func newRequestRemoveCmd(app *App) *cobra.Command {
	var reason string
	var confirm confirmOptions
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "remove ID [--reason R]",
		Short: "Remove a request entered by mistake",
		Long: `Remove a request entered by mistake. The audit trail keeps its fields and the
reason. On a terminal it asks first (--yes does not ask; without a terminal
--yes is required); --dry-run says what it would do and writes nothing.`,
		Example: `  nomtrack request remove 3 --reason "the ministry withdrew the letter" --yes`,
		Args:    exactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID("request", args[0])
			if err != nil {
				return err
			}
			var r *nomtrack.Request
			dry, err := confirm.apply(app, cmd, func(db *store.DB) (err error) {
				r, err = db.RemoveRequest(cmd.Context(), id, strings.TrimSpace(reason))
				return err
			}, func() string {
				return fmt.Sprintf("Remove request %d (%s %s %d, %d seat%s)?", r.ID, r.Ministry, r.Area, r.Year, r.Seats, plural(r.Seats))
			})
			if err != nil {
				return err
			}
			return printRemoved(app, opts, dry, fmt.Sprintf("request %d", r.ID), r, requestBlock(r))
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why it is removed (recorded in the audit trail)")
	confirm.flags(cmd)
	addOutputFlags(cmd, &opts, output.TextFormats)
	declareFields(&opts, nomtrack.Request{}, "dry_run")
	return cmd
}
