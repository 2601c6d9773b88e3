package xlsx

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

type cellKind uint8

const (
	kindEmpty cellKind = iota
	kindText
	kindInt
	kindFloat
	kindBool
)

// Cell is one value of a row with its style. The zero Cell is empty. Cells
// are built with Text, Int, Float and Bool rather than from an any, so that
// a row of a million-row export costs no allocation per cell and a number is
// a number by construction.
type Cell struct {
	kind  cellKind
	style StyleID
	b     bool
	i     int64
	num   float64
	s     string
}

// Text is a text cell. Characters XML 1.0 forbids (control characters
// other than tab, CR and LF; U+FFFE, U+FFFF) are dropped, invalid UTF-8
// becomes U+FFFD, and text beyond MaxCellChars is cut there, as Excel would
// refuse the file otherwise. Neutralising formulas is the caller's business:
// a cell is never written as a formula, but a user may re-type it as one.
func Text(s string) Cell { return Cell{kind: kindText, s: s} }

// Int is a numeric cell holding an integer. Excel keeps 15 significant
// digits, so integers beyond ±999999999999999 lose precision there.
func Int(n int64) Cell { return Cell{kind: kindInt, i: n} }

// Float is a numeric cell. NaN and the infinities have no spelling in a
// workbook: WriteRow refuses a row holding one.
func Float(f float64) Cell { return Cell{kind: kindFloat, num: f} }

// Date is a date cell: the day's serial number in the 1900 date system,
// which a spreadsheet shows as a date when the cell wears a date format
// (Style{NumFmt: ISODate}). ok is false for a day before 1900-03-01, where
// Excel's serials are off by its phantom 1900-02-29, and after 9999-12-31,
// beyond them: such a day is better written as text.
func Date(year int, month time.Month, day int) (c Cell, ok bool) {
	t := time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
	if t.Before(firstSerialDay) || t.Year() > 9999 {
		return Cell{}, false
	}
	return Int((t.Unix() - serialEpoch.Unix()) / 86400), true
}

var (
	serialEpoch    = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	firstSerialDay = time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC)
)

// Bool is a TRUE/FALSE cell.
func Bool(b bool) Cell { return Cell{kind: kindBool, b: b} }

// Empty is a cell with no value; with a style (Empty().WithStyle(id)) it
// still carries the format, as an unfilled percentage cell does.
func Empty() Cell { return Cell{} }

// WithStyle returns the cell wearing the style id from Writer.AddStyle.
func (c Cell) WithStyle(id StyleID) Cell {
	c.style = id
	return c
}

// appendCell appends c as column col of row; false when c is a number a
// workbook cannot hold.
func appendCell(b []byte, c Cell, col, row int) ([]byte, bool) {
	b = append(b, `<c r="`...)
	b = appendColumn(b, col)
	b = strconv.AppendInt(b, int64(row), 10)
	b = append(b, '"')
	if c.style != 0 {
		b = append(b, ` s="`...)
		b = strconv.AppendInt(b, int64(c.style), 10)
		b = append(b, '"')
	}
	switch c.kind {
	case kindEmpty:
		b = append(b, `/>`...)
	case kindInt:
		b = append(b, `><v>`...)
		b = strconv.AppendInt(b, c.i, 10)
		b = append(b, `</v></c>`...)
	case kindFloat:
		if math.IsNaN(c.num) || math.IsInf(c.num, 0) {
			return b, false
		}
		b = append(b, `><v>`...)
		b = appendFloat(b, c.num)
		b = append(b, `</v></c>`...)
	case kindBool:
		b = append(b, ` t="b"><v>`...)
		if c.b {
			b = append(b, '1')
		} else {
			b = append(b, '0')
		}
		b = append(b, `</v></c>`...)
	case kindText:
		b = append(b, ` t="inlineStr"><is><t`...)
		if s := c.s; s != "" && (isSpace(s[0]) || isSpace(s[len(s)-1])) {
			b = append(b, ` xml:space="preserve"`...)
		}
		b = append(b, '>')
		b = appendText(b, c.s)
		b = append(b, `</t></is></c>`...)
	}
	return b, true
}

// appendFloat writes a number without an exponent in the range people type
// (so that "1500.5" reads back as typed), and in exponent form beyond it,
// where the plain form would run to hundreds of digits.
func appendFloat(b []byte, f float64) []byte {
	if a := math.Abs(f); a == 0 || a >= 1e-6 && a < 1e21 {
		return strconv.AppendFloat(b, f, 'f', -1, 64)
	}
	return strconv.AppendFloat(b, f, 'E', -1, 64)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// appendText appends s as XML element content, cut at MaxCellChars. Besides
// the XML escapes: CR is written &#xD; (a parser would turn a raw CR into
// LF), characters XML 1.0 forbids are dropped, and a literal "_xHHHH_" is
// written "_x005F_xHHHH_", since spreadsheets decode _xHHHH_ as an escaped
// character.
func appendText(b []byte, s string) []byte { return appendTextMax(b, s, MaxCellChars) }

// appendTextMax is appendText cut at limit UTF-16 units.
func appendTextMax(b []byte, s string, limit int) []byte {
	units := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				continue // forbidden in XML 1.0
			}
			if units == limit {
				break
			}
			units++
			switch c {
			case '&':
				b = append(b, "&amp;"...)
			case '<':
				b = append(b, "&lt;"...)
			case '>':
				b = append(b, "&gt;"...)
			case '\r':
				b = append(b, "&#xD;"...)
			case '_':
				if isXEscape(s[i-1:]) {
					b = append(b, "_x005F_"...)
				} else {
					b = append(b, '_')
				}
			default:
				b = append(b, c)
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == 0xFFFE || r == 0xFFFF {
			i += size
			continue // forbidden in XML 1.0
		}
		n := 1
		if r >= 0x10000 {
			n = 2 // a surrogate pair in Excel's count
		}
		if units+n > limit {
			break
		}
		units += n
		if r == utf8.RuneError && size == 1 {
			b = append(b, "\uFFFD"...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return b
}

// isXEscape reports whether s starts with _xHHHH_.
func isXEscape(s string) bool {
	if len(s) < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_' {
		return false
	}
	for _, c := range []byte(s[2:6]) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// legalName reports whether s is valid UTF-8 free of control characters
// and of the characters XML 1.0 forbids, as a sheet name must be.
func legalName(s string) bool {
	for i, r := range s {
		switch {
		case r == utf8.RuneError:
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return false
			}
		case r < 0x20, r == 0xFFFE, r == 0xFFFF:
			return false
		}
	}
	return true
}

// escapeAttr escapes s for an attribute value in double quotes; callers pass
// only names legalName accepts.
func escapeAttr(s string) string {
	if !strings.ContainsAny(s, "&<>\"'\r\n\t") {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '\'':
			b.WriteString("&apos;")
		case '\r':
			b.WriteString("&#xD;")
		case '\n':
			b.WriteString("&#xA;")
		case '\t':
			b.WriteString("&#x9;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// escapeText escapes s as element content (no cut at MaxCellChars), for
// chart titles and formulas.
func escapeText(s string) string { return string(appendTextMax(nil, s, math.MaxInt)) }

// ColumnName returns the letters of a 1-based column: 1 is A, 27 is AA.
func ColumnName(col int) string { return string(appendColumn(nil, col)) }

func appendColumn(b []byte, col int) []byte {
	var buf [4]byte
	i := len(buf)
	for c := col; c > 0; c = (c - 1) / 26 {
		i--
		buf[i] = byte('A' + (c-1)%26)
	}
	return append(b, buf[i:]...)
}

// CellName returns the reference of a cell from its 1-based column and row:
// CellName(4, 2) is "D2".
func CellName(col, row int) string {
	return string(strconv.AppendInt(appendColumn(nil, col), int64(row), 10))
}

// parseCellName reads a reference like "D2" into its 1-based column and row.
func parseCellName(ref string) (col, row int, ok bool) {
	i := 0
	for ; i < len(ref) && i < 3; i++ {
		c := ref[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c < 'A' || c > 'Z' {
			break
		}
		col = col*26 + int(c-'A'+1)
	}
	if i == 0 || i == len(ref) || ref[i] < '1' || ref[i] > '9' {
		return 0, 0, false
	}
	row, err := strconv.Atoi(ref[i:])
	if err != nil || col > MaxColumns || row > MaxRows {
		return 0, 0, false
	}
	return col, row, true
}

// Range returns an absolute reference to a block of cells of a sheet, as
// charts name their data: Range("Years", 2, 2, 2, 4) is "Years!$B$2:$B$4".
// A single cell (the same corners) is written without the colon. The sheet
// name is quoted when a formula needs it to be.
func Range(sheet string, col1, row1, col2, row2 int) string {
	b := []byte(quoteSheet(sheet))
	b = append(b, '!')
	abs := func(col, row int) {
		b = append(b, '$')
		b = appendColumn(b, col)
		b = append(b, '$')
		b = strconv.AppendInt(b, int64(row), 10)
	}
	abs(col1, row1)
	if col1 != col2 || row1 != row2 {
		b = append(b, ':')
		abs(col2, row2)
	}
	return string(b)
}

// quoteSheet quotes a sheet name for a formula unless it is plain letters
// (and underscores or dots) that cannot be mistaken for anything else.
func quoteSheet(name string) string {
	plain := name != "" && name[0] != '.'
	for i := 0; i < len(name) && plain; i++ {
		c := name[i]
		plain = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' || c == '.'
	}
	switch strings.ToUpper(name) {
	case "R", "C", "TRUE", "FALSE":
		plain = false
	}
	if plain {
		return name
	}
	return "'" + strings.ReplaceAll(name, "'", "''") + "'"
}
