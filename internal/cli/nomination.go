package cli

import (
	"io"
	"strings"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/output"
	"github.com/nomtrack/nomtrack/internal/sqlite"
	"github.com/spf13/cobra"
)

func newNominateCmd(app *App) *cobra.Command {
	var in sqlite.NewNomination
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "nominate PERSON OFFERING",
		Short: "Put a person forward for an offering",
		Long: `Put a person (id or ref) forward for an offering (CODE@YYYY-MM-DD) as principal,
or as alternate with --alternate. A person who falls short of the course's
prerequisites (English profile, rank code) is nominated with a warning naming
the gap; --strict refuses instead (exit 3).`,
		Example: `  nomtrack nominate S-1001 M5-106@2026-03-02
  nomtrack nominate 7 M5-106@2026-03-02 --alternate --note "if a seat frees up"`,
		Args: exactArgs("PERSON", "OFFERING"),
		RunE: func(cmd *cobra.Command, args []string) error {
			in.Person, in.Offering, in.Note = args[0], args[1], strings.TrimSpace(in.Note)
			db, err := app.DB(cmd.Context())
			if err != nil {
				return err
			}
			n, gaps, err := db.Nominate(cmd.Context(), in)
			if err != nil {
				return err
			}
			for _, g := range gaps {
				app.IO.Warn("nomination %d: person %s falls short of %s: %s", n.ID, personArg(n), n.Course, g.Message)
			}
			return app.Print(opts, output.TextFormats, blockDoc(n, nominationBlock(n)))
		},
	}
	cmd.Flags().BoolVar(&in.Alternate, "alternate", false, "nominate as alternate (reserve) instead of principal")
	cmd.Flags().StringVar(&in.Note, "note", "", "a note on the nomination")
	cmd.Flags().BoolVar(&in.Strict, "strict", false, "refuse a person who does not meet the course's prerequisites")
	addOutputFlags(cmd, &opts, output.TextFormats)
	return cmd
}

// personArg names the person of a nomination as PERSON arguments take it.
func personArg(n *nomtrack.Nomination) string {
	if n.PersonRef != "" {
		return n.PersonRef
	}
	return output.Cell(n.PersonID)
}

func newNominationCmd(app *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "nomination",
		Short: "List, show and move nominations along their lifecycle",
		Long: `List, show and move nominations along their lifecycle:

  nominated ──> approved ──> confirmed ──> attended ──> completed
      │             │            │             │
      └─────────────┴────────────┴─> withdrawn, declined, cancelled (from any open state)
                                 └─> no-show (from confirmed)

A move against the arrows needs --force and is recorded as a correction.`,
	}
	cmd.AddCommand(newNominationListCmd(app), newNominationShowCmd(app), newNominationSetCmd(app), newNominationPromoteCmd(app))
	for _, s := range []struct{ use, status, short string }{
		{"approve", nomtrack.StatusApproved, "Approve a nomination: it takes one of the offering's seats"},
		{"confirm", nomtrack.StatusConfirmed, "Record that the school confirmed the seat"},
		{"attend", nomtrack.StatusAttended, "Record that the person took part"},
		{"complete", nomtrack.StatusCompleted, "Record that the person completed the course"},
		{"decline", nomtrack.StatusDeclined, "Record that NATO or the school turned the nomination down"},
		{"withdraw", nomtrack.StatusWithdrawn, "Record that the ministry withdrew the nomination"},
		{"no-show", nomtrack.StatusNoShow, "Record that a confirmed person never arrived"},
	} {
		cmd.AddCommand(newStatusShortcutCmd(app, s.use, s.status, s.short))
	}
	return cmd
}

func newNominationListCmd(app *App) *cobra.Command {
	var f sqlite.NominationFilter
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "list [--year Y] [--status S] [--ministry M] [--course C] [--offering REF] [--person P]",
		Short: "List nominations by offering start, course and name",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkYearFlag(cmd, f.Year); err != nil {
				return err
			}
			if err := checkLimit(f.Limit); err != nil {
				return err
			}
			if f.Status != "" {
				st, err := nomtrack.ParseStatus(f.Status)
				if err != nil {
					return err
				}
				f.Status = st
			}
			var err error
			if f.Ministry, err = ministryValue(app, f.Ministry); err != nil {
				return err
			}
			db, err := app.ReadDB(cmd.Context())
			if err != nil {
				return err
			}
			list, err := db.ListNominations(cmd.Context(), f)
			if err != nil {
				return err
			}
			return app.Print(opts, output.TextFormats, output.Doc{JSON: list, Tab: nominationTab(list)})
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&f.Year, "year", 0, "only nominations to offerings starting in this year")
	fl.StringVar(&f.Status, "status", "", "only nominations in this status")
	fl.StringVar(&f.Ministry, "ministry", "", "only nominations of people of this ministry")
	fl.StringVar(&f.Course, "course", "", "only nominations to this course")
	fl.StringVar(&f.Offering, "offering", "", "only nominations to this offering (CODE@YYYY-MM-DD)")
	fl.StringVar(&f.Person, "person", "", "only nominations of this person (id or ref)")
	fl.IntVar(&f.Limit, "limit", 0, "print at most N nominations")
	addOutputFlags(cmd, &opts, output.TextFormats)
	cmd.RegisterFlagCompletionFunc("status", cobra.FixedCompletions(nomtrack.Statuses, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// nominationView is `nomination show -o json`: the nomination and its history.
type nominationView struct {
	*nomtrack.Nomination
	History []nomtrack.Event `json:"history"`
}

func newNominationShowCmd(app *App) *cobra.Command {
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show a nomination with its history",
		Args:  exactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID("nomination", args[0])
			if err != nil {
				return err
			}
			db, err := app.ReadDB(cmd.Context())
			if err != nil {
				return err
			}
			n, err := db.FindNomination(cmd.Context(), id)
			if err != nil {
				return err
			}
			h, err := db.NominationHistory(cmd.Context(), id)
			if err != nil {
				return err
			}
			d := blockDoc(nominationView{n, h}, nominationBlock(n))
			d.Text = func(w io.Writer, _ bool) error {
				if err := writeBlock(w, nominationBlock(n)); err != nil {
					return err
				}
				return writeSection(w, "history", eventTab(h))
			}
			return app.Print(opts, output.TextFormats, d)
		},
	}
	addOutputFlags(cmd, &opts, output.TextFormats)
	return cmd
}

// statusOptions are the flags of nomination set and its shortcuts.
type statusOptions struct {
	reason       string
	force        bool
	overAllocate bool
	out          output.Options
}

func (o *statusOptions) flags(cmd *cobra.Command, seats bool) {
	cmd.Flags().StringVar(&o.reason, "reason", "", "why (recorded in the nomination's history)")
	cmd.Flags().BoolVar(&o.force, "force", false, "allow a move against the lifecycle, recorded as a correction")
	if seats {
		cmd.Flags().BoolVar(&o.overAllocate, "over-allocate", false, "approve beyond the offering's seats")
	}
	addOutputFlags(cmd, &o.out, output.TextFormats)
}

// run moves nomination idArg to status and prints it, warning when the
// year's committed seats pass its capacity.
func (o *statusOptions) run(app *App, cmd *cobra.Command, idArg, status string) error {
	id, err := parseID("nomination", idArg)
	if err != nil {
		return err
	}
	to, err := nomtrack.ParseStatus(status)
	if err != nil {
		return err
	}
	capacity, err := configuredCapacity(app)
	if err != nil {
		return err
	}
	db, err := app.DB(cmd.Context())
	if err != nil {
		return err
	}
	res, err := db.SetStatus(cmd.Context(), id, sqlite.StatusChange{
		To: to, Reason: strings.TrimSpace(o.reason), Force: o.force, OverAllocate: o.overAllocate, Capacity: capacity,
	})
	if err != nil {
		return err
	}
	n := res.Nomination
	if res.Correction {
		app.IO.Notice("nomtrack: nomination %d moved from %s to %s, recorded as a correction", n.ID, res.From, n.Status)
	}
	if oc := res.OverCapacity; oc != nil {
		app.IO.Warn("%d now has %d committed seats, past its capacity of %d (%s)", oc.Year, oc.Committed, oc.Capacity.Seats, capacitySourceText(oc.Capacity.Source))
	}
	return app.Print(o.out, output.TextFormats, blockDoc(n, nominationBlock(n)))
}

// capacitySourceText says where a capacity comes from, for messages.
func capacitySourceText(source string) string {
	if source == sqlite.CapacitySet {
		return "set with capacity set"
	}
	return "the configured capacity"
}

func newNominationSetCmd(app *App) *cobra.Command {
	var o statusOptions
	cmd := &cobra.Command{
		Use:   "set ID STATUS",
		Short: "Move a nomination to a status",
		Long: `Move a nomination to STATUS: nominated, approved, confirmed, attended,
completed, declined, withdrawn, cancelled or no-show. Moves along the lifecycle's
arrows only, unless --force, which records the move as a correction. Approving a
principal beyond the offering's seats needs --over-allocate; an alternate is
approved only after 'nomination promote'.`,
		Example: `  nomtrack nomination set 12 approved --reason "board of 3 March"
  nomtrack nomination set 12 nominated --force --reason "approved by mistake"`,
		Args: exactArgs("ID", "STATUS"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.run(app, cmd, args[0], args[1])
		},
		ValidArgsFunction: func(cmd *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) == 1 {
				return nomtrack.Statuses, cobra.ShellCompDirectiveNoFileComp
			}
			return nil, cobra.ShellCompDirectiveNoFileComp
		},
	}
	o.flags(cmd, true)
	return cmd
}

func newStatusShortcutCmd(app *App, use, status, short string) *cobra.Command {
	var o statusOptions
	cmd := &cobra.Command{
		Use:   use + " ID",
		Short: short,
		Long:  short + ". The same as 'nomination set ID " + status + "'.",
		Args:  exactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.run(app, cmd, args[0], status)
		},
	}
	// Only a move into a committed status takes a seat.
	o.flags(cmd, nomtrack.Committed(status))
	return cmd
}

func newNominationPromoteCmd(app *App) *cobra.Command {
	var reason string
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "promote ID",
		Short: "Make an alternate principal",
		Long: `Make an open alternate nomination principal. Promotion does not approve it: the
promoted nomination keeps its status and takes a seat when approved, under the
seat rule like any principal ('nomination approve ID [--over-allocate]'). The
change of role is recorded in the audit table.`,
		Example: `  nomtrack nomination withdraw 12 --reason "posted abroad"
  nomtrack nomination promote 15
  nomtrack nomination approve 15`,
		Args: exactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID("nomination", args[0])
			if err != nil {
				return err
			}
			db, err := app.DB(cmd.Context())
			if err != nil {
				return err
			}
			n, err := db.Promote(cmd.Context(), id, strings.TrimSpace(reason))
			if err != nil {
				return err
			}
			return app.Print(opts, output.TextFormats, blockDoc(n, nominationBlock(n)))
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why (recorded in the audit table)")
	addOutputFlags(cmd, &opts, output.TextFormats)
	return cmd
}
