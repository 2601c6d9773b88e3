package report_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nomtrack/nomtrack/internal/figures"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/output"
	"github.com/nomtrack/nomtrack/internal/report"
	"github.com/xuri/excelize/v2"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func ptr[T any](v T) *T { return &v }

func group(key string, n, c, p, ns, pp int) figures.Group {
	return figures.Group{Key: key, Counts: figures.Counts{Nominations: n, Committed: c, Participated: p, NoShow: ns},
		Participants: pp}
}

func fees(cents int64, n, unknown int) figures.Fees {
	return figures.Fees{Cents: cents, Nominations: n, UnknownFee: unknown}
}

// MustYear is the 2012 report of the store's fixture (internal/store
// report_test.go, where every figure is computed by hand), with a three-year
// trend and a course title holding an ampersand.
func MustYear(tb testing.TB) *figures.Year {
	tb.Helper()
	course := func(key, title string, n, c, p, ns, pp int) figures.Group {
		g := group(key, n, c, p, ns, pp)
		g.Label = title
		return g
	}
	return &figures.Year{
		Year: 2012, Capacity: 10, CapacitySource: figures.CapacitySet,
		Nominations: 11, Committed: 6, Participated: 4, Participants: 3, NoShow: 1, Utilisation: ptr(0.4),
		ByStatus: figures.StatusCounts{"nominated": 1, "approved": 1, "confirmed": 1, "attended": 2, "completed": 2,
			"declined": 1, "withdrawn": 1, "cancelled": 1, "no-show": 1},
		ByMinistry: figures.Breakdown{Dimension: "ministry", Groups: []figures.Group{
			group("MoI", 5, 2, 1, 0, 1), group("MoD", 4, 3, 2, 1, 1), group("NSA", 2, 1, 1, 0, 1)}},
		ByArea: figures.Breakdown{Dimension: "area", Groups: []figures.Group{
			group("counter-terrorism", 5, 2, 2, 1, 2), group("crisis-management", 3, 2, 1, 0, 1),
			group("energy-security", 3, 2, 1, 0, 1)}},
		ByCourse: figures.Breakdown{Dimension: "course", Groups: []figures.Group{
			course("M5-106", "Counter-Terrorism Awareness", 5, 2, 2, 1, 2),
			course("EN-1", "Energy Security & Resilience", 3, 2, 1, 0, 1),
			course("ETE-10", "Crisis Management", 3, 2, 1, 0, 1)}},
		ByProvider: figures.Breakdown{Dimension: "provider", Groups: []figures.Group{
			group("NATO School", 8, 4, 3, 1, 3), group("NDC", 3, 2, 1, 0, 1)}},
		ByMonth: figures.Breakdown{Dimension: "month", Groups: []figures.Group{
			group("2012-03", 5, 2, 2, 1, 2), group("2012-06", 3, 2, 1, 0, 1), group("2012-11", 3, 2, 1, 0, 1)}},
		ByGender: figures.Breakdown{Dimension: "gender", Groups: []figures.Group{
			group("F", 5, 3, 2, 0, 2), group("M", 4, 3, 2, 1, 1), group("", 2, 0, 0, 0, 0)}},
		RepeatParticipants: 1,
		Women: figures.Women{Participants: 2, Share: ptr(2.0 / 3), ByMinistry: []figures.WomenRow{
			{Ministry: "MoI", Participants: 1, AllParticipants: 1, Share: ptr(1.0)},
			{Ministry: "MoD", Participants: 0, AllParticipants: 1, Share: ptr(0.0)},
			{Ministry: "NSA", Participants: 1, AllParticipants: 1, Share: ptr(1.0)}}},
		Cost: figures.Cost{Currency: "EUR", Committed: fees(410100, 6, 2), Participated: fees(325050, 4, 1),
			ByFunding: figures.CostBreakdown{Dimension: "funding", Rows: []figures.CostRow{
				{Key: "nato", Committed: fees(240000, 2, 0), Participated: fees(240000, 2, 0)},
				{Key: "national", Committed: fees(85050, 2, 1), Participated: fees(0, 1, 1)},
				{Key: "host"}, {Key: "other"},
				{Key: "unknown", Committed: fees(85050, 2, 1), Participated: fees(85050, 1, 0)}}},
			ByMinistry: figures.CostBreakdown{Dimension: "ministry", Rows: []figures.CostRow{
				{Key: "MoD", Committed: fees(205050, 3, 1), Participated: fees(120000, 2, 1)},
				{Key: "MoI", Committed: fees(120000, 2, 1), Participated: fees(120000, 1, 0)},
				{Key: "NSA", Committed: fees(85050, 1, 0), Participated: fees(85050, 1, 0)}}}},
		Repeats: []figures.RepeatRow{{PersonID: 1, Person: "Ali", Ref: "A1", Ministry: "MoD", Participations: 2,
			Courses: []figures.RepeatCourse{
				{Offering: "M5-106@2012-03-05", Course: "M5-106", Title: "Counter-Terrorism Awareness", Start: "2012-03-05", Status: "completed"},
				{Offering: "ETE-10@2012-06-11", Course: "ETE-10", Title: "Crisis Management", Start: "2012-06-11", Status: "attended"}}}},
		Trend: MustTrend(tb),
	}
}

// MustTrend is the fixture's 2011-2013 trend: capacity 8 and 10 set for
// 2011 and 2012, the 12-seat default in 2013 (over capacity in 2011).
func MustTrend(tb testing.TB) []figures.TrendRow {
	tb.Helper()
	return []figures.TrendRow{
		{Year: 2011, Capacity: 8, CapacitySource: "set", Nominations: 12, Committed: 10, Participated: 9, Participants: 9, Utilisation: ptr(1.125)},
		{Year: 2012, Capacity: 10, CapacitySource: "set", Nominations: 11, Committed: 6, Participated: 4, Participants: 3, Utilisation: ptr(0.4)},
		{Year: 2013, Capacity: 12, CapacitySource: "default", Nominations: 2, Committed: 1, Participated: 1, Participants: 1, Utilisation: ptr(1.0 / 12)},
	}
}

// MustRender renders doc in format as a command would print it.
func MustRender(tb testing.TB, doc output.Doc, format string) []byte {
	tb.Helper()
	var buf bytes.Buffer
	s := &output.Streams{Out: &buf}
	if err := output.Write(s, output.Options{Format: format}, report.RichFormats, doc); err != nil {
		tb.Fatalf("render %s: %v", format, err)
	}
	return buf.Bytes()
}

// MustMatchGolden compares got with testdata/name, rewriting it with -update.
func MustMatchGolden(tb testing.TB, name string, got []byte) {
	tb.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test ./internal/report -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		tb.Errorf("%s differs from the golden file (-want +got):\n%s", name, diff)
	}
}

func TestRenderingsMatchGoldenFiles(t *testing.T) {
	year := MustYear(t)
	docs := map[string]output.Doc{
		"year":      report.YearDoc(year),
		"trend":     report.TrendDoc(MustTrend(t)),
		"demand":    report.DemandDoc(demandRows),
		"offerings": report.OfferingsDoc(offeringRows),
		"upcoming":  report.UpcomingDoc(upcomingRows),
		"pending": report.PendingDoc([]figures.PendingRow{
			{Kind: "attendance", Offering: "ETE-10@2026-11-02", Nomination: 4, Person: "A1", Name: "Ali", Since: "2026-11-06",
				Action: "nomtrack nomination attend 4 (or no-show 4)"},
			{Kind: "adl", Offering: "M5-106@2027-01-11", Nomination: 9, Person: "5", Name: "Huda", Since: "2027-01-11",
				Action: "nomtrack nomination edit 9 --adl DATE"},
		}),
		"person": report.PersonDoc(personReport),
		"repeat": report.RepeatDoc(year.Repeats),
		"costs":  report.CostsDoc(costsReport),
		"eligibility": report.EligibilityDoc([]figures.EligibilityRow{{NominationID: 2, PersonID: 2, PersonRef: "B2",
			Name: "Sara", Ministry: "MoI", Offering: "M5-106@2012-03-05", Course: "M5-106", Role: "principal",
			Status: "attended", English: "2121", RankCode: "OF-1", MinEnglish: "2222", MinRank: "OF-2",
			Gaps: nomtrack.Eligibility(nomtrack.Person{English: "2121", RankCode: "OF-1"},
				nomtrack.Course{MinEnglish: "2222", MinRank: "OF-2"})}}),
	}
	formats := []string{output.Table, output.MD, output.CSV, output.JSON}
	for name, doc := range docs {
		for _, f := range formats {
			t.Run(name+"_"+f, func(t *testing.T) {
				MustMatchGolden(t, name+"."+f+".golden", MustRender(t, doc, f))
			})
		}
	}
	for name, doc := range map[string]output.Doc{"year": report.YearDoc(year), "trend": report.TrendDoc(MustTrend(t))} {
		t.Run(name+"_html", func(t *testing.T) {
			MustMatchGolden(t, name+".html.golden", MustRender(t, doc, output.HTML))
		})
		t.Run(name+"_xlsx", func(t *testing.T) {
			MustMatchGolden(t, name+".xlsx.golden", MustXLSXDump(t, MustRender(t, doc, output.XLSX)))
		})
	}
}

// MustXLSXDump is a workbook as reviewable text: each sheet's cells as
// stored (raw numbers, tab-separated) with the number format of percentage
// cells, then the series of each chart.
func MustXLSXDump(tb testing.TB, data []byte) []byte {
	tb.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			tb.Fatal(err)
		}
		b.WriteString("== " + sheet + "\n")
		for r, row := range rows {
			for c, v := range row {
				if c > 0 {
					b.WriteByte('\t')
				}
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if id, _ := f.GetCellStyle(sheet, cell); id != 0 {
					if st, err := f.GetStyle(id); err == nil && st.NumFmt == 10 {
						v += " [shown as 0.00%]"
					}
				}
				b.WriteString(v)
			}
			b.WriteByte('\n')
		}
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		tb.Fatal(err)
	}
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/charts/chart") {
			continue
		}
		body := MustZipPart(tb, data, zf.Name)
		var c chartXML
		if err := xml.Unmarshal([]byte(body), &c); err != nil {
			tb.Fatal(err)
		}
		b.WriteString("== " + zf.Name + "\n")
		for _, s := range c.Series {
			b.WriteString(s.Name + "\t" + s.Cats + "\t" + s.Values + "\n")
		}
	}
	return []byte(b.String())
}

var demandRows = &figures.Demand{Year: 2012,
	Rows: []figures.DemandRow{
		{Ministry: "MoD", Area: "counter-terrorism", Requested: ptr(4), Nominations: 2, Committed: 1, Participated: 1, FillRate: ptr(0.25)},
		{Ministry: "MoD", Area: "crisis-management", Nominations: 1, Committed: 1, Participated: 1},
		{Ministry: "MoI", Area: "defence-education", Requested: ptr(2), FillRate: ptr(0.0)},
	},
	ByMinistry: []figures.DemandRow{
		{Ministry: "MoD", Requested: ptr(4), Nominations: 3, Committed: 2, Participated: 2, FillRate: ptr(0.5)},
		{Ministry: "MoI", Requested: ptr(2), FillRate: ptr(0.0)},
	},
	Total: figures.DemandRow{Requested: ptr(6), Nominations: 3, Committed: 2, Participated: 2, FillRate: ptr(1.0 / 3)},
}

// costsReport is the fixture's 2012 costs (as MustYear's cost), with the
// crisis-management offering of unknown fee.
var costsReport = &figures.Costs{Year: 2012, Currency: "EUR",
	Committed: fees(410100, 6, 2), Participated: fees(325050, 4, 1),
	ByFunding: figures.CostBreakdown{Dimension: "funding", Rows: []figures.CostRow{
		{Key: "nato", Committed: fees(240000, 2, 0), Participated: fees(240000, 2, 0)},
		{Key: "national", Committed: fees(85050, 2, 1), Participated: fees(0, 1, 1)},
		{Key: "host"}, {Key: "other"},
		{Key: "unknown", Committed: fees(85050, 2, 1), Participated: fees(85050, 1, 0)}}},
	ByMinistry: figures.CostBreakdown{Dimension: "ministry", Rows: []figures.CostRow{
		{Key: "MoD", Committed: fees(205050, 3, 1), Participated: fees(120000, 2, 1)},
		{Key: "MoI", Committed: fees(120000, 2, 1), Participated: fees(120000, 1, 0)},
		{Key: "NSA", Committed: fees(85050, 1, 0), Participated: fees(85050, 1, 0)}}},
	ByArea: figures.CostBreakdown{Dimension: "area", Rows: []figures.CostRow{
		{Key: "counter-terrorism", Committed: fees(240000, 2, 0), Participated: fees(240000, 2, 0)},
		{Key: "energy-security", Committed: fees(170100, 2, 0), Participated: fees(85050, 1, 0)},
		{Key: "crisis-management", Committed: fees(0, 2, 2), Participated: fees(0, 1, 1)}}},
	ByProvider: figures.CostBreakdown{Dimension: "provider", Rows: []figures.CostRow{
		{Key: "NATO School", Committed: fees(410100, 4, 0), Participated: fees(325050, 3, 0)},
		{Key: "NDC", Committed: fees(0, 2, 2), Participated: fees(0, 1, 1)}}},
	UnknownFees: []figures.UnknownFeeRow{{Offering: "ETE-10@2012-06-11", Course: "ETE-10", Title: "Crisis Management",
		Provider: "NDC", Start: "2012-06-11", Committed: 2, Participated: 1}},
}

var offeringRows = []figures.OfferingRow{
	{Ref: "M5-106@2012-03-05", Course: "M5-106", Title: "Counter-Terrorism Awareness", Area: "counter-terrorism",
		Start: "2012-03-05", Seats: ptr(4), Status: "open", Nominations: 5, Committed: 2, Participated: 2,
		Alternates: 1, NoShows: 1, FillRate: ptr(0.5)},
	{Ref: "EN-1@2012-11-19", Course: "EN-1", Title: "Energy Security", Area: "energy-security",
		Start: "2012-11-19", Status: "open", Nominations: 3, Committed: 2, Participated: 1, Alternates: 1},
}

var upcomingRows = []figures.UpcomingRow{
	{Ref: "ETE-10@2026-12-07", Course: "ETE-10", Title: "Crisis Management", Start: "2026-12-07", Deadline: "2026-11-20",
		DaysToDeadline: ptr(-8), DaysToStart: 9, Seats: ptr(2), Committed: 1, OpenSeats: ptr(1), AwaitingApproval: 1, Alternates: 1},
	{Ref: "M5-106@2027-01-04", Course: "M5-106", Title: "Counter-Terrorism Awareness", Start: "2027-01-04", DaysToStart: 37},
}

var personReport = &figures.Person{ID: 2, Ref: "B2", Name: "Sara", NameAr: "سارة", Ministry: "MoI", RankCode: "OF-1",
	Gender: "F", English: "2121", Totals: figures.Counts{Nominations: 2, Committed: 2, Participated: 1},
	Nominations: []figures.PersonCourse{
		{NominationID: 12, Offering: "ETE-10@2011-12-31", Course: "ETE-10", Title: "Crisis Management", Area: "crisis-management",
			Provider: "NDC", Start: "2011-12-31", Role: "principal", Status: "completed"},
		{NominationID: 7, Offering: "ETE-10@2012-06-11", Course: "ETE-10", Title: "Crisis Management", Area: "crisis-management",
			Provider: "NDC", Start: "2012-06-11", Role: "principal", Status: "approved"},
	}}

func TestYearJSONHasEveryStatusAndKeyedBreakdowns(t *testing.T) {
	y := MustYear(t)
	y.ByStatus = figures.StatusCounts{"completed": 3}
	var got map[string]any
	if err := json.Unmarshal(MustRender(t, report.YearDoc(y), output.JSON), &got); err != nil {
		t.Fatal(err)
	}
	status := got["by_status"].(map[string]any)
	for _, st := range nomtrack.Statuses {
		if _, ok := status[st]; !ok {
			t.Errorf("by_status lacks %q: %v", st, status)
		}
	}
	if status["completed"] != 3.0 || status["no-show"] != 0.0 {
		t.Errorf("by_status = %v", status)
	}
	if got["utilisation"] != 0.4 {
		t.Errorf("utilisation = %v, want the raw fraction 0.4", got["utilisation"])
	}
	for _, key := range []string{"year", "capacity", "nominations", "committed", "participated", "participants"} {
		if _, ok := got[key].(float64); !ok {
			t.Errorf("%s = %v, want a number", key, got[key])
		}
	}
	first := got["by_ministry"].([]any)[0].(map[string]any)
	if diff := cmp.Diff(map[string]any{"ministry": "MoI", "nominations": 5.0, "committed": 2.0, "participated": 1.0, "participants": 1.0, "no_show": 0.0}, first); diff != "" {
		t.Errorf("by_ministry[0] (-want +got):\n%s", diff)
	}
	month := got["by_month"].([]any)[0].(map[string]any)
	if month["month"] != "2012-03" {
		t.Errorf("by_month[0] = %v", month)
	}
	if _, ok := got["trend"]; ok {
		t.Error("the chart's trend leaked into the JSON")
	}
	empty := &figures.Year{Year: 2020, ByMinistry: figures.Breakdown{Dimension: "ministry"}}
	if out := string(MustRender(t, report.YearDoc(empty), output.JSON)); !strings.Contains(out, `"by_ministry": []`) {
		t.Errorf("an empty breakdown should print [], got:\n%s", out)
	}
}

func TestTableHeadlineShowsBudgetBar(t *testing.T) {
	out := string(MustRender(t, report.YearDoc(MustYear(t)), output.Table))
	first := strings.SplitN(out, "\n", 3)
	if first[0] != "Participation 2012: 4 / 10 (40.0%)" {
		t.Errorf("headline = %q", first[0])
	}
	if want := strings.Repeat("█", 16) + strings.Repeat("░", 24) + "  4 [40% of 10]"; first[1] != want {
		t.Errorf("bar line = %q, want %q", first[1], want)
	}
}

func TestBar(t *testing.T) {
	for _, tc := range []struct {
		share float64
		want  string
	}{
		{0, "░░░░░░░░░░"}, {0.5, "█████░░░░░"}, {0.84, "████████░░"}, {1, "██████████"},
		{1.3, "██████████"}, {-1, "░░░░░░░░░░"}, {math.NaN(), "░░░░░░░░░░"},
	} {
		if got := report.Bar(tc.share, 10); got != tc.want {
			t.Errorf("Bar(%v) = %q, want %q", tc.share, got, tc.want)
		}
	}
	if got := report.Budget(412, 500); got != "412 [82% of 500]" {
		t.Errorf("Budget = %q", got)
	}
	if got := report.Budget(3, 0); got != "3 [–% of 0]" && got != "3 [– of 0]" {
		t.Errorf("Budget over zero capacity = %q", got)
	}
}

func TestCSVCarriesRawNumbers(t *testing.T) {
	out := string(MustRender(t, report.YearDoc(MustYear(t)), output.CSV))
	lines := strings.Split(out, "\n")
	if lines[0] != "year,dimension,key,title,nominations,committed,participated,no_show,participants,capacity,utilisation,"+
		"repeat_participants,women,women_share,committed_fees,committed_unknown_fee,participated_fees,participated_unknown_fee" {
		t.Errorf("header = %q", lines[0])
	}
	if lines[1] != "2012,total,2012,,11,6,4,1,3,10,0.4,1,2,0.6666666666666666,4101,2,3250.5,1" {
		t.Errorf("total row = %q", lines[1])
	}
	if !strings.Contains(out, "\n2012,ministry,MoD,,4,3,2,1,1,,,,0,0,2050.5,1,1200,1\n") {
		t.Errorf("a ministry row should carry its participants, women and fees:\n%s", out)
	}
	if !strings.Contains(out, "\n2012,funding,national,,,2,1,,,,,,,,850.5,1,,1\n") {
		t.Errorf("a funding row should carry its fees, the unknown ones apart:\n%s", out)
	}
	if !strings.Contains(out, "\n2012,gender,,,2,0,0,0,0,,,,,,,,,\n") {
		t.Errorf("a blank gender should stay blank in CSV:\n%s", out)
	}
	demand := string(MustRender(t, report.DemandDoc(demandRows), output.CSV))
	if !strings.Contains(demand, "area,MoD,counter-terrorism,4,2,1,1,0.25\n") || !strings.Contains(demand, "area,MoD,crisis-management,,1,1,1,\n") ||
		!strings.Contains(demand, "ministry,MoD,,4,3,2,2,0.5\n") || !strings.Contains(demand, "total,,,6,3,2,2,0.3333333333333333\n") {
		t.Errorf("demand CSV should carry 0.25 and an empty rate without a request:\n%s", demand)
	}
}

// svgRect is a <rect> of a chart, read back from the HTML.
type svgRect struct {
	Class  string  `xml:"class,attr"`
	X      float64 `xml:"x,attr"`
	Y      float64 `xml:"y,attr"`
	W      float64 `xml:"width,attr"`
	H      float64 `xml:"height,attr"`
	Value  string  `xml:"data-value,attr"`
	Title  string  `xml:"title"`
	hasBar bool
}

type svgDoc struct {
	Rects []svgRect `xml:"rect"`
	Texts []string  `xml:"text"`
}

// MustCharts parses every inline <svg> of page with encoding/xml (the
// fragments are well-formed XML) and returns them by their figure id.
func MustCharts(tb testing.TB, page string) map[string]svgDoc {
	tb.Helper()
	charts := map[string]svgDoc{}
	re := regexp.MustCompile(`(?s)<figure id="([^"]+)">.*?(<svg.*?</svg>)`)
	for _, m := range re.FindAllStringSubmatch(page, -1) {
		var d svgDoc
		if err := xml.Unmarshal([]byte(m[2]), &d); err != nil {
			tb.Fatalf("chart %s is not well-formed: %v", m[1], err)
		}
		charts[m[1]] = d
	}
	return charts
}

// bars keeps the rects of class "bar <kind>".
func bars(d svgDoc, kind string) []svgRect {
	var out []svgRect
	for _, r := range d.Rects {
		if r.Class == "bar "+kind {
			out = append(out, r)
		}
	}
	return out
}

// checkProportional checks that length(r)/value is one constant for every
// bar (a shared scale), allowing for the 0.1-unit rounding of the markup,
// and that the largest value reaches full.
func checkProportional(t *testing.T, name string, rs []svgRect, length func(svgRect) float64, full float64) {
	t.Helper()
	scale := 0.0
	for _, r := range rs {
		v, _ := strconv.ParseFloat(r.Value, 64)
		if v == 0 {
			if length(r) != 0 {
				t.Errorf("%s: a zero bar has length %v", name, length(r))
			}
			continue
		}
		s := length(r) / v
		if scale == 0 {
			scale = s
		}
		if math.Abs(length(r)-v*scale) > 0.15 {
			t.Errorf("%s: bar %q is %v long for %v; others are %v per unit", name, r.Title, length(r), v, scale)
		}
	}
	maxLen := 0.0
	for _, r := range rs {
		maxLen = math.Max(maxLen, length(r))
	}
	if math.Abs(maxLen-full) > 0.15 {
		t.Errorf("%s: the longest bar is %v, want the full %v", name, maxLen, full)
	}
}

func TestHTMLChartsAreProportional(t *testing.T) {
	page := string(MustRender(t, report.YearDoc(MustYear(t)), output.HTML))
	charts := MustCharts(t, page)
	if len(charts) != 4 {
		t.Fatalf("charts = %d (%v), want by-year, by-ministry, by-area, women-by-ministry", len(charts), charts)
	}

	// By year: capacity 8, 10, 12 and participated 9, 4, 1 share one scale
	// whose top (12) is the plot height, 220.
	years := charts["by-year"]
	all := append(bars(years, "capacity"), bars(years, "participated")...)
	if len(all) != 6 {
		t.Fatalf("by-year bars = %d, want 6", len(all))
	}
	height := func(r svgRect) float64 { return r.H }
	checkProportional(t, "by-year", all, height, 220)
	for _, r := range all {
		if math.Abs(r.Y+r.H-260) > 0.15 {
			t.Errorf("by-year bar %q does not stand on the baseline: y %v + h %v", r.Title, r.Y, r.H)
		}
	}
	// 2011 was over capacity: its participation bar is the taller.
	if c, p := bars(years, "capacity")[0], bars(years, "participated")[0]; p.H <= c.H {
		t.Errorf("2011: participated bar %v should exceed capacity bar %v", p.H, c.H)
	}

	// By ministry: nominations 5, 4, 2 and participated 1, 2, 1 on the scale
	// of 5 = the plot width, 460.
	width := func(r svgRect) float64 { return r.W }
	ministry := charts["by-ministry"]
	checkProportional(t, "by-ministry", append(bars(ministry, "nominations"), bars(ministry, "participated")...), width, 460)
	if got := bars(ministry, "participated")[1]; got.Value != "2" || math.Abs(got.W-184) > 0.15 {
		t.Errorf("MoD participated bar = %+v, want 2 → 184", got)
	}
	area := charts["by-area"]
	if n := len(bars(area, "nominations")); n != 3 {
		t.Errorf("by-area bars = %d, want 3", n)
	}
	checkProportional(t, "by-area", append(bars(area, "nominations"), bars(area, "participated")...), width, 460)

	// Women's share: the light bar is every participant of the ministry
	// (the full 460), the dark one the share who are women: MoI 1 of 1,
	// MoD 0 of 1, NSA 1 of 1.
	women := charts["women-by-ministry"]
	var shares []float64
	for _, r := range bars(women, "participated") {
		shares = append(shares, r.W)
	}
	if diff := cmp.Diff([]float64{460, 0, 460}, shares); diff != "" {
		t.Errorf("women's share bars (-want +got):\n%s", diff)
	}
	for _, r := range bars(women, "capacity") {
		if r.W != 460 {
			t.Errorf("a ministry's participants bar is %v wide, want the full 460", r.W)
		}
	}
}

func TestHTMLOfAnEmptyYearDrawsOnlyTheYearChart(t *testing.T) {
	y := &figures.Year{Year: 2030, Capacity: 500, CapacitySource: "default", Utilisation: ptr(0.0),
		ByStatus: figures.StatusCounts{}, ByMinistry: figures.Breakdown{Dimension: "ministry"}, ByArea: figures.Breakdown{Dimension: "area"},
		Trend: []figures.TrendRow{{Year: 2030, Capacity: 500, Utilisation: ptr(0.0)}}}
	page := string(MustRender(t, report.YearDoc(y), output.HTML))
	charts := MustCharts(t, page)
	if _, ok := charts["by-year"]; !ok || len(charts) != 1 {
		t.Errorf("charts of an empty year = %v, want only by-year", charts)
	}
	if n := len(bars(charts["by-year"], "participated")); n != 1 {
		t.Errorf("by-year participated bars = %d, want 1", n)
	}
	if !strings.Contains(page, "No nominations.") {
		t.Error("the empty sections do not say so")
	}
}

func TestHTMLIsSelfContainedAndEscaped(t *testing.T) {
	y := MustYear(t)
	y.ByMinistry.Groups[0].Key = `<script>alert("x")</script> & Co`
	page := string(MustRender(t, report.YearDoc(y), output.HTML))
	for _, bad := range []string{"<script", "src=", "href=", "url(", "@import", "<link"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	if strings.Count(page, "http") != strings.Count(page, `xmlns="http://www.w3.org/2000/svg"`) {
		t.Error("the page refers to a network address other than the SVG namespace")
	}
	if !strings.Contains(page, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co") {
		t.Error("a ministry name was not escaped")
	}
	if !strings.Contains(page, "@media print") {
		t.Error("no print styles")
	}
	MustCharts(t, page) // still well-formed with the hostile name
}

func TestXLSXHasSheetsNumbersAndChart(t *testing.T) {
	data := MustRender(t, report.YearDoc(MustYear(t)), output.XLSX)
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := []string{"Summary", "Status", "Ministry", "Area", "Course", "Provider", "Month", "Gender", "Women",
		"Repeats", "Costs", "Years"}
	if diff := cmp.Diff(want, f.GetSheetList()); diff != "" {
		t.Errorf("sheets (-want +got):\n%s", diff)
	}
	number := func(sheet, cell string, want float64) {
		t.Helper()
		typ, err := f.GetCellType(sheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("%s!%s is stored as type %v, want a number", sheet, cell, typ)
		}
		raw, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
		if got, err := strconv.ParseFloat(raw, 64); err != nil || got != want {
			t.Errorf("%s!%s = %q, want %v", sheet, cell, raw, want)
		}
	}
	number("Summary", "B3", 10)   // capacity
	number("Summary", "B10", 0.4) // utilisation, raw (shown as a percentage)
	number("Ministry", "B2", 5)   // MoI nominations
	number("Course", "D3", 2)     // EN-1 committed (after the title column)
	number("Years", "E2", 9)      // 2011 participated
	number("Years", "G2", 1.125)  // 2011 utilisation
	number("Ministry", "E3", 1)   // MoD participants: Ali twice, one person
	number("Women", "D2", 1)      // MoI women's share
	number("Costs", "C2", 2400)   // NATO-funded committed fees
	number("Costs", "E3", 1)      // national: one committed nomination of unknown fee
	if v, _ := f.GetCellValue("Costs", "F3"); v != "" {
		t.Errorf("Costs!F3 (national participated, no fee known) = %q, want an empty cell, not 0", v)
	}
	if v, _ := f.GetCellValue("Repeats", "E2"); v != "M5-106 2012-03-05, ETE-10 2012-06-11" {
		t.Errorf("Repeats!E2 = %q", v)
	}
	if v, _ := f.GetCellValue("Ministry", "A2"); v != "MoI" {
		t.Errorf("Ministry!A2 = %q", v)
	}
	if v, _ := f.GetCellValue("Summary", "B10"); v != "40.00%" {
		t.Errorf("utilisation is displayed as %q, want 40.00%%", v)
	}

	chart := MustChartXML(t, data)
	if chart.BarDir.Val != "col" || len(chart.Series) != 2 {
		t.Fatalf("chart = %+v, want a column chart with two series", chart)
	}
	for i, want := range []struct{ name, values string }{
		{"Years!$B$1", "Years!$B$2:$B$4"}, {"Years!$E$1", "Years!$E$2:$E$4"},
	} {
		s := chart.Series[i]
		if s.Name != want.name || s.Values != want.values || s.Cats != "Years!$A$2:$A$4" {
			t.Errorf("series %d = %+v, want %s over %s by Years!$A$2:$A$4", i, s, want.name, want.values)
		}
	}
}

// chartXML is what the test reads of xl/charts/chart1.xml; element names
// are matched without their namespace.
type chartXML struct {
	BarDir struct {
		Val string `xml:"val,attr"`
	} `xml:"chart>plotArea>barChart>barDir"`
	Series []struct {
		Name   string `xml:"tx>strRef>f"`
		Cats   string `xml:"cat>strRef>f"`
		Values string `xml:"val>numRef>f"`
	} `xml:"chart>plotArea>barChart>ser"`
}

// MustChartXML reads the first chart part of an XLSX file.
func MustChartXML(tb testing.TB, data []byte) chartXML {
	tb.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		tb.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name != "xl/charts/chart1.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			tb.Fatal(err)
		}
		defer rc.Close()
		body, _ := io.ReadAll(rc)
		var c chartXML
		if err := xml.Unmarshal(body, &c); err != nil {
			tb.Fatal(err)
		}
		return c
	}
	tb.Fatal("the workbook has no chart")
	return chartXML{}
}

func TestTrendXLSXHasChartAndRawUtilisation(t *testing.T) {
	data := MustRender(t, report.TrendDoc(MustTrend(t)), output.XLSX)
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if diff := cmp.Diff([]string{"Years"}, f.GetSheetList()); diff != "" {
		t.Errorf("sheets (-want +got):\n%s", diff)
	}
	raw, _ := f.GetCellValue("Years", "G3", excelize.Options{RawCellValue: true})
	if raw != "0.4" {
		t.Errorf("2012 utilisation = %q, want 0.4", raw)
	}
	if c := MustChartXML(t, data); len(c.Series) != 2 {
		t.Errorf("trend chart series = %d, want 2", len(c.Series))
	}
}

func TestXLSXHeadersBoldFrozenAndColumnsWide(t *testing.T) {
	data := MustRender(t, report.YearDoc(MustYear(t)), output.XLSX)
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		id, _ := f.GetCellStyle(sheet, "A1")
		if s, err := f.GetStyle(id); err != nil || s.Font == nil || !s.Font.Bold {
			t.Errorf("%s!A1 is not bold", sheet)
		}
		if p, _ := f.GetPanes(sheet); !p.Freeze || p.YSplit != 1 {
			t.Errorf("%s: panes %+v, want the header row frozen", sheet, p)
		}
		if w, _ := f.GetColWidth(sheet, "B"); w != 14 {
			t.Errorf("%s column B is %v wide, want 14", sheet, w)
		}
	}
	for _, cell := range []string{"G2", "G3", "G4"} {
		id, _ := f.GetCellStyle("Years", cell)
		if s, err := f.GetStyle(id); err != nil || s.NumFmt != 10 {
			t.Errorf("Years!%s is not shown as a percentage (0.00%%)", cell)
		}
	}
	// The chart hangs from the Summary sheet (the first), at D2.
	if rels := MustZipPart(t, data, "xl/worksheets/_rels/sheet1.xml.rels"); !strings.Contains(rels, "drawings/drawing1.xml") {
		t.Errorf("Summary does not hold the drawing: %s", rels)
	}
	if d := MustZipPart(t, data, "xl/drawings/drawing1.xml"); !strings.Contains(d, "<xdr:from><xdr:col>3</xdr:col>") ||
		!strings.Contains(d, "<xdr:row>1</xdr:row>") {
		t.Errorf("the chart is not anchored at D2: %s", d)
	}
}

// MustZipPart returns one part of an XLSX file as text.
func MustZipPart(tb testing.TB, data []byte, name string) string {
	tb.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		tb.Fatal(err)
	}
	rc, err := zr.Open(name)
	if err != nil {
		tb.Fatal(err)
	}
	defer rc.Close()
	body, err := io.ReadAll(rc)
	if err != nil {
		tb.Fatal(err)
	}
	return string(body)
}
