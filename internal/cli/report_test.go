package cli

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"

	"github.com/spf13/cobra"
)

func TestParseWithin(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{
		{"42d", 42}, {"42", 42}, {"6w", 42}, {" 2W ", 14}, {"0d", 0},
	} {
		got, err := parseWithin(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("parseWithin(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "soon", "-3d", "3m", "1.5w", "99999d"} {
		if _, err := parseWithin(bad); err == nil {
			t.Errorf("parseWithin(%q) accepted a window that is not one", bad)
		}
	}
}

func TestReportYearArg(t *testing.T) {
	cmd := &cobra.Command{Use: "year"}
	if y, err := reportYearArg(cmd, "YEAR", "2012"); err != nil || y != 2012 {
		t.Errorf("reportYearArg(2012) = %d, %v", y, err)
	}
	for _, bad := range []string{"12", "twelve", "1899", "3000", "2012-01"} {
		_, err := reportYearArg(cmd, "YEAR", bad)
		var ue *usageError
		if !errors.As(err, &ue) {
			t.Errorf("reportYearArg(%q) = %v, want a usage error (exit 2)", bad, err)
		}
	}
}

// TestReportCommandsRefuseBadFlagsBeforeOpeningTheDatabase runs the report
// commands with mistakes against a database path that cannot exist: each
// must fail with exit 2 without touching it.
func TestReportCommandsRefuseBadFlagsBeforeOpeningTheDatabase(t *testing.T) {
	db := t.TempDir() + "/missing/dir/n.db"
	for _, args := range [][]string{
		{"report", "year"},
		{"report", "year", "2012", "2013"},
		{"report", "year", "20x"},
		{"report", "year", "2012", "-o", "pdf"},
		{"report", "demand", "2012", "-o", "html"},
		{"report", "trend", "--from", "2014", "--to", "2012"},
		{"report", "trend", "--from", "soon"},
		{"report", "upcoming", "--within", "soon"},
		{"report", "person"},
		{"report", "yaer", "2012"},
	} {
		var out, errb bytes.Buffer
		code := Main(append([]string{"--db", db}, args...), nil, &out, &errb)
		if code != ExitUsage {
			t.Errorf("%v: exit %d, want %d; stderr %q", args, code, ExitUsage, errb.String())
		}
		if out.Len() != 0 {
			t.Errorf("%v printed on stdout: %q", args, out.String())
		}
	}
	if _, err := os.Stat(filepath.Dir(db)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused command created the database directory (stat: %v)", err)
	}
}

// TestReportEligibilityRestoresTheCollector: the report runs with the
// collector of eligibilityGCPercent and leaves the process's own setting
// as it found it, whether it succeeds or fails (an empty database, then a
// database path that cannot be opened).
func TestReportEligibilityRestoresTheCollector(t *testing.T) {
	t.Setenv("GOGC", "")
	prev := debug.SetGCPercent(73)
	defer debug.SetGCPercent(prev)
	dir := t.TempDir()
	for _, db := range []string{filepath.Join(dir, "n.db"), filepath.Join(dir, "missing", "dir", "n.db")} {
		var out, errb bytes.Buffer
		Main([]string{"--db", db, "report", "eligibility", "2012"}, &bytes.Buffer{}, &out, &errb)
		if got := debug.SetGCPercent(73); got != 73 {
			t.Errorf("--db %s: GOGC after the report = %d, want 73 (%s)", db, got, errb.String())
		}
	}
}
