package nomtrack

import (
	"reflect"
	"testing"
)

func TestEligibility(t *testing.T) {
	course := Course{Code: "M5-106", MinEnglish: "3232", MinRank: "OF-3"}
	tests := []struct {
		name   string
		person Person
		course Course
		want   []Gap
	}{
		{"OK", Person{English: "3333", RankCode: "OF-4"}, course, nil},
		{"OKExactMinimum", Person{English: "3 2 3 2", RankCode: "of3"}, course, nil},
		{"NoPrerequisites", Person{}, Course{Code: "X"}, nil},
		{"EnglishShortInListening", Person{English: "2232", RankCode: "OF-3"}, course,
			[]Gap{{Kind: GapEnglish, Message: "English 2232 is below the course minimum 3232 (listening 2 < 3)"}}},
		{"EnglishShortInTwoSkills", Person{English: "2+222", RankCode: "OF-3"}, course,
			[]Gap{{Kind: GapEnglish, Message: "English 2+222 is below the course minimum 3232 (listening 2+ < 3, reading 2 < 3)"}}},
		{"RankBelow", Person{English: "3232", RankCode: "OF-2"}, course,
			[]Gap{{Kind: GapRank, Message: "rank OF-2 is below the course minimum OF-3"}}},
		{"OtherRankBelowOfficer", Person{English: "3232", RankCode: "OR-9"}, course,
			[]Gap{{Kind: GapRank, Message: "rank OR-9 is below the course minimum OF-3"}}},
		{"BothUnknown", Person{}, course, []Gap{
			{Kind: GapEnglish, Unknown: true, Message: "English profile unknown; the course minimum is 3232"},
			{Kind: GapRank, Unknown: true, Message: "rank code unknown; the course minimum is OF-3"},
		}},
		{"UnreadablePersonValues", Person{English: "good", RankCode: "Colonel"}, course, []Gap{
			{Kind: GapEnglish, Unknown: true, Message: `English profile "good" cannot be read; the course minimum is 3232`},
			{Kind: GapRank, Unknown: true, Message: `rank code "Colonel" cannot be read; the course minimum is OF-3`},
		}},
		{"UnreadableCourseMinimum", Person{English: "3232", RankCode: "OF-3"}, Course{Code: "Z-1", MinEnglish: "high", MinRank: "senior"}, []Gap{
			{Kind: GapEnglish, Unknown: true, Message: `course Z-1 has minimum English "high", which is not a STANAG 6001 profile`},
			{Kind: GapRank, Unknown: true, Message: `course Z-1 has minimum rank "senior", which is not a NATO rank code`},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Eligibility(tt.person, tt.course); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Eligibility = %#v\nwant %#v", got, tt.want)
			}
		})
	}
}
