package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/nomtrack/nomtrack/internal/store"
)

// MustProgramme fills db with courses, offerings over two years, people and
// n nominations, written directly in one transaction for speed.
func MustProgramme(tb testing.TB, db *store.DB, n int) {
	tb.Helper()
	ctx := context.Background()
	err := db.Update(ctx, func(tx *store.Tx) error {
		for c := 0; c < 50; c++ {
			if _, err := tx.ExecContext(ctx, `INSERT INTO course (code, title, area, created_at, updated_at) VALUES (?, 'T', 'a', '', '')`, fmt.Sprintf("C%03d", c)); err != nil {
				return err
			}
		}
		for o := 0; o < 1000; o++ {
			start := fmt.Sprintf("%d-%02d-%02d", 2025+o%2, 1+o%12, 1+o%28)
			if _, err := tx.ExecContext(ctx, `INSERT INTO offering (course_id, start, seats, created_at, updated_at) VALUES (?, ?, 30, '', '')`, 1+o%50, start); err != nil {
				return err
			}
		}
		people := n / 4
		for p := 0; p < people; p++ {
			if _, err := tx.ExecContext(ctx, `INSERT INTO person (name, name_key, ministry, created_at, updated_at) VALUES (?, ?, 'MoD', '', '')`,
				fmt.Sprintf("Person %06d", p), fmt.Sprintf("person%06d", p)); err != nil {
				return err
			}
		}
		for i := 0; i < n; i++ {
			if _, err := tx.ExecContext(ctx, `INSERT INTO nomination (person_id, offering_id, role, status, created_at, updated_at)
				VALUES (?, ?, 'principal', 'approved', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`, 1+i%people, 1+i/people*250+i%250); err != nil {
				return err
			}
		}
		return recountAll(tx)
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkListNominations lists a programme of 100k nominations; one query,
// scanned straight into structs.
func BenchmarkListNominations(b *testing.B) {
	db := MustOpen(b)
	MustProgramme(b, db, 100_000)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		list, err := db.ListNominations(ctx, store.NominationFilter{})
		if err != nil || len(list) != 100_000 {
			b.Fatalf("ListNominations = %d, %v", len(list), err)
		}
	}
}

// BenchmarkListNominationsYear lists one year's half of the programme.
func BenchmarkListNominationsYear(b *testing.B) {
	db := MustOpen(b)
	MustProgramme(b, db, 100_000)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		if _, err := db.ListNominations(ctx, store.NominationFilter{Year: 2026}); err != nil {
			b.Fatal(err)
		}
	}
}
