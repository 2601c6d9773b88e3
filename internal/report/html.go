package report

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/nomtrack/nomtrack/internal/figures"
	"github.com/nomtrack/nomtrack/internal/output"
)

// Chart is an SVG bar chart laid out in user units: the geometry is
// computed here, the template only prints it, so tests can check the
// proportions without a browser.
type Chart struct {
	ID            string
	Title         string
	Width, Height float64
	Bars          []ChartBar
	Labels        []ChartLabel
	Legend        []ChartLegend
	Gridlines     []ChartLabel // a horizontal line at Y with its value as Text
}

// ChartBar is one rectangle of a chart; Value is what its length stands for.
type ChartBar struct {
	Class      string // "capacity", "nominations" or "participated"
	X, Y, W, H float64
	Value      int
	Tip        string // shown on hover, and read by screen readers
}

// ChartLabel is a piece of text placed in the chart.
type ChartLabel struct {
	X, Y   float64
	Anchor string // start, middle, end
	Class  string
	Text   string
}

// ChartLegend is one entry of a chart's legend.
type ChartLegend struct {
	X     float64
	Class string
	Text  string
}

// Layout of the charts, in SVG user units.
const (
	chartWidth   = 760.0
	yearPlotH    = 220.0
	yearTop      = 40.0
	yearLeft     = 48.0
	yearBottom   = 36.0
	rowHeight    = 24.0
	rowBar       = 16.0
	hbarLabelW   = 190.0
	hbarRightPad = 110.0
	hbarTop      = 34.0
	labelMax     = 28
)

// YearChart draws participation against capacity for each year: a light bar
// for the capacity, a dark one inside it for participation, both on one
// scale (the largest of either), so a full dark bar is a year that used
// every funded place. The year highlight (the yearly report's own; 0 for
// none) has its label in bold.
func YearChart(rows []figures.TrendRow, highlight int) Chart {
	c := Chart{ID: "by-year", Title: "Participation against capacity by year", Width: chartWidth,
		Height: yearTop + yearPlotH + yearBottom}
	c.Legend = []ChartLegend{{X: yearLeft, Class: "capacity", Text: "capacity"}, {X: yearLeft + 110, Class: "participated", Text: "participated"}}
	maxV := 0
	for _, r := range rows {
		maxV = max(maxV, r.Capacity, r.Participated)
	}
	if len(rows) == 0 || maxV == 0 {
		return c
	}
	base := yearTop + yearPlotH
	for _, g := range append([]int{0}, gridSteps(maxV)...) {
		y := base - float64(g)/float64(maxV)*yearPlotH
		c.Gridlines = append(c.Gridlines, ChartLabel{X: yearLeft, Y: y, Anchor: "end", Class: "axis", Text: strconv.Itoa(g)})
	}
	slot := (chartWidth - yearLeft - 8) / float64(len(rows))
	for i, r := range rows {
		cx := yearLeft + slot*(float64(i)+0.5)
		ch := float64(r.Capacity) / float64(maxV) * yearPlotH
		ph := float64(r.Participated) / float64(maxV) * yearPlotH
		cw, pw := math.Min(slot*0.72, 72), math.Min(slot*0.44, 44)
		c.Bars = append(c.Bars,
			ChartBar{Class: "capacity", X: cx - cw/2, Y: base - ch, W: cw, H: ch, Value: r.Capacity,
				Tip: fmt.Sprintf("%d capacity: %d", r.Year, r.Capacity)},
			ChartBar{Class: "participated", X: cx - pw/2, Y: base - ph, W: pw, H: ph, Value: r.Participated,
				Tip: fmt.Sprintf("%d participated: %s", r.Year, Budget(r.Participated, r.Capacity))})
		yearClass := "axis"
		if r.Year == highlight {
			yearClass = "axis current"
		}
		c.Labels = append(c.Labels,
			ChartLabel{X: cx, Y: base + 16, Anchor: "middle", Class: yearClass, Text: strconv.Itoa(r.Year)},
			ChartLabel{X: cx, Y: base - math.Max(ch, ph) - 5, Anchor: "middle", Class: "value", Text: strconv.Itoa(r.Participated)})
		if len(rows) <= 12 {
			c.Labels = append(c.Labels, ChartLabel{X: cx, Y: base + 30, Anchor: "middle", Class: "axis",
				Text: Percent(r.Utilisation, 0)})
		}
	}
	return c
}

// gridSteps are round values for gridlines up to max: at most five of them,
// a step of 1, 2, 2.5 or 5 times a power of ten, however large max is.
func gridSteps(maxV int) []int {
	if maxV <= 0 {
		return nil
	}
	step := 1
search:
	for mag := 1; ; mag *= 10 {
		steps := []int{mag, 2 * mag, 5 * mag}
		if mag >= 10 {
			steps = []int{mag, 2 * mag, mag * 5 / 2, 5 * mag} // 25, 250, 2500, …
		}
		for _, s := range steps {
			if step = s; maxV/s <= 5 {
				break search
			}
		}
		if mag > math.MaxInt/10 { // 5·10¹⁸ is the last step an int holds
			break
		}
	}
	out := make([]int, 0, 5)
	for i := 1; i <= maxV/step; i++ { // no v += step: it could overflow
		out = append(out, i*step)
	}
	return out
}

// BreakdownChart draws a breakdown as horizontal bars: a light bar for the
// nominations and a dark one over it for those who participated, on the
// scale of the largest nomination count.
func BreakdownChart(b figures.Breakdown) Chart {
	c := Chart{ID: "by-" + b.Dimension, Title: "Nominations and participation by " + b.Dimension, Width: chartWidth,
		Height: hbarTop + rowHeight*float64(len(b.Groups)) + 8}
	c.Legend = []ChartLegend{{X: hbarLabelW, Class: "nominations", Text: "nominated"}, {X: hbarLabelW + 110, Class: "participated", Text: "participated"}}
	maxV := 0
	for _, g := range b.Groups {
		maxV = max(maxV, g.Nominations)
	}
	if maxV == 0 {
		return c
	}
	plotW := chartWidth - hbarLabelW - hbarRightPad
	for i, g := range b.Groups {
		y := hbarTop + rowHeight*float64(i)
		nw := float64(g.Nominations) / float64(maxV) * plotW
		pw := float64(g.Participated) / float64(maxV) * plotW
		name := groupName(b.Dimension, g)
		c.Bars = append(c.Bars,
			ChartBar{Class: "nominations", X: hbarLabelW, Y: y, W: nw, H: rowBar, Value: g.Nominations,
				Tip: fmt.Sprintf("%s nominated: %d", name, g.Nominations)},
			ChartBar{Class: "participated", X: hbarLabelW, Y: y, W: pw, H: rowBar, Value: g.Participated,
				Tip: fmt.Sprintf("%s participated: %d", name, g.Participated)})
		c.Labels = append(c.Labels,
			ChartLabel{X: hbarLabelW - 8, Y: y + rowBar - 4, Anchor: "end", Class: "axis", Text: shorten(name, labelMax)},
			ChartLabel{X: hbarLabelW + nw + 6, Y: y + rowBar - 4, Anchor: "start", Class: "value",
				Text: fmt.Sprintf("%d of %d", g.Participated, g.Nominations)})
	}
	return c
}

// WomenChart draws women's share of each ministry's participants as
// horizontal bars on a 0–100 % scale: a light bar for all the ministry's
// participants, a dark one over it for the share who are women.
func WomenChart(w figures.Women) Chart {
	c := Chart{ID: "women-by-ministry", Title: "Women's share of participants by ministry", Width: chartWidth,
		Height: hbarTop + rowHeight*float64(len(w.ByMinistry)) + 8}
	c.Legend = []ChartLegend{{X: hbarLabelW, Class: "capacity", Text: "all participants"},
		{X: hbarLabelW + 140, Class: "participated", Text: "women"}}
	plotW := chartWidth - hbarLabelW - hbarRightPad
	for i, r := range w.ByMinistry {
		y := hbarTop + rowHeight*float64(i)
		share := 0.0
		if r.Share != nil {
			share = *r.Share
		}
		name := displayKey(figures.DimMinistry, r.Ministry)
		c.Bars = append(c.Bars,
			ChartBar{Class: "capacity", X: hbarLabelW, Y: y, W: plotW, H: rowBar, Value: r.AllParticipants,
				Tip: fmt.Sprintf("%s participants: %d", name, r.AllParticipants)},
			ChartBar{Class: "participated", X: hbarLabelW, Y: y, W: share * plotW, H: rowBar, Value: r.Participants,
				Tip: fmt.Sprintf("%s women: %d of %d (%s)", name, r.Participants, r.AllParticipants, Percent(r.Share, 1))})
		c.Labels = append(c.Labels,
			ChartLabel{X: hbarLabelW - 8, Y: y + rowBar - 4, Anchor: "end", Class: "axis", Text: shorten(name, labelMax)},
			ChartLabel{X: hbarLabelW + plotW + 6, Y: y + rowBar - 4, Anchor: "start", Class: "value",
				Text: fmt.Sprintf("%s (%d of %d)", Percent(r.Share, 0), r.Participants, r.AllParticipants)})
	}
	return c
}

// shorten cuts s to n characters with an ellipsis, for chart labels.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// htmlPage is what writeHTMLPage writes.
type htmlPage struct {
	Title    string
	Year     *figures.Year
	Trend    []figures.TrendRow
	Charts   []Chart
	Sections []htmlSection
	// Tables follow the breakdowns: women, repeats, costs.
	Tables []htmlTable
}

// htmlTable is a titled table whose cells are already text; Empty is
// shown instead of a table without rows.
type htmlTable struct {
	Title string
	Head  []htmlCell
	Rows  [][]htmlCell
	Empty string
}

// htmlCell is one cell; numbers are right-aligned.
type htmlCell struct {
	Text string
	Num  bool
}

// htmlTableOf lays out t (a table for people: percentages and amounts
// already formatted) for the page.
func htmlTableOf(title string, t *output.Tab, empty string) htmlTable {
	h := htmlTable{Title: title, Empty: empty}
	numeric := make([]bool, len(t.Columns))
	for _, row := range t.Rows {
		for i, v := range row {
			switch v.(type) {
			case int, int64, float64:
				numeric[i] = true
			}
		}
	}
	for i, c := range t.Columns {
		h.Head = append(h.Head, htmlCell{Text: strings.ReplaceAll(c, "_", " "), Num: numeric[i] || isAmountColumn(c)})
	}
	for _, row := range t.Rows {
		cells := make([]htmlCell, len(row))
		for i, v := range row {
			cells[i] = htmlCell{Text: output.Cell(v), Num: h.Head[i].Num}
		}
		h.Rows = append(h.Rows, cells)
	}
	return h
}

// isAmountColumn says whether a column of a table for people holds
// formatted numbers (amounts, shares, "2 of 6").
func isAmountColumn(c string) bool {
	return strings.HasPrefix(c, "committed_") || strings.HasPrefix(c, "participated_") || strings.HasSuffix(c, "_share")
}

type htmlSection struct {
	Title string
	Tab   breakdownView
}

// breakdownView is a breakdown as the HTML tables show it.
type breakdownView struct {
	Dimension string
	Course    bool
	Groups    []figures.Group
}

// WriteYearHTML writes the yearly report as one self-contained HTML page: inline
// CSS and SVG, no scripts, no external resources, fit to print.
func WriteYearHTML(w io.Writer, y *figures.Year) error {
	return writeHTMLPage(w, yearPage(y))
}

// yearPage lays out the yearly report's page.
func yearPage(y *figures.Year) htmlPage {
	p := htmlPage{Title: fmt.Sprintf("Participation %d", y.Year), Year: y, Trend: y.Trend}
	if len(y.Trend) > 0 {
		p.Charts = append(p.Charts, YearChart(y.Trend, y.Year))
	}
	for _, b := range []figures.Breakdown{y.ByMinistry, y.ByArea} {
		if len(b.Groups) > 0 {
			p.Charts = append(p.Charts, BreakdownChart(b))
		}
	}
	if len(y.Women.ByMinistry) > 0 {
		p.Charts = append(p.Charts, WomenChart(y.Women))
	}
	for _, b := range y.Breakdowns() {
		p.Sections = append(p.Sections, htmlSection{Title: dimensionTitle(b.Dimension),
			Tab: breakdownView{Dimension: b.Dimension, Course: b.Dimension == figures.DimCourse, Groups: b.Groups}})
	}
	for _, s := range yearPeopleAndCostSections(y) {
		p.Tables = append(p.Tables, htmlTableOf(s.title, s.tab, sentence(s.empty)))
	}
	return p
}

// WriteTrendHTML writes `report trend` as one self-contained HTML page.
func WriteTrendHTML(w io.Writer, rows []figures.TrendRow) error {
	return writeHTMLPage(w, trendPage(rows))
}

// trendPage lays out the page of `report trend`.
func trendPage(rows []figures.TrendRow) htmlPage {
	title := "Participation by year"
	if len(rows) > 0 {
		title = fmt.Sprintf("Participation by year, %d–%d", rows[0].Year, rows[len(rows)-1].Year)
	}
	p := htmlPage{Title: title, Trend: rows}
	if len(rows) > 0 {
		p.Charts = []Chart{YearChart(rows, 0)}
	}
	return p
}
