package store_test

import (
	"context"
	"testing"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/store"
)

func TestRequest(t *testing.T) {
	ctx := context.Background()
	t.Run("OK_CreateAndListOrdered", func(t *testing.T) {
		db := MustOpen(t)
		for _, r := range []nomtrack.Request{
			{Ministry: "MoI", Area: "counter-terrorism", Year: 2026, Seats: 10},
			{Ministry: "MoD", Area: "crisis-management", Year: 2026, Seats: 12, Note: "priority"},
			{Ministry: "MoD", Area: "counter-terrorism", Year: 2025, Seats: 8},
		} {
			if err := db.CreateRequest(ctx, &r); err != nil {
				t.Fatal(err)
			}
			if r.ID == 0 {
				t.Error("CreateRequest left ID 0")
			}
		}
		all, err := db.ListRequests(ctx, store.RequestFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range all {
			got = append(got, r.Ministry+"/"+r.Area)
		}
		if len(all) != 3 || all[0].Year != 2025 || all[1].Ministry != "MoD" || all[1].Note != "priority" || all[2].Ministry != "MoI" {
			t.Errorf("ListRequests = %v", got)
		}
		y, _ := db.ListRequests(ctx, store.RequestFilter{Year: 2026, Ministry: "MoI", Area: "counter-terrorism"})
		if len(y) != 1 || y[0].Seats != 10 {
			t.Errorf("ListRequests(filtered) = %+v", y)
		}
		none, _ := db.ListRequests(ctx, store.RequestFilter{Year: 1999})
		if none == nil || len(none) != 0 {
			t.Errorf("ListRequests(none) = %#v", none)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		db := MustOpen(t)
		err := db.CreateRequest(ctx, &nomtrack.Request{Ministry: "MoD", Area: "a", Year: 2026, Seats: -2})
		wantCode(t, err, nomtrack.EINVALID, "negative")
		err = db.CreateRequest(ctx, &nomtrack.Request{Ministry: "MoD", Area: "a", Year: 26, Seats: 2})
		wantCode(t, err, nomtrack.EINVALID, "year 26 is out of range")
	})
}
