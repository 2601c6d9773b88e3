package safety

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf16"
)

// TestTextIsWhatItClaims: an escape sequence typed on the command line is
// refused, one in a file is removed, a broken UTF-16 character is refused
// like invalid UTF-8, and text stored raw before these checks is shown as
// escapes, never sent to the terminal as it is.
func TestTextIsWhatItClaims(t *testing.T) {
	e := NewEnv(t)
	before := MustBase(t, e)
	dir := t.TempDir()
	const esc = "\x1b]0;owned\a\x1b[2J\x1b[31m"

	t.Run("CommandLineRefused", func(t *testing.T) {
		for _, args := range [][]string{
			{"person", "add", "--name", esc + "Omar Khalid", "--ministry", "MoD"},
			{"person", "add", "--name", "Omar Khalid", "--ministry", "MoD", "--position", "Staff\u009b2J"},
			{"course", "add", "Z1-001", "--title", "Over\rwritten", "--area", "counter-terrorism"},
			{"person", "add", "--name", "Bad \xff UTF-8", "--ministry", "MoD"},
		} {
			r := e.Run(t, args...)
			if r.Code != 3 || !strings.Contains(r.Stderr, "holds a control character") && !strings.Contains(r.Stderr, "is not valid UTF-8") {
				t.Errorf("want exit 3 naming the control character:\n%v", r)
			}
			if strings.ContainsAny(r.Stderr+r.Stdout, "\x1b\a\r\u009b") {
				t.Errorf("the refusal echoed the control characters raw: %q", r.Stderr)
			}
		}
		AssertCounts(t, e, before)
	})

	t.Run("FileRemoved", func(t *testing.T) {
		path := MustWriteFile(t, dir, "people.csv", []byte("ref,name,ministry\nMOD-7001,"+esc+"Omar\u009b2J Khalid,MoD\n"))
		e.MustRun(t, "import", path, "--kind", "people")
		r := e.MustRun(t, "person", "show", "MOD-7001", "-o", "json")
		var p struct{ Name string }
		if err := json.Unmarshal([]byte(r.Stdout), &p); err != nil {
			t.Fatal(err)
		}
		if p.Name != "]0;owned [2J [31mOmar 2J Khalid" {
			t.Errorf("stored name %q", p.Name)
		}
	})

	t.Run("UTF16SurrogateRefused", func(t *testing.T) {
		counts := e.MustCounts(t)
		units := append([]uint16{0xFEFF}, utf16.Encode([]rune("ref\tname\tministry\nMOD-7002\tAli\tMoD\nMOD-7003\tOmar "))...)
		units = append(units, 0xD83D) // half of an emoji
		units = append(units, utf16.Encode([]rune("\tMoD\n"))...)
		b := make([]byte, 0, 2*len(units))
		for _, u := range units {
			b = append(b, byte(u), byte(u>>8))
		}
		r := e.Run(t, "import", MustWriteFile(t, dir, "unicode.txt", b), "--kind", "people")
		if r.Code != 3 || !strings.Contains(r.Stderr, "unicode.txt:3: holds a broken UTF-16 character (an unpaired surrogate) in column 2") {
			t.Errorf("want exit 3 naming row 3:\n%v", r)
		}
		AssertCounts(t, e, counts)
	})

	t.Run("StoredRawShownEscaped", func(t *testing.T) {
		db := MustRawDB(t, e.DB)
		MustExec(t, db, `UPDATE person SET name = 'Staff '||char(27)||'[2J'||char(155)||'Officer', position = name WHERE ref = '`+basePersonRef+`'`)
		db.Close()
		for _, args := range [][]string{{"person", "list"}, {"person", "show", basePersonRef}} {
			r := e.MustRun(t, args...)
			if strings.ContainsAny(r.Stdout, "\x1b\u009b") {
				t.Errorf("%v wrote a control character to the terminal: %q", args, r.Stdout)
			}
			if !strings.Contains(r.Stdout, `Staff \x1b[2J\x9bOfficer`) {
				t.Errorf("%v does not show the escapes:\n%s", args, r.Stdout)
			}
		}
	})
}
