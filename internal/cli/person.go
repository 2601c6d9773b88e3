package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/output"
	"github.com/nomtrack/nomtrack/internal/store"
	"github.com/spf13/cobra"
)

func newPersonCmd(app *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "person",
		Short: "Manage people: officers and officials who may be nominated",
	}
	cmd.AddCommand(newPersonAddCmd(app), newPersonListCmd(app), newPersonShowCmd(app), newPersonEditCmd(app),
		newPersonDupesCmd(app), newPersonMergeCmd(app), newPersonRemoveCmd(app))
	return cmd
}

// personOptions are the fields of person add and person edit.
type personOptions struct {
	name, ministry, ref, nameAr, rank, rankCode, position, gender, english, email, phone string
	out                                                                                  output.Options
}

func (o *personOptions) flags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&o.name, "name", "", "name in Latin script")
	f.StringVar(&o.ministry, "ministry", "", "ministry (a configured code or alias when ministries are configured; else matched to the stored ones)")
	f.StringVar(&o.ref, "ref", "", "service or personnel number (unique)")
	f.StringVar(&o.nameAr, "name-ar", "", "name in Arabic (the official form)")
	f.StringVar(&o.rank, "rank", "", "rank as written")
	f.StringVar(&o.rankCode, "rank-code", "", "NATO rank code, e.g. OF-4")
	f.StringVar(&o.position, "position", "", "position or unit")
	f.StringVar(&o.gender, "gender", "", "F or M")
	f.StringVar(&o.english, "english", "", "STANAG 6001 profile (listening, speaking, reading, writing), e.g. 3232")
	f.StringVar(&o.email, "email", "", "e-mail address")
	f.StringVar(&o.phone, "phone", "", "phone number")
	addOutputFlags(cmd, &o.out, output.TextFormats)
	declareFields(&o.out, nomtrack.Person{})
}

// apply validates the flags that were given and writes them into p.
func (o *personOptions) apply(app *App, cmd *cobra.Command, p *nomtrack.Person) error {
	changed := cmd.Flags().Changed
	var err error
	if changed("name") {
		// Direction marks and zero-width characters are dropped from a name,
		// as an import's cleaning drops them (issue 13): typed or imported,
		// one name is stored alike. A ref keeps them, to be refused.
		name := strings.Join(strings.Fields(nomtrack.StripInvisible(o.name)), " ")
		switch {
		case name == "":
			return nomtrack.Errorf(nomtrack.EINVALID, "--name is empty; give the person's name in Latin script")
		case nomtrack.IsArabicScript(name) && (changed("name-ar") || p.NameAr != ""):
			return nomtrack.Errorf(nomtrack.EINVALID, "--name %s is in Arabic script; give the Latin spelling to --name and the Arabic name to --name-ar", name)
		case nomtrack.IsArabicScript(name):
			// As an import reads a name column (SPEC §4): an Arabic name is
			// the Arabic name, and the person is shown by it until a Latin
			// spelling arrives.
			p.NameAr = name
			app.IO.Notice("nomtrack: --name is in Arabic script, so it is the Arabic name (name_ar); give --name in Latin script when a spelling is known")
		default:
			p.Name = name
		}
	}
	if changed("ministry") {
		if p.Ministry, err = ministryValue(app, o.ministry); err != nil {
			return err
		}
		if p.Ministry == "" {
			return nomtrack.Errorf(nomtrack.EINVALID, "--ministry is empty; give the person's ministry")
		}
	}
	text := []struct {
		flag string
		dst  *string
		src  string
	}{{"ref", &p.Ref, o.ref}, {"name-ar", &p.NameAr, o.nameAr}, {"rank", &p.Rank, o.rank}, {"position", &p.Position, o.position},
		{"email", &p.Email, o.email}, {"phone", &p.Phone, o.phone}}
	for _, t := range text {
		if changed(t.flag) {
			v := t.src
			if t.flag != "ref" {
				v = nomtrack.StripInvisible(v)
			}
			*t.dst = strings.Join(strings.Fields(v), " ")
		}
	}
	if changed("ref") && strings.TrimSpace(p.Ref) != "" && isAllDigits(p.Ref) {
		app.IO.Warn("ref %s is all digits: where a person has id %s too, type ref:%s for this ref (#%s is always the id)", p.Ref, p.Ref, p.Ref, p.Ref)
	}
	if changed("rank-code") {
		if p.RankCode, err = rankValue("rank-code", o.rankCode); err != nil {
			return err
		}
	} else if changed("rank") && p.Rank != "" {
		if err := deriveRankCode(app, p); err != nil {
			return err
		}
	}
	if changed("gender") {
		if p.Gender, err = nomtrack.ParseGender(o.gender); err != nil {
			return usageOf(err)
		}
	}
	if changed("english") {
		if p.English, err = englishValue("english", o.english); err != nil {
			return err
		}
	}
	return checkEdited(cmd, p.Validate())
}

// deriveRankCode sets the NATO rank code from a rank title given without
// --rank-code (Colonel, عقيد ركن → OF-5). A title that gives no code (a
// civilian grade) leaves the code as it was, said in a warning when there
// was one, so a code entered by hand is never lost to a free-text title.
func deriveRankCode(app *App, p *nomtrack.Person) error {
	titles, err := app.Ranks()
	if err != nil {
		return err
	}
	if code, ok := titles.Code(p.Rank); ok {
		p.RankCode = code
	} else if p.RankCode != "" {
		app.IO.Warn("rank %q gives no NATO rank code, so the rank code stays %s; give --rank-code to change it", p.Rank, p.RankCode)
	}
	return nil
}

func isAllDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func newPersonAddCmd(app *App) *cobra.Command {
	var o personOptions
	var yes bool
	cmd := &cobra.Command{
		Use:   "add --name N --ministry M",
		Short: "Add a person",
		Long: `Add a person. A person needs a ministry and a name: --name in Latin script,
--name-ar in Arabic, or both. A person known only by the Arabic name (--name-ar,
or an Arabic --name) is shown by it until a Latin spelling is given with
person edit --name, as an Arabic-only sheet's people are.`,
		Example: `  nomtrack person add --name "Mohammed Al-Saadi" --name-ar "محمد الساعدي" --ministry MoD \
    --ref S-1001 --rank Colonel --rank-code OF-5 --gender M --english 3232
  nomtrack person add --name-ar "زينب علي حسن" --ministry MoD`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			var missing []string
			if changed := cmd.Flags().Changed; !changed("name") && !changed("name-ar") {
				missing = append(missing, "--name (or --name-ar for a person known only by the Arabic name)")
			}
			if !cmd.Flags().Changed("ministry") {
				missing = append(missing, "--ministry")
			}
			if len(missing) > 0 {
				return usageErrorf(cmd, "missing required flag%s %s", plural(len(missing)), strings.Join(missing, ", "))
			}
			p := &nomtrack.Person{}
			if err := o.apply(app, cmd, p); err != nil {
				return err
			}
			db, err := app.DB(cmd.Context())
			if err != nil {
				return err
			}
			var sayMinistry func()
			if p.Ministry, sayMinistry, err = recordMinistry(app, cmd.Context(), db, p.Ministry); err != nil {
				return err
			}
			if err := confirmNewPerson(app, cmd, db, p, yes); err != nil {
				return err
			}
			if err := db.CreatePerson(cmd.Context(), p); err != nil {
				return err
			}
			sayMinistry()
			return app.Print(o.out, output.TextFormats, blockDoc(p, personBlock(p)))
		},
	}
	o.flags(cmd)
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "add the person even when someone of the same name and ministry exists")
	return cmd
}

// confirmNewPerson warns when people of the same name (after folding
// spellings, store.PeopleNamed) and ministry exist already, then asks on a
// terminal whether to add another; without a terminal it refuses unless
// --yes (exit 2), so a script never doubles a person silently.
func confirmNewPerson(app *App, cmd *cobra.Command, db *store.DB, p *nomtrack.Person, yes bool) error {
	same, err := db.PeopleLike(cmd.Context(), p)
	if err != nil || len(same) == 0 {
		return err
	}
	app.IO.Warn("%s of %s may already be here (same name after folding spellings):\n%s", p.DisplayName(), p.Ministry, store.PersonLines(same))
	switch {
	case yes:
		return nil
	case !app.IO.InTTY:
		return usageErrorf(cmd, "not adding %s: pass --yes to add another person of this name and ministry, or use the one above (its #id or ref:)", p.DisplayName())
	}
	ok, err := ask(app, fmt.Sprintf("Add another person named %s in %s?", p.DisplayName(), p.Ministry))
	if err != nil {
		return err
	}
	if !ok {
		return errNotConfirmed
	}
	return nil
}

func newPersonEditCmd(app *App) *cobra.Command {
	var o personOptions
	cmd := &cobra.Command{
		Use:     "edit PERSON [flags]",
		Short:   "Change a person's fields (only the flags given)",
		Example: `  nomtrack person edit S-1001 --english 3333 --rank-code OF-6`,
		Args:    exactArgs("PERSON"),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := app.DB(cmd.Context())
			if err != nil {
				return err
			}
			p, err := db.FindPerson(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if err := o.apply(app, cmd, p); err != nil {
				return err
			}
			sayMinistry := func() {}
			if cmd.Flags().Changed("ministry") {
				if p.Ministry, sayMinistry, err = recordMinistry(app, cmd.Context(), db, p.Ministry); err != nil {
					return err
				}
			}
			changes, err := db.UpdatePerson(cmd.Context(), p)
			if err != nil {
				return err
			}
			sayMinistry()
			if len(changes) == 0 {
				app.IO.Notice("nomtrack: person %s already has these values; nothing changed", personLabel(p))
			}
			return app.Print(o.out, output.TextFormats, blockDoc(p, personBlock(p)))
		},
	}
	o.flags(cmd)
	return cmd
}

func newPersonListCmd(app *App) *cobra.Command {
	var f store.PersonFilter
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "list [--ministry M] [--search Q]",
		Short: "List people by name",
		Long: `List people by name. --search matches the start of any word of the name, the
Arabic name or a name merged into the person, after folding spellings — Arabic
letter variants, diacritics, tatweel and spacing (عبدالله = عبد الله, احمد =
أحمد), Latin transliteration (Mohammed = Muhammad = Mohamed, Al-/Al /El-, and
Saadi finds Alsaadi) — or the start of the ref or of a part of it (0012 finds
S-0012). Best matches come first: a ref or whole name equal to the search,
then names and refs starting with it, then names with a later word (refs with
a later part) starting with it; within each, by the folded name or ref that
matched, then id. Each person comes once, at their best match. Only when no
word starts with the search are names containing it listed. --limit N keeps
the N best.`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			f.Limit = opts.QueryLimit()
			var err error
			if f.Ministry, err = ministryFilter(app, cmd, f.Ministry); err != nil {
				return err
			}
			db, err := app.ReadDB(cmd.Context())
			if err != nil {
				return err
			}
			list, err := db.ListPeople(cmd.Context(), f)
			if err != nil {
				return err
			}
			return app.Print(opts, output.TextFormats, output.Doc{JSON: list, Tab: personTab(list)})
		},
	}
	cmd.Flags().StringVar(&f.Ministry, "ministry", "", "only people of this ministry")
	cmd.Flags().StringVar(&f.Search, "search", "", "only people with a word of the name, Arabic name or ref starting with this (spelling variants folded)")
	addListFlags(cmd, &opts)
	addOutputFlags(cmd, &opts, output.TextFormats)
	return cmd
}

func newPersonShowCmd(app *App) *cobra.Command {
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "show PERSON",
		Short: "Show a person with their aliases, nominations and history of changes",
		Long: `Show a person with their aliases, nominations and history of changes.

PERSON is an id, a ref, a ref or name merged into the person, or a name
(compared after folding spellings: أحمد = احمد, Mohammed = Muhammad). A name
several people share, or a number that is one person's id and another's ref,
lists them (exit 3): #27 is always the id, ref:27 always the ref.`,
		Args: exactArgs("PERSON"),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := app.ReadDB(cmd.Context())
			if err != nil {
				return err
			}
			p, err := db.FindPerson(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			noms, err := db.ListNominations(cmd.Context(), store.NominationFilter{Person: "#" + fmt.Sprint(p.ID), OldestFirst: true})
			if err != nil {
				return err
			}
			aliases, err := db.PersonAliases(cmd.Context(), p.ID)
			if err != nil {
				return err
			}
			history, err := db.PersonHistory(cmd.Context(), p.ID)
			if err != nil {
				return err
			}
			d := blockDoc(struct {
				*nomtrack.Person
				Aliases     []nomtrack.Alias        `json:"aliases"`
				Nominations []*nomtrack.Nomination  `json:"nominations"`
				History     []nomtrack.PersonChange `json:"history"`
			}{p, aliases, noms, history}, personBlock(p))
			d.Text = func(w io.Writer, _ bool) error {
				if err := writeBlock(w, personBlock(p)); err != nil {
					return err
				}
				if len(aliases) > 0 {
					t := &output.Tab{Columns: []string{"kind", "alias", "ministry"}}
					for _, a := range aliases {
						t.Rows = append(t.Rows, []any{a.Kind, a.Value, a.Ministry})
					}
					if err := writeSection(w, "aliases (merged into this person)", t); err != nil {
						return err
					}
				}
				t := &output.Tab{Columns: []string{"id", "offering", "start", "role", "status"}}
				for _, n := range noms {
					t.Rows = append(t.Rows, []any{n.ID, n.Offering, output.Date(n.Start), n.Role, n.Status})
				}
				if err := writeSection(w, "nominations", t); err != nil {
					return err
				}
				if len(history) == 0 {
					return nil
				}
				h := &output.Tab{Columns: []string{"at", "actor", "field", "from", "to", "source"}}
				for _, c := range history {
					h.Rows = append(h.Rows, []any{c.At.Format(time.RFC3339), c.Actor, c.Field, c.From, c.To, c.Source})
				}
				return writeSection(w, "history", h)
			}
			return app.Print(opts, output.TextFormats, d)
		},
	}
	addOutputFlags(cmd, &opts, output.TextFormats)
	return cmd
}

// dupeRow is one likely duplicate pair as `person dupes` prints it.
type dupeRow struct {
	A      dupePerson `json:"a"`
	B      dupePerson `json:"b"`
	Reason string     `json:"reason"`
}

type dupePerson struct {
	ID       int64  `json:"id"`
	Ref      string `json:"ref"`
	Name     string `json:"name"`
	NameAr   string `json:"name_ar"`
	Ministry string `json:"ministry"`
}

func newDupePerson(p nomtrack.Person) dupePerson {
	return dupePerson{p.ID, p.Ref, p.Name, p.NameAr, p.Ministry}
}

// dupeColumns are the columns of `person dupes`.
var dupeColumns = []string{"a_id", "a_ref", "a_name", "a_ministry", "b_id", "b_ref", "b_name", "b_ministry", "reason"}

func newPersonDupesCmd(app *App) *cobra.Command {
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "dupes",
		Short: "List people who are likely the same person",
		Long: `List pairs of people who are likely one person: same ministry and Latin names
equal after folding transliteration variants (Mohammed/Muhammad, Al-Saadi/Alsaadi…),
or Arabic names equal after folding letter variants. Merge a pair with
'nomtrack person merge KEEP DROP'.

Only people who share a folded name are compared, block by block: first people
whose Arabic names fold alike, then people of one ministry whose Latin names fold
alike (a pair alike both ways comes once, with both reasons), each block in the
order of its folded name and by id within. Pairs are printed as they are found,
so memory stays flat however many people and pairs there are (--sort,
--reverse, --json FIELDS, --jq and yaml hold the whole list first).`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := app.ReadDB(cmd.Context())
			if err != nil {
				return err
			}
			st := output.Stream{Columns: dupeColumns, Optional: []string{"a_ref", "b_ref", "b_ministry", "a_ministry"},
				Text: []string{"a_name", "b_name", "reason"}, Record: dupeRow{}}
			if format, _ := opts.Resolve(output.TextFormats); format == output.Table {
				w, err := db.PersonWidths(cmd.Context())
				if err != nil {
					return err
				}
				st.Widths = []int{w.ID, w.Ref, w.Name, w.Ministry, w.ID, w.Ref, w.Name, w.Ministry}
			}
			return app.PrintStream(opts, output.TextFormats, st, func(emit output.Emit) error {
				return db.EachDuplicate(cmd.Context(), func(pr nomtrack.DuplicatePair) error {
					return emit(dupeRow{newDupePerson(pr.A), newDupePerson(pr.B), pr.Reason},
						[]any{pr.A.ID, pr.A.Ref, pr.A.DisplayName(), pr.A.Ministry, pr.B.ID, pr.B.Ref, pr.B.DisplayName(), pr.B.Ministry, pr.Reason})
				})
			})
		},
	}
	addOutputFlags(cmd, &opts, output.TextFormats)
	addListFlags(cmd, &opts)
	return cmd
}

// personMerge is what person merge prints as JSON: the person kept, with
// what the merge moved into it.
type personMerge struct {
	*nomtrack.Person
	MergedFrom *nomtrack.Person         `json:"merged_from"`
	Moved      []int64                  `json:"moved_nominations"`
	Joined     []store.JoinedNomination `json:"joined_nominations"`
	Filled     []string                 `json:"filled"`
	Aliases    []nomtrack.Alias         `json:"aliases"`
	DryRun     bool                     `json:"dry_run,omitempty"`
}

func newPersonMergeCmd(app *App) *cobra.Command {
	var confirm confirmOptions
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "merge KEEP DROP",
		Short: "Merge person DROP into person KEEP",
		Long: `Merge two records of one person, in one transaction: DROP's nominations move to
KEEP; DROP's ref, name and Arabic name become KEEP's aliases (later imports and
commands naming them find KEEP); KEEP's empty fields (ref, Arabic name, rank,
English, contact…) are filled from DROP's and recorded in KEEP's history; DROP
is deleted, and the audit table keeps DROP's fields.

When both were nominated to the same offering, the two nominations become one if
at least one of them is closed (withdrawn, declined, cancelled, released): the
closed one's history moves under the other ('nomination show'). When both are
open or committed the merge is refused (exit 3): withdraw or correct one first.

--dry-run shows the merged record and what would move, writing nothing; on a
terminal it asks first (--yes does not ask; without a terminal --yes is
required).`,
		Example: `  nomtrack person dupes
  nomtrack person merge 3 7 --dry-run
  nomtrack person merge 3 7 --yes`,
		Args: exactArgs("KEEP", "DROP"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var res *store.MergeResult
			dry, err := confirm.apply(app, cmd, func(db *store.DB) (err error) {
				res, err = db.MergePeople(cmd.Context(), args[0], args[1])
				return err
			}, func() string {
				return fmt.Sprintf("Merge person %d (%s, %s) into %d (%s, %s), moving %d nomination%s?",
					res.Dropped.ID, res.Dropped.DisplayName(), res.Dropped.Ministry, res.Kept.ID, res.Kept.DisplayName(), res.Kept.Ministry,
					len(res.Moved), plural(len(res.Moved)))
			})
			if err != nil {
				return err
			}
			if dry {
				dryRunNotice(app, "would merge person %d into %d and move %d nomination%s", res.Dropped.ID, res.Kept.ID, len(res.Moved), plural(len(res.Moved)))
			} else {
				app.IO.Notice("nomtrack: merged person %d into %d: moved %d nomination%s", res.Dropped.ID, res.Kept.ID, len(res.Moved), plural(len(res.Moved)))
			}
			for _, j := range res.Joined {
				if dry {
					app.IO.Notice("nomtrack: dry run: %s: nomination %d would be folded into nomination %d", j.Offering, j.Dropped, j.Kept)
				} else {
					app.IO.Notice("nomtrack: %s: nomination %d was folded into nomination %d (its history is there)", j.Offering, j.Dropped, j.Kept)
				}
			}
			d := blockDoc(personMerge{res.Kept, res.Dropped, res.Moved, res.Joined, res.Filled, res.Aliases, dry}, personBlock(res.Kept))
			return app.Print(opts, output.TextFormats, d)
		},
	}
	confirm.flags(cmd)
	addOutputFlags(cmd, &opts, output.TextFormats)
	declareFields(&opts, personMerge{})
	return cmd
}

func newPersonRemoveCmd(app *App) *cobra.Command {
	var reason string
	var confirm confirmOptions
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "remove PERSON --reason R",
		Short: "Remove a person entered by mistake (only one without nominations)",
		Long: `Remove a person entered by mistake. A person with nominations cannot be
removed (exit 3): merge a duplicate into the right record with 'person merge',
or remove the nominations entered by mistake first. The removal is recorded in
the audit trail with the person's fields and the reason; the id is never
given to anyone else.`,
		Example: `  nomtrack person remove 12 --reason "entered twice" --yes`,
		Args:    exactArgs("PERSON"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := requireReason(cmd, reason); err != nil {
				return err
			}
			var p *nomtrack.Person
			dry, err := confirm.apply(app, cmd, func(db *store.DB) (err error) {
				p, err = db.RemovePerson(cmd.Context(), args[0], strings.TrimSpace(reason))
				return err
			}, func() string { return fmt.Sprintf("Remove person %d (%s, %s)?", p.ID, p.DisplayName(), p.Ministry) })
			if err != nil {
				return err
			}
			return printRemoved(app, opts, dry, fmt.Sprintf("person %d", p.ID), p, personBlock(p))
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why the record was a mistake (recorded in the audit trail)")
	confirm.flags(cmd)
	addOutputFlags(cmd, &opts, output.TextFormats)
	declareFields(&opts, nomtrack.Person{}, "dry_run")
	return cmd
}

// personLabel names a person in messages by ref, else by id.
func personLabel(p *nomtrack.Person) string {
	if p.Ref != "" {
		return p.Ref
	}
	return fmt.Sprint(p.ID)
}
