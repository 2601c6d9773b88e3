package cli

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/output"
	"github.com/nomtrack/nomtrack/internal/store"
	"github.com/spf13/cobra"
)

func newCourseCmd(app *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "course",
		Short: "Manage the course catalogue",
	}
	cmd.AddCommand(newCourseAddCmd(app), newCourseListCmd(app), newCourseShowCmd(app), newCourseEditCmd(app), newCourseRemoveCmd(app))
	return cmd
}

// courseOptions are the fields of course add and course edit.
type courseOptions struct {
	title, area, provider, etoc, minEnglish, minRank, requires string
	days, fee                                                  string
	out                                                        output.Options
}

func (o *courseOptions) flags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&o.title, "title", "", "course title")
	f.StringVar(&o.area, "area", "", "area of cooperation (a configured slug, e.g. crisis-management)")
	f.StringVar(&o.provider, "provider", "", "school that runs the course")
	f.StringVar(&o.days, "days", "", "duration in days, 1 or more (unknown when not known, the default)")
	f.StringVar(&o.etoc, "etoc-code", "", "catalogue (ETOC) code, e.g. ETE-SP-31399")
	f.StringVar(&o.fee, "fee", "", "tuition fee per seat, EUR (0 for a free course; unknown when not known, the default)")
	f.StringVar(&o.minEnglish, "min-english", "", "minimum STANAG 6001 English profile, e.g. 3232")
	f.StringVar(&o.requires, "requires", "", "what an approved nomination needs before departure: clearance, adl, both (clearance,adl) or none")
	f.StringVar(&o.minRank, "min-rank", "", "minimum NATO rank code, e.g. OF-2")
	addOutputFlags(cmd, &o.out, output.TextFormats)
	declareFields(&o.out, nomtrack.Course{})
}

// apply validates the flags that were given and writes them into c.
func (o *courseOptions) apply(app *App, cmd *cobra.Command, c *nomtrack.Course) error {
	changed := cmd.Flags().Changed
	if changed("title") {
		if c.Title = strings.TrimSpace(o.title); c.Title == "" {
			return nomtrack.Errorf(nomtrack.EINVALID, "--title is empty; give the course's title")
		}
	}
	if changed("area") {
		area, err := areaValue(app, o.area)
		if err != nil {
			return err
		}
		if area == "" {
			return nomtrack.Errorf(nomtrack.EINVALID, "--area is empty; give the course's area of cooperation")
		}
		c.Area = area
	}
	if changed("provider") {
		c.Provider = strings.TrimSpace(o.provider)
	}
	if changed("days") {
		days, err := daysValue(o.days)
		if err != nil {
			return err
		}
		c.Days = days
	}
	if changed("etoc-code") {
		c.EtocCode = strings.TrimSpace(o.etoc)
	}
	if changed("fee") {
		fee, err := feeValue(o.fee)
		if err != nil {
			return err
		}
		c.Fee = fee
	}
	var err error
	if changed("min-english") {
		if c.MinEnglish, err = englishValue("min-english", o.minEnglish); err != nil {
			return err
		}
	}
	if changed("min-rank") {
		if c.MinRank, err = rankValue("min-rank", o.minRank); err != nil {
			return err
		}
	}
	if changed("requires") {
		if c.Requires, err = nomtrack.ParseRequires(o.requires); err != nil {
			return nomtrack.Errorf(nomtrack.EUSAGE, "--requires: %s", nomtrack.ErrorMessage(err))
		}
	}
	return checkEdited(cmd, c.Validate())
}

// feeValue reads --fee: an amount in EUR (0 is a free course), or
// "unknown" (also an empty value) for a fee not known.
func feeValue(s string) (*float64, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "unknown") {
		return nil, nil
	}
	f, err := strconv.ParseFloat(strings.TrimPrefix(s, "€"), 64)
	switch {
	case err != nil:
		return nil, nomtrack.Errorf(nomtrack.EUSAGE, "--fee %q is not an amount; give the tuition per seat in EUR, e.g. 1250.50, or unknown when it is not known", s)
	case math.IsNaN(f) || math.IsInf(f, 0):
		return nil, nomtrack.Errorf(nomtrack.EUSAGE, "--fee %g is not a number; give the tuition per seat in EUR, e.g. 1250.50", f)
	case f < 0:
		return nil, nomtrack.Errorf(nomtrack.EUSAGE, "--fee %s is negative; give the tuition per seat in EUR", s)
	}
	return nomtrack.Fee(f + 0), nil
}

// daysValue reads --days: the days a course runs, 1 or more, or "unknown"
// (also an empty value) for a length not known. 0 is refused, not stored:
// it is no course's length, and it used to stand for a length not given.
func daysValue(s string) (*int, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "unknown") {
		return nil, nil
	}
	n, err := strconv.Atoi(s)
	switch {
	case err != nil:
		return nil, nomtrack.Errorf(nomtrack.EUSAGE, "--days %q is not a whole number; give the days the course runs, e.g. 5, or unknown when they are not known", s)
	case n < 0:
		return nil, nomtrack.Errorf(nomtrack.EINVALID, "--days %d is negative; give the days the course runs, 1 or more", n)
	case n == 0:
		return nil, nomtrack.Errorf(nomtrack.EINVALID, "--days 0 is not a course length; give the days the course runs, 1 or more, or unknown when they are not known")
	}
	return nomtrack.Days(n), nil
}

func newCourseAddCmd(app *App) *cobra.Command {
	var o courseOptions
	cmd := &cobra.Command{
		Use:   "add CODE --title T --area A",
		Short: "Add a course to the catalogue",
		Example: `  nomtrack course add M5-106 --title "Crisis Response Planning" --area crisis-management \
    --provider "NATO School Oberammergau" --days 5 --min-english 3232 --min-rank OF-2`,
		Args: exactArgs("CODE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := requireFlags(cmd, "title", "area"); err != nil {
				return err
			}
			c := &nomtrack.Course{Code: strings.TrimSpace(args[0])}
			if err := o.apply(app, cmd, c); err != nil {
				return err
			}
			db, err := app.DB(cmd.Context())
			if err != nil {
				return err
			}
			if err := db.CreateCourse(cmd.Context(), c); err != nil {
				return err
			}
			return app.Print(o.out, output.TextFormats, blockDoc(c, courseBlock(c)))
		},
	}
	o.flags(cmd)
	return cmd
}

func newCourseEditCmd(app *App) *cobra.Command {
	var o courseOptions
	cmd := &cobra.Command{
		Use:   "edit CODE [flags]",
		Short: "Change a course's fields (only the flags given)",
		Example: `  nomtrack course edit M5-106 --min-english 2222 --fee 950
  nomtrack course edit M5-106 --fee unknown`,
		Args: exactArgs("CODE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := app.DB(cmd.Context())
			if err != nil {
				return err
			}
			c, err := db.FindCourse(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if err := o.apply(app, cmd, c); err != nil {
				return err
			}
			if err := db.UpdateCourse(cmd.Context(), c); err != nil {
				return err
			}
			return app.Print(o.out, output.TextFormats, blockDoc(c, courseBlock(c)))
		},
	}
	o.flags(cmd)
	return cmd
}

func newCourseListCmd(app *App) *cobra.Command {
	var f store.CourseFilter
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "list [--area A] [--provider P] [--search TEXT]",
		Short: "List the courses of the catalogue, by code",
		Long: `List the courses of the catalogue, by code.

--search keeps the courses whose code, ETOC code or title contains TEXT,
ignoring case, accents, spaces and punctuation ("crisis response" finds
"Crisis Response Planning"; "m5106" finds M5-106).`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			f.Limit = opts.QueryLimit()
			var err error
			if f.Area, err = areaValue(app, f.Area); err != nil {
				return err
			}
			db, err := app.ReadDB(cmd.Context())
			if err != nil {
				return err
			}
			list, err := db.ListCourses(cmd.Context(), f)
			if err != nil {
				return err
			}
			return app.Print(opts, output.TextFormats, output.Doc{JSON: list, Tab: courseTab(list)})
		},
	}
	cmd.Flags().StringVar(&f.Area, "area", "", "only courses of this area")
	cmd.Flags().StringVar(&f.Provider, "provider", "", "only courses of this provider")
	cmd.Flags().StringVar(&f.Search, "search", "", "only courses whose code or title contains this text (any case)")
	addListFlags(cmd, &opts)
	addOutputFlags(cmd, &opts, output.TextFormats)
	return cmd
}

// findCourseOrTitle finds a course by code, else by its exact title
// (ignoring case and spacing), so `course show "Crisis Response Planning"`
// works; the code's not-found message, with its suggestion, stands when no
// title matches either. A title that several courses share lists their
// codes (exit 3), as a name several people share does.
func findCourseOrTitle(cmd *cobra.Command, db *store.DB, arg string) (*nomtrack.Course, error) {
	c, err := db.FindCourse(cmd.Context(), arg)
	if nomtrack.ErrorCode(err) != nomtrack.ENOTFOUND {
		return c, err
	}
	list, lerr := db.ListCourses(cmd.Context(), store.CourseFilter{})
	if lerr != nil {
		return nil, lerr
	}
	want := strings.ToLower(strings.Join(strings.Fields(arg), " "))
	var found []*nomtrack.Course
	var codes []string
	for _, x := range list {
		if strings.ToLower(strings.Join(strings.Fields(x.Title), " ")) == want {
			found = append(found, x)
			codes = append(codes, x.Code)
		}
	}
	switch len(found) {
	case 0:
		return nil, err
	case 1:
		return found[0], nil
	}
	return nil, nomtrack.Errorf(nomtrack.ECONFLICT, "%d courses are titled %q: %s; give the code", len(found), found[0].Title, strings.Join(codes, ", "))
}

func newCourseShowCmd(app *App) *cobra.Command {
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "show CODE",
		Short: "Show a course and its offerings",
		Args:  exactArgs("CODE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := app.ReadDB(cmd.Context())
			if err != nil {
				return err
			}
			c, err := findCourseOrTitle(cmd, db, args[0])
			if err != nil {
				return err
			}
			offerings, err := db.ListOfferings(cmd.Context(), store.OfferingFilter{Course: c.Code})
			if err != nil {
				return err
			}
			d := blockDoc(struct {
				*nomtrack.Course
				Offerings []*nomtrack.Offering `json:"offerings"`
			}{c, offerings}, courseBlock(c))
			d.Text = func(w io.Writer, _ bool) error {
				if err := writeBlock(w, courseBlock(c)); err != nil {
					return err
				}
				return writeSection(w, "offerings", offeringTab(offerings))
			}
			return app.Print(opts, output.TextFormats, d)
		},
	}
	addOutputFlags(cmd, &opts, output.TextFormats)
	return cmd
}

func newCourseRemoveCmd(app *App) *cobra.Command {
	var reason string
	var confirm confirmOptions
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "remove CODE [--reason R]",
		Short: "Remove a course that has no offerings",
		Long: `Remove a course from the catalogue. A course with offerings cannot be removed
(exit 3): its offerings and their nominations are history. The removal is
recorded in the audit trail with the course's fields and the reason. On a
terminal it asks first (--yes does not ask; without a terminal --yes is
required); --dry-run says what it would do and writes nothing.`,
		Example: `  nomtrack course remove XX-999 --reason "typed for a demo" --yes`,
		Args:    exactArgs("CODE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var c *nomtrack.Course
			dry, err := confirm.apply(app, cmd, func(db *store.DB) (err error) {
				c, err = db.RemoveCourse(cmd.Context(), args[0], strings.TrimSpace(reason))
				return err
			}, func() string { return fmt.Sprintf("Remove course %s (%s)?", c.Code, c.Title) })
			if err != nil {
				return err
			}
			return printRemoved(app, opts, dry, "course "+c.Code, c, courseBlock(c))
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why it is removed (recorded in the audit trail)")
	confirm.flags(cmd)
	addOutputFlags(cmd, &opts, output.TextFormats)
	declareFields(&opts, nomtrack.Course{}, "dry_run")
	return cmd
}
