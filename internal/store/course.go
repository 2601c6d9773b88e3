package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// CourseFilter selects courses for ListCourses; zero fields select all.
type CourseFilter struct {
	Area     string // exact area slug
	Provider string // provider, case-insensitively
	// Search keeps courses whose code, ETOC code or title contains it,
	// compared as nomtrack.FoldText folds them (case, accents, spacing and
	// punctuation ignored).
	Search string
	Limit  int // at most this many; 0 is no limit
}

// courseColumns are read by scanCourse, in its order.
const courseColumns = `c.id, c.code, coalesce(c.etoc_code, ''), c.title, c.area, c.provider, c.days, c.fee, c.min_english, c.min_rank, c.requires`

func scanCourse(s interface{ Scan(...any) error }) (*nomtrack.Course, error) {
	c := &nomtrack.Course{}
	err := s.Scan(&c.ID, &c.Code, &c.EtocCode, &c.Title, &c.Area, &c.Provider, &c.Days, &c.Fee, &c.MinEnglish, &c.MinRank, &c.Requires)
	return c, err
}

// CreateCourse adds c to the catalogue and sets its ID. A code or ETOC code
// already in use is ECONFLICT naming the course that has it.
func (db *DB) CreateCourse(ctx context.Context, c *nomtrack.Course) error {
	return db.Update(ctx, func(tx *Tx) error { return createCourse(ctx, tx, c) })
}

func createCourse(ctx context.Context, tx *Tx, c *nomtrack.Course) error {
	if err := checkCourseKeys(ctx, tx, c); err != nil {
		return err
	}
	var err error
	c.ID, err = tx.insertID(ctx, `INSERT INTO course (code, etoc_code, title, area, provider, days, fee, min_english, min_rank, requires, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.Code, nullIfEmpty(c.EtocCode), c.Title, c.Area, c.Provider, c.Days, c.Fee, c.MinEnglish, c.MinRank, c.Requires, tx.Stamp(), tx.Stamp())
	if err != nil {
		return fmt.Errorf("insert course: %w", err)
	}
	return nil
}

// checkCourseKeys refuses a code or ETOC code that another course holds, in a
// sentence that names it (the UNIQUE constraint alone could not say which).
func checkCourseKeys(ctx context.Context, q Querier, c *nomtrack.Course) error {
	var other string
	err := q.QueryRowContext(ctx, `SELECT code FROM course WHERE code = ? AND id != ?`, c.Code, c.ID).Scan(&other)
	if err == nil {
		return nomtrack.Errorf(nomtrack.ECONFLICT, "course %s already exists; use 'nomtrack course edit %s' to change it", other, other)
	} else if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if c.EtocCode == "" {
		return nil
	}
	err = q.QueryRowContext(ctx, `SELECT code FROM course WHERE etoc_code = ? AND id != ?`, c.EtocCode, c.ID).Scan(&other)
	if err == nil {
		return nomtrack.Errorf(nomtrack.ECONFLICT, "ETOC code %s already belongs to course %s", c.EtocCode, other)
	} else if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	return nil
}

// UpdateCourse writes every field of c to the course with c.ID (found with
// FindCourse), including a new code.
func (db *DB) UpdateCourse(ctx context.Context, c *nomtrack.Course) error {
	return db.Update(ctx, func(tx *Tx) error {
		if err := checkCourseKeys(ctx, tx, c); err != nil {
			return err
		}
		before, err := scanCourse(tx.QueryRowContext(ctx, `SELECT `+courseColumns+` FROM course c WHERE c.id = ?`, c.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return nomtrack.Errorf(nomtrack.ENOTFOUND, "course %s not found", c.Code)
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE course SET code = ?, etoc_code = ?, title = ?, area = ?, provider = ?, days = ?, fee = ?,
			min_english = ?, min_rank = ?, requires = ?, updated_at = ? WHERE id = ?`,
			c.Code, nullIfEmpty(c.EtocCode), c.Title, c.Area, c.Provider, c.Days, c.Fee, c.MinEnglish, c.MinRank, c.Requires, tx.Stamp(), c.ID); err != nil {
			return fmt.Errorf("update course: %w", err)
		}
		return auditEdit(ctx, tx, "course.edit", "course:"+c.Code, before, c)
	})
}

// RemoveCourse removes a course from the catalogue. A course with offerings
// is refused (ECONFLICT naming how many): its history must stay readable.
// The removal is recorded in the audit table with the course's fields and
// reason (which may be empty).
func (db *DB) RemoveCourse(ctx context.Context, code, reason string) (*nomtrack.Course, error) {
	var c *nomtrack.Course
	err := db.Update(ctx, func(tx *Tx) (err error) {
		if c, err = findCourse(ctx, tx, code); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM offering WHERE course_id = ?`, c.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nomtrack.Errorf(nomtrack.ECONFLICT, "course %s has %d offering%s and cannot be removed: its offerings are history; remove an offering entered by mistake with 'nomtrack offering remove REF --reason R' first", c.Code, n, pluralS(n))
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM course WHERE id = ?`, c.ID); err != nil {
			return fmt.Errorf("delete course: %w", err)
		}
		return writeAudit(ctx, tx, "course.remove", "course:"+c.Code, map[string]any{"reason": reason, "course": c})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// FindCourse returns the course with this code or ETOC code (case-insensitive).
// An unknown code is ENOTFOUND with a "did you mean" among the codes and ETOC
// codes.
func (db *DB) FindCourse(ctx context.Context, code string) (*nomtrack.Course, error) {
	var c *nomtrack.Course
	err := db.View(ctx, func(q Querier) (err error) {
		c, err = findCourse(ctx, q, code)
		return err
	})
	return c, err
}

func findCourse(ctx context.Context, q Querier, code string) (*nomtrack.Course, error) {
	code = strings.TrimSpace(code)
	c, err := scanCourse(q.QueryRowContext(ctx, `SELECT `+courseColumns+` FROM course c WHERE c.code = ?
		UNION ALL SELECT `+courseColumns+` FROM course c WHERE c.etoc_code = ? LIMIT 1`, code, code))
	if err == nil {
		return c, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	codes, err := courseCodes(ctx, q)
	if err != nil {
		return nil, err
	}
	return nil, nomtrack.Errorf(nomtrack.ENOTFOUND, "course %s not found%s", code, nomtrack.DidYouMean(code, codes))
}

// courseCodes lists every code and then every ETOC code, each in code order
// (without regard to case), for suggestions: among equally near ones the
// first is suggested, so the order is stated, the same on both engines.
func courseCodes(ctx context.Context, q Querier) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT code FROM (
		SELECT code, 0 AS part FROM course UNION ALL SELECT etoc_code, 1 FROM course WHERE etoc_code IS NOT NULL
	) AS c ORDER BY part, code`)
	if err != nil {
		return nil, err
	}
	return scanColumn(rows)
}

// ListCourses returns the courses matching f, ordered by code.
func (db *DB) ListCourses(ctx context.Context, f CourseFilter) ([]*nomtrack.Course, error) {
	where, args := []string{"1 = 1"}, []any{}
	if f.Area != "" {
		where, args = append(where, "c.area = ?"), append(args, f.Area)
	}
	if f.Provider != "" {
		where, args = append(where, "c.provider = ? COLLATE NOCASE"), append(args, f.Provider)
	}
	// A search is matched here in Go, on the folded text: a catalogue is a
	// few hundred courses, and SQL has no portable accent folding.
	search := nomtrack.FoldText(f.Search)
	limit := f.Limit
	if search != "" {
		limit = 0
	}
	query := `SELECT ` + courseColumns + ` FROM course c WHERE ` + strings.Join(where, " AND ") + ` ORDER BY c.code` + sqlLimit(limit)
	courses := []*nomtrack.Course{}
	err := db.View(ctx, func(q Querier) error {
		rows, err := q.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			c, err := scanCourse(rows)
			if err != nil {
				return err
			}
			if search != "" && !courseMatches(c, search) {
				continue
			}
			courses = append(courses, c)
			if f.Limit > 0 && len(courses) == f.Limit {
				break
			}
		}
		return rows.Err()
	})
	return courses, err
}

// courseMatches reports whether the course's code, ETOC code or title,
// folded, contains the folded search.
func courseMatches(c *nomtrack.Course, search string) bool {
	for _, s := range []string{c.Code, c.EtocCode, c.Title} {
		if strings.Contains(nomtrack.FoldText(s), search) {
			return true
		}
	}
	return false
}

// Helpers shared by the entity files.

// nullIfEmpty stores "" as NULL, for the UNIQUE columns that are optional
// (person.ref, course.etoc_code).
func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// sqlLimit is " LIMIT n" for a positive n, else "" (n is an int, never
// user text, so formatting it into the query is safe).
func sqlLimit(n int) string {
	if n > 0 {
		return fmt.Sprintf(" LIMIT %d", n)
	}
	return ""
}

// readStamp reads a stored RFC 3339 timestamp; a damaged one reads as zero
// rather than failing a whole listing.
func readStamp(s string) time.Time {
	t, _ := time.Parse(time.RFC3339, s)
	return t.UTC()
}

// scanColumn reads a one-column result and closes rows.
func scanColumn(rows *sql.Rows) ([]string, error) {
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// writeAudit records a change that is not a status event (a removal, a merge, a
// cancellation, a promotion) with detail as JSON, so it stays traceable.
func writeAudit(ctx context.Context, tx *Tx, action, subject string, detail any) error {
	return writeAuditFrom(ctx, tx, SourceCLI, action, subject, detail)
}

// auditEdit records an edit of a catalogue record as {"from": before, "to":
// after}, so `audit` can answer what it was; an edit that changed nothing
// records nothing.
func auditEdit(ctx context.Context, tx *Tx, action, subject string, before, after any) error {
	return auditEditFrom(ctx, tx, SourceCLI, action, subject, before, after)
}

// auditEditFrom is auditEdit for an edit from source (import:FILE:ROW).
func auditEditFrom(ctx context.Context, tx *Tx, source, action, subject string, before, after any) error {
	a, err := json.Marshal(before)
	if err != nil {
		return err
	}
	b, err := json.Marshal(after)
	if err != nil {
		return err
	}
	if bytes.Equal(a, b) {
		return nil
	}
	return writeAuditFrom(ctx, tx, source, action, subject, map[string]json.RawMessage{"from": a, "to": b})
}

// writeAuditFrom is writeAudit for a change from source (import:FILE:ROW).
func writeAuditFrom(ctx context.Context, tx *Tx, source, action, subject string, detail any) error {
	b, err := json.Marshal(detail)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO audit (at, actor, action, subject, detail, source) VALUES (?, ?, ?, ?, ?, ?)`,
		tx.Stamp(), tx.Actor, action, subject, string(b), source)
	return err
}

func pluralS(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
