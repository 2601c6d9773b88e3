// Package output renders what commands print: one code path for every format
// (table, json, csv, tsv, md, and xlsx/html where a command supports them), to
// stdout or to --out FILE. Data is the same whatever stdout is; only the
// decoration (colour) depends on the terminal.
package output

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/nomtrack/nomtrack/internal/files"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// Formats.
const (
	Table = "table"
	JSON  = "json"
	CSV   = "csv"
	TSV   = "tsv"
	MD    = "md"
	HTML  = "html"
	XLSX  = "xlsx"
)

// TextFormats are what every data command accepts.
var TextFormats = []string{Table, JSON, CSV, TSV, MD}

// binary formats are never written to a terminal.
var binary = map[string]bool{XLSX: true}

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

// Options are the -o/--output and --out flags.
type Options struct {
	Format  string // "" = from OutFile's extension, else table
	OutFile string
	// Keep are the files OutFile must not be (the database, an input).
	Keep []files.Keep
	// Done, when closed, stops a write to OutFile: the command was
	// interrupted, so the file is not written (nor its temporary left).
	Done <-chan struct{}
}

// Resolve picks the format from -o, else --out's extension, else table, and
// checks it is one the command supports.
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
		default:
			f = ext
		}
		if !contains(allowed, f) {
			return "", nomtrack.Errorf(nomtrack.EUSAGE, "cannot tell the format of %s from its extension; use -o with one of %s", o.OutFile, strings.Join(allowed, ", "))
		}
	}
	if f == "" {
		f = Table
	}
	if !contains(allowed, f) {
		return "", nomtrack.Errorf(nomtrack.EUSAGE, "unknown output format %q; use one of %s", o.Format, strings.Join(allowed, ", "))
	}
	return f, nil
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
}

// Write renders d in opts' format to stdout or to opts.OutFile (created 0600:
// printed data is personal data).
func Write(s *Streams, opts Options, allowed []string, d Doc) error {
	format, err := opts.Resolve(allowed)
	if err != nil {
		return err
	}
	if opts.OutFile == "" {
		if binary[format] && s.OutTTY {
			return nomtrack.Errorf(nomtrack.EUSAGE, "will not write %s to a terminal; use --out FILE or redirect stdout", format)
		}
		bw := bufio.NewWriter(s.Out)
		if err := render(bw, format, d, s.Color && s.OutTTY); err != nil {
			return err
		}
		return bw.Flush()
	}
	return writeFile(opts.Done, opts.OutFile, opts.Keep, func(w io.Writer) error { return render(w, format, d, false) })
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

func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

func render(w io.Writer, format string, d Doc, color bool) error {
	if fn, ok := d.Custom[format]; ok {
		return fn(w)
	}
	switch format {
	case JSON:
		return writeJSON(w, d.JSON)
	case Table:
		if d.Text != nil {
			return d.Text(w, color)
		}
		return writeTable(w, d.tab(), color)
	case CSV:
		return writeDelimited(w, d.tab(), ',')
	case TSV:
		return writeDelimited(w, d.tab(), '\t')
	case MD:
		return writeMarkdown(w, d.tab())
	case XLSX:
		return writeXLSX(w, d.tab())
	}
	return nomtrack.Errorf(nomtrack.EUSAGE, "this command cannot write %s", format)
}

func (d Doc) tab() *Tab {
	if d.Tab == nil {
		return &Tab{}
	}
	return d.Tab
}

// writeJSON prints indented JSON; a nil slice prints as [] and HTML
// characters are not escaped (names such as "Al-Saadi & Sons" stay readable).
func writeJSON(w io.Writer, v any) error {
	if v == nil {
		v = []any{}
	} else if rv := reflect.ValueOf(v); rv.Kind() == reflect.Slice && rv.IsNil() {
		v = []any{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// writeDelimited writes CSV or TSV with a header row; text cells that a
// spreadsheet would run as a formula are neutralised.
func writeDelimited(w io.Writer, t *Tab, sep rune) error {
	cw := csv.NewWriter(w)
	cw.Comma = sep
	if err := cw.Write(t.Columns); err != nil {
		return err
	}
	rec := make([]string, len(t.Columns))
	for _, row := range t.Rows {
		for i := range rec {
			rec[i] = ""
			if i < len(row) {
				rec[i] = SafeCell(row[i])
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Cell formats one cell as text: numbers plainly, times as RFC 3339 UTC, nil
// and nil pointers as empty.
func Cell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		if x.IsZero() {
			return ""
		}
		return x.UTC().Format(time.RFC3339)
	case *int:
		if x == nil {
			return ""
		}
		return strconv.Itoa(*x)
	case *float64:
		if x == nil {
			return ""
		}
		return strconv.FormatFloat(*x, 'f', -1, 64)
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

// SafeCell is Cell with formula injection neutralised for text: a leading
// =, +, -, @, tab or carriage return gets a leading apostrophe, so a
// spreadsheet shows the text instead of running it. Numbers are not text and
// stay as they are.
func SafeCell(v any) string {
	s := Cell(v)
	if _, isText := v.(string); isText {
		return Neutralise(s)
	}
	return s
}

// Neutralise prefixes text that a spreadsheet would treat as a formula.
func Neutralise(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
