package sqlite

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// MergeResult says what MergePeople did.
type MergeResult struct {
	Kept    *nomtrack.Person `json:"kept"`
	Dropped *nomtrack.Person `json:"dropped"`
	// Moved are the ids of the nominations moved from the dropped person.
	Moved []int64 `json:"moved"`
	// Filled names the kept person's fields that were empty and were taken
	// from the dropped person (ref, Arabic name, contact…).
	Filled []string `json:"filled"`
}

// MergePeople merges person drop into person keep (each an id or ref), in one
// transaction: drop's nominations move to keep, keep's empty fields are
// filled from drop's, drop is deleted, and the audit table records drop's
// fields and the moved nominations. When both were nominated to the same
// offering the merge is refused (ECONFLICT naming the offering): one of the
// two nominations must be withdrawn or corrected first.
func (db *DB) MergePeople(ctx context.Context, keep, drop string) (*MergeResult, error) {
	res := &MergeResult{Moved: []int64{}, Filled: []string{}}
	err := db.Update(ctx, func(tx *Tx) (err error) {
		if res.Kept, err = findPerson(ctx, tx, keep); err != nil {
			return err
		}
		if res.Dropped, err = findPerson(ctx, tx, drop); err != nil {
			return err
		}
		k, d := res.Kept, res.Dropped
		if k.ID == d.ID {
			return nomtrack.Errorf(nomtrack.EINVALID, "KEEP and DROP are the same person (%d); give two different people", k.ID)
		}
		rows, err := tx.QueryContext(ctx, `SELECT c.code || '@' || o.start FROM nomination a
			JOIN nomination b ON b.offering_id = a.offering_id AND b.person_id = ?
			JOIN offering o ON o.id = a.offering_id JOIN course c ON c.id = o.course_id
			WHERE a.person_id = ? ORDER BY o.start, c.code`, d.ID, k.ID)
		if err != nil {
			return err
		}
		both, err := scanColumn(rows)
		if err != nil {
			return err
		}
		if len(both) > 0 {
			return nomtrack.Errorf(nomtrack.ECONFLICT, "people %d and %d were both nominated to %s; withdraw or correct one of those nominations before merging",
				k.ID, d.ID, strings.Join(both, ", "))
		}
		rows, err = tx.QueryContext(ctx, `SELECT id FROM nomination WHERE person_id = ? ORDER BY id`, d.ID)
		if err != nil {
			return err
		}
		ids, err := scanColumn(rows)
		if err != nil {
			return err
		}
		for _, s := range ids {
			id, _ := strconv.ParseInt(s, 10, 64)
			res.Moved = append(res.Moved, id)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE nomination SET person_id = ?, updated_at = ? WHERE person_id = ?`, k.ID, tx.Stamp(), d.ID); err != nil {
			return fmt.Errorf("move nominations: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM person WHERE id = ?`, d.ID); err != nil {
			return fmt.Errorf("delete person: %w", err)
		}
		merged := *k
		res.Filled = fillEmpty(&merged, d)
		if len(res.Filled) > 0 {
			_, err := tx.ExecContext(ctx, `UPDATE person SET ref = ?, name_ar = ?, rank = ?, rank_code = ?, position = ?, gender = ?,
				english = ?, email = ?, phone = ?, updated_at = ? WHERE id = ?`,
				nullIfEmpty(merged.Ref), merged.NameAr, merged.Rank, merged.RankCode, merged.Position, merged.Gender,
				merged.English, merged.Email, merged.Phone, tx.Stamp(), k.ID)
			if err != nil {
				return fmt.Errorf("update person: %w", err)
			}
		}
		res.Kept = &merged
		return writeAudit(ctx, tx, "person.merge", "person:"+strconv.FormatInt(k.ID, 10), map[string]any{
			"dropped": d, "moved_nominations": res.Moved, "filled": res.Filled,
		})
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// fillEmpty copies into k the fields that k lacks and d has, returning their
// names. Name and ministry are never copied: k's are the ones kept.
func fillEmpty(k, d *nomtrack.Person) []string {
	filled := []string{}
	for _, f := range []struct {
		name     string
		dst, src *string
	}{
		{"ref", &k.Ref, &d.Ref}, {"name_ar", &k.NameAr, &d.NameAr}, {"rank", &k.Rank, &d.Rank},
		{"rank_code", &k.RankCode, &d.RankCode}, {"position", &k.Position, &d.Position}, {"gender", &k.Gender, &d.Gender},
		{"english", &k.English, &d.English}, {"email", &k.Email, &d.Email}, {"phone", &k.Phone, &d.Phone},
	} {
		if *f.dst == "" && *f.src != "" {
			*f.dst = *f.src
			filled = append(filled, f.name)
		}
	}
	return filled
}
