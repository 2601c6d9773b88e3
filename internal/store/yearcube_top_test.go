package store

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nomtrack/nomtrack/internal/figures"
)

// --top sums the groups past the top into "other"; its participants are
// distinct people, so one person who completed two of the folded courses
// counts once, not twice. Months are never folded.
func TestFoldTopCountsDistinctParticipants(t *testing.T) {
	courses := map[int64]courseInfo{
		1: {code: "A1", title: "Big", area: "crisis-management", provider: "NDC"},
		2: {code: "B2", title: "Small", area: "counter-terrorism", provider: "NDC"},
		3: {code: "C3", title: "Smaller", area: "energy-security", provider: "NDC"},
	}
	c := newYearCube()
	add := func(course int64, month, status string, person int64) {
		c.add(course, []byte(month), []byte(status), person, []byte("MoD"), []byte("M"), nil)
	}
	add(1, "2012-01", "completed", 2)
	add(1, "2012-01", "completed", 3)
	add(1, "2012-01", "no-show", 4)
	add(2, "2012-02", "completed", 1)
	add(3, "2012-03", "attended", 1)
	y := &figures.Year{ByStatus: figures.StatusCounts{}}
	dims := []*figures.Breakdown{&y.ByMinistry, &y.ByArea, &y.ByCourse, &y.ByProvider, &y.ByMonth, &y.ByGender}
	for i, d := range dims {
		d.Dimension = figures.Dimensions[i]
	}
	c.fill(y, courses, dims)
	c.foldTop(courses, dims, 1)

	want := []figures.Group{
		{Key: "A1", Label: "Big", Counts: figures.Counts{Nominations: 3, Committed: 2, Participated: 2, NoShow: 1}, Participants: 2},
		{Key: figures.OtherKey, Counts: figures.Counts{Nominations: 2, Committed: 2, Participated: 2}, Participants: 1, Folded: 2},
	}
	if diff := cmp.Diff(want, y.ByCourse.Groups); diff != "" {
		t.Errorf("by course with --top 1 (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want[1], y.ByArea.Groups[1]); diff != "" {
		t.Errorf("by area's other (-want +got):\n%s", diff)
	}
	if len(y.ByMonth.Groups) != 3 {
		t.Errorf("by month has %d groups; want all 3, months are not folded", len(y.ByMonth.Groups))
	}
	if len(y.ByProvider.Groups) != 1 || y.ByProvider.Groups[0].Folded != 0 {
		t.Errorf("by provider = %+v; want its one group as it is", y.ByProvider.Groups)
	}
}

// eachID reads the ids of yearParticipantsSQL's list, and names what it
// cannot read rather than counting a wrong person.
func TestEachID(t *testing.T) {
	for _, c := range []struct {
		list string
		want []int64
		err  bool
	}{
		{"", nil, false},
		{"7", []int64{7}, false},
		{"12,3,9000000001", []int64{12, 3, 9000000001}, false},
		{"1,,2", nil, true},
		{"1,x", nil, true},
	} {
		var got []int64
		err := eachID([]byte(c.list), func(id int64) { got = append(got, id) })
		if (err != nil) != c.err {
			t.Errorf("%q: error %v, want one: %v", c.list, err, c.err)
			continue
		}
		if !c.err && !slices.Equal(got, c.want) {
			t.Errorf("%q: ids %v, want %v", c.list, got, c.want)
		}
	}
}
