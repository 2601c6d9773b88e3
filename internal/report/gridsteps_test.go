package report

import (
	"math"
	"slices"
	"testing"
)

func TestGridStepsScaleWithTheValue(t *testing.T) {
	for maxV, want := range map[int][]int{
		0:         nil,
		4:         {1, 2, 3, 4},
		12:        {5, 10},
		100:       {20, 40, 60, 80, 100},
		130:       {25, 50, 75, 100, 125},
		500:       {100, 200, 300, 400, 500},
		1_000_000: {200000, 400000, 600000, 800000, 1000000},
		1 << 62:   {1000000000000000000, 2000000000000000000, 3000000000000000000, 4000000000000000000},
	} {
		if got := gridSteps(maxV); !slices.Equal(got, want) {
			t.Errorf("gridSteps(%d) = %v, want %v", maxV, got, want)
		}
	}
	if got := gridSteps(math.MaxInt); len(got) == 0 || len(got) > 5 {
		t.Errorf("gridSteps(MaxInt) = %v", got)
	}
}
