package importer

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestManyUnknownColumnsWarnBriefly: a sheet with 10,000 stray columns
// printed all their names, 118 KB of warning. The warning names ten, each
// cut short, and counts the rest.
func TestManyUnknownColumnsWarnBriefly(t *testing.T) {
	db := MustCatalogueDB(t)
	var head, row strings.Builder
	head.WriteString("ref,name,ministry,course,start")
	row.WriteString("MOD-1,Ali,MoD,M5-106,2012-03-05")
	for i := 0; i < 10000; i++ {
		fmt.Fprintf(&head, ",Extra %d", i)
		row.WriteString(",x")
	}
	head.WriteString("," + strings.Repeat("Very long header ", 10))
	sum := MustRun(t, db, MustFile(t, "wide.csv", head.String()+"\n"+row.String()+"\n"), Options{})
	want := []string{"wide.csv: columns ignored (not fields of nominations): Extra 0, Extra 1, Extra 2, Extra 3, Extra 4, Extra 5, Extra 6, Extra 7, Extra 8, Extra 9 and 9991 more"}
	if diff := cmp.Diff(want, sum.Warnings); diff != "" {
		t.Error(diff)
	}
	if got := someColumns([]string{strings.Repeat("Very long header ", 10)}); got != "Very long header Very long header Very l…" {
		t.Errorf("long name shown as %q", got)
	}
}
