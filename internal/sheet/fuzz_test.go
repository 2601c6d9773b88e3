package sheet

import (
	"bytes"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// rowErrorShape is how every row error starts: file, row, then a sentence.
var rowErrorShape = regexp.MustCompile(`^fuzz\.csv:[0-9]+: [a-z]`)

// readTextBytes decodes data exactly as Open and Rows would decode a file
// holding it, returning the rows and the error that stopped them.
func readTextBytes(data []byte, opt Options) ([]Row, error) {
	enc, err := chooseEncoding(data[:min(len(data), sampleSize)], len(data) > sampleSize, opt.Encoding)
	if err != nil {
		return nil, err
	}
	text := decodeSample(data[:min(len(data), sampleSize)], enc)
	cr := crOnlyLines(text)
	if cr {
		text = strings.ReplaceAll(text, "\r", "\n")
	}
	delim := opt.Delimiter
	if delim == 0 {
		delim = sniffDelimiter(text, ',')
	}
	src := newTextSource(io.NopCloser(bytes.NewReader(data)), "fuzz.csv", enc, delim, cr)
	defer src.close()
	var rows []Row
	for {
		row, ok, err := src.next()
		if err != nil || !ok {
			return rows, err
		}
		rows = append(rows, row)
	}
}

func FuzzReadCSV(f *testing.F) {
	win, _ := charmap.Windows1256.NewEncoder().String("الاسم;الرتبة\nعلي;عقيد\n")
	for _, seed := range []string{
		"name,rank\nAli,Col\n",
		"\uFEFFa;b;c\r\n1;2;3\r\n\r\n4;5\r\n",
		"\xff\xfeN\x00a\x00m\x00e\x00\t\x00R\x00\n\x00",
		"a,b\n\"x,y\n",
		"a,b\n\"x\"y,1\n",
		"a\tb\nx\"y\t1\n",
		"a,\x00\n",
		win,
		"\"multi\nline\",2\n\n\n3,4",
		"a;b\r1;2\r\r3;4\r",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := readTextBytes(data, Options{})
		if err != nil {
			if msg := err.Error(); !rowErrorShape.MatchString(msg) || strings.ContainsAny(msg, "\n") {
				t.Fatalf("error is not a sentence naming file and row: %q", msg)
			}
		}
		last := 0
		for _, r := range rows {
			if r.Num <= last {
				t.Fatalf("row numbers not increasing: %d after %d", r.Num, last)
			}
			last = r.Num
			for _, c := range r.Cells {
				if strings.IndexByte(c.Text, 0) >= 0 {
					t.Fatalf("row %d hands out a NUL byte", r.Num)
				}
			}
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, seed := range []string{"2012-03-05", "31/02/2012", "5 Mar 2012", "March 5, 2012", "40973.5", "60", "٠٥/٠٣/١٢", "05-Mar-12 10:00", "1/1/1 1:1:1 pm", "0.5", "9999-12-31"} {
		f.Add(seed, 0)
	}
	orders := []DateOrder{DMY, MDY, YMD}
	f.Fuzz(func(t *testing.T, s string, o int) {
		order := orders[(o%3+3)%3]
		got, err := ParseDate(s, order)
		if err != nil {
			if msg := err.Error(); !strings.Contains(msg, "YYYY-MM-DD") || strings.Contains(msg, "\n") {
				t.Fatalf("error %q does not say how to write the date", msg)
			}
			return
		}
		d, perr := time.Parse(time.DateOnly, got)
		if perr != nil || d.Format(time.DateOnly) != got {
			t.Fatalf("ParseDate(%q) = %q, not a real YYYY-MM-DD date", s, got)
		}
		if again, err := ParseDate(got, order); err != nil || again != got {
			t.Fatalf("ParseDate(%q) = %q, %v; want it unchanged", got, again, err)
		}
	})
}

func FuzzMatchHeaders(f *testing.F) {
	f.Add("Full Name", "الاسم", "E-mail", "Shoe size", "note", 0)
	f.Add("Name", "name", "x", "x", "name", 1)
	f.Add("", "ETOC code", "Code", "ETOC code", "course", 2)
	f.Fuzz(func(t *testing.T, a, b, c, mapFrom, mapTo string, k int) {
		kind := Kinds[(k%len(Kinds)+len(Kinds))%len(Kinds)]
		headers := []string{a, b, c}
		h, unknown, err := MatchHeaders(headers, kind, map[string]string{mapFrom: mapTo})
		if err != nil {
			if msg := err.Error(); msg == "" || strings.Contains(msg, "\n") {
				t.Fatalf("bad error %q", msg)
			}
			return
		}
		valid := map[string]bool{}
		for _, f := range Fields(kind) {
			valid[f] = true
		}
		seen := map[int]bool{}
		for field, i := range h.Columns {
			if !valid[field] || i < 0 || i >= len(headers) || seen[i] {
				t.Fatalf("bad mapping %v for %q", h.Columns, headers)
			}
			seen[i] = true
		}
		if len(h.Columns)+len(unknown) > len(headers) {
			t.Fatalf("%d matched + %d unknown > %d headers", len(h.Columns), len(unknown), len(headers))
		}
	})
}
