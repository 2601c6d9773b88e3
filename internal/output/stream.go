package output

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"

	"github.com/mattn/go-runewidth"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// Stream describes a list printed record by record as it is found, for
// lists too long to hold in memory (`person dupes` on a large programme).
type Stream struct {
	Columns  []string
	Optional []string // as Tab.Optional
	// Widths bound each column's cells (in terminal cells) for the table
	// format, which must pad its columns before it has seen the rows. A
	// cell wider than its bound is cut with "…" on a terminal; piped, it is
	// written whole and its line runs longer.
	Widths []int
	// Text names the columns of free text (names, reasons), which a
	// terminal too narrow for the table cuts first (see fit).
	Text []string
	// Record is a zero record of the list (the type Emit's data has), so
	// that --sort and --json know the fields even of an empty list.
	Record any
}

// Emit prints one record: data is what -o json prints for it, row its
// cells under the Stream's columns. Emit returns ErrStop once --limit
// records are printed; the producer then stops and returns it.
type Emit func(data any, row []any) error

// ErrStop tells a producer that the output wants no more records.
var ErrStop = errors.New("output: no more records wanted")

// WriteStream prints the records produce emits in opts' format, each as it
// comes, so memory stays flat however long the list (table, json, jsonl,
// csv, tsv, md; --limit stops the producer early). What needs the whole list
// first — --sort, --reverse, --json FIELDS, --jq, yaml — collects it and
// prints it through Write.
func WriteStream(s *Streams, opts Options, allowed []string, st Stream, produce func(Emit) error) error {
	format, err := opts.Resolve(allowed)
	if err != nil {
		return err
	}
	if opts.Sort != "" || opts.Reverse || len(opts.Fields) > 0 || opts.JQ != "" || format == YAML || format == XLSX {
		var items reflect.Value // a slice of Record's type, as Write is given
		if st.Record != nil {
			items = reflect.MakeSlice(reflect.SliceOf(reflect.TypeOf(st.Record)), 0, 0)
		} else {
			items = reflect.ValueOf([]any{})
		}
		t := &Tab{Columns: st.Columns, Optional: st.Optional}
		err := produce(func(data any, row []any) error {
			items = reflect.Append(items, reflect.ValueOf(data))
			t.Rows = append(t.Rows, row)
			return nil
		})
		if err != nil {
			return err
		}
		return Write(s, opts, allowed, Doc{JSON: items.Interface(), Tab: t})
	}
	run := func(w io.Writer, width int, color bool) error {
		sw := newStreamWriter(w, format, st, width, color)
		n := 0
		err := produce(func(data any, row []any) error {
			if opts.Limit > 0 && n >= opts.Limit {
				return ErrStop
			}
			n++
			return sw.record(data, row)
		})
		if err != nil && !errors.Is(err, ErrStop) {
			return err
		}
		return sw.close(n)
	}
	if opts.OutFile != "" {
		err := writeFile(opts.Done, opts.OutFile, opts.Keep, func(w io.Writer) error { return run(w, 0, false) })
		return s.noResults(err)
	}
	width := 0
	if s.OutTTY && !opts.Wide {
		width = s.Width
	}
	return s.noResults(s.page(func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		if err := run(bw, width, s.Color && s.OutTTY); err != nil {
			bw.Flush()
			return err
		}
		return bw.Flush()
	}))
}

// streamWriter writes one format record by record.
type streamWriter struct {
	w      io.Writer
	format string
	st     Stream
	width  int
	color  bool
	table  *tableLayout
	cells  []string
	csv    *csv.Writer
	rec    []string
	md     *mdRows
	enc    *json.Encoder
	buf    bytes.Buffer
	n      int
}

func newStreamWriter(w io.Writer, format string, st Stream, width int, color bool) *streamWriter {
	sw := &streamWriter{w: w, format: format, st: st, width: width, color: color}
	switch format {
	case CSV, TSV:
		sw.csv = csv.NewWriter(w)
		if format == TSV {
			sw.csv.Comma = '\t'
		}
		sw.rec = make([]string, len(st.Columns))
	case MD:
		sw.md = &mdRows{w: w}
	case JSON, JSONL:
		// As writeJSON and writeJSONLines: names such as "Al-Saadi & Sons"
		// stay readable.
		sw.enc = json.NewEncoder(&sw.buf)
		sw.enc.SetEscapeHTML(false)
		if format == JSON {
			sw.enc.SetIndent("  ", "  ")
		}
	}
	return sw
}

// record writes one record, after the header when it is the first.
func (sw *streamWriter) record(data any, row []any) error {
	first := sw.n == 0
	sw.n++
	switch sw.format {
	case Table:
		if first {
			if err := sw.tableHeader(); err != nil {
				return err
			}
		}
		for i := range sw.cells {
			sw.cells[i] = ""
			if i < len(row) {
				sw.cells[i] = oneLine(nomtrack.Printable(Cell(row[i])))
			}
		}
		return sw.table.line(sw.w, sw.cells, false)
	case CSV, TSV:
		if first {
			if err := sw.csv.Write(sw.st.Columns); err != nil {
				return err
			}
		}
		for i := range sw.rec {
			sw.rec[i] = ""
			if i < len(row) {
				sw.rec[i] = SafeCell(row[i])
			}
		}
		return sw.csv.Write(sw.rec)
	case MD:
		if first {
			if err := sw.md.Begin("", sw.st.Columns); err != nil {
				return err
			}
		}
		return sw.md.WriteRow(Values(row...)...)
	case JSON:
		sw.buf.Reset()
		if first {
			sw.buf.WriteString("[\n  ")
		} else {
			sw.buf.WriteString(",\n  ")
		}
		if err := sw.enc.Encode(data); err != nil {
			return err
		}
		sw.buf.Truncate(sw.buf.Len() - 1) // the encoder's newline
		_, err := sw.w.Write(sw.buf.Bytes())
		return err
	case JSONL:
		sw.buf.Reset()
		if err := sw.enc.Encode(data); err != nil {
			return err
		}
		_, err := sw.w.Write(sw.buf.Bytes())
		return err
	}
	return nomtrack.Errorf(nomtrack.EUSAGE, "this command cannot write %s", sw.format)
}

// tableHeader fits the columns to the terminal by their bounds and writes
// the header.
func (sw *streamWriter) tableHeader() error {
	n := len(sw.st.Columns)
	heads := make([]string, n)
	widths := make([]int, n)
	text := make([]bool, n)
	for i, c := range sw.st.Columns {
		heads[i] = strings.ToUpper(strings.ReplaceAll(c, "_", " "))
		widths[i] = runewidth.StringWidth(heads[i])
		if i < len(sw.st.Widths) {
			widths[i] = max(widths[i], sw.st.Widths[i])
		}
		text[i] = contains(sw.st.Text, c)
	}
	keep := fit(&Tab{Columns: sw.st.Columns, Optional: sw.st.Optional}, heads, widths, sw.width, text, make([]bool, n))
	sw.table = &tableLayout{keep: keep, widths: widths, cut: sw.width > 0}
	sw.cells = make([]string, n)
	return sw.table.line(sw.w, heads, sw.color)
}

// close ends the output after n records: an empty table is "no results"
// (on stderr), an empty CSV still has its header, empty JSON is [].
func (sw *streamWriter) close(n int) error {
	switch sw.format {
	case Table:
		if n == 0 {
			return ErrNoResults
		}
	case CSV, TSV:
		if n == 0 {
			if err := sw.csv.Write(sw.st.Columns); err != nil {
				return err
			}
		}
		sw.csv.Flush()
		return sw.csv.Error()
	case MD:
		if n == 0 {
			return sw.md.Begin("", sw.st.Columns)
		}
	case JSON:
		end := "\n]\n"
		if n == 0 {
			end = "[]\n"
		}
		_, err := io.WriteString(sw.w, end)
		return err
	}
	return nil
}
