package importer

import (
	"bufio"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"

	"github.com/nomtrack/nomtrack/internal/files"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/output"
	"github.com/nomtrack/nomtrack/internal/sheet"
	"github.com/nomtrack/nomtrack/internal/xlsx"
)

// rejects writes the rows an import refused, with their original columns
// and an `error` column, for the coordinator to fix and import again. It is
// written to a private temporary file beside its destination and renamed
// into place only when the import ends, and only when rows were rejected.
type rejects struct {
	path   string // destination as given; "" when no rejects file is wanted
	target string // the file path names (links followed)
	book   bool   // the input is a workbook: keep its sheets apart
	xlsx   bool

	tmp *os.File
	bw  *bufio.Writer
	cw  *csv.Writer

	xw    *xlsx.Writer
	sheet string
	row   int
	err   error
}

// newRejects says where rejected rows go: --rejects, or with --on-error skip
// FILE.rejects.csv (.xlsx for workbooks) beside the input. Dry runs write none.
func newRejects(input string, opt Options, book bool) *rejects {
	r := &rejects{path: rejectsPath(input, opt), book: book}
	r.target = files.Resolve(r.path)
	r.xlsx = strings.EqualFold(filepath.Ext(r.path), ".xlsx")
	return r
}

// rejectsPath is where rejected rows go; "" for none.
func rejectsPath(input string, opt Options) string {
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
	cells := make([]string, len(header), len(header)+1)
	for i := range cells {
		c := row.Cell(i)
		if c.IsDate {
			cells[i] = c.Time.Format(nomtrack.DateLayout)
		} else {
			cells[i] = c.Text
		}
	}
	// Cells beyond the header are kept; a workbook's far cells (see
	// sheet.Row.Far) follow without the empty columns between them.
	for i := len(header); i < len(row.Cells); i++ {
		cells = append(cells, row.Cells[i].Text)
	}
	for _, c := range row.Far {
		if c.Col >= len(header) {
			cells = append(cells, c.Text)
		}
	}
	cells = append(cells, strings.Join(msgs, "; "))
	if r.xlsx {
		r.err = r.addXLSX(sheetName, header, cells)
	} else {
		r.err = r.addCSV(sheetName, header, cells)
	}
	return r.err
}

func (r *rejects) open() error {
	tmp, err := os.CreateTemp(filepath.Dir(r.target), "."+filepath.Base(r.target)+".*")
	if err != nil {
		return nomtrack.Errorf(nomtrack.EINTERNAL, "cannot write the rejects file %s: %v", r.path, unwrap(err))
	}
	r.tmp = tmp
	return nil
}

func (r *rejects) addCSV(sheetName string, header, cells []string) error {
	if r.tmp == nil {
		if err := r.open(); err != nil {
			return err
		}
		r.bw = bufio.NewWriter(r.tmp)
		r.cw = csv.NewWriter(r.bw)
		if strings.EqualFold(filepath.Ext(r.path), ".tsv") {
			r.cw.Comma = '\t'
		}
	}
	if r.row == 0 || r.book && r.sheet != sheetName {
		// A workbook's sheets have different columns: each gets its header.
		h := append(append([]string(nil), header...), "error")
		if r.book {
			h = append([]string{"sheet"}, h...)
		}
		if err := r.cw.Write(neutralised(h)); err != nil {
			return err
		}
		r.sheet = sheetName
	}
	if r.book {
		cells = append([]string{sheetName}, cells...)
	}
	r.row++
	return r.cw.Write(neutralised(cells))
}

// neutralised protects the rejects file, which a coordinator opens in a
// spreadsheet, against cells that would run as formulas.
func neutralised(cells []string) []string {
	for i, c := range cells {
		cells[i] = output.Neutralise(c)
	}
	return cells
}

func (r *rejects) addXLSX(sheetName string, header, cells []string) error {
	if sheetName == "" {
		sheetName = "Rejects"
	}
	if r.xw == nil {
		if err := r.open(); err != nil {
			return err
		}
		r.xw = xlsx.NewWriter(r.tmp) // buffered by the zip writer
	}
	if r.row == 0 || r.sheet != sheetName {
		if err := r.xw.NewSheet(sheetName, xlsx.SheetOptions{}); err != nil {
			return err
		}
		r.sheet, r.row = sheetName, 1
		if err := r.xw.WriteRow(xlsxCells(append(append([]string(nil), header...), "error"))...); err != nil {
			return err
		}
	}
	r.row++
	return r.xw.WriteRow(xlsxCells(cells)...)
}

func xlsxCells(cells []string) []xlsx.Cell {
	out := make([]xlsx.Cell, len(cells))
	for i, c := range cells {
		out[i] = xlsx.Text(output.Neutralise(c))
	}
	return out
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
	if r.xw != nil {
		if err := r.xw.Close(); err != nil {
			return fail(err)
		}
		r.xw = nil
	} else {
		r.cw.Flush()
		if err := r.cw.Error(); err != nil {
			return fail(err)
		}
		if err := r.bw.Flush(); err != nil {
			return fail(err)
		}
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
	r.xw = nil
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
