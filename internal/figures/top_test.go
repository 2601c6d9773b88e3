package figures

import (
	"encoding/json"
	"testing"
)

func TestCostBreakdownTopSumsTheRestAsOther(t *testing.T) {
	b := CostBreakdown{Dimension: DimMinistry, Rows: []CostRow{
		{Key: "MoD", Committed: Fees{Cents: 300, Nominations: 3}},
		{Key: "MoI", Committed: Fees{Cents: 200, Nominations: 2, UnknownFee: 1}},
		{Key: "NSA", Committed: Fees{Cents: 100, Nominations: 1}, Participated: Fees{Cents: 100, Nominations: 1}},
	}}
	got, err := json.Marshal(b.Top(1))
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"ministry":"MoD","committed":{"amount":3,"nominations":3,"unknown_fee":0},"participated":{"amount":0,"nominations":0,"unknown_fee":0}},` +
		`{"ministry":"other","committed":{"amount":3,"nominations":3,"unknown_fee":1},"participated":{"amount":1,"nominations":1,"unknown_fee":0},"folded":2}]`
	if string(got) != want {
		t.Errorf("Top(1) =\n%s\nwant\n%s", got, want)
	}
	if len(b.Top(3).Rows) != 3 || len(b.Top(0).Rows) != 3 {
		t.Errorf("Top(3) and Top(0) must leave the three rows as they are")
	}
}

func TestBreakdownJSONSaysWhatOtherFolded(t *testing.T) {
	b := Breakdown{Dimension: DimArea, Groups: []Group{{Key: "a", Counts: Counts{Nominations: 2}}, {Key: OtherKey, Counts: Counts{Nominations: 5}, Folded: 4}}}
	got, _ := json.Marshal(b)
	want := `[{"area":"a","nominations":2,"committed":0,"participated":0,"participants":0,"no_show":0},` +
		`{"area":"other","nominations":5,"committed":0,"participated":0,"participants":0,"no_show":0,"folded":4}]`
	if string(got) != want {
		t.Errorf("breakdown JSON =\n%s\nwant\n%s", got, want)
	}
}

// A course known to be free (0) adds nothing to an amount but is known; a
// fee not recorded is counted apart, so the amount of only unknown fees is
// null, never 0.
func TestFeesFreeIsKnownUnknownIsApart(t *testing.T) {
	var f Fees
	f.AddFee(FeeCents(nil), 2)
	if f.Amount() != nil || f.UnknownFee != 2 {
		t.Errorf("two nominations of unknown fee: amount %v, unknown %d; want null, 2", f.Amount(), f.UnknownFee)
	}
	free := 0.0
	f.AddFee(FeeCents(&free), 3)
	if a := f.Amount(); a == nil || *a != 0 || f.UnknownFee != 2 || f.Nominations != 5 {
		t.Errorf("with three free nominations: amount %v, unknown %d of %d; want 0, 2 of 5", a, f.UnknownFee, f.Nominations)
	}
}
