package sheet

import (
	"context"
	"errors"
	"io"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// The limits of what a file may make nomtrack read or keep. A workbook is a
// zip of XML that anyone can write: a 1 MB file can claim a billion-character
// cell, ten million shared strings or a row reaching column XFD. Each limit
// is checked while the file is read, before anything is buffered, so memory
// follows what is kept and time follows what is read; each message names the
// limit. The spreadsheet limits are Excel's own: no file Excel wrote passes
// them.
const (
	// maxCellChars is the most characters an Excel cell holds. A longer
	// value cannot have come from a spreadsheet: it is a damaged or hostile
	// file, and importing it would put megabytes into a name.
	maxCellChars = 32767
	// maxCellBytes bounds the UTF-8 of a cell while it is read: 32,767
	// characters take at most four bytes each.
	maxCellBytes = 4 * maxCellChars
	// maxColumns is Excel's last column, XFD.
	maxColumns = 16384
	// maxRows is Excel's last row, counted whether or not rows carry r=.
	maxRows = 1 << 20
	// maxRowTextBytes bounds the text one workbook row brings in (shared
	// strings aside, which the table already holds): a row is kept whole
	// while the import reads it.
	maxRowTextBytes = 4 << 20
	// maxSharedStrings and maxSharedStringBytes bound the shared-string
	// table, which is kept for the whole import: two million strings is
	// more than a million-row sheet of distinct names, refs, e-mails and
	// phones needs.
	maxSharedStrings     = 2 << 20
	maxSharedStringBytes = 32 << 20
	// maxSheetElements bounds the elements (tags) of one worksheet. Within
	// the size limit, a sheet of tiny tags (`<x/>`, 4 bytes each) holds
	// 268 million of them and takes over 10 s to scan; a real sheet spends
	// ten bytes or more on an element (a million rows of ten columns is
	// about 25 million), so 100 million refuses only the hostile kind,
	// in about 4 s.
	maxSheetElements = 100_000_000
	// maxSheetXMLBytes bounds a worksheet's XML once unpacked: a million
	// rows of ten inline-string columns take about 700 MB. Unpacking and
	// scanning it is what costs the time.
	maxSheetXMLBytes = 1 << 30
	// maxPartXMLBytes bounds the smaller parts (workbook, relationships,
	// styles), which are read through encoding/xml.
	maxPartXMLBytes = 16 << 20
	// maxZipEntries bounds the files of the zip: a workbook has a dozen
	// parts, a few hundred with many sheets and pictures.
	maxZipEntries = 10000
	// maxZipDirBytes bounds the zip's central directory, which is read whole
	// when the zip is opened.
	maxZipDirBytes = 4 << 20
	// maxTagBytes bounds one XML tag with its attributes.
	maxTagBytes = 1 << 20
	// farGap is how many empty columns a workbook row pads before a cell
	// further right is kept apart, in Row.Far.
	farGap = 32
)

// errLimit marks a limit passed inside the XML scanner; the reader turns it
// into a sentence naming the limit and the place.
type errLimit struct{ what string }

func (e *errLimit) Error() string { return e.what }

// limitError is the error for a file past one of the limits above: exit 3.
func limitError(format string, args ...any) error {
	return nomtrack.Errorf(nomtrack.EINVALID, format, args...)
}

// limitedReader reads at most n bytes of XML and then fails with what, so
// that no part unpacks past its limit whatever its zip header claims. It also
// stops when ctx is cancelled: every 64 KiB of a file read is a point where
// Ctrl-C is noticed.
type limitedReader struct {
	ctx  context.Context
	r    io.Reader
	n    int64
	what string
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if err := l.ctx.Err(); err != nil {
		return 0, err
	}
	if l.n <= 0 {
		// One byte more says whether the part really goes on.
		var one [1]byte
		if n, _ := l.r.Read(one[:]); n > 0 {
			return 0, &errLimit{l.what}
		}
		return l.r.Read(p)
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

// ctxReader stops reading when ctx is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// cancelled reports an error that comes from a cancelled context: it is
// passed on as it is, never dressed as damage to the file.
func cancelled(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
