package importer

import (
	"bufio"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/nomtrack/nomtrack/internal/files"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/output"
	"github.com/nomtrack/nomtrack/internal/sheet"
)

// rejects writes the rows an import refused, with their original columns
// and an `error` column, for the coordinator to fix and import again. It is
// written to a private temporary file beside its destination and renamed
// into place only when the import ends, and only when rows were rejected.
// Rows go through output's row writer, so a cell is written as a list or an
// export writes it: a workbook's date cell stays a date cell (YYYY-MM-DD in
// CSV), its numbers stay numbers, text is neutralised against formulas.
type rejects struct {
	path   string // destination as given; "" when no rejects file is wanted
	target string // the file path names (links followed)
	book   bool   // the input is a workbook: keep its sheets apart
	format string // csv, tsv or xlsx, from the destination's extension

	tmp *os.File
	bw  *bufio.Writer
	rw  output.RowWriter

	sheet string
	rows  int
	err   error
}

// newRejects says where rejected rows go: --rejects, or with --on-error skip
// FILE.rejects.csv (.xlsx for workbooks) beside the input. Dry runs write none.
func newRejects(input string, opt Options, book bool) *rejects {
	r := &rejects{path: RejectsPath(input, opt), book: book, format: output.CSV}
	r.target = files.Resolve(r.path)
	switch strings.ToLower(filepath.Ext(r.path)) {
	case ".xlsx":
		r.format = output.XLSX
	case ".tsv":
		r.format = output.TSV
	}
	return r
}

// RejectsPath is where an import of input with opt writes its rejected rows:
// opt.Rejects, or with --on-error skip FILE.rejects.csv (.xlsx for a
// workbook) beside the input; "" for none (a dry run writes none).
func RejectsPath(input string, opt Options) string {
	switch {
	case opt.DryRun:
		return ""
	case opt.Rejects == "" && opt.OnError == OnErrorSkip:
		ext := ".csv"
		if strings.EqualFold(filepath.Ext(input), ".xlsx") {
			ext = ".xlsx"
		}
		return strings.TrimSuffix(input, filepath.Ext(input)) + ".rejects" + ext
	}
	return opt.Rejects
}

// add writes one refused row under its sheet's header.
func (r *rejects) add(sheetName string, header []string, row sheet.Row, errs []RowError) error {
	if r.path == "" || r.err != nil {
		return r.err
	}
	msgs := make([]string, len(errs))
	for i, e := range errs {
		if e.Column != "" {
			msgs[i] = e.Column + ": " + e.Message
		} else {
			msgs[i] = e.Message
		}
	}
	cells := make([]output.Value, 0, len(header)+2)
	if r.book && r.format != output.XLSX {
		cells = append(cells, output.Text(sheetName)) // a text file has one table: say the sheet
	}
	for i := range header {
		cells = append(cells, cellValue(row.Cell(i)))
	}
	// Cells beyond the header are kept; a workbook's far cells (see
	// sheet.Row.Far) follow without the empty columns between them.
	for i := len(header); i < len(row.Cells); i++ {
		cells = append(cells, cellValue(row.Cells[i]))
	}
	for _, c := range row.Far {
		if c.Col >= len(header) {
			cells = append(cells, cellValue(c.Cell))
		}
	}
	cells = append(cells, output.Text(strings.Join(msgs, "; ")))
	r.err = r.write(sheetName, header, cells)
	return r.err
}

// cellValue types a cell as read: a workbook's date cell is a date, its
// number cell a number (when the number's text reads back the same, so a
// CSV rejects file holds what the sheet held), anything else text.
func cellValue(c sheet.Cell) output.Value {
	switch {
	case c.IsDate:
		return output.DateOf(c.Time)
	case c.IsNumber:
		if n, err := strconv.ParseInt(c.Text, 10, 64); err == nil && strconv.FormatInt(n, 10) == c.Text {
			return output.Int(n)
		}
		if f, err := strconv.ParseFloat(c.Text, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) &&
			strconv.FormatFloat(f, 'f', -1, 64) == c.Text {
			return output.Decimal(f)
		}
	}
	return output.Text(c.Text)
}

// write opens the file at the first rejected row and starts a table at each
// new sheet of a workbook: a sheet of its own in xlsx, the header again
// (after a "sheet" column) in csv and tsv.
func (r *rejects) write(sheetName string, header []string, cells []output.Value) error {
	if r.tmp == nil {
		tmp, err := os.CreateTemp(filepath.Dir(r.target), "."+filepath.Base(r.target)+".*")
		if err != nil {
			return nomtrack.Errorf(nomtrack.EINTERNAL, "cannot write the rejects file %s: %v", r.path, unwrap(err))
		}
		r.tmp = tmp
		r.bw = bufio.NewWriter(tmp)
		if r.rw, err = output.NewRowWriter(r.bw, r.format, nil, output.RowOptions{Sheet: "Rejects"}); err != nil {
			return err
		}
	}
	if r.rows == 0 || r.sheet != sheetName && (r.book || r.format == output.XLSX) {
		h := append(append([]string(nil), header...), "error")
		name := sheetName
		if r.format != output.XLSX {
			name = ""
			if r.book {
				h = append([]string{"sheet"}, h...)
			}
		}
		if err := r.rw.Begin(name, h); err != nil {
			return err
		}
		r.sheet = sheetName
	}
	r.rows++
	return r.rw.WriteRow(cells...)
}

// commit finishes the file and renames it into place (mode 0600: rejected
// rows hold personal data), returning its path; "" when nothing was written.
func (r *rejects) commit() (string, error) {
	if r.tmp == nil {
		return "", r.err
	}
	fail := func(err error) (string, error) {
		r.discard()
		return "", nomtrack.Errorf(nomtrack.EINTERNAL, "cannot write the rejects file %s: %v", r.path, unwrap(err))
	}
	if r.err != nil {
		return fail(r.err)
	}
	if err := r.rw.Close(); err != nil {
		return fail(err)
	}
	if err := r.bw.Flush(); err != nil {
		return fail(err)
	}
	if err := r.tmp.Close(); err != nil {
		return fail(err)
	}
	if err := os.Rename(r.tmp.Name(), r.target); err != nil {
		return fail(err)
	}
	r.tmp = nil
	return r.path, nil
}

// discard removes an unfinished rejects file.
func (r *rejects) discard() {
	r.rw = nil
	if r.tmp != nil {
		r.tmp.Close()
		os.Remove(r.tmp.Name())
		r.tmp = nil
	}
}

func unwrap(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
