package gen

import (
	"io"
	"strconv"
)

// The CSV writers build each row in one reused byte slice and hand it to a
// buffered writer: no fmt and no per-field allocation in the loop that runs
// a million times.

// Headers are the SPEC §4 field names, which the importer matches.
var (
	coursesHeader     = "code,etoc_code,title,area,provider,days,fee,min_english,min_rank\n"
	offeringsHeader   = "course,start,end,location,seats,deadline\n"
	peopleHeader      = "ref,name,name_ar,ministry,rank,rank_code,position,gender,english,email,phone\n"
	nominationsHeader = "ref,name,name_ar,ministry,rank,rank_code,gender,english,course,start,role,status,note\n"
)

// appendField appends s as one CSV field, quoted only when it must be.
func appendField(b []byte, s string) []byte {
	quote := false
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == ',' || c == '"' || c == '\n' || c == '\r' {
			quote = true
			break
		}
	}
	if !quote {
		return append(b, s...)
	}
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}

// appendPadded appends n zero-padded to width digits.
func appendPadded(b []byte, n, width int) []byte {
	var d [20]byte
	i := len(d)
	for n > 0 || i > len(d)-width {
		i--
		d[i] = byte('0' + n%10)
		n /= 10
	}
	return append(b, d[i:]...)
}

func (g *generator) refWidth() int {
	w := 0
	for m := g.plan.refModulus; m > 1; m /= 10 {
		w++
	}
	return w
}

// appendRef appends the person's service number, e.g. MOD-004211.
func (g *generator) appendRef(b []byte, p *person) []byte {
	b = append(b, ministries[p.ministry].refPrefix...)
	b = append(b, '-')
	return appendPadded(b, p.refNum, g.refWidth())
}

// appendLatinName appends "Given Father Family"; vocabularies hold no
// characters that need quoting.
func appendLatinName(b []byte, p *person) []byte {
	b = append(b, p.givenName().latin...)
	b = append(b, ' ')
	b = append(b, maleNames[p.father].latin...)
	b = append(b, ' ')
	return append(b, familyNames[p.family].latin...)
}

// appendArabicName appends the same name in Arabic script, composed from the
// same parts, so the two forms always agree.
func appendArabicName(b []byte, p *person) []byte {
	b = append(b, p.givenName().arabic...)
	b = append(b, ' ')
	b = append(b, maleNames[p.father].arabic...)
	b = append(b, ' ')
	return append(b, familyNames[p.family].arabic...)
}

func appendGender(b []byte, p *person) []byte {
	if p.female {
		return append(b, 'F')
	}
	return append(b, 'M')
}

// appendPersonHead appends the fields a person row and a nomination row share:
// ref,name,name_ar,ministry,rank,rank_code.
func (g *generator) appendPersonHead(b []byte, p *person) []byte {
	b = g.appendRef(b, p)
	b = append(b, ',')
	b = appendLatinName(b, p)
	b = append(b, ',')
	b = appendArabicName(b, p)
	b = append(b, ',')
	b = append(b, ministries[p.ministry].code...)
	b = append(b, ',')
	b = appendField(b, p.rank.title)
	b = append(b, ',')
	return append(b, p.rank.code...)
}

// appendEmail appends a fictitious address under example.org.
func (g *generator) appendEmail(b []byte, p *person) []byte {
	b = append(b, p.givenName().slug...)
	b = append(b, '.')
	b = append(b, familyNames[p.family].slug...)
	b = append(b, '.')
	b = appendPadded(b, p.refNum, g.refWidth())
	b = append(b, '@')
	b = append(b, ministries[p.ministry].mail...)
	return append(b, ".example.org"...)
}

// appendPhone appends a number in the +964 770 000 range used for fiction.
func appendPhone(b []byte, p *person) []byte {
	if p.phone < 0 {
		return b
	}
	b = append(b, "+964 770 000 "...)
	return appendPadded(b, p.phone, 4)
}

func (g *generator) writeCoursesCSV(w io.Writer) error {
	if _, err := io.WriteString(w, coursesHeader); err != nil {
		return err
	}
	b := g.buf
	for i := range g.cat.courses {
		c := &g.cat.courses[i]
		b = append(b[:0], c.code...)
		b = append(b, ',')
		b = append(b, c.etoc...)
		b = append(b, ',')
		b = appendField(b, c.title)
		b = append(b, ',')
		b = append(b, areaSlugs[c.area]...)
		b = append(b, ',')
		b = appendField(b, providers[c.provider].name)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(c.days), 10)
		b = append(b, ',')
		if c.fee > 0 { // an empty cell: no fee known
			b = strconv.AppendInt(b, int64(c.fee), 10)
		}
		b = append(b, ',')
		b = append(b, c.minEnglish...)
		b = append(b, ',')
		b = append(b, c.minRank...)
		b = append(b, '\n')
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	g.buf = b
	return nil
}

func (g *generator) writeOfferingsCSV(w io.Writer) error {
	if _, err := io.WriteString(w, offeringsHeader); err != nil {
		return err
	}
	b := g.buf
	for i := range g.cat.offerings {
		o := &g.cat.offerings[i]
		b = append(b[:0], g.cat.courses[o.course].code...)
		b = append(b, ',')
		b = append(b, o.start...)
		b = append(b, ',')
		b = append(b, o.end...)
		b = append(b, ',')
		b = appendField(b, o.location)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(o.seats), 10)
		b = append(b, ',')
		b = append(b, o.deadline...)
		b = append(b, '\n')
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	g.buf = b
	return nil
}

func (g *generator) writePeopleCSV(w io.Writer) error {
	if _, err := io.WriteString(w, peopleHeader); err != nil {
		return err
	}
	b := g.buf
	var p person
	for i := range g.plan.people {
		g.makePerson(i, &p)
		b = g.appendPersonHead(b[:0], &p)
		b = append(b, ',')
		b = appendField(b, ministries[p.ministry].positions[p.position])
		b = append(b, ',')
		b = appendGender(b, &p)
		b = append(b, ',')
		b = append(b, p.english...)
		b = append(b, ',')
		b = g.appendEmail(b, &p)
		b = append(b, ',')
		b = appendPhone(b, &p)
		b = append(b, '\n')
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	g.buf = b
	return nil
}

func (g *generator) writeNominationsCSV(w io.Writer) error {
	if _, err := io.WriteString(w, nominationsHeader); err != nil {
		return err
	}
	b := g.buf
	var head []byte
	var p person
	for i := range g.plan.people {
		g.makePerson(i, &p)
		head = g.appendPersonHead(head[:0], &p)
		head = append(head, ',')
		head = appendGender(head, &p)
		head = append(head, ',')
		head = append(head, p.english...)
		head = append(head, ',')
		b = b[:0]
		for _, n := range g.makeNominations(&p) {
			o := &g.cat.offerings[n.offering]
			b = append(b, head...)
			b = append(b, g.cat.courses[o.course].code...)
			b = append(b, ',')
			b = append(b, o.start...)
			b = append(b, ',')
			b = append(b, n.role...)
			b = append(b, ',')
			b = append(b, n.status...)
			b = append(b, ',')
			b = appendField(b, n.note)
			b = append(b, '\n')
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	g.buf = b
	return nil
}
