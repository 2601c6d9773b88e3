// Package output renders what commands print: one code path for every format
// (table, json, csv, tsv, md, and xlsx/html where a command supports them), to
// stdout or to --out FILE. Data is the same whatever stdout is; only the
// decoration (colour) depends on the terminal. Rows of cells, whoever
// writes them, go through one streaming RowWriter that types each cell the
// same way in every format (see Kind).
package output

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/nomtrack/nomtrack/internal/files"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// Formats.
const (
	Table = "table"
	JSON  = "json"
	JSONL = "jsonl"
	YAML  = "yaml"
	CSV   = "csv"
	TSV   = "tsv"
	MD    = "md"
	HTML  = "html"
	XLSX  = "xlsx"
)

// TextFormats are what every data command accepts.
var TextFormats = []string{Table, JSON, JSONL, YAML, CSV, TSV, MD}

// Streams are the command's standard streams and what is known about them.
type Streams struct {
	In     io.Reader
	Out    io.Writer
	Err    io.Writer
	InTTY  bool // stdin is a terminal (a destructive command may ask there)
	OutTTY bool // stdout is a terminal
	ErrTTY bool // stderr is a terminal
	Color  bool // colour allowed (terminal, and neither NO_COLOR nor --no-color)
	Quiet  bool // -q: no notices on stderr
	// Width is the terminal's width in cells, which tables fit (0: unknown,
	// never cut). Only used when OutTTY.
	Width int
	// Pager is the command line output goes through on a terminal
	// ("" = none: --no-pager, or no pager found).
	Pager string
}

// Notice prints an informational line on stderr unless quiet.
func (s *Streams) Notice(format string, args ...any) {
	if !s.Quiet {
		fmt.Fprintf(s.Err, format+"\n", args...)
	}
}

// Warn prints a warning on stderr (also when quiet: warnings matter).
func (s *Streams) Warn(format string, args ...any) {
	prefix := "warning: "
	if s.Color && s.ErrTTY {
		prefix = "\x1b[33mwarning:\x1b[0m "
	}
	fmt.Fprint(s.Err, prefix+nomtrack.Redact(fmt.Sprintf(format, args...))+"\n")
}

// Options are the output flags every command shares: -o/--output, --out,
// --json, --jq, --wide, and on lists --sort, --reverse and --limit.
type Options struct {
	Format  string // "" = from OutFile's extension, else table
	OutFile string
	// Keep are the files OutFile must not be (the database, an input).
	Keep []files.Keep
	// Done, when closed, stops a write to OutFile: the command was
	// interrupted, so the file is not written (nor its temporary left).
	Done <-chan struct{}
	// Fields (--json) keeps only these fields of each record, in this order;
	// it implies JSON unless -o names another format.
	Fields []string
	// JQ (--jq) filters the JSON output through a jq expression.
	JQ string
	// Wide (--wide) shows every column at full width on a terminal.
	Wide bool
	// Sort (--sort) orders a list by one of its fields; Reverse (--reverse)
	// turns the order round; Limit (--limit) then keeps the first N.
	Sort    string
	Reverse bool
	Limit   int
	// Valid, when set, are the fields the command's JSON carries: Check
	// then refuses an unknown --json or --sort field before the command
	// runs, so a command that writes never writes and then fails to print.
	Valid []string
}

// QueryLimit is the limit a list command gives its query: none when the list
// is sorted here, so --limit cuts the sorted list, not the store's order.
func (o Options) QueryLimit() int {
	if o.Sort != "" || o.Reverse {
		return 0
	}
	return o.Limit
}

// Resolve picks the format from -o, else --out's extension, else table (JSON
// when --json or --jq is given), and checks it is one the command supports.
func (o Options) Resolve(allowed []string) (string, error) {
	f := strings.ToLower(o.Format)
	if f == "" && o.OutFile != "" {
		ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(o.OutFile)), ".")
		switch ext {
		case "txt", "":
			f = Table
		case "markdown":
			f = MD
		case "htm":
			f = HTML
		case "yml":
			f = YAML
		case "ndjson":
			f = JSONL
		default:
			f = ext
		}
		if !contains(allowed, f) {
			return "", nomtrack.Errorf(nomtrack.EUSAGE, "cannot tell the format of %s from its extension; use -o with one of %s", o.OutFile, strings.Join(allowed, ", "))
		}
	}
	if f == "" && (len(o.Fields) > 0 || o.JQ != "") {
		f = JSON
	}
	if f == "" {
		f = Table
	}
	if !contains(allowed, f) {
		return "", nomtrack.Errorf(nomtrack.EUSAGE, "unknown output format %q; use one of %s", o.Format, strings.Join(allowed, ", "))
	}
	if o.JQ != "" && f != JSON {
		return "", nomtrack.Errorf(nomtrack.EUSAGE, "--jq filters JSON and cannot be used with -o %s", f)
	}
	return f, nil
}

// Check validates the flags before any work: the format, and the --jq
// expression.
func (o Options) Check(allowed []string) error {
	if _, err := o.Resolve(allowed); err != nil {
		return err
	}
	if o.Limit < 0 {
		return nomtrack.Errorf(nomtrack.EUSAGE, "--limit %d is negative; give 0 (no limit) or more", o.Limit)
	}
	if o.Valid != nil {
		if err := checkFields("--json", o.Fields, o.Valid); err != nil {
			return err
		}
		if o.Sort != "" {
			if err := checkFields("--sort", []string{o.Sort}, o.Valid); err != nil {
				return err
			}
		}
	}
	if o.JQ != "" {
		_, err := CompileJQ(o.JQ)
		return err
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Doc is what a command prints, in each of its shapes.
type Doc struct {
	// JSON is marshalled as is; nil slices print as [].
	JSON any
	// Tab is the tabular view for table, csv, tsv, md and (by default) xlsx.
	Tab *Tab
	// Text, when set, replaces the table rendering (e.g. `show` commands).
	Text func(w io.Writer, color bool) error
	// Writers for other formats (html, or a multi-sheet xlsx).
	Custom map[string]func(w io.Writer) error
}

// Tab is rows of cells under column names. Cells are string, numbers, bool,
// nil or time.Time; numbers stay numbers in JSON-free renderings such as xlsx.
type Tab struct {
	Columns []string
	Rows    [][]any
	// Each, when set, writes the rows instead of Rows (which stays nil):
	// a long table's cells go to the writer as typed Values as they are
	// made, not first boxed into Rows, which `report eligibility` spent a
	// sixth of its time on for 30,000 rows. --sort and --limit collect
	// them into Rows first.
	Each func(write func(cells ...Value) error) error
	// Optional names the columns a terminal too narrow for the table may
	// drop, least important first; the others are only ever cut with "…".
	Optional []string
	// HideEmpty names columns the table (not csv, json…) leaves out when
	// no row has a value in them.
	HideEmpty []string
}

// ErrNoResults is returned by a Text renderer that has nothing to show;
// Write then says "no results" on stderr, not on stdout, which is for data.
var ErrNoResults = errors.New("no results")

// termOut is the writer renderers get: it carries the width tables fit, so
// a renderer that writes sub-tables (a show's history, a report's
// breakdowns) fits them too.
type termOut struct {
	io.Writer
	width int
}

// Write renders d in opts' format to stdout or to opts.OutFile (created 0600:
// printed data is personal data). On a terminal tables fit its width (unless
// --wide) and the output goes through the pager; piped output is neither
// cut nor paged.
func Write(s *Streams, opts Options, allowed []string, d Doc) error {
	format, err := opts.Resolve(allowed)
	if err != nil {
		return err
	}
	if d, err = prepare(d, opts, format); err != nil {
		return err
	}
	if opts.OutFile != "" {
		err := writeFile(opts.Done, opts.OutFile, opts.Keep, func(w io.Writer) error { return render(w, format, d, false, opts.JQ, opts.Done) })
		return s.noResults(err)
	}
	if format == XLSX && s.OutTTY { // a binary format: never to a terminal
		return nomtrack.Errorf(nomtrack.EUSAGE, "will not write %s to a terminal; use --out FILE or redirect stdout", format)
	}
	width, nested := 0, false
	if parent, ok := s.Out.(*termOut); ok {
		width, nested = parent.width, true
	} else if s.OutTTY && !opts.Wide {
		width = s.Width
	}
	if nested {
		return render(s.Out, format, d, s.Color && s.OutTTY, opts.JQ, opts.Done)
	}
	return s.noResults(s.page(func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		if err := render(&termOut{bw, width}, format, d, s.Color && s.OutTTY, opts.JQ, opts.Done); err != nil {
			bw.Flush()
			return err
		}
		return bw.Flush()
	}))
}

// noResults turns ErrNoResults into a notice on stderr.
func (s *Streams) noResults(err error) error {
	if errors.Is(err, ErrNoResults) {
		if s.Err != nil {
			s.Notice("no results")
		}
		return nil
	}
	return err
}

// page runs fn with the pager's input as its writer when stdout is a
// terminal and a pager is set, else with stdout. A pager that cannot start
// is skipped; a pager quit early (broken pipe) is not an error.
func (s *Streams) page(fn func(w io.Writer) error) error {
	args := strings.Fields(s.Pager)
	if !s.OutTTY || len(args) == 0 {
		return fn(s.Out)
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdout, cmd.Stderr = s.Out, s.Err
	in, err := cmd.StdinPipe()
	if err != nil {
		return fn(s.Out)
	}
	if err := cmd.Start(); err != nil {
		return fn(s.Out)
	}
	err = fn(in)
	in.Close()
	cmd.Wait()
	if err != nil && (errors.Is(err, syscall.EPIPE) || errors.Is(err, os.ErrClosed)) {
		return nil
	}
	return err
}

// prepare applies --sort, --reverse, --limit and --json to d, on the data
// -o json prints, so every format shows the same records and fields.
func prepare(d Doc, opts Options, format string) (Doc, error) {
	if opts.Sort == "" && !opts.Reverse && opts.Limit == 0 && len(opts.Fields) == 0 && opts.JQ == "" && format != YAML {
		return d, nil
	}
	if d.Tab != nil && d.Tab.Each != nil {
		t, err := d.Tab.collected()
		if err != nil {
			return d, err
		}
		d.Tab = t
	}
	data, err := toData(d.JSON)
	if err != nil {
		return d, err
	}
	valid := FieldsOf(d.JSON)
	if valid == nil {
		valid = fieldsOfData(data)
	}
	if opts.Sort != "" || opts.Reverse || opts.Limit > 0 {
		items, ok := data.([]any)
		if !ok {
			return d, nomtrack.Errorf(nomtrack.EUSAGE, "--sort, --reverse and --limit apply to lists; this command prints one record")
		}
		var rows [][]any
		if d.Tab != nil && len(d.Tab.Rows) == len(items) {
			rows = d.Tab.Rows
		}
		perm := make([]int, len(items))
		for i := range perm {
			perm[i] = i
		}
		if opts.Sort != "" {
			if err := checkFields("--sort", []string{opts.Sort}, valid); err != nil {
				return d, err
			}
			perm = sortData(items, opts.Sort)
		}
		if opts.Reverse {
			// Empty values stay last when a sort is reversed too: --sort fee
			// --reverse --limit 1 is the dearest course, not one whose fee
			// is not known.
			n := len(perm)
			if opts.Sort != "" {
				n = sortedNonEmpty(items, perm, opts.Sort)
			}
			for i, j := 0, n-1; i < j; i, j = i+1, j-1 {
				perm[i], perm[j] = perm[j], perm[i]
			}
		}
		if opts.Limit > 0 && len(perm) > opts.Limit {
			perm = perm[:opts.Limit]
		}
		sorted := make([]any, len(perm))
		var sortedRows [][]any
		for i, p := range perm {
			sorted[i] = items[p]
			if rows != nil {
				sortedRows = append(sortedRows, rows[p])
			}
		}
		data = sorted
		// A Text view was drawn from the rows in their first order: the
		// table of the re-ordered rows replaces it.
		d.Text = nil
		if d.Tab != nil {
			t := *d.Tab
			t.Rows = sortedRows
			if rows == nil {
				t = *dataTab(data, d.Tab.Columns)
			}
			d.Tab = &t
		}
	}
	if len(opts.Fields) > 0 {
		if err := checkFields("--json", opts.Fields, valid); err != nil {
			return d, err
		}
		data = selectFields(data, opts.Fields)
		d.Tab = dataTab(data, opts.Fields)
		d.Text, d.Custom = nil, nil
	}
	d.JSON = data
	return d, nil
}

// errInterrupted stops a file write whose command was interrupted; the CLI
// reports the interruption itself.
var errInterrupted = errors.New("interrupted; nothing was written")

// untilDone is a writer that fails once done is closed, so a long rendering
// stops at its next buffer flush.
type untilDone struct {
	w    io.Writer
	done <-chan struct{}
}

func (u untilDone) Write(p []byte) (int, error) {
	select {
	case <-u.done:
		return 0, errInterrupted
	default:
	}
	return u.w.Write(p)
}

// WriteFile writes a file atomically with mode 0600: a temporary file beside
// it, renamed into place only when complete. A path that is one of keep, or
// any nomtrack database, is refused before anything is written; a symbolic
// link is followed, so the file it points at is written and the link stays.
func WriteFile(path string, keep []files.Keep, fn func(w io.Writer) error) error {
	return writeFile(nil, path, keep, fn)
}

// writeFile is WriteFile that gives up, writing nothing, once done is
// closed (nil: never).
func writeFile(done <-chan struct{}, path string, keep []files.Keep, fn func(w io.Writer) error) error {
	if err := files.CheckOutput(path, keep...); err != nil {
		return err
	}
	target := files.Resolve(path)
	dir := filepath.Dir(target)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(target)+".*")
	if err != nil {
		return nomtrack.Errorf(nomtrack.EINTERNAL, "cannot write %s: %v", path, unwrapPath(err))
	}
	// Removed on every way out but the rename, a panic included.
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriter(untilDone{tmp, done})
	if err := fn(bw); err != nil {
		tmp.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		if errors.Is(err, errInterrupted) {
			return err
		}
		return nomtrack.Errorf(nomtrack.EINTERNAL, "cannot write %s: %v", path, unwrapPath(err))
	}
	if err := tmp.Close(); err != nil {
		return nomtrack.Errorf(nomtrack.EINTERNAL, "cannot write %s: %v", path, unwrapPath(err))
	}
	select {
	case <-done:
		return errInterrupted
	default:
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		return nomtrack.Errorf(nomtrack.EINTERNAL, "cannot write %s: %v", path, unwrapPath(err))
	}
	return nil
}

// unwrapPath keeps the cause of a file error: the path is in the message
// already, and a rename's (a LinkError) names the temporary file too.
func unwrapPath(err error) error {
	var pe *os.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		return pe.Err
	case errors.As(err, &le):
		return le.Err
	}
	return err
}

// render writes d in format; done, when closed (the command was
// interrupted), stops a --jq expression, which may run for ever.
func render(w io.Writer, format string, d Doc, color bool, jq string, done <-chan struct{}) error {
	if fn, ok := d.Custom[format]; ok {
		return fn(w)
	}
	switch format {
	case JSON:
		if jq != "" {
			data, err := toData(d.JSON)
			if err != nil {
				return err
			}
			return writeJQ(w, jq, data, done)
		}
		return writeJSON(w, d.JSON)
	case JSONL:
		return writeJSONLines(w, emptyIfNil(d.JSON))
	case YAML:
		data, ok := d.JSON.([]any)
		if ok {
			return writeYAML(w, data)
		}
		if o, ok := d.JSON.(Object); ok {
			return writeYAML(w, o)
		}
		gen, err := toData(d.JSON)
		if err != nil {
			return err
		}
		return writeYAML(w, gen)
	case Table:
		if d.Text != nil {
			return d.Text(w, color)
		}
		width := 0
		if t, ok := w.(*termOut); ok {
			width = t.width
		}
		return writeTab(w, format, d.tab(), RowOptions{Color: color, Width: width})
	case CSV, TSV, MD, XLSX:
		return writeTab(w, format, d.tab(), RowOptions{})
	}
	return nomtrack.Errorf(nomtrack.EUSAGE, "this command cannot write %s", format)
}

func (d Doc) tab() *Tab {
	if d.Tab == nil {
		return &Tab{}
	}
	return d.Tab
}

// collected is a copy of t with the rows of its Each in Rows.
func (t *Tab) collected() (*Tab, error) {
	c := *t
	c.Each, c.Rows = nil, [][]any{}
	err := t.Each(func(cells ...Value) error {
		row := make([]any, len(cells))
		for i, v := range cells {
			row[i] = v
		}
		c.Rows = append(c.Rows, row)
		return nil
	})
	return &c, err
}

// writeJSON prints indented JSON; a nil slice prints as [] and HTML
// characters are not escaped (names such as "Al-Saadi & Sons" stay readable).
func writeJSON(w io.Writer, v any) error {
	v = emptyIfNil(v)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// writeTab writes t's rows through the row writer, each cell typed by
// ValueOf.
func writeTab(w io.Writer, format string, t *Tab, o RowOptions) error {
	o.Optional, o.HideEmpty = t.Optional, t.HideEmpty
	header := t.Columns
	if header == nil {
		header = []string{}
	}
	rw, err := NewRowWriter(w, format, header, o)
	if err != nil {
		return err
	}
	n := 0
	write := func(cells ...Value) error {
		n++
		return rw.WriteRow(cells...)
	}
	if t.Each != nil {
		if err := t.Each(write); err != nil {
			return err
		}
	} else {
		cells := make([]Value, len(t.Columns))
		for _, row := range t.Rows {
			for i := range cells {
				cells[i] = Value{}
				if i < len(row) {
					cells[i] = ValueOf(row[i])
				}
			}
			if err := write(cells...); err != nil {
				return err
			}
		}
	}
	// A table without rows is not drawn (the table writer draws nothing
	// before Close): the command says "no results" on stderr instead.
	if n == 0 && format == Table {
		return ErrNoResults
	}
	return rw.Close()
}

// Cell formats one cell as text, as a table or csv shows it (see ValueOf
// and Kind): numbers plainly, times as RFC 3339 UTC, nil and nil pointers
// as empty.
func Cell(v any) string { return ValueOf(v).String() }

// Shown formats one cell as a table shows it to people (an Unknown cell
// as its label; see Value.Shown).
func Shown(v any) string { return ValueOf(v).Shown() }

// SafeCell is Cell with formula injection neutralised for text: a leading
// =, +, -, @, tab or carriage return gets a leading apostrophe, so a
// spreadsheet shows the text instead of running it. Numbers are not text and
// stay as they are.
func SafeCell(v any) string { return ValueOf(v).safe() }

// Neutralise prefixes text that a spreadsheet would treat as a formula.
func Neutralise(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
