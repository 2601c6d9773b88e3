package cli

import (
	"bufio"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/output"
	"github.com/nomtrack/nomtrack/internal/store"
)

// exportFormats are what export writes; csv is the default.
var exportFormats = []string{output.CSV, output.TSV, output.JSON, output.XLSX}

// exportOptions are the flags every export shares.
type exportOptions struct {
	out     output.Options
	bom     bool
	contact bool
}

// Columns of each export: the import's field names, so that an export
// imports again to the same data.
var (
	personExportCols     = []string{"ref", "name", "name_ar", "ministry", "rank", "rank_code", "position", "gender", "english"}
	contactExportCols    = []string{"email", "phone"}
	nominationExportCols = []string{"course", "start", "role", "status", "note", "visa", "clearance", "adl", "funding", "certificate"}
	courseExportCols     = []string{"code", "etoc_code", "title", "area", "provider", "days", "fee", "min_english", "min_rank", "requires"}
	offeringExportCols   = []string{"course", "start", "end", "location", "seats", "deadline"}
	requestExportCols    = []string{"ministry", "area", "year", "seats", "note"}
)

func newExportCmd(app *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export nominations|people|courses|offerings|requests",
		Short: "Write records to CSV, TSV, JSON or XLSX in the columns import reads",
		Long: `Write nominations, people, courses, offerings or requests with the list commands'
filters, in the columns 'nomtrack import' reads: an export can be edited and
imported again. Text cells that a spreadsheet would run as a formula (leading
=, +, -, @, tab or carriage return) get a leading apostrophe, which import
removes again; numbers stay numbers. Email and phone are left out unless
--with-contact. CSV is the default; --out FILE takes the format from its
extension and is written privately (mode 0600). XLSX is never written to a
terminal.`,
		Example: `  nomtrack export nominations --year 2012 --out 2012.xlsx
  nomtrack export people --ministry MoD --with-contact --bom > mod-people.csv
  nomtrack export courses -o json`,
	}
	cmd.AddCommand(newExportNominationsCmd(app), newExportPeopleCmd(app), newExportCoursesCmd(app),
		newExportOfferingsCmd(app), newExportRequestsCmd(app))
	return cmd
}

// addExportFlags adds the shared flags; contact only where records have them.
func addExportFlags(cmd *cobra.Command, o *exportOptions, contact bool) {
	cmd.Flags().StringVarP(&o.out.Format, "output", "o", "", "format: "+strings.Join(exportFormats, "|")+" (default csv, or from --out's extension)")
	cmd.Flags().StringVar(&o.out.OutFile, "out", "", "write to FILE (mode 0600) instead of stdout")
	cmd.Flags().BoolVar(&o.bom, "bom", false, "start CSV and TSV with a UTF-8 byte order mark, for Excel")
	if contact {
		cmd.Flags().BoolVar(&o.contact, "with-contact", false, "include email and phone")
	}
	cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions(exportFormats, cobra.ShellCompDirectiveNoFileComp))
}

// exportFormat resolves -o/--out before any work, so mistakes exit 2.
func exportFormat(cmd *cobra.Command, app *App, o *exportOptions) (string, error) {
	opts := o.out
	if opts.Format == "" && opts.OutFile == "" {
		opts.Format = output.CSV
	}
	f, err := opts.Resolve(exportFormats)
	if err != nil {
		return "", usageErrorf(cmd, "%s", nomtrack.ErrorMessage(err))
	}
	if f == output.XLSX && opts.OutFile == "" && app.IO.OutTTY {
		return "", usageErrorf(cmd, "will not write xlsx to a terminal; use --out FILE or redirect stdout")
	}
	return f, app.checkOutput(opts.OutFile)
}

// writeList exports an already loaded list, one row per record.
func writeList[T any](app *App, o *exportOptions, format string, cols []string, list []T, cells func(T) []output.Value) error {
	return writeExport(app, o, format, cols, func(w output.RowWriter) error {
		for _, x := range list {
			if err := w.WriteRow(cells(x)...); err != nil {
				return err
			}
		}
		return nil
	})
}

// writeExport opens the destination (stdout, or --out written atomically)
// and streams what produce writes into it through output's row writer,
// which types every cell the way lists and the rejects file do.
func writeExport(app *App, o *exportOptions, format string, cols []string, produce func(w output.RowWriter) error) error {
	run := func(w io.Writer) error {
		rw, err := output.NewRowWriter(w, format, cols, output.RowOptions{BOM: o.bom})
		if err != nil {
			return err
		}
		if err := produce(rw); err != nil {
			return err
		}
		return rw.Close()
	}
	if o.out.OutFile != "" {
		return output.WriteFile(o.out.OutFile, app.keep(), run)
	}
	bw := bufio.NewWriter(app.IO.Out)
	if err := run(bw); err != nil {
		return err
	}
	return bw.Flush()
}

// personCells appends a person's export cells.
func personCells(cells []output.Value, p *nomtrack.Person, contact bool) []output.Value {
	cells = append(cells, output.Text(p.Ref), output.Text(p.Name), output.Text(p.NameAr), output.Text(p.Ministry),
		output.Text(p.Rank), output.Text(p.RankCode), output.Text(p.Position), output.Text(p.Gender), output.Text(p.English))
	if contact {
		cells = append(cells, output.Text(p.Email), output.Text(p.Phone))
	}
	return cells
}

// nominationCells appends a nomination's export cells, after its person's.
func nominationCells(cells []output.Value, n *nomtrack.Nomination) []output.Value {
	return append(cells, output.Text(n.Course), output.Date(n.Start), output.Text(n.Role), output.Text(n.Status),
		output.Text(n.Note), output.Text(n.Visa), output.Text(n.Clearance), output.Date(n.ADL), output.Text(n.Funding),
		output.Text(n.Certificate))
}

func personCols(contact bool) []string {
	cols := append([]string(nil), personExportCols...)
	if contact {
		cols = append(cols, contactExportCols...)
	}
	return cols
}

func newExportNominationsCmd(app *App) *cobra.Command {
	var f store.NominationFilter
	var statuses []string
	var o exportOptions
	cmd := &cobra.Command{
		Use:   "nominations [--year Y] [--status S] [--ministry M] [--course C] [--offering REF] [--person P]",
		Short: "Export nominations with their people's details",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := exportFormat(cmd, app, &o)
			if err != nil {
				return err
			}
			if err := checkYearFlag(cmd, f.Year); err != nil {
				return err
			}
			if f.Status, err = statusFilter(statuses); err != nil {
				return err
			}
			if f.Ministry, err = ministryFilter(app, cmd, f.Ministry); err != nil {
				return err
			}
			db, err := app.ReadDB(cmd.Context())
			if err != nil {
				return err
			}
			cols := append(personCols(o.contact), nominationExportCols...)
			return writeExport(app, &o, format, cols, func(w output.RowWriter) error {
				cells := make([]output.Value, 0, len(cols))
				return db.ExportNominations(cmd.Context(), f, o.contact, func(n *nomtrack.Nomination, p *nomtrack.Person) error {
					cells = nominationCells(personCells(cells[:0], p, o.contact), n)
					return w.WriteRow(cells...)
				})
			})
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&f.Year, "year", 0, "only nominations to offerings starting in this year")
	fl.StringSliceVar(&statuses, "status", nil, "only nominations in this status (repeat, or a comma list: any of them)")
	fl.StringVar(&f.Ministry, "ministry", "", "only nominations of people of this ministry")
	fl.StringVar(&f.Course, "course", "", "only nominations to this course")
	fl.StringVar(&f.Offering, "offering", "", "only nominations to this offering (CODE@YYYY-MM-DD)")
	fl.StringVar(&f.Person, "person", "", "only nominations of this person (id or ref)")
	addExportFlags(cmd, &o, true)
	cmd.RegisterFlagCompletionFunc("status", cobra.FixedCompletions(nomtrack.Statuses, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func newExportPeopleCmd(app *App) *cobra.Command {
	var f store.PersonFilter
	var o exportOptions
	cmd := &cobra.Command{
		Use:   "people [--ministry M] [--search Q]",
		Short: "Export people (email and phone only with --with-contact)",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := exportFormat(cmd, app, &o)
			if err != nil {
				return err
			}
			if f.Ministry, err = ministryFilter(app, cmd, f.Ministry); err != nil {
				return err
			}
			db, err := app.ReadDB(cmd.Context())
			if err != nil {
				return err
			}
			cols := personCols(o.contact)
			return writeExport(app, &o, format, cols, func(w output.RowWriter) error {
				cells := make([]output.Value, 0, len(cols))
				return db.ExportPeople(cmd.Context(), f, o.contact, func(p *nomtrack.Person) error {
					cells = personCells(cells[:0], p, o.contact)
					return w.WriteRow(cells...)
				})
			})
		},
	}
	cmd.Flags().StringVar(&f.Ministry, "ministry", "", "only people of this ministry")
	cmd.Flags().StringVar(&f.Search, "search", "", "only people with a word of the name, Arabic name or ref starting with this (spelling variants folded)")
	addExportFlags(cmd, &o, true)
	return cmd
}

func newExportCoursesCmd(app *App) *cobra.Command {
	var f store.CourseFilter
	var o exportOptions
	cmd := &cobra.Command{
		Use:   "courses [--area A] [--provider P]",
		Short: "Export the course catalogue",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := exportFormat(cmd, app, &o)
			if err != nil {
				return err
			}
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
			return writeList(app, &o, format, courseExportCols, list, func(c *nomtrack.Course) []output.Value {
				return output.Values(c.Code, c.EtocCode, c.Title, c.Area, c.Provider, c.Days, c.Fee, c.MinEnglish, c.MinRank, c.Requires)
			})
		},
	}
	cmd.Flags().StringVar(&f.Area, "area", "", "only courses of this area of cooperation")
	cmd.Flags().StringVar(&f.Provider, "provider", "", "only courses of this provider")
	addExportFlags(cmd, &o, false)
	return cmd
}

func newExportOfferingsCmd(app *App) *cobra.Command {
	var f store.OfferingFilter
	var o exportOptions
	cmd := &cobra.Command{
		Use:   "offerings [--year Y] [--course C] [--area A]",
		Short: "Export offerings",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := exportFormat(cmd, app, &o)
			if err != nil {
				return err
			}
			if err := checkYearFlag(cmd, f.Year); err != nil {
				return err
			}
			if f.Area, err = areaValue(app, f.Area); err != nil {
				return err
			}
			db, err := app.ReadDB(cmd.Context())
			if err != nil {
				return err
			}
			f.OldestFirst = true // a sheet in time order, as export nominations writes
			list, err := db.ListOfferings(cmd.Context(), f)
			if err != nil {
				return err
			}
			return writeList(app, &o, format, offeringExportCols, list, func(x *nomtrack.Offering) []output.Value {
				return output.Values(x.Course, output.Date(x.Start), output.Date(x.End), x.Location, x.Seats, output.Date(x.Deadline))
			})
		},
	}
	cmd.Flags().IntVar(&f.Year, "year", 0, "only offerings starting in this year")
	cmd.Flags().StringVar(&f.Course, "course", "", "only offerings of this course")
	cmd.Flags().StringVar(&f.Area, "area", "", "only offerings of courses of this area")
	addExportFlags(cmd, &o, false)
	return cmd
}

func newExportRequestsCmd(app *App) *cobra.Command {
	var f store.RequestFilter
	var o exportOptions
	cmd := &cobra.Command{
		Use:   "requests [--year Y]",
		Short: "Export ministries' requests for seats",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := exportFormat(cmd, app, &o)
			if err != nil {
				return err
			}
			if err := checkYearFlag(cmd, f.Year); err != nil {
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
			return writeList(app, &o, format, requestExportCols, list, func(r *nomtrack.Request) []output.Value {
				return output.Values(r.Ministry, r.Area, r.Year, r.Seats, r.Note)
			})
		},
	}
	cmd.Flags().IntVar(&f.Year, "year", 0, "only requests for this year")
	addExportFlags(cmd, &o, false)
	return cmd
}
