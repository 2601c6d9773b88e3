package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/nomtrack/nomtrack/internal/cli"
	"github.com/nomtrack/nomtrack/internal/pgtest"
	"github.com/rogpeppe/go-internal/testscript"
	"github.com/xuri/excelize/v2"
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
//
// With NOMTRACK_TEST_ENGINE=postgres (scripts/test.sh's second run) every
// scenario runs instead with NOMTRACK_DB naming a fresh PostgreSQL database
// of a throwaway cluster (internal/pgtest), owned by and connecting as an
// ordinary role named as $USER: the same commands must print the same
// output and exit with the same codes on both engines. A scenario about
// SQLite files (paths, permissions, backups, upgrades) says
// `[postgres] skip 'why'`. Without PostgreSQL binaries that run skips with
// one line (fails with CI=true).
func TestScript(t *testing.T) {
	p := scriptParams()
	if !pgtest.OnPostgres() {
		p.UpdateScripts = os.Getenv("UPDATE_SCRIPTS") == "1"
		testscript.Run(t, p)
		return
	}
	if _, err := pgtest.BinDir(); err != nil {
		pgtest.SkipOrFail(t, err)
		return
	}
	setup := p.Setup
	p.Setup = func(env *testscript.Env) error {
		if err := setup(env); err != nil {
			return err
		}
		url, drop, err := pgtest.CreateDatabaseFor("coordinator")
		if err != nil {
			return err
		}
		env.Defer(func() {
			if err := drop(); err != nil {
				env.T().Fatal(err)
			}
		})
		env.Setenv("NOMTRACK_DB", url)
		return nil
	}
	p.Condition = func(cond string) (bool, error) {
		if cond == "postgres" {
			return true, nil
		}
		return false, fmt.Errorf("unknown condition %q", cond)
	}
	testscript.Run(t, p)
}

// scriptParams are the scenarios' parameters on SQLite, where the
// condition [postgres] is false.
func scriptParams() testscript.Params {
	return testscript.Params{
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
		Condition: func(cond string) (bool, error) {
			if cond == "postgres" {
				return false, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits": exits, "xlsxcells": xlsxCells, "pgserver": pgServer, "envsubst": envSubst,
		},
	}
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

// pgserver tcp|tls ROLE makes, on the test binary's network cluster of
// that kind (internal/pgtest: 127.0.0.1, scram-sha-256 passwords, SSL off
// for tcp and on for tls), a database owned by ROLE with a fresh password,
// dropped when the scenario ends, and sets for the scenario PGT_HOST,
// PGT_PORT, PGT_DB, PGT_USER, PGT_PASSWORD, and for tls PGT_ROOTCERT (the
// CA that signed the server's certificate) and PGT_OTHERROOT (one that did
// not). Only on PostgreSQL: such scenarios begin `[!postgres] skip`. The
// names are not libpq's (PGHOST, …), so nomtrack sees none of them unless
// the scenario passes them on.
func pgServer(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: pgserver tcp|tls ROLE")
	}
	if !pgtest.OnPostgres() {
		ts.Fatalf("pgserver: only on PostgreSQL (%s=postgres); begin the scenario with [!postgres] skip", pgtest.EngineEnv)
	}
	kinds := map[string]pgtest.Kind{"tcp": pgtest.TCP, "tls": pgtest.TLS}
	kind, ok := kinds[args[0]]
	if !ok {
		ts.Fatalf("pgserver: %q is not tcp or tls", args[0])
	}
	srv, err := pgtest.StartServer(kind)
	if err != nil {
		ts.Fatalf("pgserver: %v", err)
	}
	secret := make([]byte, 12)
	if _, err := rand.Read(secret); err != nil {
		ts.Fatalf("pgserver: %v", err)
	}
	password := "pw" + hex.EncodeToString(secret)
	name, drop, err := srv.CreateDatabase(args[1], password)
	if err != nil {
		ts.Fatalf("pgserver: %v", err)
	}
	ts.Defer(func() {
		if err := drop(); err != nil {
			ts.Fatalf("pgserver: %v", err)
		}
	})
	for k, v := range map[string]string{
		"PGT_HOST": srv.Host, "PGT_PORT": strconv.Itoa(srv.Port), "PGT_DB": name,
		"PGT_USER": args[1], "PGT_PASSWORD": password,
		"PGT_ROOTCERT": srv.RootCert, "PGT_OTHERROOT": srv.OtherRootCert,
	} {
		ts.Setenv(k, v)
	}
}

// envsubst IN OUT writes OUT (mode 0600, as ~/.pgpass must be) from IN with
// each $VAR or ${VAR} replaced by the scenario's variable: files that name
// what a scenario learns only as it runs (pgserver's port and password).
func envSubst(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: envsubst IN OUT")
	}
	text := os.Expand(ts.ReadFile(args[0]), ts.Getenv)
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte(text), 0o600))
}

// xlsxcells FILE prints every row of every sheet of a workbook, one line a
// row, each cell as KIND:VALUE — text:…, number:…, date:YYYY-MM-DD (a
// number cell shown as a date), bool:…, or empty — so a scenario checks how
// a cell was typed, not only what it shows.
func xlsxCells(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: xlsxcells FILE")
	}
	f, err := excelize.OpenFile(ts.MkAbs(args[0]))
	if err != nil {
		ts.Fatalf("xlsxcells: %v", err)
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			ts.Fatalf("xlsxcells: %v", err)
		}
		width := 0 // excelize drops a row's trailing empty cells: show them
		for _, row := range rows {
			width = max(width, len(row))
		}
		for r := range rows {
			cells := make([]string, width)
			for c := range cells {
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				typ, _ := f.GetCellType(sheet, ref)
				raw, _ := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
				shown, _ := f.GetCellValue(sheet, ref)
				switch {
				case raw == "":
					cells[c] = "empty"
				case typ == excelize.CellTypeBool:
					cells[c] = "bool:" + shown
				case typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString:
					cells[c] = "text:" + raw
				case raw != shown:
					cells[c] = "date:" + shown
				default:
					cells[c] = "number:" + raw
				}
			}
			fmt.Fprintf(ts.Stdout(), "%s %d: %s\n", sheet, r+1, strings.Join(cells, " | "))
		}
	}
}
