package store_test

import (
	"context"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/pgtest"
	"github.com/nomtrack/nomtrack/internal/store"
)

// TestEachDuplicatePostgres: PostgreSQL stores and finds the same pairs,
// in the same order (the keys are COLLATE "C"), as SQLite.
func TestEachDuplicatePostgres(t *testing.T) {
	ctx := context.Background()
	url, drop, err := pgtest.CreateDatabaseFor("nomtrack_owner")
	if err != nil {
		pgtest.SkipOrFail(t, err)
		return
	}
	t.Cleanup(func() { drop() })
	pg, err := store.Open(ctx, url, store.Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pg.Close() })
	lite := MustOpen(t)
	people := []nomtrack.Person{
		{Name: "Mohammed Al-Saadi", NameAr: "محمد الساعدي", Ministry: "MoD", Ref: "S-1"},
		{Name: "Ali Hassan", Ministry: "MoI"},
		{Name: "Zaid Ali", NameAr: "مُحمد السّاعدي", Ministry: "NSA"},
		{Name: "Muhammad Alsaadi", NameAr: "محمد الساعدي", Ministry: "MoD", Ref: "S-4"},
		{Name: "ALI HASSAN", Ministry: "MoI"},
		{Name: "Ali Hassan", Ministry: "moi"},
		{Name: "Hussein Ali", NameAr: "حسين على", Ministry: "MoI"},
		{Name: "Husain Aly", NameAr: "حُسين علي", Ministry: "NSA"},
	}
	for _, db := range []*store.DB{lite, pg} {
		for _, p := range people {
			if err := db.CreatePerson(ctx, &p); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := eachDuplicate(t, lite)
	if len(want) != 7 {
		t.Errorf("SQLite found %d pairs, want 7: %v", len(want), want)
	}
	if diff := gocmp.Diff(want, eachDuplicate(t, pg)); diff != "" {
		t.Errorf("PostgreSQL differs from SQLite (-sqlite +postgres):\n%s", diff)
	}
}
