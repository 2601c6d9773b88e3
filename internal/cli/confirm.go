package cli

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/output"
	"github.com/nomtrack/nomtrack/internal/store"
	"github.com/spf13/cobra"
)

// confirmOptions are --dry-run and --yes, which every destructive command
// (person merge, offering cancel, every remove) takes.
type confirmOptions struct {
	dryRun bool
	yes    bool
}

func (c *confirmOptions) flags(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&c.dryRun, "dry-run", false, "show what would change and write nothing")
	cmd.Flags().BoolVarP(&c.yes, "yes", "y", false, "go ahead without asking")
}

// errNotConfirmed is the answer "no" (or no answer) to the question.
var errNotConfirmed = errors.New("not confirmed; nothing was changed")

// check refuses, before any work, a destructive command that can neither
// ask nor was told: stdin is not a terminal and neither --yes nor --dry-run
// was given (exit 2).
func (c confirmOptions) check(app *App, cmd *cobra.Command) error {
	if c.dryRun || c.yes || app.IO.InTTY {
		return nil
	}
	return usageErrorf(cmd, "'%s' changes records and cannot ask for confirmation without a terminal; pass --yes to go ahead or --dry-run to see what it would change", cmd.CommandPath())
}

// run carries out a destructive change. op does the change against the
// store it is given and keeps what it did; question describes that as a
// yes/no question. With --dry-run op runs once on a rehearsal of db (the
// store rolls it back) and rehearsed is true; with --yes it runs for real.
// Otherwise, on a terminal, op is rehearsed first (so a refusal comes before
// any question), question is asked on stderr and the answer read from stdin;
// only "y" or "yes" runs op for real. Without a terminal it is refused as
// check says.
func (c confirmOptions) run(app *App, cmd *cobra.Command, db *store.DB, op func(*store.DB) error, question func() string) (rehearsed bool, err error) {
	if err := c.check(app, cmd); err != nil {
		return false, err
	}
	if c.dryRun {
		return true, op(db.DryRun())
	}
	if !c.yes {
		if err := op(db.DryRun()); err != nil {
			return true, err
		}
		ok, err := ask(app, question())
		if err != nil {
			return true, err
		}
		if !ok {
			return true, errNotConfirmed
		}
	}
	return false, op(db)
}

// apply is check, then opening the database, then run: the sequence every
// destructive command follows, so each one states only its change and its
// question.
func (c confirmOptions) apply(app *App, cmd *cobra.Command, op func(*store.DB) error, question func() string) (rehearsed bool, err error) {
	if err := c.check(app, cmd); err != nil {
		return false, err
	}
	db, err := app.DB(cmd.Context())
	if err != nil {
		return false, err
	}
	return c.run(app, cmd, db, op, question)
}

// ask writes question and " [y/N] " on stderr and reads one line of answer
// from stdin: yes only for y or yes, in any case.
func ask(app *App, question string) (bool, error) {
	fmt.Fprintf(app.IO.Err, "%s [y/N] ", question)
	line, err := bufio.NewReader(app.IO.In).ReadString('\n')
	if line == "" && err != nil {
		fmt.Fprintln(app.IO.Err)
		return false, nil // end of input: no
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true, nil
	}
	return false, nil
}

// dryRunNotice tells, on stderr, that a rehearsal wrote nothing.
func dryRunNotice(app *App, format string, args ...any) {
	app.IO.Notice("nomtrack: dry run: "+format+"; nothing was written", args...)
}

// requireReason refuses a removal without --reason (exit 2) or with an
// empty one (exit 3): the audit trail must say why the record was a mistake.
func requireReason(cmd *cobra.Command, reason string) error {
	if err := requireFlags(cmd, "reason"); err != nil {
		return err
	}
	if strings.TrimSpace(reason) == "" {
		return nomtrack.Errorf(nomtrack.EINVALID, "--reason is empty; say why the record was a mistake (it is kept in the audit trail)")
	}
	return nil
}

// printRemoved prints a removed record: its fields as JSON (with
// "dry_run": true for a rehearsal) and csv, and a sentence as a table
// ("removed offering …", or "would remove …" for a dry run).
func printRemoved(app *App, opts output.Options, rehearsed bool, what string, v any, block []kv) error {
	d := blockDoc(v, block)
	d.Text = func(w io.Writer, _ bool) error {
		if rehearsed {
			_, err := fmt.Fprintf(w, "would remove %s\n", what)
			return err
		}
		_, err := fmt.Fprintf(w, "removed %s\n", what)
		return err
	}
	if rehearsed {
		dryRunNotice(app, "would remove %s", what)
		// JSON says it was a rehearsal, as cancel's and merge's do.
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			return err
		}
		m["dry_run"] = true
		d.JSON = m
	}
	return app.Print(opts, output.TextFormats, d)
}
