package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/nomtrack/nomtrack/internal/store"
)

func TestComplete(t *testing.T) {
	db := MustOpen(t)
	MustProgramme(t, db, 248) // nominations 1..248, people "Person 000000"…, courses C000…, ministry MoD
	ctx := context.Background()
	err := db.Update(ctx, func(tx *store.Tx) error {
		for _, q := range []string{
			`INSERT INTO person (ref, name, name_key, ministry, created_at, updated_at) VALUES ('MOI-7', 'ali Hassan', 'alihasan', 'MoI', '', '')`,
			`INSERT INTO person (ref, name, name_key, ministry, created_at, updated_at) VALUES ('moi-8', 'Ali Hussein', 'alihusain', 'CTS', '', '')`,
			`INSERT INTO person (name, name_key, ministry, created_at, updated_at) VALUES ('Ali Hussein', 'alihusain', 'MoE', '', '')`,
		} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	complete := func(kind, prefix string, limit int) string {
		t.Helper()
		got, err := db.Complete(ctx, kind, prefix, limit)
		if err != nil {
			t.Fatalf("Complete(%s, %q): %v", kind, prefix, err)
		}
		return strings.Join(got, " ")
	}
	for _, c := range []struct {
		kind, prefix string
		limit        int
		want         string
	}{
		// Ids starting with the digits, highest first: 248…240, then 24.
		{store.CompleteNomination, "24", 50, "248 247 246 245 244 243 242 241 240 24"},
		{store.CompleteNomination, "1", 4, "199 198 197 196"},
		{store.CompleteNomination, "25", 50, "25"},
		{store.CompleteNomination, "", 3, "248 247 246"},
		{store.CompleteNomination, "0", 50, ""},
		{store.CompleteNomination, "x", 50, ""},
		{store.CompleteNomination, "999", 50, ""},
		// Refs as typed, capitalised and in capitals; then names, once each.
		{store.CompletePerson, "moi", 50, "moi-8 MOI-7"},
		{store.CompletePerson, "ali", 50, "ali Hassan Ali Hussein"},
		{store.CompletePerson, "Person 00000", 3, "Person 000000 Person 000001 Person 000002"},
		{store.CompletePerson, "zz", 50, ""},
		// Ministries: each distinct one once, any case.
		{store.CompleteMinistry, "", 50, "CTS MoD MoE MoI"},
		{store.CompleteMinistry, "mo", 2, "MoD MoE"},
		{store.CompleteCourse, "c00", 3, "C000 C001 C002"},
		{store.CompleteArea, "", 50, "a"},
	} {
		if got := complete(c.kind, c.prefix, c.limit); got != c.want {
			t.Errorf("Complete(%s, %q, %d) = %q, want %q", c.kind, c.prefix, c.limit, got, c.want)
		}
	}
	// Offerings: newest first; after the @, the named course's (any case).
	if got := complete(store.CompleteOffering, "c001@", 50); !strings.HasPrefix(got, "C001@2026-") || strings.Contains(got, "C002") {
		t.Errorf("Complete(offering, c001@) = %q; want C001's offerings, newest first", got)
	}
}
