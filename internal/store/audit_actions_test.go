package store

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestAuditActionsListsEveryActionWritten reads the store's source: each
// action given to writeAudit must be in AuditActions, so `audit --action`
// accepts it on an empty database and suggests it for a typo.
func TestAuditActionsListsEveryActionWritten(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	call := regexp.MustCompile(`writeAudit(?:From)?\([^"]*"([a-z_]+\.[a-z_]+)"`)
	found := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range call.FindAllSubmatch(src, -1) {
			found++
			if action := string(m[1]); !slices.Contains(AuditActions, action) {
				t.Errorf("%s writes audit action %q, which AuditActions does not list", name, action)
			}
		}
	}
	if found < 10 {
		t.Errorf("found %d writeAudit calls; the pattern no longer matches them", found)
	}
}
