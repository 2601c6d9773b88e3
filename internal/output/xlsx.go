package output

import (
	"io"
	"time"

	"github.com/xuri/excelize/v2"
)

// writeXLSX writes one sheet with a bold header through excelize's streaming
// writer; numbers are stored as numbers, text is neutralised against formula
// injection, dates stay text in YYYY-MM-DD as everywhere else.
func writeXLSX(w io.Writer, t *Tab) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Sheet1"
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	header := make([]any, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = excelize.Cell{StyleID: bold, Value: c}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	for r, row := range t.Rows {
		cells := make([]any, len(t.Columns))
		for i := range cells {
			if i < len(row) {
				cells[i] = xlsxValue(row[i])
			}
		}
		axis, _ := excelize.CoordinatesToCellName(1, r+2)
		if err := sw.SetRow(axis, cells); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// xlsxValue keeps numbers numeric and neutralises text.
func xlsxValue(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case int, int64, float64, bool:
		return x
	case *int:
		if x == nil {
			return nil
		}
		return *x
	case *float64:
		if x == nil {
			return nil
		}
		return *x
	case time.Time:
		return Cell(x)
	case string:
		return Neutralise(x)
	}
	return Neutralise(Cell(v))
}
