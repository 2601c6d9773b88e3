package output

import (
	"bytes"
	"io"
	"strings"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// writeTable renders a plain, borderless table in the style of kubectl and gh;
// on a colour terminal the header is bold. A cell's control characters are
// shown as escapes (nomtrack.Printable), never sent to the terminal.
func writeTable(w io.Writer, t *Tab, color bool) error {
	if len(t.Rows) == 0 {
		_, err := io.WriteString(w, "no results\n")
		return err
	}
	headers := make([]any, len(t.Columns))
	for i, c := range t.Columns {
		h := strings.ToUpper(strings.ReplaceAll(c, "_", " "))
		if color {
			h = "\x1b[1m" + h + "\x1b[0m"
		}
		headers[i] = h
	}
	var buf bytes.Buffer
	table := tablewriter.NewTable(&buf,
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{
			Borders: tw.BorderNone,
			Symbols: tw.NewSymbols(tw.StyleNone),
			Settings: tw.Settings{
				Separators: tw.SeparatorsNone,
				Lines:      tw.LinesNone,
			},
		})),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
		tablewriter.WithTrimSpace(tw.Off),
		tablewriter.WithPadding(tw.Padding{Left: "", Right: "  ", Overwrite: true}),
	)
	table.Header(headers...)
	for _, row := range t.Rows {
		cells := make([]string, len(t.Columns))
		for i := range cells {
			if i < len(row) {
				cells[i] = nomtrack.Printable(Cell(row[i]))
			}
		}
		if err := table.Append(cells); err != nil {
			return err
		}
	}
	if err := table.Render(); err != nil {
		return err
	}
	return writeTrimmed(w, buf.Bytes())
}

// writeTrimmed drops the padding tablewriter leaves at the end of each line,
// so output diffs and pastes cleanly.
func writeTrimmed(w io.Writer, b []byte) error {
	for len(b) > 0 {
		line, rest, _ := bytes.Cut(b, []byte("\n"))
		if _, err := w.Write(append(bytes.TrimRight(line, " "), '\n')); err != nil {
			return err
		}
		b = rest
	}
	return nil
}

// writeMarkdown renders a GitHub-flavoured Markdown table.
func writeMarkdown(w io.Writer, t *Tab) error {
	var b strings.Builder
	b.WriteString("|")
	for _, c := range t.Columns {
		b.WriteString(" " + mdEscape(c) + " |")
	}
	b.WriteString("\n|")
	for range t.Columns {
		b.WriteString(" --- |")
	}
	b.WriteString("\n")
	for _, row := range t.Rows {
		b.WriteString("|")
		for i := range t.Columns {
			v := ""
			if i < len(row) {
				v = Cell(row[i])
			}
			b.WriteString(" " + mdEscape(v) + " |")
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func mdEscape(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}
