package sheet

import (
	"strings"
	"testing"
	"time"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in    string
		order DateOrder
		want  string
	}{
		{"2012-03-05", DMY, "2012-03-05"},
		{"2012-03-05", MDY, "2012-03-05"},
		{"2012-03-05T10:00:00Z", DMY, "2012-03-05"},
		{"2012/3/5", DMY, "2012-03-05"},
		{"2012.03.05", MDY, "2012-03-05"},
		{"05/03/2012", DMY, "2012-03-05"},
		{"5/3/2012", DMY, "2012-03-05"},
		{"5-3-12", DMY, "2012-03-05"},
		{"05.03.2012", DMY, "2012-03-05"},
		{"5/3/99", DMY, "1999-03-05"},
		{"5/3/69", DMY, "2069-03-05"},
		{"5/3/70", DMY, "1970-03-05"},
		{"5/3/00", DMY, "2000-03-05"},
		{"03/05/2012", MDY, "2012-03-05"},
		{"3/5/12", MDY, "2012-03-05"},
		{"12/03/05", YMD, "2012-03-05"},
		{"12-3-5", YMD, "2012-03-05"},
		{"05/03/2012 00:00", DMY, "2012-03-05"},
		{"3/5/2012 10:30:00 AM", MDY, "2012-03-05"},
		{"5 Mar 2012", DMY, "2012-03-05"},
		{"5 Mar 2012", MDY, "2012-03-05"},
		{"05-Mar-2012", DMY, "2012-03-05"},
		{"05-MAR-12", DMY, "2012-03-05"},
		{"March 5, 2012", DMY, "2012-03-05"},
		{"Sept 30, 2012", DMY, "2012-09-30"},
		{"5 March 2012", DMY, "2012-03-05"},
		{"2012-Mar-05", DMY, "2012-03-05"},
		{"٠٥/٠٣/٢٠١٢", DMY, "2012-03-05"},
		{" 05/03/2012\u00a0", DMY, "2012-03-05"},
		{"29/02/2012", DMY, "2012-02-29"},
		{"40973", DMY, "2012-03-05"},
		{"40973.75", DMY, "2012-03-05"},
		{"1", DMY, "1900-01-01"},
		{"59", DMY, "1900-02-28"},
		{"61", DMY, "1900-03-01"},
		{"2958465", DMY, "9999-12-31"},
		{"05/03/2012", "", "2012-03-05"},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in, tt.order)
		if err != nil || got != tt.want {
			t.Errorf("ParseDate(%q, %s) = %q, %v; want %q", tt.in, tt.order, got, err, tt.want)
		}
	}
}

func TestParseDateErrors(t *testing.T) {
	tests := []struct {
		in    string
		order DateOrder
		want  string
	}{
		{"31/02/2012", DMY, `"31/02/2012" is not a valid date (read as day/month/year); write it as YYYY-MM-DD`},
		{"02/31/2012", DMY, `"02/31/2012" is not a valid date (read as day/month/year); write it as YYYY-MM-DD`},
		{"29/02/2011", DMY, `"29/02/2011" is not a valid date`},
		{"2012-02-30", DMY, `"2012-02-30" is not a valid date; write it as YYYY-MM-DD`},
		{"31 Feb 2012", DMY, `"31 Feb 2012" is not a valid date; write it as YYYY-MM-DD`},
		{"13/13/2012", MDY, `"13/13/2012" is not a valid date (read as month/day/year)`},
		{"next week", DMY, `"next week" is not a date; write it as YYYY-MM-DD`},
		{"5/3", DMY, `"5/3" is not a date; write it as YYYY-MM-DD`},
		{"5/3/201", DMY, `"5/3/201" is not a date`},
		{"0", DMY, `"0" is not a date (a bare number is read as an Excel date serial, 1 to 2958465)`},
		{"2958466", DMY, `"2958466" is not a date`},
		{"60", DMY, `"60" is Excel's day 60, the 29 February 1900 that never was`},
		{"", DMY, `the date is empty; write it as YYYY-MM-DD`},
		{"5 Foo 2012", DMY, `"5 Foo 2012" is not a date`},
		{"05/03/0212", DMY, `"05/03/0212" is not a valid date (read as day/month/year)`},
		{"0001-01- 1", DMY, `"0001-01- 1" is not a valid date`},
	}
	for _, tt := range tests {
		_, err := ParseDate(tt.in, tt.order)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("ParseDate(%q) error = %v, want prefix %q", tt.in, err, tt.want)
			continue
		}
		if nomtrack.ErrorCode(err) != nomtrack.EINVALID {
			t.Errorf("ParseDate(%q) code = %q", tt.in, nomtrack.ErrorCode(err))
		}
	}
}

func TestParseDateOrder(t *testing.T) {
	for in, want := range map[string]DateOrder{"": DMY, "DMY": DMY, " mdy ": MDY, "ymd": YMD} {
		if got, err := ParseDateOrder(in); err != nil || got != want {
			t.Errorf("ParseDateOrder(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseDateOrder("myd"); err == nil || err.Error() != `unknown date order "myd"; use dmy, mdy or ymd` || nomtrack.ErrorCode(err) != nomtrack.EUSAGE {
		t.Errorf("ParseDateOrder(myd) error = %v", err)
	}
}

func TestCellDate(t *testing.T) {
	c := Cell{Text: "40973", IsDate: true, Time: time.Date(2012, 3, 5, 12, 0, 0, 0, time.UTC)}
	if got, err := CellDate(c, MDY); err != nil || got != "2012-03-05" {
		t.Errorf("CellDate(date cell) = %q, %v", got, err)
	}
	if got, err := CellDate(Cell{Text: " 03/05/2012 "}, MDY); err != nil || got != "2012-03-05" {
		t.Errorf("CellDate(text) = %q, %v", got, err)
	}
}

func TestSerialTime1904(t *testing.T) {
	got, err := serialTime(0, true)
	if err != nil || !got.Equal(time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("serialTime(0, 1904) = %v, %v", got, err)
	}
	got, _ = serialTime(39511.999999999, false) // 2008-03-04, rounded up to the next midnight
	if !got.Equal(time.Date(2008, 3, 5, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("serialTime rounding = %v", got)
	}
}
