package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/nomtrack/nomtrack/internal/cli"
	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"nomtrack": func() { os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScript runs every testdata/script/*.txtar scenario against the real
// command tree. Each scenario starts in an empty directory with HOME and the
// XDG directories inside it, so the default database and configuration paths
// are private to the scenario.
func TestScript(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "../../testdata/script",
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			home := env.WorkDir + "/home"
			env.Setenv("HOME", home)
			env.Setenv("XDG_DATA_HOME", home+"/.local/share")
			env.Setenv("XDG_CONFIG_HOME", home+"/.config")
			env.Setenv("USER", "coordinator")
			env.Setenv("NO_COLOR", "1")
			env.Setenv("TZ", "UTC")
			// SAMPLE is the bundled sample data, for scenarios that run the
			// README's own commands.
			sample, err := filepath.Abs("../../testdata/sample")
			if err != nil {
				return err
			}
			env.Setenv("SAMPLE", sample)
			return nil
		},
		UpdateScripts: os.Getenv("UPDATE_SCRIPTS") == "1",
	})
}
