package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/output"
	"github.com/nomtrack/nomtrack/internal/store"
	"github.com/spf13/cobra"
)

func newOfferingCmd(app *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "offering",
		Short: "Manage offerings: runs of a course, referred to as CODE@YYYY-MM-DD",
	}
	cmd.AddCommand(newOfferingAddCmd(app), newOfferingListCmd(app), newOfferingShowCmd(app), newOfferingEditCmd(app), newOfferingCancelCmd(app),
		newOfferingCloseCmd(app), newOfferingReopenCmd(app), newOfferingRemoveCmd(app))
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
	declareFields(&o.out, nomtrack.Offering{})
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
		if err := nomtrack.CheckSeats("--seats", o.seats); err != nil {
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
	var f store.OfferingFilter
	var opts output.Options
	var statuses []string
	var from, to string
	cmd := &cobra.Command{
		Use:   "list [--year Y] [--course C] [--area A] [--status S] [--from DATE] [--to DATE]",
		Short: "List offerings, newest start first",
		Long: `List offerings, newest start first (--reverse: oldest first).

--status keeps offerings in any of the statuses given (open, cancelled;
repeat the flag or give a comma list); --from and --to keep offerings
starting on or between those dates (YYYY-MM-DD, both inclusive).`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkYearFlag(cmd, f.Year); err != nil {
				return err
			}
			var err error
			if f.From, err = dateFlag(app, "from", from); err != nil {
				return err
			}
			if f.To, err = dateFlag(app, "to", to); err != nil {
				return err
			}
			if f.From != "" && f.To != "" && f.From > f.To {
				return nomtrack.Errorf(nomtrack.EUSAGE, "--from %s is after --to %s; give the earlier date first", f.From, f.To)
			}
			if f.Status, err = offeringStatusFilter(statuses); err != nil {
				return err
			}
			f.Limit = opts.QueryLimit()
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
	cmd.Flags().StringArrayVar(&statuses, "status", nil, "only offerings in this status (open, cancelled; repeat or comma-separate for any of several)")
	cmd.Flags().StringVar(&from, "from", "", "only offerings starting on or after this date (YYYY-MM-DD)")
	cmd.Flags().StringVar(&to, "to", "", "only offerings starting on or before this date (YYYY-MM-DD)")
	cmd.RegisterFlagCompletionFunc("status", cobra.FixedCompletions(nomtrack.OfferingStatuses, cobra.ShellCompDirectiveNoFileComp))
	addListFlags(cmd, &opts)
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
			roster, err := db.ListNominations(cmd.Context(), store.NominationFilter{Offering: of.Ref})
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
				return writeSection(w, "roster", rosterTab(roster))
			}
			return app.Print(opts, output.TextFormats, d)
		},
	}
	addOutputFlags(cmd, &opts, output.TextFormats)
	return cmd
}

// offeringChange is what offering cancel and reopen print as JSON: the
// offering and the nominations moved.
type offeringChange struct {
	*nomtrack.Offering
	Moved  []store.StatusMove `json:"nominations"`
	DryRun bool               `json:"dry_run,omitempty"`
}

// offeringChangeDoc shows the offering and, under it, the nominations moved.
func offeringChangeDoc(v offeringChange, title string) output.Doc {
	block := offeringBlock(v.Offering)
	d := blockDoc(v, block)
	d.Text = func(w io.Writer, _ bool) error {
		if err := writeBlock(w, block); err != nil {
			return err
		}
		return writeSection(w, title, movesTab(v.Moved))
	}
	return d
}

func movesTab(moves []store.StatusMove) *output.Tab {
	t := &output.Tab{Columns: []string{"id", "from", "to"}}
	for _, m := range moves {
		t.Rows = append(t.Rows, []any{m.ID, m.From, m.To})
	}
	return t
}

// moveIDs lists the nominations' ids for a sentence: "1, 2, 4".
func moveIDs(moves []store.StatusMove) string {
	ids := make([]string, len(moves))
	for i, m := range moves {
		ids[i] = output.Cell(m.ID)
	}
	return strings.Join(ids, ", ")
}

func newOfferingCancelCmd(app *App) *cobra.Command {
	var reason string
	var confirm confirmOptions
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "cancel REF --reason R",
		Short: "Cancel an offering and every open nomination on it",
		Long: `Cancel an offering: it is marked cancelled with the reason, and every open
nomination on it (nominated, approved, confirmed) moves to cancelled with an
event carrying the reason, all in one transaction. --dry-run lists the
nominations it would cancel and writes nothing; on a terminal it asks first
(--yes does not ask; without a terminal --yes is required). A cancellation
is undone with 'nomtrack offering reopen REF'.`,
		Example: `  nomtrack offering cancel M5-106@2026-03-02 --reason "school closed" --dry-run
  nomtrack offering cancel M5-106@2026-03-02 --reason "school closed" --yes`,
		Args: exactArgs("REF"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := requireFlags(cmd, "reason"); err != nil {
				return err
			}
			if strings.TrimSpace(reason) == "" {
				return nomtrack.Errorf(nomtrack.EINVALID, "--reason is empty; say why the offering is cancelled")
			}
			var v offeringChange
			dry, err := confirm.apply(app, cmd, func(db *store.DB) (err error) {
				v.Offering, v.Moved, err = db.CancelOffering(cmd.Context(), args[0], strings.TrimSpace(reason))
				return err
			}, func() string {
				return fmt.Sprintf("Cancel offering %s and its %d open nomination%s%s?", v.Ref, len(v.Moved), plural(len(v.Moved)), inParens(moveIDs(v.Moved)))
			})
			if err != nil {
				return err
			}
			if v.DryRun = dry; dry {
				dryRunNotice(app, "would cancel offering %s and %d open nomination%s", v.Ref, len(v.Moved), plural(len(v.Moved)))
			} else {
				app.IO.Notice("nomtrack: cancelled offering %s and %d open nomination%s", v.Ref, len(v.Moved), plural(len(v.Moved)))
			}
			return app.Print(opts, output.TextFormats, offeringChangeDoc(v, "cancelled"))
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why the offering is cancelled (recorded in each nomination's history)")
	confirm.flags(cmd)
	addOutputFlags(cmd, &opts, output.TextFormats)
	declareFields(&opts, offeringChange{})
	return cmd
}

// inParens is " (s)", or "" for an empty s.
func inParens(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

func newOfferingReopenCmd(app *App) *cobra.Command {
	var reason string
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "reopen REF [--reason R]",
		Short: "Undo a cancellation: the offering opens and its nominations return",
		Long: `Undo 'offering cancel': the offering is open again, and every nomination that
the cancellation moved to cancelled goes back to the status it had, each with
an event in its history (a correction, with the reason) and the reopening in
the audit trail. Nominations cancelled on their own stay cancelled.`,
		Example: `  nomtrack offering reopen M5-106@2026-03-02 --reason "cancelled the wrong run"`,
		Args:    exactArgs("REF"),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := app.DB(cmd.Context())
			if err != nil {
				return err
			}
			var v offeringChange
			v.Offering, v.Moved, err = db.ReopenOffering(cmd.Context(), args[0], strings.TrimSpace(reason))
			if err != nil {
				return err
			}
			app.IO.Notice("nomtrack: reopened offering %s; %d nomination%s back to their status before the cancellation", v.Ref, len(v.Moved), plural(len(v.Moved)))
			if v.Seats != nil {
				if committed, err := db.OfferingCommitted(cmd.Context(), v.ID); err == nil && committed > *v.Seats {
					app.IO.Warn("offering %s has %d seat%s and %d committed again", v.Ref, *v.Seats, plural(*v.Seats), committed)
				}
			}
			return app.Print(opts, output.TextFormats, offeringChangeDoc(v, "restored"))
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why it is reopened (recorded in each nomination's history)")
	addOutputFlags(cmd, &opts, output.TextFormats)
	declareFields(&opts, offeringChange{})
	return cmd
}

func newOfferingRemoveCmd(app *App) *cobra.Command {
	var reason string
	var confirm confirmOptions
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "remove REF --reason R",
		Short: "Remove an offering entered by mistake (only one without nominations)",
		Long: `Remove an offering entered by mistake. An offering with nominations is history
and cannot be removed (exit 3): cancel it instead, or remove the nominations
entered by mistake first. The removal is recorded in the audit trail with the
offering's fields and the reason.`,
		Example: `  nomtrack offering remove M5-106@2026-03-09 --reason "typed the wrong week" --yes`,
		Args:    exactArgs("REF"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := requireReason(cmd, reason); err != nil {
				return err
			}
			var of *nomtrack.Offering
			dry, err := confirm.apply(app, cmd, func(db *store.DB) (err error) {
				of, err = db.RemoveOffering(cmd.Context(), args[0], strings.TrimSpace(reason))
				return err
			}, func() string { return fmt.Sprintf("Remove offering %s (%s)?", of.Ref, of.Title) })
			if err != nil {
				return err
			}
			return printRemoved(app, opts, dry, "offering "+of.Ref, of, offeringBlock(of))
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why the offering was a mistake (recorded in the audit trail)")
	confirm.flags(cmd)
	addOutputFlags(cmd, &opts, output.TextFormats)
	declareFields(&opts, nomtrack.Offering{}, "dry_run")
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
	declareFields(&opts, nomtrack.Offering{}, "released")
	return cmd
}
