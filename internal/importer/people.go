package importer

import (
	"hash/maphash"
	"strings"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
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
}

// readPerson validates the person fields of a row.
func (im *importer) readPerson(r *rowState) personIn {
	var in personIn
	p := &in.p
	p.Ref = r.value(fRef)
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
		if idx, ok := im.byRef[im.hash(p.Ref)]; ok {
			return idx, true
		}
	}
	if p.Name == "" && p.NameAr == "" {
		if p.Ref == "" {
			r.failf(field(r, "name", "ref"), "is empty; give the person's ref or name")
		} else {
			r.failf("name", "is empty and no person has ref %q; give the name and ministry to add the person", p.Ref)
		}
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

// field names the column an error belongs to when either may be absent.
func field(r *rowState, fields ...string) string {
	for _, f := range fields {
		if r.has(f) {
			return f
		}
	}
	return fields[0]
}

// createPerson inserts a new person and remembers it.
func (im *importer) createPerson(in *personIn) (int32, error) {
	id, err := im.l.AddPerson(in.p)
	if err != nil {
		return 0, err
	}
	idx := im.addPerson(id, in.p.Ref, in.key, in.p.Ministry)
	im.people.at(idx).seen = in.hash
	return idx, nil
}

// updatePerson brings a matched person up to date with the row's values and
// reports whether anything changed. A person already compared with the
// same values costs nothing.
func (im *importer) updatePerson(idx int32, in *personIn) (bool, error) {
	e := im.people.at(idx)
	if e.seen == in.hash {
		return false, nil
	}
	cur, err := im.l.Person(e.id)
	if err != nil {
		return false, err
	}
	next := cur
	p := in.p
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&next.Ref, p.Ref)
	set(&next.Name, p.Name)
	set(&next.NameAr, p.NameAr)
	set(&next.Ministry, p.Ministry)
	set(&next.Rank, p.Rank)
	set(&next.RankCode, p.RankCode)
	set(&next.Position, p.Position)
	set(&next.Gender, p.Gender)
	set(&next.English, p.English)
	set(&next.Email, p.Email)
	set(&next.Phone, p.Phone)
	e.seen = in.hash
	if next == cur {
		return false, nil
	}
	if err := im.l.UpdatePerson(next); err != nil {
		return false, err
	}
	if next.Ref != cur.Ref {
		im.byRef[im.hash(next.Ref)] = idx
		e.hasRef = true
	}
	if next.MatchKey() != cur.MatchKey() || next.Ministry != cur.Ministry {
		im.indexName(idx, next.MatchKey(), next.Ministry)
	}
	return true, nil
}

// personRow imports one row of a people sheet.
// parsePerson validates the values of a people row.
func (im *importer) parsePerson(r *rowState) {
	in := im.readPerson(r)
	r.parsed = &in
}

func (im *importer) personRow(r *rowState, sum *Summary) error {
	in := r.parsed.(*personIn)
	if len(r.errs) > 0 {
		return nil
	}
	idx, found := im.findPerson(r, in)
	if len(r.errs) > 0 {
		return nil
	}
	if !found {
		if _, err := im.createPerson(in); err != nil {
			return err
		}
		sum.Created++
		sum.PeopleCreated++
		return nil
	}
	changed, err := im.updatePerson(idx, in)
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
