package sheet

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// scanTestBook is the workbook context the sheet tests read against: two
// shared strings and a date style at index 1.
func scanTestBook() *workbook {
	b := &workbook{name: "fuzz.xlsx", dateStyle: []bool{false, true}, sstLoaded: true}
	b.sst.add("zero")
	b.sst.add("one & <two>")
	return b
}

type rowSource interface {
	next() (Row, bool, error)
}

func drain(src rowSource) ([]Row, error) {
	var rows []Row
	for {
		r, ok, err := src.next()
		if err != nil || !ok {
			return rows, err
		}
		rows = append(rows, r)
	}
}

func fastRows(data []byte) ([]Row, error) {
	rows, err := drain(&sheetSource{book: scanTestBook(), sheet: "S", x: newXMLScanner(bytes.NewReader(data))})
	return canonRows(rows), err
}

func refRows(data []byte) ([]Row, error) {
	rows, err := drain(newRefSheetSource(scanTestBook(), "S", bytes.NewReader(data)))
	return canonRows(rows), err
}

// canonRows makes rows comparable whatever their layout: every cell dense
// (Far folded in), without the empty cells after the last non-empty one,
// which the streaming reader never materialises.
func canonRows(rows []Row) []Row {
	out := make([]Row, len(rows))
	for i, r := range rows {
		cells := make([]Cell, r.Width())
		for j := range cells {
			cells[j] = r.Cell(j)
		}
		for len(cells) > 0 && cells[len(cells)-1] == (Cell{}) {
			cells = cells[:len(cells)-1]
		}
		out[i] = Row{Num: r.Num, Cells: cells}
	}
	return out
}

// wellFormed reports whether encoding/xml in strict mode reads data to the
// end: on such input the two readers must agree.
func wellFormed(data []byte) bool {
	d := xml.NewDecoder(bytes.NewReader(data))
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return depth == 0
		}
		if err != nil {
			return false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		case xml.Directive:
			return false // DTDs are not part of OOXML
		case xml.ProcInst:
			if t.Target != "xml" {
				return false
			}
		}
	}
}

// randomSheet writes worksheet XML using the variety real producers emit:
// namespace prefixes, comments, CDATA, entities, rows and cells without
// references, inline rich text with phonetic runs, quotes of both kinds and
// '>' inside attribute values.
func randomSheet(rng *rand.Rand) []byte {
	var b strings.Builder
	p := ""
	if rng.IntN(3) == 0 {
		p = "x:"
	}
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n")
	fmt.Fprintf(&b, `<%sworksheet xmlns%s="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><%sdimension ref="A1:C9"/><%ssheetData>`, p, strings.TrimSuffix(":"+p, ":"), p, p)
	texts := []string{"Ali", "a &amp; b", "&lt;tag&gt;", "&#1593;&#x644;&#1610;", "  spaced  ", "line\r\nbreak", "_x000D_", "وزارة", ""}
	row := 0
	for r := 0; r < rng.IntN(6); r++ {
		row += 1 + rng.IntN(3)
		if rng.IntN(4) == 0 {
			fmt.Fprintf(&b, "<%srow>", p)
			row = 0 // without r, rows count from the previous one
		} else {
			fmt.Fprintf(&b, `<%srow r="%d" spans='1:3' x14ac:dyDescent="0.25">`, p, row)
		}
		if row == 0 {
			row = -1 // unknown: let the readers decide
		}
		col := 0
		for c := 0; c < rng.IntN(5); c++ {
			col += 1 + rng.IntN(2)
			ref := ""
			if rng.IntN(4) != 0 && row > 0 {
				ref = fmt.Sprintf(` r="%c%d"`, 'A'+col-1, row)
			}
			if rng.IntN(6) == 0 {
				b.WriteString("<!-- a > comment -->")
			}
			switch rng.IntN(7) {
			case 0:
				fmt.Fprintf(&b, `<%sc%s t="s"><%sv>%d</%sv></%sc>`, p, ref, p, rng.IntN(2), p, p)
			case 1:
				fmt.Fprintf(&b, `<%sc%s s="1"><%sv>%d.5</%sv></%sc>`, p, ref, p, 40000+rng.IntN(999), p, p)
			case 2:
				fmt.Fprintf(&b, `<%sc%s t="inlineStr"><%sis><%sr><%srPr/><%st xml:space="preserve">%s</%st></%sr><%st>%s</%st><%srPh sb="0" eb="1"><%st>PH</%st></%srPh></%sis></%sc>`,
					p, ref, p, p, p, p, texts[rng.IntN(len(texts))], p, p, p, texts[rng.IntN(len(texts))], p, p, p, p, p, p, p)
			case 3:
				fmt.Fprintf(&b, `<%sc%s s="0" t="str"><%sf>IF(A1&gt;2,"a","b")</%sf><%sv><![CDATA[x<y & z]]></%sv></%sc>`, p, ref, p, p, p, p, p)
			case 4:
				fmt.Fprintf(&b, `<%sc%s t="b"><%sv>%d</%sv></%sc>`, p, ref, p, rng.IntN(2), p, p)
			case 5:
				fmt.Fprintf(&b, `<%sc%s s="1"/>`, p, ref)
			default:
				fmt.Fprintf(&b, "<%sc%s t='e' cm=\"a>b\"><%sv>#N/A</%sv></%sc>", p, ref, p, p, p)
			}
		}
		fmt.Fprintf(&b, "</%srow>", p)
	}
	fmt.Fprintf(&b, `</%ssheetData><%spageMargins left="0.7"/></%sworksheet>`, p, p, p)
	return []byte(b.String())
}

func TestXMLScannerAgreesWithEncodingXML(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 3000; i++ {
		data := randomSheet(rng)
		if !wellFormed(data) {
			t.Fatalf("generator wrote malformed XML:\n%s", data)
		}
		want, wantErr := refRows(data)
		got, err := fastRows(data)
		if (err == nil) != (wantErr == nil) {
			t.Fatalf("errors differ: scanner %v, encoding/xml %v, on\n%s", err, wantErr, data)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("rows differ (-encoding/xml +scanner):\n%s\non\n%s", diff, data)
		}
	}
}

func TestXMLScannerLongTagsAndText(t *testing.T) {
	// Tags and values longer than the scanner's 64 KiB buffer.
	// 30K three-byte characters: 90 KiB, yet within a cell's 32,767.
	long := strings.Repeat("ﻋ", 30<<10)
	data := `<worksheet><sheetData><row r="3" note="` + strings.Repeat(">", 70<<10) + `"><c r="B3" t="inlineStr"><is><t>` + long + `</t></is></c></row></sheetData></worksheet>`
	rows, err := fastRows([]byte(data))
	if err != nil || len(rows) != 1 || rows[0].Num != 3 || rows[0].Cells[1].Text != long {
		t.Fatalf("rows = %d, err = %v", len(rows), err)
	}
}

var sheetErrorShape = regexp.MustCompile(`^fuzz\.xlsx:[0-9]+: sheet "S" (is damaged: [^\n]+; save the workbook again in Excel|[^\n]+; is the file damaged\?)$`)

func FuzzReadXLSXSheet(f *testing.F) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 8; i++ {
		f.Add(randomSheet(rng))
	}
	f.Add([]byte(`<worksheet><sheetData><row r="2"><c r="A2" t="s"><v>9</v></c></row></sheetData></worksheet>`))
	f.Add([]byte(`<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c>`))
	f.Add([]byte(`<a b='>'/><!-- --><![CDATA[]]><?pi?>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := fastRows(data)
		if err != nil && !sheetErrorShape.MatchString(err.Error()) {
			t.Fatalf("error is not a sentence naming file and row: %q", err)
		}
		for _, r := range got {
			if r.Num < 1 || len(r.Cells) > maxColumns {
				t.Fatalf("row %d with %d cells", r.Num, len(r.Cells))
			}
		}
		if !wellFormed(data) {
			return
		}
		want, wantErr := refRows(data)
		if (err == nil) != (wantErr == nil) {
			t.Fatalf("errors differ: scanner %v, encoding/xml %v", err, wantErr)
		}
		if err == nil {
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("rows differ (-encoding/xml +scanner):\n%s", diff)
			}
		}
	})
}
