package xlsx

import (
	"strconv"
)

// The XML parts of a workbook other than worksheets and charts. Element
// order follows the ECMA-376 schema: Excel calls a file damaged when it
// does not.

const xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

const (
	nsMain    = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsRel     = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsPkgRels = "http://schemas.openxmlformats.org/package/2006/relationships"

	typeDocument  = nsRel + "/officeDocument"
	typeWorksheet = nsRel + "/worksheet"
	typeStyles    = nsRel + "/styles"
	typeDrawing   = nsRel + "/drawing"
	typeChart     = nsRel + "/chart"

	ctWorkbook  = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
	ctWorksheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
	ctStyles    = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
	ctDrawing   = "application/vnd.openxmlformats-officedocument.drawing+xml"
	ctChart     = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
	ctRels      = "application/vnd.openxmlformats-package.relationships+xml"
)

const rootRels = xmlHeader + `<Relationships xmlns="` + nsPkgRels + `">` +
	`<Relationship Id="rId1" Type="` + typeDocument + `" Target="xl/workbook.xml"/></Relationships>`

func sheetPart(i int) string { return "xl/worksheets/sheet" + strconv.Itoa(i+1) + ".xml" }

func sheetRelsPart(i int) string {
	return "xl/worksheets/_rels/sheet" + strconv.Itoa(i+1) + ".xml.rels"
}

// appendSheetStart writes a worksheet up to its first row: the view (the
// first sheet is the one selected; a frozen pane), the column widths.
func appendSheetStart(b []byte, first bool, opt SheetOptions) []byte {
	b = append(b, xmlHeader...)
	b = append(b, `<worksheet xmlns="`+nsMain+`" xmlns:r="`+nsRel+`"><sheetViews><sheetView`...)
	if first {
		b = append(b, ` tabSelected="1"`...)
	}
	b = append(b, ` workbookViewId="0"`...)
	if n := opt.FreezeRows; n > 0 {
		top := CellName(1, n+1)
		b = append(b, `><pane ySplit="`...)
		b = strconv.AppendInt(b, int64(n), 10)
		b = append(b, `" topLeftCell="`+top+`" activePane="bottomLeft" state="frozen"/>`...)
		b = append(b, `<selection pane="bottomLeft" activeCell="`+top+`" sqref="`+top+`"/></sheetView>`...)
	} else {
		b = append(b, `/>`...)
	}
	b = append(b, `</sheetViews><sheetFormatPr defaultRowHeight="15"/>`...)
	cols := false
	for i := 0; i < len(opt.ColWidths); {
		w := opt.ColWidths[i]
		j := i + 1
		for j < len(opt.ColWidths) && opt.ColWidths[j] == w {
			j++
		}
		if w > 0 {
			if !cols {
				b = append(b, `<cols>`...)
				cols = true
			}
			b = append(b, `<col min="`...)
			b = strconv.AppendInt(b, int64(i+1), 10)
			b = append(b, `" max="`...)
			b = strconv.AppendInt(b, int64(j), 10)
			b = append(b, `" width="`...)
			b = strconv.AppendFloat(b, w, 'f', -1, 64)
			b = append(b, `" customWidth="1"/>`...)
		}
		i = j
	}
	if cols {
		b = append(b, `</cols>`...)
	}
	return append(b, `<sheetData>`...)
}

func (w *Writer) workbookXML() []byte {
	b := []byte(xmlHeader + `<workbook xmlns="` + nsMain + `" xmlns:r="` + nsRel + `">` +
		`<bookViews><workbookView activeTab="0"/></bookViews><sheets>`)
	for i, s := range w.sheets {
		n := strconv.Itoa(i + 1)
		b = append(b, `<sheet name="`+escapeAttr(s.name)+`" sheetId="`+n+`" r:id="rId`+n+`"/>`...)
	}
	return append(b, `</sheets></workbook>`...)
}

func (w *Writer) workbookRels() []byte {
	rels := make([]rel, 0, len(w.sheets)+1)
	for i := range w.sheets {
		rels = append(rels, rel{typeWorksheet, "worksheets/sheet" + strconv.Itoa(i+1) + ".xml"})
	}
	return relsXML(append(rels, rel{typeStyles, "styles.xml"})...)
}

// stylesXML holds two fonts (regular, bold), the ISODate format when a
// style uses it, and one cell format per registered style after the default
// one; fills and borders are the minimum Excel requires.
func (w *Writer) stylesXML() []byte {
	const font = `<sz val="11"/><name val="Calibri"/><family val="2"/>`
	b := []byte(xmlHeader + `<styleSheet xmlns="` + nsMain + `">`)
	for _, s := range w.styles {
		if s.NumFmt == ISODate {
			b = append(b, `<numFmts count="1"><numFmt numFmtId="164" formatCode="`+isoDateCode+`"/></numFmts>`...)
			break
		}
	}
	b = append(b, `<fonts count="2"><font>`+font+`</font><font><b/>`+font+`</font></fonts>`+
		`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>`+
		`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>`+
		`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>`+
		`<cellXfs count="`...)
	b = strconv.AppendInt(b, int64(len(w.styles)+1), 10)
	b = append(b, `"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>`...)
	for _, s := range w.styles {
		if s.NumFmt < 0 || s.NumFmt > 163 && s.NumFmt != ISODate {
			s.NumFmt = General // other ids from 164 on would need a format table
		}
		b = append(b, `<xf numFmtId="`...)
		b = strconv.AppendInt(b, int64(s.NumFmt), 10)
		b = append(b, `" fontId="`...)
		if s.Bold {
			b = append(b, '1')
		} else {
			b = append(b, '0')
		}
		b = append(b, `" fillId="0" borderId="0" xfId="0"`...)
		if s.Bold {
			b = append(b, ` applyFont="1"`...)
		}
		if s.NumFmt != General {
			b = append(b, ` applyNumberFormat="1"`...)
		}
		b = append(b, `/>`...)
	}
	return append(b, `</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`...)
}

func (w *Writer) contentTypes() []byte {
	b := []byte(xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="` + ctRels + `"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="` + ctWorkbook + `"/>` +
		`<Override PartName="/xl/styles.xml" ContentType="` + ctStyles + `"/>`)
	for i := range w.sheets {
		b = append(b, `<Override PartName="/`+sheetPart(i)+`" ContentType="`+ctWorksheet+`"/>`...)
	}
	for i := 1; i <= w.drawings; i++ {
		b = append(b, `<Override PartName="/xl/drawings/drawing`+strconv.Itoa(i)+`.xml" ContentType="`+ctDrawing+`"/>`...)
	}
	for i := 1; i <= w.charts; i++ {
		b = append(b, `<Override PartName="/xl/charts/chart`+strconv.Itoa(i)+`.xml" ContentType="`+ctChart+`"/>`...)
	}
	return append(b, `</Types>`...)
}

// rel is one relationship of a part; relsXML numbers them rId1, rId2, …
type rel struct{ typ, target string }

func relsXML(rels ...rel) []byte {
	b := []byte(xmlHeader + `<Relationships xmlns="` + nsPkgRels + `">`)
	for i, r := range rels {
		b = append(b, `<Relationship Id="rId`+strconv.Itoa(i+1)+`" Type="`+r.typ+`" Target="`+r.target+`"/>`...)
	}
	return append(b, `</Relationships>`...)
}
