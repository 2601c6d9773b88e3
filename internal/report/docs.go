package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/nomtrack/nomtrack/internal/figures"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/output"
)

// humanTab copies t for people: rate cells (*float64) in the given columns
// become percentages, empty rates a dash. The copy feeds the table output;
// csv, tsv, json and xlsx keep the raw fractions.
func humanTab(t *output.Tab, rateCols ...int) *output.Tab {
	h := &output.Tab{Columns: t.Columns, Optional: t.Optional, Rows: make([][]any, len(t.Rows))}
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

// Demand levels: the rows of the demand report's csv and tsv say whether
// they are one ministry and area, a ministry's total or the grand total.
const (
	LevelArea     = "area"
	LevelMinistry = "ministry"
	LevelTotal    = "total"
)

// DemandTab is `report demand` as one long table, fill rates raw: each
// ministry's areas followed by the ministry's total, then the grand total
// (ministry and area empty), tagged by their level so a filter or a pivot
// keeps the ones it wants.
func DemandTab(d *figures.Demand) *output.Tab {
	t := &output.Tab{Columns: []string{"level", "ministry", "area", "requested", "nominations", "committed",
		"participated", "fill_rate"}}
	row := func(level string, r figures.DemandRow) []any {
		return []any{level, r.Ministry, r.Area, r.Requested, r.Nominations, r.Committed, r.Participated, r.FillRate}
	}
	m := 0
	for i, r := range d.Rows {
		t.Rows = append(t.Rows, row(LevelArea, r))
		if i == len(d.Rows)-1 || d.Rows[i+1].Ministry != r.Ministry {
			t.Rows = append(t.Rows, row(LevelMinistry, d.ByMinistry[m]))
			m++
		}
	}
	t.Rows = append(t.Rows, row(LevelTotal, d.Total))
	return t
}

// DemandDoc is `report demand`: one row per ministry and area, each
// ministry's total and the grand total. The table and md show totals as
// "(all areas)" and "all ministries" rows, without the level column.
func DemandDoc(d *figures.Demand) output.Doc {
	t := DemandTab(d)
	human := func() *output.Tab {
		h := &output.Tab{Columns: t.Columns[1:]}
		for _, row := range humanTab(t, 7).Rows {
			r := append([]any(nil), row[1:]...)
			switch row[0] {
			case LevelMinistry:
				r[1] = "(all areas)"
			case LevelTotal:
				r[0], r[1] = "all ministries", "(all areas)"
			}
			h.Rows = append(h.Rows, r)
		}
		return h
	}
	return output.Doc{JSON: d, Tab: t,
		Text: func(w io.Writer, color bool) error {
			if len(d.Rows) == 0 {
				_, err := io.WriteString(w, "no requests or nominations\n")
				return err
			}
			return writeTab(w, output.Table, human(), color)
		},
		Custom: map[string]func(io.Writer) error{output.MD: func(w io.Writer) error {
			return writeTab(w, output.MD, human(), false)
		}}}
}

// OfferingsDoc is `report offerings`: one row per offering of the year.
func OfferingsDoc(rows []figures.OfferingRow) output.Doc {
	t := &output.Tab{Columns: []string{"ref", "course", "title", "start", "status", "seats", "nominations", "committed",
		"participated", "alternates", "no_shows", "fill_rate"}, Optional: []string{"course", "start", "alternates", "no_shows", "nominations"}}
	for _, r := range rows {
		t.Rows = append(t.Rows, []any{r.Ref, r.Course, r.Title, r.Start, r.Status, r.Seats, r.Nominations, r.Committed,
			r.Participated, r.Alternates, r.NoShows, r.FillRate})
	}
	return output.Doc{JSON: rows, Tab: t, Text: tableText(t, 11),
		Custom: map[string]func(io.Writer) error{output.MD: mdText(t, 11)}}
}

// UpcomingDoc is `report upcoming`: open offerings whose deadline or start
// is near, with the days left and the seats still to fill.
func UpcomingDoc(rows []figures.UpcomingRow) output.Doc {
	t := &output.Tab{Columns: []string{"ref", "title", "deadline", "days_to_deadline", "start", "days_to_start", "seats",
		"committed", "open_seats", "awaiting_approval", "alternates"}, Optional: []string{"days_to_deadline", "start", "committed", "awaiting_approval", "alternates"}}
	for _, r := range rows {
		t.Rows = append(t.Rows, []any{r.Ref, r.Title, r.Deadline, r.DaysToDeadline, r.Start, r.DaysToStart, r.Seats,
			r.Committed, r.OpenSeats, r.AwaitingApproval, r.Alternates})
	}
	text := func(w io.Writer, color bool) error {
		h := humanTab(t)
		for i, r := range rows {
			if r.Seats == nil {
				h.Rows[i][6], h.Rows[i][8] = "?", "?"
			}
		}
		return writeTab(w, output.Table, h, color)
	}
	return output.Doc{JSON: rows, Tab: t, Text: text}
}

// EligibilityDoc is `report eligibility`: one row per nomination short of
// its course's prerequisites, its gaps joined in one cell. Its 30,000 rows
// of a year at 1,000,000 nominations are written as they are made
// (output.Tab.Each), and the gaps, shared by the rows of one profile and
// course, are joined once for each.
func EligibilityDoc(rows []figures.EligibilityRow) output.Doc {
	gaps := eligibilityGaps(rows)
	t := &output.Tab{Columns: []string{"nomination_id", "person_id", "person_ref", "name", "ministry", "offering",
		"role", "status", "english", "min_english", "rank_code", "min_rank", "gaps"}}
	t.Each = func(write func(cells ...output.Value) error) error {
		for i, r := range rows {
			err := write(output.Int(r.NominationID), output.Int(r.PersonID), output.Text(r.PersonRef),
				output.Text(r.Name), output.Text(r.Ministry), output.Text(r.Offering), output.Text(r.Role),
				output.Text(r.Status), output.Text(r.English), output.Text(r.MinEnglish), output.Text(r.RankCode),
				output.Text(r.MinRank), output.Text(gaps[i]))
			if err != nil {
				return err
			}
		}
		return nil
	}
	text := func(w io.Writer, color bool) error {
		if len(rows) == 0 {
			return output.ErrNoResults
		}
		short := &output.Tab{Columns: []string{"name", "person_ref", "ministry", "offering", "status", "gaps"},
			Optional: []string{"person_ref", "status", "ministry"}}
		short.Each = func(write func(cells ...output.Value) error) error {
			for i, r := range rows {
				err := write(output.Text(r.Name), output.Text(r.PersonRef), output.Text(r.Ministry),
					output.Text(r.Offering), output.Text(r.Status), output.Text(gaps[i]))
				if err != nil {
					return err
				}
			}
			return nil
		}
		return writeTab(w, output.Table, short, color)
	}
	return output.Doc{JSON: rows, Tab: t, Text: text}
}

// eligibilityGaps is each row's gaps as one cell, their messages joined
// by "; ", each list joined once however many rows share it.
func eligibilityGaps(rows []figures.EligibilityRow) []string {
	out := make([]string, len(rows))
	type list struct {
		first *nomtrack.Gap
		n     int
	}
	joined := map[list]string{}
	for i, r := range rows {
		if len(r.Gaps) == 0 {
			continue
		}
		k := list{&r.Gaps[0], len(r.Gaps)}
		s, ok := joined[k]
		if !ok {
			msgs := make([]string, len(r.Gaps))
			for j, g := range r.Gaps {
				msgs[j] = g.Message
			}
			s = strings.Join(msgs, "; ")
			joined[k] = s
		}
		out[i] = s
	}
	return out
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
		short := &output.Tab{Columns: []string{"offering", "title", "start", "end", "role", "status"},
			Optional: []string{"end", "role", "start"}}
		for _, n := range p.Nominations {
			short.Rows = append(short.Rows, []any{n.Offering, n.Title, n.Start, n.End, n.Role, n.Status})
		}
		return writeTab(w, output.Table, short, color)
	}
	return output.Doc{JSON: p, Tab: t, Text: text}
}

// RepeatDoc is `report repeat`: one row per person with their courses
// joined in one cell ("M5-106 2012-03-05, ETE-10 2012-06-11"); JSON keeps
// the courses as a list.
func RepeatDoc(rows []figures.RepeatRow) output.Doc {
	t := &output.Tab{Columns: []string{"person_id", "person", "ref", "ministry", "participations", "courses"}}
	for _, r := range rows {
		t.Rows = append(t.Rows, []any{r.PersonID, r.Person, r.Ref, r.Ministry, r.Participations, RepeatCourses(r)})
	}
	text := func(w io.Writer, color bool) error {
		if len(rows) == 0 {
			_, err := io.WriteString(w, "nobody participated that often\n")
			return err
		}
		return writeTab(w, output.Table, repeatsTab(rows), color)
	}
	return output.Doc{JSON: rows, Tab: t, Text: text}
}

// CostsTab is `report costs` as one long table for csv and tsv: a total
// row, each breakdown's rows tagged by their dimension, then the offerings
// of unknown fee (dimension "unknown_fee", key the offering). Amounts are
// raw numbers in figures.Currency, empty when no fee is known.
func CostsTab(c *figures.Costs) *output.Tab {
	t := &output.Tab{Columns: []string{"year", "dimension", "key", "committed_fees", "committed_nominations",
		"committed_unknown_fee", "participated_fees", "participated_nominations", "participated_unknown_fee"}}
	row := func(dim, key string, cm, p figures.Fees) []any {
		return []any{c.Year, dim, key, cm.Amount(), cm.Nominations, cm.UnknownFee, p.Amount(), p.Nominations, p.UnknownFee}
	}
	t.Rows = append(t.Rows, row("total", strconv.Itoa(c.Year), c.Committed, c.Participated))
	for _, b := range c.Breakdowns() {
		for _, r := range b.Rows {
			t.Rows = append(t.Rows, row(b.Dimension, r.Key, r.Committed, r.Participated))
		}
	}
	for _, u := range c.UnknownFees {
		t.Rows = append(t.Rows, []any{c.Year, "unknown_fee", u.Offering, nil, u.Committed, u.Committed, nil,
			u.Participated, u.Participated})
	}
	return t
}

// unknownFeesTab lists the offerings of unknown fee for people.
func unknownFeesTab(rows []figures.UnknownFeeRow) *output.Tab {
	t := &output.Tab{Columns: []string{"offering", "title", "provider", "committed", "participated"}}
	for _, r := range rows {
		t.Rows = append(t.Rows, []any{r.Offering, r.Title, displayKey(figures.DimProvider, r.Provider), r.Committed, r.Participated})
	}
	return t
}

// costsSections are the titled tables of `report costs` for people.
func costsSections(c *figures.Costs) []yearSection {
	var out []yearSection
	for _, b := range c.Breakdowns() {
		s := yearSection{title: "By " + b.Dimension, tab: costTab(b)}
		if len(b.Rows) == 0 {
			s.empty = "no committed nominations"
		}
		out = append(out, s)
	}
	s := yearSection{title: "Offerings without a fee (cost unknown)", tab: unknownFeesTab(c.UnknownFees)}
	if len(c.UnknownFees) == 0 {
		s.empty = "every committed nomination has a course fee"
	}
	return append(out, s)
}

// CostsDoc is `report costs YEAR`: the totals, fees by funding source,
// ministry, area and provider, and the offerings whose fee is unknown.
func CostsDoc(c *figures.Costs) output.Doc {
	head := func(w io.Writer, md bool) {
		title := fmt.Sprintf("Course fees %d (%s)", c.Year, c.Currency)
		if md {
			fmt.Fprintf(w, "# %s\n\n", title)
		} else {
			fmt.Fprintf(w, "%s\n", title)
		}
		fmt.Fprintf(w, "committed:    %s\nparticipated: %s\n", feesLine(c.Committed), feesLine(c.Participated))
	}
	text := func(w io.Writer, color bool) error {
		head(w, false)
		for _, s := range costsSections(c) {
			fmt.Fprintf(w, "\n%s\n", s.title)
			if s.empty != "" {
				fmt.Fprintln(w, s.empty)
				continue
			}
			if err := writeTab(w, output.Table, s.tab, color); err != nil {
				return err
			}
		}
		return nil
	}
	markdown := func(w io.Writer) error {
		head(w, true)
		for _, s := range costsSections(c) {
			fmt.Fprintf(w, "\n## %s\n\n", s.title)
			if s.empty != "" {
				fmt.Fprintln(w, sentence(s.empty))
				continue
			}
			if err := writeTab(w, output.MD, s.tab, false); err != nil {
				return err
			}
		}
		return nil
	}
	return output.Doc{JSON: c, Tab: CostsTab(c), Text: text, Custom: map[string]func(io.Writer) error{output.MD: markdown}}
}

// PendingDoc is `report pending`: one row per item that needs the
// coordinator's hand, with the command that settles it.
func PendingDoc(rows []figures.PendingRow) output.Doc {
	t := &output.Tab{Columns: []string{"kind", "offering", "nomination", "person", "name", "since", "action"}}
	for _, r := range rows {
		t.Rows = append(t.Rows, []any{r.Kind, r.Offering, r.Nomination, r.Person, r.Name, r.Since, r.Action})
	}
	return output.Doc{JSON: rows, Tab: t}
}
