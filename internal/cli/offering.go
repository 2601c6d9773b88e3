package cli

import (
	"io"
	"strings"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/output"
	"github.com/nomtrack/nomtrack/internal/sqlite"
	"github.com/spf13/cobra"
)

func newOfferingCmd(app *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "offering",
		Short: "Manage offerings: runs of a course, referred to as CODE@YYYY-MM-DD",
	}
	cmd.AddCommand(newOfferingAddCmd(app), newOfferingListCmd(app), newOfferingShowCmd(app), newOfferingEditCmd(app), newOfferingCancelCmd(app),
		newOfferingCloseCmd(app))
	return cmd
}

// offeringOptions are the fields of offering add and offering edit.
type offeringOptions struct {
	start, end, location, deadline string
	seats                          int
	out                            output.Options
}

func (o *offeringOptions) flags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&o.start, "start", "", "start date, YYYY-MM-DD")
	f.StringVar(&o.end, "end", "", "end date, YYYY-MM-DD")
	f.StringVar(&o.location, "location", "", "where it runs")
	f.IntVar(&o.seats, "seats", 0, "seats allotted to the partner (leave out while not announced)")
	f.StringVar(&o.deadline, "deadline", "", "nomination deadline, YYYY-MM-DD")
	addOutputFlags(cmd, &o.out, output.TextFormats)
}

// apply validates the flags that were given and writes them into of.
func (o *offeringOptions) apply(app *App, cmd *cobra.Command, of *nomtrack.Offering) error {
	changed := cmd.Flags().Changed
	var err error
	if changed("start") {
		if of.Start, err = dateFlag(app, "start", o.start); err != nil {
			return err
		}
		if of.Start == "" {
			return nomtrack.Errorf(nomtrack.EINVALID, "--start is empty; give the start date as YYYY-MM-DD")
		}
	}
	if changed("end") {
		if of.End, err = dateFlag(app, "end", o.end); err != nil {
			return err
		}
	}
	if changed("deadline") {
		if of.Deadline, err = dateFlag(app, "deadline", o.deadline); err != nil {
			return err
		}
	}
	if changed("location") {
		of.Location = strings.TrimSpace(o.location)
	}
	if changed("seats") {
		if err := checkCount("seats", o.seats); err != nil {
			return err
		}
		n := o.seats
		of.Seats = &n
	}
	return checkRecord(of.Validate())
}

func newOfferingAddCmd(app *App) *cobra.Command {
	var o offeringOptions
	cmd := &cobra.Command{
		Use:     "add CODE --start DATE",
		Short:   "Add an offering of a course",
		Example: `  nomtrack offering add M5-106 --start 2026-03-02 --end 2026-03-06 --location Oberammergau --seats 2 --deadline 2026-01-15`,
		Args:    exactArgs("CODE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := requireFlags(cmd, "start"); err != nil {
				return err
			}
			of := &nomtrack.Offering{Course: args[0]}
			if err := o.apply(app, cmd, of); err != nil {
				return err
			}
			db, err := app.DB(cmd.Context())
			if err != nil {
				return err
			}
			if err := db.CreateOffering(cmd.Context(), of); err != nil {
				return err
			}
			return app.Print(o.out, output.TextFormats, blockDoc(of, offeringBlock(of)))
		},
	}
	o.flags(cmd)
	return cmd
}

func newOfferingEditCmd(app *App) *cobra.Command {
	var o offeringOptions
	cmd := &cobra.Command{
		Use:     "edit REF [flags]",
		Short:   "Change an offering's dates, location, seats or deadline (only the flags given)",
		Example: `  nomtrack offering edit M5-106@2026-03-02 --seats 3`,
		Args:    exactArgs("REF"),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := app.DB(cmd.Context())
			if err != nil {
				return err
			}
			of, err := db.FindOffering(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if err := o.apply(app, cmd, of); err != nil {
				return err
			}
			if err := db.UpdateOffering(cmd.Context(), of); err != nil {
				return err
			}
			return app.Print(o.out, output.TextFormats, blockDoc(of, offeringBlock(of)))
		},
	}
	o.flags(cmd)
	return cmd
}

func newOfferingListCmd(app *App) *cobra.Command {
	var f sqlite.OfferingFilter
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "list [--year Y] [--course C] [--area A]",
		Short: "List offerings by start date",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkYearFlag(cmd, f.Year); err != nil {
				return err
			}
			if err := checkLimit(f.Limit); err != nil {
				return err
			}
			var err error
			if f.Area, err = areaValue(app, f.Area); err != nil {
				return err
			}
			db, err := app.ReadDB(cmd.Context())
			if err != nil {
				return err
			}
			list, err := db.ListOfferings(cmd.Context(), f)
			if err != nil {
				return err
			}
			return app.Print(opts, output.TextFormats, output.Doc{JSON: list, Tab: offeringTab(list)})
		},
	}
	cmd.Flags().IntVar(&f.Year, "year", 0, "only offerings starting in this year")
	cmd.Flags().StringVar(&f.Course, "course", "", "only offerings of this course")
	cmd.Flags().StringVar(&f.Area, "area", "", "only offerings of courses in this area")
	cmd.Flags().IntVar(&f.Limit, "limit", 0, "print at most N offerings")
	addOutputFlags(cmd, &opts, output.TextFormats)
	return cmd
}

// offeringView is `offering show -o json`: the offering, its committed
// principals and its roster.
type offeringView struct {
	*nomtrack.Offering
	Committed int                    `json:"committed"`
	Roster    []*nomtrack.Nomination `json:"roster"`
}

func newOfferingShowCmd(app *App) *cobra.Command {
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "show REF",
		Short: "Show an offering with its roster",
		Args:  exactArgs("REF"),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := app.ReadDB(cmd.Context())
			if err != nil {
				return err
			}
			of, err := db.FindOffering(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			roster, err := db.ListNominations(cmd.Context(), sqlite.NominationFilter{Offering: of.Ref})
			if err != nil {
				return err
			}
			committed := 0
			for _, n := range roster {
				if n.Role == nomtrack.RolePrincipal && nomtrack.Committed(n.Status) {
					committed++
				}
			}
			block := offeringBlock(of)
			block = append(block, kv{"committed", committed})
			d := blockDoc(offeringView{of, committed, roster}, block)
			d.Text = func(w io.Writer, _ bool) error {
				if err := writeBlock(w, block); err != nil {
					return err
				}
				return writeSection(w, "roster", narrow(rosterTab(roster), optionalNominationColumns))
			}
			return app.Print(opts, output.TextFormats, d)
		},
	}
	addOutputFlags(cmd, &opts, output.TextFormats)
	return cmd
}

func newOfferingCancelCmd(app *App) *cobra.Command {
	var reason string
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "cancel REF --reason R",
		Short: "Cancel an offering and every open nomination on it",
		Long: `Cancel an offering: it is marked cancelled with the reason, and every open
nomination on it (nominated, approved, confirmed) moves to cancelled with an
event carrying the reason, all in one transaction.`,
		Args: exactArgs("REF"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := requireFlags(cmd, "reason"); err != nil {
				return err
			}
			if strings.TrimSpace(reason) == "" {
				return nomtrack.Errorf(nomtrack.EINVALID, "--reason is empty; say why the offering is cancelled")
			}
			db, err := app.DB(cmd.Context())
			if err != nil {
				return err
			}
			of, n, err := db.CancelOffering(cmd.Context(), args[0], strings.TrimSpace(reason))
			if err != nil {
				return err
			}
			app.IO.Notice("nomtrack: cancelled offering %s and %d open nomination%s", of.Ref, n, plural(n))
			d := blockDoc(struct {
				*nomtrack.Offering
				NominationsCancelled int `json:"nominations_cancelled"`
			}{of, n}, offeringBlock(of))
			return app.Print(opts, output.TextFormats, d)
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why the offering is cancelled (recorded in each nomination's history)")
	addOutputFlags(cmd, &opts, output.TextFormats)
	return cmd
}

func newOfferingCloseCmd(app *App) *cobra.Command {
	var reason string
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "close REF",
		Short: "Release the alternates still waiting once the course has started",
		Long: `Close an offering once its course has started: every alternate still waiting
(nominated) moves to released, with an event carrying the reason ("offering
closed" unless --reason), in one transaction. Before the start it is refused
(exit 3): an alternate may still be needed. Closing twice releases nobody the
second time.`,
		Example: `  nomtrack offering close M5-106@2026-03-02`,
		Args:    exactArgs("REF"),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := app.DB(cmd.Context())
			if err != nil {
				return err
			}
			of, released, err := db.CloseOffering(cmd.Context(), args[0], strings.TrimSpace(reason))
			if err != nil {
				return err
			}
			app.IO.Notice("nomtrack: closed offering %s; released %d alternate%s", of.Ref, len(released), plural(len(released)))
			d := blockDoc(struct {
				*nomtrack.Offering
				Released []int64 `json:"released"`
			}{of, released}, append(offeringBlock(of), kv{"released", len(released)}))
			return app.Print(opts, output.TextFormats, d)
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why (recorded in each released nomination's history)")
	addOutputFlags(cmd, &opts, output.TextFormats)
	return cmd
}
