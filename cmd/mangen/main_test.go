package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	t.Run("OK_EveryCommandHasAPage", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "man1")
		var out, errb bytes.Buffer
		if code := run([]string{dir}, &out, &errb); code != 0 {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		for _, page := range []string{"nomtrack.1", "nomtrack-db-backup.1", "nomtrack-import.1", "nomtrack-report-year.1", "nomtrack-nomination-approve.1"} {
			body, err := os.ReadFile(filepath.Join(dir, page))
			if err != nil {
				t.Errorf("missing %s", page)
				continue
			}
			if !strings.Contains(string(body), "Exit codes") {
				t.Errorf("%s does not list the exit codes", page)
			}
		}
	})
	t.Run("ErrUsage", func(t *testing.T) {
		var out, errb bytes.Buffer
		if code := run(nil, &out, &errb); code != 2 || !strings.Contains(errb.String(), "usage") {
			t.Errorf("exit %d, stderr %q", code, errb.String())
		}
	})
}
