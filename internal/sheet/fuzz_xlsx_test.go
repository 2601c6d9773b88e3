package sheet

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// xlsxErrorShape is how workbook errors start: the file, then either a row
// or "is not a readable Excel workbook".
var xlsxErrorShape = regexp.MustCompile(`^fuzz\.xlsx(:[0-9]+: | is not a readable Excel workbook: | has no sheet )`)

// fuzzWorkbook is a workbook whose worksheet, shared strings and styles are
// given: the parts the streaming reader parses by hand.
func fuzzWorkbook(tb testing.TB, dir, sheetXML, sstXML, stylesXML string) string {
	tb.Helper()
	files := map[string]string{
		"[Content_Types].xml": `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"_rels/.rels":         `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml":     `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Nominations" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>` +
			`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml": sheetXML,
		"xl/sharedStrings.xml":     sstXML,
		"xl/styles.xml":            stylesXML,
	}
	path := filepath.Join(dir, "fuzz.xlsx")
	if err := os.WriteFile(path, mustZip(tb, files), 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

// FuzzReadXLSX feeds hand-parsed workbook parts to the streaming reader: any
// input gives rows or one sentence naming the file, never a panic, a NUL in
// a cell, a row number Excel could not have, or a column beyond XFD.
func FuzzReadXLSX(f *testing.F) {
	const sheet = `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>start</t></is></c></row>` +
		`<row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3" s="1"><v>40973</v></c><c r="D3" t="str"><f>A3</f><v>x_x000D_y</v></c></row>` +
		`</sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells></worksheet>`
	const sst = `<sst uniqueCount="2"><si><t>name</t></si><si><r><t>Ali</t></r><r><t xml:space="preserve"> Hussein</t></r><rPh><t>ignored</t></rPh></si></sst>`
	const styles = `<styleSheet><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>`
	f.Add(sheet, sst, styles)
	f.Add(`<worksheet><sheetData><row r="1048576"><c r="XFD1048576" t="b"><v>1</v></c></row></sheetData></worksheet>`, "", "")
	f.Add(`<worksheet><sheetData><row><c t="s"><v>7</v></c></row><row r="0"/></sheetData></worksheet>`, sst, styles)
	f.Add(`<worksheet><sheetData><row r="2"><c r="A2" t="d"><v>2012-03-05T00:00:00</v></c><c r="B2" t="e"><v>#N/A</v></c></row>`, sst, "<styleSheet><cellXfs><xf numFmtId=\"14\"/>")
	// The reader's limits: a cell past XFD, rows past Excel's, a row of
	// cells without references, a table claiming billions of strings, far
	// cells out of order and written twice, comments and CDATA.
	f.Add(`<worksheet><sheetData><row r="1"><c r="XFE1"><v>1</v></c></row></sheetData></worksheet>`, "", "")
	f.Add(`<worksheet><sheetData><row r="1048576"/><row/></sheetData></worksheet>`, "", "")
	f.Add(`<worksheet><sheetData><row>`+strings.Repeat(`<c><v>1</v></c>`, 40)+`</row></sheetData></worksheet>`, `<sst uniqueCount="2147483647"><si><t>a</t></si></sst>`, "")
	f.Add(`<worksheet><sheetData><row r="2"><c r="XFD2" t="s"><v>0</v></c><c r="A2"><v>1</v></c><c r="AZ2"><v>2</v></c><c r="XFD2"><v>3</v></c><!-- x --></row></sheetData></worksheet>`, sst, styles)
	f.Add(`<worksheet><sheetData><row r="1"><c r="A1" t="str"><v><![CDATA[`+strings.Repeat("x", 40000)+`]]></v></c></row></sheetData></worksheet>`, "", "")
	dir := f.TempDir() // one file, rewritten for each input: fuzzing stays fast
	f.Fuzz(func(t *testing.T, sheetXML, sstXML, stylesXML string) {
		path := fuzzWorkbook(t, dir, sheetXML, sstXML, stylesXML)
		file, err := Open(path, Options{})
		if err != nil {
			checkXLSXError(t, err)
			return
		}
		defer file.Close()
		rows, err := file.Rows("")
		if err != nil {
			checkXLSXError(t, err)
			return
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			r := rows.Row()
			if r.Num < 1 || r.Num > 1<<20 {
				t.Fatalf("row number %d", r.Num)
			}
			if r.Width() > maxColumns {
				t.Fatalf("row %d is %d columns wide", r.Num, r.Width())
			}
			// The reader's limits: cells within Excel's, far cells in
			// column order past the dense ones, no padding past farGap.
			prev := len(r.Cells) - 1
			for _, c := range r.Far {
				if c.Col <= prev || c.Col >= maxColumns {
					t.Fatalf("row %d: far cell at column %d after %d", r.Num, c.Col, prev)
				}
				prev = c.Col
			}
			if len(r.Cells) > 0 && r.Cells[len(r.Cells)-1] == (Cell{}) {
				t.Fatalf("row %d ends in an empty cell", r.Num)
			}
			for i := 0; i < r.Width(); i++ {
				c := r.Cell(i)
				if strings.IndexByte(c.Text, 0) >= 0 {
					t.Fatalf("row %d hands out a NUL byte", r.Num)
				}
				if n, long := overlong(c.Text); long {
					t.Fatalf("row %d hands out a cell of %d characters", r.Num, n)
				}
			}
			if n++; n > 1<<20 {
				t.Fatal("more rows than a worksheet can hold")
			}
		}
		if err := rows.Err(); err != nil {
			checkXLSXError(t, err)
		}
	})
}

func checkXLSXError(t *testing.T, err error) {
	t.Helper()
	if msg := err.Error(); !xlsxErrorShape.MatchString(msg) || strings.Contains(msg, "\n") {
		t.Fatalf("error is not one sentence naming the file: %q", msg)
	}
}

// TestReadXLSXRefusesNULCharacters: a NUL reached cell text through every
// way XML can spell one, while text files refuse it (found by FuzzReadXLSX's
// invariants; testdata/fuzz/FuzzReadXLSX holds the seed).
func TestReadXLSXRefusesNULCharacters(t *testing.T) {
	dir := t.TempDir()
	const sst = `<sst><si><t>c_x0000_d</t></si></sst>`
	for name, cell := range map[string]string{
		"inline_escape": `<c r="A1" t="inlineStr"><is><t>a_x0000_b</t></is></c>`,
		"shared_escape": `<c r="A1" t="s"><v>0</v></c>`,
		"char_ref":      `<c r="A1" t="str"><v>x&#0;y</v></c>`,
		"raw_byte":      "<c r=\"A1\"><v>1\x002</v></c>",
	} {
		t.Run(name, func(t *testing.T) {
			path := fuzzWorkbook(t, dir, `<worksheet><sheetData><row r="1">`+cell+`</row></sheetData></worksheet>`, sst, "")
			f, err := Open(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rows, err := f.Rows("")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				t.Errorf("row %d handed out: %q", rows.Row().Num, rows.Row().Cells[0].Text)
			}
			want := `fuzz.xlsx:1: sheet "Nominations" is damaged: cell A1 holds a NUL character; save the workbook again in Excel`
			if err := rows.Err(); err == nil || err.Error() != want {
				t.Errorf("error = %v\nwant    %s", err, want)
			}
		})
	}
}
