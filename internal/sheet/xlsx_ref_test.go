package sheet

// The reference worksheet reader: the same rows read with encoding/xml, kept
// to cross-check the hand-written scanner in xmlscan.go.

import (
	"encoding/xml"
	"io"
	"strconv"
)

type refSheetSource struct {
	book  *workbook
	sheet string
	d     *xml.Decoder
	row   int
	slab  cellSlab
	cells []Cell
	text  []byte
	done  bool
}

func newRefSheetSource(b *workbook, sheet string, r io.Reader) *refSheetSource {
	d := xml.NewDecoder(r)
	d.Strict = false
	return &refSheetSource{book: b, sheet: sheet, d: d}
}

func (s *refSheetSource) next() (row Row, ok bool, err error) {
	if s.done {
		return Row{}, false, nil
	}
	defer func() {
		if r := recover(); r != nil {
			row, ok, err = Row{}, false, damagedSheet(s.book, s.sheet, s.row+1, "%v", r)
		}
		if err != nil || !ok {
			s.done = true
		}
	}()
	var (
		inRow, inValue, inRPh bool
		cell                  cellState
		col                   int
	)
	for {
		tok, err := s.d.RawToken()
		if err == io.EOF {
			if inRow {
				return Row{}, false, damagedSheet(s.book, s.sheet, s.row, "the file ends inside row %d", s.row)
			}
			return Row{}, false, nil
		}
		if err != nil {
			return Row{}, false, damagedSheet(s.book, s.sheet, s.row+1, "%v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				n := s.row + 1
				if r := attr(t, "r"); r != "" {
					v, err := strconv.Atoi(r)
					if err != nil || v < 1 || v > 1<<20 {
						return Row{}, false, damagedSheet(s.book, s.sheet, n, "row number %q", r)
					}
					n = v
				}
				s.row, inRow, col = n, true, 0
				s.cells = s.cells[:0]
			case "c":
				if !inRow {
					continue
				}
				cell = cellState{col: col + 1, typ: attr(t, "t")}
				if ref := attr(t, "r"); ref != "" {
					c, ok := columnOf(ref)
					if !ok || c > maxColumns {
						return Row{}, false, damagedSheet(s.book, s.sheet, s.row, "cell reference %q", ref)
					}
					cell.col = c
				}
				if st := attr(t, "s"); st != "" {
					cell.style, _ = strconv.Atoi(st)
				}
				col = cell.col
				s.text = s.text[:0]
			case "v", "t":
				inValue = !inRPh
			case "rPh":
				inRPh = true
			}
		case xml.CharData:
			if inValue {
				s.text = append(s.text, t...)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "v", "t":
				inValue = false
			case "rPh":
				inRPh = false
			case "c":
				if !inRow {
					continue
				}
				c, err := cellValue(s.book, s.sheet, s.row, cell, s.text)
				if err != nil {
					return Row{}, false, err
				}
				for len(s.cells) < cell.col {
					s.cells = append(s.cells, Cell{})
				}
				s.cells[cell.col-1] = c
			case "row":
				if !inRow {
					continue
				}
				cells := s.slab.take(len(s.cells))
				copy(cells, s.cells)
				return Row{Num: s.row, Cells: cells}, true, nil
			case "sheetData":
				return Row{}, false, nil
			}
		}
	}
}
