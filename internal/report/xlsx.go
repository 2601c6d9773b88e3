package report

import (
	"fmt"
	"io"
	"strconv"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/output"
	"github.com/xuri/excelize/v2"
)

// Sheet names of the XLSX renderings.
const (
	SheetSummary = "Summary"
	SheetStatus  = "Status"
	SheetYears   = "Years"
)

// sheetName is the XLSX sheet of a breakdown: "Ministry", "Area", …
func sheetName(dim string) string {
	return string(dim[0]-'a'+'A') + dim[1:]
}

// xlsxBook wraps an excelize file with the styles the reports share.
type xlsxBook struct {
	f       *excelize.File
	bold    int
	percent int
}

func newBook() (*xlsxBook, error) {
	f := excelize.NewFile()
	b := &xlsxBook{f: f}
	var err error
	if b.bold, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		return nil, err
	}
	// Built-in number format 10 is 0.00%: the cell holds 0.824, Excel shows 82.40%.
	if b.percent, err = f.NewStyle(&excelize.Style{NumFmt: 10}); err != nil {
		return nil, err
	}
	return b, nil
}

// sheet writes a table to a sheet (creating it unless it is the first),
// header bold and frozen; text is neutralised against formula injection and
// numbers stay numbers. percentCols are 0-based columns shown as percentages.
func (b *xlsxBook) sheet(name string, first bool, cols []string, rows [][]any, percentCols ...int) error {
	f := b.f
	if first {
		if err := f.SetSheetName(f.GetSheetName(0), name); err != nil {
			return err
		}
	} else if _, err := f.NewSheet(name); err != nil {
		return err
	}
	header := make([]any, len(cols))
	for i, c := range cols {
		header[i] = c
	}
	if err := f.SetSheetRow(name, "A1", &header); err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(len(cols), 1)
	if err := f.SetCellStyle(name, "A1", last, b.bold); err != nil {
		return err
	}
	for r, row := range rows {
		cells := make([]any, len(row))
		for i, v := range row {
			cells[i] = xlsxCell(v)
		}
		axis, _ := excelize.CoordinatesToCellName(1, r+2)
		if err := f.SetSheetRow(name, axis, &cells); err != nil {
			return err
		}
	}
	for _, c := range percentCols {
		if len(rows) == 0 {
			break
		}
		top, _ := excelize.CoordinatesToCellName(c+1, 2)
		bottom, _ := excelize.CoordinatesToCellName(c+1, len(rows)+1)
		if err := f.SetCellStyle(name, top, bottom, b.percent); err != nil {
			return err
		}
	}
	lastCol, _ := excelize.ColumnNumberToName(len(cols))
	if err := f.SetColWidth(name, "A", lastCol, 14); err != nil {
		return err
	}
	return f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

// xlsxCell keeps numbers numeric (nil rates stay empty) and neutralises text.
func xlsxCell(v any) any {
	switch x := v.(type) {
	case *float64:
		if x == nil {
			return nil
		}
		return *x
	case *int:
		if x == nil {
			return nil
		}
		return *x
	case string:
		return output.Neutralise(x)
	}
	return v
}

// trendSheet writes the Years sheet and a native clustered-column chart of
// participation against capacity by year, placed on chartSheet at cell.
func (b *xlsxBook) trendSheet(rows []TrendRow, first bool, chartSheet, cell string) error {
	cols := []string{"year", "capacity", "nominations", "committed", "participated", "participants", "utilisation"}
	data := make([][]any, 0, len(rows))
	for _, r := range rows {
		data = append(data, []any{r.Year, r.Capacity, r.Nominations, r.Committed, r.Participated, r.Participants, r.Utilisation})
	}
	if err := b.sheet(SheetYears, first, cols, data, 6); err != nil {
		return err
	}
	if len(rows) == 0 {
		return nil
	}
	n := strconv.Itoa(len(rows) + 1)
	noVary := false // one colour per series, not per year
	cats := SheetYears + "!$A$2:$A$" + n
	return b.f.AddChart(chartSheet, cell, &excelize.Chart{
		Type: excelize.Col,
		Series: []excelize.ChartSeries{
			{Name: SheetYears + "!$B$1", Categories: cats, Values: SheetYears + "!$B$2:$B$" + n,
				Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DBE4EE"}}},
			{Name: SheetYears + "!$E$1", Categories: cats, Values: SheetYears + "!$E$2:$E$" + n,
				Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F5FA8"}}},
		},
		Title:      excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Participation against capacity by year"}}},
		Legend:     excelize.ChartLegend{Position: "bottom"},
		VaryColors: &noVary,
		Format:     excelize.GraphicOptions{OffsetX: 10, OffsetY: 10},
	})
}

// WriteXLSX writes the yearly report as a workbook: a Summary sheet (the
// totals, with the chart of participation against capacity by year), a
// Status sheet, one sheet per breakdown and a Years sheet the chart reads.
func (y *Year) WriteXLSX(w io.Writer) error {
	b, err := newBook()
	if err != nil {
		return err
	}
	defer b.f.Close()
	summary := [][]any{
		{"year", y.Year},
		{"capacity", y.Capacity},
		{"capacity_source", y.CapacitySource},
		{"nominations", y.Nominations},
		{"committed", y.Committed},
		{"participated", y.Participated},
		{"participants", y.Participants},
		{"no_show", y.NoShow},
		{"utilisation", y.Utilisation},
	}
	if err := b.sheet(SheetSummary, true, []string{"figure", "value"}, summary); err != nil {
		return err
	}
	if err := b.f.SetCellStyle(SheetSummary, "B10", "B10", b.percent); err != nil {
		return err
	}
	status := make([][]any, 0, len(nomtrack.Statuses))
	for _, st := range nomtrack.Statuses {
		status = append(status, []any{st, y.ByStatus[st]})
	}
	if err := b.sheet(SheetStatus, false, []string{"status", "nominations"}, status); err != nil {
		return err
	}
	for _, bd := range y.Breakdowns() {
		cols := []string{bd.Dimension}
		if bd.Dimension == DimCourse {
			cols = append(cols, "title")
		}
		cols = append(cols, "nominations", "committed", "participated", "no_show")
		rows := make([][]any, 0, len(bd.Groups))
		for _, g := range bd.Groups {
			row := []any{g.Key}
			if bd.Dimension == DimCourse {
				row = append(row, g.Label)
			}
			rows = append(rows, append(row, g.Nominations, g.Committed, g.Participated, g.NoShow))
		}
		if err := b.sheet(sheetName(bd.Dimension), false, cols, rows); err != nil {
			return err
		}
	}
	trend := y.Trend
	if len(trend) == 0 {
		trend = []TrendRow{{Year: y.Year, Capacity: y.Capacity, CapacitySource: y.CapacitySource, Nominations: y.Nominations,
			Committed: y.Committed, Participated: y.Participated, Participants: y.Participants, Utilisation: y.Utilisation}}
	}
	if err := b.trendSheet(trend, false, SheetSummary, "D2"); err != nil {
		return err
	}
	if _, err := b.f.WriteTo(w); err != nil {
		return fmt.Errorf("write the workbook: %w", err)
	}
	return nil
}

// WriteTrendXLSX writes `report trend` as a workbook: the Years sheet with
// its chart of participation against capacity.
func WriteTrendXLSX(w io.Writer, rows []TrendRow) error {
	b, err := newBook()
	if err != nil {
		return err
	}
	defer b.f.Close()
	if err := b.trendSheet(rows, true, SheetYears, "I2"); err != nil {
		return err
	}
	if _, err := b.f.WriteTo(w); err != nil {
		return fmt.Errorf("write the workbook: %w", err)
	}
	return nil
}
