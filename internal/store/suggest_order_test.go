package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// TestSuggestionsAmongEqualsInStatedOrder: a mistyped course code or person
// ref equally near several ones is offered the first in code or ref order,
// whatever order the rows were written in (PostgreSQL returns an unordered
// query's rows as they lie, SQLite in the order of the index it reads).
func TestSuggestionsAmongEqualsInStatedOrder(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	for _, code := range []string{"M5-2", "m5-1"} {
		if err := db.CreateCourse(ctx, &nomtrack.Course{Code: code, Title: "x", Area: "a"}); err != nil {
			t.Fatal(err)
		}
	}
	_, err := db.FindCourse(ctx, "M5-3")
	if err == nil || !strings.HasSuffix(err.Error(), "; did you mean m5-1?") {
		t.Errorf("FindCourse(M5-3): %v, want the suggestion m5-1 (code order, without regard to case)", err)
	}
	for _, ref := range []string{"S-2", "S-1"} {
		if err := db.CreatePerson(ctx, &nomtrack.Person{Ref: ref, Name: "Person " + ref, Ministry: "MoD"}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = db.FindPerson(ctx, "S-3")
	if err == nil || !strings.HasSuffix(err.Error(), "; did you mean S-1?") {
		t.Errorf("FindPerson(S-3): %v, want the suggestion S-1 (ref order)", err)
	}
}
