package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

func TestCapacity(t *testing.T) {
	ctx := context.Background()
	t.Run("OK_DefaultThenSet", func(t *testing.T) {
		db := MustOpen(t)
		c, err := db.CapacityFor(ctx, 2026, 0)
		if err != nil || c != (nomtrack.Capacity{Year: 2026, Seats: 500, Source: "default"}) {
			t.Errorf("CapacityFor(no config) = %+v, %v", c, err)
		}
		if c, _ := db.CapacityFor(ctx, 2026, 450); c.Seats != 450 || c.Source != "default" {
			t.Errorf("CapacityFor(config 450) = %+v", c)
		}
		if _, err := db.SetCapacity(ctx, 2026, 480); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SetCapacity(ctx, 2026, 520); err != nil { // a second set replaces the first
			t.Fatal(err)
		}
		if c, _ := db.CapacityFor(ctx, 2026, 450); c.Seats != 520 || c.Source != "set" {
			t.Errorf("CapacityFor(set) = %+v", c)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		db := MustOpen(t)
		_, err := db.SetCapacity(ctx, 2026, -1)
		wantCode(t, err, nomtrack.EINVALID, "negative")
		_, err = db.SetCapacity(ctx, 12, 5)
		wantCode(t, err, nomtrack.EINVALID, "year 12 is out of range")
	})
	t.Run("OK_ListYearsWithOverridesOrOfferings", func(t *testing.T) {
		db := MustOpen(t)
		MustCourse(t, db, "A1", "a")
		MustOffering(t, db, "A1", "2025-03-01", 1)
		MustOffering(t, db, "A1", "2025-09-01", 1)
		MustOffering(t, db, "A1", "2027-01-10", 1)
		if _, err := db.SetCapacity(ctx, 2026, 300); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SetCapacity(ctx, 2027, 320); err != nil {
			t.Fatal(err)
		}
		list, err := db.ListCapacity(ctx, 450)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(list); got != "[{2027 320 set} {2026 300 set} {2025 450 default}]" {
			t.Errorf("ListCapacity = %s", got)
		}
	})
	t.Run("OK_YearCommitted", func(t *testing.T) {
		db := mustWeek(t)
		n := MustNominate(t, db, idOf(MustPerson(t, db, "A", "MoD")), "M5-106@2026-03-02")
		MustNominate(t, db, idOf(MustPerson(t, db, "B", "MoD")), "M5-106@2026-03-02")
		MustSetStatus(t, db, n.ID, "approved")
		l, err := db.YearCommitted(ctx, 2026, 0)
		if err != nil || l.Committed != 1 || l.Capacity.Seats != 500 {
			t.Errorf("YearCommitted = %+v, %v", l, err)
		}
	})
}
