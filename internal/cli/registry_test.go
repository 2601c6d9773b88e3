package cli

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEveryCommandConstructorIsCalled fails when a command constructor
// (newXxxCmd) is declared but called nowhere: a command written and never
// added to the tree, in commands() or under its noun.
func TestEveryCommandConstructorIsCalled(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	declared := map[string]string{}
	called := map[string]bool{}
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
			case *ast.CallExpr:
				if id, ok := x.Fun.(*ast.Ident); ok {
					called[id.Name] = true
				}
			}
			return true
		})
	}
	if len(declared) < 10 {
		t.Fatalf("found only %d command constructors; is the test reading the right files?", len(declared))
	}
	for fn, file := range declared {
		if !called[fn] {
			t.Errorf("%s (%s) is never called: add it to commands() in root.go or to its noun's AddCommand", fn, file)
		}
	}
}
