package cli

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/output"
	"github.com/nomtrack/nomtrack/internal/sheet"
	"github.com/spf13/cobra"
)

// This file holds what the record commands (course, offering, person,
// nominate, nomination, request, capacity) share: checking flags and values
// before any work, and the views of each record as a table row and as the
// key/value block of `show`.

// requireFlags refuses, with exit 2, a command missing required flags. Cobra's
// own MarkFlagRequired error does not carry the usage exit code.
func requireFlags(cmd *cobra.Command, names ...string) error {
	var missing []string
	for _, n := range names {
		if !cmd.Flags().Changed(n) {
			missing = append(missing, "--"+n)
		}
	}
	if len(missing) > 0 {
		return usageErrorf(cmd, "missing required flag%s %s", plural(len(missing)), strings.Join(missing, ", "))
	}
	return nil
}

// dateFlag reads a date given to flag (YYYY-MM-DD, or any written form
// sheets use, read in the configured date order) and returns it as
// YYYY-MM-DD; "" stays "". A bare number is not a date on the command line:
// sheets may hold Excel serials, but `--start 2026` means a year, not
// 1905-07-18.
func dateFlag(app *App, flag, value string) (string, error) {
	if strings.TrimSpace(value) == "" {
		return "", nil
	}
	if v := strings.TrimSpace(value); isAllDigits(v) {
		return "", nomtrack.Errorf(nomtrack.EUSAGE, "--%s: %s is not a date; write YYYY-MM-DD", flag, v)
	}
	cfg, err := app.Config()
	if err != nil {
		return "", err
	}
	d, err := sheet.ParseDate(value, sheet.DateOrder(cfg.DateOrder))
	if err == nil {
		err = nomtrack.ValidateDate(d)
	}
	if err != nil {
		return "", nomtrack.Errorf(nomtrack.EUSAGE, "--%s: %s", flag, nomtrack.ErrorMessage(err))
	}
	return d, nil
}

// checkRecord returns a record's Validate error naming the flag of the
// invalid value ("--email: is not an e-mail address"); positional
// arguments (a course's CODE) are named by the message itself.
func checkRecord(err error) error {
	var inv *nomtrack.Invalid
	if !errors.As(err, &inv) {
		return err
	}
	switch inv.Field {
	case "code", "course":
		return inv.Err
	}
	return nomtrack.Errorf(nomtrack.EINVALID, "--%s: %s", strings.ReplaceAll(inv.Field, "_", "-"), inv.Err.Message)
}

// checkEdited is checkRecord for an edit: a value the record already held
// that is refused now (a ref stored with an invisible character before such
// refs were refused, which db check lists) is named as the stored value,
// with the flag that corrects it, instead of as a flag the user did not
// give.
func checkEdited(cmd *cobra.Command, err error) error {
	var inv *nomtrack.Invalid
	if errors.As(err, &inv) {
		flag := strings.ReplaceAll(inv.Field, "_", "-")
		if f := cmd.Flags().Lookup(flag); f != nil && !f.Changed {
			return nomtrack.Errorf(nomtrack.EINVALID, "the stored %s is refused now: %s; give --%s with the corrected value in this edit (nomtrack db check lists such values)",
				strings.ReplaceAll(inv.Field, "_", " "), inv.Err.Message, flag)
		}
	}
	return checkRecord(err)
}

// parseID reads the numeric id of a record given as an argument; a
// malformed id is a usage error (exit 2), like any malformed argument.
func parseID(kind, s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || id <= 0 {
		return 0, nomtrack.Errorf(nomtrack.EUSAGE, "%s id %q is not a number; give the id that 'nomtrack %s list' shows", kind, s, kind)
	}
	return id, nil
}

// usageOf makes a flag's or argument's value that nomtrack cannot read (an
// unknown status, area, gender, visa …) a usage error, exit 2 (SPEC §7),
// keeping its sentence. The domain's parsers say EINVALID because the same
// value in an imported row is a row error (exit 3).
func usageOf(err error) error {
	var e *nomtrack.Error
	if errors.As(err, &e) && e.Code == nomtrack.EINVALID {
		return nomtrack.Errorf(nomtrack.EUSAGE, "%s", e.Message)
	}
	return err
}

// statusFilter reads repeated --status flags and comma lists (any of them)
// into the filter's comma-separated form, each status checked ("" = all).
func statusFilter(values []string) (string, error) {
	var out []string
	for _, v := range values {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s == "" {
				continue
			}
			st, err := nomtrack.ParseStatus(s)
			if err != nil {
				return "", usageOf(err)
			}
			if !slices.Contains(out, st) {
				out = append(out, st)
			}
		}
	}
	return strings.Join(out, ","), nil
}

// offeringStatusFilter reads repeated --status flags and comma lists of
// offering statuses (any of them), each checked; none selects all.
func offeringStatusFilter(values []string) ([]string, error) {
	var out []string
	for _, v := range values {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s == "" {
				continue
			}
			st, err := nomtrack.ParseOfferingStatus(s)
			if err != nil {
				return nil, usageOf(err)
			}
			if !slices.Contains(out, st) {
				out = append(out, st)
			}
		}
	}
	return out, nil
}

// parseYear reads a year argument or flag value.
func parseYear(s string) (int, error) {
	y, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || y < 1900 || y > 2999 {
		return 0, nomtrack.Errorf(nomtrack.EUSAGE, "year %q is not a year between 1900 and 2999", s)
	}
	return y, nil
}

// checkYearFlag validates a --year flag that was given.
func checkYearFlag(cmd *cobra.Command, year int) error {
	if cmd.Flags().Changed("year") && (year < 1900 || year > 2999) {
		return nomtrack.Errorf(nomtrack.EUSAGE, "--year %d is not a year between 1900 and 2999", year)
	}
	return nil
}

// checkCount refuses a negative count given to flag: a well-formed number
// out of range is rejected data (exit 3); a malformed one never gets here
// (pflag's error, exit 2).
func checkCount(flag string, n int) error {
	if n < 0 {
		return nomtrack.Errorf(nomtrack.EINVALID, "--%s %d is negative; give 0 or more", flag, n)
	}
	return nil
}

// englishValue returns a STANAG 6001 profile in its canonical form ("" stays "").
func englishValue(flag, s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", nil
	}
	e, err := nomtrack.ParseEnglish(s)
	if err != nil {
		return "", nomtrack.Errorf(nomtrack.EUSAGE, "--%s: %s", flag, nomtrack.ErrorMessage(err))
	}
	return e.String(), nil
}

// rankValue returns a NATO rank code in its canonical form ("" stays "").
func rankValue(flag, s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", nil
	}
	r, err := nomtrack.ParseRankCode(s)
	if err != nil {
		return "", nomtrack.Errorf(nomtrack.EUSAGE, "--%s: %s", flag, nomtrack.ErrorMessage(err))
	}
	return r, nil
}

// ministryValue resolves a ministry through the configured vocabulary (any
// value when none is configured).
func ministryValue(app *App, s string) (string, error) {
	v, err := app.Ministries()
	if err != nil {
		return "", err
	}
	return v.Resolve("ministry", nomtrack.StripInvisible(s))
}

// areaValue resolves an area of cooperation through the configured areas.
func areaValue(app *App, s string) (string, error) {
	v, err := app.Areas()
	if err != nil {
		return "", err
	}
	a, err := v.Resolve("area", nomtrack.StripInvisible(s))
	return a, usageOf(err)
}

// configuredCapacity is config `capacity` (default 500).
func configuredCapacity(app *App) (int, error) {
	cfg, err := app.Config()
	if err != nil {
		return 0, err
	}
	return cfg.Capacity, nil
}

// kv is one line of a `show` block.
type kv struct {
	key   string
	value any
}

// writeBlock writes keys and values as an aligned vertical block, the way
// `show` commands start. Empty values are left out: the block is for
// reading; -o json and csv carry every field.
func writeBlock(w io.Writer, rows []kv) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, r := range rows {
		if v := nomtrack.Printable(output.Shown(r.value)); v != "" {
			fmt.Fprintf(tw, "%s:\t%s\n", r.key, v)
		}
	}
	return tw.Flush()
}

// writeSection writes a blank line, a title and a table (or "none").
func writeSection(w io.Writer, title string, t *output.Tab) error {
	fmt.Fprintf(w, "\n%s:\n", title)
	if len(t.Rows) == 0 {
		_, err := fmt.Fprintln(w, "  none")
		return err
	}
	return output.Write(&output.Streams{Out: w}, output.Options{Format: output.Table}, []string{output.Table}, output.Doc{Tab: t})
}

// blockDoc is the Doc of a single record: JSON as given, a key/value block as
// table, and the same fields as a one-row table for csv/tsv/md.
func blockDoc(v any, rows []kv) output.Doc {
	t := &output.Tab{Rows: [][]any{make([]any, len(rows))}}
	for i, r := range rows {
		t.Columns = append(t.Columns, r.key)
		t.Rows[0][i] = r.value
	}
	return output.Doc{JSON: v, Tab: t, Text: func(w io.Writer, _ bool) error { return writeBlock(w, rows) }}
}

func courseBlock(c *nomtrack.Course) []kv {
	return []kv{{"code", c.Code}, {"etoc_code", c.EtocCode}, {"title", c.Title}, {"area", c.Area}, {"provider", c.Provider},
		{"days", daysCell(c.Days)}, {"fee", feeCell(c.Fee)}, {"min_english", c.MinEnglish}, {"min_rank", c.MinRank}, {"requires", c.Requires}}
}

// feeCell is a course's fee: "unknown" in a table when no fee is known, so
// it never passes for a free course (0); null in JSON and an empty cell in
// csv and xlsx, as an export writes it.
func feeCell(fee *float64) any {
	if fee == nil {
		return output.Unknown("unknown")
	}
	return *fee
}

// daysCell is a course's length as feeCell is its fee: "unknown" in a
// table when not known, never 0; null in JSON, an empty cell in csv and xlsx.
func daysCell(days *int) any {
	if days == nil {
		return output.Unknown("unknown")
	}
	return *days
}

func courseTab(list []*nomtrack.Course) *output.Tab {
	t := &output.Tab{Columns: []string{"code", "etoc_code", "title", "area", "provider", "days", "fee", "min_english", "min_rank", "requires"},
		HideEmpty: []string{"requires"},
		Optional:  []string{"etoc_code", "requires", "min_rank", "min_english", "fee", "days", "provider"}}
	for _, c := range list {
		t.Rows = append(t.Rows, []any{c.Code, c.EtocCode, c.Title, c.Area, c.Provider, daysCell(c.Days), feeCell(c.Fee), c.MinEnglish, c.MinRank, c.Requires})
	}
	return t
}

func offeringBlock(o *nomtrack.Offering) []kv {
	rows := []kv{{"ref", o.Ref}, {"course", o.Course}, {"title", o.Title}, {"area", o.Area}, {"start", output.Date(o.Start)}, {"end", output.Date(o.End)},
		{"location", o.Location}, {"seats", seatsCell(o.Seats)}, {"deadline", output.Date(o.Deadline)}, {"status", o.Status}}
	if o.CancelReason != "" {
		rows = append(rows, kv{"cancel_reason", o.CancelReason})
	}
	return rows
}

// seatsCell says when seats are not yet announced, which is not 0 seats.
func seatsCell(p *int) any {
	if p == nil {
		return "not announced"
	}
	return *p
}

func offeringTab(list []*nomtrack.Offering) *output.Tab {
	t := &output.Tab{Columns: []string{"ref", "title", "area", "start", "end", "location", "seats", "deadline", "status"},
		Optional: []string{"location", "end", "area", "deadline"}}
	for _, o := range list {
		t.Rows = append(t.Rows, []any{o.Ref, o.Title, o.Area, output.Date(o.Start), output.Date(o.End), o.Location, o.Seats,
			output.Date(o.Deadline), o.Status})
	}
	return t
}

func personBlock(p *nomtrack.Person) []kv {
	return []kv{{"id", p.ID}, {"ref", p.Ref}, {"name", p.Name}, {"name_ar", p.NameAr}, {"ministry", p.Ministry}, {"rank", p.Rank},
		{"rank_code", p.RankCode}, {"position", p.Position}, {"gender", p.Gender}, {"english", p.English}, {"email", p.Email}, {"phone", p.Phone}}
}

// personTab lists people; contact details are in -o json and `person show`.
// The Arabic name may drop on a narrow terminal, unless someone listed is
// known by it alone: then it is that person's name.
func personTab(list []*nomtrack.Person) *output.Tab {
	t := &output.Tab{Columns: []string{"id", "ref", "name", "name_ar", "ministry", "rank", "rank_code", "gender", "english"},
		Optional: []string{"rank", "gender", "english", "rank_code", "name_ar"}}
	for _, p := range list {
		t.Rows = append(t.Rows, []any{p.ID, p.Ref, p.Name, p.NameAr, p.Ministry, p.Rank, p.RankCode, p.Gender, p.English})
		if p.Name == "" {
			t.Optional = []string{"rank", "gender", "english", "rank_code"}
		}
	}
	return t
}

func nominationBlock(n *nomtrack.Nomination) []kv {
	return []kv{{"id", n.ID}, {"person_id", n.PersonID}, {"person_ref", n.PersonRef}, {"name", n.Name}, {"ministry", n.Ministry},
		{"rank", n.Rank}, {"rank_code", n.RankCode}, {"english", n.English}, {"offering", n.Offering}, {"course", n.Course}, {"area", n.Area},
		{"start", output.Date(n.Start)}, {"role", n.Role}, {"alt_order", n.AltOrder}, {"status", n.Status}, {"note", n.Note}, {"visa", n.Visa},
		{"clearance", n.Clearance}, {"adl", output.Date(n.ADL)}, {"funding", n.Funding}, {"certificate", n.Certificate},
		{"created_at", n.CreatedAt}, {"updated_at", n.UpdatedAt}}
}

// nominationTab lists nominations; the csv/tsv/md forms carry the same
// columns as the JSON minus the timestamps.
func nominationTab(list []*nomtrack.Nomination) *output.Tab {
	t := &output.Tab{Columns: []string{"id", "offering", "person_id", "person_ref", "name", "ministry", "role", "alt_order", "status",
		"visa", "clearance", "adl", "funding", "certificate", "note"},
		HideEmpty: optionalNominationColumns,
		Optional:  []string{"note", "certificate", "funding", "adl", "clearance", "visa", "person_id", "alt_order", "role", "person_ref"}}
	for _, n := range list {
		t.Rows = append(t.Rows, []any{n.ID, n.Offering, n.PersonID, n.PersonRef, n.Name, n.Ministry, n.Role, n.AltOrder, n.Status,
			n.Visa, n.Clearance, output.Date(n.ADL), n.Funding, n.Certificate, n.Note})
	}
	return t
}

// optionalNominationColumns are left out of a table when no row has a
// value in them, so the daily lists stay narrow until the calendar's
// fields are used; csv, tsv, md and json always carry them.
var optionalNominationColumns = []string{"alt_order", "visa", "clearance", "adl", "funding", "certificate"}

// nominationListDoc is a list of nominations: every column in csv and the
// other flat formats; the table leaves out the calendar's columns while no
// row has a value in them (Tab.HideEmpty).
func nominationListDoc(list []*nomtrack.Nomination) output.Doc {
	return output.Doc{JSON: list, Tab: nominationTab(list)}
}

// rosterTab lists an offering's nominations under `offering show`.
func rosterTab(list []*nomtrack.Nomination) *output.Tab {
	t := &output.Tab{Columns: []string{"id", "person_id", "person_ref", "name", "ministry", "role", "alt_order", "status",
		"visa", "clearance", "adl", "funding", "certificate", "note"},
		HideEmpty: optionalNominationColumns,
		Optional:  []string{"note", "certificate", "funding", "adl", "clearance", "visa", "person_id", "person_ref"}}
	for _, n := range list {
		t.Rows = append(t.Rows, []any{n.ID, n.PersonID, n.PersonRef, n.Name, n.Ministry, n.Role, n.AltOrder, n.Status,
			n.Visa, n.Clearance, output.Date(n.ADL), n.Funding, n.Certificate, n.Note})
	}
	return t
}

func eventTab(list []nomtrack.Event) *output.Tab {
	t := &output.Tab{Columns: []string{"at", "actor", "kind", "from", "to", "reason", "source", "correction"},
		Optional: []string{"source", "correction", "actor"}}
	for _, e := range list {
		corr := ""
		if e.Correction {
			corr = "yes"
		}
		from, to := e.From, e.To
		if e.Kind == "edit" { // a field's values, not statuses: say which field
			from, to = e.Field+": "+from, e.Field+": "+to
		}
		t.Rows = append(t.Rows, []any{e.At.Format(time.RFC3339), e.Actor, e.Kind, from, to, e.Reason, e.Source, corr})
	}
	return t
}
