package nomtrack

import (
	"strings"
	"time"
)

// DateLayout is how every date is written: in the database, in JSON and in
// offering references.
const DateLayout = "2006-01-02"

// DefaultCapacity is the seats per year the programme funds unless configured.
const DefaultCapacity = 500

// Course is a catalogue entry of a NATO school.
type Course struct {
	ID       int64  `json:"id"`
	Code     string `json:"code"`
	EtocCode string `json:"etoc_code"`
	Title    string `json:"title"`
	Area     string `json:"area"`
	Provider string `json:"provider"`
	// Days is how many days the course runs; nil when not known (JSON
	// null, shown "unknown"). A known length is 1 or more.
	Days *int `json:"days"`
	// Fee is the tuition per seat in EUR; nil when not known, which is not
	// the same as a course known to be free (0). Reports count an unknown
	// fee apart, never as zero.
	Fee        *float64 `json:"fee"`
	MinEnglish string   `json:"min_english"`
	MinRank    string   `json:"min_rank"`
	// Requires lists what an approved nomination needs before departure
	// (RequireClearance, RequireADL), comma-separated; "" for nothing.
	Requires string `json:"requires"`
}

// Offering statuses.
const (
	OfferingOpen      = "open"
	OfferingCancelled = "cancelled"
)

// OfferingStatuses are the statuses an offering can have.
var OfferingStatuses = []string{OfferingOpen, OfferingCancelled}

// ParseOfferingStatus reads an offering's status case-insensitively; an
// unknown word is EINVALID suggesting the nearest status.
func ParseOfferingStatus(s string) (string, error) {
	in := strings.TrimSpace(s)
	for _, st := range OfferingStatuses {
		if strings.EqualFold(in, st) {
			return st, nil
		}
	}
	if sug := Suggest(in, OfferingStatuses); sug != "" {
		return "", Errorf(EINVALID, "unknown offering status %q; did you mean %s?", in, sug)
	}
	return "", Errorf(EINVALID, "unknown offering status %q; use one of %s", in, strings.Join(OfferingStatuses, ", "))
}

// Offering is one run of a course, referred to as CODE@YYYY-MM-DD.
type Offering struct {
	ID           int64  `json:"id"`
	Ref          string `json:"ref"`
	CourseID     int64  `json:"-"`
	Course       string `json:"course"`
	Title        string `json:"title"`
	Area         string `json:"area"`
	Start        string `json:"start"`
	End          string `json:"end"`
	Location     string `json:"location"`
	Seats        *int   `json:"seats"`
	Deadline     string `json:"deadline"`
	Status       string `json:"status"`
	CancelReason string `json:"cancel_reason,omitempty"`
}

// OfferingRef formats the reference of an offering of course code starting on start.
func OfferingRef(code, start string) string { return code + "@" + start }

// Person is an officer or official who may be nominated.
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
	Email    string `json:"email,omitempty"`
	Phone    string `json:"phone,omitempty"`
}

// PersonChange is one change of a person's field, as `person show` lists
// it: when, who, which field, from and to, and where the change came from
// ("cli", "import:FILE:ROW", "merge").
type PersonChange struct {
	PersonID int64     `json:"person_id"`
	At       time.Time `json:"at"`
	Actor    string    `json:"actor"`
	Field    string    `json:"field"`
	From     string    `json:"from"`
	To       string    `json:"to"`
	Source   string    `json:"source"`
}

// Alias kinds: what a merged-away person leaves on the person kept.
const (
	AliasRef    = "ref"
	AliasName   = "name"
	AliasNameAr = "name_ar"
)

// Alias is a ref or a spelling of a person merged into another; rows and
// commands naming it find the person kept.
type Alias struct {
	Kind     string `json:"kind"`
	Value    string `json:"value"`
	Ministry string `json:"ministry,omitempty"`
}

// Nomination roles.
const (
	RolePrincipal = "principal"
	RoleAlternate = "alternate"
)

// Nomination is a person put forward for an offering.
type Nomination struct {
	ID        int64  `json:"id"`
	PersonID  int64  `json:"person_id"`
	PersonRef string `json:"person_ref"`
	Name      string `json:"name"`
	// Ministry, Rank, RankCode and English are the person's as of the
	// nomination: reports and eligibility read these, so a later edit of
	// the person does not move past years.
	Ministry   string `json:"ministry"`
	Rank       string `json:"rank"`
	RankCode   string `json:"rank_code"`
	English    string `json:"english"`
	OfferingID int64  `json:"-"`
	Offering   string `json:"offering"`
	Course     string `json:"course"`
	Area       string `json:"area"`
	Start      string `json:"start"`
	Role       string `json:"role"`
	// AltOrder is an open alternate's place in the offering's queue (1
	// first); nil for a principal and for an alternate no longer waiting.
	AltOrder *int   `json:"alt_order"`
	Status   string `json:"status"`
	Note     string `json:"note"`
	// Pre-departure and completion fields ("" = not known); see
	// PreDeparture for their values.
	Visa        string    `json:"visa"`
	Clearance   string    `json:"clearance"`
	ADL         string    `json:"adl"`
	Funding     string    `json:"funding"`
	Certificate string    `json:"certificate"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Event is one change in a nomination's history.
type Event struct {
	ID           int64     `json:"-"`
	NominationID int64     `json:"nomination_id"`
	At           time.Time `json:"at"`
	Actor        string    `json:"actor"`
	From         string    `json:"from"`
	To           string    `json:"to"`
	Reason       string    `json:"reason"`
	Source       string    `json:"source"`
	Correction   bool      `json:"correction"`
	// Kind is "status" (From and To are statuses; a creation comes from
	// ""), "promote", "move", "merge" or "edit" (Field changed from From
	// to To).
	Kind  string `json:"kind"`
	Field string `json:"field,omitempty"`
}

// Kinds of nomination event (nomination_event.kind).
const (
	EventStatus  = "status" // a change of status; From "" is the creation
	EventPromote = "promote"
	EventMove    = "move"
	EventMerge   = "merge"
	EventEdit    = "edit"
)

// Request is a ministry asking for seats in an area of cooperation in a year.
type Request struct {
	ID       int64  `json:"id"`
	Ministry string `json:"ministry"`
	Area     string `json:"area"`
	Year     int    `json:"year"`
	Seats    int    `json:"seats"`
	Note     string `json:"note"`
}

// Capacity is the seats the programme can fund in a year.
type Capacity struct {
	Year   int    `json:"year"`
	Seats  int    `json:"seats"`
	Source string `json:"source"` // "set" for a per-year override, "default" otherwise
}
