package importer

import (
	"fmt"
	"hash/maphash"
	"math"
	"strconv"
	"strings"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/store"
)

// personIn is the person a row describes: only the values it gives (an
// empty cell never erases a stored value), and a hash of them.
type personIn struct {
	p   nomtrack.Person
	key string // name key
	// hash sums up the values; the same person on many rows is compared
	// with the database only when they change. It is 64 bits so that a
	// changed row is never mistaken for the values already stored (a 32-bit
	// sum would collide once in four billion changes).
	hash uint64
	// byRef is set by findPerson when the row's ref (or a merged-away
	// alias of it) found the person: the row's name must then agree.
	byRef bool
	// viaAlias is set when that ref is one merged away into the person
	// (person merge).
	viaAlias bool
}

// readPerson validates the person fields of a row.
func (im *importer) readPerson(r *rowState) personIn {
	var in personIn
	p := &in.p
	p.Ref = r.ident(fRef)
	p.Name = r.value(fName)
	p.NameAr = r.value(fNameAr)
	if p.NameAr == "" && nomtrack.IsArabicScript(p.Name) {
		// A name column in Arabic script (الاسم) holds the Arabic name; the
		// person is shown by it until a Latin spelling arrives.
		p.NameAr, p.Name = p.Name, ""
	}
	if s := r.value(fMinistry); s != "" {
		v, err := r.parse("ministry", s, func(s string) (string, error) { return im.opt.Ministries.Resolve("ministry", s) })
		if err != nil {
			r.fail("ministry", err)
		}
		p.Ministry = v
	}
	p.Rank = r.value(fRank)
	if s := r.value(fRankCode); s != "" {
		v, err := r.parse("rank_code", s, nomtrack.ParseRankCode)
		if err != nil {
			r.fail("rank_code", err)
		}
		p.RankCode = v
	} else if p.Rank != "" {
		p.RankCode, _ = r.parse("rank_title", p.Rank, im.rankCode)
	}
	p.Position = r.value(fPosition)
	if s := r.value(fGender); s != "" {
		v, err := r.parse("gender", s, nomtrack.ParseGender)
		if err != nil {
			r.fail("gender", err)
		}
		p.Gender = v
	}
	if s := r.value(fEnglish); s != "" {
		v, err := r.parse("english", s, func(s string) (string, error) {
			e, err := nomtrack.ParseEnglish(s)
			return e.String(), err
		})
		if err != nil {
			r.fail("english", err)
		}
		p.English = v
	}
	p.Email = r.value(fEmail)
	p.Phone = r.value(fPhone)
	if p.Name != "" || p.NameAr != "" {
		in.key = p.MatchKey()
		if in.key == "" {
			r.failf(field(r, "name", "name_ar"), "has no letters")
		}
	}
	r.validate(p.Validate) // ref, e-mail and the rest, as every path checks them
	var h maphash.Hash
	h.SetSeed(im.seed1)
	for _, v := range [...]string{p.Ref, p.Name, p.NameAr, p.Ministry, p.Rank, p.RankCode, p.Position, p.Gender, p.English, p.Email, p.Phone} {
		h.WriteString(v)
		h.WriteByte(0)
	}
	in.hash = h.Sum64()
	return in
}

// findPerson matches a row's person (SPEC §4): by ref, else by name and
// ministry. It returns the entry index and true, or false for a person to
// create. A row that can neither match nor create anyone gets an error.
func (im *importer) findPerson(r *rowState, in *personIn) (int32, bool) {
	p := &in.p
	if p.Ref != "" {
		h := im.hash(p.Ref)
		if idx, ok := im.byRef[h]; ok {
			in.byRef = true
			_, in.viaAlias = im.aliasRef[h]
			return idx, true
		}
	}
	if im.nameless(r, in) {
		return 0, false
	}
	if p.Ministry == "" {
		r.failf("ministry", "is empty; a person is matched and created by name and ministry")
		return 0, false
	}
	if in.key == "" {
		return 0, false
	}
	idx, ok := im.byName[im.hash(in.key, strings.ToLower(p.Ministry))]
	switch {
	case !ok:
		return 0, false
	case idx == ambiguous && p.Ref == "":
		r.failf("name", "matches several people of %s; give the person's ref to say which", p.Ministry)
		return 0, false
	case idx == ambiguous:
		return 0, false // a new ref: another person of the same name
	case p.Ref != "" && im.people.at(idx).hasRef:
		return 0, false // same name, different ref: another person
	}
	return idx, true
}

// nameless reports a row whose person can be neither found by ref nor
// created, for want of a name. It runs on rows that already failed for
// other reasons too, so that all of a row's errors are reported at once
// (SPEC §4), not the missing name only after the rest is fixed.
func (im *importer) nameless(r *rowState, in *personIn) bool {
	p := &in.p
	if p.Name != "" || p.NameAr != "" {
		return false
	}
	if p.Ref == "" {
		r.failf(field(r, "name", "ref"), "is empty; give the person's ref or name")
		return true
	}
	if _, known := im.byRef[im.hash(p.Ref)]; known {
		return false
	}
	r.failf("name", "is empty and no person has ref %q; give the name and ministry to add the person", p.Ref)
	return true
}

// field names the column an error belongs to when either may be absent.
func field(r *rowState, fields ...string) string {
	for _, f := range fields {
		if r.has(f) {
			return f
		}
	}
	return fields[0]
}

// createPerson inserts a new person, its values from date, and remembers
// it.
func (im *importer) createPerson(in *personIn, date string) (int32, error) {
	var dates nomtrack.PersonDates
	mask := givenMask(&in.p)
	for i := range dates {
		if mask&(1<<i) != 0 {
			dates[i] = date
		}
	}
	id, err := im.l.AddPerson(in.p, dates)
	if err != nil {
		return 0, err
	}
	idx := im.addPerson(id, in.p.Ref, in.key, in.p.Ministry)
	e := im.people.at(idx)
	e.seen, e.mask, e.asof = in.hash, mask, dayOrd(date)
	return idx, nil
}

// givenMask has bit i set when the row gives nomtrack.DatedFields[i].
func givenMask(p *nomtrack.Person) uint16 {
	var m uint16
	for i, v := range p.DatedValues() {
		if *v != "" {
			m |= 1 << i
		}
	}
	return m
}

// personPlan is what a row does to a matched person, decided before the
// row writes anything.
type personPlan struct {
	idx   int32
	hash  uint64
	date  string
	given uint16 // givenMask of the row
	// agrees: the row's values are the stored ones (compared before); at
	// most their dates move.
	agrees  bool
	next    nomtrack.Person
	dates   nomtrack.PersonDates
	changes []nomtrack.FieldChange
	write   bool
	// settled: every value the row gives is now stored (none was left out
	// for being older), so the same values on a later row agree.
	settled bool
}

// planPerson decides what a row from date does to matched person idx
// (SPEC §4 Matching, Newest wins): a row whose ref names a person of
// another name, or that changes a known person's ministry or gender
// without --accept-changes, gets a row error; otherwise each value
// replaces the stored one only when the row is at least as new. A person
// already compared with the same values costs no query.
func (im *importer) planPerson(r *rowState, idx int32, in *personIn, date string) (*personPlan, error) {
	e := im.people.at(idx)
	pl := &personPlan{idx: idx, hash: in.hash, date: date, given: givenMask(&in.p)}
	if e.seen == in.hash {
		pl.agrees = true
		return pl, nil
	}
	cur, dates, err := im.l.Person(e.id)
	if err != nil {
		return nil, err
	}
	if e.redate {
		pending := ordDate(e.asof)
		for i := range dates {
			if e.mask&(1<<i) != 0 && dates[i] < pending {
				dates[i] = pending
			}
		}
	}
	p := &in.p
	if in.byRef && !nomtrack.NamesAgree(cur, nil, p.Name, p.NameAr) {
		aliases, err := im.l.PersonAliases(e.id)
		if err != nil {
			return nil, err
		}
		if !nomtrack.NamesAgree(cur, aliases, p.Name, p.NameAr) {
			r.failf(field(r, "name", "name_ar"), "ref %s is %s; this row names %s (a ref belongs to one person: check the ref, or give this person their own)",
				p.Ref, personText(cur.DisplayName(), cur.Ministry), personText(p.DisplayName(), p.Ministry))
			return nil, nil
		}
	}
	if in.viaAlias {
		// The row names a record merged into this person: the merge chose
		// the kept person's values, so the dropped record's row (a sheet
		// that still lists both) replaces one only when it is newer;
		// otherwise the two rows would undo each other on every import.
		row := *p
		give := row.DatedValues()
		for i := range give {
			if dates[i] >= date {
				*give[i] = ""
			}
		}
		p = &row
	}
	next, nd := cur, dates
	changes, redated := nomtrack.NewestWins(&next, &nd, *p, date)
	if !im.opt.AcceptChanges {
		for _, c := range changes {
			if (c.Field == "ministry" || c.Field == "gender") && c.From != "" {
				r.failf(c.Field, "person %s is %s; this row says %s (a change of %s is made only with --accept-changes, and recorded)",
					personRef(cur), c.From, c.To, c.Field)
			}
		}
		if len(r.errs) > 0 {
			return nil, nil
		}
	}
	pl.next, pl.dates, pl.changes = next, nd, changes
	pl.write = len(changes) > 0 || redated || e.redate
	pl.settled = true
	have, give := next.DatedValues(), p.DatedValues()
	for i, f := range nomtrack.DatedFields {
		if *give[i] != "" && !nomtrack.SameSpelling(f, *have[i], *give[i]) {
			pl.settled = false // an older value left out: a newer row may still bring it
		}
	}
	return pl, nil
}

// personText names a person in an identity error: name and ministry.
func personText(name, ministry string) string {
	if ministry == "" {
		return name
	}
	return name + " (" + ministry + ")"
}

// personRef names a stored person by ref, else by id.
func personRef(p nomtrack.Person) string {
	if p.Ref != "" {
		return p.Ref
	}
	return strconv.FormatInt(p.ID, 10)
}

// applyPerson carries out a plan; it reports whether a value changed.
func (im *importer) applyPerson(pl *personPlan, row int) (bool, error) {
	e := im.people.at(pl.idx)
	if pl.agrees {
		// The same values as a row compared before: only a newer date is
		// remembered, and written once at the end (finishPeople), unless
		// the person is still queued and takes it there.
		if d := dayOrd(pl.date); d > e.asof {
			e.asof = d
			e.redate = e.redate || !im.l.RedateQueued(e.id, e.mask, pl.date)
		}
		return false, nil
	}
	// What later rows with these values may take for granted: the fields
	// this row gives are at least as new as the oldest of their dates.
	mask := pl.given
	lowest := uint32(math.MaxUint32)
	for i, d := range pl.dates {
		if mask&(1<<i) != 0 {
			lowest = min(lowest, dayOrd(d))
		}
	}
	if pl.settled {
		e.seen = pl.hash
	}
	e.mask, e.redate = mask, false
	if lowest == math.MaxUint32 {
		lowest = 0
	}
	e.asof = lowest
	if !pl.write {
		return false, nil
	}
	cur := pl.next
	if err := im.l.UpdatePerson(pl.next, pl.dates); err != nil {
		return false, err
	}
	if len(pl.changes) == 0 {
		return false, nil
	}
	if err := im.l.PersonChanges(e.id, pl.changes, row); err != nil {
		return false, err
	}
	for _, c := range pl.changes {
		switch c.Field {
		case "ref":
			im.byRef[im.hash(cur.Ref)] = pl.idx
			e.hasRef = true
		case "name", "name_ar", "ministry":
			im.indexName(pl.idx, cur.MatchKey(), cur.Ministry)
		}
	}
	return true, nil
}

// finishPeople writes the newer dates that rows agreeing with the stored
// values brought (applyPerson): one write per person at the end of the
// import instead of one per row.
func (im *importer) finishPeople() error {
	var list []store.Redate
	for i := int32(0); i < im.people.n; i++ {
		e := im.people.at(i)
		if !e.redate {
			continue
		}
		list = append(list, store.Redate{ID: e.id, Mask: e.mask, Asof: ordDate(e.asof)})
		e.redate = false
	}
	return im.l.RedatePeople(list)
}

// dayOrd turns a date YYYY-MM-DD into a number that orders as the dates
// do (not a day count); ordDate turns it back.
func dayOrd(d string) uint32 {
	if len(d) != 10 {
		return 0
	}
	n := func(s string) uint32 {
		v := uint32(0)
		for i := 0; i < len(s); i++ {
			v = v*10 + uint32(s[i]-'0')
		}
		return v
	}
	return n(d[0:4])<<9 | n(d[5:7])<<5 | n(d[8:10])
}

func ordDate(o uint32) string {
	if o == 0 {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", o>>9, o>>5&15, o&31)
}

// parsePerson validates the values of a people row.
func (im *importer) parsePerson(r *rowState) {
	in := im.readPerson(r)
	r.parsed = &in
}

// personRow imports one row of a people sheet; its values are from the
// sheet's date (fileDate).
func (im *importer) personRow(r *rowState, sum *Summary) error {
	in := r.parsed.(*personIn)
	if len(r.errs) > 0 {
		im.nameless(r, in)
		return nil
	}
	idx, found := im.findPerson(r, in)
	if len(r.errs) > 0 {
		return nil
	}
	if !found {
		if _, err := im.createPerson(in, im.fileDate); err != nil {
			return err
		}
		sum.Created++
		sum.PeopleCreated++
		return nil
	}
	pl, err := im.planPerson(r, idx, in, im.fileDate)
	if err != nil || pl == nil {
		return err
	}
	changed, err := im.applyPerson(pl, r.row.Num)
	if err != nil {
		return err
	}
	if changed {
		sum.Updated++
		sum.PeopleUpdated++
	} else {
		sum.Unchanged++
	}
	return nil
}

// rankCode derives the NATO rank code of a rank title (Colonel, عقيد ركن)
// when the row gives none; "" for a title that is no rank, such as a
// civilian grade.
func (im *importer) rankCode(title string) (string, error) {
	code, _ := im.opt.Ranks.Code(title)
	return code, nil
}
