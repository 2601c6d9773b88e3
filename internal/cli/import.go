package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/nomtrack/nomtrack/internal/files"
	"github.com/nomtrack/nomtrack/internal/importer"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/output"
	"github.com/nomtrack/nomtrack/internal/sheet"
)

// importOptions are the flags of `nomtrack import`.
type importOptions struct {
	kind            string
	sheet           string
	dryRun          bool
	onError         string
	rejects         string
	maps            []string
	encoding        string
	dateOrder       string
	createOfferings bool
	acceptChanges   bool
	overAllocate    bool
	strict          bool
	maxErrors       int
	out             output.Options
}

var importFormats = []string{output.Table, output.JSON}

// importMemoryLimit is the Go heap an import aims to stay within (SQLite's
// page cache comes on top). At 1M rows and 250,000 people the lookups hold
// about 40-44 MB live; 56 MiB keeps the peak RSS at 86-97 MB (the goal is
// 100 MB) whether the sheet lists nominations by person or by date. 48 MiB
// was tried: 2-6 MB less RSS, but a sheet listed by date then kept the
// collector running back to back (18-21 s instead of 14-16 s).
const importMemoryLimit = 56 << 20

func newImportCmd(app *App) *cobra.Command {
	var opts importOptions
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Import a spreadsheet of nominations, people, courses, offerings or requests",
		Long: `Import a spreadsheet (.csv, .tsv, .txt or .xlsx) in one transaction: all of it or,
when any row is invalid, nothing (--on-error skip commits the valid rows and writes
the others to a rejects file with an error column).

The kind defaults from the file: an .xlsx with sheets named Courses, Offerings,
People, Requests or Nominations is a workbook, imported in that order; otherwise
the kind is read from the headers (courses: code and title; offerings: course,
start and seats; requests: ministry, area and seats; people: person columns
without a course; nominations: person and course columns) and the summary says
which. Headers match the field names and their English and Arabic synonyms
case-, space- and punctuation-insensitively, Arabic ones across letter
variants; --map 'Header Text=field' adds more. Rank titles (Colonel, عقيد ركن)
give the NATO rank code when the sheet gives none (config ranks adds titles).
Text files may be UTF-8 (with or without BOM), UTF-16 with BOM or Windows-1256;
the delimiter (comma, semicolon, tab) is sniffed.

People are matched by ref, else by name and ministry, and created when new. A
nomination is keyed by person and offering, so importing the same sheet again
changes nothing; a status only moves forward, each change recorded in the
nomination's history with the row as its source. Empty cells never erase
stored values. See docs/import.md.`,
		Example: `  nomtrack import courses.csv
  nomtrack import nominations-2012.xlsx --dry-run
  nomtrack import mod.csv --on-error skip --rejects mod-fix.csv
  nomtrack import sheet.csv --map 'Service No.=ref' --date-order mdy`,
		Args: exactArgs("FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runImport(cmd, app, &opts, args[0])
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.kind, "kind", "", "nominations|courses|offerings|people|requests|workbook (default: from the file)")
	f.StringVar(&opts.sheet, "sheet", "", "the xlsx sheet to read")
	f.BoolVar(&opts.dryRun, "dry-run", false, "say what would change and write nothing")
	f.StringVar(&opts.onError, "on-error", importer.OnErrorAbort, "abort: any invalid row writes nothing; skip: commit the valid rows")
	f.StringVar(&opts.rejects, "rejects", "", "write invalid rows here with an error column (default with --on-error skip: FILE.rejects.csv)")
	f.StringArrayVar(&opts.maps, "map", nil, "'Header Text=field': read a column as a field (repeatable)")
	f.StringVar(&opts.encoding, "encoding", "", "text encoding: utf-8, utf-16, utf-16le, utf-16be, windows-1256, latin1 (default: detected)")
	f.StringVar(&opts.dateOrder, "date-order", "", "order of numeric dates: dmy, mdy or ymd (default: config date_order, dmy)")
	f.BoolVar(&opts.createOfferings, "create-offerings", false, "create offerings that nomination rows name but that do not exist")
	f.BoolVar(&opts.acceptChanges, "accept-changes", false, "let rows change a known person's ministry or gender (recorded in the person's history)")
	f.BoolVar(&opts.overAllocate, "over-allocate", false, "let rows commit more principals to an offering than its seats")
	f.BoolVar(&opts.strict, "strict", false, "make a row below its course's prerequisites an error instead of a warning")
	f.IntVar(&opts.maxErrors, "max-errors", importer.DefaultMaxErrors, "list at most N row errors")
	addOutputFlags(cmd, &opts.out, importFormats)
	declareFields(&opts.out, importer.Summary{})
	cmd.RegisterFlagCompletionFunc("kind", cobra.FixedCompletions([]string{"nominations", "courses", "offerings", "people", "requests", "workbook"}, cobra.ShellCompDirectiveNoFileComp))
	cmd.RegisterFlagCompletionFunc("on-error", cobra.FixedCompletions([]string{"abort", "skip"}, cobra.ShellCompDirectiveNoFileComp))
	cmd.RegisterFlagCompletionFunc("date-order", cobra.FixedCompletions([]string{"dmy", "mdy", "ymd"}, cobra.ShellCompDirectiveNoFileComp))
	cmd.RegisterFlagCompletionFunc("encoding", cobra.FixedCompletions(sheet.EncodingNames, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// importFlags checks the flags before any work, so mistakes exit 2.
func importFlags(cmd *cobra.Command, opts *importOptions) (importer.Options, error) {
	var o importer.Options
	if opts.kind != "" && !strings.EqualFold(opts.kind, importer.KindWorkbook) {
		if _, err := sheet.ParseKind(opts.kind); err != nil {
			return o, usageErrorf(cmd, "unknown --kind %q; use nominations, courses, offerings, people, requests or workbook", opts.kind)
		}
	}
	switch opts.onError {
	case importer.OnErrorAbort, importer.OnErrorSkip:
	default:
		return o, usageErrorf(cmd, "--on-error %q: use abort or skip", opts.onError)
	}
	if opts.maxErrors < 1 {
		return o, usageErrorf(cmd, "--max-errors must be at least 1")
	}
	if opts.dateOrder != "" {
		if _, err := sheet.ParseDateOrder(opts.dateOrder); err != nil {
			return o, usageErrorf(cmd, "--date-order %q: use dmy, mdy or ymd", opts.dateOrder)
		}
	}
	if opts.encoding != "" {
		ok := false
		for _, e := range sheet.EncodingNames {
			ok = ok || strings.EqualFold(strings.ReplaceAll(opts.encoding, "_", "-"), e)
		}
		if !ok {
			return o, usageErrorf(cmd, "--encoding %q: use one of %s", opts.encoding, strings.Join(sheet.EncodingNames, ", "))
		}
	}
	if _, err := opts.out.Resolve(importFormats); err != nil {
		return o, usageErrorf(cmd, "%s", nomtrack.ErrorMessage(err))
	}
	o.Map = map[string]string{}
	for _, m := range opts.maps {
		text, field, ok := strings.Cut(m, "=")
		if !ok || strings.TrimSpace(text) == "" || strings.TrimSpace(field) == "" {
			return o, usageErrorf(cmd, "--map %q: write it as 'Header Text=field'", m)
		}
		o.Map[strings.TrimSpace(text)] = strings.TrimSpace(field)
	}
	if err := importer.CheckMap(o.Map); err != nil {
		return o, usageErrorf(cmd, "%s", nomtrack.ErrorMessage(err))
	}
	o.Kind, o.Sheet, o.DryRun, o.OnError = opts.kind, opts.sheet, opts.dryRun, opts.onError
	o.Rejects, o.Encoding, o.CreateOfferings, o.MaxErrors = opts.rejects, opts.encoding, opts.createOfferings, opts.maxErrors
	o.AcceptChanges, o.OverAllocate, o.Strict = opts.acceptChanges, opts.overAllocate, opts.strict
	return o, nil
}

func runImport(cmd *cobra.Command, app *App, opts *importOptions, path string) (err error) {
	iopt, err := importFlags(cmd, opts)
	if err != nil {
		return err
	}
	// Neither the summary (--out) nor the rejects file may replace the
	// sheet or the database: refused before anything is read or written.
	app.inputs = append(app.inputs, path)
	rejects := importer.RejectsPath(path, iopt)
	for _, out := range []string{opts.out.OutFile, rejects} {
		if err := app.checkOutput(out); err != nil {
			return err
		}
	}
	if err := rejectsFileFree(path, rejects, opts.rejects, opts.out.OutFile); err != nil {
		return err
	}
	cfg, err := app.Config()
	if err != nil {
		return err
	}
	order := opts.dateOrder
	if order == "" {
		order = cfg.DateOrder
	}
	if iopt.DateOrder, err = sheet.ParseDateOrder(order); err != nil {
		return err
	}
	for text, field := range cfg.ImportMap { // --map wins over config import.map
		if _, set := iopt.Map[text]; !set {
			iopt.Map[text] = field
		}
	}
	if iopt.Ministries, err = app.Ministries(); err != nil {
		return err
	}
	if iopt.Areas, err = app.Areas(); err != nil {
		return err
	}
	if iopt.Ranks, err = app.Ranks(); err != nil {
		return err
	}
	db, err := app.DB(cmd.Context())
	if err != nil {
		return err
	}
	finishBar := func() {}
	if app.IO.ErrTTY && !app.IO.Quiet {
		bar := output.NewProgress(app.IO.Err, "importing", "rows", time.Now)
		iopt.Progress = bar.Set
		finishBar = func() { bar.Finish() }
	}
	iopt.OnStage = interruptAtStage(cmd.Context(), app.IO.Err)
	if os.Getenv("GOMEMLIMIT") == "" {
		// The import's lookups are compact; without a limit the collector
		// lets the heap grow to twice them before it runs.
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(importMemoryLimit))
	}
	sum, err := importer.Run(cmd.Context(), db, path, iopt)
	finishBar() // cleared before anything else is printed
	if err != nil {
		return err
	}
	if sum.Committed {
		if iopt.OnStage != nil {
			iopt.OnStage(stageCommitted)
		}
		// From here on the rows stand: a signal while the summary is
		// printed (or while PostgreSQL vacuums what the import filled)
		// must not end in "nothing was written".
		defer func() { err = committedThenInterrupted(cmd.Context(), sum, err) }()
	}
	for _, w := range sum.Warnings {
		app.IO.Warn("%s", w)
	}
	format, _ := opts.out.Resolve(importFormats)
	if format == output.Table {
		for _, e := range sum.Errors {
			fmt.Fprintln(app.IO.Err, nomtrack.Printable(e.String()))
		}
		if sum.MoreErrors > 0 {
			fmt.Fprintf(app.IO.Err, "… and %d more\n", sum.MoreErrors)
		}
	}
	if err := app.Print(opts.out, importFormats, output.Doc{JSON: sum, Text: func(w io.Writer, _ bool) error {
		return writeImportSummary(w, sum)
	}}); err != nil {
		return err
	}
	if sum.Rejects != "" {
		app.IO.Notice("nomtrack: rejected rows written to %s", sum.Rejects)
	}
	if sum.Rejected > 0 {
		switch {
		case sum.DryRun:
			return nomtrack.Errorf(nomtrack.EINVALID, "%s would reject %s (dry run: nothing was written)", sum.File, importPlural(sum.Rejected, "row"))
		case sum.Committed && sum.Rejected == sum.Rows:
			return nomtrack.Errorf(nomtrack.EINVALID, "%s: every row was rejected (%d); nothing was written", sum.File, sum.Rejected)
		case sum.Committed:
			return nomtrack.Errorf(nomtrack.EINVALID, "%s: %s rejected; the valid rows were committed", sum.File, importPlural(sum.Rejected, "row"))
		}
		return nomtrack.Errorf(nomtrack.EINVALID, "%s: %s rejected; nothing was written (fix them, or use --on-error skip to commit the valid rows)", sum.File, importPlural(sum.Rejected, "row"))
	}
	return nil
}

// rejectsFileFree refuses (exit 2, before any work) a rejects file that
// would destroy rows a coordinator keeps: the summary's --out naming the
// same file would overwrite the rejected rows just written there, and the
// default FILE.rejects.csv, named by nomtrack rather than the user, may be
// the rejects of an earlier import being fixed by hand, so it never
// replaces a file that exists (--rejects names one to replace on purpose).
func rejectsFileFree(input, rejects, given, out string) error {
	if rejects == "" {
		return nil
	}
	if out != "" {
		if err := files.CheckOutput(rejects, files.Keep{Path: out, What: "the --out file of the summary"}); err != nil {
			return nomtrack.Errorf(nomtrack.EUSAGE, "the rejected rows and the summary (--out) would both go to %s; give them a file each with --rejects and --out (nothing was written)", rejects)
		}
	}
	if given == "" {
		if _, err := os.Lstat(rejects); err == nil {
			return nomtrack.Errorf(nomtrack.EUSAGE, "will not write the rejected rows of %s to %s: it exists (the rejects of an earlier import?); fix and import it, move it away, or name another file with --rejects (nothing was written)", filepath.Base(input), rejects)
		}
	}
	return nil
}

// interruptAtEnv names a stage of the import at which nomtrack sends itself
// SIGINT (or SIGTERM, with ":TERM" appended; SIGKILL with ":KILL"), exactly
// as if the user had pressed Ctrl-C (or the machine killed it) then (`db
// copy` has the stages copy-opened, copy-committed and copy-checked). It is
// for the tests that prove every stage can be interrupted (internal/safety);
// it can do nothing the user could not.
const interruptAtEnv = "NOMTRACK_TEST_INTERRUPT_AT"

// committedThenInterrupted is what an import whose transaction committed
// returns when a signal came after the commit: its rows are in the
// database whatever else was given up (the summary's --out file), so the
// sentence says so instead of "nothing was written" (still exit 130).
func committedThenInterrupted(ctx context.Context, sum *importer.Summary, err error) error {
	if ctx.Err() == nil {
		return err
	}
	return &interruptedAfterCommit{fmt.Sprintf(
		"interrupted after the import of %s was committed: its rows are in the database (%s); the summary may be incomplete",
		sum.File, importCounts(sum))}
}

// stageCommitted is the import's last stage for interruptAtEnv: its
// transaction has committed, and the summary is still to be written.
const stageCommitted = "committed"

// interruptAtStage returns the import's stage hook for interruptAtEnv, or
// nil when it is not set. After sending the signal it waits (up to 5 s) until
// the signal has cancelled ctx, as a user's Ctrl-C during that stage would
// have: signal delivery is asynchronous, and a stage that ends quickly could
// otherwise commit before the signal arrives, which would test nothing.
func interruptAtStage(ctx context.Context, stderr io.Writer) func(string) {
	want, sigName, _ := strings.Cut(os.Getenv(interruptAtEnv), ":")
	if want == "" {
		return nil
	}
	sig := syscall.SIGINT
	switch sigName {
	case "TERM":
		sig = syscall.SIGTERM
	case "KILL":
		sig = syscall.SIGKILL
	}
	var once sync.Once
	return func(stage string) {
		if stage != want {
			return
		}
		once.Do(func() {
			fmt.Fprintf(stderr, "nomtrack: test: %s at the %s stage\n", sig, stage)
			syscall.Kill(os.Getpid(), sig)
			select {
			case <-ctx.Done():
			case <-time.After(5 * time.Second):
			}
		})
	}
}

// writeImportSummary prints the short human summary of an import.
func writeImportSummary(w io.Writer, s *importer.Summary) error {
	head := "imported"
	switch {
	case s.DryRun:
		head = "dry run, nothing written:"
	case !s.Committed:
		head = "nothing written, rows rejected:"
	}
	if _, err := fmt.Fprintf(w, "%s %s (%s, %s): %s\n", head, s.File, s.Kind, s.Encoding, importCounts(s)); err != nil {
		return err
	}
	if s.ReadAs != "" { // the kind came from the headers: say which, so a wrong guess is seen
		if _, err := fmt.Fprintf(w, "read as %s (--kind chooses another)\n", s.ReadAs); err != nil {
			return err
		}
	}
	for _, sh := range s.Sheets {
		if _, err := fmt.Fprintf(w, "  %-12s %s\n", sh.Sheet+":", importCounts(sh)); err != nil {
			return err
		}
	}
	return nil
}

// importCounts says what an import did, or, when nothing was written (a dry
// run, or rows rejected), what it would have done: "2 created" under
// "nothing written" read as a contradiction.
func importCounts(s *importer.Summary) string {
	created, updated := "created", "updated"
	if !s.Committed {
		created, updated = "to create", "to update"
	}
	c := fmt.Sprintf("%s: %d %s, %d %s, %d unchanged, %d rejected", importPlural(s.Rows, "row"), s.Created, created, s.Updated, updated, s.Unchanged, s.Rejected)
	if s.PeopleCreated > 0 || s.PeopleUpdated > 0 {
		c += fmt.Sprintf("; people: %d %s, %d %s", s.PeopleCreated, created, s.PeopleUpdated, updated)
	}
	return c
}

func importPlural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
