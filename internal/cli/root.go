// Package cli is nomtrack's command tree: one file per noun, each command a
// constructor with an options struct and a run function. It is the one place
// that wires configuration, store and output, and maps errors to exit codes.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/mattn/go-isatty"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/output"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"
)

// Exit codes (SPEC §7).
const (
	ExitOK       = 0
	ExitFailure  = 1
	ExitUsage    = 2
	ExitRejected = 3
	ExitNotFound = 4
	// ExitInterrupted is the shell's code for a command stopped by SIGINT
	// (128+2); SIGTERM exits with it too, having rolled back the same way.
	ExitInterrupted = 130
)

// exitCodesHelp is appended to every command's long help.
const exitCodesHelp = `
Exit codes:
  0    success
  1    failure (I/O, database)
  2    usage (unknown flag, missing argument, a value a flag does not take)
  3    rejected data (invalid rows, forbidden transition, seat limit, constraint)
  4    not found
  130  interrupted (Ctrl-C or SIGTERM); nothing was written (a db copy
       stopped after its commit says what it left)
`

// topCommand is a command directly under the root: its name and constructor.
type topCommand struct {
	name  string
	build func(*App) *cobra.Command
}

// topCommands are the commands directly under the root, by name: the one
// place a command is added to the tree (cobra lists them alphabetically in
// help). The name lets a run build only the command its arguments call
// (TestTopCommandNames keeps each name its command's). A constructor called
// nowhere is unreachable; TestEveryCommandConstructorIsCalled catches that.
var topCommands = []topCommand{
	{"version", newVersionCmd},
	{"init", newInitCmd},
	{"db", newDBCmd},
	{"config", newConfigCmd},
	{"course", newCourseCmd},
	{"offering", newOfferingCmd},
	{"person", newPersonCmd},
	{"nominate", newNominateCmd},
	{"nomination", newNominationCmd},
	{"request", newRequestCmd},
	{"capacity", newCapacityCmd},
	{"import", newImportCmd},
	{"export", newExportCmd},
	{"report", newReportCmd},
	{"audit", newAuditCmd},
}

// Main runs nomtrack with args (without the program name) and returns the
// exit code. It never panics out: a panic becomes exit 1 with one sentence.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	return Run(args, NewApp(stdin, stdout, stderr))
}

// MainCaught is Main for a program that has caught SIGINT and SIGTERM on
// caught since its start (cmd/nomtrack, through internal/interrupt), so a
// signal that came before the command tree was built still stops the
// command with exit 130 and its sentence.
func MainCaught(args []string, stdin io.Reader, stdout, stderr io.Writer, caught chan os.Signal) (code int) {
	app := NewApp(stdin, stdout, stderr)
	app.caught = caught
	return Run(args, app)
}

// Run is Main over an App made by the caller, whose streams may say what a
// terminal would (tests answer a confirmation question through it).
func Run(args []string, app *App) (code int) {
	ctx, stop := signalContext(app.caught)
	defer stop()

	stdin, stdout, stderr := app.IO.In, app.IO.Out, app.IO.Err
	app.done = ctx.Done()
	defer app.Close()
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "nomtrack: internal error: %v; nothing was committed — please report this\n", r)
			code = ExitFailure
		}
	}()

	if ctx.Err() != nil {
		// Interrupted before the command began: it does not begin.
		fmt.Fprintln(stderr, "nomtrack: interrupted; nothing was written")
		return ExitInterrupted
	}
	root := newRootCmd(app, args)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	var afterCommit *interruptedAfterCommit
	if ctx.Err() != nil && errors.As(err, &afterCommit) {
		fmt.Fprintf(stderr, "nomtrack: %s\n", nomtrack.Printable(nomtrack.Redact(afterCommit.msg)))
		return ExitInterrupted
	}
	if ctx.Err() != nil {
		// Whatever the command was doing when the signal came (reading a
		// file, an SQL statement SQLite interrupted, a rollback), its
		// transaction is rolled back and its output files discarded.
		fmt.Fprintln(stderr, "nomtrack: interrupted; nothing was written")
		return ExitInterrupted
	}
	return reportError(stderr, err)
}

// signalContext is a context cancelled by the first SIGINT or SIGTERM on
// caught (nil: caught from now on), at once when one came already. After
// the first signal, a second one ends the process at once, as the user who
// presses Ctrl-C twice expects. stop ends the catching.
func signalContext(caught chan os.Signal) (context.Context, func()) {
	if caught == nil {
		caught = make(chan os.Signal, 1)
		signal.Notify(caught, os.Interrupt, syscall.SIGTERM)
	}
	ctx, cancel := context.WithCancel(context.Background())
	select {
	case <-caught:
		signal.Stop(caught)
		cancel()
		return ctx, cancel
	default:
	}
	done := make(chan struct{})
	go func() {
		select {
		case <-caught:
			signal.Stop(caught)
			cancel()
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(caught)
		close(done)
		cancel()
	}
}

// NewApp returns an App over the given streams, noting which are terminals
// and how wide stdout's is. NOMTRACK_FORCE_TTY (as gh's GH_FORCE_TTY) makes
// stdout count as a terminal, for tests and for tools that capture it; its
// value, when a number, is the width.
func NewApp(stdin io.Reader, stdout, stderr io.Writer) *App {
	s := &output.Streams{In: stdin, Out: stdout, Err: stderr,
		InTTY: isTerminal(stdin), OutTTY: isTerminal(stdout), ErrTTY: isTerminal(stderr)}
	force := os.Getenv("NOMTRACK_FORCE_TTY")
	if force != "" {
		s.OutTTY = true
	}
	if s.OutTTY {
		s.Width = terminalWidth(stdout, force)
	}
	return &App{IO: s}
}

// terminalWidth is COLUMNS when set, else the forced width, else the
// terminal's own, else 80.
func terminalWidth(w io.Writer, force string) int {
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	if n, err := strconv.Atoi(force); err == nil && n > 0 {
		return n
	}
	if f, ok := w.(*os.File); ok {
		if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 0 {
			return cols
		}
	}
	return 80
}

// pagerCommand is NOMTRACK_PAGER, else PAGER, else less -FRX (which quits
// at once when the output fits one screen); "" or "cat" means none.
func pagerCommand() string {
	p, ok := os.LookupEnv("NOMTRACK_PAGER")
	if !ok {
		p, ok = os.LookupEnv("PAGER")
	}
	if !ok {
		p = "less -FRX"
	}
	if p = strings.TrimSpace(p); p == "cat" {
		return ""
	}
	return p
}

// NewRootCmd builds the whole command tree (also used to generate man pages).
func NewRootCmd(app *App) *cobra.Command { return newRootCmd(app, nil) }

// newRootCmd builds the root and, under it, only the top-level command args
// call when they call one (`nomtrack person show X` builds person's commands
// and no others: building every command's flags was most of the start-up
// work); otherwise, as for help, completion or a mistyped command, the whole
// tree. The command found, and all that it does, is the same either way.
func newRootCmd(app *App, args []string) *cobra.Command {
	var noColor, noPager, showVersion bool
	root := &cobra.Command{
		Use:   "nomtrack",
		Short: "Track a partner nation's nominations to NATO education and training",
		Long: `nomtrack keeps a partner nation's participation in NATO education and training
in one local SQLite file: the course catalogue, offerings, people, nominations and
their history, ministries' requests and the yearly capacity. It imports the
spreadsheets ministries send and produces the yearly participation report.`,
		SilenceErrors:     true,
		SilenceUsage:      true,
		DisableAutoGenTag: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if showVersion {
				return nil // --version prints and does nothing else
			}
			// NO_COLOR counts only when non-empty (no-color.org).
			app.IO.Color = !noColor && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"
			if !noPager {
				app.IO.Pager = pagerCommand()
			}
			now, err := clock()
			if err != nil {
				return err
			}
			app.Now = now
			if err := checkTextInput(cmd, args); err != nil {
				return err
			}
			// --out - is stdout, as in hledger, jq and most tools that
			// write files; it wrote a file named "-".
			if f := cmd.Flags().Lookup("out"); f != nil && f.Value.String() == "-" {
				if err := f.Value.Set(""); err != nil {
					return err
				}
			}
			return checkOutputFlags(app, cmd)
		},
	}
	pf := root.PersistentFlags()
	pf.String("db", "", "database: an SQLite file or a postgres:// URL (env NOMTRACK_DB; default $XDG_DATA_HOME/nomtrack/nomtrack.db)")
	pf.StringVar(&app.configPath, "config", "", "configuration file (env NOMTRACK_CONFIG; default $XDG_CONFIG_HOME/nomtrack/config.yaml)")
	pf.BoolVarP(&app.IO.Quiet, "quiet", "q", false, "print no notices on stderr")
	pf.BoolVar(&noColor, "no-color", false, "disable colour (also a non-empty NO_COLOR)")
	pf.BoolVar(&noPager, "no-pager", false, "do not page long output on a terminal (pager: NOMTRACK_PAGER, PAGER, else less -FRX)")
	app.globalFlags = pf

	// --version is the root's own flag, as cobra would add it for
	// root.Version, but printed without cobra's version template: a
	// text/template made every exported method of every type in the binary
	// reachable (a bigger binary to start), and the build info is read only
	// when the version is printed.
	root.Flags().BoolVarP(&showVersion, "version", "v", false, "version for nomtrack")
	_ = root.Flags().SetAnnotation("version", cobra.FlagSetByCobraAnnotation, []string{"true"})
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return usageErrorf(cmd, "%s", flagErrorText(err))
	})
	if top, ok := calledCommand(root, args); ok {
		root.AddCommand(top.build(app))
		// Nor does cobra build its completion commands, which only a run
		// of the whole tree can call.
		root.CompletionOptions.DisableDefaultCmd = true
	} else {
		for _, top := range topCommands {
			root.AddCommand(top.build(app))
		}
		// cobra adds its completion command only when the tree runs; added
		// now, it is finished like the others: `completion fsh` is a usage
		// error with a suggestion, not help and exit 0.
		root.InitDefaultCompletionCmd()
	}
	walk(root, func(c *cobra.Command) { addCompletions(app, c) })
	finish(root)
	// As with cobra's own flag, --version prints before the root's
	// arguments are checked and does nothing else.
	checkArgs, help := root.Args, root.RunE
	root.Args = func(c *cobra.Command, args []string) error {
		if showVersion {
			return nil
		}
		return checkArgs(c, args)
	}
	root.RunE = func(c *cobra.Command, args []string) error {
		if showVersion {
			_, err := fmt.Fprintf(c.OutOrStdout(), "nomtrack %s\n", versionLine(buildInfo()))
			return err
		}
		return help(c, args)
	}
	return root
}

// calledCommand finds the top-level command args call, by cobra's own
// search (root.Find, which skips the root's flags and their values) over a
// root holding a bare command of each name; false when args call none of
// them (no arguments, help, completion, an unknown command).
func calledCommand(root *cobra.Command, args []string) (topCommand, bool) {
	if len(args) == 0 {
		return topCommand{}, false
	}
	bare := make([]*cobra.Command, len(topCommands))
	for i, t := range topCommands {
		bare[i] = &cobra.Command{Use: t.name, Run: func(*cobra.Command, []string) {}}
	}
	root.AddCommand(bare...)
	found, _, err := root.Find(args)
	root.RemoveCommand(bare...)
	i := slices.Index(bare, found)
	if err != nil || i < 0 {
		return topCommand{}, false
	}
	return topCommands[i], true
}

// walk calls fn on cmd and every command under it.
func walk(cmd *cobra.Command, fn func(*cobra.Command)) {
	fn(cmd)
	for _, c := range cmd.Commands() {
		walk(c, fn)
	}
}

// finish walks the tree: every command's help (and man page) lists the exit codes, and
// commands that only group others refuse unknown subcommands with a
// suggestion instead of printing help and exiting 0.
func finish(cmd *cobra.Command) {
	long := cmd.Long
	if long == "" {
		long = cmd.Short + "."
	}
	cmd.Long = strings.TrimRight(long, "\n") + "\n" + exitCodesHelp
	cmd.SuggestionsMinimumDistance = 2
	if cmd.HasSubCommands() && cmd.Run == nil && cmd.RunE == nil {
		cmd.Args = func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return nil
			}
			msg := fmt.Sprintf("unknown command %q for %q", args[0], c.CommandPath())
			if s := c.SuggestionsFor(args[0]); len(s) > 0 {
				msg += "; did you mean " + strings.Join(s, " or ") + "?"
			}
			return usageErrorf(c, "%s", msg)
		}
		cmd.RunE = func(c *cobra.Command, args []string) error { return c.Help() }
	}
	for _, c := range cmd.Commands() {
		finish(c)
	}
}

// checkTextInput refuses, before any work, an argument or flag value that is
// not valid UTF-8 or holds a control character: an escape sequence typed
// into a name would be stored and replayed to every terminal that lists it
// (exit 3).
func checkTextInput(cmd *cobra.Command, args []string) error {
	for i, a := range args {
		if err := nomtrack.CheckText(fmt.Sprintf("argument %d", i+1), a); err != nil {
			return err
		}
	}
	var err error
	cmd.Flags().Visit(func(f *pflag.Flag) {
		switch f.Value.Type() {
		case "string", "stringArray", "stringSlice":
			if err == nil {
				err = nomtrack.CheckText("--"+f.Name, f.Value.String())
			}
		}
	})
	return err
}

// negativeArg finds a negative number pflag took for short flags; compiled
// on first use, not at every start-up.
var negativeArg = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^unknown shorthand flag: '\d' in (-\d[\d.]*)$`)
})

// flagErrorText says what is wrong with a flag in plain words: a malformed
// number is named as such, never with Go's strconv text.
func flagErrorText(err error) string {
	var iv *pflag.InvalidValueError
	if !errors.As(err, &iv) || iv.GetFlag() == nil {
		if m := negativeArg().FindStringSubmatch(err.Error()); m != nil {
			// pflag reads `capacity set 2026 -5` as the flags -5.
			return fmt.Sprintf("%s is not a flag, and no number nomtrack takes is negative (seats, days, years and ids are 0 or more)", m[1])
		}
		return err.Error()
	}
	fl := iv.GetFlag()
	name, v := "--"+fl.Name, iv.GetValue()
	if fl.Name == "year" || strings.HasSuffix(fl.Name, "-year") {
		return fmt.Sprintf("%s %q is not a year; give four digits, e.g. 2012", name, v)
	}
	switch fl.Value.Type() {
	case "int", "int64", "int32", "uint", "uint64", "count":
		if errors.Is(iv.Unwrap(), strconv.ErrRange) {
			// Not echoed: a long run of digits would be redacted as a
			// phone number, and the value is plainly a typo.
			return fmt.Sprintf("%s is too large a number", name)
		}
		return fmt.Sprintf("%s %q is not a whole number", name, v)
	case "float64", "float32":
		return fmt.Sprintf("%s %q is not a number; write it with digits and a point, e.g. 1250.50", name, v)
	case "bool":
		return fmt.Sprintf("%s %q is not true or false", name, v)
	case "duration":
		return fmt.Sprintf("%s %q is not a duration; e.g. 30s, 5m", name, v)
	}
	return fmt.Sprintf("%s %q is not valid: %s", name, v, plainCause(iv.Unwrap()))
}

// plainCause drops Go's "strconv.ParseInt: parsing ...:" prefix from a
// parse error, keeping its last words.
func plainCause(err error) string {
	if err == nil {
		return "malformed"
	}
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	return msg
}

// usageError is a flag or argument error: exit 2 with a hint to --help.
type usageError struct {
	msg  string
	path string
}

func (e *usageError) Error() string { return e.msg }

func usageErrorf(cmd *cobra.Command, format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...), path: cmd.CommandPath()}
}

// reportError prints err as one sentence and returns its exit code: the one
// place where errors become exit codes.
func reportError(stderr io.Writer, err error) int {
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "nomtrack: %s\nRun '%s --help' for usage.\n", nomtrack.Redact(ue.msg), ue.path)
		return ExitUsage
	}
	msg := err.Error()
	if strings.HasPrefix(msg, "unknown command ") { // cobra's, for the root
		first, _, _ := strings.Cut(msg, "\n")
		if s := suggestionIn(msg); s != "" {
			first += "; did you mean " + s + "?"
		}
		fmt.Fprintf(stderr, "nomtrack: %s\nRun 'nomtrack --help' for usage.\n", first)
		return ExitUsage
	}
	code := nomtrack.ErrorCode(err)
	// The last guards of SPEC §8: no message echoes contact details, nor a
	// control character stored before it was checked.
	fmt.Fprintf(stderr, "nomtrack: %s\n", nomtrack.Printable(nomtrack.Redact(nomtrack.ErrorMessage(err))))
	switch code {
	case nomtrack.EUSAGE:
		return ExitUsage
	case nomtrack.EINVALID, nomtrack.ECONFLICT:
		return ExitRejected
	case nomtrack.ENOTFOUND:
		return ExitNotFound
	}
	return ExitFailure
}

// suggestionIn picks the suggestions out of cobra's "Did you mean this?" text.
func suggestionIn(msg string) string {
	_, rest, ok := strings.Cut(msg, "Did you mean this?\n")
	if !ok {
		return ""
	}
	var out []string
	for _, line := range strings.Split(rest, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return strings.Join(out, " or ")
}

// isTerminal reports whether the stream s is a terminal.
func isTerminal(s any) bool {
	f, ok := s.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// exactArgs is cobra.ExactArgs with the usage exit code and named arguments.
func exactArgs(names ...string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < len(names) {
			return usageErrorf(cmd, "missing %s", strings.Join(names[len(args):], " and "))
		}
		if len(args) > len(names) {
			return usageErrorf(cmd, "unexpected argument %q", args[len(names)])
		}
		return nil
	}
}

// formatsAnnotation holds, on a command with output flags, the formats it
// accepts, so that they are checked before any work.
const formatsAnnotation = "nomtrack-formats"

// checkOutputFlags refuses, before any work (nothing opened or created), an
// unknown -o format and an --out that would replace the database or any
// nomtrack database (exit 2).
func checkOutputFlags(app *App, cmd *cobra.Command) error {
	formats, ok := cmd.Annotations[formatsAnnotation]
	if !ok {
		return nil
	}
	format, _ := cmd.Flags().GetString("output")
	out, _ := cmd.Flags().GetString("out")
	if _, err := (output.Options{Format: format, OutFile: out}).Resolve(strings.Split(formats, ",")); err != nil {
		return usageErrorf(cmd, "%s", nomtrack.ErrorMessage(err))
	}
	return app.checkOutput(out)
}

// addOutputFlags adds the output flags every command that prints data
// shares: -o/--output, --out, and where JSON is a format --json FIELD,…
// and --jq EXPR, where table is one --wide. They are checked before the
// command runs, so a mistake exits 2 before any work.
func addOutputFlags(cmd *cobra.Command, opts *output.Options, formats []string) {
	cmd.Flags().StringVarP(&opts.Format, "output", "o", "", "output format: "+strings.Join(formats, "|")+" (default table, or from --out's extension)")
	cmd.Flags().StringVar(&opts.OutFile, "out", "", "write to FILE instead of stdout")
	cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions(formats, cobra.ShellCompDirectiveNoFileComp))
	if slices.Contains(formats, output.JSON) {
		cmd.Flags().StringSliceVar(&opts.Fields, "json", nil, "print only these fields, as JSON unless -o says otherwise (FIELD,…)")
		cmd.Flags().StringVar(&opts.JQ, "jq", "", "filter the JSON output with a jq expression")
	}
	if slices.Contains(formats, output.Table) {
		cmd.Flags().BoolVar(&opts.Wide, "wide", false, "show every column in full on a terminal")
	}
	checkBeforeRun(cmd, func() error { return opts.Check(formats) })
}

// declareFields names the fields of a command's JSON, from a value of each
// type it prints (their fields, as FieldsOf reads them) and field names
// given as strings ("dry_run"), so --json and --sort are checked before the
// command runs (exit 2): a command that writes must refuse an unknown field
// before writing, not after.
func declareFields(opts *output.Options, samples ...any) {
	for _, s := range samples {
		names, ok := s.(string)
		fields := []string{names}
		if !ok {
			fields = output.FieldsOf(s)
		}
		for _, f := range fields {
			if !slices.Contains(opts.Valid, f) {
				opts.Valid = append(opts.Valid, f)
			}
		}
	}
}

// addListFlags adds --sort FIELD, --reverse and --limit N to a list. The
// command passes opts.QueryLimit() to its query: a sorted list is cut after
// sorting.
func addListFlags(cmd *cobra.Command, opts *output.Options) {
	cmd.Flags().StringVar(&opts.Sort, "sort", "", "order by this field (any field of -o json)")
	cmd.Flags().BoolVar(&opts.Reverse, "reverse", false, "reverse the order")
	cmd.Flags().IntVar(&opts.Limit, "limit", 0, "print at most N (after --sort)")
}

// checkBeforeRun runs check before the command's own PreRunE and RunE.
func checkBeforeRun(cmd *cobra.Command, check func() error) {
	prev := cmd.PreRunE
	cmd.PreRunE = func(c *cobra.Command, args []string) error {
		if err := check(); err != nil {
			return usageErrorf(c, "%s", nomtrack.ErrorMessage(err))
		}
		if prev != nil {
			return prev(c, args)
		}
		return nil
	}
}
