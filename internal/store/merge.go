package store

import (
	"context"
	"database/sql"
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
	// Joined are the nominations to an offering both people had: the
	// closed one (Dropped) was folded into the other (Kept).
	Joined []JoinedNomination `json:"joined"`
	// Filled names the kept person's fields that were empty and were taken
	// from the dropped person (ref, Arabic name, contact…).
	Filled []string `json:"filled"`
	// Aliases are the dropped person's ref and spellings, now the kept
	// person's.
	Aliases []nomtrack.Alias `json:"aliases"`
}

// JoinedNomination is two nominations to one offering that a merge made one.
type JoinedNomination struct {
	Offering string `json:"offering"`
	Kept     int64  `json:"kept"`
	Dropped  int64  `json:"dropped"`
	// Had is what the nomination folded in held that the one kept does
	// not (its note, pre-departure fields, role, the values it was made
	// under): kept in the audit entry, since the nomination is deleted.
	Had map[string]string `json:"had,omitempty"`
}

// MergePeople merges person drop into person keep (each an id, ref or
// alias), in one transaction (SPEC §4 Duplicates):
//
//   - drop's nominations move to keep. Where both were nominated to the same
//     offering and at least one nomination is closed (withdrawn, declined,
//     cancelled, released), the closed one is folded into the other: its
//     events move there as events of kind 'merge' and it is deleted. Both
//     open or committed is ECONFLICT naming the offering.
//   - drop's ref, name and Arabic name (and its own aliases) become keep's
//     aliases, so later rows and commands naming them find keep.
//   - keep's empty fields are filled from drop's, each recorded in keep's
//     history (source merge), and drop's history moves to keep.
//   - drop is deleted; the audit table records drop's fields.
func (db *DB) MergePeople(ctx context.Context, keep, drop string) (*MergeResult, error) {
	res := &MergeResult{Moved: []int64{}, Joined: []JoinedNomination{}, Filled: []string{}, Aliases: []nomtrack.Alias{}}
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
		if res.Joined, err = joinNominations(ctx, tx, k.ID, d.ID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id FROM nomination WHERE person_id = ? ORDER BY id`, d.ID)
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

		// Aliases: drop's own first (they go with drop when it is deleted),
		// then its ref and spellings.
		aliases, err := personAliases(ctx, tx, d.ID)
		if err != nil {
			return err
		}
		_, kd, err := readPersonDated(ctx, tx, k.ID)
		if err != nil {
			return err
		}
		_, dd, err := readPersonDated(ctx, tx, d.ID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE person_change SET person_id = ? WHERE person_id = ?`, k.ID, d.ID); err != nil {
			return fmt.Errorf("move history: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM person_search_token WHERE person_id = ?`, d.ID); err != nil {
			return fmt.Errorf("delete person: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM person WHERE id = ?`, d.ID); err != nil {
			return fmt.Errorf("delete person: %w", err)
		}
		merged := *k
		res.Filled = fillEmpty(&merged, d)
		for i, f := range nomtrack.DatedFields {
			for _, filled := range res.Filled {
				if filled == f {
					kd[i] = dd[i]
				}
			}
		}
		if d.Ref != "" && merged.Ref != d.Ref {
			aliases = append(aliases, nomtrack.Alias{Kind: nomtrack.AliasRef, Value: d.Ref})
		}
		if d.Name != "" && d.Name != merged.Name {
			aliases = append(aliases, nomtrack.Alias{Kind: nomtrack.AliasName, Value: d.Name, Ministry: d.Ministry})
		}
		if d.NameAr != "" && d.NameAr != merged.NameAr {
			aliases = append(aliases, nomtrack.Alias{Kind: nomtrack.AliasNameAr, Value: d.NameAr, Ministry: d.Ministry})
		}
		var changes []nomtrack.FieldChange
		for _, a := range aliases {
			if err := addAlias(ctx, tx, k.ID, a); err != nil {
				return err
			}
			res.Aliases = append(res.Aliases, a)
			changes = append(changes, nomtrack.FieldChange{Field: "alias_" + a.Kind, To: a.Value})
		}
		if len(res.Filled) > 0 {
			dupe := merged.DuplicateKey()
			_, err := tx.ExecContext(ctx, `UPDATE person SET ref = ?, name_ar = ?, name_key = ?, search_key = ?, dupe_latin_key = ?, dupe_arabic_key = ?, rank = ?, rank_code = ?, position = ?, gender = ?,
				english = ?, email = ?, phone = ?, updated_at = ?, `+personDateSets()+` WHERE id = ?`,
				append(append([]any{nullIfEmpty(merged.Ref), merged.NameAr, merged.MatchKey(), merged.SearchKey(), dupe.Latin, dupe.Arabic, merged.Rank, merged.RankCode, merged.Position, merged.Gender,
					merged.English, merged.Email, merged.Phone, tx.Stamp()}, datesArgs(kd)...), k.ID)...)
			if err != nil {
				return fmt.Errorf("update person: %w", err)
			}
			have, was := merged.DatedValues(), k.DatedValues()
			for _, f := range res.Filled {
				if f == "ref" {
					changes = append(changes, nomtrack.FieldChange{Field: "ref", To: merged.Ref})
					continue
				}
				for i, df := range nomtrack.DatedFields {
					if df == f {
						changes = append(changes, nomtrack.FieldChange{Field: f, From: *was[i], To: *have[i]})
					}
				}
			}
		}
		if err := recordPersonChanges(ctx, tx, k.ID, changes, SourceMerge); err != nil {
			return err
		}
		// keep is found by drop's names and refs now too.
		if err := indexPerson(ctx, tx, k.ID); err != nil {
			return err
		}
		res.Kept = &merged
		return writeAudit(ctx, tx, "person.merge", "person:"+strconv.FormatInt(k.ID, 10), map[string]any{
			"dropped": d, "moved_nominations": res.Moved, "joined_nominations": res.Joined, "filled": res.Filled, "aliases": res.Aliases,
		})
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// joinNominations folds together the nominations of keep and drop to the
// same offering: the closed one into the other (keep's when both are
// closed). Its history moves to the nomination kept as events of kind
// 'merge' (its import-run creation event written out as one), followed by
// an event saying which nomination was folded in. Both open or committed
// is ECONFLICT: the coordinator must withdraw or correct one first.
func joinNominations(ctx context.Context, tx *Tx, keep, drop int64) ([]JoinedNomination, error) {
	rows, err := tx.QueryContext(ctx, `SELECT c.code || '@' || o.start, a.id, a.status, b.id, b.status FROM nomination a
		JOIN nomination b ON b.offering_id = a.offering_id AND b.person_id = ?
		JOIN offering o ON o.id = a.offering_id JOIN course c ON c.id = o.course_id
		WHERE a.person_id = ? ORDER BY o.start, c.code`, drop, keep)
	if err != nil {
		return nil, err
	}
	type pair struct {
		ref            string
		kid, did       int64
		kstate, dstate string
	}
	var pairs []pair
	for rows.Next() {
		var p pair
		if err := rows.Scan(&p.ref, &p.kid, &p.kstate, &p.did, &p.dstate); err != nil {
			rows.Close()
			return nil, err
		}
		pairs = append(pairs, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var both []string
	for _, p := range pairs {
		if !nomtrack.Closed(p.kstate) && !nomtrack.Closed(p.dstate) {
			both = append(both, fmt.Sprintf("%s (nominations %d, %s, and %d, %s)", p.ref, p.kid, p.kstate, p.did, p.dstate))
		}
	}
	if len(both) > 0 {
		return nil, nomtrack.Errorf(nomtrack.ECONFLICT, "people %d and %d are both nominated to %s and neither nomination is closed; withdraw or correct one of them before merging",
			keep, drop, strings.Join(both, ", "))
	}
	joined := []JoinedNomination{}
	for _, p := range pairs {
		into, gone, goneStatus := p.kid, p.did, p.dstate
		if nomtrack.Closed(p.kstate) && !nomtrack.Closed(p.dstate) {
			into, gone, goneStatus = p.did, p.kid, p.kstate
		}
		had, err := foldNomination(ctx, tx, into, gone, goneStatus)
		if err != nil {
			return nil, err
		}
		joined = append(joined, JoinedNomination{Offering: p.ref, Kept: into, Dropped: gone, Had: had})
	}
	return joined, nil
}

// nominationFields are the values of a nomination a coordinator or a sheet
// entered beside its status, in the order a fold names them.
var nominationFields = []string{"role", "note", "visa", "clearance", "adl", "funding", "certificate", "ministry", "rank", "rank_code", "english"}

// foldedValues returns the values of nomination gone that nomination into
// does not hold (an empty value of gone is nothing lost), by field name.
func foldedValues(ctx context.Context, tx *Tx, into, gone int64) (map[string]string, error) {
	cols := strings.Join(nominationFields, ", ")
	read := func(id int64) ([]string, error) {
		v := make([]string, len(nominationFields))
		ptrs := make([]any, len(v))
		for i := range v {
			ptrs[i] = &v[i]
		}
		err := tx.QueryRowContext(ctx, `SELECT `+cols+` FROM nomination WHERE id = ?`, id).Scan(ptrs...)
		return v, err
	}
	g, err := read(gone)
	if err != nil {
		return nil, err
	}
	k, err := read(into)
	if err != nil {
		return nil, err
	}
	had := map[string]string{}
	for i, f := range nominationFields {
		if g[i] != "" && g[i] != k[i] {
			had[f] = g[i]
		}
	}
	return had, nil
}

// foldNomination moves the history of nomination gone under nomination
// into, as events of kind 'merge' whose reason names gone, and deletes it.
// The values gone held that into does not (a note, a visa, the ministry it
// was made under) are named in the event that says it was folded in, and
// returned for the merge's audit entry: deleting the nomination must not
// lose what a coordinator entered on it.
func foldNomination(ctx context.Context, tx *Tx, into, gone int64, goneStatus string) (map[string]string, error) {
	had, err := foldedValues(ctx, tx, into, gone)
	if err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT at, actor, from_status, to_status, reason, source, correction, field
		FROM nomination_history WHERE nomination_id = ? ORDER BY at, id NULLS FIRST`, gone)
	if err != nil {
		return nil, err
	}
	type ev struct {
		at, actor, from, to, reason, source, field string
		correction                                 int
	}
	var evs []ev
	for rows.Next() {
		var e ev
		var reason sql.NullString
		if err := rows.Scan(&e.at, &e.actor, &e.from, &e.to, &reason, &e.source, &e.correction, &e.field); err != nil {
			rows.Close()
			return nil, err
		}
		e.reason = reason.String
		evs = append(evs, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM nomination_event WHERE nomination_id = ?`, gone); err != nil {
		return nil, err
	}
	offering, err := nominationOffering(ctx, tx, gone)
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM nomination WHERE id = ?`, gone); err != nil {
		return nil, fmt.Errorf("delete nomination: %w", err)
	}
	if err := recountOfferings(ctx, tx, offering); err != nil {
		return nil, err
	}
	label := "nomination " + strconv.FormatInt(gone, 10)
	for _, e := range evs {
		reason := label
		if e.reason != "" {
			reason += ": " + e.reason
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO nomination_event (nomination_id, at, actor, from_status, to_status, reason, source, correction, kind, field)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'merge', ?)`, into, e.at, e.actor, e.from, e.to, reason, e.source, e.correction, e.field); err != nil {
			return nil, fmt.Errorf("move event: %w", err)
		}
	}
	reason := label + " (" + goneStatus + ") of the merged person folded into this one"
	var held []string
	for _, f := range nominationFields {
		if v, ok := had[f]; ok {
			held = append(held, f+" "+strconv.Quote(v))
		}
	}
	if len(held) > 0 {
		reason += "; it had " + strings.Join(held, ", ")
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO nomination_event (nomination_id, at, actor, from_status, to_status, reason, source, correction, kind)
		VALUES (?, ?, ?, ?, '', ?, ?, 0, 'merge')`, into, tx.Stamp(), tx.Actor, goneStatus, reason, SourceMerge)
	return had, err
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
