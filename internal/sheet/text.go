package sheet

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// sampleSize is how much of a text file detection looks at.
const sampleSize = 64 << 10

// textEncoding is how a text file's bytes become UTF-8.
type textEncoding struct {
	name string
	// enc decodes the bytes after skip; nil means the bytes are UTF-8.
	enc  encoding.Encoding
	skip int // bytes of a UTF-8 BOM to drop
}

// EncodingNames lists the values Options.Encoding accepts.
var EncodingNames = []string{"utf-8", "utf-16", "utf-16le", "utf-16be", "windows-1256", "cp1256", "latin1", "windows-1252"}

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// openText reads the start of a text file and settles its encoding and
// delimiter.
func (f *File) openText(ext string) error {
	fh, err := os.Open(f.path)
	if err != nil {
		return fileError(f.name, err)
	}
	defer fh.Close()
	sample := make([]byte, sampleSize)
	n, err := io.ReadFull(fh, sample)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return fileError(f.name, err)
	}
	sample = sample[:n]
	f.enc, err = chooseEncoding(sample, n == sampleSize, f.opt.Encoding)
	if err != nil {
		return err
	}
	if f.opt.Encoding == "" && f.enc.name == "windows-1256" {
		// Reading a file that mixes UTF-8 lines into Windows-1256 as
		// Windows-1256 would silently garble every UTF-8 Arabic name.
		if u, o := mixedLines(sample, n == sampleSize); u > 0 && o > 0 {
			return nomtrack.Errorf(nomtrack.EINVALID, "%s mixes text encodings: line %d is UTF-8 but line %d is not; save the whole file as UTF-8 (Excel: CSV UTF-8), or name its encoding with --encoding", f.name, u, o)
		}
	}
	text := decodeSample(sample, f.enc)
	f.crLines = crOnlyLines(text)
	if f.crLines {
		text = strings.ReplaceAll(text, "\r", "\n")
	}
	f.delim = f.opt.Delimiter
	if f.delim == 0 {
		def := ','
		if ext == ".tsv" {
			def = '\t'
		}
		f.delim = sniffDelimiter(text, def)
	}
	if f.delim == '"' || f.delim == '\r' || f.delim == '\n' || f.delim == utf8.RuneError {
		return nomtrack.Errorf(nomtrack.EUSAGE, "%q cannot be used as the delimiter of %s; use comma, semicolon or tab", f.delim, f.name)
	}
	return nil
}

// mixedLines returns the first line (1-based) of sample that has non-ASCII
// bytes and is valid UTF-8, and the first that has non-ASCII bytes and is
// not (0 when there is none). Windows-1256 Arabic is never valid UTF-8 over
// a whole line (its letters are consecutive bytes above 0x7F), so a file with
// both kinds of line mixes encodings. A line cut by the sample's end is left
// out.
func mixedLines(sample []byte, cut bool) (utf8Line, otherLine int) {
	line := 0
	for len(sample) > 0 && (utf8Line == 0 || otherLine == 0) {
		i := bytes.IndexAny(sample, "\r\n")
		if i < 0 {
			if cut {
				break
			}
			i = len(sample)
		}
		text := sample[:i]
		sample = sample[i:]
		if len(sample) > 1 && sample[0] == '\r' && sample[1] == '\n' {
			sample = sample[2:]
		} else if len(sample) > 0 {
			sample = sample[1:]
		}
		line++
		ascii := true
		for _, c := range text {
			if c >= utf8.RuneSelf {
				ascii = false
				break
			}
		}
		switch {
		case ascii:
		case utf8.Valid(text):
			if utf8Line == 0 {
				utf8Line = line
			}
		case otherLine == 0:
			otherLine = line
		}
	}
	return utf8Line, otherLine
}

// chooseEncoding picks the decoding for a file from its first bytes, or from
// the name the user gave. cut says the sample stops before the end of the file.
func chooseEncoding(sample []byte, cut bool, forced string) (textEncoding, error) {
	if forced != "" {
		return namedEncoding(sample, forced)
	}
	switch {
	case bytes.HasPrefix(sample, bomUTF8):
		return textEncoding{name: "utf-8-bom", skip: len(bomUTF8)}, nil
	case bytes.HasPrefix(sample, bomUTF16LE):
		return textEncoding{name: "utf-16le", enc: utf16LE}, nil
	case bytes.HasPrefix(sample, bomUTF16BE):
		return textEncoding{name: "utf-16be", enc: utf16BE}, nil
	}
	if e, ok := utf16WithoutBOM(sample); ok {
		return e, nil
	}
	if validUTF8Sample(sample, cut) {
		return textEncoding{name: "utf-8"}, nil
	}
	return textEncoding{name: "windows-1256", enc: charmap.Windows1256}, nil
}

// namedEncoding resolves Options.Encoding. A UTF-8 or UTF-16 BOM is still
// honoured (and dropped) so the BOM never becomes part of the first header.
func namedEncoding(sample []byte, name string) (textEncoding, error) {
	switch strings.ToLower(strings.ReplaceAll(strings.TrimSpace(name), "_", "-")) {
	case "utf-8", "utf8":
		if bytes.HasPrefix(sample, bomUTF8) {
			return textEncoding{name: "utf-8-bom", skip: len(bomUTF8)}, nil
		}
		return textEncoding{name: "utf-8"}, nil
	case "utf-16", "utf16", "utf-16le", "utf16le", "unicode":
		if bytes.HasPrefix(sample, bomUTF16BE) {
			return textEncoding{name: "utf-16be", enc: utf16BE}, nil
		}
		return textEncoding{name: "utf-16le", enc: utf16LE}, nil
	case "utf-16be", "utf16be":
		if bytes.HasPrefix(sample, bomUTF16LE) {
			return textEncoding{name: "utf-16le", enc: utf16LE}, nil
		}
		return textEncoding{name: "utf-16be", enc: utf16BE}, nil
	case "windows-1256", "cp1256", "win1256", "arabic":
		return textEncoding{name: "windows-1256", enc: charmap.Windows1256}, nil
	case "latin1", "latin-1", "iso-8859-1", "windows-1252", "cp1252":
		return textEncoding{name: "windows-1252", enc: charmap.Windows1252}, nil
	}
	return textEncoding{}, nomtrack.Errorf(nomtrack.EUSAGE, "unknown encoding %q; use one of %s", name, strings.Join(EncodingNames, ", "))
}

// validUTF8Sample reports whether sample is UTF-8, ignoring a multi-byte
// sequence cut in half by the sample's end.
func validUTF8Sample(b []byte, cut bool) bool {
	if cut {
		for i := 1; i <= utf8.UTFMax && i <= len(b); i++ {
			if utf8.RuneStart(b[len(b)-i]) {
				if !utf8.FullRune(b[len(b)-i:]) {
					b = b[:len(b)-i]
				}
				break
			}
		}
	}
	return utf8.Valid(b)
}

// utf16WithoutBOM recognises UTF-16 saved without a BOM by its zero bytes:
// ASCII delimiters, digits and line ends have a zero high byte.
func utf16WithoutBOM(b []byte) (textEncoding, bool) {
	if len(b) > 4096 {
		b = b[:4096]
	}
	pairs := len(b) / 2
	if pairs < 2 {
		return textEncoding{}, false
	}
	var even, odd int
	for i := 0; i+1 < len(b); i += 2 {
		if b[i] == 0 {
			even++
		}
		if b[i+1] == 0 {
			odd++
		}
	}
	switch {
	case odd >= 2 && odd >= pairs/4 && even <= pairs/50:
		return textEncoding{name: "utf-16le", enc: utf16LE}, true
	case even >= 2 && even >= pairs/4 && odd <= pairs/50:
		return textEncoding{name: "utf-16be", enc: utf16BE}, true
	}
	return textEncoding{}, false
}

// decodeSample decodes as much of the sample as decodes cleanly.
func decodeSample(sample []byte, e textEncoding) string {
	sample = sample[e.skip:]
	if e.enc == nil {
		return string(sample)
	}
	out, _ := io.ReadAll(transform.NewReader(bytes.NewReader(sample), e.enc.NewDecoder()))
	return string(out)
}

// sniffDelimiter picks comma, semicolon or tab from the first lines of a text
// file: the candidate found on the header line (outside quotes) that splits
// the following lines into the same number of fields most often, then the
// one found most on the header. def is used when the header has none.
func sniffDelimiter(text string, def rune) rune {
	cands := []rune{',', ';', '\t'}
	const maxLines = 10
	var counts [maxLines][3]int
	lines, inQuote := 0, false
	for i := 0; i < len(text) && lines < maxLines; i++ {
		switch c := text[i]; c {
		case '"':
			inQuote = !inQuote
		case '\n':
			if !inQuote {
				lines++
			}
		case ',', ';', '\t':
			if !inQuote {
				counts[lines][strings.IndexByte(",;\t", c)]++
			}
		}
	}
	if lines < maxLines && len(text) > 0 {
		lines++ // the last line without a line end
	}
	best, bestAgree, bestCount := def, -1, 0
	for k, d := range cands {
		head := counts[0][k]
		if head == 0 {
			continue
		}
		agree := 0
		for l := 1; l < lines; l++ {
			if counts[l][k] == head {
				agree++
			}
		}
		if agree > bestAgree || (agree == bestAgree && head > bestCount) {
			best, bestAgree, bestCount = d, agree, head
		}
	}
	return best
}

// crOnlyLines reports text whose lines end in a bare CR, as "CSV
// (Macintosh)" files from old Mac Excel do.
func crOnlyLines(text string) bool {
	return strings.IndexByte(text, '\r') >= 0 && strings.IndexByte(text, '\n') < 0
}

// crReader turns every CR into LF, for files whose lines end in a bare CR.
type crReader struct{ r io.Reader }

// Read reads from the underlying reader and rewrites CRs in place.
func (c crReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i := bytes.IndexByte(p[:n], '\r'); i >= 0; {
		p[i] = '\n'
		j := bytes.IndexByte(p[i+1:n], '\r')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return n, err
}

// textSource decodes rows of a delimited text file.
type textSource struct {
	name    string
	closer  io.Closer
	r       *csv.Reader
	num     int // row number of the last row handed out
	prevEnd int // physical line on which the last row ended
	slab    cellSlab
	utf16   bool // decoded from UTF-16: invalid text is an unpaired surrogate
}

// newTextSource streams rows from src (which it closes) in encoding e.
// crLines turns bare CRs into line ends.
func newTextSource(src io.ReadCloser, name string, e textEncoding, delim rune, crLines bool) *textSource {
	br := bufio.NewReaderSize(src, 64<<10)
	if e.skip > 0 {
		if head, err := br.Peek(e.skip); err == nil && bytes.Equal(head, bomUTF8[:e.skip]) {
			_, _ = br.Discard(e.skip)
		}
	}
	var in io.Reader = br
	if e.enc != nil {
		in = transform.NewReader(br, e.enc.NewDecoder())
	}
	if crLines {
		in = crReader{in}
	}
	if in != io.Reader(br) {
		in = bufio.NewReaderSize(in, 64<<10)
	}
	cr := csv.NewReader(in)
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return &textSource{name: name, closer: src, r: cr, utf16: e.enc == utf16LE || e.enc == utf16BE}
}

func (s *textSource) next() (Row, bool, error) {
	rec, err := s.r.Read()
	if err == io.EOF {
		return Row{}, false, nil
	}
	if err != nil {
		if cancelled(err) {
			return Row{}, false, err
		}
		return Row{}, false, s.readError(err)
	}
	line, _ := s.r.FieldPos(0)
	num := s.num + 1
	if gap := line - s.prevEnd - 1; gap > 0 {
		num += gap // blank lines the CSV reader skipped are rows in a spreadsheet
	}
	last := rec[len(rec)-1]
	lastLine, _ := s.r.FieldPos(len(rec) - 1)
	s.num, s.prevEnd = num, lastLine+strings.Count(last, "\n")
	cells := s.slab.take(len(rec))
	for i, field := range rec {
		if strings.IndexByte(field, 0) >= 0 {
			return Row{}, false, rowError(s.name, num, "contains a NUL byte; is it a binary file?")
		}
		if !utf8.ValidString(field) && s.utf16 {
			return Row{}, false, rowError(s.name, num, "holds a broken UTF-16 character (an unpaired surrogate) in column %d; save the file again (Excel: Unicode text or CSV UTF-8)", i+1)
		}
		if !utf8.ValidString(field) {
			return Row{}, false, rowError(s.name, num, "is not valid UTF-8 although the start of the file is; save the file as UTF-8 or name its encoding (e.g. --encoding windows-1256)")
		}
		if n, long := overlong(field); long {
			return Row{}, false, rowError(s.name, num, "column %d holds %d characters, more than a spreadsheet cell can (%d); is the file damaged?", i+1, n, maxCellChars)
		}
		cells[i].Text = field
	}
	return Row{Num: num, Cells: cells}, true, nil
}

// readError turns a CSV reader error into a sentence naming the row.
func (s *textSource) readError(err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return rowError(s.name, s.num+1, "cannot be read: %v", err)
	}
	num := s.num + 1
	if gap := pe.StartLine - s.prevEnd - 1; gap > 0 {
		num += gap
	}
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return rowError(s.name, num, `has a " inside a field that is not quoted; quote the field and double the " ("") or remove it`)
	case errors.Is(pe.Err, csv.ErrQuote):
		_, nextErr := s.r.Read()
		if pe.Line > pe.StartLine || nextErr == io.EOF {
			return rowError(s.name, num, `unterminated quoted field: a " opens a field but never closes it`)
		}
		return rowError(s.name, num, `has a stray " after a quoted field; write "" for a quote inside quotes`)
	}
	return rowError(s.name, num, "cannot be read: %v", pe.Err)
}

func (s *textSource) close() error {
	if s.closer == nil {
		return nil
	}
	err := s.closer.Close()
	s.closer = nil
	if err != nil {
		return fmt.Errorf("closing %s: %w", s.name, err)
	}
	return nil
}
