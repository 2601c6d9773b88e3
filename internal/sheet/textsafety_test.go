package sheet

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// utf16File writes lines as UTF-16 with a BOM; a unit of 0 in units stands
// for "write the surrogate given instead".
func utf16File(tb testing.TB, bigEndian bool, units []uint16) string {
	tb.Helper()
	b := make([]byte, 0, 2*len(units)+2)
	put := func(u uint16) {
		if bigEndian {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	put(0xFEFF)
	for _, u := range units {
		put(u)
	}
	path := filepath.Join(tb.TempDir(), "unicode.txt")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

func readText(tb testing.TB, path string) ([]Row, error) {
	tb.Helper()
	f, err := Open(path, Options{})
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rs, err := f.Rows("")
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	var rows []Row
	for rs.Next() {
		rows = append(rows, rs.Row())
	}
	return rows, rs.Err()
}

func TestUTF16UnpairedSurrogateIsRefusedNamingTheRow(t *testing.T) {
	for _, be := range []bool{false, true} {
		good := utf16.Encode([]rune("name\tministry\nAli 😀\tMoD\n"))
		lone := append(utf16.Encode([]rune("name\tministry\nAli\tMoD\nOmar ")), 0xD800)
		lone = append(lone, utf16.Encode([]rune("\tMoD\n"))...)
		lowFirst := append(utf16.Encode([]rune("name\tministry\n")), 0xDC00, 'x', '\t', 'M', '\n')

		rows, err := readText(t, utf16File(t, be, good))
		if err != nil || len(rows) != 2 || rows[1].Cells[0].Text != "Ali 😀" {
			t.Errorf("big-endian %v: a surrogate pair: rows %v, err %v", be, rows, err)
		}
		for name, units := range map[string][]uint16{"high": lone, "low": lowFirst} {
			_, err := readText(t, utf16File(t, be, units))
			row := "3"
			if name == "low" {
				row = "2"
			}
			want := "unicode.txt:" + row + ": holds a broken UTF-16 character (an unpaired surrogate) in column 1; save the file again"
			if err == nil || !strings.HasPrefix(err.Error(), want) || nomtrack.ErrorCode(err) != nomtrack.EINVALID {
				t.Errorf("big-endian %v, lone %s surrogate: err %v, want %q", be, name, err, want)
			}
		}
	}
}

func TestUTF16DecoderAcrossBufferEdges(t *testing.T) {
	// Surrogate pairs at every offset of the transformer's buffers.
	var lines []string
	for i := 0; i < 5000; i++ {
		lines = append(lines, strings.Repeat("x", i%7)+"عربي 😀")
	}
	units := utf16.Encode([]rune("name\n" + strings.Join(lines, "\n") + "\n"))
	rows, err := readText(t, utf16File(t, false, units))
	if err != nil || len(rows) != 5001 {
		t.Fatalf("err %v, %d rows", err, len(rows))
	}
	for i, r := range rows[1:] {
		if r.Cells[0].Text != lines[i] {
			t.Fatalf("row %d = %q, want %q", i+2, r.Cells[0].Text, lines[i])
		}
	}
}

func TestCleanRemovesControlCharacters(t *testing.T) {
	for in, want := range map[string]string{
		"\x1b[31mAli\x1b[0m":         "[31mAli [0m",
		"Ali\u009b2J Hussein":        "Ali 2J Hussein",
		"bell\a\x7fdel":              "bell del",
		"\x1b]0;title\aعلي":          "]0;title علي",
		"tab\tand\nline\r\nfeed\v\f": "tab and line feed",
	} {
		got := Clean(in)
		if got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzClean: whatever a cell holds, the cleaned value has no control
// character, no space at either end, and cleaning it again changes nothing.
func FuzzClean(f *testing.F) {
	for _, s := range []string{"Ali", " علي  حسين ", "\x1b[31mred", "\u009b2J", "a\u200fb", "٣٤", "e\u0301", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := Clean(s)
		for _, r := range c {
			if nomtrack.IsControl(r) || r == '\t' || r == '\n' {
				t.Fatalf("Clean(%q) = %q holds %U", s, c, r)
			}
		}
		if strings.HasPrefix(c, " ") || strings.HasSuffix(c, " ") {
			t.Fatalf("Clean(%q) = %q has an outer space", s, c)
		}
		if utf8.ValidString(s) && Clean(c) != c {
			t.Fatalf("Clean is not idempotent on %q: %q then %q", s, c, Clean(c))
		}
	})
}
