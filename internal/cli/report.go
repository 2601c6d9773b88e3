package cli

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/nomtrack/nomtrack/internal/nomtrack"

	"github.com/nomtrack/nomtrack/internal/output"
	"github.com/nomtrack/nomtrack/internal/report"
	"github.com/nomtrack/nomtrack/internal/store"
	"github.com/spf13/cobra"
)

func newReportCmd(app *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Participation against capacity, women, repeats, costs, trends, demand, offerings, upcoming gaps",
		Long: `Reports answer what a coordinator is asked: how many of the year's funded places
were used and by whom (year), how that moves over the years (trend), what the
ministries asked for against what they got (demand), how each offering filled
(offerings), which offerings still need people (upcoming), who falls short of a
course's prerequisites (eligibility), one person's course history (person), who
went on several courses (repeat) and what it cost (costs).

Counting: committed = approved + confirmed + attended + completed; participated =
attended + completed; participants = distinct people who participated;
utilisation = participated / capacity. A nomination belongs to the year of its
offering's start, and to the ministry it was made under.`,
	}
	cmd.AddCommand(newReportYearCmd(app), newReportTrendCmd(app), newReportDemandCmd(app), newReportOfferingsCmd(app),
		newReportUpcomingCmd(app), newReportPendingCmd(app), newReportEligibilityCmd(app), newReportPersonCmd(app), newReportRepeatCmd(app),
		newReportCostsCmd(app))
	return cmd
}

// reportOptions are the store's report settings from the configuration.
func (a *App) reportOptions() (store.ReportOptions, error) {
	cfg, err := a.Config()
	if err != nil {
		return store.ReportOptions{}, err
	}
	return store.ReportOptions{DefaultCapacity: cfg.Capacity}, nil
}

// reportYearArg reads a YEAR argument or flag value (1900-2999, as the schema
// allows).
func reportYearArg(cmd *cobra.Command, what, s string) (int, error) {
	y, err := strconv.Atoi(s)
	if err != nil {
		return 0, usageErrorf(cmd, "%s %q is not a year; give four digits, e.g. 2012", what, s)
	}
	if y < 1900 || y > 2999 {
		return 0, usageErrorf(cmd, "%s %d is outside the years nomtrack keeps (1900-2999)", what, y)
	}
	return y, nil
}

// addTopFlag adds --top N to a report with breakdowns.
func addTopFlag(cmd *cobra.Command, top *int) {
	cmd.Flags().IntVar(top, "top", 0, "keep the N largest groups of each breakdown and sum the rest as one \"other\" row (0: all)")
	checkBeforeRun(cmd, func() error {
		if *top < 0 {
			return nomtrack.Errorf(nomtrack.EUSAGE, "--top %d is negative; give 1 or more, or 0 for every group", *top)
		}
		return nil
	})
}

func newReportYearCmd(app *App) *cobra.Command {
	var opts output.Options
	var top int
	cmd := &cobra.Command{
		Use:   "year YEAR",
		Short: "Participation against capacity in YEAR, with breakdowns",
		Long: `Participation against capacity in YEAR: the headline participated / capacity
(utilisation %) with a bar, the totals (nominations, committed, participated,
distinct participants, no-shows), the count of every status, and breakdowns by
ministry, area, course, provider, month and gender, each row with its distinct
participants. Then women's participation (distinct women, their share of the
participants, per ministry), the repeat participants (two or more
participations), and the course fees committed and participated by funding
source and by ministry: a course without a fee is counted as unknown, never as
free. Nominations count under the ministry they were made under.

--top N keeps the N largest groups (most nominations) of each breakdown but
the months and sums the others into one "other" row, in every format; in
JSON that row carries "folded": how many groups it sums. Its participants
are distinct people, not a sum.

Capacity is the year's row set with 'capacity set', else config 'capacity'
(500 unless configured).

csv and tsv give one long table: a 'total' row, one row per status, then one
row per group of each breakdown, tagged by its 'dimension' column, ready for a
pivot table or a filter. md gives the same sections as the table. html is one
self-contained page with bar charts (by year, ministry, area, and women's share
by ministry) and the repeat participants by name, fit to print; xlsx has one
sheet per breakdown, Women (with a chart), Repeats and Costs sheets, and a
chart of participation against capacity by year.`,
		Example: `  nomtrack report year 2012
  nomtrack report year 2012 -o json
  nomtrack report year 2012 --top 10
  nomtrack report year 2012 --out report-2012.html`,
		Args: exactArgs("YEAR"),
		RunE: func(cmd *cobra.Command, args []string) error {
			year, err := reportYearArg(cmd, "YEAR", args[0])
			if err != nil {
				return err
			}
			format, err := opts.Resolve(report.RichFormats)
			if err != nil {
				return err
			}
			ropt, err := app.reportOptions()
			if err != nil {
				return err
			}
			ropt.WithTrend = format == output.HTML || format == output.XLSX
			ropt.WithRepeats = ropt.WithTrend
			ropt.Top = top
			db, err := app.ReadDB(cmd.Context())
			if err != nil {
				return err
			}
			y, err := db.YearReport(cmd.Context(), year, ropt)
			if err != nil {
				return err
			}
			return app.Print(opts, report.RichFormats, report.YearDoc(y))
		},
	}
	addTopFlag(cmd, &top)
	addOutputFlags(cmd, &opts, report.RichFormats)
	return cmd
}

func newReportTrendCmd(app *App) *cobra.Command {
	var opts output.Options
	var from, to string
	cmd := &cobra.Command{
		Use:   "trend",
		Short: "Participation against capacity, one row a year",
		Long: `Participation against capacity, one row a year: capacity, nominations,
committed, participated, distinct participants and utilisation. Without
--from/--to it spans the first to the last year with nominations; a year in the
range without nominations shows its capacity and zeros.

html draws participation against capacity by year; xlsx has the table and a
native chart of it.`,
		Example: `  nomtrack report trend
  nomtrack report trend --from 2010 --to 2015 -o csv
  nomtrack report trend --out trend.xlsx`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			var lo, hi *int
			for _, f := range []struct {
				name, val string
				dst       **int
			}{{"--from", from, &lo}, {"--to", to, &hi}} {
				if f.val == "" {
					continue
				}
				y, err := reportYearArg(cmd, f.name, f.val)
				if err != nil {
					return err
				}
				*f.dst = &y
			}
			if lo != nil && hi != nil && *lo > *hi {
				return usageErrorf(cmd, "--from %d is after --to %d", *lo, *hi)
			}
			if _, err := opts.Resolve(report.RichFormats); err != nil {
				return err
			}
			ropt, err := app.reportOptions()
			if err != nil {
				return err
			}
			db, err := app.ReadDB(cmd.Context())
			if err != nil {
				return err
			}
			rows, err := db.TrendReport(cmd.Context(), lo, hi, ropt)
			if err != nil {
				return err
			}
			return app.Print(opts, report.RichFormats, report.TrendDoc(rows))
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "first year (default: the first year with nominations)")
	cmd.Flags().StringVar(&to, "to", "", "last year (default: the last year with nominations)")
	addOutputFlags(cmd, &opts, report.RichFormats)
	return cmd
}

// newYearReportCmd builds a report command taking one YEAR argument and
// printing in the text formats.
func newYearReportCmd(app *App, use, short, long string, run func(cmd *cobra.Command, year int) (output.Doc, error)) *cobra.Command {
	var opts output.Options
	cmd := &cobra.Command{
		Use:     use + " YEAR",
		Short:   short,
		Long:    long,
		Example: "  nomtrack report " + use + " 2012\n  nomtrack report " + use + " 2012 -o csv --out " + use + "-2012.csv",
		Args:    exactArgs("YEAR"),
		RunE: func(cmd *cobra.Command, args []string) error {
			year, err := reportYearArg(cmd, "YEAR", args[0])
			if err != nil {
				return err
			}
			if _, err := opts.Resolve(output.TextFormats); err != nil {
				return err
			}
			doc, err := run(cmd, year)
			if err != nil {
				return err
			}
			return app.Print(opts, output.TextFormats, doc)
		},
	}
	addOutputFlags(cmd, &opts, output.TextFormats)
	return cmd
}

func newReportDemandCmd(app *App) *cobra.Command {
	return newYearReportCmd(app, "demand", "Requests against nominations and participation, ministry by area",
		`What each ministry requested in YEAR, by area of cooperation, against what it
nominated, what was committed and who participated, with each ministry's total
and the total of all. fill_rate is committed / requested; it is empty (null in
JSON) where there was no request. A ministry and area with nominations but no
request, or a request but no nominations, is listed. Nominations count under
the ministry they were made under, so a person who moved since does not move
past years.

JSON is an object: year, rows, by_ministry and total. csv and tsv are one long
table whose 'level' column says area, ministry or total.`,
		func(cmd *cobra.Command, year int) (output.Doc, error) {
			db, err := app.ReadDB(cmd.Context())
			if err != nil {
				return output.Doc{}, err
			}
			d, err := db.DemandReport(cmd.Context(), year)
			if err != nil {
				return output.Doc{}, err
			}
			return report.DemandDoc(d), nil
		})
}

func newReportOfferingsCmd(app *App) *cobra.Command {
	return newYearReportCmd(app, "offerings", "Each offering of YEAR: seats, committed, alternates, fill rate, no-shows",
		`Each offering starting in YEAR, cancelled ones included: its seats, nominations,
committed (approved, confirmed, attended, completed), participated, alternates put
forward, no-shows and fill_rate = committed / seats (empty when the seats are not
announced).`,
		func(cmd *cobra.Command, year int) (output.Doc, error) {
			db, err := app.ReadDB(cmd.Context())
			if err != nil {
				return output.Doc{}, err
			}
			rows, err := db.OfferingsReport(cmd.Context(), year)
			return report.OfferingsDoc(rows), err
		})
}

// eligibilityGCPercent is the collector's GOGC while `report eligibility`
// runs. At 1,000,000 nominations the report allocates about 60 MB in a
// quarter of a second and keeps about 20 MB live; from the runtime's first
// 4 MB goal the default (100) ran ten collections, a sixth of the CPU
// (GODEBUG=gctrace=1). 400 runs two, for 4 MB more peak RSS (63 MB; the
// goal is 100 MB); 200 ran five.
const eligibilityGCPercent = 400

func newReportEligibilityCmd(app *App) *cobra.Command {
	cmd := newYearReportCmd(app, "eligibility", "Nominations of YEAR short of their course's prerequisites",
		`Nominations of YEAR whose person falls short of the course's prerequisites: an
English profile below the minimum in any skill, a rank code below the minimum
rank, or either unknown while the course sets one. Every status is listed, so
the report also explains past declines. The table ends with how many of the
people nominated in YEAR have no NATO rank code (their rank prerequisites
cannot be checked; a rank title nomtrack knows, or config ranks, gives one).`,
		func(cmd *cobra.Command, year int) (output.Doc, error) {
			db, err := app.ReadDB(cmd.Context())
			if err != nil {
				return output.Doc{}, err
			}
			e, err := db.EligibilityReport(cmd.Context(), year)
			if err != nil {
				return output.Doc{}, err
			}
			return withRankCodeCoverage(report.EligibilityDoc(e.Rows), year, e.MissingRankCode, e.Nominated), nil
		})
	run := cmd.RunE
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if os.Getenv("GOGC") == "" {
			defer debug.SetGCPercent(debug.SetGCPercent(eligibilityGCPercent))
		}
		return run(cmd, args)
	}
	return cmd
}

func newReportUpcomingCmd(app *App) *cobra.Command {
	var opts output.Options
	var days int
	var within string
	cmd := &cobra.Command{
		Use:   "upcoming [--days N]",
		Short: "Open offerings whose nomination deadline or start falls within the next days",
		Long: `Every open (not cancelled) offering whose nomination deadline or start falls
within --days of today (14 by default; today counts), full or not, earliest date
first: the days left to the deadline and to the start, the seats, the committed
principals (approved, confirmed, attended, completed), the open seats, the
principals still awaiting approval (nominated) and the alternates waiting.
Offerings whose seats are not announced show '?' for seats and open seats.
NOMTRACK_NOW pins "today". Deadlines already passed are in 'report pending'.`,
		Example: `  nomtrack report upcoming
  nomtrack report upcoming --days 30 -o json`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("within") {
				if cmd.Flags().Changed("days") {
					return usageErrorf(cmd, "give --days or --within, not both")
				}
				d, err := parseWithin(within)
				if err != nil {
					return usageErrorf(cmd, "%s", err.Error())
				}
				days = d
			}
			if days < 0 {
				return usageErrorf(cmd, "--days %d is negative; give the number of days ahead to look", days)
			}
			if _, err := opts.Resolve(output.TextFormats); err != nil {
				return err
			}
			now := app.Now()
			today := now.Format(nomtrack.DateLayout)
			until := now.AddDate(0, 0, days).Format(nomtrack.DateLayout)
			db, err := app.ReadDB(cmd.Context())
			if err != nil {
				return err
			}
			rows, err := db.UpcomingReport(cmd.Context(), today, until)
			if err != nil {
				return err
			}
			return app.Print(opts, output.TextFormats, report.UpcomingDoc(rows))
		},
	}
	cmd.Flags().IntVar(&days, "days", 14, "how many days ahead of today to look")
	cmd.Flags().StringVar(&within, "within", "", "the window as days or weeks (42d, 6w); the same as --days")
	cmd.Flags().MarkHidden("within")
	addOutputFlags(cmd, &opts, output.TextFormats)
	return cmd
}

func newReportPendingCmd(app *App) *cobra.Command {
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "pending",
		Short: "What needs the coordinator's hand today, with the command that settles each item",
		Long: `One row per item that waits for the coordinator, with the command that settles it:

  attendance  a run has ended with principals still approved or confirmed
  completion  a run has ended with nominations still attended
  deadline    a nomination deadline has passed with nominations still nominated
  clearance   an approved or confirmed nomination lacks the granted clearance
  adl         its course requires (course edit --requires), or the ADL date

'since' is the day the item became due. Cancelled offerings are left out.
NOMTRACK_NOW pins "today".`,
		Example: `  nomtrack report pending
  nomtrack report pending -o json`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := opts.Resolve(output.TextFormats); err != nil {
				return err
			}
			db, err := app.ReadDB(cmd.Context())
			if err != nil {
				return err
			}
			rows, err := db.PendingReport(cmd.Context(), app.Now().Format(nomtrack.DateLayout))
			if err != nil {
				return err
			}
			return app.Print(opts, output.TextFormats, report.PendingDoc(rows))
		},
	}
	addOutputFlags(cmd, &opts, output.TextFormats)
	return cmd
}

// parseWithin reads a window as days: "42d", "6w" or "42".
func parseWithin(s string) (int, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	mult := 1
	switch {
	case strings.HasSuffix(v, "d"):
		v = strings.TrimSuffix(v, "d")
	case strings.HasSuffix(v, "w"):
		v, mult = strings.TrimSuffix(v, "w"), 7
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 3660 {
		return 0, fmt.Errorf("--within %q is not a window; give days or weeks, e.g. 42d or 6w", s)
	}
	return n * mult, nil
}

func newReportPersonCmd(app *App) *cobra.Command {
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "person PERSON",
		Short: "One person's course history",
		Long: `One person's course history, oldest first: every nomination with its offering,
course, dates, role and status, and the person's totals by the counting rules.
PERSON is an id, ref or name, as for 'person show'. Contact details are left out.`,
		Example: `  nomtrack report person 12345
  nomtrack report person 17 -o json`,
		Args: exactArgs("PERSON"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := opts.Resolve(output.TextFormats); err != nil {
				return err
			}
			db, err := app.ReadDB(cmd.Context())
			if err != nil {
				return err
			}
			p, err := db.PersonReport(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return app.Print(opts, output.TextFormats, report.PersonDoc(p))
		},
	}
	addOutputFlags(cmd, &opts, output.TextFormats)
	return cmd
}

// withRankCodeCoverage ends the table of `report eligibility` with how many
// of the year's nominated people have no rank code. Data formats (JSON, CSV
// …) keep the rows alone, so their shape does not change.
func withRankCodeCoverage(doc output.Doc, year, missing, nominated int) output.Doc {
	text := doc.Text
	doc.Text = func(w io.Writer, color bool) error {
		if err := text(w, color); err != nil {
			return err
		}
		if nominated == 0 {
			return nil
		}
		if missing == 0 {
			_, err := fmt.Fprintf(w, "\nEvery person nominated in %d has a NATO rank code.\n", year)
			return err
		}
		_, err := fmt.Fprintf(w, "\n%d of the %d people nominated in %d have no NATO rank code, so their rank prerequisites cannot be checked; give rank_code, or a rank title nomtrack knows (config ranks adds titles).\n",
			missing, nominated, year)
		return err
	}
	return doc
}

func newReportRepeatCmd(app *App) *cobra.Command {
	var opts output.Options
	var from, to string
	var least int
	cmd := &cobra.Command{
		Use:   "repeat [YEAR | --from Y --to Y]",
		Short: "People who participated in several courses, with their courses",
		Long: `People with at least --min participations (attended or completed, default 2)
in YEAR, or from --from to --to (either alone is one year), with their courses
oldest first. ministry is the one their latest participation was made under.
Most participations first, then by name.

JSON has one object per person: person_id, person, ref, ministry,
participations and courses (offering, course, title, start, status).`,
		Example: `  nomtrack report repeat 2025
  nomtrack report repeat --from 2020 --to 2025 --min 3 -o json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usageErrorf(cmd, "unexpected argument %q", args[1])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			var lo, hi int
			switch {
			case len(args) == 1 && (from != "" || to != ""):
				return usageErrorf(cmd, "give YEAR or --from/--to, not both")
			case len(args) == 1:
				y, err := reportYearArg(cmd, "YEAR", args[0])
				if err != nil {
					return err
				}
				lo, hi = y, y
			case from == "" && to == "":
				return usageErrorf(cmd, "missing YEAR (or --from and --to)")
			default:
				for _, f := range []struct {
					name, val string
					dst       *int
				}{{"--from", from, &lo}, {"--to", to, &hi}} {
					if f.val == "" {
						continue
					}
					y, err := reportYearArg(cmd, f.name, f.val)
					if err != nil {
						return err
					}
					*f.dst = y
				}
				if lo == 0 {
					lo = hi
				}
				if hi == 0 {
					hi = lo
				}
				if lo > hi {
					return usageErrorf(cmd, "--from %d is after --to %d", lo, hi)
				}
			}
			if least < 1 {
				return usageErrorf(cmd, "--min must be at least 1")
			}
			if _, err := opts.Resolve(output.TextFormats); err != nil {
				return err
			}
			db, err := app.ReadDB(cmd.Context())
			if err != nil {
				return err
			}
			rows, err := db.RepeatReport(cmd.Context(), lo, hi, least)
			if err != nil {
				return err
			}
			return app.Print(opts, output.TextFormats, report.RepeatDoc(rows))
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "first year of the range")
	cmd.Flags().StringVar(&to, "to", "", "last year of the range")
	cmd.Flags().IntVar(&least, "min", 2, "participations a person needs to be listed")
	addOutputFlags(cmd, &opts, output.TextFormats)
	return cmd
}

func newReportCostsCmd(app *App) *cobra.Command {
	var top int
	cmd := newYearReportCmd(app, "costs", "Course fees of YEAR by funding source, ministry, area and provider",
		`The course fees (per seat, in EUR) of YEAR's nominations: committed (approved,
confirmed, attended, completed: money already promised) and participated
(attended, completed), in total and by funding source (nato, national, host,
other, unknown), ministry, area and provider. A course without a fee has an
unknown cost: its nominations are counted apart (unknown_fee) and its offerings
listed, never summed as zero; an amount is empty (null in JSON) when no fee of
its nominations is known.

csv and tsv give one long table tagged by 'dimension' (total, funding, ministry,
area, provider, and unknown_fee for the offerings without a fee).

--top N keeps the N largest rows (committed fees) of the ministry, area and
provider breakdowns and sums the others into one "other" row ("folded" in
JSON: how many rows it sums); funding always lists every source.`,
		func(cmd *cobra.Command, year int) (output.Doc, error) {
			db, err := app.ReadDB(cmd.Context())
			if err != nil {
				return output.Doc{}, err
			}
			c, err := db.CostsReport(cmd.Context(), year)
			if err != nil {
				return output.Doc{}, err
			}
			c.ByMinistry, c.ByArea, c.ByProvider = c.ByMinistry.Top(top), c.ByArea.Top(top), c.ByProvider.Top(top)
			return report.CostsDoc(c), nil
		})
	addTopFlag(cmd, &top)
	return cmd
}
