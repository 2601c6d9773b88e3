package figures_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// MustListDeps returns the non-standard packages pkg links, as
// `go list -deps` sees them (the build graph, not a list kept by hand).
// With nonStandard, standard library packages are left out.
func MustListDeps(tb testing.TB, pkg string, nonStandard bool) []string {
	tb.Helper()
	args := []string{"list", "-deps"}
	if nonStandard {
		args = append(args, "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}")
	}
	out, err := exec.Command("go", append(args, pkg)...).CombinedOutput()
	if err != nil {
		tb.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
	}
	return strings.Fields(string(out))
}

// The figures are data: they link the domain and the standard library only.
func TestFiguresImportOnlyTheDomain(t *testing.T) {
	got := MustListDeps(t, "github.com/nomtrack/nomtrack/internal/figures", true)
	want := []string{"github.com/nomtrack/nomtrack/internal/nomtrack", "github.com/nomtrack/nomtrack/internal/figures"}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("internal/figures links %v, want only %v", got, want)
	}
}

// The store fills the figures and links no renderer: tables, HTML
// templates and the XLSX writer belong to internal/report.
func TestStoreLinksNoRenderer(t *testing.T) {
	deps := MustListDeps(t, "github.com/nomtrack/nomtrack/internal/store", false)
	for _, bad := range []string{"github.com/olekukonko/tablewriter", "html/template",
		"github.com/nomtrack/nomtrack/internal/xlsx", "github.com/nomtrack/nomtrack/internal/report",
		"github.com/nomtrack/nomtrack/internal/output"} {
		if slices.Contains(deps, bad) {
			t.Errorf("internal/store links %s; renderers belong to internal/report", bad)
		}
	}
	if !slices.Contains(deps, "github.com/nomtrack/nomtrack/internal/figures") {
		t.Error("internal/store does not link internal/figures: is the test looking at the right package?")
	}
}
