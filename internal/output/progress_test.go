package output

import (
	"strings"
	"testing"
	"time"
)

// fakeClock advances by step on every reading.
type fakeClock struct {
	t    time.Time
	step time.Duration
}

func (c *fakeClock) now() time.Time { c.t = c.t.Add(c.step); return c.t }

func TestProgressRedrawsInPlaceAndErasesItself(t *testing.T) {
	var b strings.Builder
	clk := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), step: time.Second}
	p := NewProgress(&b, "importing", "rows", clk.now)
	p.Set(1000)
	p.Set(120000)
	got := b.String()
	want := "\rimporting 1,000 rows (1,000 rows/s)\rimporting 120,000 rows (60,000 rows/s)"
	if got != want {
		t.Fatalf("drawn %q, want %q", got, want)
	}
	b.Reset()
	p.Finish()
	if got, want := b.String(), "\r"+strings.Repeat(" ", len("importing 120,000 rows (60,000 rows/s)"))+"\r"; got != want {
		t.Errorf("finish wrote %q, want %q", got, want)
	}
}

func TestProgressThrottlesAndPadsShorterLines(t *testing.T) {
	var b strings.Builder
	clk := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), step: 10 * time.Millisecond}
	p := NewProgress(&b, "importing", "rows", clk.now)
	for n := 1; n <= 5; n++ {
		p.Set(n * 100000) // 10 ms apart: only the first is drawn
	}
	if got := strings.Count(b.String(), "\r"); got != 1 {
		t.Errorf("%d lines drawn for 5 calls within 50 ms, want 1: %q", got, b.String())
	}
	clk.step = time.Second
	b.Reset()
	p.Set(7) // shorter than the last line: padded over it
	if line := b.String(); !strings.HasPrefix(line, "\rimporting 7 rows") || len(line) < len("\rimporting 100,000 rows") {
		t.Errorf("shorter line %q does not cover the longer one", line)
	}
}

func TestFinishWithoutDrawingWritesNothing(t *testing.T) {
	var b strings.Builder
	NewProgress(&b, "importing", "rows", time.Now).Finish()
	if b.Len() != 0 {
		t.Errorf("wrote %q", b.String())
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -45000: "-45,000"} {
		if got := Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
