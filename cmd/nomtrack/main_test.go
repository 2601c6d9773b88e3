package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/nomtrack/nomtrack/internal/cli"
	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"nomtrack": func() { os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
		// nomtrack-tty is nomtrack as if stdin were a terminal, so that a
		// scenario can answer a destructive command's question from a file
		// (testscript's stdin).
		"nomtrack-tty": func() {
			app := cli.NewApp(os.Stdin, os.Stdout, os.Stderr)
			app.IO.InTTY = true
			os.Exit(cli.Run(os.Args[1:], app))
		},
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
		Cmds:          map[string]func(ts *testscript.TestScript, neg bool, args []string){"exits": exits},
	})
}

// exits N PROGRAM [ARGS...] runs PROGRAM like exec and fails unless it exits
// with code N (SPEC §7); its output is kept for stdout and stderr to check.
func exits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits N PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: %q is not an exit code", args[0])
	}
	code := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exits: %v", err)
		}
		code = ee.ExitCode()
	}
	if code != want {
		ts.Fatalf("%s exited %d, want %d", args[1], code, want)
	}
}
