package output

import (
	"io"
	"strings"
	"unicode/utf8"

	"github.com/mattn/go-runewidth"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// colGap separates table columns.
const colGap = "  "

// minCut is the narrowest a cut column becomes (its header stays whole).
const minCut = 6

// writeTable renders a plain, borderless table in the style of kubectl and
// gh: upper-case headers, columns two spaces apart, no padding after the
// last column. With width > 0 (a terminal, without --wide) the table is made
// to fit: the columns t.Optional names drop first, in its order, then the
// widest columns are cut with "…". Piped output (width 0) is never cut.
// The cells come as tableCells made them (control characters shown as
// escapes, nomtrack.Printable, never sent to the terminal); the table's
// Rows are not read.
func writeTable(w io.Writer, t *Tab, cells *tableCells, color bool, width int) error {
	n := len(t.Columns)
	heads := make([]string, n)
	widths := make([]int, n)
	for i, c := range t.Columns {
		heads[i] = strings.ToUpper(strings.ReplaceAll(c, "_", " "))
		widths[i] = max(textWidth(heads[i]), cells.widths[i])
	}
	hidden := make([]bool, n)
	for i, c := range t.Columns {
		hidden[i] = contains(t.HideEmpty, c) && !cells.filled[i]
	}
	keep := fit(t, heads, widths, width, cells.text, hidden)

	l := tableLayout{keep: keep, widths: widths, cut: true}
	if err := l.line(w, heads, color); err != nil {
		return err
	}
	for r, row := range cells.rows {
		if err := l.measuredLine(w, row, cells.cellWidths[r], false); err != nil {
			return err
		}
	}
	return nil
}

// tableCells are a table's rows as the text each cell shows, gathered row
// by row with what laying the table out needs (each column's widest cell,
// whether it holds free text, whether any cell is filled), so each cell is
// formatted and measured once.
type tableCells struct {
	rows       [][]string
	cellWidths [][]int // each cell's width, as rows
	widths     []int
	text       []bool // a cell with a space: free text, cut before identifiers
	filled     []bool
}

func newTableCells(columns int) *tableCells {
	return &tableCells{widths: make([]int, columns), text: make([]bool, columns), filled: make([]bool, columns)}
}

// add formats one row of values; a short row's missing cells are empty.
func (c *tableCells) add(values []Value) {
	row := make([]string, len(c.widths))
	widths := make([]int, len(c.widths))
	for i, v := range values {
		s, width, spaced := cell(v.Shown())
		row[i], widths[i] = s, width
		if s == "" {
			continue
		}
		c.filled[i] = true
		c.text[i] = c.text[i] || spaced
		c.widths[i] = max(c.widths[i], width)
	}
	c.rows = append(c.rows, row)
	c.cellWidths = append(c.cellWidths, widths)
}

// cell is s as a table cell shows it (on one line, nomtrack.Printable),
// with its width and whether it holds a space. Most cells are printable
// ASCII, which one pass over the bytes finds; the others are made and
// measured step by step.
func cell(s string) (shown string, width int, spaced bool) {
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case b == ' ':
			spaced = true
		case b < 0x20 || b >= 0x7f:
			s = oneLine(nomtrack.Printable(s))
			return s, textWidth(s), strings.IndexByte(s, ' ') >= 0
		}
	}
	return s, len(s), spaced
}

// textWidth is the cells a printable string takes on a terminal: its length
// when it is ASCII (most cells: ids, refs, codes, dates), else as
// go-runewidth counts East Asian wide and combining characters.
func textWidth(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return runewidth.StringWidth(s)
		}
	}
	return len(s)
}

// blanks pad table cells, a run at a time.
const blanks = "                                                                "

// tableLayout is which columns a table shows, at what widths.
type tableLayout struct {
	keep   []int
	widths []int
	// cut: a cell wider than its column is cut with "…". Without it (a
	// streamed table piped on, whose widths are bounds known beforehand)
	// the cell is written whole and the line runs longer.
	cut bool
	buf []byte
}

// line writes one line of cells, padded to the widths, the header in bold
// when bold.
func (l *tableLayout) line(w io.Writer, cells []string, bold bool) error {
	return l.measuredLine(w, cells, nil, bold)
}

// measuredLine is line with each cell's width given (nil: measured here).
func (l *tableLayout) measuredLine(w io.Writer, cells []string, widths []int, bold bool) error {
	b := l.buf[:0]
	last := len(l.keep) - 1
	for k, i := range l.keep {
		c := cells[i]
		var cw int
		if widths != nil {
			cw = widths[i]
		} else {
			cw = textWidth(c)
		}
		if cw > l.widths[i] && l.cut {
			c = runewidth.Truncate(c, l.widths[i], "…")
			cw = runewidth.StringWidth(c)
		}
		if bold {
			b = append(b, "\x1b[1m"...)
			b = append(b, c...)
			b = append(b, "\x1b[0m"...)
		} else {
			b = append(b, c...)
		}
		if k < last {
			for pad := max(l.widths[i]-cw, 0) + len(colGap); pad > 0; {
				n := min(pad, len(blanks))
				b = append(b, blanks[:n]...)
				pad -= n
			}
		}
	}
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	b = append(b, '\n')
	l.buf = b
	_, err := w.Write(b)
	return err
}

// fit picks the columns to show and narrows widths so the table fits in
// width cells (0: no limit). It returns the indexes of the columns kept.
//
// Free text (a column with spaces in it: names, titles, reasons) is cut
// before identifiers (refs, codes, dates, statuses), which mean nothing cut.
// Optional columns drop, in the order declared, while the table would not
// fit even with its text cut to readableCut cells.
func fit(t *Tab, heads []string, widths []int, width int, text, hidden []bool) []int {
	dropped := append([]bool(nil), hidden...)
	sum := func(w func(i int) int) int {
		total, cols := 0, 0
		for i := range widths {
			if !dropped[i] {
				total += w(i)
				cols++
			}
		}
		if cols > 1 {
			total += len(colGap) * (cols - 1)
		}
		return total
	}
	headW := func(i int) int { return runewidth.StringWidth(heads[i]) }
	readable := func(i int) int {
		if !text[i] {
			return widths[i]
		}
		return min(widths[i], max(headW(i), readableCut))
	}
	if width <= 0 {
		return allIndexes(widths, dropped)
	}
	for _, name := range t.Optional {
		if sum(readable) <= width {
			break
		}
		for i, c := range t.Columns {
			if c == name && !dropped[i] && len(widths)-countTrue(dropped) > 1 {
				dropped[i] = true
			}
		}
	}
	// Cut the widest column by one cell at a time until the table fits:
	// text first, then identifiers, and headers only as a last resort.
	phases := []struct{ anyColumn, cutHeads bool }{{false, false}, {true, false}, {true, true}}
	for _, ph := range phases {
		for excess := sum(func(i int) int { return widths[i] }) - width; excess > 0; excess-- {
			widest := -1
			for i, w := range widths {
				floor := minCut
				if !ph.cutHeads {
					floor = max(minCut, headW(i))
				}
				if !dropped[i] && (ph.anyColumn || text[i]) && w > floor && (widest < 0 || w > widths[widest]) {
					widest = i
				}
			}
			if widest < 0 {
				break
			}
			widths[widest]--
		}
	}
	return allIndexes(widths, dropped)
}

// readableCut is the narrowest free text is cut to before optional columns
// are dropped instead.
const readableCut = 16

func allIndexes(widths []int, dropped []bool) []int {
	var keep []int
	for i := range widths {
		if !dropped[i] {
			keep = append(keep, i)
		}
	}
	return keep
}

func countTrue(b []bool) int {
	n := 0
	for _, x := range b {
		if x {
			n++
		}
	}
	return n
}

// oneLine keeps a cell on one line of the table: line breaks and tabs
// become spaces.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\n\r\t") {
		return s
	}
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' || r == '\t' }), " ")
}
