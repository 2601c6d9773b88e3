package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/nomtrack/nomtrack/internal/files"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// Info describes a database for `db info`.
type Info struct {
	Path          string           `json:"path"`
	Engine        string           `json:"engine"`
	SizeBytes     int64            `json:"size_bytes"`
	SchemaVersion int              `json:"schema_version"`
	LatestSchema  int              `json:"latest_schema"`
	JournalMode   string           `json:"journal_mode,omitempty"` // SQLite only
	Counts        map[string]int64 `json:"counts"`
}

// countedTables are the entity tables `db info` counts.
var countedTables = []string{"course", "offering", "person", "nomination", "nomination_event", "request", "capacity"}

// Info reports the engine, schema version, journal mode, size and row
// counts.
func (db *DB) Info(ctx context.Context) (*Info, error) {
	info := &Info{Path: db.path, Engine: db.eng.name(), LatestSchema: SchemaVersion(), Counts: map[string]int64{}}
	err := db.View(ctx, func(q Querier) error {
		if err := db.eng.info(ctx, db, q, info); err != nil {
			return err
		}
		for _, t := range countedTables {
			var n int64
			query := `SELECT count(*) FROM ` + t
			if t == "nomination_event" {
				// Status events include the creation events that the
				// import runs stand for (migration 0005).
				query = `SELECT (SELECT count(*) FROM nomination_event) +
					(SELECT coalesce(sum(last_id - first_id + 1), 0) FROM nomination_import_run)`
			}
			if err := q.QueryRowContext(ctx, query).Scan(&n); err != nil {
				return err
			}
			info.Counts[t] = n
		}
		return nil
	})
	return info, err
}

// CheckResult is the outcome of `db check`: empty problem lists mean healthy.
type CheckResult struct {
	Integrity   []string `json:"integrity"`
	ForeignKeys []string `json:"foreign_keys"`
	// Identifiers lists the refs, course codes and ETOC codes holding an
	// invisible character (nomtrack.FirstInvisible), stored before such
	// identifiers were refused: records that can look like others. A
	// finding for the coordinator to correct, not damage: db check changes
	// nothing, and they do not make the check fail.
	Identifiers []string `json:"identifiers"`
	// Names lists the names and Arabic names, a person's own or merged
	// into them (person_alias), that hold such a character: stored before
	// names lost them on every path (a name typed or imported is stripped of
	// them now). A finding like Identifiers: changed by nothing, and not a
	// failure.
	Names []string `json:"names"`
}

// OK reports whether both checks passed.
func (r *CheckResult) OK() bool { return len(r.Integrity) == 0 && len(r.ForeignKeys) == 0 }

// checker is the part of an engine that runs its own consistency checks:
// SQLite's integrity and foreign-key checks; on PostgreSQL, the catalogue's
// word on indexes and constraints (the server keeps pages itself).
type checker interface {
	checkDatabase(ctx context.Context, q Querier, res *CheckResult) error
}

// Check runs the engine's integrity and foreign-key checks. A file too
// damaged for the checks to finish is a finding, not an error: db check
// lists it rather than telling the user to run db check.
func (db *DB) Check(ctx context.Context) (*CheckResult, error) {
	c, ok := db.eng.(checker)
	if !ok {
		return nil, nomtrack.Errorf(nomtrack.EUSAGE, "db check cannot check a %s database", db.eng.name())
	}
	res := &CheckResult{Integrity: []string{}, ForeignKeys: []string{}, Identifiers: []string{}, Names: []string{}}
	err := db.View(ctx, func(q Querier) error {
		err := c.checkDatabase(ctx, q, res)
		if damaged(err) {
			res.Integrity = append(res.Integrity, "the checks stopped at a damaged page: the file is damaged")
			return nil
		}
		if err != nil || !res.OK() {
			return err
		}
		return checkIdentifiers(ctx, q, res)
	})
	return res, err
}

// checkIdentifiers lists the stored identifiers and names that hold an
// invisible character, each with the command that corrects it. They are
// read and checked here, in Go: the characters are a Unicode category, which
// neither engine's SQL can test alike (a few hundred thousand refs read in
// well under a second).
func checkIdentifiers(ctx context.Context, q Querier, res *CheckResult) error {
	queries := []struct {
		sql  string
		list *[]string
		note func(id int64, v, code string, r rune) string
	}{
		{`SELECT id, ref, '' FROM person WHERE ref IS NOT NULL ORDER BY id`, &res.Identifiers, func(id int64, v, _ string, r rune) string {
			return fmt.Sprintf("person #%d: ref %s holds %s; correct it with nomtrack person edit '#%d' --ref NEW", id, strconv.Quote(v), nomtrack.InvisibleName(r), id)
		}},
		{`SELECT person_id, value, '' FROM person_alias WHERE kind = 'ref' ORDER BY person_id, id`, &res.Identifiers, func(id int64, v, _ string, r rune) string {
			return fmt.Sprintf("person #%d: merged ref %s holds %s (kept as an alias: the person is still found by it)", id, strconv.Quote(v), nomtrack.InvisibleName(r))
		}},
		{`SELECT id, code, '' FROM course ORDER BY id`, &res.Identifiers, func(_ int64, v, _ string, r rune) string {
			return fmt.Sprintf("course %s: its code holds %s; no command changes a course's code, so its offerings must be entered again under a course with a clean code", strconv.Quote(v), nomtrack.InvisibleName(r))
		}},
		{`SELECT id, etoc_code, code FROM course WHERE etoc_code IS NOT NULL ORDER BY id`, &res.Identifiers, func(_ int64, v, code string, r rune) string {
			return fmt.Sprintf("course %s: ETOC code %s holds %s; correct it with nomtrack course edit %s --etoc-code NEW", strconv.Quote(code), strconv.Quote(v), nomtrack.InvisibleName(r), shownArg(code))
		}},
		// Names: a person's own, then those merged into them (kind name or
		// name_ar; the third column says which).
		{`SELECT id, name, 'name' FROM person ORDER BY id`, &res.Names, personNameNote},
		{`SELECT id, name_ar, 'name_ar' FROM person WHERE name_ar <> '' ORDER BY id`, &res.Names, personNameNote},
		{`SELECT person_id, value, kind FROM person_alias WHERE kind IN ('name', 'name_ar') ORDER BY person_id, id`, &res.Names, func(id int64, v, kind string, r rune) string {
			return fmt.Sprintf("person #%d: merged %s %s holds %s (kept as an alias: the person is still found by it)", id, nameKind(kind), strconv.Quote(v), nomtrack.InvisibleName(r))
		}},
	}
	for _, x := range queries {
		rows, err := q.QueryContext(ctx, x.sql)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var v, code string
			if err := rows.Scan(&id, &v, &code); err != nil {
				rows.Close()
				return err
			}
			if r, ok := nomtrack.FirstInvisible(v); ok {
				*x.list = append(*x.list, x.note(id, v, code, r))
			}
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// personNameNote is db check's finding for a person's own name (kind
// "name") or Arabic name ("name_ar"), with the edit that stores it clean.
func personNameNote(id int64, v, kind string, r rune) string {
	flag := "--name"
	if kind == "name_ar" {
		flag = "--name-ar"
	}
	return fmt.Sprintf("person #%d: %s %s holds %s; type it again with nomtrack person edit '#%d' %s NAME, which stores it without", id, nameKind(kind), strconv.Quote(v), nomtrack.InvisibleName(r), id, flag)
}

// nameKind is how a finding calls a name of kind "name" or "name_ar".
func nameKind(kind string) string {
	if kind == "name_ar" {
		return "Arabic name"
	}
	return "name"
}

// Backup writes a consistent copy of the database to dest with VACUUM INTO,
// which reads one snapshot while other commands keep writing. The copy is made
// in a private temporary file beside dest and renamed into place, so dest is
// either the whole backup or untouched. An existing dest is refused unless it
// is an empty file (made for the backup), and so is
// one that is this database, a companion file of it or another nomtrack
// database (files.CheckOutput). dest is a file name, never a URI; a symbolic
// link is followed, so a link to a file not yet made gets the backup.
func (db *DB) Backup(ctx context.Context, dest string) error {
	if db.eng.name() != "sqlite" {
		return nomtrack.Errorf(nomtrack.EUSAGE, "db backup writes a copy of an SQLite file, and %s is a PostgreSQL database: back it up with pg_dump, or write the programme to an SQLite file with nomtrack db copy --to FILE.db", db.path)
	}
	if err := files.CheckOutput(dest, files.Database(db.path)); err != nil {
		return err
	}
	target := files.Resolve(dest)
	// An empty file made for the backup is taken (and made private by the
	// rename); anything else already there is refused.
	emptyTarget := false
	if st, err := os.Stat(target); err == nil {
		if !st.Mode().IsRegular() || st.Size() != 0 {
			return nomtrack.Errorf(nomtrack.ECONFLICT, "%s already exists; choose another backup file name", dest)
		}
		emptyTarget = true
	}
	// target is absolute, so VACUUM INTO never reads the temporary name as a
	// `file:` URI.
	dir := filepath.Dir(target)
	tmp, err := os.CreateTemp(dir, ".nomtrack-backup-*")
	if err != nil {
		return nomtrack.Errorf(nomtrack.EINTERNAL, "cannot write the backup in %s: %v", filepath.Dir(dest), pathErr(err))
	}
	tmpName := tmp.Name()
	tmp.Close() // created 0600 by CreateTemp; VACUUM INTO accepts an empty file
	defer os.Remove(tmpName)
	if _, err := db.r.ExecContext(ctx, `VACUUM INTO ?`, tmpName); err != nil {
		return mapError(err)
	}
	if err := os.Chmod(tmpName, 0o600); err != nil {
		return nomtrack.Errorf(nomtrack.EINTERNAL, "cannot protect the backup file: %v", pathErr(err))
	}
	if emptyTarget {
		if err := os.Rename(tmpName, target); err != nil {
			return nomtrack.Errorf(nomtrack.EINTERNAL, "cannot write the backup %s: %v", dest, pathErr(err))
		}
		return nil
	}
	// Link refuses an existing target atomically; filesystems without hard
	// links fall back to a rename.
	if err := os.Link(tmpName, target); err != nil && (os.IsExist(err) || os.Rename(tmpName, target) != nil) {
		return nomtrack.Errorf(nomtrack.EINTERNAL, "cannot write the backup %s: %v", dest, pathErr(err))
	}
	return nil
}
