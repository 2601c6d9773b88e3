package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// readOnly reports whether a command only reads: lists, shows, reports,
// exports, person dupes, audit and db info/check/backup.
func readOnly(cmd *cobra.Command) bool {
	switch cmd.Name() {
	case "list", "show", "dupes", "audit", "info", "check", "backup":
		return true
	}
	switch cmd.Parent().Name() {
	case "report", "export":
		return true
	}
	return false
}

// TestReadOnlyCommandsNeverCreateADatabase walks the whole command tree, so
// a read-only command added later is held to SPEC §8 too: without a
// database it exits 4 and creates nothing.
func TestReadOnlyCommandsNeverCreateADatabase(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "data", "nomtrack.db")
	t.Setenv("NOMTRACK_CONFIG", "")
	t.Setenv("NOMTRACK_DB", "")
	t.Setenv("XDG_CONFIG_HOME", dir)
	var walk func(cmd *cobra.Command)
	checked := 0
	walk = func(cmd *cobra.Command) {
		for _, c := range cmd.Commands() {
			if c.HasSubCommands() {
				walk(c)
				continue
			}
			if !readOnly(c) || c.Parent().Name() == "config" {
				continue // config show reads no database at all
			}
			path := strings.Fields(c.CommandPath())[1:]
			// Positional arguments: as many as the command takes (a usage
			// error says too few); "2012" reads as a year, an id or a code.
			var args []string
			var out, errOut bytes.Buffer
			code := ExitUsage
			for n := 0; n <= 3 && code == ExitUsage; n++ {
				args = make([]string, n)
				for i := range args {
					args[i] = "2012"
				}
				out.Reset()
				errOut.Reset()
				code = Main(append(append([]string{"--db", dbPath}, path...), args...), strings.NewReader(""), &out, &errOut)
			}
			checked++
			if code != ExitNotFound || !strings.Contains(errOut.String(), "no database at "+dbPath) {
				t.Errorf("%s %v: exit %d, stderr %q; want exit 4, no database", c.CommandPath(), args, code, errOut.String())
			}
			if _, err := os.Stat(filepath.Dir(dbPath)); err == nil {
				t.Fatalf("%s created %s", c.CommandPath(), filepath.Dir(dbPath))
			}
		}
	}
	walk(NewRootCmd(NewApp(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})))
	if checked < 20 {
		t.Errorf("only %d read-only commands found", checked)
	}
}
