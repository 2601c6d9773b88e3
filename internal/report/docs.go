package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/nomtrack/nomtrack/internal/figures"
	"github.com/nomtrack/nomtrack/internal/output"
)

// humanTab copies t for people: rate cells (*float64) in the given columns
// become percentages, empty rates a dash. The copy feeds the table output;
// csv, tsv, json and xlsx keep the raw fractions.
func humanTab(t *output.Tab, rateCols ...int) *output.Tab {
	h := &output.Tab{Columns: t.Columns, Rows: make([][]any, len(t.Rows))}
	for i, row := range t.Rows {
		r := append([]any(nil), row...)
		for _, c := range rateCols {
			if f, ok := r[c].(*float64); ok {
				r[c] = Percent(f, 1)
			}
		}
		h.Rows[i] = r
	}
	return h
}

// tableText renders a human copy of t as the table output.
func tableText(t *output.Tab, rateCols ...int) func(io.Writer, bool) error {
	return func(w io.Writer, color bool) error {
		return writeTab(w, output.Table, humanTab(t, rateCols...), color)
	}
}

// mdText renders a human copy of t as Markdown (percentages, like the
// table output; csv and tsv keep the raw fractions).
func mdText(t *output.Tab, rateCols ...int) func(io.Writer) error {
	return func(w io.Writer) error {
		return writeTab(w, output.MD, humanTab(t, rateCols...), false)
	}
}

// TrendTab is `report trend` as a table, utilisation raw.
func TrendTab(rows []figures.TrendRow) *output.Tab {
	t := &output.Tab{Columns: []string{"year", "capacity", "nominations", "committed", "participated", "participants", "utilisation"}}
	for _, r := range rows {
		t.Rows = append(t.Rows, []any{r.Year, r.Capacity, r.Nominations, r.Committed, r.Participated, r.Participants, r.Utilisation})
	}
	return t
}

// WriteTrendText writes the trend table with a bar per year: the share of
// that year's capacity used.
func WriteTrendText(w io.Writer, rows []figures.TrendRow, color bool) error {
	if len(rows) == 0 {
		_, err := io.WriteString(w, "no nominations\n")
		return err
	}
	t := humanTab(TrendTab(rows), 6)
	t.Columns = append(append([]string{}, t.Columns...), "participated_of_capacity")
	for i, r := range rows {
		share := 0.0
		if r.Utilisation != nil {
			share = *r.Utilisation
		}
		t.Rows[i] = append(t.Rows[i], Bar(share, 20)+" "+Budget(r.Participated, r.Capacity))
	}
	return writeTab(w, output.Table, t, color)
}

// TrendDoc is `report trend` in every format of RichFormats.
func TrendDoc(rows []figures.TrendRow) output.Doc {
	return output.Doc{
		JSON: rows,
		Tab:  TrendTab(rows),
		Text: func(w io.Writer, color bool) error { return WriteTrendText(w, rows, color) },
		Custom: map[string]func(io.Writer) error{
			output.MD:   mdText(TrendTab(rows), 6),
			output.HTML: func(w io.Writer) error { return WriteTrendHTML(w, rows) },
			output.XLSX: func(w io.Writer) error { return WriteTrendXLSX(w, rows) },
		},
	}
}

// DemandDoc is `report demand`: one row per ministry and area.
func DemandDoc(rows []figures.DemandRow) output.Doc {
	t := &output.Tab{Columns: []string{"ministry", "area", "requested", "nominations", "committed", "participated", "fill_rate"}}
	for _, r := range rows {
		t.Rows = append(t.Rows, []any{r.Ministry, r.Area, r.Requested, r.Nominations, r.Committed, r.Participated, r.FillRate})
	}
	return output.Doc{JSON: rows, Tab: t, Text: tableText(t, 6),
		Custom: map[string]func(io.Writer) error{output.MD: mdText(t, 6)}}
}

// OfferingsDoc is `report offerings`: one row per offering of the year.
func OfferingsDoc(rows []figures.OfferingRow) output.Doc {
	t := &output.Tab{Columns: []string{"ref", "course", "title", "start", "status", "seats", "nominations", "committed",
		"participated", "alternates", "no_shows", "fill_rate"}}
	for _, r := range rows {
		t.Rows = append(t.Rows, []any{r.Ref, r.Course, r.Title, r.Start, r.Status, r.Seats, r.Nominations, r.Committed,
			r.Participated, r.Alternates, r.NoShows, r.FillRate})
	}
	return output.Doc{JSON: rows, Tab: t, Text: tableText(t, 11),
		Custom: map[string]func(io.Writer) error{output.MD: mdText(t, 11)}}
}

// UpcomingDoc is `report upcoming`: offerings that still need people.
func UpcomingDoc(rows []figures.UpcomingRow) output.Doc {
	t := &output.Tab{Columns: []string{"ref", "title", "start", "days_to_start", "deadline", "deadline_passed", "seats",
		"filled", "open", "waiting", "alternates"}}
	for _, r := range rows {
		t.Rows = append(t.Rows, []any{r.Ref, r.Title, r.Start, r.DaysToStart, r.Deadline, r.DeadlinePassed, r.Seats,
			r.Filled, r.Open, r.Waiting, r.Alternates})
	}
	text := func(w io.Writer, color bool) error {
		h := humanTab(t)
		for i, r := range rows {
			if r.Seats == nil {
				h.Rows[i][6], h.Rows[i][8] = "?", "?"
			}
			h.Rows[i][5] = map[bool]string{true: "passed", false: ""}[r.DeadlinePassed]
		}
		h.Columns = append([]string{}, h.Columns...)
		h.Columns[5] = "deadline_status"
		return writeTab(w, output.Table, h, color)
	}
	return output.Doc{JSON: rows, Tab: t, Text: text}
}

// EligibilityDoc is `report eligibility`: one row per nomination short of
// its course's prerequisites, its gaps joined in one cell.
func EligibilityDoc(rows []figures.EligibilityRow) output.Doc {
	t := &output.Tab{Columns: []string{"nomination_id", "person_id", "person_ref", "name", "ministry", "offering",
		"role", "status", "english", "min_english", "rank_code", "min_rank", "gaps"}}
	for _, r := range rows {
		msgs := make([]string, len(r.Gaps))
		for i, g := range r.Gaps {
			msgs[i] = g.Message
		}
		t.Rows = append(t.Rows, []any{r.NominationID, r.PersonID, r.PersonRef, r.Name, r.Ministry, r.Offering,
			r.Role, r.Status, r.English, r.MinEnglish, r.RankCode, r.MinRank, strings.Join(msgs, "; ")})
	}
	text := func(w io.Writer, color bool) error {
		short := &output.Tab{Columns: []string{"name", "person_ref", "ministry", "offering", "status", "gaps"}}
		for i, r := range rows {
			short.Rows = append(short.Rows, []any{r.Name, r.PersonRef, r.Ministry, r.Offering, r.Status, t.Rows[i][12]})
		}
		return writeTab(w, output.Table, short, color)
	}
	return output.Doc{JSON: rows, Tab: t, Text: text}
}

// PersonDoc is `report person`: the person, their totals and their course
// history. The table is the history; the text output heads it with who the
// person is and their totals.
func PersonDoc(p *figures.Person) output.Doc {
	t := &output.Tab{Columns: []string{"nomination_id", "offering", "course", "title", "area", "provider", "start", "end",
		"location", "role", "status"}}
	for _, n := range p.Nominations {
		t.Rows = append(t.Rows, []any{n.NominationID, n.Offering, n.Course, n.Title, n.Area, n.Provider, n.Start, n.End,
			n.Location, n.Role, n.Status})
	}
	text := func(w io.Writer, color bool) error {
		who := p.Name
		switch {
		case who == "": // known only by the Arabic name, from an Arabic sheet
			who = p.NameAr
		case p.NameAr != "":
			who += " (" + p.NameAr + ")"
		}
		fmt.Fprintf(w, "%s\n", who)
		var facts []string
		for _, f := range [][2]string{{"id", fmt.Sprint(p.ID)}, {"ref", p.Ref}, {"ministry", p.Ministry}, {"rank", p.Rank},
			{"rank code", p.RankCode}, {"position", p.Position}, {"gender", p.Gender}, {"english", p.English}} {
			if f[1] != "" {
				facts = append(facts, f[0]+" "+f[1])
			}
		}
		fmt.Fprintf(w, "%s\n", strings.Join(facts, " · "))
		fmt.Fprintf(w, "%d nominations · %d committed · %d participated · %d no-shows\n\n",
			p.Totals.Nominations, p.Totals.Committed, p.Totals.Participated, p.Totals.NoShow)
		if len(p.Nominations) == 0 {
			_, err := io.WriteString(w, "no nominations\n")
			return err
		}
		short := &output.Tab{Columns: []string{"offering", "title", "start", "end", "role", "status"}}
		for _, n := range p.Nominations {
			short.Rows = append(short.Rows, []any{n.Offering, n.Title, n.Start, n.End, n.Role, n.Status})
		}
		return writeTab(w, output.Table, short, color)
	}
	return output.Doc{JSON: p, Tab: t, Text: text}
}
