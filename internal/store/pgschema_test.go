package store_test

// The PostgreSQL schema (migrations/postgres) must stay the SQLite schema's
// equal, so that the store's queries are written once. These tests compare
// a freshly migrated SQLite file with a fresh PostgreSQL database that has
// had the PostgreSQL migrations applied through pgx directly.

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/nomtrack/nomtrack/internal/pgtest"
	"github.com/nomtrack/nomtrack/internal/store"
)

var migrationFile = regexp.MustCompile(`^([0-9]{4})_[a-z0-9_]+\.sql$`)

// migrationVersions maps each migration number in dir to its file name.
func migrationVersions(t *testing.T, dir string) map[int]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int]string{}
	for _, e := range entries {
		m := migrationFile.FindStringSubmatch(e.Name())
		if m == nil {
			t.Errorf("%s/%s is not named NNNN_words.sql", dir, e.Name())
			continue
		}
		v, _ := strconv.Atoi(m[1])
		out[v] = e.Name()
	}
	return out
}

// TestMigrationsHaveTwins: PostgreSQL databases start at 0013_schema.sql
// (the whole schema of SQLite's 0001..0013); every later migration exists in
// both directories under the same number.
func TestMigrationsHaveTwins(t *testing.T) {
	lite := migrationVersions(t, "migrations/sqlite")
	pg := migrationVersions(t, "migrations/postgres")
	if pg[13] != "0013_schema.sql" {
		t.Errorf("migrations/postgres has no 0013_schema.sql (the whole schema as of SQLite's 0013)")
	}
	for v, name := range lite {
		if v > 13 && pg[v] == "" {
			t.Errorf("migrations/sqlite/%s has no PostgreSQL twin: write migrations/postgres/%04d_*.sql", name, v)
		}
	}
	for v, name := range pg {
		if v < 13 {
			t.Errorf("migrations/postgres/%s: PostgreSQL migrations start at 0013", name)
		}
		if v > 13 && lite[v] == "" {
			t.Errorf("migrations/postgres/%s has no SQLite twin: write migrations/sqlite/%04d_*.sql", name, v)
		}
	}
}

// column is what both engines say about one column, in comparable words.
type column struct {
	Name    string
	Type    string // integer, text or real
	NotNull bool
	Default string // as written, without PostgreSQL's casts
	PK      bool
}

// index is a named index or an unnamed unique key: its table and columns.
type index struct {
	Table   string
	Columns string
	Unique  bool
	Partial bool
}

type foreignKey struct {
	Table, Column, RefTable, RefColumn, OnDelete string
}

// schema is one engine's schema, reduced to what both can say.
type schema struct {
	Columns     map[string][]column // by table or view
	Indexes     map[string]index    // named indexes
	UniqueKeys  []string            // "table(col, col)", sorted
	ForeignKeys []foreignKey
	Checks      map[string]int // CHECK constraints per table
}

func sqliteSchema(t *testing.T) schema {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "nomtrack.db")
	db, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	conn, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	query := func(q string, args ...any) *sql.Rows {
		t.Helper()
		rows, err := conn.QueryContext(ctx, q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return rows
	}
	s := schema{Columns: map[string][]column{}, Indexes: map[string]index{}, Checks: map[string]int{}}
	type object struct{ name, kind, sql string }
	var objects []object
	rows := query(`SELECT name, type, coalesce(sql, '') FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	for rows.Next() {
		var o object
		if err := rows.Scan(&o.name, &o.kind, &o.sql); err != nil {
			t.Fatal(err)
		}
		objects = append(objects, o)
	}
	rows.Close()
	checkWord := regexp.MustCompile(`(?i)\bCHECK\s*\(`)
	for _, o := range objects {
		rows := query(`SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?)`, o.name)
		for rows.Next() {
			var c column
			var typ string
			var dflt sql.NullString
			var pk int
			if err := rows.Scan(&c.Name, &typ, &c.NotNull, &dflt, &pk); err != nil {
				t.Fatal(err)
			}
			c.Type = strings.ToLower(typ)
			c.Default = dflt.String
			c.PK = pk > 0
			if c.PK && c.Type == "integer" {
				c.NotNull = true // a rowid alias is never NULL
			}
			if o.kind == "view" {
				c = column{Name: c.Name} // a view's column types are SQLite's guesses
			}
			s.Columns[o.name] = append(s.Columns[o.name], c)
		}
		rows.Close()
		if o.kind != "table" {
			continue
		}
		if n := len(checkWord.FindAllString(o.sql, -1)); n > 0 {
			s.Checks[o.name] = n
		}

		type idx struct {
			name           string
			unique         bool
			origin         string
			partial        bool
			namedInSchema  bool
			columnsWritten string
		}
		var idxs []idx
		rows = query(`SELECT name, "unique", origin, partial FROM pragma_index_list(?)`, o.name)
		for rows.Next() {
			var i idx
			if err := rows.Scan(&i.name, &i.unique, &i.origin, &i.partial); err != nil {
				t.Fatal(err)
			}
			idxs = append(idxs, i)
		}
		rows.Close()
		for _, i := range idxs {
			var cols []string
			rows := query(`SELECT name FROM pragma_index_info(?) ORDER BY seqno`, i.name)
			for rows.Next() {
				var c string
				if err := rows.Scan(&c); err != nil {
					t.Fatal(err)
				}
				cols = append(cols, c)
			}
			rows.Close()
			switch i.origin {
			case "c": // CREATE INDEX
				s.Indexes[i.name] = index{Table: o.name, Columns: strings.Join(cols, ", "), Unique: i.unique, Partial: i.partial}
			case "u": // UNIQUE in the table
				s.UniqueKeys = append(s.UniqueKeys, o.name+"("+strings.Join(cols, ", ")+")")
			}
		}
		rows = query(`SELECT "from", "table", "to", on_delete FROM pragma_foreign_key_list(?)`, o.name)
		for rows.Next() {
			fk := foreignKey{Table: o.name}
			if err := rows.Scan(&fk.Column, &fk.RefTable, &fk.RefColumn, &fk.OnDelete); err != nil {
				t.Fatal(err)
			}
			s.ForeignKeys = append(s.ForeignKeys, fk)
		}
		rows.Close()
	}
	sort.Strings(s.UniqueKeys)
	sortForeignKeys(s.ForeignKeys)
	return s
}

// postgresUnreferenced is SQLite's reference that PostgreSQL drops
// (migration 0023).
var postgresUnreferenced = foreignKey{Table: "person_search_token", Column: "person_id", RefTable: "person", RefColumn: "id", OnDelete: "CASCADE"}

func sortForeignKeys(fks []foreignKey) {
	sort.Slice(fks, func(i, j int) bool { return fmt.Sprint(fks[i]) < fmt.Sprint(fks[j]) })
}

// postgresMigrated is a fresh PostgreSQL database with every migration of
// migrations/postgres applied in order, through pgx directly, by the
// database's owner, an ordinary role (the schema needs no superuser).
func postgresMigrated(t *testing.T) *pgx.Conn {
	t.Helper()
	ctx := context.Background()
	url, drop, err := pgtest.CreateDatabaseFor("nomtrack_owner")
	if err != nil {
		pgtest.SkipOrFail(t, err)
		return nil
	}
	t.Cleanup(func() {
		if err := drop(); err != nil {
			t.Error(err)
		}
	})
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	versions := migrationVersions(t, "migrations/postgres")
	var order []int
	for v := range versions {
		order = append(order, v)
	}
	sort.Ints(order)
	for _, v := range order {
		body, err := os.ReadFile(filepath.Join("migrations/postgres", versions[v]))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Exec(ctx, string(body)); err != nil {
			t.Fatalf("migrations/postgres/%s: %v", versions[v], err)
		}
	}
	return conn
}

var pgCast = regexp.MustCompile(`::[a-z ]+$`)

func postgresSchema(t *testing.T, conn *pgx.Conn) schema {
	t.Helper()
	ctx := context.Background()
	s := schema{Columns: map[string][]column{}, Indexes: map[string]index{}, Checks: map[string]int{}}
	rows, err := conn.Query(ctx, `
		SELECT c.table_name, c.column_name, c.data_type, c.udt_name, c.is_nullable = 'NO',
			coalesce(c.column_default, ''), t.table_type = 'VIEW',
			EXISTS (SELECT 1 FROM information_schema.table_constraints tc
				JOIN information_schema.key_column_usage k USING (constraint_schema, constraint_name)
				WHERE tc.table_schema = 'public' AND tc.table_name = c.table_name
				AND tc.constraint_type = 'PRIMARY KEY' AND k.column_name = c.column_name)
		FROM information_schema.columns c
		JOIN information_schema.tables t USING (table_schema, table_name)
		WHERE c.table_schema = 'public'
		ORDER BY c.table_name, c.ordinal_position`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var table, dataType, udt string
		var view bool
		var c column
		if err := rows.Scan(&table, &c.Name, &dataType, &udt, &c.NotNull, &c.Default, &view, &c.PK); err != nil {
			t.Fatal(err)
		}
		switch {
		case dataType == "bigint" || dataType == "integer":
			c.Type = "integer"
		case dataType == "text" || udt == "citext":
			c.Type = "text"
		case dataType == "double precision":
			c.Type = "real"
		default:
			c.Type = dataType + " (no SQLite equivalent)"
		}
		c.Default = pgCast.ReplaceAllString(c.Default, "")
		if view {
			c = column{Name: c.Name}
		}
		s.Columns[table] = append(s.Columns[table], c)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}

	// Indexes not made by a constraint: named indexes. Unique constraints
	// other than primary keys: unique keys.
	rows, err = conn.Query(ctx, `
		SELECT ic.relname, tc.relname, i.indisunique, i.indpred IS NOT NULL,
			EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid),
			i.indisprimary,
			(SELECT string_agg(a.attname, ', ' ORDER BY k.ord)
			 FROM unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
			 JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum)
		FROM pg_index i
		JOIN pg_class ic ON ic.oid = i.indexrelid
		JOIN pg_class tc ON tc.oid = i.indrelid
		JOIN pg_namespace n ON n.oid = tc.relnamespace
		WHERE n.nspname = 'public'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name, table, cols string
		var unique, partial, constraint, primary bool
		if err := rows.Scan(&name, &table, &unique, &partial, &constraint, &primary, &cols); err != nil {
			t.Fatal(err)
		}
		switch {
		case primary:
		case constraint:
			s.UniqueKeys = append(s.UniqueKeys, table+"("+cols+")")
		default:
			s.Indexes[name] = index{Table: table, Columns: cols, Unique: unique, Partial: partial}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	sort.Strings(s.UniqueKeys)

	rows, err = conn.Query(ctx, `
		SELECT t.relname, a.attname, rt.relname, ra.attname,
			CASE k.confdeltype WHEN 'r' THEN 'RESTRICT' WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL'
				WHEN 'd' THEN 'SET DEFAULT' ELSE 'NO ACTION' END
		FROM pg_constraint k
		JOIN pg_class t ON t.oid = k.conrelid
		JOIN pg_class rt ON rt.oid = k.confrelid
		JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
		JOIN pg_attribute ra ON ra.attrelid = k.confrelid AND ra.attnum = k.confkey[1]
		JOIN pg_namespace n ON n.oid = t.relnamespace
		WHERE k.contype = 'f' AND n.nspname = 'public'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var fk foreignKey
		if err := rows.Scan(&fk.Table, &fk.Column, &fk.RefTable, &fk.RefColumn, &fk.OnDelete); err != nil {
			t.Fatal(err)
		}
		s.ForeignKeys = append(s.ForeignKeys, fk)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	sortForeignKeys(s.ForeignKeys)

	rows, err = conn.Query(ctx, `
		SELECT t.relname, count(*) FROM pg_constraint k
		JOIN pg_class t ON t.oid = k.conrelid
		JOIN pg_namespace n ON n.oid = t.relnamespace
		WHERE k.contype = 'c' AND n.nspname = 'public' GROUP BY t.relname`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var table string
		var n int
		if err := rows.Scan(&table, &n); err != nil {
			t.Fatal(err)
		}
		s.Checks[table] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestPostgresSchemaMatchesSQLite: every table, view and column of a freshly
// migrated SQLite database exists in PostgreSQL in the same order, with a
// compatible type, the same NOT NULL and default, and the same keys, foreign
// keys (and what a delete does to them), CHECK constraints and named
// indexes; and PostgreSQL has nothing SQLite lacks.
func TestPostgresSchemaMatchesSQLite(t *testing.T) {
	pg := postgresSchema(t, postgresMigrated(t))
	lite := sqliteSchema(t)
	// The one difference on purpose: PostgreSQL has no reference from the
	// search tokens to person (migrations/postgres/0023); db check looks
	// for tokens whose person is missing instead.
	lite.ForeignKeys = slices.DeleteFunc(lite.ForeignKeys, func(fk foreignKey) bool { return fk == postgresUnreferenced })
	for _, part := range []struct {
		name      string
		lite, got any
	}{
		{"columns", lite.Columns, pg.Columns},
		{"named indexes", lite.Indexes, pg.Indexes},
		{"unique keys", lite.UniqueKeys, pg.UniqueKeys},
		{"foreign keys", lite.ForeignKeys, pg.ForeignKeys},
		{"CHECK constraints per table", lite.Checks, pg.Checks},
	} {
		if diff := cmp.Diff(part.lite, part.got); diff != "" {
			t.Errorf("PostgreSQL %s differ from SQLite's (-sqlite +postgres):\n%s", part.name, diff)
		}
	}
}

// TestPostgresSchemaBehavesAsSQLite checks what the schema's text cannot
// show: course codes are equal, unique and ordered regardless of ASCII case
// (SQLite's COLLATE NOCASE), a query's `COLLATE NOCASE` means the same,
// other text orders by bytes, ids are never reused, and the CHECKs refuse
// what SQLite's refuse.
func TestPostgresSchemaBehavesAsSQLite(t *testing.T) {
	ctx := context.Background()
	conn := postgresMigrated(t)
	exec := func(q string, args ...any) error {
		_, err := conn.Exec(ctx, q, args...)
		return err
	}
	must := func(q string, args ...any) {
		t.Helper()
		if err := exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	now := "2026-01-02T03:04:05Z"
	for _, code := range []string{"b-1", "A-2", "a-10", "_x"} {
		must(`INSERT INTO course (code, title, area, provider, created_at, updated_at) VALUES ($1, 'T', 'area', 'NATO School', $2, $2)`, code, now)
	}
	if err := exec(`INSERT INTO course (code, title, area, created_at, updated_at) VALUES ('B-1', 'T', 'area', $1, $1)`, now); err == nil {
		t.Error("course codes B-1 and b-1 are both accepted; SQLite's COLLATE NOCASE makes them one")
	}
	var found string
	if err := conn.QueryRow(ctx, `SELECT code FROM course WHERE code = $1`, "a-2").Scan(&found); err != nil || found != "A-2" {
		t.Errorf("code = 'a-2' found %q (%v), want A-2", found, err)
	}
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM course WHERE code LIKE $1`, "a%").Scan(&n); err != nil || n != 2 {
		t.Errorf("code LIKE 'a%%' counts %d (%v), want 2 as SQLite's case-insensitive LIKE", n, err)
	}
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM course c WHERE c.provider = $1 COLLATE NOCASE`, "nato school").Scan(&n); err != nil || n != 4 {
		t.Errorf("provider = 'nato school' COLLATE NOCASE counts %d (%v), want 4", n, err)
	}
	var codes []string
	rows, err := conn.Query(ctx, `SELECT code FROM course ORDER BY code`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c string
		rows.Scan(&c)
		codes = append(codes, c)
	}
	// SQLite's NOCASE: ASCII folded to lower case, then bytes ('_' sorts
	// after the upper-case letters but before the lower-case ones).
	if want := []string{"_x", "a-10", "A-2", "b-1"}; !cmp.Equal(codes, want) {
		t.Errorf("courses ordered %q, want SQLite's NOCASE order %q", codes, want)
	}

	for _, name := range []string{"b", "B", "a", "É", "Z"} {
		must(`INSERT INTO person (name, name_key, ministry, created_at, updated_at) VALUES ($1, $1, 'm', $2, $2)`, name, now)
	}
	var names []string
	rows, err = conn.Query(ctx, `SELECT name FROM person ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c string
		rows.Scan(&c)
		names = append(names, c)
	}
	if want := []string{"B", "Z", "a", "b", "É"}; !cmp.Equal(names, want) {
		t.Errorf("people ordered %q, want byte order %q", names, want)
	}
	var last int64
	if err := conn.QueryRow(ctx, `SELECT max(id) FROM person`).Scan(&last); err != nil {
		t.Fatal(err)
	}
	must(`DELETE FROM person WHERE id = $1`, last)
	var next int64
	if err := conn.QueryRow(ctx, `INSERT INTO person (name, name_key, ministry, created_at, updated_at) VALUES ('n', 'n', 'm', $1, $1) RETURNING id`, now).Scan(&next); err != nil {
		t.Fatal(err)
	}
	if next <= last {
		t.Errorf("a new person got id %d after the person with id %d was deleted; ids must never be reused", next, last)
	}

	must(`INSERT INTO offering (course_id, start, created_at, updated_at) SELECT id, '2026-03-01', $1, $1 FROM course WHERE code = 'b-1'`, now)
	for _, bad := range []string{
		`INSERT INTO offering (course_id, start, created_at, updated_at) SELECT id, '2026-3-1', '', '' FROM course WHERE code = 'b-1'`,
		`INSERT INTO offering (course_id, start, status, created_at, updated_at) SELECT id, '2026-04-01', 'closed', '', '' FROM course WHERE code = 'b-1'`,
		`INSERT INTO person (name, name_key, ministry, gender, created_at, updated_at) VALUES ('x', 'x', 'm', 'X', '', '')`,
		`INSERT INTO capacity (year, seats, updated_at) VALUES (1899, 1, '')`,
		`INSERT INTO course (code, title, area, days, created_at, updated_at) VALUES ('neg', 't', 'a', -1, '', '')`,
	} {
		if err := exec(bad); err == nil {
			t.Errorf("PostgreSQL accepts what SQLite's CHECK refuses: %s", bad)
		}
	}
	// The history view reads an import run as SQLite does.
	must(`INSERT INTO nomination (id, person_id, offering_id, role, status, created_at, updated_at)
		SELECT 7, min(p.id), min(o.id), 'principal', 'nominated', $1, $1 FROM person p, offering o`, now)
	must(`INSERT INTO nomination_import_run (first_id, last_id, row_offset, at, actor, source) VALUES (7, 7, -5, $1, 'me', 'import:x.csv:')`, now)
	var source string
	if err := conn.QueryRow(ctx, `SELECT source FROM nomination_history WHERE nomination_id = 7`).Scan(&source); err != nil || source != "import:x.csv:2" {
		t.Errorf("nomination_history source %q (%v), want import:x.csv:2", source, err)
	}
}
