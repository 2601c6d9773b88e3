package nomtrack_test

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

func TestValidateCourseCode(t *testing.T) {
	for code, ok := range map[string]bool{
		"M5-106": true, "ETE-SP-31399": true, "": false, "M5 106": false, "M5@106": false, "a\tb": false,
		"M5\u00a0106": false, strings.Repeat("x", 65): false,
	} {
		if err := nomtrack.ValidateCourseCode(code); (err == nil) != ok {
			t.Errorf("ValidateCourseCode(%q) = %v, want ok=%v", code, err, ok)
		}
	}
}

func TestValidateDate(t *testing.T) {
	for s, ok := range map[string]bool{
		"": true, "2012-03-05": true, "1900-01-01": true, "2999-12-31": true,
		"0212-03-05": false, "3012-03-05": false, "1899-12-31": false, "2012-02-30": false, "2026": false, "05/03/2012": false,
	} {
		if err := nomtrack.ValidateDate(s); (err == nil) != ok {
			t.Errorf("ValidateDate(%q) = %v, want ok=%v", s, err, ok)
		}
	}
	if err := nomtrack.ValidateDateTime(time.Date(212, 3, 5, 0, 0, 0, 0, time.UTC)); err == nil || !strings.Contains(err.Error(), "0212-03-05") {
		t.Errorf("ValidateDateTime(0212-03-05) = %v", err)
	}
}

func TestValidateEmailNeverEchoes(t *testing.T) {
	for s, ok := range map[string]bool{
		"": true, "a.b@mod.example.org": true, "a@b": false, "a(at)b.org": false, "a@b.org, c@d.org": false,
		"a@@b.org": false, "@b.org": false, "a b@c.org": false,
	} {
		err := nomtrack.ValidateEmail(s)
		if (err == nil) != ok {
			t.Errorf("ValidateEmail(%q) = %v, want ok=%v", s, err, ok)
		}
		if err != nil && s != "" && strings.Contains(err.Error(), s) {
			t.Errorf("ValidateEmail(%q) echoes the value: %v", s, err)
		}
	}
}

func TestValidateRecords(t *testing.T) {
	seats := -1
	for _, c := range []struct {
		name  string
		err   error
		field string // "" = valid
	}{
		{"CourseOK", (&nomtrack.Course{Code: "M5-106", Title: "T", Area: "a", MinRank: "OF-2", MinEnglish: "3232"}).Validate(), ""},
		{"CourseAt", (&nomtrack.Course{Code: "M5@106"}).Validate(), "code"},
		{"CourseSpace", (&nomtrack.Course{Code: "M5 106"}).Validate(), "code"},
		{"CourseRank", (&nomtrack.Course{Code: "M5-106", MinRank: "of4"}).Validate(), "min_rank"},
		{"CourseFee", (&nomtrack.Course{Code: "M5-106", Fee: nomtrack.Fee(-1)}).Validate(), "fee"},
		{"CourseFeeUnknown", (&nomtrack.Course{Code: "M5-106"}).Validate(), ""},
		{"CourseDaysZero", (&nomtrack.Course{Code: "M5-106", Days: nomtrack.Days(0)}).Validate(), "days"},
		{"CourseDaysNegative", (&nomtrack.Course{Code: "M5-106", Days: nomtrack.Days(-1)}).Validate(), "days"},
		{"CourseDaysKnown", (&nomtrack.Course{Code: "M5-106", Days: nomtrack.Days(1)}).Validate(), ""},
		{"OfferingOK", (&nomtrack.Offering{Course: "M5-106", Start: "2012-03-05", End: "2012-03-09"}).Validate(), ""},
		{"OfferingOldYear", (&nomtrack.Offering{Course: "M5-106", Start: "0212-03-05"}).Validate(), "start"},
		{"OfferingNoStart", (&nomtrack.Offering{Course: "M5-106"}).Validate(), "start"},
		{"OfferingEndBefore", (&nomtrack.Offering{Course: "M5-106", Start: "2012-03-05", End: "2012-03-01"}).Validate(), "end"},
		{"OfferingSeats", (&nomtrack.Offering{Course: "M5-106", Start: "2012-03-05", Seats: &seats}).Validate(), "seats"},
		{"PersonOK", (&nomtrack.Person{Ref: "S-1001", Name: "Ali", RankCode: "OF-4", Gender: "M", Email: "a@b.org"}).Validate(), ""},
		{"PersonRef", (&nomtrack.Person{Ref: "#12"}).Validate(), "ref"},
		{"PersonEmail", (&nomtrack.Person{Email: "ali at mod"}).Validate(), "email"},
		{"PersonRank", (&nomtrack.Person{RankCode: "Colonel"}).Validate(), "rank_code"},
		{"PersonName", (&nomtrack.Person{Name: "123"}).Validate(), "name"},
		{"RequestOK", (&nomtrack.Request{Ministry: "MoD", Area: "a", Year: 2012, Seats: 3}).Validate(), ""},
		{"RequestYear", (&nomtrack.Request{Ministry: "MoD", Area: "a", Year: 212}).Validate(), "year"},
	} {
		var inv *nomtrack.Invalid
		switch {
		case c.field == "" && c.err != nil:
			t.Errorf("%s: %v", c.name, c.err)
		case c.field != "" && !errors.As(c.err, &inv):
			t.Errorf("%s: err = %v, want an invalid %s", c.name, c.err, c.field)
		case c.field != "" && inv.Field != c.field:
			t.Errorf("%s: field = %s (%v), want %s", c.name, inv.Field, c.err, c.field)
		case c.field != "" && nomtrack.ErrorCode(c.err) != nomtrack.EINVALID:
			t.Errorf("%s: code = %s", c.name, nomtrack.ErrorCode(c.err))
		}
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		`email: "hussein.obaidi@mod.example.org" is not a date`: `email: a value that looks like an e-mail address is not a date`,
		`course saif.rubaie(at)mod.example.org not found`:       `course a value that looks like an e-mail address not found`,
		`start: "+964 790 111 2233" is not a date`:              `start: a value that looks like a phone number is not a date`,
		`ref 07901234567 is unknown`:                            `ref a value that looks like a phone number is unknown`,
		`the end 2012-03-01 is before the start 2012-03-05`:     `the end 2012-03-01 is before the start 2012-03-05`,
		`year 212 is not a year between 1900-2999`:              `year 212 is not a year between 1900-2999`,
		`"1200.50" is not a whole number`:                       `"1200.50" is not a whole number`,
		`offering M5-106@2012-03-05 not found`:                  `offering M5-106@2012-03-05 not found`,
		`ref "MOD-30012345" not found`:                          `ref "MOD-30012345" not found`,
		`contacts.csv:4: row has 7 cells`:                       `contacts.csv:4: row has 7 cells`,
		`no database at /tmp/testscript3847562893/x.db`:         `no database at /tmp/testscript3847562893/x.db`,
		`phone: +964 790 111 2233; ref 12345678`:                `phone: a value that looks like a phone number; ref 12345678`,
		// A database URL is named as given: role@host is no e-mail, an
		// address or a socket directory no phone; what is beside it still is.
		`cannot reach postgres://alice:****@db.example.org:5432/nomtrack?sslmode=verify-full: refused`: `cannot reach postgres://alice:****@db.example.org:5432/nomtrack?sslmode=verify-full: refused`,
		`run nomtrack --db 'postgres://u@192.168.100.200:5432/db' db check`:                            `run nomtrack --db 'postgres://u@192.168.100.200:5432/db' db check`,
		`POSTGRESQL://u@/t1?host=%2Ftmp%2Fnomtrack-pg-618962156 for "hussein.obaidi@mod.example.org"`:  `POSTGRESQL://u@/t1?host=%2Ftmp%2Fnomtrack-pg-618962156 for a value that looks like an e-mail address`,
	} {
		if got := nomtrack.Redact(in); got != want {
			t.Errorf("Redact(%q)\n got %q\nwant %q", in, got, want)
		}
	}
	if got := nomtrack.Shown("0790 123 4567"); got != nomtrack.PhoneShown {
		t.Errorf("Shown(phone) = %q", got)
	}
	if got := nomtrack.Shown("M5-106"); got != `"M5-106"` {
		t.Errorf("Shown(code) = %q", got)
	}
}

// A fee of -0 becomes 0, so both engines store and print the same zero.
func TestCourseValidateNegativeZeroFee(t *testing.T) {
	c := nomtrack.Course{Code: "M5-106", Title: "Crisis", Area: "a", Fee: nomtrack.Fee(math.Copysign(0, -1))}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.Fee == nil || math.Signbit(*c.Fee) {
		t.Errorf("fee after Validate is %v, want a known 0 without its sign", c.Fee)
	}
}
