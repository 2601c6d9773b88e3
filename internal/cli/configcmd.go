package cli

import (
	"github.com/nomtrack/nomtrack/internal/config"
	"github.com/nomtrack/nomtrack/internal/output"
	"github.com/nomtrack/nomtrack/internal/store"
	"github.com/spf13/cobra"
)

func newConfigCmd(app *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Show the effective configuration",
	}
	var opts output.Options
	show := &cobra.Command{
		Use:   "show",
		Short: "Print every setting, its effective value and where it came from",
		Long: `Print every setting with its effective value and its source: flag, env
(NOMTRACK_<KEY>), file (the configuration file) or default. Precedence is
flag > env > file > default.`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := app.Config()
			if err != nil {
				return err
			}
			settings := cfg.Settings()
			for i, s := range settings {
				if db, ok := s.Value.(string); ok && s.Key == "db" {
					settings[i].Value = store.MaskDSN(db) // never a password
				}
			}
			tab := &output.Tab{Columns: []string{"key", "value", "source"}}
			for _, s := range settings {
				tab.Rows = append(tab.Rows, []any{s.Key, config.FormatValue(s.Value), s.Source})
			}
			return app.Print(opts, output.TextFormats, output.Doc{JSON: settings, Tab: tab})
		},
	}
	addOutputFlags(show, &opts, output.TextFormats)
	cmd.AddCommand(show)
	return cmd
}
