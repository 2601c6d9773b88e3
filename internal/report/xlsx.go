package report

import (
	"io"

	"github.com/nomtrack/nomtrack/internal/figures"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/output"
	"github.com/nomtrack/nomtrack/internal/xlsx"
)

// Sheet names of the XLSX renderings.
const (
	SheetSummary = "Summary"
	SheetStatus  = "Status"
	SheetYears   = "Years"
	SheetWomen   = "Women"
	SheetRepeats = "Repeats"
	SheetCosts   = "Costs"
)

// sheetName is the XLSX sheet of a breakdown: "Ministry", "Area", …
func sheetName(dim string) string {
	return string(dim[0]-'a'+'A') + dim[1:]
}

// xlsxBook is output's Workbook with the reports' sheet shape: header
// bold and frozen, columns 14 wide. Cells are typed by output's one rule
// (output.ValueOf): text neutralised against formula injection, numbers
// numbers, nil rates and amounts empty.
type xlsxBook struct {
	*output.Workbook
	w *xlsx.Writer // for charts
}

func newBook(w io.Writer) *xlsxBook {
	b := output.NewWorkbook(w)
	return &xlsxBook{Workbook: b, w: b.XLSX()}
}

// sheet writes a table to a new sheet.
func (b *xlsxBook) sheet(name string, cols []string, rows [][]any) error {
	widths := make([]float64, len(cols))
	for i := range widths {
		widths[i] = 14
	}
	if err := b.Sheet(name, cols, xlsx.SheetOptions{ColWidths: widths, FreezeRows: 1}); err != nil {
		return err
	}
	for _, row := range rows {
		if err := b.WriteRow(output.Values(row...)...); err != nil {
			return err
		}
	}
	return nil
}

// percentCell shows a rate as a percentage; a nil rate leaves the cell
// empty but formatted, so a value typed in later shows as one too.
func (b *xlsxBook) percentCell(rate *float64) output.Value {
	return output.Rate(rate)
}

// trendSheet writes the Years sheet, which the chart reads.
func (b *xlsxBook) trendSheet(rows []figures.TrendRow) error {
	cols := []string{"year", "capacity", "nominations", "committed", "participated", "participants", "utilisation"}
	data := make([][]any, 0, len(rows))
	for _, r := range rows {
		data = append(data, []any{r.Year, r.Capacity, r.Nominations, r.Committed, r.Participated, r.Participants, b.percentCell(r.Utilisation)})
	}
	return b.sheet(SheetYears, cols, data)
}

// trendChart places on the current sheet, at cell, a native clustered-column
// chart of participation against capacity by year, read from the Years
// sheet's n rows of data (written before or after it).
func (b *xlsxBook) trendChart(cell string, n int) error {
	if n == 0 {
		return nil
	}
	series := func(col int, color string) xlsx.Series {
		return xlsx.Series{
			Name:       xlsx.Range(SheetYears, col, 1, col, 1),
			Categories: xlsx.Range(SheetYears, 1, 2, 1, n+1),
			Values:     xlsx.Range(SheetYears, col, 2, col, n+1),
			Color:      color,
		}
	}
	return b.w.AddChart(cell, xlsx.ColumnChart{
		Title:   "Participation against capacity by year",
		Series:  []xlsx.Series{series(2, "DBE4EE"), series(5, "1F5FA8")}, // capacity, participated
		Legend:  xlsx.LegendBottom,
		OffsetX: 10,
		OffsetY: 10,
	})
}

// WriteYearXLSX writes the yearly report as a workbook: a Summary sheet (the
// totals, with the chart of participation against capacity by year), a
// Status sheet, one sheet per breakdown, a Women sheet with a chart of
// women's share per ministry, a Repeats sheet (when the figures carry the
// repeat participants), a Costs sheet and a Years sheet the first chart
// reads.
func WriteYearXLSX(w io.Writer, y *figures.Year) error {
	b := newBook(w)
	trend := y.Trend
	if len(trend) == 0 {
		trend = []figures.TrendRow{{Year: y.Year, Capacity: y.Capacity, CapacitySource: y.CapacitySource, Nominations: y.Nominations,
			Committed: y.Committed, Participated: y.Participated, Participants: y.Participants, Utilisation: y.Utilisation}}
	}
	summary := [][]any{
		{"year", y.Year},
		{"capacity", y.Capacity},
		{"capacity_source", y.CapacitySource},
		{"nominations", y.Nominations},
		{"committed", y.Committed},
		{"participated", y.Participated},
		{"participants", y.Participants},
		{"no_show", y.NoShow},
		{"utilisation", b.percentCell(y.Utilisation)},
		{"women", y.Women.Participants},
		{"women_share", b.percentCell(y.Women.Share)},
		{"repeat_participants", y.RepeatParticipants},
		{"committed_fees_" + figures.Currency, y.Cost.Committed.Amount()},
		{"committed_unknown_fee", y.Cost.Committed.UnknownFee},
		{"participated_fees_" + figures.Currency, y.Cost.Participated.Amount()},
		{"participated_unknown_fee", y.Cost.Participated.UnknownFee},
	}
	if err := b.sheet(SheetSummary, []string{"figure", "value"}, summary); err != nil {
		return err
	}
	// The chart goes on Summary while it is the sheet being written; it
	// reads the Years sheet written last.
	if err := b.trendChart("D2", len(trend)); err != nil {
		return err
	}
	status := make([][]any, 0, len(nomtrack.Statuses))
	for _, st := range nomtrack.Statuses {
		status = append(status, []any{st, y.ByStatus[st]})
	}
	if err := b.sheet(SheetStatus, []string{"status", "nominations"}, status); err != nil {
		return err
	}
	for _, bd := range y.Breakdowns() {
		cols := []string{bd.Dimension}
		if bd.Dimension == figures.DimCourse {
			cols = append(cols, "title")
		}
		cols = append(cols, "nominations", "committed", "participated", "participants", "no_show")
		rows := make([][]any, 0, len(bd.Groups))
		for _, g := range bd.Groups {
			row := []any{g.Key}
			if bd.Dimension == figures.DimCourse {
				row = append(row, g.Label)
			}
			rows = append(rows, append(row, g.Nominations, g.Committed, g.Participated, g.Participants, g.NoShow))
		}
		if err := b.sheet(sheetName(bd.Dimension), cols, rows); err != nil {
			return err
		}
	}
	if err := b.womenSheet(y.Women); err != nil {
		return err
	}
	if y.Repeats != nil {
		if err := b.repeatsSheet(y.Repeats); err != nil {
			return err
		}
	}
	if err := b.costSheet([]figures.CostBreakdown{y.Cost.ByFunding, y.Cost.ByMinistry}); err != nil {
		return err
	}
	if err := b.trendSheet(trend); err != nil {
		return err
	}
	return b.Close()
}

// womenSheet writes women's participation per ministry with a native
// column chart of their share.
func (b *xlsxBook) womenSheet(w figures.Women) error {
	rows := make([][]any, 0, len(w.ByMinistry))
	for _, r := range w.ByMinistry {
		rows = append(rows, []any{r.Ministry, r.AllParticipants, r.Participants, b.percentCell(r.Share)})
	}
	if err := b.sheet(SheetWomen, []string{"ministry", "participants", "women", "women_share"}, rows); err != nil {
		return err
	}
	if len(rows) == 0 {
		return nil
	}
	n := len(rows)
	return b.w.AddChart("F2", xlsx.ColumnChart{
		Title: "Women's share of participants by ministry",
		Series: []xlsx.Series{{
			Name:       xlsx.Range(SheetWomen, 4, 1, 4, 1),
			Categories: xlsx.Range(SheetWomen, 1, 2, 1, n+1),
			Values:     xlsx.Range(SheetWomen, 4, 2, 4, n+1),
			Color:      "1F5FA8",
		}},
		OffsetX: 10,
		OffsetY: 10,
	})
}

// repeatsSheet lists the repeat participants, their courses in one cell.
func (b *xlsxBook) repeatsSheet(rows []figures.RepeatRow) error {
	data := make([][]any, 0, len(rows))
	for _, r := range rows {
		data = append(data, []any{r.Person, r.Ref, r.Ministry, r.Participations, RepeatCourses(r)})
	}
	return b.sheet(SheetRepeats, []string{"person", "ref", "ministry", "participations", "courses"}, data)
}

// costSheet writes cost breakdowns one under the other, tagged by their
// dimension: amounts in Currency as numbers, the nominations of unknown fee
// counted apart.
func (b *xlsxBook) costSheet(bds []figures.CostBreakdown) error {
	cols := []string{"dimension", "key", "committed_fees_" + figures.Currency, "committed_nominations",
		"committed_unknown_fee", "participated_fees_" + figures.Currency, "participated_nominations",
		"participated_unknown_fee"}
	var rows [][]any
	for _, bd := range bds {
		for _, r := range bd.Rows {
			rows = append(rows, []any{bd.Dimension, r.Key, r.Committed.Amount(), r.Committed.Nominations,
				r.Committed.UnknownFee, r.Participated.Amount(), r.Participated.Nominations, r.Participated.UnknownFee})
		}
	}
	return b.sheet(SheetCosts, cols, rows)
}

// WriteTrendXLSX writes `report trend` as a workbook: the Years sheet with
// its chart of participation against capacity.
func WriteTrendXLSX(w io.Writer, rows []figures.TrendRow) error {
	b := newBook(w)
	if err := b.trendSheet(rows); err != nil {
		return err
	}
	if err := b.trendChart("I2", len(rows)); err != nil {
		return err
	}
	return b.Close()
}
