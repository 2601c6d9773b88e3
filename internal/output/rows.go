package output

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/xlsx"
)

// RowWriter streams rows of typed cells under a header into one format. It
// is the one place rows become table, json, jsonl, yaml, csv, tsv, md or
// xlsx: lists, shows, exports, reports' tables and the importer's rejects
// file all write through it, so a cell reads the same in each (see Kind).
// Every format but table holds one row at a time: an export of a million
// rows costs the memory of one. A table must see every row to size its
// columns, so it holds them until Close.
type RowWriter interface {
	// Begin starts a table under header: a new sheet (named name) in xlsx,
	// the header row again in csv, tsv and md, new keys in json, jsonl and
	// yaml, a new block after a blank line in a table. NewRowWriter begins
	// the first table itself when given a header.
	Begin(name string, header []string) error
	// WriteRow writes one row. A short row is padded with empty cells. In
	// csv, tsv and xlsx a row may run past its header (a rejected row keeps
	// its extra cells); the other formats refuse such a row.
	WriteRow(cells ...Value) error
	// Close finishes the output (the workbook's parts, JSON's closing
	// bracket, the table itself).
	Close() error
}

// RowOptions shape a RowWriter's output.
type RowOptions struct {
	// BOM starts csv and tsv with a UTF-8 byte order mark, for Excel.
	BOM bool
	// Sheet names the first xlsx sheet when Begin is not given one
	// (default "Sheet1").
	Sheet string
	// Color makes a table's header bold; Width (a terminal's) makes it fit,
	// dropping Optional columns first (see Tab); HideEmpty columns with no
	// value in any row are left out of a table.
	Color     bool
	Width     int
	Optional  []string
	HideEmpty []string
}

// NewRowWriter starts writing rows in format to w, under header unless it
// is nil (then call Begin before the first row).
func NewRowWriter(w io.Writer, format string, header []string, o RowOptions) (RowWriter, error) {
	var rw RowWriter
	switch format {
	case CSV, TSV:
		if o.BOM {
			if _, err := io.WriteString(w, "\uFEFF"); err != nil {
				return nil, err
			}
		}
		cw := csv.NewWriter(w)
		if format == TSV {
			cw.Comma = '\t'
		}
		rw = &csvRows{cw: cw}
	case JSON:
		rw = &jsonRows{w: w}
	case JSONL:
		rw = &jsonRows{w: w, lines: true}
	case YAML:
		rw = &yamlRows{w: w}
	case MD:
		rw = &mdRows{w: w}
	case Table:
		rw = &tableRows{w: w, opts: o}
	case XLSX:
		name := o.Sheet
		if name == "" {
			name = "Sheet1"
		}
		rw = newXLSXRows(w, name)
	default:
		return nil, nomtrack.Errorf(nomtrack.EUSAGE, "rows cannot be written as %s", format)
	}
	if header != nil {
		if err := rw.Begin("", header); err != nil {
			return nil, err
		}
	}
	return rw, nil
}

// errLongRow refuses a row with more cells than its header in a format
// whose cells are named by the header.
func errLongRow(cells, header int) error {
	return nomtrack.Errorf(nomtrack.EINTERNAL, "a row of %d cells under a header of %d cannot be written here", cells, header)
}

// csvRows writes CSV or TSV: text neutralised, everything else as String.
type csvRows struct {
	cw  *csv.Writer
	rec []string
}

func (c *csvRows) Begin(_ string, header []string) error {
	return c.WriteRow(textValues(header)...)
}

func (c *csvRows) WriteRow(cells ...Value) error {
	c.rec = c.rec[:0]
	for _, v := range cells {
		c.rec = append(c.rec, v.safe())
	}
	return c.cw.Write(c.rec)
}

func (c *csvRows) Close() error {
	c.cw.Flush()
	return c.cw.Error()
}

func textValues(ss []string) []Value {
	out := make([]Value, len(ss))
	for i, s := range ss {
		out[i] = Text(s)
	}
	return out
}

// jsonRows writes an array of objects keyed by the header, one object a
// line (an empty array is []), or with lines JSON Lines: one compact
// object a line. HTML characters are not escaped, as in every JSON
// nomtrack prints.
type jsonRows struct {
	w      io.Writer
	lines  bool
	header []string
	keys   [][]byte // each header name encoded once, with its colon
	n      int
	buf    []byte
	val    bytes.Buffer
	enc    *json.Encoder
}

func (j *jsonRows) Begin(_ string, header []string) error {
	j.header, j.keys = header, make([][]byte, len(header))
	for i, key := range header {
		b, err := j.appendJSON(nil, key)
		if err != nil {
			return err
		}
		b = append(b, ':')
		if !j.lines {
			b = append(b, ' ')
		}
		j.keys[i] = b
	}
	return nil
}

func (j *jsonRows) WriteRow(cells ...Value) error {
	if len(cells) > len(j.header) {
		return errLongRow(len(cells), len(j.header))
	}
	b := j.buf[:0]
	switch {
	case j.lines:
		b = append(b, '{')
	case j.n == 0:
		b = append(b, "[\n  {"...)
	default:
		b = append(b, ",\n  {"...)
	}
	sep := ", "
	if j.lines {
		sep = ","
	}
	for i, key := range j.keys {
		if i > 0 {
			b = append(b, sep...)
		}
		b = append(b, key...)
		var v Value
		var err error
		if i < len(cells) {
			v = cells[i]
		}
		if b, err = j.appendValue(b, v); err != nil {
			return err
		}
	}
	b = append(b, '}')
	if j.lines {
		b = append(b, '\n')
	}
	j.buf, j.n = b, j.n+1
	_, err := j.w.Write(b)
	return err
}

// appendValue appends v as JSON (see Kind).
func (j *jsonRows) appendValue(b []byte, v Value) ([]byte, error) {
	switch v.kind {
	case KindEmpty:
		return append(b, "null"...), nil
	case KindText, KindDate:
		return appendJSONString(b, v.s), nil
	case KindInt:
		return strconv.AppendInt(b, v.n, 10), nil
	case KindDecimal:
		return j.appendJSON(b, v.f)
	case KindBool:
		return strconv.AppendBool(b, v.n != 0), nil
	}
	return b, fmt.Errorf("unknown cell kind %d", v.kind)
}

// appendJSON appends x as encoding/json writes it (strings escaped as it
// does, floats spelled as it does).
func (j *jsonRows) appendJSON(b []byte, x any) ([]byte, error) {
	if j.enc == nil {
		j.enc = json.NewEncoder(&j.val)
		j.enc.SetEscapeHTML(false)
	}
	j.val.Reset()
	if err := j.enc.Encode(x); err != nil {
		return b, err
	}
	return append(b, bytes.TrimSuffix(j.val.Bytes(), []byte("\n"))...), nil
}

// appendJSONString appends s as a JSON string exactly as encoding/json
// writes it with HTML escaping off (TestAppendJSONStringIsEncodingJSONs),
// without its per-call allocations: an export writes millions of them.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

func (j *jsonRows) Close() error {
	if j.lines {
		return nil
	}
	end := "\n]\n"
	if j.n == 0 {
		end = "[]\n"
	}
	_, err := io.WriteString(j.w, end)
	return err
}

// yamlRows writes a YAML sequence of mappings keyed by the header, one
// row at a time (an empty sequence is []).
type yamlRows struct {
	w      io.Writer
	header []string
	n      int
	buf    bytes.Buffer
}

func (y *yamlRows) Begin(_ string, header []string) error {
	y.header = header
	return nil
}

func (y *yamlRows) WriteRow(cells ...Value) error {
	if len(cells) > len(y.header) {
		return errLongRow(len(cells), len(y.header))
	}
	m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	for i, key := range y.header {
		var v Value
		if i < len(cells) {
			v = cells[i]
		}
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, yamlValue(v))
	}
	y.buf.Reset()
	enc := yaml.NewEncoder(&y.buf)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: []*yaml.Node{m}}); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	y.n++
	_, err := y.w.Write(y.buf.Bytes())
	return err
}

// yamlValue is v as a YAML scalar (see Kind); a date is a string, as in
// JSON, not a YAML timestamp.
func yamlValue(v Value) *yaml.Node {
	switch v.kind {
	case KindText, KindDate:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v.s}
	case KindInt:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: v.String()}
	case KindDecimal:
		b, _ := json.Marshal(v.f)
		tag := "!!float"
		if !bytes.ContainsAny(b, ".eE") {
			tag = "!!int" // a whole number reads back as one
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: string(b)}
	case KindBool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: v.String()}
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
}

func (y *yamlRows) Close() error {
	if y.n == 0 {
		_, err := io.WriteString(y.w, "[]\n")
		return err
	}
	return nil
}

// mdRows writes GitHub-flavoured Markdown tables.
type mdRows struct {
	w      io.Writer
	header []string
	tables int
	b      strings.Builder
}

func (m *mdRows) Begin(_ string, header []string) error {
	m.b.Reset()
	if m.tables > 0 {
		m.b.WriteString("\n")
	}
	m.tables++
	m.header = header
	m.b.WriteString("|")
	for _, c := range header {
		m.b.WriteString(" " + mdEscape(c) + " |")
	}
	m.b.WriteString("\n|")
	for range header {
		m.b.WriteString(" --- |")
	}
	m.b.WriteString("\n")
	_, err := io.WriteString(m.w, m.b.String())
	return err
}

func (m *mdRows) WriteRow(cells ...Value) error {
	if len(cells) > len(m.header) {
		return errLongRow(len(cells), len(m.header))
	}
	m.b.Reset()
	m.b.WriteString("|")
	for i := range m.header {
		s := ""
		if i < len(cells) {
			s = cells[i].String()
		}
		m.b.WriteString(" " + mdEscape(s) + " |")
	}
	m.b.WriteString("\n")
	_, err := io.WriteString(m.w, m.b.String())
	return err
}

func (m *mdRows) Close() error { return nil }

func mdEscape(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}

// tableRows gathers a table's rows and draws it (see writeTable) when the
// next one begins or at Close. Each cell is formatted as it comes, so a
// long table keeps strings, not values.
type tableRows struct {
	w      io.Writer
	opts   RowOptions
	tab    *Tab
	cells  *tableCells
	tables int
}

func (t *tableRows) Begin(_ string, header []string) error {
	if err := t.flush(); err != nil {
		return err
	}
	t.tab = &Tab{Columns: header, Optional: t.opts.Optional, HideEmpty: t.opts.HideEmpty}
	t.cells = newTableCells(len(header))
	return nil
}

func (t *tableRows) WriteRow(cells ...Value) error {
	if len(cells) > len(t.tab.Columns) {
		return errLongRow(len(cells), len(t.tab.Columns))
	}
	t.cells.add(cells)
	return nil
}

func (t *tableRows) flush() error {
	if t.tab == nil {
		return nil
	}
	if t.tables > 0 {
		if _, err := io.WriteString(t.w, "\n"); err != nil {
			return err
		}
	}
	t.tables++
	tab, cells := t.tab, t.cells
	t.tab, t.cells = nil, nil
	return writeTable(t.w, tab, cells, t.opts.Color, t.opts.Width)
}

func (t *tableRows) Close() error { return t.flush() }

// xlsxRows streams rows into worksheets: a bold header, numbers as
// numbers, dates as date cells shown YYYY-MM-DD, rates as percentages,
// text neutralised.
type xlsxRows struct {
	xw      *xlsx.Writer
	first   string // the first sheet's name, when Begin is given none
	bold    xlsx.StyleID
	date    xlsx.StyleID
	percent xlsx.StyleID
	buf     []xlsx.Cell
	began   bool
}

func newXLSXRows(w io.Writer, first string) *xlsxRows {
	xw := xlsx.NewWriter(w)
	return &xlsxRows{xw: xw, first: first,
		bold:    xw.AddStyle(xlsx.Style{Bold: true}),
		date:    xw.AddStyle(xlsx.Style{NumFmt: xlsx.ISODate}),
		percent: xw.AddStyle(xlsx.Style{NumFmt: xlsx.Percent2})}
}

func (x *xlsxRows) Begin(name string, header []string) error {
	return x.sheet(name, header, xlsx.SheetOptions{})
}

// sheet starts a sheet shaped by o with header as its bold first row.
func (x *xlsxRows) sheet(name string, header []string, o xlsx.SheetOptions) error {
	if name == "" {
		name = x.first
	}
	if err := x.xw.NewSheet(name, o); err != nil {
		return err
	}
	x.began = true
	x.buf = x.buf[:0]
	for _, c := range header {
		x.buf = append(x.buf, xlsx.Text(Neutralise(c)).WithStyle(x.bold))
	}
	return x.xw.WriteRow(x.buf...)
}

func (x *xlsxRows) WriteRow(cells ...Value) error {
	x.buf = x.buf[:0]
	for _, v := range cells {
		x.buf = append(x.buf, x.cell(v))
	}
	return x.xw.WriteRow(x.buf...)
}

// cell is v as a workbook cell (see Kind).
func (x *xlsxRows) cell(v Value) xlsx.Cell {
	switch v.kind {
	case KindText:
		if v.s == "" {
			return xlsx.Empty()
		}
		return xlsx.Text(Neutralise(v.s))
	case KindInt:
		return xlsx.Int(v.n)
	case KindDecimal:
		if v.percent {
			return xlsx.Float(v.f).WithStyle(x.percent)
		}
		return xlsx.Float(v.f)
	case KindBool:
		return xlsx.Bool(v.n != 0)
	case KindDate:
		y, _ := strconv.Atoi(v.s[0:4])
		m, _ := strconv.Atoi(v.s[5:7])
		d, _ := strconv.Atoi(v.s[8:10])
		if c, ok := xlsx.Date(y, time.Month(m), d); ok {
			return c.WithStyle(x.date)
		}
		return xlsx.Text(v.s)
	}
	if v.percent {
		return xlsx.Empty().WithStyle(x.percent) // a rate typed in later shows as one
	}
	return xlsx.Empty()
}

func (x *xlsxRows) Close() error {
	if !x.began {
		if err := x.Begin("", nil); err != nil {
			return err
		}
	}
	return x.xw.Close()
}

// Workbook is the xlsx row writer for a caller that shapes its sheets, as
// the reports do: each sheet takes column widths and a frozen header, and
// the underlying writer draws charts. Cells are written as every other
// format's (see Kind).
type Workbook struct{ x *xlsxRows }

// NewWorkbook starts a workbook on w.
func NewWorkbook(w io.Writer) *Workbook { return &Workbook{newXLSXRows(w, "Sheet1")} }

// Sheet starts a sheet named name, shaped by o, under a bold header.
func (b *Workbook) Sheet(name string, header []string, o xlsx.SheetOptions) error {
	return b.x.sheet(name, header, o)
}

// WriteRow writes one row to the current sheet.
func (b *Workbook) WriteRow(cells ...Value) error { return b.x.WriteRow(cells...) }

// XLSX is the underlying writer, for charts.
func (b *Workbook) XLSX() *xlsx.Writer { return b.x.xw }

// Close finishes the workbook.
func (b *Workbook) Close() error { return b.x.Close() }
