package safety

import (
	"archive/zip"
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// nominationsHeader is a valid nominations header; base rows refer to the
// course and offering MustBase puts in the database.
const nominationsHeader = "ref,name,ministry,course,start,role,status,email,phone,note"

// MustWriteFile writes a file under dir and returns its path.
func MustWriteFile(tb testing.TB, dir, name string, data []byte) string {
	tb.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

// MustStreamFile writes a file from fn through a buffered writer, for files
// too large to build in memory comfortably.
func MustStreamFile(tb testing.TB, dir, name string, fn func(w *bufio.Writer) error) string {
	tb.Helper()
	path := filepath.Join(dir, name)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := fn(w); err != nil {
		tb.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}

// xlsxCell is one cell of a hand-written worksheet: Ref like "B2", and the
// raw XML inside <c> (e.g. `<is><t>Name</t></is>` with T "inlineStr").
type xlsxCell struct {
	Ref, T, Inner string
}

// inline is an inline-string cell.
func inline(ref, text string) xlsxCell {
	return xlsxCell{Ref: ref, T: "inlineStr", Inner: "<is><t>" + xmlEscape(text) + "</t></is>"}
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// xlsxParts are the package parts of a minimal one-sheet workbook, save the
// worksheet itself.
var xlsxParts = map[string]string{
	"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
	"_rels/.rels": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
	"xl/workbook.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Nominations" sheetId="1" r:id="rId1"/></sheets></workbook>`,
	"xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
}

// MustXLSX writes a one-sheet workbook ("Nominations") whose sheetData is
// written by rows, and whose worksheet carries extra XML after sheetData
// (e.g. <mergeCells>). Writing the XML by hand gives the tests what Excel
// writes but libraries tidy away: formulas with cached values, merged
// cells, a million empty rows.
func MustXLSX(tb testing.TB, dir, name string, rows func(w io.Writer) error, after string) string {
	tb.Helper()
	return MustStreamFile(tb, dir, name, func(bw *bufio.Writer) error {
		zw := zip.NewWriter(bw)
		for _, part := range []string{"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"} {
			w, err := zw.Create(part)
			if err != nil {
				return err
			}
			if _, err := io.WriteString(w, xlsxParts[part]); err != nil {
				return err
			}
		}
		w, err := zw.Create("xl/worksheets/sheet1.xml")
		if err != nil {
			return err
		}
		io.WriteString(w, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
		if err := rows(w); err != nil {
			return err
		}
		io.WriteString(w, `</sheetData>`+after+`</worksheet>`)
		return zw.Close()
	})
}

// MustXLSXWithSST is MustXLSX with a shared-string part whose <si>
// entries sst writes.
func MustXLSXWithSST(tb testing.TB, dir, name string, rows, sst func(w io.Writer) error) string {
	tb.Helper()
	return MustStreamFile(tb, dir, name, func(bw *bufio.Writer) error {
		zw := zip.NewWriter(bw)
		parts := map[string]string{}
		for k, v := range xlsxParts {
			parts[k] = v
		}
		parts["xl/_rels/workbook.xml.rels"] = strings.Replace(parts["xl/_rels/workbook.xml.rels"], "</Relationships>",
			`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`, 1)
		for _, part := range []string{"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"} {
			w, err := zw.Create(part)
			if err != nil {
				return err
			}
			io.WriteString(w, parts[part])
		}
		w, err := zw.Create("xl/sharedStrings.xml")
		if err != nil {
			return err
		}
		io.WriteString(w, `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
		if err := sst(w); err != nil {
			return err
		}
		io.WriteString(w, `</sst>`)
		w, err = zw.Create("xl/worksheets/sheet1.xml")
		if err != nil {
			return err
		}
		io.WriteString(w, `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
		if err := rows(w); err != nil {
			return err
		}
		io.WriteString(w, `</sheetData></worksheet>`)
		return zw.Close()
	})
}

// writeRow writes one <row> of cells.
func writeRow(w io.Writer, num int, cells ...xlsxCell) {
	fmt.Fprintf(w, `<row r="%d">`, num)
	for _, c := range cells {
		t := ""
		if c.T != "" {
			t = ` t="` + c.T + `"`
		}
		fmt.Fprintf(w, `<c r="%s"%s>%s</c>`, c.Ref, t, c.Inner)
	}
	io.WriteString(w, `</row>`)
}

// headerCells are the nominations header as inline cells in row 1.
func headerCells(row int) []xlsxCell {
	var cells []xlsxCell
	for i, h := range strings.Split(nominationsHeader, ",") {
		cells = append(cells, inline(fmt.Sprintf("%c%d", 'A'+i, row), h))
	}
	return cells
}

// rowCells are the cells of a CSV-style line in row num.
func rowCells(row int, line string) []xlsxCell {
	var cells []xlsxCell
	for i, v := range strings.Split(line, ",") {
		if v != "" {
			cells = append(cells, inline(fmt.Sprintf("%c%d", 'A'+i, row), v))
		}
	}
	return cells
}

// garbage is n seeded random bytes.
func garbage(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}
