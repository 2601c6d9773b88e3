// Package files guards the files nomtrack writes. Every output (--out, an
// import's rejects file, a report file, a backup) goes through CheckOutput
// before anything is created, so no output can replace the open database, its
// write-ahead log, any other nomtrack database or the file being imported.
// Files are compared by identity (device and inode, after following links),
// not by name: a symbolic link, a hard link or another spelling of the same
// path is the same file.
package files

import (
	"bytes"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// ApplicationID stamps a file as a nomtrack database (PRAGMA application_id),
// so that any other SQLite file is recognised and left alone.
const ApplicationID = 0x4e4d544b // "NMTK"

// SQLiteMagic is the first 16 bytes of every SQLite 3 database file.
var SQLiteMagic = []byte("SQLite format 3\x00")

// companions are the files SQLite keeps beside a database, with what they
// are called in messages.
var companions = []struct{ suffix, what string }{
	{"-wal", "write-ahead log"},
	{"-shm", "shared-memory index"},
	{"-journal", "rollback journal"},
}

// Keep is a file an output must never replace.
type Keep struct {
	Path string
	// What names it in the refusal ("the open database").
	What string
	// Database: its -wal, -shm and -journal are kept too.
	Database bool
}

// Database is the open database at path (and its companion files).
func Database(path string) Keep { return Keep{Path: path, What: "the open database", Database: true} }

// Input is a file being read.
func Input(path string) Keep { return Keep{Path: path, What: "the input file"} }

// Resolve returns path made absolute with its symbolic links followed, also
// when the last link points at a file that does not exist yet: a dangling link
// names the file nomtrack is to create. A path that cannot be resolved further
// (a missing directory, a loop) is returned as far as it was resolved.
func Resolve(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	for range 40 { // Linux's own limit on links followed
		dir, base := filepath.Split(abs)
		if d, err := filepath.EvalSymlinks(dir); err == nil {
			dir = d
		}
		abs = filepath.Join(dir, base)
		fi, err := os.Lstat(abs)
		if err != nil || fi.Mode()&os.ModeSymlink == 0 {
			return abs
		}
		link, err := os.Readlink(abs)
		if err != nil {
			return abs
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(dir, link)
		}
		abs = link
	}
	return abs
}

// IsNomtrackDB reports whether the file at path is a nomtrack database: the
// SQLite header stamped with nomtrack's application id.
func IsNomtrackDB(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	header := make([]byte, 100)
	if _, err := io.ReadFull(f, header); err != nil {
		return false
	}
	return bytes.Equal(header[:16], SQLiteMagic) && binary.BigEndian.Uint32(header[68:72]) == ApplicationID
}

// CheckOutput refuses (a usage error, exit 2) to write target when it is one
// of keep (or, for a database, one of its companion files), or any nomtrack
// database or companion of one. It touches nothing; an empty target (stdout)
// passes.
func CheckOutput(target string, keep ...Keep) error {
	if target == "" {
		return nil
	}
	t := Resolve(target)
	tst, terr := os.Stat(t)
	refuse := func(what string) error {
		return nomtrack.Errorf(nomtrack.EUSAGE, "will not write to %s: it is %s; choose another file (nothing was written)", target, what)
	}
	for _, k := range keep {
		if k.Path == "" {
			continue
		}
		kp := Resolve(k.Path)
		if same(t, tst, terr, kp) {
			return refuse(k.What)
		}
		if k.Database {
			for _, c := range companions {
				if same(t, tst, terr, kp+c.suffix) {
					return refuse(k.What + "'s " + c.what)
				}
			}
		}
	}
	// A companion of any nomtrack database, present or not: one created
	// now would be taken by SQLite for the database's own when it opens.
	for _, c := range companions {
		if base, ok := strings.CutSuffix(t, c.suffix); ok && IsNomtrackDB(base) {
			return refuse("the " + c.what + " of the nomtrack database " + base)
		}
	}
	if terr != nil {
		return nil // a new file: nothing to destroy
	}
	if tst.IsDir() {
		// Said now, rather than as the rename's raw error after the work.
		return nomtrack.Errorf(nomtrack.EUSAGE, "will not write to %s: it is a directory; give a file name (nothing was written)", target)
	}
	if IsNomtrackDB(t) {
		return refuse("a nomtrack database")
	}
	return nil
}

// CheckDatabaseTarget refuses (a usage error, exit 2) a database file that
// a command is to create or fill at target (db copy --to) when it is the
// open database at open, or a companion file (-wal, -shm, -journal) of it
// or of any nomtrack database: SQLite would take the new database for the
// other's write-ahead log, deleting it on the next open, or overwriting the
// log of a database in use. Any other existing file is left to the command,
// which says what it is.
func CheckDatabaseTarget(target, open string) error {
	t := Resolve(target)
	tst, terr := os.Stat(t)
	refuse := func(what string) error {
		return nomtrack.Errorf(nomtrack.EUSAGE, "will not write a database to %s: it is %s; choose another file (nothing was written)", target, what)
	}
	if open != "" {
		op := Resolve(open)
		if same(t, tst, terr, op) {
			return refuse("the open database")
		}
		for _, c := range companions {
			if same(t, tst, terr, op+c.suffix) {
				return refuse("the open database's " + c.what)
			}
		}
	}
	for _, c := range companions {
		if base, ok := strings.CutSuffix(t, c.suffix); ok && IsNomtrackDB(base) {
			return refuse("the " + c.what + " of the nomtrack database " + base)
		}
	}
	return nil
}

// same reports whether the resolved target t (stat'ed as tst, terr) is the
// file at resolved path p: the same name, or an existing same file.
func same(t string, tst os.FileInfo, terr error, p string) bool {
	if t == p {
		return true
	}
	if terr != nil {
		return false
	}
	pst, err := os.Stat(p)
	return err == nil && os.SameFile(tst, pst)
}
