package safety

import (
	"os"
	"path/filepath"
	"testing"
)

func TestReadOnlyDirectoryFailsCleanlyDatabaseIntact(t *testing.T) {
	e := NewEnv(t)
	e.MustRun(t, "init")
	dir := filepath.Dir(e.DB)
	cred := Unprivileged(t, e)
	before := MustSnapshot(t, dir)
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o700) })
	for _, args := range [][]string{{"init"}, {"db", "migrate"}, {"db", "info"}, {"db", "backup", filepath.Join(e.Dir, "b.db")}} {
		r := e.RunAs(t, cred, args...)
		AssertCleanFailure(t, r, "read-only")
		AssertSameSnapshot(t, dir, before)
	}
	os.Chmod(dir, 0o700)
	e.MustCheck(t)
}

func TestReadOnlyDatabaseFileStillReadsAndBacksUp(t *testing.T) {
	e := NewEnv(t)
	e.MustRun(t, "init")
	cred := Unprivileged(t, e)
	if err := os.Chmod(e.DB, 0o400); err != nil {
		t.Fatal(err)
	}
	before := MustFileBytes(t, e.DB)
	// Reading a read-only file works.
	if r := e.RunAs(t, cred, "db", "info"); r.Code != 0 {
		t.Errorf("db info on a read-only file:\n%v", r)
	}
	// A backup is a read: it works too, and the copy is private.
	dest := filepath.Join(e.Dir, "b.db")
	os.Chmod(e.Dir, 0o777)
	if r := e.RunAs(t, cred, "db", "backup", dest); r.Code != 0 {
		t.Errorf("db backup of a read-only file:\n%v", r)
	} else if st, err := os.Stat(dest); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("backup mode = %v (%v), want 0600", st.Mode().Perm(), err)
	}
	if got := MustFileBytes(t, e.DB); string(got) != string(before) {
		t.Error("the read-only database file changed")
	}
}

func TestWritesToReadOnlyDatabaseFailCleanly(t *testing.T) {
	for _, c := range []struct {
		name     string
		readOnly func(e *Env) string // makes something read-only, returns it
	}{
		{"file", func(e *Env) string { return e.DB }},
		{"directory", func(e *Env) string { return filepath.Dir(e.DB) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := NewEnv(t)
			before := MustBase(t, e)
			cred := Unprivileged(t, e)
			target := c.readOnly(e)
			st, err := os.Stat(target)
			if err != nil {
				t.Fatal(err)
			}
			os.Chmod(target, st.Mode().Perm()&^0o222)
			dbBytes := MustFileBytes(t, e.DB)
			for _, args := range [][]string{
				{"person", "add", "--name", "Omar Khalid Al-Jubouri", "--ministry", "MoI"},
				{"nominate", basePersonRef, baseOffering},
				{"capacity", "set", "2012", "400"},
			} {
				r := e.RunAs(t, cred, args...)
				AssertCleanFailure(t, r, "read-only")
			}
			os.Chmod(target, st.Mode().Perm())
			if string(MustFileBytes(t, e.DB)) != string(dbBytes) {
				t.Error("the database file changed")
			}
			e.MustCheck(t)
			AssertCounts(t, e, before)
		})
	}
}
