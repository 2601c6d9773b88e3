package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/nomtrack/nomtrack/internal/files"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/output"
	"github.com/nomtrack/nomtrack/internal/store"
	"github.com/spf13/cobra"
)

// initResult is what init prints as JSON.
type initResult struct {
	Path          string `json:"path"`
	Created       bool   `json:"created"`
	SchemaVersion int    `json:"schema_version"`
}

func newInitCmd(app *App) *cobra.Command {
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Create the database (idempotent) and print its path",
		Long: `Create the database file (mode 0600, its directory 0700) with the current
schema, or open and migrate an existing one, and print its path.`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := app.DB(cmd.Context())
			if err != nil {
				return err
			}
			res := initResult{db.Path(), db.Created, store.SchemaVersion()}
			return app.Print(opts, []string{output.Table, output.JSON}, output.Doc{
				JSON: res,
				Text: func(w io.Writer, _ bool) error {
					_, err := fmt.Fprintln(w, db.Path())
					return err
				},
			})
		},
	}
	addOutputFlags(cmd, &opts, []string{output.Table, output.JSON})
	declareFields(&opts, initResult{})
	return cmd
}

func newDBCmd(app *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "db",
		Short: "Inspect, check, back up and migrate the database",
	}
	cmd.AddCommand(newDBInfoCmd(app), newDBCheckCmd(app), newDBBackupCmd(app), newDBCopyCmd(app), newDBMigrateCmd(app))
	return cmd
}

func newDBInfoCmd(app *App) *cobra.Command {
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "info",
		Short: "Show the database's path, schema version, size and record counts",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := app.ReadDB(cmd.Context())
			if err != nil {
				return err
			}
			info, err := db.Info(cmd.Context())
			if err != nil {
				return err
			}
			tab := &output.Tab{Columns: []string{"key", "value"}, Rows: [][]any{
				{"path", info.Path},
				{"engine", info.Engine},
				{"schema_version", fmt.Sprintf("%d (latest %d)", info.SchemaVersion, info.LatestSchema)},
			}}
			if info.JournalMode != "" {
				tab.Rows = append(tab.Rows, []any{"journal_mode", info.JournalMode})
			}
			tab.Rows = append(tab.Rows, []any{"size_bytes", info.SizeBytes})
			for _, t := range [][2]string{{"course", "courses"}, {"offering", "offerings"}, {"person", "people"},
				{"nomination", "nominations"}, {"nomination_event", "status_events"}, {"request", "requests"}, {"capacity", "capacity_years"}} {
				tab.Rows = append(tab.Rows, []any{t[1], info.Counts[t[0]]})
			}
			return app.Print(opts, output.TextFormats, output.Doc{JSON: info, Tab: tab})
		},
	}
	addOutputFlags(cmd, &opts, output.TextFormats)
	return cmd
}

func newDBCheckCmd(app *App) *cobra.Command {
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Run SQLite's integrity and foreign-key checks",
		Long: `Run SQLite's integrity and foreign-key checks. Exits 1 when a problem is found.

It also lists the refs, merged refs, course codes and ETOC codes that hold an
invisible character (a bidi override, a zero-width space, a byte order mark,
a control character), stored before such identifiers were refused: each can
look like another in a terminal, and the names and Arabic names (a person's
own or merged into them) that hold one, stored before names lost such
characters on every path. They are listed with the command that corrects
them, never changed, and do not make the check fail.`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := app.ReadDB(cmd.Context())
			if err != nil {
				return err
			}
			res, err := db.Check(cmd.Context())
			if err != nil {
				return err
			}
			err = app.Print(opts, []string{output.Table, output.JSON}, output.Doc{
				JSON: struct {
					OK bool `json:"ok"`
					*store.CheckResult
				}{res.OK(), res},
				Text: func(w io.Writer, _ bool) error {
					if res.OK() {
						if _, err := fmt.Fprintf(w, "ok: %s passed the integrity and foreign-key checks\n", db.Path()); err != nil {
							return err
						}
						if n := len(res.Identifiers); n > 0 {
							fmt.Fprintf(w, "%d identifier%s with an invisible character, which can look like another in a terminal (nothing was changed):\n", n, plural(n))
							for _, p := range res.Identifiers {
								fmt.Fprintln(w, "  "+p)
							}
						}
						if n := len(res.Names); n > 0 {
							fmt.Fprintf(w, "%d name%s with an invisible character, stored before names lost them (nothing was changed):\n", n, plural(n))
							for _, p := range res.Names {
								fmt.Fprintln(w, "  "+p)
							}
						}
						return nil
					}
					for _, p := range append(res.Integrity, res.ForeignKeys...) {
						fmt.Fprintln(w, p)
					}
					return nil
				},
			})
			if err != nil {
				return err
			}
			if !res.OK() {
				n := len(res.Integrity) + len(res.ForeignKeys)
				return nomtrack.Errorf(nomtrack.EINTERNAL, "the database check found %d problem%s; restore from a backup or copy the file before any repair", n, plural(n))
			}
			return nil
		},
	}
	addOutputFlags(cmd, &opts, []string{output.Table, output.JSON})
	return cmd
}

func newDBBackupCmd(app *App) *cobra.Command {
	return &cobra.Command{
		Use:   "backup FILE",
		Short: "Write a consistent copy of the database to FILE (safe while others write)",
		Args:  exactArgs("FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := app.ReadDB(cmd.Context())
			if err != nil {
				return err
			}
			if err := db.Backup(cmd.Context(), args[0]); err != nil {
				return err
			}
			app.IO.Notice("nomtrack: backed up %s to %s", db.Path(), args[0])
			return nil
		},
	}
}

func newDBCopyCmd(app *App) *cobra.Command {
	var (
		opts output.Options
		to   string
	)
	cmd := &cobra.Command{
		Use:   "copy --to FILE_OR_URL",
		Short: "Copy the whole programme into an empty database of either engine",
		Long: `Copy the whole programme (every table: courses, offerings, people, nominations
with their history, requests, capacity, the audit trail, aliases) from the
current database into an empty one: an SQLite file (created when missing) or a
PostgreSQL database (postgres://…). Ids are kept, and ids retired at the source
stay retired at the target. The copy is one transaction on the target, read
from one snapshot of the source; a target that holds anything is refused.
Afterwards the row counts of every table and the yearly report of every year
are compared between the two, and the command says so.

Stopped (Ctrl-C) before the commit, the copy writes nothing. A new file takes
its name only at the end, so it is never left behind. A PostgreSQL database, or
an empty nomtrack file, keeps a copy stopped after its commit: the message then
says so, and whether it was checked.`,
		Example: `  nomtrack db copy --to 'postgres://alice@db.example.org/nomtrack?sslmode=verify-full'
  nomtrack --db 'postgres://alice@db.example.org/nomtrack' db copy --to programme-2026.db`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			if to == "" {
				return nomtrack.Errorf(nomtrack.EUSAGE, "db copy needs --to FILE_OR_URL: the empty database to copy the programme into")
			}
			ctx := cmd.Context()
			db, err := app.ReadDB(ctx)
			if err != nil {
				return err
			}
			cfg, err := app.Config()
			if err != nil {
				return err
			}
			if !store.IsPostgresURL(to) {
				open := db.Path()
				if store.IsPostgresURL(open) {
					open = ""
				}
				if err := files.CheckDatabaseTarget(to, open); err != nil {
					return err
				}
			}
			ropt, err := app.reportOptions()
			if err != nil {
				return err
			}
			target, err := store.OpenCopyTarget(ctx, to, store.Options{Now: app.Now, Actor: cfg.Actor, BusyTimeout: cfg.BusyTimeout})
			if err != nil {
				return err
			}
			stage := interruptAtStage(ctx, app.IO.Err)
			if stage != nil {
				stage("copy-opened")
			}
			res, err := db.Copy(ctx, target.DB)
			var unknown *store.CopyCommitUnknown
			if errors.As(err, &unknown) && !target.Temporary() {
				target.Close()
				return &interruptedAfterCommit{fmt.Sprintf(
					"interrupted as the copy to %s was being committed, and the target could not be asked afterwards whether it was: run nomtrack --db %s db info; if it holds nothing, copy again",
					unknown.To, shellWord(unknown.To))}
			}
			if err != nil && res == nil {
				// Nothing was committed: a file this run made goes too.
				target.Discard()
				return err
			}
			if stage != nil {
				stage("copy-committed")
			}
			checked := false
			if err == nil {
				err = res.Check(ctx, db, target.DB, ropt)
				checked = err == nil
			}
			if stage != nil {
				stage("copy-checked")
			}
			if ctx.Err() != nil && target.Temporary() {
				// Interrupted, even after the commit: the copy never takes
				// its name, as "nothing was written" says.
				target.Discard()
				return ctx.Err()
			}
			perr := target.Publish()
			if ctx.Err() != nil {
				// Committed in place (a PostgreSQL database, an empty
				// nomtrack file): the copy stays, and the message says so
				// (closing a connection the signal cut may fail: no matter).
				return copyInterrupted(res, checked)
			}
			if perr != nil {
				return perr
			}
			if target.Created {
				app.IO.Notice("nomtrack: created a new database at %s", target.Path())
			}
			if err != nil {
				return copyUnchecked(res, err)
			}
			return app.Print(opts, []string{output.Table, output.JSON}, output.Doc{
				JSON: res,
				Text: func(w io.Writer, _ bool) error {
					return copySummary(w, res)
				},
			})
		},
	}
	cmd.Flags().StringVar(&to, "to", "", "the empty database to copy into: an SQLite file or a postgres:// URL")
	addOutputFlags(cmd, &opts, []string{output.Table, output.JSON})
	return cmd
}

// interruptedAfterCommit is a command stopped by a signal after its
// transaction committed (or as it committed, unknown whether it did): what
// it wrote stays, so the usual "nothing was written" would not be true; it
// says instead what was written and what to do (still exit 130).
type interruptedAfterCommit struct{ msg string }

func (e *interruptedAfterCommit) Error() string { return e.msg }

// copyInterrupted is the sentence for a copy into a database used in place
// that was stopped after its commit.
func copyInterrupted(res *store.CopyResult, checked bool) error {
	if checked {
		return &interruptedAfterCommit{fmt.Sprintf(
			"interrupted after the copy was committed to %s and checked: it holds the whole programme of %s",
			res.To, res.From)}
	}
	return &interruptedAfterCommit{fmt.Sprintf(
		"interrupted after the copy was committed to %s, before it was checked: it holds the programme of %s, unchecked; run nomtrack --db %s db check, and compare its reports with those of %s before relying on it",
		res.To, res.From, shellWord(res.To), shellWord(res.From))}
}

// copyUnchecked is the sentence for a copy committed whose check did not
// run to the end: a difference found says so itself; any other error (the
// server gone, a read failing) would say "nothing was written", which the
// commit made untrue.
func copyUnchecked(res *store.CopyResult, err error) error {
	if store.IsCopyMismatch(err) {
		return err
	}
	why, _, _ := strings.Cut(nomtrack.ErrorMessage(err), "; nothing was written")
	return nomtrack.Errorf(nomtrack.EINTERNAL,
		"the copy was committed to %s, but checking it failed (%s); run nomtrack --db %s db check, and compare its reports with those of %s before relying on it",
		res.To, why, shellWord(res.To), shellWord(res.From))
}

// shellWord quotes s for a command line to copy when it holds anything a
// shell would read differently (a URL's ? and &).
func shellWord(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// copySummary says what db copy wrote and what it compared.
func copySummary(w io.Writer, res *store.CopyResult) error {
	var parts []string
	for _, t := range []struct{ table, one, many string }{
		{"course", "course", "courses"}, {"offering", "offering", "offerings"}, {"person", "person", "people"},
		{"nomination", "nomination", "nominations"}, {"request", "request", "requests"},
		{"capacity", "capacity year", "capacity years"}, {"audit", "audit entry", "audit entries"},
	} {
		n := res.Rows(t.table)
		noun := t.many
		if n == 1 {
			noun = t.one
		}
		parts = append(parts, fmt.Sprintf("%d %s", n, noun))
	}
	years := "no year had a report to compare"
	switch len(res.Years) {
	case 0:
	case 1:
		years = fmt.Sprintf("the yearly report of %d matches", res.Years[0])
	default:
		years = fmt.Sprintf("the yearly reports of %d–%d match", res.Years[0], res.Years[len(res.Years)-1])
	}
	_, err := fmt.Fprintf(w, "copied %s to %s: %s, with their history\nchecked: the row counts of every table match, and %s\n",
		res.From, res.To, strings.Join(parts, ", "), years)
	return err
}

func newDBMigrateCmd(app *App) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Apply pending schema migrations (opening the database does this too)",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := app.DB(cmd.Context())
			if err != nil {
				return err
			}
			to := store.SchemaVersion()
			if db.FromVersion == to || db.Created {
				fmt.Fprintf(app.IO.Out, "schema version %d: up to date\n", to)
			} else {
				fmt.Fprintf(app.IO.Out, "migrated schema version %d to %d\n", db.FromVersion, to)
			}
			return nil
		},
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// joinOr lists choices as "a, b or c".
func joinOr(items []string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}
