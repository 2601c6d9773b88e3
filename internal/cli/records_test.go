package cli

import (
	"bytes"
	"errors"
	"testing"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/spf13/cobra"
)

func TestRequireFlags(t *testing.T) {
	newCmd := func() *cobra.Command {
		cmd := &cobra.Command{Use: "add"}
		cmd.Flags().String("title", "", "")
		cmd.Flags().String("area", "", "")
		return cmd
	}
	t.Run("OK", func(t *testing.T) {
		cmd := newCmd()
		cmd.Flags().Parse([]string{"--title", "T", "--area", ""})
		if err := requireFlags(cmd, "title", "area"); err != nil {
			t.Errorf("requireFlags = %v; an empty value given is the value's rule, not the flag's", err)
		}
	})
	t.Run("ErrUsage_NamesEveryMissingFlag", func(t *testing.T) {
		cmd := newCmd()
		err := requireFlags(cmd, "title", "area")
		var ue *usageError
		if !errors.As(err, &ue) || ue.msg != "missing required flags --title, --area" {
			t.Fatalf("requireFlags = %#v", err)
		}
		if code := reportError(&bytes.Buffer{}, err); code != ExitUsage {
			t.Errorf("exit code = %d, want %d", code, ExitUsage)
		}
	})
}

func TestValues(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		if id, err := parseID("nomination", " 12 "); err != nil || id != 12 {
			t.Errorf("parseID = %d, %v", id, err)
		}
		if y, err := parseYear("2026"); err != nil || y != 2026 {
			t.Errorf("parseYear = %d, %v", y, err)
		}
		if e, err := englishValue("english", "L3 S2 R3 W2"); err != nil || e != "3232" {
			t.Errorf("englishValue = %q, %v", e, err)
		}
		if r, err := rankValue("rank-code", "of 4"); err != nil || r != "OF-4" {
			t.Errorf("rankValue = %q, %v", r, err)
		}
		if e, err := englishValue("english", " "); err != nil || e != "" {
			t.Errorf("englishValue(empty) = %q, %v; an empty flag clears the field", e, err)
		}
	})
	t.Run("ErrUsage", func(t *testing.T) {
		// A malformed number, id, year, English profile or rank code on
		// the command line is a usage error (exit 2), like a malformed flag.
		for name, err := range map[string]error{
			"id":      func() error { _, err := parseID("nomination", "12a"); return err }(),
			"id0":     func() error { _, err := parseID("nomination", "0"); return err }(),
			"year":    func() error { _, err := parseYear("26"); return err }(),
			"english": func() error { _, err := englishValue("english", "32"); return err }(),
			"rank":    func() error { _, err := rankValue("min-rank", "colonel"); return err }(),
			"status":  func() error { _, err := statusFilter([]string{"approved,aproved"}); return err }(),
		} {
			if nomtrack.ErrorCode(err) != nomtrack.EUSAGE {
				t.Errorf("%s: error %v, want EUSAGE (exit 2)", name, err)
			}
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		for name, err := range map[string]error{
			"count": checkCount("seats", -1),
		} {
			if nomtrack.ErrorCode(err) != nomtrack.EINVALID {
				t.Errorf("%s: error %v, want EINVALID (exit 3)", name, err)
			}
		}
	})
}

func TestWriteBlock(t *testing.T) {
	t.Run("OK_AlignedWithoutEmptyValues", func(t *testing.T) {
		var b bytes.Buffer
		seats := 0
		err := writeBlock(&b, []kv{{"ref", "M5-106@2026-03-02"}, {"location", ""}, {"seats", &seats}, {"seats_unknown", (*int)(nil)}})
		if err != nil {
			t.Fatal(err)
		}
		want := "ref:    M5-106@2026-03-02\nseats:  0\n"
		if b.String() != want {
			t.Errorf("writeBlock =\n%q\nwant\n%q", b.String(), want)
		}
	})
}

// A stored value refused now (a ref kept from before invisible characters
// were refused) is named as stored, with the flag that corrects it, when
// the edit did not give that flag; a flag given keeps the flag's message.
func TestCheckEditedNamesTheStoredValue(t *testing.T) {
	newCmd := func(args ...string) *cobra.Command {
		cmd := &cobra.Command{Use: "edit"}
		cmd.Flags().String("ref", "", "")
		cmd.Flags().String("position", "", "")
		cmd.Flags().Parse(args)
		return cmd
	}
	bad := (&nomtrack.Person{Name: "Ali", Ref: "S-1\u202e2"}).Validate()
	got := nomtrack.ErrorMessage(checkEdited(newCmd("--position", "Chief"), bad))
	if want := `the stored ref is refused now: ref "S-1\u202e2" holds the invisible character U+202E`; !bytes.HasPrefix([]byte(got), []byte(want)) ||
		!bytes.Contains([]byte(got), []byte("give --ref with the corrected value in this edit")) {
		t.Errorf("edit --position of a person with a stored bad ref: %q", got)
	}
	got = nomtrack.ErrorMessage(checkEdited(newCmd("--ref", "S-1\u202e2"), bad))
	if want := `--ref: ref "S-1\u202e2" holds`; !bytes.HasPrefix([]byte(got), []byte(want)) {
		t.Errorf("edit --ref with a bad ref: %q, want it to start %q", got, want)
	}
}
