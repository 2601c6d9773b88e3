package sheet

import (
	"slices"
	"testing"
)

// A nominations sheet carries the person's fields first, as a people
// sheet does; the lists are written out (static data, nothing built at
// start-up), so this keeps them in step.
func TestNominationFieldsStartWithPersonFields(t *testing.T) {
	if !slices.Equal(nominationFields[:len(personFields)], personFields) {
		t.Errorf("nomination fields start %v, want the person fields %v", nominationFields[:len(personFields)], personFields)
	}
	want := []string{"course", "start", "offering", "role", "status", "note", "visa", "clearance", "adl", "funding", "certificate"}
	if got := nominationFields[len(personFields):]; !slices.Equal(got, want) {
		t.Errorf("nomination fields after the person's: %v, want %v", got, want)
	}
}
