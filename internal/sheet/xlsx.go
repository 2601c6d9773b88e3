package sheet

// Why not excelize's Rows iterator: it streams values but drops each cell's
// style id, and the style is the only thing that says a number is a date.
// Getting it through excelize (GetCellStyle) loads the whole worksheet into
// memory. So workbooks are read here straight from the zip, worksheets and
// shared strings through the streaming scanner of xmlscan.go: memory stays
// flat (bar the shared-string table, which Excel keeps per workbook) and
// dates are honest. excelize writes the test fixtures and cross-checks the
// values in the tests.

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

type sheetRef struct {
	name string
	part string // zip path of the worksheet XML; "" when the workbook lacks it
}

// workbook is an opened .xlsx: its zip directory, sheets, date system and
// which cell styles show dates.
type workbook struct {
	name      string
	zr        *zip.ReadCloser
	files     map[string]*zip.File
	sheets    []sheetRef
	date1904  bool
	dateStyle []bool // by cell style (xf) index
	sstPart   string
	sst       sstTable
	sstLoaded bool
}

// notWorkbook is the error for a file that opens but is not an xlsx.
func notWorkbook(name, why string) error {
	return nomtrack.Errorf(nomtrack.EINVALID, "%s is not a readable Excel workbook: %s", name, why)
}

func openWorkbook(p, name string) (b *workbook, err error) {
	if err := checkZipDirectory(p, name); err != nil {
		return nil, err
	}
	zr, err := zip.OpenReader(p)
	if err != nil {
		if errors.Is(err, zip.ErrFormat) || errors.Is(err, zip.ErrAlgorithm) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, notWorkbook(name, "it is not a complete zip archive (is it an old .xls, password-protected, a renamed CSV, or cut short?); save it again as .xlsx")
		}
		var pe *os.PathError
		if errors.As(err, &pe) {
			return nil, fileError(name, err)
		}
		return nil, notWorkbook(name, err.Error())
	}
	if len(zr.File) > maxZipEntries {
		zr.Close()
		return nil, tooManyEntries(name)
	}
	b = &workbook{name: name, zr: zr, files: make(map[string]*zip.File, len(zr.File))}
	defer func() {
		if r := recover(); r != nil {
			err = notWorkbook(name, fmt.Sprint(r))
		}
		if err != nil {
			zr.Close()
			b = nil
		}
	}()
	for _, f := range zr.File {
		b.files[strings.TrimPrefix(f.Name, "/")] = f
	}
	if err := b.load(); err != nil {
		return nil, err
	}
	return b, nil
}

func (b *workbook) close() error {
	if b.zr == nil {
		return nil
	}
	err := b.zr.Close()
	b.zr = nil
	return err
}

// rel is one relationship of a package part.
type rel struct{ id, typ, target string }

// readRels reads the relationships of part (e.g. xl/workbook.xml), with
// targets resolved to zip paths.
func (b *workbook) readRels(part string) ([]rel, error) {
	dir, file := path.Split(part)
	relsPart := dir + "_rels/" + file + ".rels"
	var rels []rel
	err := b.scan(relsPart, func(t xml.StartElement) error {
		if t.Name.Local != "Relationship" {
			return nil
		}
		r := rel{id: attr(t, "Id"), typ: attr(t, "Type"), target: attr(t, "Target")}
		if attr(t, "TargetMode") == "External" {
			return nil
		}
		if strings.HasPrefix(r.target, "/") {
			r.target = path.Clean(strings.TrimPrefix(r.target, "/"))
		} else {
			r.target = path.Clean(path.Join(dir, r.target))
		}
		rels = append(rels, r)
		return nil
	})
	return rels, err
}

// load reads the package, workbook and style parts.
func (b *workbook) load() error {
	book := "xl/workbook.xml"
	if _, ok := b.files["_rels/.rels"]; ok {
		rels, err := b.readRels("")
		if err != nil {
			return err
		}
		for _, r := range rels {
			if strings.HasSuffix(r.typ, "/officeDocument") {
				book = r.target
			}
		}
	}
	if _, ok := b.files[book]; !ok {
		return notWorkbook(b.name, "it has no workbook part ("+book+"); is it another kind of zip file?")
	}
	rels, err := b.readRels(book)
	if err != nil && !isMissing(err) {
		return err
	}
	targets := make(map[string]string, len(rels))
	stylesPart := ""
	for _, r := range rels {
		targets[r.id] = r.target
		switch {
		case strings.HasSuffix(r.typ, "/sharedStrings"):
			b.sstPart = r.target
		case strings.HasSuffix(r.typ, "/styles"):
			stylesPart = r.target
		}
	}
	err = b.scan(book, func(t xml.StartElement) error {
		switch t.Name.Local {
		case "workbookPr":
			v := attr(t, "date1904")
			b.date1904 = v == "1" || strings.EqualFold(v, "true")
		case "sheet":
			id := ""
			for _, a := range t.Attr {
				if a.Name.Local == "id" && a.Name.Space != "" {
					id = a.Value
				}
			}
			b.sheets = append(b.sheets, sheetRef{name: attr(t, "name"), part: targets[id]})
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(b.sheets) == 0 {
		return notWorkbook(b.name, "it lists no sheets")
	}
	if stylesPart != "" {
		if err := b.loadStyles(stylesPart); err != nil && !isMissing(err) {
			return err
		}
	}
	return nil
}

// loadStyles records, for each cell style, whether its number format shows
// a date or time.
func (b *workbook) loadStyles(part string) error {
	custom := map[int]string{}
	var xfNumFmt []int
	inCellXfs := false
	err := b.scanTokens(part, func(tok xml.Token) error {
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "numFmt":
				if id, err := strconv.Atoi(attr(t, "numFmtId")); err == nil {
					custom[id] = attr(t, "formatCode")
				}
			case "cellXfs":
				inCellXfs = true
			case "xf":
				if inCellXfs {
					id, _ := strconv.Atoi(attr(t, "numFmtId"))
					xfNumFmt = append(xfNumFmt, id)
				}
			}
		case xml.EndElement:
			if t.Name.Local == "cellXfs" {
				inCellXfs = false
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	b.dateStyle = make([]bool, len(xfNumFmt))
	for i, id := range xfNumFmt {
		code, ok := custom[id]
		b.dateStyle[i] = ok && isDateFormat(code) || !ok && builtinDate(id)
	}
	return nil
}

// builtinDate reports Excel's built-in number formats that show dates/times.
func builtinDate(id int) bool {
	return id >= 14 && id <= 22 || id >= 27 && id <= 36 || id >= 45 && id <= 47 || id >= 50 && id <= 58
}

// isDateFormat reports whether a custom number format shows a date or time:
// it has d, m, y, h or s outside quoted text, brackets and escapes.
func isDateFormat(code string) bool {
	if strings.EqualFold(strings.TrimSpace(code), "general") {
		return false
	}
	for i := 0; i < len(code); i++ {
		switch c := code[i]; c {
		case '"':
			j := strings.IndexByte(code[i+1:], '"')
			if j < 0 {
				return false
			}
			i += j + 1
		case '[':
			j := strings.IndexByte(code[i+1:], ']')
			if j < 0 {
				return false
			}
			i += j + 1
		case '\\', '_', '*':
			i++ // the next character is literal or padding
		case 'd', 'D', 'm', 'M', 'y', 'Y', 'h', 'H', 's', 'S':
			return true
		}
	}
	return false
}

// find returns the sheet named name (case-insensitive); "" is the first.
func (b *workbook) find(name string) (sheetRef, error) {
	if name == "" {
		return b.sheets[0], nil
	}
	for _, s := range b.sheets {
		if strings.EqualFold(s.name, name) {
			return s, nil
		}
	}
	for _, s := range b.sheets {
		if strings.EqualFold(strings.TrimSpace(s.name), strings.TrimSpace(name)) {
			return s, nil
		}
	}
	names := make([]string, len(b.sheets))
	for i, s := range b.sheets {
		names[i] = strconv.Quote(s.name)
	}
	return sheetRef{}, nomtrack.Errorf(nomtrack.ENOTFOUND, "%s has no sheet %q; its sheets are %s", b.name, name, strings.Join(names, ", "))
}

// rows starts streaming one sheet.
func (b *workbook) rows(ctx context.Context, s sheetRef) (src source, err error) {
	if b.zr == nil {
		return nil, fmt.Errorf("reading %s: the file is closed", b.name)
	}
	zf, ok := b.files[s.part]
	if s.part == "" || !ok {
		return nil, notWorkbook(b.name, fmt.Sprintf("sheet %q has no data part", s.name))
	}
	if err := b.loadSST(ctx); err != nil {
		return nil, err
	}
	if zf.UncompressedSize64 > maxSheetXMLBytes {
		return nil, sheetTooLarge(b.name, s.name)
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, notWorkbook(b.name, fmt.Sprintf("sheet %q cannot be unpacked: %v", s.name, err))
	}
	lr := &limitedReader{ctx: ctx, r: rc, n: maxSheetXMLBytes, what: "sheet"}
	return &sheetSource{book: b, sheet: s.name, rc: rc, x: newXMLScanner(lr)}, nil
}

// sheetTooLarge is the error for a worksheet past maxSheetXMLBytes.
func sheetTooLarge(file, sheet string) error {
	return limitError("%s: sheet %q unpacks to more than %s of XML, the limit for one sheet; is the file damaged?", file, sheet, sizeText(maxSheetXMLBytes))
}

// sizeText writes a limit in bytes for a message.
func sizeText(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// tooManyEntries is the error for a zip past maxZipEntries.
func tooManyEntries(name string) error {
	return limitError("%s holds more than %d files (zip entries), the limit for a workbook; is it a workbook at all?", name, maxZipEntries)
}

// checkZipDirectory reads the end record of a zip and refuses one whose
// central directory, read whole by archive/zip, lists more than
// maxZipEntries files or is larger than maxZipDirBytes. A file that has no
// readable end record is left to archive/zip to describe.
func checkZipDirectory(p, name string) error {
	f, err := os.Open(p)
	if err != nil {
		return nil // zip.OpenReader says why
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil
	}
	const eocdLen, maxComment = 22, 1<<16 - 1
	tail := int64(eocdLen + maxComment)
	if tail > st.Size() {
		tail = st.Size()
	}
	buf := make([]byte, tail)
	if _, err := f.ReadAt(buf, st.Size()-tail); err != nil {
		return nil
	}
	i := bytes.LastIndex(buf, []byte("PK\x05\x06"))
	if i < 0 || len(buf)-i < eocdLen {
		return nil
	}
	eocd := buf[i:]
	entries := uint64(binary.LittleEndian.Uint16(eocd[10:]))
	dirSize := uint64(binary.LittleEndian.Uint32(eocd[12:]))
	if entries == 0xFFFF || dirSize == 0xFFFFFFFF {
		// Zip64: the counts are in the zip64 end record, which the
		// locator just before this record points to.
		loc := st.Size() - tail + int64(i) - 20
		var l [20]byte
		if loc < 0 {
			return nil
		}
		if _, err := f.ReadAt(l[:], loc); err != nil || !bytes.Equal(l[:4], []byte("PK\x06\x07")) {
			return nil
		}
		var rec [56]byte
		off := binary.LittleEndian.Uint64(l[8:])
		if off > uint64(st.Size()) {
			return nil
		}
		if _, err := f.ReadAt(rec[:], int64(off)); err != nil || !bytes.Equal(rec[:4], []byte("PK\x06\x06")) {
			return nil
		}
		entries = binary.LittleEndian.Uint64(rec[32:])
		dirSize = binary.LittleEndian.Uint64(rec[40:])
	}
	if entries > maxZipEntries {
		return tooManyEntries(name)
	}
	if dirSize > maxZipDirBytes {
		return limitError("%s has a zip directory of more than %s, the limit for a workbook; is it a workbook at all?", name, sizeText(maxZipDirBytes))
	}
	return nil
}

// loadSST reads the shared-string table once. It can be as long as the
// sheet, so it goes through the same scanner as the rows, and it is kept for
// the whole import, so its entries and their text are bounded as they are
// read, whatever the table's uniqueCount claims.
func (b *workbook) loadSST(ctx context.Context) error {
	if b.sstLoaded || b.sstPart == "" {
		return nil
	}
	zf, ok := b.files[b.sstPart]
	if !ok {
		b.sstLoaded = true
		return nil
	}
	if zf.UncompressedSize64 > maxSheetXMLBytes {
		return sstTooLarge(b.name)
	}
	rc, err := zf.Open()
	if err != nil {
		return notWorkbook(b.name, fmt.Sprintf("part %s cannot be unpacked: %v", b.sstPart, err))
	}
	defer rc.Close()
	x := newXMLScanner(&limitedReader{ctx: ctx, r: rc, n: maxSheetXMLBytes, what: "sst"})
	var (
		text             []byte
		inSI, inT, inRPh bool
		total            int
	)
	for {
		tok, err := x.next(inT)
		if err != nil {
			var le *errLimit
			switch {
			case cancelled(err):
				return err
			case errors.As(err, &le) && le.what == "sst":
				return sstTooLarge(b.name)
			case errors.As(err, &le) && le == errTextLimit:
				return sstStringTooLong(b.name, b.sst.len()+1)
			case errors.As(err, &le):
				return limitError("%s: its shared-string table %s; is the file damaged?", b.name, le.what)
			}
			return notWorkbook(b.name, fmt.Sprintf("part %s is damaged: %v", b.sstPart, err))
		}
		switch tok {
		case xmlEOF:
			b.sstLoaded = true
			return nil
		case xmlText:
			text = append(text, x.text...)
			if len(text) > maxCellBytes {
				return sstStringTooLong(b.name, b.sst.len()+1)
			}
		case xmlStart:
			switch string(x.name) {
			case "si":
				inSI, text = true, text[:0]
			case "rPh":
				inRPh = true
			case "t":
				inT = inSI && !inRPh
			}
		case xmlEnd:
			switch string(x.name) {
			case "si":
				if inSI {
					if b.sst.len() >= maxSharedStrings {
						return limitError("%s: its shared-string table holds more than %d strings, the limit; is the file damaged?", b.name, maxSharedStrings)
					}
					if total += len(text); total > maxSharedStringBytes {
						return limitError("%s: its shared-string table holds more than %s of text, the limit; is the file damaged?", b.name, sizeText(maxSharedStringBytes))
					}
					v := unescapeX(string(text))
					if n, long := overlong(v); long {
						return limitError("%s: shared string %d holds %d characters, more than Excel allows in a cell (%d); is the file damaged?", b.name, b.sst.len()+1, n, maxCellChars)
					}
					b.sst.add(v)
				}
				inSI = false
			case "rPh":
				inRPh = false
			case "t":
				inT = false
			}
		}
	}
}

// sstTable holds the shared strings in blocks of a fixed size, so that the
// table grows to its limit without copying itself at each step: what the
// file claims in uniqueCount is never trusted to size it.
type sstTable struct {
	blocks [][]string
	n      int
}

const sstBlock = 1 << 14

func (t *sstTable) len() int { return t.n }

func (t *sstTable) at(i int) string { return t.blocks[i/sstBlock][i%sstBlock] }

func (t *sstTable) add(s string) {
	if t.n%sstBlock == 0 {
		t.blocks = append(t.blocks, make([]string, 0, sstBlock))
	}
	t.blocks[len(t.blocks)-1] = append(t.blocks[len(t.blocks)-1], s)
	t.n++
}

// sstTooLarge is the error for a shared-string part past maxSheetXMLBytes.
func sstTooLarge(file string) error {
	return limitError("%s: its shared-string table unpacks to more than %s of XML, the limit; is the file damaged?", file, sizeText(maxSheetXMLBytes))
}

// sstStringTooLong is the error for one shared string past maxCellChars.
func sstStringTooLong(file string, i int) error {
	return limitError("%s: shared string %d holds more than %d characters, more than Excel allows in a cell; is the file damaged?", file, i, maxCellChars)
}

// errMissing marks a part absent from the zip.
var errMissing = errors.New("missing part")

func isMissing(err error) bool { return errors.Is(err, errMissing) }

// scan calls fn for each start element of part.
func (b *workbook) scan(part string, fn func(xml.StartElement) error) error {
	return b.scanTokens(part, func(tok xml.Token) error {
		if t, ok := tok.(xml.StartElement); ok {
			return fn(t)
		}
		return nil
	})
}

// scanTokens streams the tokens of a package part to fn.
func (b *workbook) scanTokens(part string, fn func(xml.Token) error) error {
	zf, ok := b.files[part]
	if !ok {
		return fmt.Errorf("%s: %w", part, errMissing)
	}
	rc, err := zf.Open()
	if err != nil {
		return notWorkbook(b.name, fmt.Sprintf("part %s cannot be unpacked: %v", part, err))
	}
	defer rc.Close()
	if zf.UncompressedSize64 > maxPartXMLBytes {
		return partTooLarge(b.name, part)
	}
	d := xml.NewDecoder(bufio.NewReader(&limitedReader{ctx: context.Background(), r: rc, n: maxPartXMLBytes, what: part}))
	d.Strict = false
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if errors.As(err, new(*errLimit)) {
				return partTooLarge(b.name, part)
			}
			return notWorkbook(b.name, fmt.Sprintf("part %s is damaged: %v", part, err))
		}
		if err := fn(tok); err != nil {
			return err
		}
	}
}

// partTooLarge is the error for a workbook, relationships or styles part
// past maxPartXMLBytes.
func partTooLarge(file, part string) error {
	return limitError("%s: part %s unpacks to more than %s of XML, the limit for it; is the file damaged?", file, part, sizeText(maxPartXMLBytes))
}

func attr(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// sheetSource streams the rows of one worksheet part.
type sheetSource struct {
	book  *workbook
	sheet string
	rc    io.ReadCloser
	x     *xmlScanner
	row   int // number of the last row read
	rows  int // rows read, numbered or not
	tags  int // elements read, of any name
	slab  cellSlab
	kept  []FarCell // scratch: the row's non-empty cells with their columns
	text  []byte    // scratch for the value being read
	done  bool
}

// cellState is what is known about the cell being read.
type cellState struct {
	col   int // 1-based
	style int
	typ   string
}

// damagedSheet is the error for a worksheet whose XML cannot be understood.
func damagedSheet(b *workbook, sheet string, row int, format string, args ...any) error {
	return rowError(b.name, row, "sheet %q is damaged: %s; save the workbook again in Excel", sheet, fmt.Sprintf(format, args...))
}

// pastLimit is the error for a worksheet past one of the reader's limits.
func pastLimit(b *workbook, sheet string, row int, format string, args ...any) error {
	return rowError(b.name, row, "sheet %q %s; is the file damaged?", sheet, fmt.Sprintf(format, args...))
}

// cellTypes interns the cell types so reading a type does not allocate.
var cellTypes = []string{"s", "str", "inlineStr", "b", "d", "e", "n"}

func cellType(b []byte) string {
	for _, t := range cellTypes {
		if string(b) == t {
			return t
		}
	}
	return string(b)
}

func (s *sheetSource) next() (row Row, ok bool, err error) {
	if s.done {
		return Row{}, false, nil
	}
	defer func() {
		if r := recover(); r != nil {
			row, ok, err = Row{}, false, damagedSheet(s.book, s.sheet, s.row+1, "%v", r)
		}
		if err != nil || !ok {
			s.done = true
		}
	}()
	var (
		inRow, inCell, inValue, inRPh bool
		cell                          cellState
		col, cells, rowText           int
		sorted                        bool
	)
	for {
		tok, err := s.x.next(inValue)
		if err != nil {
			if errors.Is(err, errTextLimit) && inCell {
				return Row{}, false, s.cellTooLong(cell)
			}
			return Row{}, false, s.readError(err)
		}
		switch tok {
		case xmlEOF:
			if inRow {
				return Row{}, false, damagedSheet(s.book, s.sheet, s.row, "the file ends inside row %d", s.row)
			}
			return Row{}, false, nil
		case xmlText:
			s.text = append(s.text, s.x.text...)
			if len(s.text) > maxCellBytes {
				return Row{}, false, s.cellTooLong(cell)
			}
		case xmlStart:
			if s.tags++; s.tags > maxSheetElements {
				at := s.row + 1
				if inRow {
					at = s.row
				}
				return Row{}, false, pastLimit(s.book, s.sheet, at, "holds more than %d million XML elements, the limit for one sheet", maxSheetElements/1_000_000)
			}
			switch string(s.x.name) {
			case "row":
				n := s.row + 1
				if r, ok := s.x.attr("r"); ok && len(r) > 0 {
					v, err := strconv.Atoi(string(r))
					if err != nil || v < 1 {
						return Row{}, false, damagedSheet(s.book, s.sheet, n, "row number %q", r)
					}
					n = v
				}
				if s.rows++; n > maxRows || s.rows > maxRows {
					return Row{}, false, pastLimit(s.book, s.sheet, min(n, maxRows+1), "has more than %d rows, Excel's limit", maxRows)
				}
				s.row, inRow, col, cells, rowText, sorted = n, true, 0, 0, 0, true
				s.kept = s.kept[:0]
			case "c":
				if !inRow {
					continue
				}
				if cells++; cells > maxColumns {
					return Row{}, false, pastLimit(s.book, s.sheet, s.row, "row %d has more than %d cells, Excel's limit (columns A to XFD)", s.row, maxColumns)
				}
				inCell = true
				cell = cellState{col: col + 1}
				if t, ok := s.x.attr("t"); ok {
					cell.typ = cellType(t)
				}
				if ref, ok := s.x.attr("r"); ok && len(ref) > 0 {
					c, ok := columnOf(ref)
					if !ok {
						return Row{}, false, damagedSheet(s.book, s.sheet, s.row, "cell reference %q", ref)
					}
					cell.col = c
				}
				if cell.col > maxColumns {
					return Row{}, false, pastLimit(s.book, s.sheet, s.row, "row %d has a cell past column XFD, Excel's last (%d columns)", s.row, maxColumns)
				}
				col = cell.col
				if s.x.endNext && cell.typ != "s" {
					// <c .../> holds nothing (a shared-string cell without
					// its index is damage, reported below): only its column
					// counts. Sheets of styled empty cells are common, and
					// hostile ones hold hundreds of millions.
					s.x.endNext, inCell = false, false
					continue
				}
				if st, ok := s.x.attr("s"); ok {
					cell.style, _ = strconv.Atoi(string(st))
				}
				s.text = s.text[:0]
			case "v", "t":
				inValue = inCell && !inRPh
			case "rPh":
				inRPh = true
			}
		case xmlEnd:
			switch string(s.x.name) {
			case "v", "t":
				inValue = false
			case "rPh":
				inRPh = false
			case "c":
				if !inCell {
					continue
				}
				inCell = false
				c, err := cellValue(s.book, s.sheet, s.row, cell, s.text)
				if err != nil {
					return Row{}, false, err
				}
				if c.Text == "" && !c.IsDate {
					continue // an empty cell costs nothing
				}
				if cell.typ != "s" {
					if rowText += len(c.Text); rowText > maxRowTextBytes {
						return Row{}, false, pastLimit(s.book, s.sheet, s.row, "row %d holds more than %s of text, the limit for one row", s.row, sizeText(maxRowTextBytes))
					}
				}
				if n := len(s.kept); n > 0 && s.kept[n-1].Col >= cell.col-1 {
					sorted = false
				}
				s.kept = append(s.kept, FarCell{Col: cell.col - 1, Cell: c})
			case "row":
				if !inRow {
					continue
				}
				return s.layOut(sorted), true, nil
			case "sheetData":
				return Row{}, false, nil
			}
		}
	}
}

// layOut makes the row read into s.kept a Row: the cells from column A on
// are dense as long as no more than farGap empty columns lie between two of
// them; the cells past such a gap go to Row.Far. A cell written twice keeps
// its last value.
func (s *sheetSource) layOut(sorted bool) Row {
	kept := s.kept
	if !sorted {
		slices.SortStableFunc(kept, func(a, b FarCell) int { return a.Col - b.Col })
		out := kept[:0]
		for i, c := range kept {
			if i+1 < len(kept) && kept[i+1].Col == c.Col {
				continue
			}
			out = append(out, c)
		}
		kept = out
	}
	dense, end := 0, 0
	for dense < len(kept) && kept[dense].Col < end+farGap {
		end = kept[dense].Col + 1
		dense++
	}
	row := Row{Num: s.row, Cells: s.slab.take(end)}
	for _, c := range kept[:dense] {
		row.Cells[c.Col] = c.Cell
	}
	if dense < len(kept) {
		row.Far = slices.Clone(kept[dense:])
	}
	return row
}

// cellTooLong is the error for a cell whose text passes maxCellBytes while
// it is read.
func (s *sheetSource) cellTooLong(c cellState) error {
	ref, _ := excelRef(c.col, s.row)
	return pastLimit(s.book, s.sheet, s.row, "cell %s holds more than %d characters, more than Excel allows in a cell", ref, maxCellChars)
}

// readError turns an error of the XML scanner into a sentence: a limit is
// named, a cancelled read passes as it is, anything else is damage.
func (s *sheetSource) readError(err error) error {
	var le *errLimit
	switch {
	case cancelled(err):
		return err
	case errors.As(err, &le) && le.what == "sheet":
		return sheetTooLarge(s.book.name, s.sheet)
	case errors.As(err, &le):
		return pastLimit(s.book, s.sheet, s.row+1, "%s", le.what)
	}
	return damagedSheet(s.book, s.sheet, s.row+1, "%v", err)
}

// cellValue turns the text read for a cell into a Cell. A NUL character
// (written _x0000_, &#0; or raw) is refused as in text files: no spreadsheet
// text carries one, and SQLite's text functions would cut the value there.
// So is a value longer than Excel lets a cell hold.
func cellValue(b *workbook, sheet string, row int, c cellState, v []byte) (Cell, error) {
	cell, err := decodeCell(b, sheet, row, c, v)
	if err == nil && strings.IndexByte(cell.Text, 0) >= 0 {
		ref, _ := excelRef(c.col, row)
		return Cell{}, damagedSheet(b, sheet, row, "cell %s holds a NUL character", ref)
	}
	if n, long := overlong(cell.Text); err == nil && long {
		ref, _ := excelRef(c.col, row)
		return Cell{}, damagedSheet(b, sheet, row, "cell %s holds %d characters, more than Excel allows (%d)", ref, n, maxCellChars)
	}
	return cell, err
}

// decodeCell is cellValue without the NUL check.
func decodeCell(b *workbook, sheet string, row int, c cellState, v []byte) (Cell, error) {
	switch c.typ {
	case "s":
		i, err := strconv.Atoi(string(bytes.TrimSpace(v)))
		if err != nil || i < 0 || i >= b.sst.len() {
			ref, _ := excelRef(c.col, row)
			return Cell{}, damagedSheet(b, sheet, row, "cell %s refers to shared string %q, which does not exist", ref, v)
		}
		return Cell{Text: b.sst.at(i)}, nil
	case "inlineStr", "str":
		return Cell{Text: unescapeX(string(v))}, nil
	case "b":
		switch string(bytes.TrimSpace(v)) {
		case "1", "true":
			return Cell{Text: "TRUE"}, nil
		case "0", "false":
			return Cell{Text: "FALSE"}, nil
		}
		return Cell{Text: string(v)}, nil
	case "d":
		text := string(v)
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02"} {
			if t, err := time.Parse(layout, text); err == nil {
				return Cell{Text: text, IsDate: true, Time: t}, nil
			}
		}
		return Cell{Text: text}, nil
	case "e":
		return Cell{Text: string(v)}, nil
	}
	if len(v) == 0 {
		return Cell{}, nil
	}
	text := string(v)
	if c.style > 0 && c.style < len(b.dateStyle) && b.dateStyle[c.style] {
		if f, err := strconv.ParseFloat(text, 64); err == nil && f >= 0 && f < maxSerial+1 {
			if t, err := serialTime(f, b.date1904); err == nil {
				return Cell{Text: text, IsDate: true, Time: t}, nil
			}
		}
	}
	if _, err := strconv.ParseFloat(text, 64); err == nil {
		return Cell{Text: text, IsNumber: true}, nil
	}
	return Cell{Text: text}, nil
}

// excelRef names a cell like "B7", for messages.
func excelRef(col, row int) (string, bool) {
	if col < 1 || col > maxColumns {
		return "", false
	}
	var letters []byte
	for c := col; c > 0; c = (c - 1) / 26 {
		letters = append([]byte{byte('A' + (c-1)%26)}, letters...)
	}
	return string(letters) + strconv.Itoa(row), true
}

func (s *sheetSource) close() error {
	if s.rc == nil {
		return nil
	}
	err := s.rc.Close()
	s.rc = nil
	return err
}

// columnOf reads the 1-based column of a cell reference like "AB12".
func columnOf[T string | []byte](ref T) (int, bool) {
	col, i := 0, 0
	for ; i < len(ref); i++ {
		c := ref[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c < 'A' || c > 'Z' {
			break
		}
		col = col*26 + int(c-'A'+1)
		if col > maxColumns {
			return col, true
		}
	}
	return col, i > 0
}

// unescapeX decodes the _xHHHH_ escapes OOXML uses for control characters.
func unescapeX(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if i+7 <= len(s) && s[i] == '_' && s[i+1] == 'x' && s[i+6] == '_' {
			if n, err := strconv.ParseUint(s[i+2:i+6], 16, 16); err == nil {
				b.WriteRune(rune(n))
				i += 7
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}
