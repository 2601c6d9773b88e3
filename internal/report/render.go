package report

import (
	"fmt"
	"io"
	"math"
	"slices"
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

// otherName is how table, md and html show the row that sums the groups
// past --top: "other (12 more)"; data formats keep figures.OtherKey and
// JSON carries the count as "folded".
func otherName(folded int) string {
	return fmt.Sprintf("%s (%d more)", figures.OtherKey, folded)
}

// groupName is a breakdown group's key as people read it.
func groupName(dim string, g figures.Group) string {
	if g.Folded > 0 {
		return otherName(g.Folded)
	}
	return displayKey(dim, g.Key)
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
	t := &output.Tab{Columns: append(cols, "nominations", "committed", "participated", "participants", "no_show")}
	for _, g := range b.Groups {
		row := []any{groupName(b.Dimension, g)}
		if b.Dimension == figures.DimCourse {
			row = append(row, g.Label)
		}
		t.Rows = append(t.Rows, append(row, g.Nominations, g.Committed, g.Participated, g.Participants, g.NoShow))
	}
	return t
}

// Money formats an amount of Currency with two decimals: "4101.50", or
// "unknown" when no fee of the nominations is known.
func Money(f figures.Fees) string {
	a := f.Amount()
	if a == nil {
		return "unknown"
	}
	return strconv.FormatFloat(*a, 'f', 2, 64)
}

// unknownFees says how many of f's nominations have no fee: "2 of 6", or
// "–" for none.
func unknownFees(f figures.Fees) string {
	if f.UnknownFee == 0 {
		return "–"
	}
	return fmt.Sprintf("%d of %d", f.UnknownFee, f.Nominations)
}

// feesLine is a total of fees for people: "4101.00 EUR (fee unknown for 2
// of 6 nominations)".
func feesLine(f figures.Fees) string {
	if f.Amount() == nil {
		return fmt.Sprintf("unknown (no course fee recorded for any of the %d nominations)", f.Nominations)
	}
	s := Money(f) + " " + figures.Currency
	if f.UnknownFee > 0 {
		s += fmt.Sprintf(" (fee unknown for %d of %d nominations)", f.UnknownFee, f.Nominations)
	}
	return s
}

// costTab is a cost breakdown for people: amounts with two decimals and
// the nominations of unknown fee beside each.
func costTab(b figures.CostBreakdown) *output.Tab {
	t := &output.Tab{Columns: []string{b.Dimension, "committed_" + figures.Currency, "committed_fee_unknown",
		"participated_" + figures.Currency, "participated_fee_unknown"}}
	for _, r := range b.Rows {
		name := displayKey(b.Dimension, r.Key)
		if r.Folded > 0 {
			name = otherName(r.Folded)
		}
		t.Rows = append(t.Rows, []any{name, Money(r.Committed), unknownFees(r.Committed),
			Money(r.Participated), unknownFees(r.Participated)})
	}
	return t
}

// womenTab is women's participation per ministry, share as a percentage.
func womenTab(w figures.Women) *output.Tab {
	t := &output.Tab{Columns: []string{"ministry", "participants", "women", "women_share"}}
	for _, r := range w.ByMinistry {
		t.Rows = append(t.Rows, []any{displayKey(figures.DimMinistry, r.Ministry), r.AllParticipants, r.Participants,
			Percent(r.Share, 1)})
	}
	return t
}

// repeatsTab lists repeat participants with their courses joined in one
// cell.
func repeatsTab(rows []figures.RepeatRow) *output.Tab {
	t := &output.Tab{Columns: []string{"person", "ref", "ministry", "participations", "courses"}}
	for _, r := range rows {
		t.Rows = append(t.Rows, []any{r.Person, r.Ref, r.Ministry, r.Participations, RepeatCourses(r)})
	}
	return t
}

// RepeatCourses joins a repeat participant's courses: "M5-106 2012-03-05,
// ETE-10 2012-06-11".
func RepeatCourses(r figures.RepeatRow) string {
	parts := make([]string, len(r.Courses))
	for i, c := range r.Courses {
		parts[i] = c.Course + " " + c.Start
	}
	return strings.Join(parts, ", ")
}

// yearSection is one titled table of the yearly report's text and md
// renderings; empty says what to print instead of an empty table.
type yearSection struct {
	title string
	tab   *output.Tab
	empty string
}

// yearSections are the sections after the totals, in order: the count of
// each status, the breakdowns, then yearPeopleAndCostSections.
func yearSections(y *figures.Year) []yearSection {
	out := []yearSection{{title: "By status", tab: yearStatusTab(y)}}
	for _, b := range y.Breakdowns() {
		s := yearSection{title: dimensionTitle(b.Dimension), tab: breakdownTab(b)}
		if len(b.Groups) == 0 {
			s.empty = "no nominations"
		}
		out = append(out, s)
	}
	return append(out, yearPeopleAndCostSections(y)...)
}

// yearPeopleAndCostSections are women by ministry, the repeat participants
// (when the figures carry them) and the costs by funding source and by
// ministry.
func yearPeopleAndCostSections(y *figures.Year) []yearSection {
	var out []yearSection
	women := yearSection{title: "Women by ministry", tab: womenTab(y.Women)}
	if len(y.Women.ByMinistry) == 0 {
		women.empty = "no participants"
	}
	out = append(out, women)
	if y.Repeats != nil {
		s := yearSection{title: "Repeat participants", tab: repeatsTab(y.Repeats)}
		if len(y.Repeats) == 0 {
			s.empty = "nobody participated twice"
		}
		out = append(out, s)
	}
	out = append(out, yearSection{title: "Costs by funding source", tab: costTab(y.Cost.ByFunding)})
	ministry := yearSection{title: "Costs by ministry", tab: costTab(y.Cost.ByMinistry)}
	if len(y.Cost.ByMinistry.Rows) == 0 {
		ministry.empty = "no committed nominations"
	}
	return append(out, ministry)
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
		{"women", fmt.Sprintf("%d of %d participants (%s)", y.Women.Participants, y.Participants, Percent(y.Women.Share, 1))},
		{"repeat participants", fmt.Sprintf("%d (participated twice or more)", y.RepeatParticipants)},
		{"fees committed", feesLine(y.Cost.Committed)},
		{"fees participated", feesLine(y.Cost.Participated)},
	}}
}

// YearLongTab is the yearly report as one long table for csv, tsv and
// spreadsheets: a "total" row, one row per status, then one row per group of
// each breakdown, tagged by its dimension, so a pivot table or a filter
// reproduces any section, and several years' files can be stacked.
// Participants are filled on the total row and every breakdown row;
// capacity, utilisation and repeat participants belong to the year (the
// total row); women on the total and ministry rows; fees (in Currency,
// with the nominations of unknown fee counted apart) on the total, ministry
// and funding rows. "funding" rows count committed and participated
// nominations only. Numbers stay raw (utilisation 0.824).
func YearLongTab(y *figures.Year) *output.Tab {
	t := &output.Tab{Columns: []string{"year", "dimension", "key", "title", "nominations", "committed",
		"participated", "no_show", "participants", "capacity", "utilisation", "repeat_participants", "women",
		"women_share", "committed_fees", "committed_unknown_fee", "participated_fees", "participated_unknown_fee"}}
	fees := func(c, p figures.Fees) []any {
		return []any{c.Amount(), c.UnknownFee, p.Amount(), p.UnknownFee}
	}
	none := []any{nil, nil, nil, nil}
	t.Rows = append(t.Rows, append([]any{y.Year, "total", strconv.Itoa(y.Year), "", y.Nominations, y.Committed,
		y.Participated, y.NoShow, y.Participants, y.Capacity, y.Utilisation, y.RepeatParticipants,
		y.Women.Participants, y.Women.Share}, fees(y.Cost.Committed, y.Cost.Participated)...))
	for _, st := range nomtrack.Statuses {
		n := y.ByStatus[st]
		t.Rows = append(t.Rows, append([]any{y.Year, "status", st, "", n, when(nomtrack.Committed(st), n),
			when(nomtrack.Participated(st), n), when(st == nomtrack.StatusNoShow, n), nil, nil, nil, nil, nil, nil},
			none...))
	}
	women := map[string]figures.WomenRow{}
	for _, r := range y.Women.ByMinistry {
		women[r.Ministry] = r
	}
	cost := map[string]figures.CostRow{}
	for _, r := range y.Cost.ByMinistry.Rows {
		cost[r.Key] = r
	}
	for _, b := range y.Breakdowns() {
		for _, g := range b.Groups {
			row := []any{y.Year, b.Dimension, g.Key, g.Label, g.Nominations, g.Committed,
				g.Participated, g.NoShow, g.Participants, nil, nil, nil}
			if b.Dimension == figures.DimMinistry && g.Folded > 0 {
				// The ministries past --top: their fees add up; their
				// women, distinct people, are not a sum of the rows.
				var c figures.CostRow
				for k, r := range cost {
					if !slices.ContainsFunc(b.Groups, func(g figures.Group) bool { return g.Folded == 0 && g.Key == k }) {
						c.Committed.Add(r.Committed)
						c.Participated.Add(r.Participated)
					}
				}
				row = append(append(row, nil, nil), fees(c.Committed, c.Participated)...)
			} else if b.Dimension == figures.DimMinistry {
				c := cost[g.Key]
				if w, ok := women[g.Key]; ok {
					row = append(row, w.Participants, w.Share)
				} else {
					row = append(row, nil, nil) // nobody participated
				}
				row = append(row, fees(c.Committed, c.Participated)...)
			} else {
				row = append(append(row, nil, nil), none...)
			}
			t.Rows = append(t.Rows, row)
		}
	}
	for _, r := range y.Cost.ByFunding.Rows {
		t.Rows = append(t.Rows, append([]any{y.Year, y.Cost.ByFunding.Dimension, r.Key, "", nil,
			r.Committed.Nominations, r.Participated.Nominations, nil, nil, nil, nil, nil, nil, nil},
			fees(r.Committed, r.Participated)...))
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
		fmt.Fprintf(w, "%-19s %v\n", row[0], row[1])
	}
	for _, s := range yearSections(y) {
		fmt.Fprintf(w, "\n%s%s%s\n", bold, s.title, reset)
		if s.empty != "" {
			if _, err := fmt.Fprintln(w, s.empty); err != nil {
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
	for _, s := range yearSections(y) {
		fmt.Fprintf(w, "\n## %s\n\n", s.title)
		if s.empty != "" {
			fmt.Fprintln(w, sentence(s.empty))
			continue
		}
		if err := writeTab(w, output.MD, s.tab, false); err != nil {
			return err
		}
	}
	return nil
}

// sentence capitalises s and ends it with a full stop: "No nominations.".
func sentence(s string) string {
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:] + "."
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
