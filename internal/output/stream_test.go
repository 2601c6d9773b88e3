package output

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"
)

type streamRecord struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

func streamSample(n int) ([]streamRecord, Stream) {
	recs := []streamRecord{
		{1, "Mohammed Al-Saadi", "same <ministry> & name"},
		{22, "=cmd|' /C calc'!A0", "line\nbreak"},
		{333, "حسين علي", "Arabic names equal"},
	}
	st := Stream{Columns: []string{"id", "name", "reason"}, Text: []string{"name", "reason"}, Record: streamRecord{}}
	for i, c := range st.Columns {
		w := len(c)
		for _, r := range recs[:n] {
			w = max(w, runewidth.StringWidth(oneLine(Cell([]any{r.ID, r.Name, r.Reason}[i]))))
		}
		st.Widths = append(st.Widths, w)
	}
	return recs, st
}

// A streamed list prints exactly what Write prints for the whole list, in
// every format a stream writes itself and in those it collects first, and
// --limit stops the producer.
func TestWriteStreamIsWrite(t *testing.T) {
	for _, n := range []int{0, 1, 3} {
		recs, st := streamSample(n)
		for _, opts := range []Options{
			{Format: Table}, {Format: CSV}, {Format: TSV}, {Format: MD}, {Format: JSON}, {Format: JSONL},
			{Format: YAML}, {Format: JSON, Fields: []string{"name"}}, {Format: Table, Sort: "name"},
			{Format: JSON, Limit: 2}, {Format: Table, Limit: 1},
		} {
			t.Run(fmt.Sprintf("%d_%+v", n, opts), func(t *testing.T) {
				var whole, streamed, wholeErr, streamedErr bytes.Buffer
				var items []streamRecord
				tab := &Tab{Columns: st.Columns}
				for _, r := range recs[:n] {
					items = append(items, r)
					tab.Rows = append(tab.Rows, []any{r.ID, r.Name, r.Reason})
				}
				if items == nil {
					items = []streamRecord{}
				}
				if err := Write(&Streams{Out: &whole, Err: &wholeErr}, opts, TextFormats, Doc{JSON: items, Tab: tab}); err != nil {
					t.Fatal(err)
				}
				produced := 0
				err := WriteStream(&Streams{Out: &streamed, Err: &streamedErr}, opts, TextFormats, st, func(emit Emit) error {
					for _, r := range recs[:n] {
						if err := emit(r, []any{r.ID, r.Name, r.Reason}); err != nil {
							return err
						}
						produced++
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				if opts.Format == Table && opts.Limit > 0 && opts.Limit < n {
					// The widths are bounds over every record, not only
					// those printed.
					squeeze := func(b *bytes.Buffer) string { return strings.Join(strings.Fields(b.String()), " ") }
					if squeeze(&streamed) != squeeze(&whole) {
						t.Errorf("WriteStream printed\n%s\nWrite printed\n%s", &streamed, &whole)
					}
				} else if streamed.String() != whole.String() || streamedErr.String() != wholeErr.String() {
					t.Errorf("WriteStream printed\n%s%s\nWrite printed\n%s%s", &streamed, &streamedErr, &whole, &wholeErr)
				}
				if opts.Limit > 0 && opts.Sort == "" && produced > opts.Limit {
					t.Errorf("the producer made %d records after --limit %d", produced, opts.Limit)
				}
			})
		}
	}
}

// Widths are bounds known before the rows: piped, a cell wider than its
// bound is written whole; on a terminal it is cut to fit.
func TestWriteStreamWiderThanBound(t *testing.T) {
	st := Stream{Columns: []string{"id", "name"}, Widths: []int{2, 4}, Text: []string{"name"}}
	produce := func(emit Emit) error { return emit(nil, []any{7, "Mohammed Al-Saadi"}) }
	var piped bytes.Buffer
	if err := WriteStream(&Streams{Out: &piped}, Options{}, TextFormats, st, produce); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(piped.String(), "7   Mohammed Al-Saadi\n") {
		t.Errorf("piped:\n%s", &piped)
	}
	st.Widths[1] = 20
	var tty bytes.Buffer
	if err := WriteStream(&Streams{Out: &tty, OutTTY: true, Width: 12}, Options{}, TextFormats, st, produce); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(tty.String(), "7   Mohamme…\n") {
		t.Errorf("on a 12-cell terminal:\n%s", &tty)
	}
}

// A producer's own error is returned as it is.
func TestWriteStreamProducerError(t *testing.T) {
	_, st := streamSample(3)
	boom := errors.New("boom")
	var out bytes.Buffer
	err := WriteStream(&Streams{Out: &out}, Options{Format: CSV}, TextFormats, st, func(Emit) error { return boom })
	if !errors.Is(err, boom) {
		t.Errorf("err = %v, want boom", err)
	}
}
