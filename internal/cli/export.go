package cli

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/output"
	"github.com/nomtrack/nomtrack/internal/store"
	"github.com/nomtrack/nomtrack/internal/xlsx"
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
	courseExportCols     = []string{"code", "etoc_code", "title", "area", "provider", "days", "fee", "min_english", "min_rank"}
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

// rowWriter streams rows of cells under a header in one format.
type rowWriter interface {
	row(cells []any) error
	close() error
}

// writeList exports an already loaded list, one row per record.
func writeList[T any](app *App, o *exportOptions, format string, cols []string, list []T, cells func(T) []any) error {
	return writeExport(app, o, format, cols, func(w rowWriter) error {
		for _, x := range list {
			if err := w.row(cells(x)); err != nil {
				return err
			}
		}
		return nil
	})
}

// writeExport opens the destination (stdout, or --out written atomically)
// and streams what produce writes into it.
func writeExport(app *App, o *exportOptions, format string, cols []string, produce func(w rowWriter) error) error {
	run := func(w io.Writer) error {
		rw, err := newRowWriter(w, format, cols, o.bom)
		if err != nil {
			return err
		}
		if err := produce(rw); err != nil {
			return err
		}
		return rw.close()
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

func newRowWriter(w io.Writer, format string, cols []string, bom bool) (rowWriter, error) {
	switch format {
	case output.CSV, output.TSV:
		if bom {
			if _, err := io.WriteString(w, "\uFEFF"); err != nil {
				return nil, err
			}
		}
		cw := csv.NewWriter(w)
		if format == output.TSV {
			cw.Comma = '\t'
		}
		return &csvRows{cw: cw, rec: make([]string, len(cols))}, cw.Write(cols)
	case output.JSON:
		return &jsonRows{w: w, cols: cols}, nil
	case output.XLSX:
		return newXLSXRows(w, cols)
	}
	return nil, nomtrack.Errorf(nomtrack.EUSAGE, "export cannot write %s", format)
}

// csvRows writes CSV or TSV; output.SafeCell neutralises text only.
type csvRows struct {
	cw  *csv.Writer
	rec []string
}

func (c *csvRows) row(cells []any) error {
	for i := range c.rec {
		c.rec[i] = output.SafeCell(cells[i])
	}
	return c.cw.Write(c.rec)
}

func (c *csvRows) close() error {
	c.cw.Flush()
	return c.cw.Error()
}

// jsonRows writes an array of objects keyed by the columns, one object a
// line; an empty export is [].
type jsonRows struct {
	w    io.Writer
	cols []string
	n    int
	buf  []byte
	val  bytes.Buffer
	enc  *json.Encoder
}

func (j *jsonRows) row(cells []any) error {
	b := j.buf[:0]
	if j.n == 0 {
		b = append(b, "[\n  {"...)
	} else {
		b = append(b, ",\n  {"...)
	}
	for i, c := range j.cols {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, '"')
		b = append(b, c...)
		b = append(b, `": `...)
		if j.enc == nil {
			// As every JSON nomtrack prints: names such as "Al-Saadi &
			// Sons" stay readable.
			j.enc = json.NewEncoder(&j.val)
			j.enc.SetEscapeHTML(false)
		}
		j.val.Reset()
		if err := j.enc.Encode(jsonValue(cells[i])); err != nil {
			return err
		}
		b = append(b, bytes.TrimSuffix(j.val.Bytes(), []byte("\n"))...)
	}
	b = append(b, '}')
	j.buf, j.n = b, j.n+1
	_, err := j.w.Write(b)
	return err
}

func (j *jsonRows) close() error {
	end := "\n]\n"
	if j.n == 0 {
		end = "[]\n"
	}
	_, err := io.WriteString(j.w, end)
	return err
}

// jsonValue turns a nil *int into null and keeps the rest as they are.
func jsonValue(v any) any {
	if p, ok := v.(*int); ok && p == nil {
		return nil
	}
	return v
}

// xlsxRows streams one sheet through the workbook writer: numbers stay
// numbers, text is neutralised.
type xlsxRows struct {
	xw  *xlsx.Writer
	buf []xlsx.Cell
}

func newXLSXRows(w io.Writer, cols []string) (*xlsxRows, error) {
	xw := xlsx.NewWriter(w)
	bold := xw.AddStyle(xlsx.Style{Bold: true})
	if err := xw.NewSheet("Sheet1", xlsx.SheetOptions{}); err != nil {
		return nil, err
	}
	x := &xlsxRows{xw: xw, buf: make([]xlsx.Cell, len(cols))}
	for i, c := range cols {
		x.buf[i] = xlsx.Text(c).WithStyle(bold)
	}
	return x, xw.WriteRow(x.buf...)
}

func (x *xlsxRows) row(cells []any) error {
	for i, c := range cells {
		switch v := c.(type) {
		case string:
			x.buf[i] = xlsx.Text(output.Neutralise(v))
			if v == "" {
				x.buf[i] = xlsx.Cell{}
			}
		case *int:
			if v == nil {
				x.buf[i] = xlsx.Cell{}
			} else {
				x.buf[i] = xlsx.Int(int64(*v))
			}
		case int:
			x.buf[i] = xlsx.Int(int64(v))
		case int64:
			x.buf[i] = xlsx.Int(v)
		case float64:
			x.buf[i] = xlsx.Float(v)
		case bool:
			x.buf[i] = xlsx.Bool(v)
		case nil:
			x.buf[i] = xlsx.Cell{}
		default:
			x.buf[i] = xlsx.Text(output.SafeCell(v))
		}
	}
	return x.xw.WriteRow(x.buf...)
}

func (x *xlsxRows) close() error { return x.xw.Close() }

// personCells appends a person's export cells.
func personCells(cells []any, p *nomtrack.Person, contact bool) []any {
	cells = append(cells, p.Ref, p.Name, p.NameAr, p.Ministry, p.Rank, p.RankCode, p.Position, p.Gender, p.English)
	if contact {
		cells = append(cells, p.Email, p.Phone)
	}
	return cells
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
			return writeExport(app, &o, format, cols, func(w rowWriter) error {
				cells := make([]any, 0, len(cols))
				return db.ExportNominations(cmd.Context(), f, o.contact, func(n *nomtrack.Nomination, p *nomtrack.Person) error {
					cells = append(personCells(cells[:0], p, o.contact), n.Course, n.Start, n.Role, n.Status, n.Note,
						n.Visa, n.Clearance, n.ADL, n.Funding, n.Certificate)
					return w.row(cells)
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
			return writeExport(app, &o, format, cols, func(w rowWriter) error {
				cells := make([]any, 0, len(cols))
				return db.ExportPeople(cmd.Context(), f, o.contact, func(p *nomtrack.Person) error {
					return w.row(personCells(cells[:0], p, o.contact))
				})
			})
		},
	}
	cmd.Flags().StringVar(&f.Ministry, "ministry", "", "only people of this ministry")
	cmd.Flags().StringVar(&f.Search, "search", "", "only people whose name, Arabic name or ref contains this")
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
			return writeList(app, &o, format, courseExportCols, list, func(c *nomtrack.Course) []any {
				return []any{c.Code, c.EtocCode, c.Title, c.Area, c.Provider, c.Days, c.Fee, c.MinEnglish, c.MinRank}
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
			return writeList(app, &o, format, offeringExportCols, list, func(x *nomtrack.Offering) []any {
				return []any{x.Course, x.Start, x.End, x.Location, x.Seats, x.Deadline}
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
			return writeList(app, &o, format, requestExportCols, list, func(r *nomtrack.Request) []any {
				return []any{r.Ministry, r.Area, r.Year, r.Seats, r.Note}
			})
		},
	}
	cmd.Flags().IntVar(&f.Year, "year", 0, "only requests for this year")
	addExportFlags(cmd, &o, false)
	return cmd
}
