package xlsx

import (
	"errors"
	"fmt"
	"math"
	"strconv"
)

// ColumnChart is a native clustered-column chart: Excel draws it from the
// cells it names, so it follows any edit of the data. Its bars keep one
// colour per series (not per category).
type ColumnChart struct {
	// Title is shown above the plot; "" shows none.
	Title string
	// Series are the bar groups, drawn in order; 1 to 255 of them.
	Series []Series
	// Legend places the series names; "" leaves the legend out.
	Legend LegendPos
	// Width and Height are the chart's size in pixels at 100% zoom;
	// 0 takes Excel's default, 480 by 290.
	Width, Height int
	// OffsetX and OffsetY move the chart's top-left corner, in pixels, from
	// the top-left of the cell it is anchored at.
	OffsetX, OffsetY int
}

// Series is one series of a chart; its references are absolute ranges as
// Range returns them.
type Series struct {
	// Name is the cell holding the series name, e.g. Years!$B$1.
	Name string
	// Categories label the bars, e.g. Years!$A$2:$A$4; "" numbers them.
	Categories string
	// Values are the bar heights, e.g. Years!$B$2:$B$4.
	Values string
	// Color fills the bars, as RRGGBB hex; "" leaves Excel's palette.
	Color string
}

// LegendPos is where a chart's legend sits.
type LegendPos string

// Legend positions.
const (
	LegendBottom LegendPos = "b"
	LegendTop    LegendPos = "t"
	LegendLeft   LegendPos = "l"
	LegendRight  LegendPos = "r"
)

// Default sizes, in pixels, of Excel's charts, columns and rows (Calibri 11).
const (
	defaultChartWidth  = 480
	defaultChartHeight = 290
	defaultColPixels   = 64
	defaultRowPixels   = 20
	emuPerPixel        = 9525
)

// placedChart is a chart and the cell rectangle it covers (0-based
// columns and rows, offsets in EMU), as a twoCellAnchor records it.
type placedChart struct {
	chart                  ColumnChart
	fromCol, fromRow       int
	fromColOff, fromRowOff int
	toCol, toRow           int
	toColOff, toRowOff     int
}

// AddChart places a chart on the current sheet, its top-left corner in cell
// (like "D2"). The chart may show data of any sheet, including sheets not
// written yet; it is written when its sheet is finished.
func (w *Writer) AddChart(cell string, c ColumnChart) error {
	if err := w.usable(); err != nil {
		return err
	}
	s := w.cur
	if s == nil {
		return errors.New("xlsx: AddChart was called before NewSheet")
	}
	col, row, ok := parseCellName(cell)
	if !ok {
		return fmt.Errorf("xlsx: a chart is anchored at %q, which is not a cell reference like D2", cell)
	}
	if len(c.Series) == 0 || len(c.Series) > 255 {
		return fmt.Errorf("xlsx: a chart has %d series; it needs 1 to 255", len(c.Series))
	}
	for i, sr := range c.Series {
		if sr.Values == "" {
			return fmt.Errorf("xlsx: series %d of the chart has no values range", i+1)
		}
		if sr.Color != "" && !hexColor(sr.Color) {
			return fmt.Errorf("xlsx: series %d of the chart has colour %q; give it as RRGGBB hex, like 1F5FA8", i+1, sr.Color)
		}
	}
	switch c.Legend {
	case "", LegendBottom, LegendTop, LegendLeft, LegendRight:
	default:
		return fmt.Errorf("xlsx: legend position %q is not one of b, t, l, r", c.Legend)
	}
	if c.Width == 0 {
		c.Width = defaultChartWidth
	}
	if c.Height == 0 {
		c.Height = defaultChartHeight
	}
	if c.Width < 0 || c.Height < 0 || c.OffsetX < 0 || c.OffsetY < 0 {
		return errors.New("xlsx: a chart's size and offsets cannot be negative")
	}
	p := placedChart{chart: c}
	p.fromCol, p.fromColOff = walk(col-1, c.OffsetX, s.colPixels)
	p.fromRow, p.fromRowOff = walk(row-1, c.OffsetY, rowPixels)
	p.toCol, p.toColOff = walk(p.fromCol, p.fromColOff/emuPerPixel+c.Width, s.colPixels)
	p.toRow, p.toRowOff = walk(p.fromRow, p.fromRowOff/emuPerPixel+c.Height, rowPixels)
	s.charts = append(s.charts, p)
	return nil
}

// walk moves px pixels right (or down) from the start of column (row) i and
// returns where it lands: the column and the offset into it, in EMU.
func walk(i, px int, size func(int) int) (int, int) {
	for px >= size(i) && size(i) > 0 {
		px -= size(i)
		i++
	}
	return i, px * emuPerPixel
}

// colPixels is the width of 0-based column i on screen: Excel's conversion
// of a width in characters for a font whose digits are 7 pixels wide.
func (s *sheetState) colPixels(i int) int {
	if i >= len(s.widths) || s.widths[i] == 0 {
		return defaultColPixels
	}
	return int(math.Trunc((256*s.widths[i] + math.Trunc(128.0/7)) / 256 * 7))
}

func rowPixels(int) int { return defaultRowPixels }

func hexColor(s string) bool {
	if len(s) != 6 {
		return false
	}
	for _, c := range []byte(s) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

const (
	nsChart   = "http://schemas.openxmlformats.org/drawingml/2006/chart"
	nsDrawing = "http://schemas.openxmlformats.org/drawingml/2006/main"
	nsSheetDr = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
)

// drawingXML anchors each chart of a sheet between two cells.
func drawingXML(s *sheetState) []byte {
	b := []byte(xmlHeader + `<xdr:wsDr xmlns:xdr="` + nsSheetDr + `" xmlns:a="` + nsDrawing + `">`)
	n := func(v int) string { return strconv.Itoa(v) }
	for i, p := range s.charts {
		b = append(b, `<xdr:twoCellAnchor editAs="oneCell">`+
			`<xdr:from><xdr:col>`+n(p.fromCol)+`</xdr:col><xdr:colOff>`+n(p.fromColOff)+`</xdr:colOff>`+
			`<xdr:row>`+n(p.fromRow)+`</xdr:row><xdr:rowOff>`+n(p.fromRowOff)+`</xdr:rowOff></xdr:from>`+
			`<xdr:to><xdr:col>`+n(p.toCol)+`</xdr:col><xdr:colOff>`+n(p.toColOff)+`</xdr:colOff>`+
			`<xdr:row>`+n(p.toRow)+`</xdr:row><xdr:rowOff>`+n(p.toRowOff)+`</xdr:rowOff></xdr:to>`+
			`<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="`+n(i+2)+`" name="Chart `+n(i+1)+`"/>`+
			`<xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>`+
			`<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>`+
			`<a:graphic><a:graphicData uri="`+nsChart+`">`+
			`<c:chart xmlns:c="`+nsChart+`" xmlns:r="`+nsRel+`" r:id="rId`+n(i+1)+`"/>`+
			`</a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>`...)
	}
	return append(b, `</xdr:wsDr>`...)
}

// chartXML is the DrawingML of a clustered-column chart: a category axis
// at the bottom, a value axis with gridlines at the left.
func chartXML(c ColumnChart) []byte {
	b := []byte(xmlHeader + `<c:chartSpace xmlns:c="` + nsChart + `" xmlns:a="` + nsDrawing + `" xmlns:r="` + nsRel + `">` +
		`<c:date1904 val="0"/><c:lang val="en-US"/><c:roundedCorners val="0"/><c:chart>`)
	if c.Title != "" {
		b = append(b, `<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="1400" b="0"/></a:pPr>`+
			`<a:r><a:rPr lang="en-US" sz="1400" b="0"/><a:t>`+escapeText(c.Title)+`</a:t></a:r></a:p></c:rich></c:tx>`+
			`<c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>`...)
	} else {
		b = append(b, `<c:autoTitleDeleted val="1"/>`...)
	}
	b = append(b, `<c:plotArea><c:layout/><c:barChart><c:barDir val="col"/><c:grouping val="clustered"/><c:varyColors val="0"/>`...)
	for i, s := range c.Series {
		idx := strconv.Itoa(i)
		b = append(b, `<c:ser><c:idx val="`+idx+`"/><c:order val="`+idx+`"/>`...)
		if s.Name != "" {
			b = append(b, `<c:tx><c:strRef><c:f>`+escapeText(s.Name)+`</c:f></c:strRef></c:tx>`...)
		}
		if s.Color != "" {
			b = append(b, `<c:spPr><a:solidFill><a:srgbClr val="`+s.Color+`"/></a:solidFill></c:spPr>`...)
		}
		b = append(b, `<c:invertIfNegative val="0"/>`...)
		if s.Categories != "" {
			b = append(b, `<c:cat><c:strRef><c:f>`+escapeText(s.Categories)+`</c:f></c:strRef></c:cat>`...)
		}
		b = append(b, `<c:val><c:numRef><c:f>`+escapeText(s.Values)+`</c:f></c:numRef></c:val></c:ser>`...)
	}
	b = append(b, `<c:gapWidth val="150"/><c:axId val="1"/><c:axId val="2"/></c:barChart>`+
		`<c:catAx><c:axId val="1"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>`+
		`<c:axPos val="b"/><c:numFmt formatCode="General" sourceLinked="1"/><c:majorTickMark val="none"/>`+
		`<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="2"/><c:crosses val="autoZero"/>`+
		`<c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>`+
		`<c:valAx><c:axId val="2"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>`+
		`<c:axPos val="l"/><c:majorGridlines/><c:numFmt formatCode="General" sourceLinked="1"/>`+
		`<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>`+
		`<c:crossAx val="1"/><c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx></c:plotArea>`...)
	if c.Legend != "" {
		b = append(b, `<c:legend><c:legendPos val="`+string(c.Legend)+`"/><c:overlay val="0"/></c:legend>`...)
	}
	return append(b, `<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>`...)
}
