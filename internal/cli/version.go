package cli

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"sync"

	"github.com/nomtrack/nomtrack/internal/output"
	"github.com/spf13/cobra"
)

// Set by goreleaser's ldflags (-X github.com/nomtrack/nomtrack/internal/cli.version=…).
var (
	version = ""
	commit  = ""
	date    = ""
)

// BuildInfo is what `nomtrack version` reports.
type BuildInfo struct {
	Version string `json:"version"`
	Commit  string `json:"commit"`
	Date    string `json:"date"`
	Go      string `json:"go"`
}

// buildInfo fills what ldflags did not set from the module's build info, so a
// `go install` or dev build still says something true. Read once: the root's
// --version and the version command both print it.
var buildInfo = sync.OnceValue(func() BuildInfo {
	b := BuildInfo{Version: version, Commit: commit, Date: date, Go: runtime.Version()}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if b.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			b.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if b.Commit == "" {
					b.Commit = s.Value
				}
			case "vcs.time":
				if b.Date == "" {
					b.Date = s.Value
				}
			case "vcs.modified":
				if s.Value == "true" && b.Commit != "" && commit == "" {
					b.Commit += "-dirty"
				}
			}
		}
	}
	if b.Version == "" {
		b.Version = "dev"
	}
	if b.Commit == "" {
		b.Commit = "unknown"
	}
	if b.Date == "" {
		b.Date = "unknown"
	}
	return b
})

// versionLine is what `nomtrack version` and `nomtrack --version` print
// after the program's name.
func versionLine(b BuildInfo) string {
	return fmt.Sprintf("%s (commit %s, built %s, %s)", b.Version, b.Commit, b.Date, b.Go)
}

func newVersionCmd(app *App) *cobra.Command {
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print nomtrack's version, commit and build date",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			b := buildInfo()
			return app.Print(opts, []string{output.Table, output.JSON}, output.Doc{
				JSON: b,
				Text: func(w io.Writer, _ bool) error {
					_, err := fmt.Fprintf(w, "nomtrack %s\n", versionLine(b))
					return err
				},
			})
		},
	}
	addOutputFlags(cmd, &opts, []string{output.Table, output.JSON})
	return cmd
}
