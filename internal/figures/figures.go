// Package figures holds the figures of nomtrack's reports (SPEC §3, §5) as
// plain Go values: what a report says, not how it looks. The store
// (internal/store) fills them; the renderers (internal/report: table, md,
// csv, html, xlsx) present them; JSON is their own encoding, so a script
// reads the same fields whichever renderer a person uses.
//
// The package imports only the standard library and the domain
// (internal/nomtrack), so the store links no rendering library and a
// rendering can be tested from a hand-built value without a database.
//
// Counting follows SPEC §2: committed = approved + confirmed + attended +
// completed; participated = attended + completed; participants = distinct
// people who participated; utilisation = participated / capacity.
package figures

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// Counts are the counting rules of SPEC §2 applied to one group of
// nominations.
type Counts struct {
	Nominations  int `json:"nominations"`
	Committed    int `json:"committed"`
	Participated int `json:"participated"`
	NoShow       int `json:"no_show"`
}

// Group is one row of a breakdown: the nominations sharing one value of the
// dimension.
type Group struct {
	// Key is the dimension's value ("MoD", "counter-terrorism", "2012-03");
	// empty when the records leave it blank (a person without a gender).
	Key string
	// Label is the course title for the course dimension, else empty.
	Label string
	Counts
	// Participants counts the distinct people who participated in the
	// group: one person on two courses of the group counts once.
	Participants int
	// Folded, when above 0, marks the OtherKey group of a breakdown cut to
	// its top groups (--top): the number of groups it sums.
	Folded int
}

// OtherKey is the key of the group that sums, after a breakdown's top
// groups (--top N), all the others; its Folded says how many.
const OtherKey = "other"

// Breakdown is a year's nominations grouped by one dimension. In JSON it is
// an array whose elements carry the key under the dimension's name, as
// SPEC §5 asks: {"ministry": "MoD", "nominations": 12, …}.
type Breakdown struct {
	Dimension string
	Groups    []Group
}

// Dimensions of the yearly report, in the order it presents them.
const (
	DimMinistry = "ministry"
	DimArea     = "area"
	DimCourse   = "course"
	DimProvider = "provider"
	DimMonth    = "month"
	DimGender   = "gender"
	// DimFunding groups costs by funding source (FundingSources).
	DimFunding = "funding"
)

// Dimensions lists the breakdowns of the yearly report in presentation order.
var Dimensions = []string{DimMinistry, DimArea, DimCourse, DimProvider, DimMonth, DimGender}

// MarshalJSON writes the groups as an array (never null) of flat objects.
func (b Breakdown) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('[')
	for i, g := range b.Groups {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteByte('{')
		writeJSONString(&buf, b.Dimension)
		buf.WriteByte(':')
		writeJSONString(&buf, g.Key)
		if b.Dimension == DimCourse {
			buf.WriteString(`,"title":`)
			writeJSONString(&buf, g.Label)
		}
		buf.WriteString(`,"nominations":` + strconv.Itoa(g.Nominations))
		buf.WriteString(`,"committed":` + strconv.Itoa(g.Committed))
		buf.WriteString(`,"participated":` + strconv.Itoa(g.Participated))
		buf.WriteString(`,"participants":` + strconv.Itoa(g.Participants))
		buf.WriteString(`,"no_show":` + strconv.Itoa(g.NoShow))
		if g.Folded > 0 {
			buf.WriteString(`,"folded":` + strconv.Itoa(g.Folded))
		}
		buf.WriteByte('}')
	}
	buf.WriteByte(']')
	return buf.Bytes(), nil
}

func writeJSONString(buf *bytes.Buffer, s string) {
	b, _ := json.Marshal(s) // a string always marshals
	buf.Write(b)
}

// StatusCounts counts nominations per status. In JSON it is an object with
// every status of the lifecycle present, zeros included, in lifecycle order,
// so that a script can read any status without checking it exists.
type StatusCounts map[string]int

// MarshalJSON writes every status in nomtrack.Statuses order.
func (s StatusCounts) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, st := range nomtrack.Statuses {
		if i > 0 {
			buf.WriteByte(',')
		}
		writeJSONString(&buf, st)
		buf.WriteString(":" + strconv.Itoa(s[st]))
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// Capacity sources: a per-year row of the capacity table, or the configured
// default (config `capacity`, 500 unless set).
const (
	CapacitySet     = "set"
	CapacityDefault = "default"
)

// Year is the yearly report (`report year YEAR`): participation against
// capacity, with breakdowns.
type Year struct {
	Year           int    `json:"year"`
	Capacity       int    `json:"capacity"`
	CapacitySource string `json:"capacity_source"`
	// Nominations counts every nomination of the year, whatever its status.
	Nominations  int `json:"nominations"`
	Committed    int `json:"committed"`
	Participated int `json:"participated"`
	Participants int `json:"participants"`
	NoShow       int `json:"no_show"`
	// Utilisation is Participated/Capacity as a fraction; null when the
	// capacity is 0.
	Utilisation *float64     `json:"utilisation"`
	ByStatus    StatusCounts `json:"by_status"`
	ByMinistry  Breakdown    `json:"by_ministry"`
	ByArea      Breakdown    `json:"by_area"`
	ByCourse    Breakdown    `json:"by_course"`
	ByProvider  Breakdown    `json:"by_provider"`
	ByMonth     Breakdown    `json:"by_month"`
	ByGender    Breakdown    `json:"by_gender"`
	// Women is women's participation as distinct people (UNSCR 1325
	// reporting), overall and per ministry.
	Women Women `json:"women"`
	// RepeatParticipants counts the people who participated two or more
	// times in the year.
	RepeatParticipants int `json:"repeat_participants"`
	// Cost is the year's course fees, committed and participated.
	Cost Cost `json:"cost"`
	// Repeats lists the repeat participants with their courses, for the
	// HTML and XLSX renderings; not part of the JSON (use `report repeat`).
	// Nil unless asked for.
	Repeats []RepeatRow `json:"-"`
	// Trend is the participation of every year up to this one, for the
	// by-year chart of the HTML and XLSX renderings; it is not part of the
	// JSON (use `report trend`). Nil unless asked for.
	Trend []TrendRow `json:"-"`
}

// Breakdowns returns the year's breakdowns in presentation order.
func (y *Year) Breakdowns() []Breakdown {
	return []Breakdown{y.ByMinistry, y.ByArea, y.ByCourse, y.ByProvider, y.ByMonth, y.ByGender}
}

// TrendRow is one year of `report trend`.
type TrendRow struct {
	Year           int      `json:"year"`
	Capacity       int      `json:"capacity"`
	CapacitySource string   `json:"capacity_source"`
	Nominations    int      `json:"nominations"`
	Committed      int      `json:"committed"`
	Participated   int      `json:"participated"`
	Participants   int      `json:"participants"`
	Utilisation    *float64 `json:"utilisation"`
}

// Demand is `report demand YEAR`: each ministry's requests against what
// was nominated, committed and attended, per area, per ministry and in all.
// A ministry and area with nominations but no request, or a request but no
// nominations, has a row.
type Demand struct {
	Year int `json:"year"`
	// Rows has one row per ministry and area, by ministry then area.
	Rows []DemandRow `json:"rows"`
	// ByMinistry totals each ministry's rows (Area is empty).
	ByMinistry []DemandRow `json:"by_ministry"`
	// Total totals every row (Ministry and Area are empty).
	Total DemandRow `json:"total"`
}

// DemandRow is one ministry and area of `report demand` (or a total of
// several): what the ministry requested against what was nominated,
// committed and attended. Nominations count under the ministry they were
// made under.
type DemandRow struct {
	Ministry string `json:"ministry"`
	Area     string `json:"area"`
	// Requested is the seats the ministry's requests asked for; null
	// without a request.
	Requested    *int `json:"requested"`
	Nominations  int  `json:"nominations"`
	Committed    int  `json:"committed"`
	Participated int  `json:"participated"`
	// FillRate is Committed/Requested: how much of the request was met
	// with funded seats. Null without a request (or for a request of 0
	// seats).
	FillRate *float64 `json:"fill_rate"`
}

// Add counts r into d (a total): requests add up when either has one.
func (d *DemandRow) Add(r DemandRow) {
	if r.Requested != nil {
		n := *r.Requested
		if d.Requested != nil {
			n += *d.Requested
		}
		d.Requested = &n
	}
	d.Nominations += r.Nominations
	d.Committed += r.Committed
	d.Participated += r.Participated
	d.FillRate = nil
	if d.Requested != nil {
		d.FillRate = Ratio(d.Committed, *d.Requested)
	}
}

// OfferingRow is one offering of `report offerings`.
type OfferingRow struct {
	Ref    string `json:"ref"`
	Course string `json:"course"`
	Title  string `json:"title"`
	Area   string `json:"area"`
	Start  string `json:"start"`
	End    string `json:"end"`
	// Seats allotted to the partner; null when not announced yet.
	Seats        *int   `json:"seats"`
	Status       string `json:"status"`
	Nominations  int    `json:"nominations"`
	Committed    int    `json:"committed"`
	Participated int    `json:"participated"`
	// Alternates counts the nominations put forward as alternates.
	Alternates int `json:"alternates"`
	NoShows    int `json:"no_shows"`
	// FillRate is Committed/Seats; null when the seats are unknown or 0.
	FillRate *float64 `json:"fill_rate"`
}

// UpcomingRow is one offering of `report upcoming`: an open offering whose
// nomination deadline or start falls within the window.
type UpcomingRow struct {
	Ref      string `json:"ref"`
	Course   string `json:"course"`
	Title    string `json:"title"`
	Deadline string `json:"deadline"`
	Start    string `json:"start"`
	// DaysToDeadline counts days from today to the deadline (0 on the day);
	// null when the offering has no deadline.
	DaysToDeadline *int `json:"days_to_deadline"`
	DaysToStart    int  `json:"days_to_start"`
	// Seats allotted; null when not announced yet.
	Seats *int `json:"seats"`
	// Committed counts principals holding a seat (approved, confirmed,
	// attended, completed).
	Committed int `json:"committed"`
	// OpenSeats is Seats-Committed; null when the seats are not announced.
	OpenSeats *int `json:"open_seats"`
	// AwaitingApproval counts principals still only nominated, Alternates
	// the alternates waiting: the people who could fill the open seats.
	AwaitingApproval int `json:"awaiting_approval"`
	Alternates       int `json:"alternates"`
}

// Eligibility is `report eligibility YEAR`: the year's nominations short
// of their course's prerequisites, and how many of the people nominated in
// the year have no NATO rank code (MissingRankCode of Nominated), for whom
// no rank prerequisite can be checked. Both are read in one transaction.
type Eligibility struct {
	Rows                       []EligibilityRow
	Nominated, MissingRankCode int
}

// EligibilityRow is one nomination of `report eligibility`: a person short of
// the prerequisites of the course they are nominated to.
type EligibilityRow struct {
	NominationID int64          `json:"nomination_id"`
	PersonID     int64          `json:"person_id"`
	PersonRef    string         `json:"person_ref"`
	Name         string         `json:"name"`
	Ministry     string         `json:"ministry"`
	Offering     string         `json:"offering"`
	Course       string         `json:"course"`
	Role         string         `json:"role"`
	Status       string         `json:"status"`
	English      string         `json:"english"`
	RankCode     string         `json:"rank_code"`
	MinEnglish   string         `json:"min_english"`
	MinRank      string         `json:"min_rank"`
	Gaps         []nomtrack.Gap `json:"gaps"`
}

// PersonCourse is one nomination in a person's course history.
type PersonCourse struct {
	NominationID int64  `json:"nomination_id"`
	Offering     string `json:"offering"`
	Course       string `json:"course"`
	Title        string `json:"title"`
	Area         string `json:"area"`
	Provider     string `json:"provider"`
	Start        string `json:"start"`
	End          string `json:"end"`
	Location     string `json:"location"`
	Role         string `json:"role"`
	Status       string `json:"status"`
}

// Person is `report person`: one person and their course history, oldest
// first. Contact details are left out: a report is shared more widely than
// the database.
type Person struct {
	ID       int64  `json:"id"`
	Ref      string `json:"ref"`
	Name     string `json:"name"`
	NameAr   string `json:"name_ar"`
	Ministry string `json:"ministry"`
	Rank     string `json:"rank"`
	RankCode string `json:"rank_code"`
	Position string `json:"position"`
	Gender   string `json:"gender"`
	English  string `json:"english"`
	// Totals counts the person's nominations by the rules of SPEC §2.
	Totals      Counts         `json:"totals"`
	Nominations []PersonCourse `json:"nominations"`
}

// Ratio is a/b as a fraction, or nil when b is 0 (a rate of nothing is not
// zero, it is undefined).
func Ratio(a, b int) *float64 {
	if b == 0 {
		return nil
	}
	r := float64(a) / float64(b)
	return &r
}

// Kinds of `report pending` item, in the order the report lists them.
const (
	PendingAttendance = "attendance" // a run ended with principals still approved or confirmed
	PendingCompletion = "completion" // a run ended with nominations still attended
	PendingDeadline   = "deadline"   // a deadline passed with nominations still nominated
	PendingClearance  = "clearance"  // a required clearance not granted
	PendingADL        = "adl"        // a required ADL pre-study not recorded
)

// PendingRow is one item of `report pending`: what needs the coordinator's
// hand, and the command that settles it.
type PendingRow struct {
	Kind       string `json:"kind"`
	Offering   string `json:"offering"`
	Nomination int64  `json:"nomination"`
	// Person is the person's ref, else id: what PERSON arguments take.
	Person string `json:"person"`
	Name   string `json:"name"`
	// Since is the date the item became due: the run's last day, its
	// deadline, or its start for a missing pre-departure item.
	Since  string `json:"since"`
	Action string `json:"action"`
}
