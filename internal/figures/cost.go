package figures

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
)

// Currency is the currency of course fees (course.fee is tuition per seat
// in euros).
const Currency = "EUR"

// Funding sources of a nomination (nomination.funding, entered before
// departure); FundingUnknown stands for the empty value: not yet known.
const (
	FundingNATO     = "nato"
	FundingNational = "national"
	FundingHost     = "host"
	FundingOther    = "other"
	FundingUnknown  = "unknown"
)

// FundingSources lists every funding source in presentation order; cost
// by funding always carries all of them, zeros included, so a script can
// read any source without checking it exists.
var FundingSources = []string{FundingNATO, FundingNational, FundingHost, FundingOther, FundingUnknown}

// FundingKey is the funding source of a stored value: the empty value is
// FundingUnknown.
func FundingKey(stored string) string {
	if stored == "" {
		return FundingUnknown
	}
	return stored
}

// Fees adds up the course fees of a set of nominations. A course whose fee
// is not recorded (NULL) has an unknown fee: its nominations are counted in
// UnknownFee and add nothing to Amount, so an unknown cost never passes
// for a free one.
// In JSON: {"amount": 1250.5, "nominations": 4, "unknown_fee": 1}; the
// amount is null when no nomination of the set has a known fee.
type Fees struct {
	// Cents is the sum of the known fees in cents of Currency: fees are
	// summed as whole cents, so a total does not depend on the order the
	// rows were added in.
	Cents int64
	// Nominations counts every nomination of the set, fee known or not.
	Nominations int
	// UnknownFee counts the nominations whose course has no fee.
	UnknownFee int
}

// Amount is the sum of the known fees in Currency, or nil when there are
// nominations and none of them has a known fee: nothing is known of their
// cost, which is not zero.
func (f Fees) Amount() *float64 {
	if f.Nominations > 0 && f.UnknownFee == f.Nominations {
		return nil
	}
	a := float64(f.Cents) / 100
	return &a
}

// MarshalJSON writes the amount in Currency, not in cents (null when no
// fee is known; see Amount).
func (f Fees) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Amount      *float64 `json:"amount"`
		Nominations int      `json:"nominations"`
		UnknownFee  int      `json:"unknown_fee"`
	}{f.Amount(), f.Nominations, f.UnknownFee})
}

// FeeUnknown is FeeCents of a fee not recorded.
const FeeUnknown = -1

// FeeCents is a stored fee (a REAL in euros, nil when not known) in whole
// cents, FeeUnknown when not known. A known 0 is a free course: it adds
// nothing to an amount and is not unknown.
func FeeCents(fee *float64) int64 {
	if fee == nil {
		return FeeUnknown
	}
	return int64(math.Round(*fee * 100))
}

// AddFee counts n nominations at fee (in cents; FeeUnknown, or any negative
// amount, when not known).
func (f *Fees) AddFee(cents int64, n int) {
	f.Nominations += n
	if cents < 0 {
		f.UnknownFee += n
		return
	}
	f.Cents += cents * int64(n)
}

// Add adds the nominations counted in g.
func (f *Fees) Add(g Fees) {
	f.Cents += g.Cents
	f.Nominations += g.Nominations
	f.UnknownFee += g.UnknownFee
}

// CostRow is the fees of one group of nominations: those committed (money
// already promised) and, among them, those who participated.
type CostRow struct {
	Key          string
	Committed    Fees
	Participated Fees
	// Folded, when above 0, marks the OtherKey row of a breakdown cut to
	// its top rows (Top): the number of rows it sums.
	Folded int
}

// Top keeps the first n rows (the largest committed amounts; a breakdown
// with fixed keys first, such as funding, is better left whole) and sums
// the others into one OtherKey row; n <= 0, or no more than n rows, leaves
// b as it is.
func (b CostBreakdown) Top(n int) CostBreakdown {
	if n <= 0 || len(b.Rows) <= n {
		return b
	}
	other := CostRow{Key: OtherKey, Folded: len(b.Rows) - n}
	for _, r := range b.Rows[n:] {
		other.Committed.Add(r.Committed)
		other.Participated.Add(r.Participated)
	}
	rows := append(append([]CostRow{}, b.Rows[:n]...), other)
	return CostBreakdown{Dimension: b.Dimension, Rows: rows}
}

// CostBreakdown is the fees grouped by one dimension. In JSON it is an
// array whose elements carry the key under the dimension's name:
// {"funding": "nato", "committed": {…}, "participated": {…}}.
type CostBreakdown struct {
	Dimension string
	Rows      []CostRow
}

// MarshalJSON writes the rows as an array (never null) of objects.
func (b CostBreakdown) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('[')
	for i, r := range b.Rows {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteByte('{')
		writeJSONString(&buf, b.Dimension)
		buf.WriteByte(':')
		writeJSONString(&buf, r.Key)
		for _, f := range []struct {
			name string
			fees Fees
		}{{"committed", r.Committed}, {"participated", r.Participated}} {
			buf.WriteString(`,"` + f.name + `":`)
			v, err := json.Marshal(f.fees)
			if err != nil {
				return nil, err
			}
			buf.Write(v)
		}
		if r.Folded > 0 {
			buf.WriteString(`,"folded":` + strconv.Itoa(r.Folded))
		}
		buf.WriteByte('}')
	}
	buf.WriteByte(']')
	return buf.Bytes(), nil
}

// Cost is the year's course fees: committed and participated, by funding
// source (every source present) and by ministry.
type Cost struct {
	Currency     string        `json:"currency"`
	Committed    Fees          `json:"committed"`
	Participated Fees          `json:"participated"`
	ByFunding    CostBreakdown `json:"by_funding"`
	ByMinistry   CostBreakdown `json:"by_ministry"`
}

// Women is women's participation counted as distinct people.
type Women struct {
	// Participants counts the distinct women who participated.
	Participants int `json:"participants"`
	// Share is Participants over all distinct participants (0–1); null
	// when nobody participated.
	Share *float64 `json:"share"`
	// ByMinistry has one row per ministry with participants, in the order
	// of the ministry breakdown.
	ByMinistry []WomenRow `json:"by_ministry"`
}

// WomenRow is women's participation under one ministry.
type WomenRow struct {
	Ministry string `json:"ministry"`
	// Participants counts the distinct women who participated under the
	// ministry; AllParticipants every distinct person who did.
	Participants    int      `json:"participants"`
	AllParticipants int      `json:"all_participants"`
	Share           *float64 `json:"share"`
}

// RepeatRow is one person who participated in at least a given number of
// courses in a range of years (`report repeat`).
type RepeatRow struct {
	PersonID int64  `json:"person_id"`
	Person   string `json:"person"`
	Ref      string `json:"ref"`
	// Ministry is the ministry of the person's latest participation in the
	// range (the one it was made under).
	Ministry       string         `json:"ministry"`
	Participations int            `json:"participations"`
	Courses        []RepeatCourse `json:"courses"`
}

// RepeatCourse is one participation of a repeat participant.
type RepeatCourse struct {
	Offering string `json:"offering"`
	Course   string `json:"course"`
	Title    string `json:"title"`
	Start    string `json:"start"`
	Status   string `json:"status"`
}

// Costs is `report costs YEAR`: the course fees of the year's committed
// nominations (money already promised) and of those who participated, by
// funding source, ministry, area and provider. Nominations whose course has
// no fee are counted as unknown and their offerings listed, never summed as
// zero.
type Costs struct {
	Year         int           `json:"year"`
	Currency     string        `json:"currency"`
	Committed    Fees          `json:"committed"`
	Participated Fees          `json:"participated"`
	ByFunding    CostBreakdown `json:"by_funding"`
	ByMinistry   CostBreakdown `json:"by_ministry"`
	ByArea       CostBreakdown `json:"by_area"`
	ByProvider   CostBreakdown `json:"by_provider"`
	// UnknownFees lists the offerings with committed nominations whose
	// course has no fee, by start date.
	UnknownFees []UnknownFeeRow `json:"unknown_fees"`
}

// Breakdowns returns the cost breakdowns in presentation order.
func (c *Costs) Breakdowns() []CostBreakdown {
	return []CostBreakdown{c.ByFunding, c.ByMinistry, c.ByArea, c.ByProvider}
}

// UnknownFeeRow is an offering whose course has no fee, with the
// nominations whose cost is therefore unknown.
type UnknownFeeRow struct {
	Offering     string `json:"offering"`
	Course       string `json:"course"`
	Title        string `json:"title"`
	Provider     string `json:"provider"`
	Start        string `json:"start"`
	Committed    int    `json:"committed"`
	Participated int    `json:"participated"`
}
