package output

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nomtrack/nomtrack/internal/files"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/xuri/excelize/v2"
)

func TestResolve(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts Options
		want string
		code string
	}{
		{"OK_Default", Options{}, Table, ""},
		{"OK_Flag", Options{Format: "JSON"}, JSON, ""},
		{"OK_FromExtension", Options{OutFile: "x.csv"}, CSV, ""},
		{"OK_FlagBeatsExtension", Options{Format: "tsv", OutFile: "x.csv"}, TSV, ""},
		{"OK_MarkdownExtension", Options{OutFile: "r.md"}, MD, ""},
		{"ErrUnknownFormat", Options{Format: "pdf"}, "", nomtrack.EUSAGE},
		{"ErrUnknownExtension", Options{OutFile: "x.pdf"}, "", nomtrack.EUSAGE},
		{"ErrNotAllowed", Options{Format: "xlsx"}, "", nomtrack.EUSAGE},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.opts.Resolve(TextFormats)
			if nomtrack.ErrorCode(err) != tc.code || got != tc.want {
				t.Errorf("Resolve(%+v) = %q, %v; want %q, code %q", tc.opts, got, err, tc.want, tc.code)
			}
		})
	}
}

func sampleDoc() Doc {
	type row struct {
		Name  string `json:"name"`
		Seats int    `json:"seats"`
	}
	return Doc{
		JSON: []row{{"=HYPERLINK(\"x\")", 3}, {"Ali", -2}},
		Tab: &Tab{Columns: []string{"name", "seats"}, Rows: [][]any{
			{"=HYPERLINK(\"x\")", 3},
			{"Ali", -2},
			{"+964 770", nil},
			{"@SUM(A1)", 1.5},
			{"\tcmd", 0},
			{"-1+2", int64(7)},
		}},
	}
}

func TestWriteFormats(t *testing.T) {
	all := []string{Table, JSON, CSV, TSV, MD, XLSX}
	for _, tc := range []struct {
		format string
		want   []string
	}{
		{CSV, []string{"name,seats\n", `"'=HYPERLINK(""x"")",3` + "\n", "Ali,-2\n", "'+964 770,\n", "'@SUM(A1),1.5\n", "-1+2,7" /* neutralised: see below */}},
		{TSV, []string{"name\tseats\n", "Ali\t-2\n"}},
		{MD, []string{"| name | seats |\n| --- | --- |\n", "| Ali | -2 |\n"}},
		{JSON, []string{`"name": "=HYPERLINK(\"x\")"`, `"seats": -2`}},
		{Table, []string{"NAME", "SEATS", "Ali"}},
	} {
		t.Run(tc.format, func(t *testing.T) {
			var out bytes.Buffer
			s := &Streams{Out: &out, Err: &bytes.Buffer{}}
			if err := Write(s, Options{Format: tc.format}, all, sampleDoc()); err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if w == "-1+2,7" {
					w = "'-1+2,7"
				}
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}

func TestWriteJSONEmptyList(t *testing.T) {
	var out bytes.Buffer
	var none []string
	if err := Write(&Streams{Out: &out}, Options{Format: JSON}, TextFormats, Doc{JSON: none}); err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(out.String()); got != "[]" {
		t.Errorf("empty list printed %q, want []", got)
	}
}

func TestWriteBinaryRefusedOnTerminal(t *testing.T) {
	var out bytes.Buffer
	err := Write(&Streams{Out: &out, OutTTY: true}, Options{Format: XLSX}, []string{XLSX}, sampleDoc())
	if nomtrack.ErrorCode(err) != nomtrack.EUSAGE || out.Len() != 0 {
		t.Fatalf("err = %v, wrote %d bytes", err, out.Len())
	}
}

func TestWriteXLSXFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.xlsx")
	if err := Write(&Streams{OutTTY: true}, Options{OutFile: path}, []string{XLSX}, sampleDoc()); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("stat = %v, %v", st, err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _ := f.GetCellValue("Sheet1", "A2"); v != `'=HYPERLINK("x")` {
		t.Errorf("A2 = %q, want neutralised text", v)
	}
	if typ, _ := f.GetCellType("Sheet1", "B3"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("B3 type = %v, want a number", typ)
	}
	if v, _ := f.GetCellValue("Sheet1", "B3"); v != "-2" {
		t.Errorf("B3 = %q, want -2", v)
	}
	if formula, _ := f.GetCellFormula("Sheet1", "A2"); formula != "" {
		t.Errorf("A2 holds a formula %q", formula)
	}
}

func TestNeutralise(t *testing.T) {
	for in, want := range map[string]string{
		"=1+1": "'=1+1", "+1": "'+1", "-1": "'-1", "@x": "'@x", "\tx": "'\tx", "\rx": "'\rx",
		"Ali": "Ali", "": "", "1=1": "1=1", "محمد": "محمد",
	} {
		if got := Neutralise(in); got != want {
			t.Errorf("Neutralise(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWriteFileLeavesNothingBehindWhenItFails(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.html")
	closed := make(chan struct{})
	close(closed)
	for name, write := range map[string]func() error{
		"RenderFails": func() error {
			return WriteFile(path, nil, func(w io.Writer) error {
				io.WriteString(w, strings.Repeat("x", 1<<20))
				return errors.New("the rendering failed")
			})
		},
		"Interrupted": func() error {
			return writeFile(closed, path, nil, func(w io.Writer) error {
				_, err := io.WriteString(w, strings.Repeat("x", 1<<20))
				return err
			})
		},
		"InterruptedAfterRendering": func() error {
			return writeFile(closed, path, nil, func(w io.Writer) error { return nil })
		},
	} {
		t.Run(name, func(t *testing.T) {
			if err := write(); err == nil {
				t.Fatal("no error")
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				t.Errorf("left behind: %s", e.Name())
			}
		})
	}
}

// TestWriteFileGuardsAndFollowsLinks: a kept file (the database, an input)
// is refused before anything is written, whatever name reaches it; a link
// to a new file writes that file, 0600, and stays a link.
func TestWriteFileGuardsAndFollowsLinks(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "nomtrack.db")
	os.WriteFile(db, []byte("not really a database"), 0o600)
	os.Symlink(db, filepath.Join(dir, "db-link.csv"))
	keep := []files.Keep{files.Database(db)}
	write := func(w io.Writer) error { _, err := io.WriteString(w, "name\nAli\n"); return err }
	for _, target := range []string{db, filepath.Join(dir, "db-link.csv"), db + "-wal"} {
		if err := WriteFile(target, keep, write); nomtrack.ErrorCode(err) != nomtrack.EUSAGE {
			t.Errorf("WriteFile(%s) = %v, want a usage error", filepath.Base(target), err)
		}
	}
	if b, _ := os.ReadFile(db); string(b) != "not really a database" {
		t.Errorf("the database was written: %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("files left behind: %v", entries)
	}
	os.Mkdir(filepath.Join(dir, "out"), 0o700)
	link := filepath.Join(dir, "people.csv")
	os.Symlink(filepath.Join("out", "people.csv"), link)
	if err := WriteFile(link, keep, write); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", fi, err)
	}
	if st, err := os.Stat(filepath.Join(dir, "out", "people.csv")); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("target: %v %v", st, err)
	}
}

// wideTab is a table wider than 40 columns, with an optional column.
func wideTab() Doc {
	type course struct {
		Code  string `json:"code"`
		Title string `json:"title"`
		Note  string `json:"note"`
	}
	list := []course{{"M5-106", "Crisis Response Planning Course for Staff Officers", "x"}, {"CT-210", "Counter-Terrorism", ""}}
	t := &Tab{Columns: []string{"code", "title", "note"}, Optional: []string{"note"}}
	for _, c := range list {
		t.Rows = append(t.Rows, []any{c.Code, c.Title, c.Note})
	}
	return Doc{JSON: list, Tab: t}
}

func TestTableFitsTheTerminal(t *testing.T) {
	for _, tc := range []struct {
		name    string
		tty     bool
		width   int
		wide    bool
		cut     bool
		hasNote bool
	}{
		{"OK_NarrowTerminalDropsAndCuts", true, 28, false, true, false},
		{"OK_TextCutBeforeDropping", true, 40, false, true, true},
		{"OK_Wide", true, 40, true, false, true},
		{"OK_PipedNeverCut", false, 40, false, false, true},
		{"OK_WideTerminal", true, 200, false, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			s := &Streams{Out: &out, Err: &errb, OutTTY: tc.tty, Width: tc.width}
			if err := Write(s, Options{Wide: tc.wide}, TextFormats, wideTab()); err != nil {
				t.Fatal(err)
			}
			text := out.String()
			for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
				if strings.HasSuffix(line, " ") {
					t.Errorf("trailing padding in %q", line)
				}
				if tc.cut && len([]rune(line)) > tc.width {
					t.Errorf("line of %d cells on a %d-cell terminal: %q", len([]rune(line)), tc.width, line)
				}
			}
			if got := strings.Contains(text, "…"); got != tc.cut {
				t.Errorf("cut = %v, want %v:\n%s", got, tc.cut, text)
			}
			if got := strings.Contains(text, "NOTE"); got != tc.hasNote {
				t.Errorf("NOTE column shown = %v, want %v:\n%s", got, tc.hasNote, text)
			}
		})
	}
}

func TestNoResultsGoesToStderr(t *testing.T) {
	var out, errb bytes.Buffer
	s := &Streams{Out: &out, Err: &errb}
	if err := Write(s, Options{}, TextFormats, Doc{JSON: []int{}, Tab: &Tab{Columns: []string{"a"}}}); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 || errb.String() != "no results\n" {
		t.Errorf("stdout %q, stderr %q", out.String(), errb.String())
	}
}

func TestFieldsSortAndFormats(t *testing.T) {
	render := func(opts Options) (string, error) {
		var out bytes.Buffer
		err := Write(&Streams{Out: &out, Err: &out}, opts, TextFormats, wideTab())
		return out.String(), err
	}
	for _, tc := range []struct {
		name string
		opts Options
		want string
	}{
		{"OK_FieldsAsJSONLines", Options{Format: JSONL, Fields: []string{"title", "code"}}, "{\"title\":\"Crisis Response Planning Course for Staff Officers\",\"code\":\"M5-106\"}\n{\"title\":\"Counter-Terrorism\",\"code\":\"CT-210\"}\n"},
		{"OK_SortedCSV", Options{Format: CSV, Sort: "code", Fields: []string{"code"}}, "code\nCT-210\nM5-106\n"},
		{"OK_SortKeepsTableRows", Options{Format: CSV, Sort: "code", Reverse: true, Limit: 1}, "code,title,note\nM5-106,Crisis Response Planning Course for Staff Officers,x\n"},
		{"OK_YAML", Options{Format: YAML, Fields: []string{"code", "note"}}, "- code: M5-106\n  note: x\n- code: CT-210\n  note: \"\"\n"},
		{"OK_JQ", Options{JQ: ".[1].code"}, "CT-210\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := render(tc.opts)
			if err != nil || got != tc.want {
				t.Errorf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
	t.Run("ErrUnknownField", func(t *testing.T) {
		_, err := render(Options{Fields: []string{"titel"}})
		if nomtrack.ErrorCode(err) != nomtrack.EUSAGE || !strings.Contains(err.Error(), "valid fields: code, title, note") {
			t.Errorf("err = %v", err)
		}
	})
}

// eachTab is wideTab with its rows written by Tab.Each, not held in Rows.
func eachTab(d Doc) Doc {
	rows := d.Tab.Rows
	t := *d.Tab
	t.Rows = nil
	t.Each = func(write func(cells ...Value) error) error {
		for _, row := range rows {
			if err := write(Values(row...)...); err != nil {
				return err
			}
		}
		return nil
	}
	d.Tab = &t
	return d
}

// joinedTab is a Doc whose table cell is not its JSON field (a list
// joined in one cell), as `report eligibility`'s gaps.
func joinedTab() Doc {
	type course struct {
		Code string   `json:"code"`
		Tags []string `json:"tags"`
	}
	list := []course{{"M5-106", []string{"b", "a"}}, {"CT-210", nil}, {"AB-1", []string{"c"}}}
	t := &Tab{Columns: []string{"code", "tags"}}
	for _, c := range list {
		t.Rows = append(t.Rows, []any{c.Code, strings.Join(c.Tags, "; ")})
	}
	return Doc{JSON: list, Tab: t}
}

func TestTabEachWritesAsRows(t *testing.T) {
	render := func(d Doc, opts Options, tty bool) string {
		var out, errb bytes.Buffer
		s := &Streams{Out: &out, Err: &errb, OutTTY: tty, Width: 40}
		if err := Write(s, opts, TextFormats, d); err != nil {
			t.Fatal(err)
		}
		return out.String() + "|" + errb.String()
	}
	for _, opts := range []Options{
		{Format: Table}, {Format: CSV}, {Format: TSV}, {Format: MD}, {Format: JSON},
		{Format: CSV, Sort: "code"}, {Format: Table, Sort: "code", Reverse: true}, {Format: Table, Limit: 1},
		{Format: Table, Fields: []string{"code"}}, {Format: YAML},
	} {
		for _, doc := range []func() Doc{wideTab, joinedTab} {
			for _, tty := range []bool{false, true} {
				want := render(doc(), opts, tty)
				if got := render(eachTab(doc()), opts, tty); got != want {
					t.Errorf("%+v, terminal %v: Each wrote\n%s\nRows wrote\n%s", opts, tty, got, want)
				}
			}
		}
	}
	// A table without rows is "no results" on stderr, as with Rows.
	empty := eachTab(Doc{JSON: []int{}, Tab: &Tab{Columns: []string{"a"}}})
	if got := render(empty, Options{}, false); got != "|no results\n" {
		t.Errorf("empty table: %q", got)
	}
	if got := render(empty, Options{Format: CSV}, false); got != "a\n|" {
		t.Errorf("empty csv: %q", got)
	}
}
