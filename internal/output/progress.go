package output

import (
	"fmt"
	"io"
	"time"
)

// Progress is a one-line counter on a terminal's stderr: "importing 120,000
// rows (41,300 rows/s)", redrawn in place at most every Interval and erased
// by Finish, so nothing of it stays above the command's own output.
//
// It is written here rather than taken from a progress-bar library: the
// one nomtrack used pulled net/http, JSON and colour tables into every
// start-up of the binary, for a line that never shows a bar (an import does
// not know its row count before it ends).
type Progress struct {
	w        io.Writer
	label    string
	unit     string
	interval time.Duration
	now      func() time.Time

	start, last time.Time
	width       int // of the last line drawn, to erase it
}

// DefaultProgressInterval keeps redrawing to ten times a second.
const DefaultProgressInterval = 100 * time.Millisecond

// NewProgress starts a counter of unit ("rows") with label ("importing").
// now is the clock (time.Now outside tests).
func NewProgress(w io.Writer, label, unit string, now func() time.Time) *Progress {
	t := now()
	return &Progress{w: w, label: label, unit: unit, interval: DefaultProgressInterval, now: now, start: t}
}

// Set shows n; calls closer together than the interval draw nothing.
func (p *Progress) Set(n int) {
	t := p.now()
	if !p.last.IsZero() && t.Sub(p.last) < p.interval {
		return
	}
	p.last = t
	line := fmt.Sprintf("%s %s %s", p.label, Thousands(n), p.unit)
	if s := t.Sub(p.start).Seconds(); s >= 0.5 {
		line += fmt.Sprintf(" (%s %s/s)", Thousands(int(float64(n)/s)), p.unit)
	}
	pad := p.width - len(line)
	p.width = len(line)
	if pad < 0 {
		pad = 0
	}
	fmt.Fprintf(p.w, "\r%s%*s", line, pad, "")
}

// Finish erases the line, leaving the cursor where the line began.
func (p *Progress) Finish() {
	if p.width == 0 {
		return
	}
	fmt.Fprintf(p.w, "\r%*s\r", p.width, "")
	p.width = 0
}

// Thousands writes n with a comma between groups of three digits.
func Thousands(n int) string {
	s := fmt.Sprint(n)
	neg := ""
	if n < 0 {
		neg, s = "-", s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return neg + s
}
