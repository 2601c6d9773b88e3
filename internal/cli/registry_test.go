package cli

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestEveryCommandConstructorIsCalled fails when a command constructor
// (newXxxCmd) is declared but used nowhere: a command written and never
// added to the tree, in topCommands or under its noun.
func TestEveryCommandConstructorIsCalled(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	declared := map[string]string{}
	// uses counts each name's identifiers, its declaration included.
	uses := map[string]int{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.FuncDecl:
				if x.Recv == nil && strings.HasPrefix(x.Name.Name, "new") && strings.HasSuffix(x.Name.Name, "Cmd") {
					declared[x.Name.Name] = name
				}
			case *ast.Ident:
				uses[x.Name]++
			}
			return true
		})
	}
	if len(declared) < 10 {
		t.Fatalf("found only %d command constructors; is the test reading the right files?", len(declared))
	}
	for fn, file := range declared {
		if uses[fn] < 2 {
			t.Errorf("%s (%s) is never used: add it to topCommands in root.go or to its noun's AddCommand", fn, file)
		}
	}
}

// TestTopCommandNames keeps each name in topCommands its command's own:
// a run finds the command its arguments call by that name.
func TestTopCommandNames(t *testing.T) {
	app := NewApp(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	seen := map[string]bool{}
	for _, top := range topCommands {
		cmd := top.build(app)
		if cmd.Name() != top.name || len(cmd.Aliases) > 0 {
			t.Errorf("topCommands names %q for the command %q (aliases %v); the name must be the command's, without aliases", top.name, cmd.Name(), cmd.Aliases)
		}
		if seen[top.name] {
			t.Errorf("%q is in topCommands twice", top.name)
		}
		seen[top.name] = true
	}
}

// TestPartialTreeFindsTheSameCommand runs cobra's search over the whole
// tree and over the tree a run builds for the same arguments (only the
// top-level command they call): the command found, its arguments and its
// help must be the same.
func TestPartialTreeFindsTheSameCommand(t *testing.T) {
	argLists := [][]string{
		{}, {"version"}, {"version", "--json", "version"}, {"--quiet", "version"}, {"-q", "person", "show", "X"},
		{"--db", "version", "person", "list"}, {"--db=x.db", "report", "year", "2012"}, {"--config", "c.yaml", "nomination", "approve", "3"},
		{"--no-color", "--no-pager", "export", "people"}, {"--foo", "version"}, {"--", "version"}, {"-x", "version"},
		{"help", "person"}, {"completion", "bash"}, {"__complete", "person", ""}, {"persn", "show"}, {"person", "shwo"},
		{"--help", "version"}, {"version", "--help"}, {"-h"}, {"capacity", "set", "2026", "-5"}, {"db", "info"}, {"nominate", "P", "O"},
	}
	for _, args := range argLists {
		app := NewApp(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
		fullCmd, fullArgs, fullErr := NewRootCmd(app).Find(args)
		partCmd, partArgs, partErr := newRootCmd(app, args).Find(args)
		if fullCmd.CommandPath() != partCmd.CommandPath() || !slices.Equal(fullArgs, partArgs) || (fullErr == nil) != (partErr == nil) {
			t.Errorf("%q: whole tree finds %q %q (%v), the partial one %q %q (%v)", args,
				fullCmd.CommandPath(), fullArgs, fullErr, partCmd.CommandPath(), partArgs, partErr)
			continue
		}
		if fullCmd.UsageString() != partCmd.UsageString() {
			t.Errorf("%q: %q's usage differs between the whole and the partial tree", args, fullCmd.CommandPath())
		}
	}
}

// TestVersionLoadsNoConfiguration: `nomtrack version` neither reads the
// configuration nor opens a database (issue 16: start-up).
func TestVersionLoadsNoConfiguration(t *testing.T) {
	var out bytes.Buffer
	app := NewApp(strings.NewReader(""), &out, &out)
	if code := Run([]string{"version"}, app); code != ExitOK {
		t.Fatalf("version exited %d: %s", code, out.String())
	}
	if app.cfg != nil || app.db != nil {
		t.Errorf("version loaded the configuration (%v) or opened a database (%v)", app.cfg != nil, app.db != nil)
	}
}
