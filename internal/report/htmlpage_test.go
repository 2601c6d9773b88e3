package report

import (
	"bytes"
	"html/template"
	"math"
	"os"
	"strconv"
	"testing"

	"github.com/nomtrack/nomtrack/internal/figures"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// formerTemplate is the html/template that wrote the report page before
// writeHTMLPage (testdata/report.html.tmpl, with its functions): the
// reference the Go code must match byte for byte, escaping included.
func formerTemplate(tb testing.TB) *template.Template {
	tb.Helper()
	text, err := os.ReadFile("testdata/report.html.tmpl")
	if err != nil {
		tb.Fatal(err)
	}
	return template.Must(template.New("report").Funcs(template.FuncMap{
		"num":        func(f float64) string { return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64) },
		"pct":        func(f *float64) string { return Percent(f, 1) },
		"key":        displayKey,
		"group":      groupName,
		"plus":       func(a, b float64) float64 { return a + b },
		"statuses":   func() []string { return nomtrack.Statuses },
		"meterWidth": meterWidth,
	}).Parse(string(text)))
}

// hostile is text with every character html/template escapes, a NUL, a
// non-character, Arabic, and bytes that are not UTF-8.
const hostile = "<b>\"Ali\" & 'Sara'</b> + 1\x00 \ufdd0 علي \xff\xfe end"

func hostileYear() *figures.Year {
	f := func(v float64) *float64 { return &v }
	g := func(key, label string, n int) figures.Group {
		return figures.Group{Key: key, Label: label, Counts: figures.Counts{Nominations: n, Committed: n - 1, Participated: n / 2, NoShow: 1},
			Participants: n / 2}
	}
	return &figures.Year{Year: 2012, Capacity: 10, CapacitySource: "set", Nominations: 11, Committed: 6, Participated: 4,
		Participants: 3, NoShow: 1, Utilisation: f(0.4),
		ByStatus:   figures.StatusCounts{nomtrack.StatusApproved: 2, nomtrack.StatusAttended: 3},
		ByMinistry: figures.Breakdown{Dimension: figures.DimMinistry, Groups: []figures.Group{g(hostile, "", 5), g("", "", 3), {Key: figures.OtherKey, Folded: 4}}},
		ByArea:     figures.Breakdown{Dimension: figures.DimArea, Groups: []figures.Group{g("crisis-management", "", 2)}},
		ByCourse:   figures.Breakdown{Dimension: figures.DimCourse, Groups: []figures.Group{g("M5-106", hostile, 4)}},
		ByGender:   figures.Breakdown{Dimension: figures.DimGender, Groups: []figures.Group{g("", "", 1)}},
		Women: figures.Women{Participants: 2, Share: f(2.0 / 3), ByMinistry: []figures.WomenRow{
			{Ministry: hostile, Participants: 1, AllParticipants: 2, Share: f(0.5)}, {Ministry: "MoI", AllParticipants: 1}}},
		RepeatParticipants: 1,
		Repeats: []figures.RepeatRow{{PersonID: 7, Person: hostile, Ref: hostile, Ministry: "MoD", Participations: 2,
			Courses: []figures.RepeatCourse{{Offering: hostile, Course: "M5-106", Title: hostile, Start: "2012-03-05"}}}},
		Trend: []figures.TrendRow{{Year: 2011, Capacity: 8, Participated: 9, Utilisation: f(9.0 / 8)},
			{Year: 2012, Capacity: 10, Participated: 4, Utilisation: f(0.4)}, {Year: 2013}},
	}
}

func TestHTMLPageAsTheTemplateWrote(t *testing.T) {
	tmpl := formerTemplate(t)
	empty := &figures.Year{Year: 2030, CapacitySource: "config"}
	pages := map[string]htmlPage{
		"year":       yearPage(hostileYear()),
		"empty year": yearPage(empty),
		"trend":      trendPage(hostileYear().Trend),
		"no trend":   trendPage(nil),
		"hostile by itself": {Title: hostile, Charts: []Chart{{ID: hostile, Title: hostile, Width: 10.06, Height: -3,
			Bars:      []ChartBar{{Class: hostile, X: 1.25, Y: -0.04, W: 3, H: 4, Value: -7, Tip: hostile}},
			Labels:    []ChartLabel{{X: 1, Y: 2, Anchor: hostile, Class: hostile, Text: hostile}},
			Legend:    []ChartLegend{{X: 5, Class: hostile, Text: hostile}},
			Gridlines: []ChartLabel{{X: 2, Y: 3, Anchor: hostile, Text: hostile}}}},
			Tables: []htmlTable{{Title: hostile, Head: []htmlCell{{Text: hostile, Num: true}, {Text: "b"}},
				Rows: [][]htmlCell{{{Text: hostile, Num: true}, {Text: hostile}}}}, {Title: "none", Empty: hostile}}},
	}
	for name, p := range pages {
		var want, got bytes.Buffer
		if err := tmpl.Execute(&want, p); err != nil {
			t.Fatalf("%s: the former template: %v", name, err)
		}
		if err := writeHTMLPage(&got, p); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			g, w := got.String(), want.String()
			i := 0
			for i < len(g) && i < len(w) && g[i] == w[i] {
				i++
			}
			t.Errorf("%s: the page differs from the former template's at byte %d:\n got %q\nwant %q", name, i,
				g[max(0, i-80):min(len(g), i+80)], w[max(0, i-80):min(len(w), i+80)])
		}
	}
}
