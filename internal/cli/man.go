package cli

import (
	"os"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

func init() { register(newManCmd) }

func newManCmd(app *App) *cobra.Command {
	return &cobra.Command{
		Use:    "man DIR",
		Short:  "Write man pages for every command into DIR",
		Args:   exactArgs("DIR"),
		Hidden: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := os.MkdirAll(args[0], 0o755); err != nil {
				return nomtrack.Errorf(nomtrack.EINTERNAL, "cannot create %s: %v", args[0], err)
			}
			header := &doc.GenManHeader{Title: "NOMTRACK", Section: "1", Source: "nomtrack " + buildInfo().Version}
			if err := doc.GenManTree(cmd.Root(), header, args[0]); err != nil {
				return nomtrack.Errorf(nomtrack.EINTERNAL, "cannot write man pages to %s: %v", args[0], err)
			}
			app.IO.Notice("nomtrack: wrote man pages to %s", args[0])
			return nil
		},
	}
}
