package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// PersonFilter selects people for ListPeople; zero fields select all.
type PersonFilter struct {
	Ministry string // exact ministry code
	Search   string // part of the name (ignoring case, spaces and punctuation), Arabic name or ref
	Limit    int
}

// personDisplayName is the name a person is shown by in listings of
// nominations: the Latin name, or the Arabic one while no Latin spelling is
// known (nomtrack.Person.DisplayName).
const personDisplayName = `CASE WHEN p.name = '' THEN p.name_ar ELSE p.name END`

// personColumns are read by scanPerson, in its order.
const personColumns = `p.id, coalesce(p.ref, ''), p.name, p.name_ar, p.ministry, p.rank, p.rank_code, p.position, p.gender, p.english, p.email, p.phone`

func scanPerson(s interface{ Scan(...any) error }) (*nomtrack.Person, error) {
	p := &nomtrack.Person{}
	err := s.Scan(&p.ID, &p.Ref, &p.Name, &p.NameAr, &p.Ministry, &p.Rank, &p.RankCode, &p.Position, &p.Gender, &p.English, &p.Email, &p.Phone)
	return p, err
}

// CreatePerson adds p and sets its ID. A ref already in use is ECONFLICT
// naming the person who has it.
func (db *DB) CreatePerson(ctx context.Context, p *nomtrack.Person) error {
	return db.Update(ctx, func(tx *Tx) error { return createPerson(ctx, tx, p) })
}

func createPerson(ctx context.Context, tx *Tx, p *nomtrack.Person) error {
	if err := checkPersonRef(ctx, tx, p); err != nil {
		return err
	}
	// The values given are from today (SPEC §4 Newest wins); an empty one
	// has no date, so any later row may fill it.
	var dates nomtrack.PersonDates
	for i, v := range p.DatedValues() {
		if *v != "" {
			dates[i] = tx.Now.Format(nomtrack.DateLayout)
		}
	}
	var err error
	dupe := p.DuplicateKey()
	p.ID, err = tx.insertID(ctx, `INSERT INTO person (ref, name, name_key, search_key, dupe_latin_key, dupe_arabic_key, name_ar, ministry, rank, rank_code, position, gender, english, email, phone, created_at, updated_at, `+personDateNames()+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		append([]any{nullIfEmpty(p.Ref), p.Name, p.MatchKey(), p.SearchKey(), dupe.Latin, dupe.Arabic, p.NameAr, p.Ministry, p.Rank, p.RankCode, p.Position, p.Gender, p.English, p.Email, p.Phone,
			tx.Stamp(), tx.Stamp()}, datesArgs(dates)...)...)
	if err != nil {
		return fmt.Errorf("insert person: %w", err)
	}
	return indexPerson(ctx, tx, p.ID)
}

// checkPersonRef refuses a ref that another person has, as ref or as an
// alias left by a merge.
func checkPersonRef(ctx context.Context, q Querier, p *nomtrack.Person) error {
	if p.Ref == "" {
		return nil
	}
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM person WHERE ref = ? AND id != ?`, p.Ref, p.ID).Scan(&id)
	if err == nil {
		return nomtrack.Errorf(nomtrack.ECONFLICT, "ref %s already belongs to person %d", p.Ref, id)
	} else if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	err = q.QueryRowContext(ctx, `SELECT person_id FROM person_alias WHERE kind = 'ref' AND value = ? AND person_id != ?`, p.Ref, p.ID).Scan(&id)
	if err == nil {
		return nomtrack.Errorf(nomtrack.ECONFLICT, "ref %s already belongs to person %d (a ref merged into that person)", p.Ref, id)
	} else if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	return nil
}

// UpdatePerson writes the fields of the person with p.ID (found with
// FindPerson) that differ from the stored ones, refreshes the name key and
// records each change in the person's history (source cli). A command's
// values are from today: each changed field's date becomes today, or stays
// later when a sheet already dated it later. It returns the changes.
func (db *DB) UpdatePerson(ctx context.Context, p *nomtrack.Person) ([]nomtrack.FieldChange, error) {
	var changes []nomtrack.FieldChange
	err := db.Update(ctx, func(tx *Tx) error {
		if err := checkPersonRef(ctx, tx, p); err != nil {
			return err
		}
		cur, dates, err := readPersonDated(ctx, tx, p.ID)
		if errors.Is(err, sql.ErrNoRows) {
			return nomtrack.Errorf(nomtrack.ENOTFOUND, "person %d not found", p.ID)
		} else if err != nil {
			return err
		}
		if cur.Ref != p.Ref {
			changes = append(changes, nomtrack.FieldChange{Field: "ref", From: cur.Ref, To: p.Ref})
		}
		today := tx.Now.Format(nomtrack.DateLayout)
		have, give := cur.DatedValues(), p.DatedValues()
		for i, f := range nomtrack.DatedFields {
			if *have[i] == *give[i] {
				continue
			}
			changes = append(changes, nomtrack.FieldChange{Field: f, From: *have[i], To: *give[i]})
			dates[i] = max(dates[i], today)
		}
		if len(changes) == 0 {
			return nil
		}
		dupe := p.DuplicateKey()
		_, err = tx.ExecContext(ctx, `UPDATE person SET ref = ?, name = ?, name_key = ?, search_key = ?, dupe_latin_key = ?, dupe_arabic_key = ?, name_ar = ?, ministry = ?, rank = ?, rank_code = ?,
			position = ?, gender = ?, english = ?, email = ?, phone = ?, updated_at = ?, `+personDateSets()+` WHERE id = ?`,
			append(append([]any{nullIfEmpty(p.Ref), p.Name, p.MatchKey(), p.SearchKey(), dupe.Latin, dupe.Arabic, p.NameAr, p.Ministry, p.Rank, p.RankCode, p.Position, p.Gender, p.English,
				p.Email, p.Phone, tx.Stamp()}, datesArgs(dates)...), p.ID)...)
		if err != nil {
			return fmt.Errorf("update person: %w", err)
		}
		if err := indexPerson(ctx, tx, p.ID); err != nil {
			return err
		}
		return recordPersonChanges(ctx, tx, p.ID, changes, SourceCLI)
	})
	return changes, err
}

// FindPerson returns the person a PERSON argument names (SPEC §3): an id,
// a ref, a ref merged into the person (an alias) or a name. `#27` is only
// ever an id and `ref:27` only a ref. An all-digit argument that is one
// person's id and another's ref is ambiguous (ECONFLICT naming both); a name
// is compared after SearchFold, with the names merged into a person, and
// one that several people have is ECONFLICT listing them. Not found is
// ENOTFOUND with suggestions among refs and names.
func (db *DB) FindPerson(ctx context.Context, arg string) (*nomtrack.Person, error) {
	var p *nomtrack.Person
	err := db.View(ctx, func(q Querier) (err error) {
		p, err = findPerson(ctx, q, arg)
		return err
	})
	return p, err
}

// shownArg is an argument as a message repeats it: as typed, or quoted
// with escapes when it holds an invisible character, which would otherwise
// reorder or hide part of the message on the terminal.
func shownArg(s string) string {
	if _, ok := nomtrack.FirstInvisible(s); ok {
		return strconv.Quote(s)
	}
	return s
}

func findPerson(ctx context.Context, q Querier, arg string) (*nomtrack.Person, error) {
	key := strings.TrimSpace(arg)
	if key == "" {
		return nil, nomtrack.Errorf(nomtrack.EUSAGE, "the person is empty: give an id, a ref or a name")
	}
	if rest, ok := strings.CutPrefix(key, "#"); ok {
		id, err := strconv.ParseInt(strings.TrimSpace(rest), 10, 64)
		if err != nil {
			return nil, nomtrack.Errorf(nomtrack.EUSAGE, "%s is not a person id: #27 names the person with id 27", key)
		}
		p, err := personByID(ctx, q, id)
		if err != nil || p != nil {
			return p, err
		}
		return nil, nomtrack.Errorf(nomtrack.ENOTFOUND, "no person has id %d", id)
	}
	if len(key) >= 4 && strings.EqualFold(key[:4], "ref:") {
		ref := strings.TrimSpace(key[4:])
		if ref == "" {
			return nil, nomtrack.Errorf(nomtrack.EUSAGE, "%s names no ref: ref:MOD-1234 names the person with that ref", key)
		}
		p, err := personByRef(ctx, q, ref)
		if err != nil || p != nil {
			return p, err
		}
		sug, err := refSuggestion(ctx, q, ref)
		if err != nil {
			return nil, err
		}
		return nil, nomtrack.Errorf(nomtrack.ENOTFOUND, "no person has ref %s%s", shownArg(ref), didYouMean(sug))
	}

	var byID *nomtrack.Person
	if id, err := strconv.ParseInt(key, 10, 64); err == nil {
		if byID, err = personByID(ctx, q, id); err != nil {
			return nil, err
		}
	}
	byRef, err := personByRef(ctx, q, key)
	if err != nil {
		return nil, err
	}
	switch {
	case byID != nil && byRef != nil && byID.ID != byRef.ID:
		return nil, nomtrack.Errorf(nomtrack.ECONFLICT, "%s is both a person's id and another person's ref; give #%s for the id or ref:%s for the ref:\n%s",
			key, key, key, personLines([]*nomtrack.Person{byID, byRef}))
	case byID != nil:
		return byID, nil
	case byRef != nil:
		return byRef, nil
	}

	named, err := peopleNamed(ctx, q, key)
	if err != nil {
		return nil, err
	}
	switch len(named) {
	case 1:
		return named[0], nil
	case 0:
	default:
		return nil, nomtrack.Errorf(nomtrack.ECONFLICT, "%d people are named %q; give one's id (#ID) or ref (ref:REF):\n%s",
			len(named), key, personLines(named))
	}

	sug, err := refSuggestion(ctx, q, key)
	if err != nil {
		return nil, err
	}
	msg := fmt.Sprintf("person %s not found (give an id, ref or name)", shownArg(key))
	if sug != "" {
		return nil, nomtrack.Errorf(nomtrack.ENOTFOUND, "%s%s", msg, didYouMean(sug))
	}
	var near []*nomtrack.Person
	err = eachPerson(ctx, q, PersonFilter{Search: key, Limit: 6}, personColumns, "p.name, p.id", func(p *nomtrack.Person) error {
		near = append(near, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(near) > 0 {
		return nil, nomtrack.Errorf(nomtrack.ENOTFOUND, "%s; names containing it:\n%s", msg, personLines(near))
	}
	return nil, nomtrack.Errorf(nomtrack.ENOTFOUND, "%s", msg)
}

// personByID returns the person with this id, or nil.
func personByID(ctx context.Context, q Querier, id int64) (*nomtrack.Person, error) {
	p, err := scanPerson(q.QueryRowContext(ctx, `SELECT `+personColumns+` FROM person p WHERE p.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return p, err
}

// personByRef returns the person with this ref, or the person a merge kept
// when it is a merged ref (an alias), or nil.
func personByRef(ctx context.Context, q Querier, ref string) (*nomtrack.Person, error) {
	if ref == "" {
		return nil, nil
	}
	p, err := scanPerson(q.QueryRowContext(ctx, `SELECT `+personColumns+` FROM person p WHERE p.ref = ?`, ref))
	if err == nil || !errors.Is(err, sql.ErrNoRows) {
		return p, err
	}
	p, err = scanPerson(q.QueryRowContext(ctx, `SELECT `+personColumns+` FROM person_alias a JOIN person p ON p.id = a.person_id
		WHERE a.kind = 'ref' AND a.value = ?`, ref))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return p, err
}

// peopleNamed returns the people whose Latin or Arabic name, or a name
// merged into them (an alias), equals name after nomtrack.SearchFold: the
// whole-name tokens of the search index. Ordered by id.
func peopleNamed(ctx context.Context, q Querier, name string) ([]*nomtrack.Person, error) {
	f := nomtrack.SearchFold(name)
	if f == "" {
		return nil, nil
	}
	return queryPeople(ctx, q, peopleNamedSQL, f, nomtrack.TokenNameStart)
}

// peopleNamedSQL reads the people with a whole-name token.
const peopleNamedSQL = `SELECT ` + personColumns + ` FROM person p WHERE p.id IN
	(SELECT person_id FROM person_search_token WHERE token = ? AND kind = ?) ORDER BY p.id`

// PeopleLike returns the people who may be p already: of the same ministry
// (ignoring case and punctuation) with p's Latin or Arabic name after
// nomtrack.SearchFold, for `person add` to warn before doubling someone.
func (db *DB) PeopleLike(ctx context.Context, p *nomtrack.Person) ([]*nomtrack.Person, error) {
	var like []*nomtrack.Person
	err := db.View(ctx, func(q Querier) error {
		seen := map[int64]bool{}
		for _, name := range []string{p.Name, p.NameAr} {
			named, err := peopleNamed(ctx, q, name)
			if err != nil {
				return err
			}
			for _, o := range named {
				if !seen[o.ID] && nomtrack.NameKey(o.Ministry) == nomtrack.NameKey(p.Ministry) {
					seen[o.ID] = true
					like = append(like, o)
				}
			}
		}
		return nil
	})
	return like, err
}

// PersonLines lists people one a line for a message (personLines).
func PersonLines(people []*nomtrack.Person) string { return personLines(people) }

// maxPersonLines is how many people an ambiguity or not-found message lists.
const maxPersonLines = 20

// personLines lists people one a line (#id, ref, name, ministry) for a
// message that asks the user to pick one; contact details are never shown.
func personLines(people []*nomtrack.Person) string {
	var b strings.Builder
	for i, p := range people {
		if i == maxPersonLines {
			fmt.Fprintf(&b, "\n  … and %d more", len(people)-i)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		ref := "(no ref)"
		if p.Ref != "" {
			ref = "ref:" + p.Ref
		}
		fmt.Fprintf(&b, "  #%d  %s  %s  %s", p.ID, ref, p.DisplayName(), p.Ministry)
	}
	return b.String()
}

// allRefs lists every ref in ref order, for suggestions: among equally near
// ones the first is suggested, so the order is stated, the same on both
// engines.
// didYouMean is nomtrack.DidYouMean's sentence for a suggestion found.
func didYouMean(suggestion string) string {
	if suggestion == "" {
		return ""
	}
	return "; did you mean " + suggestion + "?"
}

func allRefs(ctx context.Context, q Querier) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT ref FROM person WHERE ref IS NOT NULL ORDER BY ref`)
	if err != nil {
		return nil, err
	}
	return scanColumn(rows)
}

// eachPerson calls fn with every person f selects, read with cols (in
// personColumns' order), streaming. A search is looked up in the search
// index (eachSearchMatch): names with a word starting with it, best
// matches first, then at most f.Limit. Only when no such person exists
// does it fall back to names containing it anywhere (personQuery), ordered
// by order. A search that folds to nothing (punctuation) matches the name,
// Arabic name or ref as written. Without a search, people come by order.
func eachPerson(ctx context.Context, q Querier, f PersonFilter, cols, order string, fn func(*nomtrack.Person) error) error {
	if s := strings.TrimSpace(f.Search); s != "" {
		f.Search = s
		if found, err := eachSearchMatch(ctx, q, f, cols, fn); found || err != nil {
			return err
		}
	}
	var c contained
	if f.Limit > 0 && nomtrack.SearchFold(f.Search) != "" {
		var err error
		if c, err = containedIDs(ctx, q, f.Search); err != nil {
			return err
		}
		if !c.dense && len(c.ids) == 0 {
			return nil // no name or ref holds it
		}
	}
	query, args := personQuery(f, cols, order, c)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return err
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	return rows.Err()
}

// denseCandidates is how many index entries holding a search make its
// matches common enough that reading people in name order finds the first
// few at once (denseContained).
const denseCandidates = 200

// containedCandidates is the index entries whose name or ref holds the
// search s (see personQuery): a name's whole-name token, a ref's reversed
// token. Each person has a handful of such entries, so this reads a few
// bytes a person where their row is hundreds.
func containedCandidates(s string) (string, []any) {
	return `SELECT t.person_id FROM person_search_token t
		WHERE t.kind = ? AND t.token LIKE ? ESCAPE '\' OR t.kind = ? AND t.token LIKE ? ESCAPE '\'`,
		[]any{nomtrack.TokenNameStart, "%" + escapeLike(nomtrack.SearchFold(s)) + "%",
			nomtrack.TokenRefReversed, "%" + escapeLike(nomtrack.ReverseString(nomtrack.RefFold(s))) + "%"}
}

// contained is what the index says of a contained search before the
// people are read: dense when at least denseCandidates entries hold it,
// else the people whose entries hold it (ids, a superset of the matches).
type contained struct {
	dense bool
	ids   []int64
}

// containedIDs reads the index entries holding the search s, stopping at
// denseCandidates. A search many people hold, cut to a few (a lookup's
// "names containing it"), is best read in name order, which stops at the
// last one listed; one few hold reads just those people.
func containedIDs(ctx context.Context, q Querier, s string) (contained, error) {
	query, args := containedCandidates(s)
	rows, err := q.QueryContext(ctx, query+` LIMIT `+strconv.Itoa(denseCandidates), args...)
	if err != nil {
		return contained{}, err
	}
	defer rows.Close()
	var c contained
	n := 0
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return contained{}, err
		}
		c.ids = append(c.ids, id)
		n++
	}
	if n >= denseCandidates {
		return contained{dense: true}, rows.Err()
	}
	slices.Sort(c.ids)
	c.ids = slices.Compact(c.ids)
	return c, rows.Err()
}

// personQuery is the query of the people f selects by order when the
// search index finds no one whose name or ref starts with f.Search: those
// whose search key or ref contains it anywhere (or, for a search that
// folds to nothing, whose name, Arabic name or ref contains it as typed).
// c (containedIDs) says how the candidates are taken: the people in order,
// stopping at f.Limit (dense), the people of c.ids, or (the zero value) the
// index's entries holding the search, read within the query.
func personQuery(f PersonFilter, cols, order string, c contained) (string, []any) {
	where, args := []string{"1 = 1"}, []any{}
	if f.Ministry != "" {
		where, args = append(where, "p.ministry = ?"), append(args, f.Ministry)
	}
	if s := strings.TrimSpace(f.Search); s != "" {
		like := "%" + escapeLike(s) + "%"
		if folded := nomtrack.SearchFold(s); folded != "" {
			// The candidates are read from the search index, not from every
			// person's row: a name's TokenNameStart token is its whole
			// SearchFold (the fold search_key holds), and a ref's
			// TokenRefReversed token is its RefFold reversed, so a search
			// key holding the search has a whole-name token holding it, and
			// a ref holding it a reversed token holding it reversed. Those
			// entries are a few bytes each where a person's row is hundreds:
			// a mistyped name no one has (the common case here) reads a
			// fraction of the pages (1.1 s of CPU down to 0.2 s at 250,000
			// people). The candidates are then kept by the same test as
			// before, so the answer is the same. A search many hold (dense)
			// reads people in order instead and stops at the limit.
			switch {
			case c.dense:
			case c.ids != nil:
				where = append(where, `p.id IN (`+placeholders(len(c.ids))+`)`)
				for _, id := range c.ids {
					args = append(args, id)
				}
			default:
				candidates, cargs := containedCandidates(s)
				where, args = append(where, `p.id IN (`+candidates+`)`), append(args, cargs...)
			}
			where = append(where, "(p.search_key LIKE ? ESCAPE '\\' OR p.ref LIKE ? ESCAPE '\\')")
			args = append(args, "%"+escapeLike(folded)+"%", like)
		} else {
			where = append(where, "(p.name LIKE ? ESCAPE '\\' OR p.name_ar LIKE ? ESCAPE '\\' OR p.ref LIKE ? ESCAPE '\\')")
			args = append(args, like, like, like)
		}
	}
	return `SELECT ` + cols + ` FROM person p WHERE ` + strings.Join(where, " AND ") + ` ORDER BY ` + order + sqlLimit(f.Limit), args
}

// ListPeople returns the people matching f: with a search, best matches
// first (eachSearchMatch); else by name, then id.
func (db *DB) ListPeople(ctx context.Context, f PersonFilter) ([]*nomtrack.Person, error) {
	people := []*nomtrack.Person{}
	err := db.View(ctx, func(q Querier) error {
		return eachPerson(ctx, q, f, personColumns, "p.name, p.id", func(p *nomtrack.Person) error {
			people = append(people, p)
			return nil
		})
	})
	return people, err
}

// backfillSearchKeys fills person.search_key for the people a database had
// before migration 0013.
func backfillSearchKeys(ctx context.Context, tx *Tx) error {
	people, err := queryPeople(ctx, tx, `SELECT `+personColumns+` FROM person p ORDER BY p.id`)
	if err != nil {
		return err
	}
	stmt, err := tx.PrepareContext(ctx, `UPDATE person SET search_key = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, p := range people {
		if _, err := stmt.ExecContext(ctx, p.SearchKey(), p.ID); err != nil {
			return err
		}
	}
	return nil
}

func queryPeople(ctx context.Context, q Querier, query string, args ...any) ([]*nomtrack.Person, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	people := []*nomtrack.Person{}
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, err
		}
		people = append(people, p)
	}
	return people, rows.Err()
}

// escapeLike escapes LIKE's wildcards so a search for "50%" finds "50%".
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// EachDuplicate calls fn with every likely duplicate pair (SPEC §4
// Duplicates) as it finds them, for `person dupes`. Only people who share a
// part of their duplicate key are compared (blocking): each part is indexed
// with the id (migration 0016), so a pass reads the people in the order of
// that part, then id, and the people of one key — a block, a few people —
// are all it holds. The indexes hold every column a pass reads (migration
// 0022), so the people come from the index alone, not the table at random.
// The Arabic pass comes first, then the Latin one
// (nomtrack.EachDuplicateInBlock gives each pair once), blocks in the byte
// order of their key: the order of nomtrack.FindDuplicates, on both
// engines (the keys are COLLATE "C" on PostgreSQL). Memory stays flat
// however many people and pairs there are. An error from fn stops the walk
// and is returned.
func (db *DB) EachDuplicate(ctx context.Context, fn func(nomtrack.DuplicatePair) error) error {
	return db.View(ctx, func(q Querier) error {
		for _, arabic := range []bool{true, false} {
			if err := eachDuplicateBlock(ctx, q, arabic, fn); err != nil {
				return err
			}
		}
		return nil
	})
}

// eachDuplicateBlock is one pass of EachDuplicate: the blocks of the Arabic
// part of the key, or of the Latin part.
func eachDuplicateBlock(ctx context.Context, q Querier, arabic bool, fn func(nomtrack.DuplicatePair) error) error {
	rows, err := q.QueryContext(ctx, dupeBlocksQuery(arabic))
	if err != nil {
		return err
	}
	defer rows.Close()
	var block []nomtrack.Person
	var keys []nomtrack.DuplicateKey
	flush := func() error {
		err := nomtrack.EachDuplicateInBlock(block, keys, arabic, fn)
		block, keys = block[:0], keys[:0]
		return err
	}
	for rows.Next() {
		var p nomtrack.Person
		var k nomtrack.DuplicateKey
		if err := rows.Scan(&p.ID, &p.Ref, &p.Name, &p.NameAr, &p.Ministry, &k.Latin, &k.Arabic); err != nil {
			return err
		}
		if len(block) > 0 && (arabic && k.Arabic != keys[0].Arabic || !arabic && k.Latin != keys[0].Latin) {
			if err := flush(); err != nil {
				return err
			}
		}
		block, keys = append(block, p), append(keys, k)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return flush()
}

// dupeBlocksQuery reads the people with an Arabic (or Latin) part of the
// duplicate key, ordered by it, then id: the order of its index, so no sort
// is needed (TestDuplicatePlansDoNotSort).
func dupeBlocksQuery(arabic bool) string {
	column := "dupe_latin_key"
	if arabic {
		column = "dupe_arabic_key"
	}
	return `SELECT id, coalesce(ref, ''), name, name_ar, ministry, dupe_latin_key, dupe_arabic_key
		FROM person WHERE ` + column + ` <> '' ORDER BY ` + column + `, id`
}

// PersonWidths bound the lengths, in characters, of what people's fields
// print as (a table that streams its rows pads its columns to them first).
type PersonWidths struct {
	ID, Ref, Name, Ministry int // Name: the Latin or the Arabic name
}

// PersonWidths reads the bounds of the people stored now.
func (db *DB) PersonWidths(ctx context.Context) (PersonWidths, error) {
	var w PersonWidths
	var maxID int64
	var nameAr int
	err := db.View(ctx, func(q Querier) error {
		return q.QueryRowContext(ctx, `SELECT coalesce(max(id), 0), coalesce(max(length(ref)), 0),
			coalesce(max(length(name)), 0), coalesce(max(length(name_ar)), 0), coalesce(max(length(ministry)), 0) FROM person`).
			Scan(&maxID, &w.Ref, &w.Name, &nameAr, &w.Ministry)
	})
	w.Name = max(w.Name, nameAr)
	w.ID = len(strconv.FormatInt(maxID, 10))
	return w, err
}

// backfillDupeKeys fills person.dupe_latin_key and dupe_arabic_key for the
// people a database had before migration 0016.
func backfillDupeKeys(ctx context.Context, tx *Tx) error {
	people, err := queryPeople(ctx, tx, `SELECT `+personColumns+` FROM person p ORDER BY p.id`)
	if err != nil {
		return err
	}
	stmt, err := tx.PrepareContext(ctx, `UPDATE person SET dupe_latin_key = ?, dupe_arabic_key = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, p := range people {
		k := p.DuplicateKey()
		if _, err := stmt.ExecContext(ctx, k.Latin, k.Arabic, p.ID); err != nil {
			return err
		}
	}
	return nil
}

// storedMinistriesQuery reads the people's ministries by skipping through
// person_ministry (see StoredMinistries), and the requests'.
const storedMinistriesQuery = `WITH RECURSIVE pm(ministry) AS (
		SELECT MIN(ministry) FROM person WHERE ministry > ''
		UNION ALL
		SELECT (SELECT MIN(p.ministry) FROM person p WHERE p.ministry > pm.ministry) FROM pm WHERE pm.ministry IS NOT NULL)
	SELECT ministry FROM pm WHERE ministry IS NOT NULL
	UNION SELECT ministry FROM request WHERE ministry <> ''`

// StoredMinistries returns, sorted, the ministries people and requests are
// stored under and, with nominations set, also those nominations were made
// under (a person may have moved since; that read scans every nomination,
// so callers ask for it only when the first answer lacks what they seek).
// Without a ministries config these are the known ministries (SPEC §6).
//
// The people's ministries are read by skipping through person_ministry, one
// seek per distinct ministry, rather than scanning every entry: a handful of
// ministries among 250,000 people was 29 ms of every `--ministry` list.
func (db *DB) StoredMinistries(ctx context.Context, nominations bool) ([]string, error) {
	query := storedMinistriesQuery
	if nominations {
		query += ` UNION SELECT ministry FROM nomination WHERE ministry <> ''`
	}
	var out []string
	err := db.View(ctx, func(q Querier) error {
		rows, err := q.QueryContext(ctx, query+` ORDER BY 1`)
		if err != nil {
			return err
		}
		out, err = scanColumn(rows)
		return err
	})
	return out, err
}
