package output

import (
	"io"
	"strings"

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
// widest columns are cut with "…". Piped output (width 0) is never cut. A
// cell's control characters are shown as escapes (nomtrack.Printable),
// never sent to the terminal.
func writeTable(w io.Writer, t *Tab, color bool, width int) error {
	n := len(t.Columns)
	text := make([][]string, len(t.Rows))
	widths := make([]int, n)
	heads := make([]string, n)
	for i, c := range t.Columns {
		heads[i] = strings.ToUpper(strings.ReplaceAll(c, "_", " "))
		widths[i] = runewidth.StringWidth(heads[i])
	}
	isText := make([]bool, n)
	for r, row := range t.Rows {
		cells := make([]string, n)
		for i := range cells {
			if i < len(row) {
				cells[i] = oneLine(nomtrack.Printable(Cell(row[i])))
				if !isText[i] && strings.Contains(cells[i], " ") {
					isText[i] = true
				}
				if cw := runewidth.StringWidth(cells[i]); cw > widths[i] {
					widths[i] = cw
				}
			}
		}
		text[r] = cells
	}
	hidden := make([]bool, n)
	for i, c := range t.Columns {
		if contains(t.HideEmpty, c) {
			hidden[i] = true
			for _, cells := range text {
				if cells[i] != "" {
					hidden[i] = false
					break
				}
			}
		}
	}
	keep := fit(t, heads, widths, width, isText, hidden)

	l := tableLayout{keep: keep, widths: widths, cut: true}
	if err := l.line(w, heads, color); err != nil {
		return err
	}
	for _, cells := range text {
		if err := l.line(w, cells, false); err != nil {
			return err
		}
	}
	return nil
}

// tableLayout is which columns a table shows, at what widths.
type tableLayout struct {
	keep   []int
	widths []int
	// cut: a cell wider than its column is cut with "…". Without it (a
	// streamed table piped on, whose widths are bounds known beforehand)
	// the cell is written whole and the line runs longer.
	cut bool
	b   strings.Builder
}

// line writes one line of cells, padded to the widths, the header in bold
// when bold.
func (l *tableLayout) line(w io.Writer, cells []string, bold bool) error {
	l.b.Reset()
	last := len(l.keep) - 1
	for k, i := range l.keep {
		c := cells[i]
		cw := runewidth.StringWidth(c)
		if cw > l.widths[i] && l.cut {
			c = runewidth.Truncate(c, l.widths[i], "…")
			cw = runewidth.StringWidth(c)
		}
		pad := max(l.widths[i]-cw, 0)
		if bold {
			c = "\x1b[1m" + c + "\x1b[0m"
		}
		l.b.WriteString(c)
		if k < last {
			l.b.WriteString(strings.Repeat(" ", pad))
			l.b.WriteString(colGap)
		}
	}
	out := strings.TrimRight(l.b.String(), " ") + "\n"
	_, err := io.WriteString(w, out)
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
