package sqlite

import (
	"context"
	"path/filepath"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// checkForeignKeys checks the references it lists, not the schema's: the
// list must be every REFERENCES clause the schema has.
func TestImportForeignKeysAreTheSchemas(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "fk.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var schema []string
	err = db.View(ctx, func(q Querier) error {
		rows, err := q.QueryContext(ctx, `SELECT m.name, f."from", f."table", f."to"
			FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var child, column, parent, to string
			if err := rows.Scan(&child, &column, &parent, &to); err != nil {
				return err
			}
			schema = append(schema, child+"."+column+" -> "+parent+"."+to)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
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
