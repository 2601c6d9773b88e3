package report

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/nomtrack/nomtrack/internal/figures"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/output"
)

// RichFormats are the formats of the yearly and trend reports: the text
// formats of every command plus html and xlsx.
var RichFormats = append(append([]string{}, output.TextFormats...), output.HTML, output.XLSX)

// barWidth is the width in cells of the headline bar of the table output.
const barWidth = 40

// Bar draws share (a fraction) as a bar of width cells, hledger-budget style:
// full cells for the share, light ones for the rest. A share over 1 fills
// the bar; the figures beside it say by how much.
func Bar(share float64, width int) string {
	if share < 0 || math.IsNaN(share) {
		share = 0
	}
	full := int(math.Round(math.Min(share, 1) * float64(width)))
	return strings.Repeat("█", full) + strings.Repeat("░", width-full)
}

// Percent formats a fraction as a percentage with decimals places, or "–"
// for an undefined rate.
func Percent(f *float64, decimals int) string {
	if f == nil {
		return "–"
	}
	return strconv.FormatFloat(*f*100, 'f', decimals, 64) + "%"
}

// Budget is the hledger-style figure beside a bar: "412 [82% of 500]".
func Budget(actual, target int) string {
	return fmt.Sprintf("%d [%s of %d]", actual, Percent(figures.Ratio(actual, target), 0), target)
}

// YearHeadline is the first line of the yearly report:
// participated / capacity (utilisation %).
func YearHeadline(y *figures.Year) string {
	return fmt.Sprintf("%d / %d (%s)", y.Participated, y.Capacity, Percent(y.Utilisation, 1))
}

// capacityNote says where the year's capacity comes from.
func capacityNote(year int, source string) string {
	if source == figures.CapacitySet {
		return fmt.Sprintf("set for %d", year)
	}
	return "configured default"
}

// displayKey is how an empty key is shown to people in table and md output;
// data formats keep the empty string.
func displayKey(dim, key string) string {
	if key != "" {
		return key
	}
	switch dim {
	case figures.DimGender:
		return "(not recorded)"
	case figures.DimProvider:
		return "(no provider)"
	}
	return "(blank)"
}

// dimensionTitle is a breakdown's section heading.
func dimensionTitle(dim string) string {
	return "By " + dim
}

// breakdownTab is one breakdown as a table for people (empty keys named).
func breakdownTab(b figures.Breakdown) *output.Tab {
	cols := []string{b.Dimension}
	if b.Dimension == figures.DimCourse {
		cols = append(cols, "title")
	}
	t := &output.Tab{Columns: append(cols, "nominations", "committed", "participated", "no_show")}
	for _, g := range b.Groups {
		row := []any{displayKey(b.Dimension, g.Key)}
		if b.Dimension == figures.DimCourse {
			row = append(row, g.Label)
		}
		t.Rows = append(t.Rows, append(row, g.Nominations, g.Committed, g.Participated, g.NoShow))
	}
	return t
}

// yearStatusTab is the count of each status, every status present.
func yearStatusTab(y *figures.Year) *output.Tab {
	t := &output.Tab{Columns: []string{"status", "nominations"}}
	for _, st := range nomtrack.Statuses {
		t.Rows = append(t.Rows, []any{st, y.ByStatus[st]})
	}
	return t
}

// yearSummaryTab is the year's totals as key/value rows.
func yearSummaryTab(y *figures.Year) *output.Tab {
	return &output.Tab{Columns: []string{"figure", "value"}, Rows: [][]any{
		{"nominations", y.Nominations},
		{"committed", y.Committed},
		{"participated", y.Participated},
		{"participants", y.Participants},
		{"no-shows", y.NoShow},
		{"capacity", fmt.Sprintf("%d (%s)", y.Capacity, capacityNote(y.Year, y.CapacitySource))},
		{"utilisation", Percent(y.Utilisation, 1)},
	}}
}

// YearLongTab is the yearly report as one long table for csv, tsv and
// spreadsheets: a "total" row, one row per status, then one row per group of
// each breakdown, tagged by its dimension, so a pivot table or a filter
// reproduces any section, and several years' files can be stacked.
// Participants, capacity and utilisation belong to the year and are filled
// on the total row only. Numbers stay raw (utilisation 0.824).
func YearLongTab(y *figures.Year) *output.Tab {
	t := &output.Tab{Columns: []string{"year", "dimension", "key", "title", "nominations", "committed",
		"participated", "no_show", "participants", "capacity", "utilisation"}}
	t.Rows = append(t.Rows, []any{y.Year, "total", strconv.Itoa(y.Year), "", y.Nominations, y.Committed,
		y.Participated, y.NoShow, y.Participants, y.Capacity, y.Utilisation})
	for _, st := range nomtrack.Statuses {
		n := y.ByStatus[st]
		t.Rows = append(t.Rows, []any{y.Year, "status", st, "", n, when(nomtrack.Committed(st), n),
			when(nomtrack.Participated(st), n), when(st == nomtrack.StatusNoShow, n), nil, nil, nil})
	}
	for _, b := range y.Breakdowns() {
		for _, g := range b.Groups {
			t.Rows = append(t.Rows, []any{y.Year, b.Dimension, g.Key, g.Label, g.Nominations, g.Committed,
				g.Participated, g.NoShow, nil, nil, nil})
		}
	}
	return t
}

func when(ok bool, n int) int {
	if ok {
		return n
	}
	return 0
}

// writeTab renders t in one of output's table formats (table or md) into w,
// so that report sections look exactly like every other command's tables.
func writeTab(w io.Writer, format string, t *output.Tab, color bool) error {
	s := &output.Streams{Out: w, OutTTY: color, Color: color}
	return output.Write(s, output.Options{Format: format}, []string{format}, output.Doc{Tab: t})
}

// WriteYearText writes the yearly report for a terminal: the headline with its
// bar, the totals, then each breakdown.
func WriteYearText(w io.Writer, y *figures.Year, color bool) error {
	bold, green, reset := "", "", ""
	if color {
		bold, green, reset = "\x1b[1m", "\x1b[32m", "\x1b[0m"
	}
	share := 0.0
	if y.Utilisation != nil {
		share = *y.Utilisation
	}
	fmt.Fprintf(w, "%sParticipation %d: %s%s\n", bold, y.Year, YearHeadline(y), reset)
	fmt.Fprintf(w, "%s%s%s  %s\n\n", green, Bar(share, barWidth), reset, Budget(y.Participated, y.Capacity))
	for _, row := range yearSummaryTab(y).Rows {
		fmt.Fprintf(w, "%-13s %v\n", row[0], row[1])
	}
	sections := []struct {
		title string
		tab   *output.Tab
		empty bool
	}{{"By status", yearStatusTab(y), false}}
	for _, b := range y.Breakdowns() {
		sections = append(sections, struct {
			title string
			tab   *output.Tab
			empty bool
		}{dimensionTitle(b.Dimension), breakdownTab(b), len(b.Groups) == 0})
	}
	for _, s := range sections {
		fmt.Fprintf(w, "\n%s%s%s\n", bold, s.title, reset)
		if s.empty {
			if _, err := fmt.Fprintln(w, "no nominations"); err != nil {
				return err
			}
			continue
		}
		if err := writeTab(w, output.Table, s.tab, color); err != nil {
			return err
		}
	}
	return nil
}

// WriteYearMarkdown writes the yearly report as a Markdown document: a heading,
// the headline, the totals, then one section per breakdown.
func WriteYearMarkdown(w io.Writer, y *figures.Year) error {
	fmt.Fprintf(w, "# Participation %d\n\n**%s** — %s\n\n", y.Year, YearHeadline(y), Budget(y.Participated, y.Capacity))
	if err := writeTab(w, output.MD, yearSummaryTab(y), false); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n## By status\n\n")
	if err := writeTab(w, output.MD, yearStatusTab(y), false); err != nil {
		return err
	}
	for _, b := range y.Breakdowns() {
		fmt.Fprintf(w, "\n## %s\n\n", dimensionTitle(b.Dimension))
		if len(b.Groups) == 0 {
			fmt.Fprintln(w, "No nominations.")
			continue
		}
		if err := writeTab(w, output.MD, breakdownTab(b), false); err != nil {
			return err
		}
	}
	return nil
}

// YearDoc is the yearly report in every format of RichFormats.
func YearDoc(y *figures.Year) output.Doc {
	return output.Doc{
		JSON: y,
		Tab:  YearLongTab(y),
		Text: func(w io.Writer, color bool) error { return WriteYearText(w, y, color) },
		Custom: map[string]func(io.Writer) error{
			output.MD:   func(w io.Writer) error { return WriteYearMarkdown(w, y) },
			output.HTML: func(w io.Writer) error { return WriteYearHTML(w, y) },
			output.XLSX: func(w io.Writer) error { return WriteYearXLSX(w, y) },
		},
	}
}
