package report

import (
	"bytes"
	"io"
	"math"
	"strconv"

	"github.com/nomtrack/nomtrack/internal/figures"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// The report page is written by Go code rather than by html/template:
// executing a template calls methods by name, which makes the linker keep
// every exported method of every type in the binary, and so every command
// started slower (a bigger binary to map and initialise). Every value is
// escaped as html/template escaped it in text and in quoted attributes
// (escapeHTML), and TestHTMLPageAsTheTemplateWrote renders the former
// template (testdata/report.html.tmpl) beside this code to keep the pages
// byte for byte the same.

// htmlHead is the page up to its title; htmlStyle what follows the title
// up to the heading: inline CSS, no scripts, nothing loaded from elsewhere.
const (
	htmlHead = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="nomtrack">
`
	htmlStyle = `
<style>
:root { --ink: #1d2733; --muted: #5b6775; --rule: #d5dbe3; --capacity: #dbe4ee; --nominations: #c3d0de; --participated: #1f5fa8; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Arabic", sans-serif; color: var(--ink); margin: 2rem auto; max-width: 60rem; padding: 0 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--rule); padding-bottom: .25rem; }
.headline { font-size: 2.2rem; font-weight: 700; margin: .5rem 0 .25rem; font-variant-numeric: tabular-nums; }
.headline small { font-size: 1rem; font-weight: 400; color: var(--muted); }
.meter { height: 1.1rem; background: var(--capacity); border-radius: 3px; overflow: hidden; max-width: 40rem; }
.meter span { display: block; height: 100%; background: var(--participated); }
.figures { display: flex; flex-wrap: wrap; gap: .5rem 2rem; margin: 1rem 0 0; padding: 0; list-style: none; }
.figures li b { display: block; font-size: 1.3rem; font-variant-numeric: tabular-nums; }
.figures li { color: var(--muted); }
.figures li b { color: var(--ink); }
figure { margin: 1.5rem 0; break-inside: avoid; }
figcaption { font-weight: 600; margin-bottom: .25rem; }
svg { width: 100%; height: auto; display: block; }
svg .capacity { fill: var(--capacity); }
svg .nominations { fill: var(--nominations); }
svg .participated { fill: var(--participated); }
svg .grid { stroke: var(--rule); stroke-width: 1; }
svg text { font: 12px system-ui, sans-serif; fill: var(--ink); }
svg text.axis { fill: var(--muted); }
svg text.value { font-weight: 600; }
svg text.current { font-weight: 700; fill: var(--ink); }
table { border-collapse: collapse; width: 100%; margin: .25rem 0 1rem; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: .3rem .6rem .3rem 0; border-bottom: 1px solid var(--rule); }
th { font-size: .8rem; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); }
td.n, th.n { text-align: right; }
section { break-inside: avoid; }
footer { margin-top: 2rem; color: var(--muted); font-size: .8rem; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; padding: 0; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-after: avoid; }
  figure, section, tr { break-inside: avoid; }
  @page { size: A4; margin: 15mm; }
}
</style>
</head>
<body>
<header>
`
)

// htmlFooter is the page's last words; htmlFeeNote is added for a year.
const (
	htmlFooter  = `Made by nomtrack. Committed = approved + confirmed + attended + completed; participated = attended + completed; utilisation = participated / capacity.`
	htmlFeeNote = ` Fees are course fees per seat in EUR; a course without a fee is counted as unknown, never as free.`
)

// escapeHTML escapes s for HTML text, a quoted attribute or a title, with
// html/template's entities: NUL becomes U+FFFD, and " & ' + < > their
// numeric or named entities. Every byte it replaces is ASCII, so it works
// on bytes and leaves any other byte, valid UTF-8 or not, as it is.
func escapeHTML(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if htmlEntity(s[i]) != "" {
			n++
		}
	}
	if n == 0 {
		return s
	}
	b := make([]byte, 0, len(s)+5*n)
	for i := 0; i < len(s); i++ {
		if e := htmlEntity(s[i]); e != "" {
			b = append(b, e...)
		} else {
			b = append(b, s[i])
		}
	}
	return string(b)
}

// htmlEntity is what escapeHTML writes for c; "" to keep it.
func htmlEntity(c byte) string {
	switch c {
	case 0:
		return "\uFFFD"
	case '"':
		return "&#34;"
	case '&':
		return "&amp;"
	case '\'':
		return "&#39;"
	case '+':
		return "&#43;"
	case '<':
		return "&lt;"
	case '>':
		return "&gt;"
	}
	return ""
}

// num prints a chart coordinate to a tenth.
func num(f float64) string { return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64) }

// meterWidth is the filled share of the headline meter, in percent,
// capped at 100 (a year over capacity fills it).
func meterWidth(f *float64) string {
	if f == nil {
		return "0"
	}
	return strconv.FormatFloat(math.Round(math.Min(*f, 1)*1000)/10, 'f', -1, 64)
}

// pageText collects the page; s writes its arguments as they are (the
// page's own markup and numbers), e escapes a value.
type pageText struct{ bytes.Buffer }

func (t *pageText) s(parts ...string) {
	for _, p := range parts {
		t.WriteString(p)
	}
}

func e(s string) string { return escapeHTML(s) }

func itoa(n int) string { return strconv.Itoa(n) }

// writeHTMLPage writes p as one self-contained page.
func writeHTMLPage(w io.Writer, p htmlPage) error {
	var t pageText
	t.s(htmlHead, "<title>", e(p.Title), " — nomtrack</title>", htmlStyle)
	t.s("<h1>", e(p.Title), "</h1>")
	if y := p.Year; y != nil {
		writeHeadline(&t, y)
	}
	t.s("\n</header>\n<main>")
	for _, c := range p.Charts {
		writeChart(&t, c)
	}
	if y := p.Year; y != nil {
		t.s("\n<section>\n<h2>By status</h2>\n<table>\n<thead><tr><th>status</th><th class=\"n\">nominations</th></tr></thead>\n<tbody>")
		for _, s := range nomtrack.Statuses {
			t.s("\n<tr><td>", e(s), "</td><td class=\"n\">", itoa(y.ByStatus[s]), "</td></tr>")
		}
		t.s("\n</tbody>\n</table>\n</section>")
	}
	for _, s := range p.Sections {
		writeSection(&t, s)
	}
	for _, tab := range p.Tables {
		writeTable(&t, tab)
	}
	if len(p.Trend) > 0 && p.Year == nil {
		writeTrend(&t, p.Trend)
	}
	if len(p.Charts) == 0 {
		t.s("\n<p>No nominations.</p>")
	}
	t.s("\n</main>\n<footer>", htmlFooter)
	if p.Year != nil {
		t.s(htmlFeeNote)
	}
	t.s("</footer>\n</body>\n</html>\n")
	_, err := w.Write(t.Bytes())
	return err
}

// writeHeadline writes the year's headline figure, its meter and the
// figures beside it.
func writeHeadline(t *pageText, y *figures.Year) {
	t.s("\n<p class=\"headline\">", itoa(y.Participated), " / ", itoa(y.Capacity),
		" <small>participated against capacity (", e(Percent(y.Utilisation, 1)), ")</small></p>")
	t.s("\n<div class=\"meter\" role=\"img\" aria-label=\"", e(Percent(y.Utilisation, 1)), " of capacity used\">",
		"<span style=\"width: ", e(meterWidth(y.Utilisation)), "%\"></span></div>")
	t.s("\n<ul class=\"figures\">")
	t.s("\n<li><b>", itoa(y.Nominations), "</b>nominations</li>")
	t.s("\n<li><b>", itoa(y.Committed), "</b>committed</li>")
	t.s("\n<li><b>", itoa(y.Participated), "</b>participated</li>")
	t.s("\n<li><b>", itoa(y.Participants), "</b>participants</li>")
	t.s("\n<li><b>", itoa(y.NoShow), "</b>no-shows</li>")
	t.s("\n<li><b>", itoa(y.Women.Participants), "</b>women (", e(Percent(y.Women.Share, 1)), " of participants)</li>")
	t.s("\n<li><b>", itoa(y.RepeatParticipants), "</b>repeat participants</li>")
	t.s("\n<li><b>", itoa(y.Capacity), "</b>capacity (")
	if y.CapacitySource == "set" {
		t.s("set for ", itoa(y.Year))
	} else {
		t.s("configured default")
	}
	t.s(")</li>\n</ul>")
}

// writeChart writes c as an SVG figure.
func writeChart(t *pageText, c Chart) {
	t.s("\n<figure id=\"", e(c.ID), "\">\n<figcaption>", e(c.Title), "</figcaption>")
	t.s("\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ", num(c.Width), " ", num(c.Height),
		"\" role=\"img\" aria-label=\"", e(c.Title), "\">")
	for _, g := range c.Gridlines {
		t.s("\n<line class=\"grid\" x1=\"", num(g.X), "\" x2=\"", num(c.Width), "\" y1=\"", num(g.Y), "\" y2=\"", num(g.Y), "\"/>")
	}
	for _, l := range c.Legend {
		t.s("\n<rect class=\"", e(l.Class), "\" x=\"", num(l.X), "\" y=\"8\" width=\"12\" height=\"12\"/>",
			"<text x=\"", num(l.X+18), "\" y=\"18\">", e(l.Text), "</text>")
	}
	for _, b := range c.Bars {
		t.s("\n<rect class=\"bar ", e(b.Class), "\" x=\"", num(b.X), "\" y=\"", num(b.Y), "\" width=\"", num(b.W),
			"\" height=\"", num(b.H), "\" data-value=\"", itoa(b.Value), "\"><title>", e(b.Tip), "</title></rect>")
	}
	for _, g := range c.Gridlines {
		t.s("\n<text class=\"axis\" x=\"", num(g.X-6), "\" y=\"", num(g.Y+4), "\" text-anchor=\"", e(g.Anchor), "\">", e(g.Text), "</text>")
	}
	for _, l := range c.Labels {
		t.s("\n<text class=\"", e(l.Class), "\" x=\"", num(l.X), "\" y=\"", num(l.Y), "\" text-anchor=\"", e(l.Anchor), "\">", e(l.Text), "</text>")
	}
	t.s("\n</svg>\n</figure>")
}

// writeSection writes one breakdown as a table.
func writeSection(t *pageText, s htmlSection) {
	t.s("\n<section>\n<h2>", e(s.Title), "</h2>")
	if len(s.Tab.Groups) == 0 {
		t.s("\n<p>No nominations.</p>\n</section>")
		return
	}
	t.s("\n<table>\n<thead><tr><th>", e(s.Tab.Dimension), "</th>")
	if s.Tab.Course {
		t.s("<th>title</th>")
	}
	t.s(`<th class="n">nominations</th><th class="n">committed</th><th class="n">participated</th>`,
		`<th class="n">participants</th><th class="n">no-shows</th></tr></thead>`, "\n<tbody>")
	for _, g := range s.Tab.Groups {
		t.s("\n<tr><td>", e(groupName(s.Tab.Dimension, g)), "</td>")
		if s.Tab.Course {
			t.s("<td>", e(g.Label), "</td>")
		}
		t.s(`<td class="n">`, itoa(g.Nominations), `</td><td class="n">`, itoa(g.Committed),
			`</td><td class="n">`, itoa(g.Participated), `</td><td class="n">`, itoa(g.Participants),
			`</td><td class="n">`, itoa(g.NoShow), "</td></tr>")
	}
	t.s("\n</tbody>\n</table>\n</section>")
}

// writeTable writes a table for people, or its Empty sentence.
func writeTable(t *pageText, tab htmlTable) {
	t.s("\n<section>\n<h2>", e(tab.Title), "</h2>")
	if len(tab.Rows) == 0 {
		t.s("\n<p>", e(tab.Empty), "</p>\n</section>")
		return
	}
	t.s("\n<table>\n<thead><tr>")
	for _, h := range tab.Head {
		t.s("<th", numClass(h.Num), ">", e(h.Text), "</th>")
	}
	t.s("</tr></thead>\n<tbody>")
	for _, row := range tab.Rows {
		t.s("\n<tr>")
		for _, c := range row {
			t.s("<td", numClass(c.Num), ">", e(c.Text), "</td>")
		}
		t.s("</tr>")
	}
	t.s("\n</tbody>\n</table>\n</section>")
}

// numClass right-aligns a number's cell.
func numClass(num bool) string {
	if num {
		return ` class="n"`
	}
	return ""
}

// writeTrend writes the year-by-year table of `report trend`.
func writeTrend(t *pageText, rows []figures.TrendRow) {
	t.s("\n<section>\n<h2>Year by year</h2>\n<table>\n<thead><tr><th>year</th><th class=\"n\">capacity</th>",
		`<th class="n">nominations</th><th class="n">committed</th><th class="n">participated</th>`,
		`<th class="n">participants</th><th class="n">utilisation</th></tr></thead>`, "\n<tbody>")
	for _, r := range rows {
		t.s("\n<tr><td>", itoa(r.Year), `</td><td class="n">`, itoa(r.Capacity), `</td><td class="n">`, itoa(r.Nominations),
			`</td><td class="n">`, itoa(r.Committed), `</td><td class="n">`, itoa(r.Participated),
			`</td><td class="n">`, itoa(r.Participants), `</td><td class="n">`, e(Percent(r.Utilisation, 1)), "</td></tr>")
	}
	t.s("\n</tbody>\n</table>\n</section>")
}
