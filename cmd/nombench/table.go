package main

import (
	"io"
	"strings"
	"unicode/utf8"
)

// table renders aligned columns: names left-aligned, figures right-aligned,
// which text/tabwriter cannot mix. A row whose note is set prints its first
// `lead` cells and then the note across the remaining columns (a measurement
// that was skipped or failed).
type table struct {
	header []string
	right  []bool // per column: right-align
	lead   int    // cells kept before a note
	rows   []row
}

type row struct {
	cells []string
	note  string
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, row{cells: cells}) }
func (t *table) addNote(note string, lead ...string) {
	t.rows = append(t.rows, row{cells: lead, note: note})
}

// write prints the table with two spaces between columns.
func (t *table) write(w io.Writer) {
	width := make([]int, len(t.header))
	for i, h := range t.header {
		width[i] = utf8.RuneCountInString(h)
	}
	for _, r := range t.rows {
		for i, c := range r.cells {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	line := func(cells []string, note string) {
		var b strings.Builder
		for i, c := range cells {
			if i > 0 {
				b.WriteString("  ")
			}
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			if t.right[i] {
				b.WriteString(pad + c)
			} else if i == len(cells)-1 && note == "" {
				b.WriteString(c)
			} else {
				b.WriteString(c + pad)
			}
		}
		if note != "" {
			b.WriteString("  " + note)
		}
		io.WriteString(w, strings.TrimRight(b.String(), " ")+"\n")
	}
	line(t.header, "")
	for _, r := range t.rows {
		line(r.cells, r.note)
	}
}
