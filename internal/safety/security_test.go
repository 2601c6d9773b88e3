package safety

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// contactRows are nominations rows that each fail validation, each carrying
// a person's e-mail address and phone number (the header is
// nominationsHeader), with the columns they fail on.
var contactRows = []struct {
	line, email, phone, column string
}{
	{"MOD-3001,Hussein Ali Al-Obaidi,MoD,ZZ-999,2012-03-05,principal,nominated,hussein.obaidi@mod.example.org,+964 790 111 2233,", "hussein.obaidi@mod.example.org", "+964 790 111 2233", "course"},
	{"MOD-3002,Kareem Jasim Al-Dulaimi,MoD,M5-106,2012-02-31,principal,nominated,kareem.dulaimi@mod.example.org,07901234567,", "kareem.dulaimi@mod.example.org", "07901234567", "start"},
	{"MOD-3003,Zainab Hadi Al-Khafaji,MoD,M5-106,2012-03-05,principal,graduatedd,zainab.khafaji@mod.example.org,+964 780 555 0101,", "zainab.khafaji@mod.example.org", "+964 780 555 0101", "status"},
	{"MOD-3004,Saif Majid Al-Rubaie,MoD,M5-106,2012-03-05,principal,nominated,saif.rubaie(at)mod.example.org,+964 770 909 8080,", "saif.rubaie(at)mod.example.org", "+964 770 909 8080", "email"},
}

func TestImportErrorsNameRowsNeverContactDetails(t *testing.T) {
	e := NewEnv(t)
	before := MustBase(t, e)
	lines := []string{nominationsHeader}
	for _, r := range contactRows {
		lines = append(lines, r.line)
	}
	path := csvFile("contacts.csv", lines...)(t, t.TempDir())
	for _, args := range [][]string{
		{"import", path},
		{"import", path, "-o", "json"},
		{"import", path, "--dry-run"},
	} {
		r := e.Run(t, args...)
		t.Logf("%s:\n%s%s", shortArgs(args[1:]), r.Stdout, r.Stderr)
		if r.Code != 3 {
			t.Errorf("want exit 3:\n%v", r)
		}
		for i, c := range contactRows {
			row := i + 2
			where := regexp.MustCompile(`contacts\.csv:` + strconv.Itoa(row) + `: ` + c.column + `: `)
			if !strings.Contains(strings.Join(args, " "), "json") && !where.MatchString(r.Stderr) {
				t.Errorf("stderr does not name row %d and column %s:\n%v", row, c.column, r)
			}
			for _, secret := range []string{c.email, c.phone, strings.ReplaceAll(c.phone, " ", "")} {
				if strings.Contains(r.Stderr, secret) || strings.Contains(r.Stdout, secret) {
					t.Errorf("%s prints the contact detail %q:\n%v", shortArgs(args), secret, r)
				}
			}
		}
	}
	AssertCounts(t, e, before)
}

func TestRejectsFileIsPrivate(t *testing.T) {
	e := NewEnv(t)
	MustBase(t, e)
	dir := t.TempDir()
	path := csvFile("mixed.csv", nominationsHeader, validRow, contactRows[0].line)(t, dir)
	rejects := filepath.Join(dir, "fix-me.csv")
	r := e.RunUmask(t, "000", "import", path, "--on-error", "skip", "--rejects", rejects)
	if r.Code != 3 {
		t.Fatalf("want exit 3 (a row was rejected):\n%v", r)
	}
	// The rejects file holds the contact details, for the coordinator to
	// fix: it must be as private as the database.
	AssertMode(t, rejects, 0o600)
	if b := MustFileBytes(t, rejects); !strings.Contains(string(b), contactRows[0].email) {
		t.Errorf("rejects file lacks the rejected row:\n%s", b)
	}
	// Without --rejects the file goes beside the input, just as private.
	e2 := NewEnv(t)
	MustBase(t, e2)
	if r := e2.RunUmask(t, "000", "import", path, "--on-error", "skip"); r.Code != 3 {
		t.Fatalf("want exit 3:\n%v", r)
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "mixed*rejects*"))
	if len(matches) != 1 {
		t.Fatalf("default rejects file: %v", matches)
	}
	AssertMode(t, matches[0], 0o600)
}
