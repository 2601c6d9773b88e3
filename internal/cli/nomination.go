package cli

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/output"
	"github.com/nomtrack/nomtrack/internal/store"
	"github.com/spf13/cobra"
)

func newNominateCmd(app *App) *cobra.Command {
	var in store.NewNomination
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "nominate PERSON OFFERING [--alternate [N]]",
		Short: "Put a person forward for an offering",
		Long: `Put a person (id, ref or name; see 'person show --help') forward for an offering (CODE@YYYY-MM-DD) as principal,
or as alternate with --alternate: the next place in the offering's queue of
alternates, or place N with '--alternate N' (those from N on move one place
down). A person who falls short of the course's prerequisites (English profile,
rank code) is nominated with a warning naming the gap; so is a nomination past
the offering's deadline, after its start, or for someone already committed to
an overlapping offering. --strict refuses instead (exit 3).`,
		Example: `  nomtrack nominate S-1001 M5-106@2026-03-02
  nomtrack nominate 7 M5-106@2026-03-02 --alternate --note "if a seat frees up"
  nomtrack nominate 9 M5-106@2026-03-02 --alternate 1`,
		Args: func(cmd *cobra.Command, args []string) error {
			// '--alternate 2' reads as the flag and a third argument.
			if len(args) == 3 && cmd.Flags().Changed("alternate") && in.AltPlace == 0 {
				place, err := strconv.Atoi(args[2])
				if err != nil || place < 1 {
					return usageErrorf(cmd, "--alternate takes a place 1, 2, …; %q is not one", args[2])
				}
				in.AltPlace = place
				return nil
			}
			return exactArgs("PERSON", "OFFERING")(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			in.Person, in.Offering, in.Note = args[0], args[1], strings.TrimSpace(in.Note)
			if in.AltPlace < 0 {
				return usageErrorf(cmd, "--alternate takes a place 1, 2, …; %d is not one", in.AltPlace)
			}
			in.Alternate = cmd.Flags().Changed("alternate")
			db, err := app.DB(cmd.Context())
			if err != nil {
				return err
			}
			n, warn, err := db.Nominate(cmd.Context(), in)
			if err != nil {
				return err
			}
			for _, g := range warn.Gaps {
				app.IO.Warn("nomination %d: person %s falls short of %s: %s", n.ID, personArg(n), n.Course, g.Message)
			}
			warnDates(app, n.ID, warn.Dates)
			return app.Print(opts, output.TextFormats, blockDoc(n, nominationBlock(n)))
		},
	}
	cmd.Flags().IntVar(&in.AltPlace, "alternate", 0, "nominate as alternate (reserve): the next place, or place N")
	cmd.Flags().Lookup("alternate").NoOptDefVal = "0"
	cmd.Flags().StringVar(&in.Note, "note", "", "a note on the nomination")
	cmd.Flags().BoolVar(&in.Strict, "strict", false, "refuse a person short of the prerequisites, or a nomination the calendar speaks against")
	addOutputFlags(cmd, &opts, output.TextFormats)
	declareFields(&opts, nomtrack.Nomination{})
	return cmd
}

// warnDates prints the date issues of nomination id as warnings.
func warnDates(app *App, id int64, dates []nomtrack.DateIssue) {
	for _, d := range dates {
		app.IO.Warn("nomination %d: %s", id, d.Message)
	}
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
      │                          └─> no-show (from confirmed)
      └─> released (an alternate who was not needed)

A move against the arrows needs --force and is recorded as a correction.`,
	}
	cmd.AddCommand(newNominationListCmd(app), newNominationShowCmd(app), newNominationSetCmd(app), newNominationPromoteCmd(app),
		newNominationMoveCmd(app), newNominationEditCmd(app), newNominationRemoveCmd(app))
	for _, s := range []struct{ use, status, short string }{
		{"approve", nomtrack.StatusApproved, "Approve a nomination: it takes one of the offering's seats"},
		{"confirm", nomtrack.StatusConfirmed, "Record that the school confirmed the seat"},
		{"attend", nomtrack.StatusAttended, "Record that the person took part"},
		{"complete", nomtrack.StatusCompleted, "Record that the person completed the course"},
		{"decline", nomtrack.StatusDeclined, "Record that NATO or the school turned the nomination down"},
		{"withdraw", nomtrack.StatusWithdrawn, "Record that the ministry withdrew the nomination"},
		{"no-show", nomtrack.StatusNoShow, "Record that a confirmed person never arrived"},
		{"release", nomtrack.StatusReleased, "Release an alternate who was not needed"},
	} {
		cmd.AddCommand(newStatusShortcutCmd(app, s.use, s.status, s.short))
	}
	return cmd
}

func newNominationListCmd(app *App) *cobra.Command {
	var f store.NominationFilter
	var statuses []string
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "list [--year Y] [--status S] [--ministry M] [--course C] [--offering REF] [--person P]",
		Short: "List nominations, newest offering first, then by course and name",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkYearFlag(cmd, f.Year); err != nil {
				return err
			}
			f.Limit = opts.QueryLimit()
			var err error
			if f.Status, err = statusFilter(statuses); err != nil {
				return err
			}
			if err := preDepartureFilters(&f); err != nil {
				return err
			}
			if f.Ministry, err = ministryFilter(app, cmd, f.Ministry); err != nil {
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
			return app.Print(opts, output.TextFormats, nominationListDoc(list))
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&f.Year, "year", 0, "only nominations to offerings starting in this year")
	fl.StringSliceVar(&statuses, "status", nil, "only nominations in this status (repeat, or a comma list: any of them)")
	fl.StringVar(&f.Ministry, "ministry", "", "only nominations of people of this ministry")
	fl.StringVar(&f.Course, "course", "", "only nominations to this course")
	fl.StringVar(&f.Offering, "offering", "", "only nominations to this offering (CODE@YYYY-MM-DD)")
	fl.StringVar(&f.Person, "person", "", "only nominations of this person (id, ref or name)")
	fl.StringVar(&f.Visa, "visa", "", "only nominations whose visa is requested, issued, refused, or none (not recorded)")
	fl.StringVar(&f.Clearance, "clearance", "", "only nominations whose clearance is requested, granted, refused, or none")
	fl.StringVar(&f.Funding, "funding", "", "only nominations funded by nato, national, host, other, or none (not recorded)")
	fl.StringVar(&f.ADL, "adl", "", "only nominations whose ADL pre-study is done (a date recorded) or none")
	addListFlags(cmd, &opts)
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
	strict       bool
	offering     string
	from         string
	out          output.Options
}

func (o *statusOptions) flags(cmd *cobra.Command, status string) {
	cmd.Flags().StringVar(&o.reason, "reason", "", "why (recorded in the nomination's history)")
	cmd.Flags().BoolVar(&o.force, "force", false, "allow a move against the lifecycle (recorded as a correction), or before the course starts")
	cmd.Flags().StringVar(&o.offering, "offering", "", "all nominations of this offering (CODE@YYYY-MM-DD) in the --from status, instead of ids")
	cmd.Flags().StringVar(&o.from, "from", "", "with --offering: the status the nominations are in now")
	// Only a move into a committed status takes a seat; only an approval
	// is held against the calendar.
	if status == "" || nomtrack.Committed(status) {
		cmd.Flags().BoolVar(&o.overAllocate, "over-allocate", false, "approve beyond the offering's seats")
	}
	if status == "" || status == nomtrack.StatusApproved {
		cmd.Flags().BoolVar(&o.strict, "strict", false, "refuse an approval past the deadline, after the start or overlapping another commitment")
	}
	addOutputFlags(cmd, &o.out, output.TextFormats)
	declareFields(&o.out, nomtrack.Nomination{})
	cmd.RegisterFlagCompletionFunc("from", cobra.FixedCompletions(nomtrack.Statuses, cobra.ShellCompDirectiveNoFileComp))
}

// selection reads the nominations a status command works on: ids, or
// --offering with --from. Mixing them, or neither, is a usage error.
func (o *statusOptions) selection(cmd *cobra.Command, ids []string) (store.Selection, error) {
	var sel store.Selection
	switch {
	case o.offering != "" && len(ids) > 0:
		return sel, usageErrorf(cmd, "give nomination ids or --offering, not both")
	case o.offering != "":
		if o.from == "" {
			return sel, usageErrorf(cmd, "--offering needs --from STATUS: the status of the nominations to move")
		}
		from, err := nomtrack.ParseStatus(o.from)
		if err != nil {
			return sel, nomtrack.Errorf(nomtrack.EUSAGE, "--from: %s", nomtrack.ErrorMessage(err))
		}
		return store.Selection{Offering: o.offering, From: from}, nil
	case o.from != "":
		return sel, usageErrorf(cmd, "--from goes with --offering REF")
	case len(ids) == 0:
		return sel, usageErrorf(cmd, "give one or more nomination ids, or --offering REF --from STATUS")
	}
	for _, a := range ids {
		id, err := parseID("nomination", a)
		if err != nil {
			return sel, err
		}
		sel.IDs = append(sel.IDs, id)
	}
	return sel, nil
}

// run moves the selected nominations to status in one transaction and
// prints them: one nomination as a block, several as a list after a
// one-line summary. It warns when the year's committed seats pass its
// capacity, and about the calendar.
func (o *statusOptions) run(app *App, cmd *cobra.Command, ids []string, status string) error {
	sel, err := o.selection(cmd, ids)
	if err != nil {
		return err
	}
	to, err := nomtrack.ParseStatus(status)
	if err != nil {
		return usageOf(err)
	}
	capacity, err := configuredCapacity(app)
	if err != nil {
		return err
	}
	db, err := app.DB(cmd.Context())
	if err != nil {
		return err
	}
	results, err := db.SetStatuses(cmd.Context(), sel, store.StatusChange{
		To: to, Reason: strings.TrimSpace(o.reason), Force: o.force, OverAllocate: o.overAllocate, Strict: o.strict, Capacity: capacity,
	})
	if err != nil {
		return err
	}
	list := make([]*nomtrack.Nomination, len(results))
	var over *store.YearLoad
	for i, res := range results {
		n := res.Nomination
		list[i] = n
		if res.Correction {
			app.IO.Notice("nomtrack: nomination %d moved from %s to %s, recorded as a correction", n.ID, res.From, n.Status)
		}
		warnDates(app, n.ID, res.Warnings.Dates)
		if m := res.Warnings.Missing; len(m) > 0 {
			app.IO.Warn("nomination %d: %s requires %s before departure; record it with 'nomtrack nomination edit %d'",
				n.ID, n.Course, nomtrack.MissingText(m), n.ID)
		}
		if res.OverCapacity != nil {
			over = res.OverCapacity
		}
	}
	if oc := over; oc != nil {
		app.IO.Warn("%d now has %d committed seats, past its capacity of %d (%s)", oc.Year, oc.Committed, oc.Capacity.Seats, capacitySourceText(oc.Capacity.Source))
	}
	if len(list) == 1 && sel.Offering == "" {
		return app.Print(o.out, output.TextFormats, blockDoc(list[0], nominationBlock(list[0])))
	}
	app.IO.Notice("nomtrack: %s", statusSummary(results, to, sel))
	return app.Print(o.out, output.TextFormats, nominationListDoc(list))
}

// statusSummary is the one line a status command on several nominations
// ends with: "3 nominations of M5-106@2026-03-02 moved from attended to
// completed".
func statusSummary(results []*store.StatusResult, to string, sel store.Selection) string {
	froms := map[string]bool{}
	var order []string
	for _, r := range results {
		if !froms[r.From] {
			froms[r.From] = true
			order = append(order, r.From)
		}
	}
	of := ""
	if sel.Offering != "" && len(results) > 0 {
		of = " of " + results[0].Nomination.Offering
	}
	return fmt.Sprintf("%d nomination%s%s moved from %s to %s", len(results), plural(len(results)), of, strings.Join(order, ", "), to)
}

// capacitySourceText says where a capacity comes from, for messages.
func capacitySourceText(source string) string {
	if source == store.CapacitySet {
		return "set with capacity set"
	}
	return "the configured capacity"
}

func newNominationSetCmd(app *App) *cobra.Command {
	var o statusOptions
	cmd := &cobra.Command{
		Use:   "set ID... STATUS",
		Short: "Move one or more nominations to a status",
		Long: `Move nominations to STATUS: nominated, approved, confirmed, attended,
completed, declined, withdrawn, cancelled, no-show or released. Moves along the
lifecycle's arrows only, unless --force, which records the move as a correction.
Approving a principal beyond the offering's seats needs --over-allocate; an
alternate is approved only after 'nomination promote'; only an alternate is
released. Attended, completed and no-show wait for the course to start unless
--force. Approving past the deadline, after the start or while the person is
committed to an overlapping offering warns (--strict refuses).

Several ids, or --offering REF --from STATUS for all of a run's nominations in
one status, move in one transaction: if one is refused, none moves.`,
		Example: `  nomtrack nomination set 12 approved --reason "board of 3 March"
  nomtrack nomination set 12 nominated --force --reason "approved by mistake"
  nomtrack nomination set completed --offering M5-106@2026-03-02 --from attended`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageErrorf(cmd, "missing STATUS")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.run(app, cmd, args[:len(args)-1], args[len(args)-1])
		},
		ValidArgsFunction: func(cmd *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) >= 1 {
				return nomtrack.Statuses, cobra.ShellCompDirectiveNoFileComp
			}
			return nil, cobra.ShellCompDirectiveNoFileComp
		},
	}
	o.flags(cmd, "")
	return cmd
}

func newStatusShortcutCmd(app *App, use, status, short string) *cobra.Command {
	var o statusOptions
	cmd := &cobra.Command{
		Use:   use + " ID...",
		Short: short,
		Long: short + ". The same as 'nomination set ID... " + status + "'. Several ids, or --offering REF\n" +
			"--from STATUS for all of a run's nominations in one status, move in one transaction.",
		Example: "  nomtrack nomination " + use + " 12 13 14\n  nomtrack nomination " + use + " --offering M5-106@2026-03-02 --from " +
			firstFrom(status),
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.run(app, cmd, args, status)
		},
	}
	o.flags(cmd, status)
	return cmd
}

// firstFrom is the status a shortcut's example moves from: the first whose
// arrows lead to status.
func firstFrom(status string) string {
	for _, s := range nomtrack.Statuses {
		for _, n := range nomtrack.NextStatuses(s) {
			if n == status {
				return s
			}
		}
	}
	return nomtrack.StatusNominated
}

func newNominationPromoteCmd(app *App) *cobra.Command {
	var reason, offering string
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "promote ID | promote --offering REF",
		Short: "Make an alternate principal",
		Long: `Make an open alternate nomination principal. With --offering instead of an id,
the offering's first waiting alternate is promoted, provided a principal seat is
free (fewer principals nominated, approved, confirmed, attended or completed than
seats). Promotion does not approve: the promoted nomination keeps its status and
takes a seat when approved, under the seat rule like any principal ('nomination
approve ID [--over-allocate]'). The alternates behind it move up one place. The
promotion is an event in the nomination's history.`,
		Example: `  nomtrack nomination withdraw 12 --reason "posted abroad"
  nomtrack nomination promote --offering M5-106@2026-03-02
  nomtrack nomination promote 15
  nomtrack nomination approve 15`,
		Args: func(cmd *cobra.Command, args []string) error {
			if offering != "" {
				if len(args) > 0 {
					return usageErrorf(cmd, "give a nomination id or --offering, not both")
				}
				return nil
			}
			return exactArgs("ID")(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			var id int64
			if offering == "" {
				var err error
				if id, err = parseID("nomination", args[0]); err != nil {
					return err
				}
			}
			db, err := app.DB(cmd.Context())
			if err != nil {
				return err
			}
			var n *nomtrack.Nomination
			if offering != "" {
				n, err = db.PromoteFirst(cmd.Context(), offering, strings.TrimSpace(reason))
			} else {
				n, err = db.Promote(cmd.Context(), id, strings.TrimSpace(reason))
			}
			if err != nil {
				return err
			}
			return app.Print(opts, output.TextFormats, blockDoc(n, nominationBlock(n)))
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why (recorded in the nomination's history)")
	cmd.Flags().StringVar(&offering, "offering", "", "promote this offering's first waiting alternate (CODE@YYYY-MM-DD)")
	addOutputFlags(cmd, &opts, output.TextFormats)
	declareFields(&opts, nomtrack.Nomination{})
	return cmd
}

// nominationEditFlag is one flag of `nomination edit`: the column of
// store.NominationEditable it sets and how its value is read (validated
// and put in canonical form). Further fields are one more entry here and
// in store.NominationEditable.
type nominationEditFlag struct {
	flag, field, usage string
	parse              func(app *App, s string) (string, error)
}

var nominationEditFlags = []nominationEditFlag{
	{"ministry", "ministry", "the ministry the nomination was made under (fixes a wrong snapshot); without a ministries config, one already stored", func(app *App, s string) (string, error) {
		v, err := ministryValue(app, s)
		if err == nil && v == "" {
			err = nomtrack.Errorf(nomtrack.EINVALID, "--ministry is empty; give the ministry the nomination was made under")
		}
		return v, err
	}},
	{"rank", "rank", "the rank the person held when nominated", func(_ *App, s string) (string, error) {
		return strings.Join(strings.Fields(s), " "), nil
	}},
	{"rank-code", "rank_code", "the NATO rank code when nominated, e.g. OF-4", func(_ *App, s string) (string, error) {
		return rankValue("rank-code", s)
	}},
	{"english", "english", "the STANAG 6001 profile when nominated, e.g. 3232", func(_ *App, s string) (string, error) {
		return englishValue("english", s)
	}},
	{"visa", "visa", "the visa: requested, issued or refused ('' clears it)", choiceFlag("visa")},
	{"clearance", "clearance", "the security clearance: requested, granted or refused ('' clears it)", choiceFlag("clearance")},
	{"adl", "adl", "the day the ADL pre-study was completed, YYYY-MM-DD ('' clears it)", func(app *App, s string) (string, error) {
		return dateFlag(app, "adl", s)
	}},
	{"funding", "funding", "who pays for the seat: nato, national, host or other ('' clears it)", choiceFlag("funding")},
	{"certificate", "certificate", "the certificate number, on completion", func(_ *App, s string) (string, error) {
		return strings.Join(strings.Fields(s), " "), nil
	}},
	{"note", "note", "the nomination's note ('' clears it)", func(_ *App, s string) (string, error) {
		return strings.TrimSpace(s), nil
	}},
}

// storedNominationMinistry settles the ministry edit among edits (of
// nomination id, which must exist): without a ministries config it must name
// a stored ministry, matched as the filters match it (MOD is MoD; MoDD is
// not found, exit 4, with a suggestion), so a correction never starts a new
// spelling of a ministry.
func storedNominationMinistry(app *App, cmd *cobra.Command, db *store.DB, id int64, edits []store.FieldEdit) error {
	for i, e := range edits {
		if e.Field != "ministry" {
			continue
		}
		if _, err := db.FindNomination(cmd.Context(), id); err != nil {
			return err
		}
		v, err := ministryFilter(app, cmd, e.Value)
		if nomtrack.ErrorCode(err) == nomtrack.ENOTFOUND {
			return nomtrack.Errorf(nomtrack.ENOTFOUND, "%s (without a ministries config, a nomination takes a ministry a person, nomination or request already has)", nomtrack.ErrorMessage(err))
		} else if err != nil {
			return err
		}
		edits[i].Value = v
	}
	return nil
}

// preDepartureFilters checks --visa, --clearance, --funding and --adl
// before the database is opened: a value nomtrack cannot read is a usage
// error (exit 2) naming the values the filter takes.
func preDepartureFilters(f *store.NominationFilter) error {
	for _, c := range []struct {
		field  string
		value  *string
		values []string
	}{{"visa", &f.Visa, nomtrack.VisaValues}, {"clearance", &f.Clearance, nomtrack.ClearanceValues}, {"funding", &f.Funding, nomtrack.FundingValues}} {
		s := strings.TrimSpace(*c.value)
		if s == "" || strings.EqualFold(s, "none") {
			*c.value = strings.ToLower(s)
			continue
		}
		v, err := nomtrack.ParseChoice(c.field, s)
		if err != nil {
			return nomtrack.Errorf(nomtrack.EUSAGE, "--%s %q: use one of %s, or none (not recorded)%s", c.field, s, strings.Join(c.values, ", "), nomtrack.DidYouMean(s, c.values))
		}
		*c.value = v
	}
	switch s := strings.ToLower(strings.TrimSpace(f.ADL)); s {
	case "", "done", "none":
		f.ADL = s
	default:
		return nomtrack.Errorf(nomtrack.EUSAGE, "--adl %q: use done (a date recorded) or none", f.ADL)
	}
	return nil
}

// choiceFlag reads the value of a pre-departure choice flag.
func choiceFlag(field string) func(*App, string) (string, error) {
	return func(_ *App, s string) (string, error) {
		v, err := nomtrack.ParseChoice(field, s)
		if err != nil {
			return "", nomtrack.Errorf(nomtrack.EUSAGE, "--%s: %s", field, nomtrack.ErrorMessage(err))
		}
		return v, nil
	}
}

func newNominationEditCmd(app *App) *cobra.Command {
	values := make([]string, len(nominationEditFlags))
	var reason string
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "edit ID [flags]",
		Short: "Set or correct a nomination's fields (only the flags given)",
		Long: `Set or correct a nomination's fields. A nomination keeps the ministry, rank, rank code
and English profile its person had when nominated: reports count it under that
ministry and eligibility reads that profile, so editing the person later does not
change a past year. When that snapshot was wrong, correct it here.

The pre-departure and completion fields are set here too: --visa (requested,
issued, refused), --clearance (requested, granted, refused), --adl (the day the
ADL pre-study was completed), --funding (nato, national, host, other) and
--certificate (the number, on completion). Each change is recorded in the
nomination's history (nomination show ID).`,
		Example: `  nomtrack nomination edit 12 --ministry MoI --reason "nominated by the Interior, not Defence"
  nomtrack nomination edit 12 --visa issued --clearance granted --adl 2026-02-10 --funding nato
  nomtrack nomination edit 12 --certificate NS-2026-0412`,
		Args: exactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID("nomination", args[0])
			if err != nil {
				return err
			}
			var edits []store.FieldEdit
			for i, f := range nominationEditFlags {
				if !cmd.Flags().Changed(f.flag) {
					continue
				}
				v, err := f.parse(app, values[i])
				if err != nil {
					return err
				}
				edits = append(edits, store.FieldEdit{Field: f.field, Value: v})
			}
			if len(edits) == 0 {
				names := make([]string, len(nominationEditFlags))
				for i, f := range nominationEditFlags {
					names[i] = "--" + f.flag
				}
				return nomtrack.Errorf(nomtrack.EUSAGE, "nothing to change; give one of %s", strings.Join(names, ", "))
			}
			db, err := app.DB(cmd.Context())
			if err != nil {
				return err
			}
			if err := storedNominationMinistry(app, cmd, db, id, edits); err != nil {
				return err
			}
			n, changed, err := db.EditNomination(cmd.Context(), id, edits, strings.TrimSpace(reason))
			if err != nil {
				return err
			}
			if changed == 0 {
				app.IO.Notice("nomtrack: nomination %d already has these values; nothing changed", n.ID)
			}
			return app.Print(opts, output.TextFormats, blockDoc(n, nominationBlock(n)))
		},
	}
	for i, f := range nominationEditFlags {
		cmd.Flags().StringVar(&values[i], f.flag, "", f.usage)
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why (recorded in the nomination's history)")
	addOutputFlags(cmd, &opts, output.TextFormats)
	declareFields(&opts, nomtrack.Nomination{})
	return cmd
}

func newNominationRemoveCmd(app *App) *cobra.Command {
	var reason string
	var confirm confirmOptions
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "remove ID --reason R",
		Short: "Remove a nomination entered by mistake",
		Long: `Remove a nomination entered by mistake, with its history. The audit trail keeps
its fields, its whole history and the reason; its id is never given to
another nomination. A nomination that did happen but ended is not a mistake:
move it to withdrawn, declined or cancelled instead.`,
		Example: `  nomtrack nomination remove 42 --reason "nominated the wrong person" --dry-run
  nomtrack nomination remove 42 --reason "nominated the wrong person" --yes`,
		Args: exactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID("nomination", args[0])
			if err != nil {
				return err
			}
			if err := requireReason(cmd, reason); err != nil {
				return err
			}
			var n *store.RemovedNomination
			dry, err := confirm.apply(app, cmd, func(db *store.DB) (err error) {
				n, err = db.RemoveNomination(cmd.Context(), id, strings.TrimSpace(reason))
				return err
			}, func() string {
				return fmt.Sprintf("Remove nomination %d (%s to %s, %s) and its %d history event%s?", n.ID, n.Name, n.Offering, n.Status,
					len(n.History), plural(len(n.History)))
			})
			if err != nil {
				return err
			}
			return printRemoved(app, opts, dry, fmt.Sprintf("nomination %d", n.ID), n, nominationBlock(n.Nomination))
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why the nomination was a mistake (recorded in the audit trail)")
	confirm.flags(cmd)
	addOutputFlags(cmd, &opts, output.TextFormats)
	declareFields(&opts, store.RemovedNomination{}, "dry_run")
	return cmd
}

func newNominationMoveCmd(app *App) *cobra.Command {
	var m store.Move
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "move ID OFFERING",
		Short: "Move an open nomination, with its history, to another run",
		Long: `Move an open nomination (nominated, approved, confirmed) to another run
(CODE@YYYY-MM-DD) of the same course, keeping its id, status, fields and history;
--any-course allows a run of another course. The move is checked as 'nominate'
checks a new nomination: prerequisites and dates warn (--strict refuses, exit 3);
an approved or confirmed principal needs a free seat on the new run (or
--over-allocate). An alternate joins the end of the new run's queue. The move is
an event in the nomination's history.`,
		Example: `  nomtrack nomination move 12 M5-106@2026-09-07 --reason "clashes with an exercise"
  nomtrack nomination move 12 CT-201@2026-04-13 --any-course`,
		Args: exactArgs("ID", "OFFERING"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID("nomination", args[0])
			if err != nil {
				return err
			}
			m.ID, m.Offering, m.Reason = id, args[1], strings.TrimSpace(m.Reason)
			db, err := app.DB(cmd.Context())
			if err != nil {
				return err
			}
			n, warn, err := db.MoveNomination(cmd.Context(), m)
			if err != nil {
				return err
			}
			for _, g := range warn.Gaps {
				app.IO.Warn("nomination %d: person %s falls short of %s: %s", n.ID, personArg(n), n.Course, g.Message)
			}
			warnDates(app, n.ID, warn.Dates)
			return app.Print(opts, output.TextFormats, blockDoc(n, nominationBlock(n)))
		},
	}
	cmd.Flags().BoolVar(&m.AnyCourse, "any-course", false, "allow a run of another course")
	cmd.Flags().StringVar(&m.Reason, "reason", "", "why (recorded in the nomination's history)")
	cmd.Flags().BoolVar(&m.Strict, "strict", false, "refuse on a prerequisite gap or a date issue")
	cmd.Flags().BoolVar(&m.OverAllocate, "over-allocate", false, "let an approved or confirmed principal take the new run past its seats")
	addOutputFlags(cmd, &opts, output.TextFormats)
	declareFields(&opts, nomtrack.Nomination{})
	return cmd
}
