package cli

import (
	"encoding/json"
	"testing"
)

func TestSummarise(t *testing.T) {
	for _, c := range []struct{ detail, want string }{
		{`{"field":"ministry","from":"MoD","to":"NSA"}`, "ministry: MoD → NSA"},
		{`{"from":{"seats":15,"note":""},"to":{"seats":14,"note":""}}`, "seats: 15 → 14"},
		{`{"year":2026,"from":null,"to":480}`, "none → 480; year: 2026"},
		{`{"reason":"typo","offering":{"id":2,"ref":"M5-106@2026-03-09"}}`, "reason: typo; offering: M5-106@2026-03-09"},
		{`{"reason":"closed","nominations":[{"id":1,"from":"approved"},{"id":4}]}`, "reason: closed; nominations: 1,4"},
		{`{"reason":"","request":{"id":3}}`, "request: 3"},
		{`null`, "null"},
		{`"written by hand"`, `"written by hand"`},
	} {
		if got := summarise(json.RawMessage(c.detail)); got != c.want {
			t.Errorf("summarise(%s) = %q, want %q", c.detail, got, c.want)
		}
	}
	if got := shorten("abcdef", 4); got != "abc…" {
		t.Errorf("shorten = %q", got)
	}
}
