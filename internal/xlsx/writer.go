// Package xlsx writes Excel workbooks (.xlsx) as a stream: each row goes
// straight into the zip entry of its worksheet, so memory stays flat however
// many rows an export holds. It writes what nomtrack's exports, reports and
// rejects files need — text, numbers, dates and booleans; bold and number-format
// styles; column widths; a frozen header; clustered-column charts — and
// nothing else. Reading workbooks is internal/sheet's job.
//
// Why not excelize: its package initialisation (regexp compiles, large
// tables, crypto and charset dependencies) cost about a third of nomtrack's
// start-up, paid by every command for the few that write workbooks. The tests
// still open what this package writes with excelize, as a second opinion.
//
// Text is stored as inline strings (no shared-string table to hold until the
// end), XML-escaped, with the characters XML 1.0 forbids removed. The parts
// that describe the whole workbook (workbook.xml, styles, content types) are
// small and are written by Close, after the worksheets.
package xlsx

import (
	"archive/zip"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
)

// Limits of a worksheet, as Excel enforces them.
const (
	MaxRows      = 1048576 // rows of a worksheet
	MaxColumns   = 16384   // columns of a worksheet (A to XFD)
	MaxCellChars = 32767   // characters (UTF-16 units) of a text cell
	MaxSheetName = 31      // characters of a sheet name
)

// flushSize is how much row XML is gathered before it is handed to the
// compressor: large enough that the per-call cost vanishes, small enough
// that memory stays flat.
const flushSize = 64 << 10

// NumFmt is a number format: one of Excel's built-in formats by its id (0
// to 163), which need no table in the workbook, or ISODate, the one custom
// format nomtrack writes. Any other id is written as General.
type NumFmt int

// The number formats nomtrack uses.
const (
	General  NumFmt = 0  // as typed
	Percent2 NumFmt = 10 // 0.00%: a cell holding 0.824 shows 82.40%
	// ISODate shows a date cell as YYYY-MM-DD whatever the reader's locale
	// (the built-in date format 14 follows the locale: 3/5/2012 or 05.03.2012).
	ISODate NumFmt = 164
)

// isoDateCode is ISODate's format code.
const isoDateCode = `yyyy\-mm\-dd`

// Style is how a cell looks. The zero Style is Excel's default.
type Style struct {
	Bold   bool
	NumFmt NumFmt
}

// StyleID names a style registered with Writer.AddStyle; 0 is the default
// style, which needs no registering.
type StyleID int

// SheetOptions shape a worksheet. They are written before its first row,
// which is why NewSheet takes them.
type SheetOptions struct {
	// ColWidths are the widths of the first columns, in Excel's units
	// (characters of the default font); 0 leaves a column at its default.
	ColWidths []float64
	// FreezeRows keeps that many top rows in view while scrolling (1 for a
	// header row).
	FreezeRows int
}

// Writer writes one workbook to an io.Writer. Create sheets with NewSheet,
// fill the current one with WriteRow (and AddChart), then Close. The
// underlying writer receives a complete file only after Close returns nil.
// A Writer is not safe for concurrent use.
type Writer struct {
	zw     *zip.Writer
	err    error // sticky: a failed write leaves the file unusable
	closed bool

	styles []Style // StyleID i is styles[i-1]
	sheets []*sheetState
	cur    *sheetState // the sheet being written, also last in sheets
	entry  io.Writer   // zip entry of cur
	buf    []byte      // row XML not yet handed to entry

	drawings int // drawing parts written so far
	charts   int // chart parts written so far
}

type sheetState struct {
	name   string
	widths []float64
	rows   int
	charts []placedChart
}

// NewWriter starts a workbook on w. Nothing is written to w until the
// first sheet's rows are flushed; Close writes the rest.
func NewWriter(w io.Writer) *Writer {
	zw := zip.NewWriter(w)
	// Deflate at its fastest: exports of a million rows are bound by
	// compression, and worksheet XML shrinks well even at this level. Zip
	// entries are written one after the other, so one compressor (about a
	// megabyte of tables) serves them all.
	var fw *flate.Writer
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		if fw == nil {
			var err error
			fw, err = flate.NewWriter(out, flate.BestSpeed)
			return fw, err
		}
		fw.Reset(out)
		return fw, nil
	})
	return &Writer{zw: zw, buf: make([]byte, 0, flushSize+4096)}
}

// AddStyle registers a style and returns the id cells use to wear it.
// Registering the same style twice returns the same id.
func (w *Writer) AddStyle(s Style) StyleID {
	if s == (Style{}) {
		return 0
	}
	for i, x := range w.styles {
		if x == s {
			return StyleID(i + 1)
		}
	}
	w.styles = append(w.styles, s)
	return StyleID(len(w.styles))
}

// NewSheet finishes the current sheet and starts another, which WriteRow
// then fills. The name must be a valid, unused sheet name: at most 31
// characters, none of []:*?/\, not starting or ending with an apostrophe.
func (w *Writer) NewSheet(name string, opt SheetOptions) error {
	if err := w.usable(); err != nil {
		return err
	}
	if err := checkSheetName(name); err != nil {
		return err
	}
	for _, s := range w.sheets {
		if strings.EqualFold(s.name, name) {
			return fmt.Errorf("xlsx: the workbook already has a sheet named %q (sheet names ignore case)", s.name)
		}
	}
	if len(opt.ColWidths) > MaxColumns {
		return fmt.Errorf("xlsx: sheet %q is given %d column widths; a sheet has at most %d columns", name, len(opt.ColWidths), MaxColumns)
	}
	for i, cw := range opt.ColWidths {
		if cw < 0 || cw > 255 || math.IsNaN(cw) {
			return fmt.Errorf("xlsx: column %s of sheet %q is given width %v; widths run from 0 to 255", ColumnName(i+1), name, cw)
		}
	}
	if opt.FreezeRows < 0 || opt.FreezeRows >= MaxRows {
		return fmt.Errorf("xlsx: sheet %q cannot freeze %d rows", name, opt.FreezeRows)
	}
	if err := w.finishSheet(); err != nil {
		return err
	}
	s := &sheetState{name: name, widths: append([]float64(nil), opt.ColWidths...)}
	entry, err := w.zw.Create(sheetPart(len(w.sheets)))
	if err != nil {
		return w.fail(err)
	}
	w.sheets = append(w.sheets, s)
	w.cur, w.entry = s, entry
	w.buf = appendSheetStart(w.buf[:0], len(w.sheets) == 1, opt)
	return nil
}

// WriteRow appends a row to the current sheet, its cells from column A on.
// Empty cells without a style are left out of the file. A row that cannot be
// written (a NaN, an unknown style, too many cells) is refused whole and the
// sheet stays as it was.
func (w *Writer) WriteRow(cells ...Cell) error {
	if err := w.usable(); err != nil {
		return err
	}
	s := w.cur
	if s == nil {
		return errors.New("xlsx: WriteRow was called before NewSheet")
	}
	if s.rows == MaxRows {
		return fmt.Errorf("xlsx: sheet %q is full: a worksheet holds at most %d rows", s.name, MaxRows)
	}
	if len(cells) > MaxColumns {
		return fmt.Errorf("xlsx: row %d of sheet %q has %d cells; a worksheet has at most %d columns", s.rows+1, s.name, len(cells), MaxColumns)
	}
	row := s.rows + 1
	start := len(w.buf)
	b := append(w.buf, `<row r="`...)
	b = strconv.AppendInt(b, int64(row), 10)
	b = append(b, `">`...)
	for i, c := range cells {
		if c.kind == kindEmpty && c.style == 0 {
			continue
		}
		if c.style < 0 || int(c.style) > len(w.styles) {
			w.buf = b[:start]
			return fmt.Errorf("xlsx: cell %s of sheet %q wears style %d, which was not registered with AddStyle", CellName(i+1, row), s.name, c.style)
		}
		var ok bool
		if b, ok = appendCell(b, c, i+1, row); !ok {
			w.buf = b[:start]
			return fmt.Errorf("xlsx: cell %s of sheet %q holds %v, which a workbook cannot store as a number", CellName(i+1, row), s.name, c.num)
		}
	}
	b = append(b, `</row>`...)
	s.rows = row
	w.buf = b
	if len(b) >= flushSize {
		return w.flush()
	}
	return nil
}

// Close finishes the workbook: the last sheet, then the parts that describe
// the whole file. A workbook needs a sheet, so one written without any gets
// an empty "Sheet1". Close does not close the underlying writer.
func (w *Writer) Close() error {
	if err := w.usable(); err != nil {
		return err
	}
	if len(w.sheets) == 0 {
		if err := w.NewSheet("Sheet1", SheetOptions{}); err != nil {
			return err
		}
	}
	if err := w.finishSheet(); err != nil {
		return err
	}
	w.closed = true
	parts := []struct {
		name string
		body []byte
	}{
		{"xl/workbook.xml", w.workbookXML()},
		{"xl/_rels/workbook.xml.rels", w.workbookRels()},
		{"xl/styles.xml", w.stylesXML()},
		{"[Content_Types].xml", w.contentTypes()},
		{"_rels/.rels", []byte(rootRels)},
	}
	for _, p := range parts {
		if err := w.writePart(p.name, p.body); err != nil {
			return err
		}
	}
	if err := w.zw.Close(); err != nil {
		return w.fail(err)
	}
	return nil
}

// usable reports why the writer can take no more: an earlier failure, or Close.
func (w *Writer) usable() error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errors.New("xlsx: the workbook is already closed")
	}
	return nil
}

func (w *Writer) fail(err error) error {
	w.err = fmt.Errorf("xlsx: write the workbook: %w", err)
	return w.err
}

// flush hands the gathered row XML to the current sheet's zip entry.
func (w *Writer) flush() error {
	if len(w.buf) == 0 {
		return nil
	}
	if _, err := w.entry.Write(w.buf); err != nil {
		return w.fail(err)
	}
	w.buf = w.buf[:0]
	return nil
}

// finishSheet closes the current worksheet and writes its drawing and
// charts, if any, so that nothing of a finished sheet stays in memory.
func (w *Writer) finishSheet() error {
	s := w.cur
	if s == nil {
		return nil
	}
	w.buf = append(w.buf, `</sheetData>`...)
	if len(s.charts) > 0 {
		w.buf = append(w.buf, `<drawing r:id="rId1"/>`...)
	}
	w.buf = append(w.buf, `</worksheet>`...)
	if err := w.flush(); err != nil {
		return err
	}
	w.cur, w.entry = nil, nil
	if len(s.charts) == 0 {
		return nil
	}
	w.drawings++
	drawing := w.drawings
	if err := w.writePart(sheetRelsPart(len(w.sheets)-1), relsXML(rel{typeDrawing, "../drawings/drawing" + strconv.Itoa(drawing) + ".xml"})); err != nil {
		return err
	}
	var rels []rel
	for range s.charts {
		w.charts++
		rels = append(rels, rel{typeChart, "../charts/chart" + strconv.Itoa(w.charts) + ".xml"})
	}
	if err := w.writePart("xl/drawings/drawing"+strconv.Itoa(drawing)+".xml", drawingXML(s)); err != nil {
		return err
	}
	if err := w.writePart("xl/drawings/_rels/drawing"+strconv.Itoa(drawing)+".xml.rels", relsXML(rels...)); err != nil {
		return err
	}
	first := w.charts - len(s.charts) + 1
	for i, c := range s.charts {
		if err := w.writePart("xl/charts/chart"+strconv.Itoa(first+i)+".xml", chartXML(c.chart)); err != nil {
			return err
		}
	}
	return nil
}

// writePart writes a whole small part as its own zip entry.
func (w *Writer) writePart(name string, body []byte) error {
	f, err := w.zw.Create(name)
	if err != nil {
		return w.fail(err)
	}
	if _, err := f.Write(body); err != nil {
		return w.fail(err)
	}
	return nil
}

// checkSheetName applies Excel's rules for sheet names, which it enforces
// when it opens a file by calling the file damaged.
func checkSheetName(name string) error {
	switch {
	case name == "":
		return errors.New("xlsx: a sheet needs a name")
	case utf16Len(name) > MaxSheetName:
		return fmt.Errorf("xlsx: sheet name %q is longer than Excel's %d characters", name, MaxSheetName)
	case strings.ContainsAny(name, `[]:*?/\`):
		return fmt.Errorf(`xlsx: sheet name %q contains one of []:*?/\, which Excel does not allow in sheet names`, name)
	case name[0] == '\'' || name[len(name)-1] == '\'':
		return fmt.Errorf("xlsx: sheet name %q starts or ends with an apostrophe, which Excel does not allow", name)
	case strings.EqualFold(name, "History"):
		return errors.New(`xlsx: Excel reserves the sheet name "History"`)
	}
	if !legalName(name) {
		return fmt.Errorf("xlsx: sheet name %q holds control characters or invalid UTF-8", name)
	}
	return nil
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}
