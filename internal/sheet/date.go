package sheet

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// DateOrder is the order of day, month and year in numeric dates such as
// 05/03/2012 (config date_order, --date-order).
type DateOrder string

// The accepted date orders; DMY is the default.
const (
	DMY DateOrder = "dmy"
	MDY DateOrder = "mdy"
	YMD DateOrder = "ymd"
)

// ParseDateOrder reads a date order name case-insensitively; "" is DMY.
func ParseDateOrder(s string) (DateOrder, error) {
	switch o := DateOrder(strings.ToLower(strings.TrimSpace(s))); o {
	case "":
		return DMY, nil
	case DMY, MDY, YMD:
		return o, nil
	}
	return "", nomtrack.Errorf(nomtrack.EUSAGE, "unknown date order %q; use dmy, mdy or ymd", s)
}

// Describe names the order for messages, e.g. "day/month/year".
func (o DateOrder) Describe() string {
	switch o {
	case MDY:
		return "month/day/year"
	case YMD:
		return "year/month/day"
	}
	return "day/month/year"
}

// Excel serial limits: 1 is 1900-01-01, 2958465 is 9999-12-31.
const (
	minSerial = 1
	maxSerial = 2958465
)

// monthNamed is the month an English month name or its abbreviation names.
func monthNamed(name string) (time.Month, bool) {
	switch name {
	case "jan", "january":
		return 1, true
	case "feb", "february":
		return 2, true
	case "mar", "march":
		return 3, true
	case "apr", "april":
		return 4, true
	case "may":
		return 5, true
	case "jun", "june":
		return 6, true
	case "jul", "july":
		return 7, true
	case "aug", "august":
		return 8, true
	case "sep", "sept", "september":
		return 9, true
	case "oct", "october":
		return 10, true
	case "nov", "november":
		return 11, true
	case "dec", "december":
		return 12, true
	}
	return 0, false
}

// ParseDate reads a date as coordinators type it and returns it as
// YYYY-MM-DD. It accepts YYYY-MM-DD (optionally followed by a time),
// numeric dates separated by / - or . in the given order with 2- or 4-digit
// years (00-69 are 2000s, 70-99 1900s), month names ("5 Mar 2012",
// "05-Mar-2012", "March 5, 2012", "5 March 2012"; Arabic ones too, Iraqi/
// Levantine "5 آذار 2012", "1 كانون الثاني 2013" and Egyptian/Gulf "5 مارس
// 2012"), optionally after a weekday ("الأحد 5 آذار 2012", "Monday, 5 March
// 2012"), and Excel serial numbers
// of the 1900 date system. Impossible dates such as 31/02/2012, and years
// before 1900 (typos like 0212), are errors.
func ParseDate(s string, order DateOrder) (string, error) {
	s = Clean(s)
	if s == "" {
		return "", nomtrack.Errorf(nomtrack.EINVALID, "the date is empty; write it as YYYY-MM-DD")
	}
	if order == "" {
		order = DMY
	}
	if t, ok, err := parseSerial(s); ok {
		if err != nil {
			return "", err
		}
		return t.Format(time.DateOnly), nil
	}
	y, m, d, how, ok := splitDate(monthWords(stripTime(s)), order)
	if !ok {
		return "", nomtrack.Errorf(nomtrack.EINVALID, "%q is not a date; write it as YYYY-MM-DD", s)
	}
	if y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > daysIn(y, time.Month(m)) {
		if _, swapped, _ := DateOrders(s, order); swapped {
			other := order.Swapped()
			return "", nomtrack.Errorf(nomtrack.EINVALID, "%q is not a valid date read %s, but is one read %s: if the file writes dates %s, import it with --date-order %s (or config date_order), or write it as YYYY-MM-DD", s, order.Describe(), other.Describe(), other.Describe(), other)
		}
		if how != "" {
			return "", nomtrack.Errorf(nomtrack.EINVALID, "%q is not a valid date (read as %s); write it as YYYY-MM-DD", s, how)
		}
		return "", nomtrack.Errorf(nomtrack.EINVALID, "%q is not a valid date; write it as YYYY-MM-DD", s)
	}
	if len(s) == 10 && how == "" && s[4] == '-' && s[7] == '-' && digits(s[:4]) && digits(s[5:7]) && digits(s[8:]) {
		return s, nil // already YYYY-MM-DD
	}
	return isoDate(y, m, d), nil
}

// Swapped is the order with day and month exchanged: MDY for DMY and back;
// YMD has none and returns itself.
func (o DateOrder) Swapped() DateOrder {
	switch o {
	case MDY:
		return DMY
	case YMD:
		return YMD
	}
	return MDY
}

// DateOrders tells how a numeric date with day and month in either order
// (04/08/2013, 25.03.13) reads: valid in order, valid in order.Swapped(),
// and whether s is such a date at all (ISO dates, month names, serials and
// year-first orders are not: they read one way only). An import uses it to
// notice a file whose dates only make sense month-first while others were
// read day-first.
func DateOrders(s string, order DateOrder) (inOrder, inSwapped, numeric bool) {
	if order == "" {
		order = DMY
	}
	if order == YMD {
		return false, false, false
	}
	s = stripTime(Clean(s))
	y, m, d, how, ok := splitDate(s, order)
	if !ok || how == "" {
		return false, false, false
	}
	valid := func(y, m, d int) bool {
		return y >= 1900 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, time.Month(m))
	}
	return valid(y, m, d), valid(y, d, m), true
}

// isoDate formats a checked date as YYYY-MM-DD.
func isoDate(y, m, d int) string {
	b := [10]byte{byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-',
		byte('0' + m/10), byte('0' + m%10), '-', byte('0' + d/10), byte('0' + d%10)}
	return string(b[:])
}

// CellDate returns the date of a cell as YYYY-MM-DD: the date of an xlsx
// date cell, otherwise ParseDate of its cleaned text.
func CellDate(c Cell, order DateOrder) (string, error) {
	if c.IsDate {
		return c.Time.Format(time.DateOnly), nil
	}
	return ParseDate(c.Text, order)
}

// Date is CellDate for a cell of this file: in a workbook using the 1904
// date system (Mac Excel), a bare serial number typed into a cell without a
// date format counts from 1904 too, instead of being read four years early.
func (f *File) Date(c Cell, order DateOrder) (string, error) {
	if !c.IsDate && f.Date1904() {
		text := Clean(c.Text)
		if _, ok, _ := parseSerial(text); ok {
			v, err := strconv.ParseFloat(text, 64)
			if err == nil && v >= 0 && v < maxSerial+1 {
				if t, err := serialTime(v, true); err == nil {
					return t.Format(time.DateOnly), nil
				}
			}
		}
	}
	return CellDate(c, order)
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// parseSerial reads a bare number as an Excel 1900-system serial. ok is false
// when s is not a bare number at all.
func parseSerial(s string) (time.Time, bool, error) {
	dot := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
		case c == '.' && !dot && i > 0:
			dot = true
		default:
			return time.Time{}, false, nil
		}
	}
	if s[len(s)-1] == '.' {
		return time.Time{}, false, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < minSerial || v >= maxSerial+1 {
		return time.Time{}, true, nomtrack.Errorf(nomtrack.EINVALID, "%q is not a date (a bare number is read as an Excel date serial, 1 to %d); write it as YYYY-MM-DD", s, maxSerial)
	}
	t, err := serialTime(v, false)
	if err != nil {
		return time.Time{}, true, nomtrack.Errorf(nomtrack.EINVALID, "%q is Excel's day 60, the 29 February 1900 that never was; write the date as YYYY-MM-DD", s)
	}
	return t, true, nil
}

var (
	epoch1900 = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	epoch1904 = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
)

// serialTime converts an Excel serial to a time in UTC. In the 1900 system
// Excel counts a 29 February 1900 that did not exist (serial 60), so serials
// before it are one day later than a plain count from 1899-12-30.
func serialTime(v float64, date1904 bool) (time.Time, error) {
	days := math.Floor(v)
	frac := v - days
	ms := math.Round(frac * 24 * 60 * 60 * 1000)
	if ms >= 24*60*60*1000 {
		days++
		ms = 0
	}
	epoch := epoch1900
	switch {
	case date1904:
		epoch = epoch1904
	case days == 60:
		return time.Time{}, fmt.Errorf("serial 60 is 1900-02-29, which does not exist")
	case days < 60:
		days++
	}
	return epoch.AddDate(0, 0, int(days)).Add(time.Duration(ms) * time.Millisecond), nil
}

// stripTime drops a time of day after a date ("05/03/2012 00:00",
// "5 Mar 2012 10:30:00 AM"), as spreadsheets export date-times.
func stripTime(s string) string {
	colon := strings.IndexByte(s, ':')
	if colon < 0 {
		return s
	}
	sp := strings.LastIndexByte(s[:colon], ' ')
	if sp < 0 {
		return s
	}
	t := strings.ToLower(s[sp+1:])
	t = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(t, "am"), "pm"))
	for _, part := range strings.Split(t, ":") {
		if whole, _, _ := strings.Cut(part, "."); !digits(whole) || len(whole) > 2 {
			return s
		}
	}
	return strings.TrimSpace(s[:sp])
}

// splitDate finds year, month and day in s. how describes the numeric order
// used, for messages ("" for unambiguous forms).
func splitDate(s string, order DateOrder) (y, m, d int, how string, ok bool) {
	// ISO date, possibly with a time after it.
	if len(s) >= 10 && s[4] == '-' && s[7] == '-' && digits(s[:4]) && digits(s[5:7]) && digits(s[8:10]) &&
		(len(s) == 10 || s[10] == 'T' || s[10] == ' ') {
		return atoi(s[:4]), atoi(s[5:7]), atoi(s[8:10]), "", true
	}
	var tokens [3]string
	n := 0
	for i := 0; i < len(s); {
		for i < len(s) && dateSep(s[i]) {
			i++
		}
		j := i
		for j < len(s) && !dateSep(s[j]) {
			j++
		}
		if j > i {
			if n == len(tokens) {
				return 0, 0, 0, "", false
			}
			tokens[n] = s[i:j]
			n++
		}
		i = j
	}
	if n != 3 {
		return 0, 0, 0, "", false
	}
	month, mi := time.Month(0), -1
	for i, t := range tokens {
		if t[0] > '9' && len(t) <= len("september") {
			t = strings.ToLower(t)
		}
		if mm, ok := monthNamed(t); ok {
			month, mi = mm, i
		} else if !digits(t) || len(t) > 4 {
			return 0, 0, 0, "", false
		}
	}
	if mi >= 0 { // a month name: the remaining numbers are day and year
		var nums [2]string
		k := 0
		for i, t := range tokens {
			if i != mi {
				if k == 2 || !digits(t) {
					return 0, 0, 0, "", false
				}
				nums[k] = t
				k++
			}
		}
		dayTok, yearTok := nums[0], nums[1]
		if len(nums[0]) == 4 { // 2012-Mar-05
			dayTok, yearTok = nums[1], nums[0]
		}
		if len(dayTok) > 2 || (len(yearTok) != 2 && len(yearTok) != 4) {
			return 0, 0, 0, "", false
		}
		return year(yearTok), int(month), atoi(dayTok), "", true
	}
	// Numeric: a leading 4-digit year is always year-month-day.
	if len(tokens[0]) == 4 {
		if len(tokens[1]) > 2 || len(tokens[2]) > 2 {
			return 0, 0, 0, "", false
		}
		return atoi(tokens[0]), atoi(tokens[1]), atoi(tokens[2]), "", true
	}
	var yt, mt, dt string
	switch order {
	case MDY:
		mt, dt, yt = tokens[0], tokens[1], tokens[2]
	case YMD:
		yt, mt, dt = tokens[0], tokens[1], tokens[2]
	default:
		dt, mt, yt = tokens[0], tokens[1], tokens[2]
	}
	if len(mt) > 2 || len(dt) > 2 || (len(yt) != 2 && len(yt) != 4) {
		return 0, 0, 0, "", false
	}
	return year(yt), atoi(mt), atoi(dt), order.Describe(), true
}

// dateSep reports the characters that separate the parts of a date.
func dateSep(c byte) bool {
	return c == ' ' || c == '-' || c == '/' || c == '.' || c == ','
}

// year reads a 2- or 4-digit year: 00-69 are 2000-2069, 70-99 1970-1999.
func year(s string) int {
	y := atoi(s)
	if len(s) == 2 {
		if y < 70 {
			return 2000 + y
		}
		return 1900 + y
	}
	return y
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// atoi reads a short run of ASCII digits checked by digits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
