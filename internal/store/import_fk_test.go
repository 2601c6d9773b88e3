package store

import (
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// checkForeignKeys checks the references it lists, not the schema's: the
// list must be every REFERENCES clause the schema has.
func TestImportForeignKeysAreTheSchemas(t *testing.T) {
	SkipOnPostgres(t, "the import's foreign-key check against SQLite's schema")
	db := mustOpenEmpty(t)
	var schema []string
	for _, r := range mustRows(t, db, `SELECT m.name, f."from", f."table", f."to"
		FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'`) {
		schema = append(schema, r[0]+"."+r[1]+" -> "+r[2]+"."+r[3])
	}
	var listed []string
	for _, fk := range importForeignKeys {
		listed = append(listed, fk.child+"."+fk.column+" -> "+fk.parent+".id")
	}
	sort.Strings(schema)
	sort.Strings(listed)
	if diff := cmp.Diff(schema, listed); diff != "" {
		t.Errorf("importForeignKeys differ from the schema's references (-schema +listed):\n%s", diff)
	}
}
