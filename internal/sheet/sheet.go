// Package sheet reads the spreadsheets ministries really send: CSV, TSV and
// tab-separated "Unicode text" in UTF-8, UTF-16 or Windows-1256, and XLSX
// workbooks. It streams rows (memory stays flat as files grow), matches headers
// to the canonical fields of each import kind and normalises values (digits,
// whitespace, dates). It knows nothing about the database.
package sheet

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// Options says how to open a file; the zero value detects everything.
type Options struct {
	// Encoding overrides detection for text files: "utf-8", "utf-16",
	// "utf-16le", "utf-16be", "windows-1256" (or "cp1256"), "latin1" (or
	// "windows-1252"). "" detects it from the bytes.
	Encoding string
	// Sheet is the xlsx sheet read when Rows is given ""; "" means the first.
	// It is matched case-insensitively.
	Sheet string
	// Delimiter of a text file; 0 sniffs comma, semicolon or tab (.tsv: tab).
	Delimiter rune
}

// Extensions lists the file extensions Open accepts, for help texts.
var Extensions = []string{".csv", ".tsv", ".txt", ".xlsx"}

// File is an opened spreadsheet. Text files are re-read from the start by
// every Rows call; workbooks keep their zip directory open until Close.
type File struct {
	path string
	name string // base name, used in every message
	opt  Options

	// text files
	enc     textEncoding
	delim   rune
	crLines bool // lines end in a bare CR (old Mac Excel)

	// workbooks
	book *workbook
}

// Row is one spreadsheet row.
type Row struct {
	// Num is the row number as the user sees it in the sheet: the header is
	// row 1 of a text file, and an xlsx row keeps its own number even when
	// empty rows before it are absent from the file.
	Num   int
	Cells []Cell
	// Far holds, in column order, the non-empty cells of a workbook row that
	// lie far to the right of the cells before them: a row costs what it
	// holds, not the empty cells up to its last column. Cell and Width see
	// Cells and Far as one row; text files never fill Far.
	Far []FarCell
}

// FarCell is a cell kept apart from a row's dense cells, with its 0-based
// column.
type FarCell struct {
	Col int
	Cell
}

// Cell returns the cell in 0-based column i, or the zero Cell.
func (r Row) Cell(i int) Cell {
	if i >= 0 && i < len(r.Cells) {
		return r.Cells[i]
	}
	if len(r.Far) == 0 || i < r.Far[0].Col {
		return Cell{}
	}
	j := sort.Search(len(r.Far), func(j int) bool { return r.Far[j].Col >= i })
	if j < len(r.Far) && r.Far[j].Col == i {
		return r.Far[j].Cell
	}
	return Cell{}
}

// Filled is the number of columns up to the row's last cell that holds
// more than spaces: what the row really uses, found without visiting the
// empty columns before a far cell.
func (r Row) Filled() int {
	filled := func(c Cell) bool { return c.IsDate || strings.TrimSpace(c.Text) != "" }
	for i := len(r.Far) - 1; i >= 0; i-- {
		if filled(r.Far[i].Cell) {
			return r.Far[i].Col + 1
		}
	}
	for i := len(r.Cells) - 1; i >= 0; i-- {
		if filled(r.Cells[i]) {
			return i + 1
		}
	}
	return 0
}

// Width is the number of columns up to the row's last cell.
func (r Row) Width() int {
	if n := len(r.Far); n > 0 {
		return r.Far[n-1].Col + 1
	}
	return len(r.Cells)
}

// Cell is one cell of a row.
type Cell struct {
	// Text is the field of a text file, or the raw value of an xlsx cell (the
	// unformatted number for numbers, TRUE/FALSE for booleans).
	Text string
	// IsDate is set for an xlsx numeric cell whose number format shows a date
	// or time, and for an xlsx cell of date type.
	IsDate bool
	// Time is the cell's date when IsDate, computed from the raw serial with
	// the workbook's 1900 or 1904 date system.
	Time time.Time
	// IsNumber is set for an xlsx numeric cell that is not a date (Text is
	// its raw value), so a rejects file can keep it a number.
	IsNumber bool
}

// Blank reports whether every cell is empty after trimming, so importers can
// skip the spacer rows people leave in sheets.
func (r Row) Blank() bool {
	for _, c := range r.Cells {
		if c.IsDate || !blankText(c.Text) {
			return false
		}
	}
	for _, c := range r.Far {
		if c.IsDate || !blankText(c.Text) {
			return false
		}
	}
	return true
}

// Open opens path as a spreadsheet chosen by its extension (case-insensitive):
// .csv, .tsv and .txt are text, .xlsx is a workbook. Text encoding and
// delimiter are detected here from the first 64 KiB unless opt sets them.
func Open(path string, opt Options) (*File, error) {
	f := &File{path: path, name: filepath.Base(path), opt: opt}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return nil, nomtrack.Errorf(nomtrack.EINTERNAL, "%s is a directory, not a spreadsheet; name a file in it", f.name)
	}
	ext := strings.ToLower(filepath.Ext(path))
	switch ext {
	case ".csv", ".tsv", ".txt":
		if err := f.openText(ext); err != nil {
			return nil, err
		}
		return f, nil
	case ".xlsx":
		b, err := openWorkbook(path, f.name)
		if err != nil {
			return nil, err
		}
		f.book = b
		if opt.Sheet != "" {
			if _, err := f.book.find(opt.Sheet); err != nil {
				b.close()
				return nil, err
			}
		}
		return f, nil
	case ".xls":
		return nil, nomtrack.Errorf(nomtrack.EUSAGE, "%s is an old Excel 97-2003 workbook, which cannot be read; save it as .xlsx or .csv", f.name)
	default:
		return nil, nomtrack.Errorf(nomtrack.EUSAGE, "%s cannot be read: accepted files are %s", f.name, strings.Join(Extensions, ", "))
	}
}

// Close releases the file. It is safe to call twice.
func (f *File) Close() error {
	if f.book != nil {
		err := f.book.close()
		f.book = nil
		return err
	}
	return nil
}

// Sheets lists the sheet names of a workbook in order; a text file has one
// sheet named after the file.
func (f *File) Sheets() []string {
	if f.book != nil {
		names := make([]string, len(f.book.sheets))
		for i, s := range f.book.sheets {
			names[i] = s.name
		}
		return names
	}
	return []string{f.name}
}

// Encoding names how the file was decoded: "utf-8", "utf-8-bom", "utf-16le",
// "utf-16be", "windows-1256", "windows-1252", or "xlsx" for workbooks.
func (f *File) Encoding() string {
	if f.book != nil {
		return "xlsx"
	}
	return f.enc.name
}

// Name is the file's base name, as every message of this package names it.
func (f *File) Name() string { return f.name }

// Delimiter is the field separator of a text file (sniffed or given); 0 for
// workbooks.
func (f *File) Delimiter() rune { return f.delim }

// Date1904 reports whether a workbook uses the 1904 date system (Mac Excel);
// false for text files.
func (f *File) Date1904() bool { return f.book != nil && f.book.date1904 }

// Rows starts streaming the rows of sheet: "" means Options.Sheet, or the
// first sheet. Sheet names match case-insensitively.
func (f *File) Rows(sheet string) (*Rows, error) {
	return f.RowsContext(context.Background(), sheet)
}

// RowsContext is Rows that stops reading when ctx is cancelled: Next then
// returns false and Err the context's error.
func (f *File) RowsContext(ctx context.Context, sheet string) (*Rows, error) {
	if sheet == "" {
		sheet = f.opt.Sheet
	}
	if f.book != nil {
		s, err := f.book.find(sheet)
		if err != nil {
			return nil, err
		}
		src, err := f.book.rows(ctx, s)
		if err != nil {
			return nil, err
		}
		return &Rows{src: src}, nil
	}
	if sheet != "" && !strings.EqualFold(sheet, f.name) {
		return nil, nomtrack.Errorf(nomtrack.ENOTFOUND, "%s has no sheet %q: a text file has one sheet, %q", f.name, sheet, f.name)
	}
	fh, err := os.Open(f.path)
	if err != nil {
		return nil, fileError(f.name, err)
	}
	return &Rows{src: newTextSource(readCloser{ctxReader{ctx, fh}, fh}, f.name, f.enc, f.delim, f.crLines)}, nil
}

// readCloser is a reader with the Close of the file under it.
type readCloser struct {
	io.Reader
	io.Closer
}

// source is one way of producing rows (text or workbook).
type source interface {
	next() (Row, bool, error)
	close() error
}

// Rows streams the rows of one sheet. Each Row handed out is the caller's to
// keep: later rows never overwrite it.
type Rows struct {
	src  source
	cur  Row
	err  error
	done bool
}

// Next advances to the next row, returning false at the end or on an error
// (see Err).
func (r *Rows) Next() bool {
	if r.done {
		return false
	}
	row, ok, err := r.src.next()
	if err != nil || !ok {
		r.err, r.done, r.cur = err, true, Row{}
		return false
	}
	r.cur = row
	return true
}

// Row returns the current row.
func (r *Rows) Row() Row { return r.cur }

// Err returns the error that stopped Next, if any. Its message names the file
// and row, e.g. `people.csv:7: unterminated quoted field`.
func (r *Rows) Err() error { return r.err }

// Close releases the underlying file. It is safe to call twice.
func (r *Rows) Close() error {
	r.done = true
	if r.src == nil {
		return nil
	}
	err := r.src.close()
	r.src = nil
	return err
}

// overlong reports a value longer than maxCellChars, with its length in
// characters.
func overlong(s string) (int, bool) {
	if len(s) <= maxCellChars {
		return 0, false
	}
	n := utf8.RuneCountInString(s)
	return n, n > maxCellChars
}

// rowError is a data error at one row of a file.
func rowError(name string, row int, format string, args ...any) error {
	return nomtrack.Errorf(nomtrack.EINVALID, "%s:%d: %s", name, row, fmt.Sprintf(format, args...))
}

// fileError turns an I/O error into a sentence naming the file.
func fileError(name string, err error) error {
	switch {
	case os.IsNotExist(err):
		return nomtrack.Errorf(nomtrack.ENOTFOUND, "%s does not exist", name)
	case os.IsPermission(err):
		return nomtrack.Errorf(nomtrack.EINTERNAL, "%s cannot be read: permission denied", name)
	}
	return fmt.Errorf("reading %s: %w", name, err)
}

// cellSlab hands out cell slices carved from larger blocks, so streaming a
// million rows costs one allocation per block instead of one per row, while
// each handed-out slice stays valid for the caller to keep.
type cellSlab struct{ buf []Cell }

const slabCells = 1024

func (s *cellSlab) take(n int) []Cell {
	if n > slabCells/4 {
		return make([]Cell, n)
	}
	if len(s.buf) < n {
		s.buf = make([]Cell, slabCells)
	}
	c := s.buf[:n:n]
	s.buf = s.buf[n:]
	return c
}
