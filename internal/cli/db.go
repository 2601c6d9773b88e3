package cli

import (
	"fmt"
	"io"
	"strings"

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
	cmd.AddCommand(newDBInfoCmd(app), newDBCheckCmd(app), newDBBackupCmd(app), newDBMigrateCmd(app))
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
		Long:  "Run SQLite's integrity and foreign-key checks. Exits 1 when a problem is found.",
		Args:  exactArgs(),
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
						_, err := fmt.Fprintf(w, "ok: %s passed the integrity and foreign-key checks\n", db.Path())
						return err
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
