package output

import (
	"fmt"
	"strconv"
	"time"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// Kind is what a cell holds. It, not the format, decides how a cell is
// written, so a list, an export and a rejects file write the same value the
// same way:
//
//	kind     csv/tsv/md/table   json/jsonl/yaml   xlsx
//	empty    (nothing)          null              empty cell
//	text     the text ¹         string            text cell ¹ (empty cell for "")
//	integer  digits             number            number cell
//	decimal  digits, no exponent number           number cell
//	date     YYYY-MM-DD         "YYYY-MM-DD"      date cell shown YYYY-MM-DD
//	boolean  true / false       true / false      TRUE / FALSE cell
//	rate     a decimal (0.824)  number            number cell shown 82.40%
//
// ¹ In csv, tsv and xlsx, text a spreadsheet would run as a formula gets a
// leading apostrophe (see Neutralise); numbers and dates are not text and
// are never touched.
type Kind uint8

// The kinds of cell.
const (
	KindEmpty Kind = iota
	KindText
	KindInt
	KindDecimal
	KindDate
	KindBool
)

// Value is one typed cell of a row. The zero Value is empty.
type Value struct {
	kind    Kind
	s       string // text; a date as YYYY-MM-DD
	n       int64  // integer; a boolean as 0 or 1
	f       float64
	percent bool // a rate: shown as a percentage where a format can show it
}

// Empty is a cell with no value (an unknown number, an unset rate).
func Empty() Value { return Value{} }

// Unknown is an empty cell that a table, written for people, shows as
// label ("unknown"): every other format writes it as Empty (null in JSON,
// an empty cell in csv and xlsx, which imports back as not known), so a
// value nobody gave never reads as 0 and never turns into text in data.
func Unknown(label string) Value { return Value{s: label} }

// Text is a text cell. Empty text is written as an empty cell, except in
// JSON and YAML, which keep "" apart from null as the records' JSON does.
func Text(s string) Value { return Value{kind: KindText, s: s} }

// Int is an integer cell.
func Int(n int64) Value { return Value{kind: KindInt, n: n} }

// Decimal is a number cell that may have a fraction (a fee, a rate).
func Decimal(f float64) Value { return Value{kind: KindDecimal, f: f} }

// Rate is a fraction (utilisation 0.824): a decimal everywhere, which a
// workbook shows as a percentage (0.00%). An undefined rate (nil) is empty,
// its workbook cell still formatted as a percentage.
func Rate(f *float64) Value {
	if f == nil {
		return Value{percent: true}
	}
	return Value{kind: KindDecimal, f: *f, percent: true}
}

// Bool is a true/false cell.
func Bool(b bool) Value {
	if b {
		return Value{kind: KindBool, n: 1}
	}
	return Value{kind: KindBool}
}

// Date is a calendar day given as YYYY-MM-DD, as nomtrack stores days. An
// unknown day ("") is empty text, as the records' JSON writes it; a string
// that is not such a day stays text, so nothing is lost.
func Date(s string) Value {
	if !isDay(s) {
		return Text(s)
	}
	return Value{kind: KindDate, s: s}
}

// isDay reports whether s is a real day written YYYY-MM-DD, without the
// allocation a failed time.Parse costs (exports call it for every row).
func isDay(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	num := func(t string) int {
		n := 0
		for i := 0; i < len(t); i++ {
			if t[i] < '0' || t[i] > '9' {
				return -1
			}
			n = n*10 + int(t[i]-'0')
		}
		return n
	}
	y, m, d := num(s[0:4]), num(s[5:7]), num(s[8:10])
	if y < 0 || m < 1 || m > 12 || d < 1 {
		return false
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Day() == d
}

// DateOf is the day of t (a date read from a workbook cell).
func DateOf(t time.Time) Value {
	return Value{kind: KindDate, s: t.Format(nomtrack.DateLayout)}
}

// Kind says what v holds.
func (v Value) Kind() Kind { return v.kind }

// String is v as text, as csv, tsv, md and tables write it (before any
// neutralising): numbers plainly, dates as YYYY-MM-DD, empty as "".
func (v Value) String() string {
	switch v.kind {
	case KindText, KindDate:
		return v.s
	case KindInt:
		return strconv.FormatInt(v.n, 10)
	case KindDecimal:
		return strconv.FormatFloat(v.f, 'f', -1, 64)
	case KindBool:
		return strconv.FormatBool(v.n != 0)
	}
	return ""
}

// Shown is v as a table shows it to people: String, except that an
// Unknown cell shows its label.
func (v Value) Shown() string {
	if v.kind == KindEmpty {
		return v.s
	}
	return v.String()
}

// safe is v as csv and tsv write it: text neutralised against formulas.
func (v Value) safe() string {
	if v.kind == KindText {
		return Neutralise(v.s)
	}
	return v.String()
}

// ValueOf types a Go value the one way every format shares: nil and nil
// pointers are empty, integers Int, floats Decimal, a Value stays itself, a
// time.Time is an RFC 3339 UTC timestamp (text; days are given as Date),
// anything else text.
func ValueOf(v any) Value {
	switch x := v.(type) {
	case Value:
		return x
	case nil:
		return Value{}
	case string:
		return Text(x)
	case int:
		return Int(int64(x))
	case int64:
		return Int(x)
	case int32:
		return Int(int64(x))
	case float64:
		return Decimal(x)
	case bool:
		return Bool(x)
	case *int:
		if x == nil {
			return Value{}
		}
		return Int(int64(*x))
	case *int64:
		if x == nil {
			return Value{}
		}
		return Int(*x)
	case *float64:
		if x == nil {
			return Value{}
		}
		return Decimal(*x)
	case time.Time:
		if x.IsZero() {
			return Value{}
		}
		return Text(x.UTC().Format(time.RFC3339))
	case fmt.Stringer:
		return Text(x.String())
	}
	return Text(fmt.Sprint(v))
}

// Values types a row of Go values with ValueOf.
func Values(row ...any) []Value {
	out := make([]Value, len(row))
	for i, c := range row {
		out[i] = ValueOf(c)
	}
	return out
}
