package safety

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// MustCorrupt overwrites the first bytes of every page from the third on,
// as a failing disk or a careless copy might, and returns the damaged bytes.
func MustCorrupt(tb testing.TB, path string) []byte {
	tb.Helper()
	b := MustFileBytes(tb, path)
	const page = 4096
	for p := 2; p*page+12 <= len(b); p++ {
		copy(b[p*page:], "\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a")
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		tb.Fatal(err)
	}
	return b
}

func TestDamagedDatabaseReportedNeverModified(t *testing.T) {
	e := NewEnv(t)
	MustBase(t, e)
	damaged := MustCorrupt(t, e.DB)
	r := e.Run(t, "db", "check")
	AssertCleanFailure(t, r, "damaged")
	for _, args := range [][]string{{"db", "info"}, {"db", "backup", filepath.Join(e.Dir, "b.db")}, {"db", "migrate"}} {
		r := e.Run(t, args...)
		if r.Code != 0 {
			AssertCleanFailure(t, r)
		}
	}
	if got := MustFileBytes(t, e.DB); string(got) != string(damaged) {
		t.Error("nomtrack modified a damaged database file")
	}
}

func TestTruncatedDatabaseRefusedUntouched(t *testing.T) {
	e := NewEnv(t)
	MustBase(t, e)
	b := MustFileBytes(t, e.DB)
	cut := b[:len(b)/2+100]
	if err := os.WriteFile(e.DB, cut, 0o600); err != nil {
		t.Fatal(err)
	}
	before := MustSnapshot(t, filepath.Dir(e.DB))
	for _, args := range [][]string{{"db", "check"}, {"db", "info"}, {"init"}} {
		r := e.Run(t, args...)
		AssertCleanFailure(t, r)
		if !strings.Contains(r.Stderr, "damaged") && !strings.Contains(r.Stderr, "not a nomtrack database") {
			t.Errorf("the message does not say the file is damaged:\n%v", r)
		}
	}
	AssertSameSnapshot(t, filepath.Dir(e.DB), before)
}

func TestDamagedDataPagesReportedNeverModified(t *testing.T) {
	// The schema pages are whole but the last quarter of the data pages
	// (offerings) is damaged: the file opens, and whatever reads a damaged
	// page says so cleanly.
	p := MustProgramme(t)
	e := NewProgrammeEnv(t, p)
	b := MustFileBytes(t, e.DB)
	const page = 4096
	n := len(b) / page
	for i := n * 3 / 4; i < n; i++ {
		copy(b[i*page:], "\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a")
	}
	if err := os.WriteFile(e.DB, b, 0o600); err != nil {
		t.Fatal(err)
	}
	// db check lists the damage as its finding (it used to answer "run db
	// check" instead).
	r := e.Run(t, "db", "check")
	AssertCleanFailure(t, r, "the database check found")
	if strings.TrimSpace(r.Stdout) == "" {
		t.Errorf("db check does not list the damage:\n%v", r)
	}
	t.Logf("db check listed:\n%s", r.Stdout)
	if r := e.Run(t, "db", "check", "-o", "json"); r.Code != 1 || !strings.Contains(r.Stdout, `"ok": false`) {
		t.Errorf("db check -o json:\n%v", r)
	}
	for _, args := range [][]string{
		{"offering", "list"}, {"course", "list"}, {"report", "year", "2015"}, {"report", "trend"},
		{"export", "offerings"}, {"db", "info"}, {"db", "backup", filepath.Join(e.Dir, "b.db")},
	} {
		if r := e.Run(t, args...); r.Code != 0 {
			AssertCleanFailure(t, r, "damaged")
		}
	}
	if got := MustFileBytes(t, e.DB); string(got) != string(b) {
		t.Error("nomtrack modified a damaged database file")
	}
}
