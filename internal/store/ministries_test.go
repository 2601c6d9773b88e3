package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/store"
)

// StoredMinistries skips through the people's ministries one distinct value
// at a time; the answer must be what reading every person gave: each
// ministry once, sorted, none empty, with the requests' and (when asked)
// the nominations' own.
func TestStoredMinistries(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	if got, err := db.StoredMinistries(ctx, true); err != nil || len(got) != 0 {
		t.Fatalf("empty database: %q, %v", got, err)
	}
	for _, m := range []string{"MoI", "MoD", "", "MoD", "CTS", "MoI", "MoD"} {
		MustPerson(t, db, "Person of "+m, m)
	}
	if _, err := db.AddRequest(ctx, &nomtrack.Request{Ministry: "NSA", Area: "cyber", Year: 2026, Seats: 2}); err != nil {
		t.Fatal(err)
	}
	MustCourse(t, db, "M1", "a")
	MustOffering(t, db, "M1", "2026-03-02", 10)
	p := MustPerson(t, db, "Moved Person", "MoE")
	MustNominate(t, db, idOf(p), "M1@2026-03-02")
	// The person moves on; the nomination keeps the ministry it was made under.
	if err := db.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE person SET ministry = 'MoO' WHERE id = ?`, p.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		nominations bool
		want        []string
	}{
		{false, []string{"CTS", "MoD", "MoI", "MoO", "NSA"}},
		{true, []string{"CTS", "MoD", "MoE", "MoI", "MoO", "NSA"}},
	} {
		got, err := db.StoredMinistries(ctx, c.nominations)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("StoredMinistries(%v) = %q, %v; want %q", c.nominations, got, err, c.want)
		}
	}
}
