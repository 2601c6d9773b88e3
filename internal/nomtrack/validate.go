package nomtrack

import (
	"errors"
	"math"
	"strings"
	"time"
	"unicode"
)

// This file holds the one check of each kind of value a record holds, and
// each record's Validate. The commands, every import kind and the workbook
// call them, so a value one path refuses no other path stores.

// Invalid is a value a record may not hold: Field is its JSON field name
// (also the import field, so a row error names the column), Err says why.
type Invalid struct {
	Field string
	Err   *Error
}

func (e *Invalid) Error() string { return e.Err.Message }
func (e *Invalid) Unwrap() error { return e.Err }

// invalid wraps a value check's error with the field it is about.
func invalid(field string, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if !errors.As(err, &e) {
		e = Errorf(EINVALID, "%s", err.Error())
	}
	return &Invalid{Field: field, Err: e}
}

// firstError returns the first non-nil error.
func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Limits on dates: the years a programme's records can be about (the schema
// allows the same).
const (
	MinYear = 1900
	MaxYear = 2999
)

// ValidateCourseCode checks a course code: not empty, no spaces or @ (an
// offering is referred to as CODE@DATE), no control or invisible characters
// (CheckIdentifier), at most 64 characters.
func ValidateCourseCode(code string) error {
	switch {
	case code == "":
		return Errorf(EINVALID, "the course code is empty; give the course's code, e.g. M5-106")
	case CheckIdentifier("course code", code) != nil:
		return CheckIdentifier("course code", code)
	case strings.ContainsRune(code, '@'):
		return Errorf(EINVALID, "course code %s contains @; a code is written without it (an offering is CODE@DATE), e.g. M5-106", Shown(code))
	case strings.IndexFunc(code, unicode.IsSpace) >= 0:
		return Errorf(EINVALID, "course code %s contains a space; a code is one word, e.g. M5-106", Shown(code))
	case len([]rune(code)) > 64:
		return Errorf(EINVALID, "course code %s is longer than 64 characters", Shown(code[:32]+"…"))
	}
	return nil
}

// ValidateRef checks a person's ref (service or personnel number): no
// control or invisible characters (CheckIdentifier), not starting with # (PERSON arguments use #27 for an
// id), at most 64 characters. An empty ref is allowed (none known).
func ValidateRef(ref string) error {
	switch {
	case ref == "":
		return nil
	case strings.HasPrefix(ref, "#"):
		return Errorf(EINVALID, "ref %s starts with #, which commands read as an id; give the ref without it", Shown(ref))
	case CheckIdentifier("ref", ref) != nil:
		return CheckIdentifier("ref", ref)
	case len([]rune(ref)) > 64:
		return Errorf(EINVALID, "ref %s is longer than 64 characters", Shown(string([]rune(ref)[:32])+"…"))
	}
	return nil
}

// ValidateDate checks a stored date: YYYY-MM-DD, a real day, in the years
// 1900-2999. An empty date is allowed (not known).
func ValidateDate(s string) error {
	if s == "" {
		return nil
	}
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return Errorf(EINVALID, "%s is not a date; write YYYY-MM-DD", Shown(s))
	}
	return ValidateDateTime(t)
}

// ValidateDateTime checks the year of a date read as a time (a spreadsheet's
// date cell): 1900-2999, as for any date.
func ValidateDateTime(t time.Time) error {
	if y := t.Year(); y < MinYear || y > MaxYear {
		return Errorf(EINVALID, "%s is not a plausible date (the year must be 1900-2999); check the year", t.Format(DateLayout))
	}
	return nil
}

// ValidateEmail checks the shape of an e-mail address: one @ with text on
// both sides, a dot in the domain, no spaces, commas or semicolons (two
// addresses in one cell). The message never repeats the value. Empty is
// allowed.
func ValidateEmail(s string) error {
	if s == "" {
		return nil
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || domain == "" || strings.Contains(domain, "@") || !strings.Contains(strings.Trim(domain, "."), ".") ||
		strings.ContainsAny(s, " \t,;<>\"") || strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return Errorf(EINVALID, "is not an e-mail address (one address, written name@domain)")
	}
	return nil
}

// ValidateRankCode checks a stored NATO rank code: its canonical form
// ("OF-4"), as ParseRankCode returns it. Empty is allowed.
func ValidateRankCode(s string) error {
	if s == "" || canonicalRankCode(s) {
		return nil
	}
	c, err := ParseRankCode(s)
	if err != nil {
		return err
	}
	if c != s {
		return Errorf(EINVALID, "rank code %s is written %s", Shown(s), c)
	}
	return nil
}

// canonicalRankCode is the quick yes for a code as ParseRankCode writes it
// (an import validates one on every row), without allocating.
func canonicalRankCode(s string) bool {
	if s == RankOfficerDesignate {
		return true
	}
	if len(s) < 4 || s[2] != '-' || s[3] == '0' {
		return false
	}
	top, ok := rankTop(s[:2])
	if !ok {
		return false
	}
	n := 0
	for i := 3; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		n = n*10 + int(s[i]-'0')
		if n > top {
			return false
		}
	}
	return n >= 1
}

// validateEnglish checks a stored English profile (canonical, or empty).
func validateEnglish(s string) error {
	if s == "" {
		return nil
	}
	_, err := ParseEnglish(s)
	return err
}

// validateText refuses control characters in a free-text value.
func validateText(what, s string) error {
	if strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }) >= 0 {
		return Errorf(EINVALID, "the %s contains a control character", what)
	}
	return nil
}

// Validate checks every value a course holds: its code, the shape of its
// ETOC code, days (1 or more, or unknown) and fee not negative, and its
// prerequisites. Title and area
// are required of a new course by its callers (an import row that updates a
// course may leave them out).
func (c *Course) Validate() error {
	if c.Fee != nil && *c.Fee == 0 {
		// A fee of -0 is stored as 0: PostgreSQL keeps the sign of a zero
		// and SQLite does not, and outputs must not differ.
		c.Fee = Fee(0)
	}
	return firstError(
		invalid("code", ValidateCourseCode(c.Code)),
		invalid("etoc_code", validateEtoc(c.EtocCode)),
		invalid("title", validateText("title", c.Title)),
		invalid("days", courseDays(c.Days)),
		invalid("fee", nonNegativeFee(c.Fee)),
		invalid("min_english", validateEnglish(c.MinEnglish)),
		invalid("min_rank", ValidateRankCode(c.MinRank)),
	)
}

// validateEtoc: an ETOC code names a course in sheets like its code does.
func validateEtoc(s string) error {
	if s == "" {
		return nil
	}
	if err := CheckIdentifier("ETOC code", s); err != nil {
		return err
	}
	if strings.ContainsRune(s, '@') {
		return Errorf(EINVALID, "ETOC code %s contains @; write it as the catalogue does, e.g. ETE-SP-31399", Shown(s))
	}
	return nil
}

func nonNegative(what string, n int) error {
	if n < 0 {
		return Errorf(EINVALID, "%s %d is negative; give 0 or more", what, n)
	}
	return nil
}

// MaxCourseDays is the longest a course may run, as an import reads days
// (ten years: beyond it a number is a typo).
const MaxCourseDays = 3650

// Days is a known course length, as Course.Days holds it.
func Days(n int) *int { return &n }

// SameDays reports whether two course lengths are equal, unknown equalling
// unknown.
func SameDays(a, b *int) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// courseDays accepts a length of 1 to MaxCourseDays days, or none (not
// known). 0 is refused: a course of no days is not a length, and a 0 was
// once how a length nobody gave was stored.
func courseDays(p *int) error {
	if p == nil {
		return nil
	}
	switch n := *p; {
	case n > MaxCourseDays:
		return Errorf(EINVALID, "days %d is more than %s, the most nomtrack accepts", n, thousands(MaxCourseDays))
	case n < 0:
		return Errorf(EINVALID, "days %d is negative; give the days the course runs, 1 or more", n)
	case n == 0:
		return Errorf(EINVALID, "days 0 is not a course length; give the days the course runs, 1 or more, or leave them unknown")
	}
	return nil
}

// MaxFee is the most tuition per seat, in EUR, a course may have: far above
// any real fee, it keeps every sum of fees a finite number that JSON and
// XLSX can write (an infinite fee made `course list -o json` fail).
const MaxFee = 10_000_000

// Fee is a known fee, as Course.Fee holds it.
func Fee(eur float64) *float64 { return &eur }

// SameFee reports whether two fees are equal, unknown equalling unknown.
func SameFee(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func nonNegativeFee(p *float64) error {
	if p == nil {
		return nil
	}
	f := *p
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		return Errorf(EINVALID, "the fee is not a number; give the tuition per seat in EUR, e.g. 1250.50")
	case f < 0:
		return Errorf(EINVALID, "the fee is negative; give the tuition per seat in EUR")
	case f > MaxFee:
		return Errorf(EINVALID, "the fee is more than %s EUR, the most nomtrack accepts; give the tuition per seat", thousands(MaxFee))
	}
	return nil
}

// Validate checks an offering: its course code, a start date, end and
// deadline dates when known (the end not before the start), seats not
// negative.
func (o *Offering) Validate() error {
	if err := firstError(
		invalid("course", ValidateCourseCode(o.Course)),
		invalid("start", ValidateDate(o.Start)),
		invalid("end", ValidateDate(o.End)),
		invalid("deadline", ValidateDate(o.Deadline)),
		invalid("location", validateText("location", o.Location)),
	); err != nil {
		return err
	}
	switch {
	case o.Start == "":
		return invalid("start", Errorf(EINVALID, "the start date is empty; give the offering's start as YYYY-MM-DD"))
	case o.End != "" && o.End < o.Start:
		return invalid("end", Errorf(EINVALID, "%s is before the start date %s", o.End, o.Start))
	case o.Seats != nil && *o.Seats < 0:
		return invalid("seats", nonNegative("seats", *o.Seats))
	}
	return nil
}

// Validate checks the values a person holds: ref, a name with letters when
// given, rank code, gender, English profile and e-mail address. Empty values
// are not checked: a row may give only some of a person's fields.
func (p *Person) Validate() error {
	var nameErr error
	if p.Name != "" && strings.IndexFunc(p.Name, unicode.IsLetter) < 0 {
		nameErr = Errorf(EINVALID, "the name has no letters")
	}
	var genderErr error
	if p.Gender != "" && p.Gender != GenderFemale && p.Gender != GenderMale {
		genderErr = Errorf(EINVALID, "gender %s is not F or M", Shown(p.Gender))
	}
	return firstError(
		invalid("ref", ValidateRef(p.Ref)),
		invalid("name", nameErr),
		invalid("name", validateText("name", p.Name)),
		invalid("name_ar", validateText("Arabic name", p.NameAr)),
		invalid("rank_code", ValidateRankCode(p.RankCode)),
		invalid("gender", genderErr),
		invalid("english", validateEnglish(p.English)),
		invalid("email", ValidateEmail(p.Email)),
	)
}

// Validate checks a request: a ministry and an area, a year 1900-2999, seats
// not negative.
func (r *Request) Validate() error {
	switch {
	case r.Ministry == "":
		return invalid("ministry", Errorf(EINVALID, "the ministry is empty; a request is made by a ministry"))
	case r.Area == "":
		return invalid("area", Errorf(EINVALID, "the area is empty; a request is for an area of cooperation"))
	case r.Year < MinYear || r.Year > MaxYear:
		return invalid("year", Errorf(EINVALID, "year %d is not a year between 1900 and 2999", r.Year))
	case r.Seats < 0:
		return invalid("seats", nonNegative("seats", r.Seats))
	}
	return invalid("note", validateText("note", r.Note))
}
