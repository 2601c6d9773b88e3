package gen

import (
	"io"

	"github.com/xuri/excelize/v2"
)

// The XLSX writers use excelize's StreamWriter, which spills rows to a
// temporary file instead of building the sheet in memory, so a million-row
// sheet costs no more memory than a thousand-row one.

var (
	coursesColumns     = []string{"code", "etoc_code", "title", "area", "provider", "days", "fee", "min_english", "min_rank"}
	offeringsColumns   = []string{"course", "start", "end", "location", "seats", "deadline"}
	peopleColumns      = []string{"ref", "name", "name_ar", "ministry", "rank", "rank_code", "position", "gender", "english", "email", "phone"}
	nominationsColumns = []string{"ref", "name", "name_ar", "ministry", "rank", "rank_code", "gender", "english", "course", "start", "role", "status", "note"}
)

// sheetWriter writes the rows of one sheet, numbering them itself.
type sheetWriter struct {
	sw   *excelize.StreamWriter
	row  int
	vals []any
}

func newSheetWriter(f *excelize.File, sheet string, columns []string) (*sheetWriter, error) {
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	s := &sheetWriter{sw: sw, vals: make([]any, len(columns))}
	for i, c := range columns {
		s.vals[i] = c
	}
	return s, s.flushRow()
}

// flushRow writes s.vals as the next row.
func (s *sheetWriter) flushRow() error {
	s.row++
	cell, err := excelize.CoordinatesToCellName(1, s.row)
	if err != nil {
		return err
	}
	return s.sw.SetRow(cell, s.vals)
}

// text is a string cell value; an empty string leaves the cell blank, as a
// person typing the sheet would.
// feeCell is a course's fee cell: empty when no fee is known (0), as a
// catalogue that does not say leaves it.
func feeCell(fee int) any {
	if fee == 0 {
		return nil
	}
	return fee
}

func text(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// newWorkbook creates a workbook whose first sheet is named first, and the
// style of its date cells.
func newWorkbook(first string) (*excelize.File, int, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName(f.GetSheetName(0), first); err != nil {
		f.Close()
		return nil, 0, err
	}
	format := "yyyy-mm-dd"
	style, err := f.NewStyle(&excelize.Style{CustomNumFmt: &format})
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, style, nil
}

// writeNominationsSheet writes every nomination into sheet of f, with start
// as a date cell.
func (g *generator) writeNominationsSheet(f *excelize.File, sheet string, dateStyle int) error {
	s, err := newSheetWriter(f, sheet, nominationsColumns)
	if err != nil {
		return err
	}
	var p person
	for i := range g.plan.people {
		g.makePerson(i, &p)
		head := g.personStrings(&p)
		for _, n := range g.makeNominations(&p) {
			o := &g.cat.offerings[n.offering]
			v := s.vals
			v[0], v[1], v[2], v[3], v[4], v[5] = head.ref, head.name, head.nameAr, head.ministry, head.rank, head.rankCode
			v[6], v[7] = head.gender, head.english
			v[8] = g.cat.courses[o.course].code
			v[9] = excelize.Cell{StyleID: dateStyle, Value: o.startT}
			v[10], v[11], v[12] = n.role, n.status, text(n.note)
			if err := s.flushRow(); err != nil {
				return err
			}
		}
	}
	return s.sw.Flush()
}

// personCells are a person's fields as sheet cell values.
type personCells struct {
	ref, name, nameAr, ministry, rank, rankCode, gender, english any
}

func (g *generator) personStrings(p *person) personCells {
	b := g.appendRef(g.buf[:0], p)
	ref := string(b)
	b = appendLatinName(b[:0], p)
	nm := string(b)
	b = appendArabicName(b[:0], p)
	ar := string(b)
	g.buf = b
	gender := "M"
	if p.female {
		gender = "F"
	}
	return personCells{
		ref: ref, name: nm, nameAr: ar, ministry: ministries[p.ministry].code,
		rank: p.rank.title, rankCode: text(p.rank.code), gender: gender, english: text(p.english),
	}
}

func (g *generator) writeNominationsXLSX(w io.Writer) error {
	f, style, err := newWorkbook("Nominations")
	if err != nil {
		return err
	}
	defer f.Close()
	if err := g.writeNominationsSheet(f, "Nominations", style); err != nil {
		return err
	}
	return f.Write(w)
}

func (g *generator) writeProgrammeXLSX(w io.Writer) error {
	f, style, err := newWorkbook("Courses")
	if err != nil {
		return err
	}
	defer f.Close()
	for _, sheet := range []string{"Offerings", "People", "Nominations"} {
		if _, err := f.NewSheet(sheet); err != nil {
			return err
		}
	}

	s, err := newSheetWriter(f, "Courses", coursesColumns)
	if err != nil {
		return err
	}
	for i := range g.cat.courses {
		c := &g.cat.courses[i]
		v := s.vals
		v[0], v[1], v[2], v[3], v[4] = c.code, text(c.etoc), c.title, areaSlugs[c.area], providers[c.provider].name
		v[5], v[6], v[7], v[8] = c.days, feeCell(c.fee), text(c.minEnglish), text(c.minRank)
		if err := s.flushRow(); err != nil {
			return err
		}
	}
	if err := s.sw.Flush(); err != nil {
		return err
	}

	if s, err = newSheetWriter(f, "Offerings", offeringsColumns); err != nil {
		return err
	}
	for i := range g.cat.offerings {
		o := &g.cat.offerings[i]
		v := s.vals
		v[0] = g.cat.courses[o.course].code
		v[1] = excelize.Cell{StyleID: style, Value: o.startT}
		v[2] = excelize.Cell{StyleID: style, Value: o.endT}
		v[3], v[4] = o.location, o.seats
		v[5] = excelize.Cell{StyleID: style, Value: o.deadlineT}
		if err := s.flushRow(); err != nil {
			return err
		}
	}
	if err := s.sw.Flush(); err != nil {
		return err
	}

	if s, err = newSheetWriter(f, "People", peopleColumns); err != nil {
		return err
	}
	var p person
	for i := range g.plan.people {
		g.makePerson(i, &p)
		h := g.personStrings(&p)
		email := string(g.appendEmail(nil, &p))
		v := s.vals
		v[0], v[1], v[2], v[3], v[4], v[5] = h.ref, h.name, h.nameAr, h.ministry, h.rank, h.rankCode
		v[6], v[7], v[8] = ministries[p.ministry].positions[p.position], h.gender, h.english
		v[9], v[10] = email, text(string(appendPhone(nil, &p)))
		if err := s.flushRow(); err != nil {
			return err
		}
	}
	if err := s.sw.Flush(); err != nil {
		return err
	}

	if err := g.writeNominationsSheet(f, "Nominations", style); err != nil {
		return err
	}
	return f.Write(w)
}
