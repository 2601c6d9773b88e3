package output

import (
	"io"
	"time"

	"github.com/nomtrack/nomtrack/internal/xlsx"
)

// writeXLSX writes one sheet with a bold header through the streaming
// workbook writer; numbers are stored as numbers, text is neutralised against
// formula injection, dates stay text in YYYY-MM-DD as everywhere else.
func writeXLSX(w io.Writer, t *Tab) error {
	xw := xlsx.NewWriter(w)
	bold := xw.AddStyle(xlsx.Style{Bold: true})
	if err := xw.NewSheet("Sheet1", xlsx.SheetOptions{}); err != nil {
		return err
	}
	cells := make([]xlsx.Cell, len(t.Columns))
	for i, c := range t.Columns {
		cells[i] = xlsx.Text(c).WithStyle(bold)
	}
	if err := xw.WriteRow(cells...); err != nil {
		return err
	}
	for _, row := range t.Rows {
		for i := range cells {
			cells[i] = xlsx.Cell{}
			if i < len(row) {
				cells[i] = xlsxValue(row[i])
			}
		}
		if err := xw.WriteRow(cells...); err != nil {
			return err
		}
	}
	return xw.Close()
}

// xlsxValue keeps numbers numeric and neutralises text.
func xlsxValue(v any) xlsx.Cell {
	switch x := v.(type) {
	case nil:
		return xlsx.Cell{}
	case int:
		return xlsx.Int(int64(x))
	case int64:
		return xlsx.Int(x)
	case float64:
		return xlsx.Float(x)
	case bool:
		return xlsx.Bool(x)
	case *int:
		if x == nil {
			return xlsx.Cell{}
		}
		return xlsx.Int(int64(*x))
	case *float64:
		if x == nil {
			return xlsx.Cell{}
		}
		return xlsx.Float(*x)
	case time.Time:
		return xlsx.Text(Cell(x))
	case string:
		return xlsx.Text(Neutralise(x))
	}
	return xlsx.Text(Neutralise(Cell(v)))
}
