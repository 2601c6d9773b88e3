package nomtrack

import "testing"

func TestCheckSeats(t *testing.T) {
	for n, want := range map[int]string{
		0:         "",
		500:       "",
		MaxSeats:  "",
		-1:        "--seats -1 is negative; give 0 or more",
		100_001:   "--seats is more than 100,000, the most nomtrack accepts",
		1<<63 - 1: "--seats is more than 100,000, the most nomtrack accepts",
	} {
		err := CheckSeats("--seats", n)
		switch {
		case want == "" && err != nil:
			t.Errorf("%d: %v", n, err)
		case want != "" && (err == nil || err.Error() != want || ErrorCode(err) != EINVALID):
			t.Errorf("%d: %v, want %q", n, err, want)
		}
	}
}
