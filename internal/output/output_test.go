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
		{"ErrUnknownFormat", Options{Format: "yaml"}, "", nomtrack.EUSAGE},
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
