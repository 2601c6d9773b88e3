package sheet

import (
	"strings"
	"testing"
)

func TestParseDateMonthNames(t *testing.T) {
	cases := map[string]string{
		"5 آذار 2012":                "2012-03-05",
		"٥ آذار ٢٠١٢":                "2012-03-05",
		"5 اذار 2012":                "2012-03-05",
		"1 كانون الثاني 2013":        "2013-01-01",
		"1 كانون الأول 2013":         "2013-12-01",
		"01 كانون الاول 2013":        "2013-12-01",
		"15 تشرين الأول 2012":        "2012-10-15",
		"15 تشرين الثاني، 2012":      "2012-11-15",
		"3 شباط 2014":                "2014-02-03",
		"7 نيسان 2014":               "2014-04-07",
		"7 أيار 2014":                "2014-05-07",
		"7 حزيران 2014":              "2014-06-07",
		"7 تموز 2014":                "2014-07-07",
		"7 آب 2014":                  "2014-08-07",
		"7 أيلول 2014":               "2014-09-07",
		"الأحد 5 آذار 2012":          "2012-03-05",
		"يوم الاثنين، ٥ آذار ٢٠١٢":   "2012-03-05",
		"5 يناير 2012":               "2012-01-05",
		"5 فبراير 2012":              "2012-02-05",
		"5 مارس 2012":                "2012-03-05",
		"5 إبريل 2012":               "2012-04-05",
		"5 أبريل 2012":               "2012-04-05",
		"5 مايو 2012":                "2012-05-05",
		"5 يونيو 2012":               "2012-06-05",
		"5 يوليو 2012":               "2012-07-05",
		"5 أغسطس 2012":               "2012-08-05",
		"5 سبتمبر 2012":              "2012-09-05",
		"5 أكتوبر 2012":              "2012-10-05",
		"5 نوفمبر 2012":              "2012-11-05",
		"5 ديسمبر 2012م":             "2012-12-05",
		"Monday, 5 March 2012":       "2012-03-05",
		"Mon 5 Mar 2012":             "2012-03-05",
		"Monday, March 5, 2012":      "2012-03-05",
		"الخميس 10 تشرين الاول 2013": "2013-10-10",
	}
	for in, want := range cases {
		got, err := ParseDate(in, DMY)
		if err != nil || got != want {
			t.Errorf("ParseDate(%q) = %q, %v; want %s", in, got, err, want)
		}
	}
	for _, bad := range []string{"5 كانون 2012", "31 شباط 2012", "الأحد", "5 فلان 2012"} {
		if got, err := ParseDate(bad, DMY); err == nil {
			t.Errorf("ParseDate(%q) = %q; want an error", bad, got)
		}
	}
}

func TestParseDateSuggestsTheOtherOrder(t *testing.T) {
	_, err := ParseDate("03/25/2013", DMY)
	want := `"03/25/2013" is not a valid date read day/month/year, but is one read month/day/year: if the file writes dates month/day/year, import it with --date-order mdy`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("dmy: %v", err)
	}
	_, err = ParseDate("25/03/2013", MDY)
	if err == nil || !strings.Contains(err.Error(), "--date-order dmy") {
		t.Errorf("mdy: %v", err)
	}
	// Impossible either way: no suggestion.
	if _, err = ParseDate("31/31/2013", DMY); err == nil || strings.Contains(err.Error(), "--date-order") {
		t.Errorf("31/31/2013: %v", err)
	}
}

func TestDateOrders(t *testing.T) {
	cases := []struct {
		in                          string
		inOrder, inSwapped, numeric bool
	}{
		{"04/08/2013", true, true, true},
		{"03/25/2013", false, true, true},
		{"25/03/2013", true, false, true},
		{"2013-03-25", false, false, false},
		{"5 Mar 2013", false, false, false},
		{"5 آذار 2013", false, false, false},
	}
	for _, c := range cases {
		a, b, n := DateOrders(c.in, DMY)
		if a != c.inOrder || b != c.inSwapped || n != c.numeric {
			t.Errorf("DateOrders(%q) = %v, %v, %v; want %v, %v, %v", c.in, a, b, n, c.inOrder, c.inSwapped, c.numeric)
		}
	}
}
