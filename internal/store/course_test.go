package store_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/store"
)

// MustCourse adds a course with the given code, area and prerequisites.
func MustCourse(tb testing.TB, db *store.DB, code, area string) *nomtrack.Course {
	tb.Helper()
	c := &nomtrack.Course{Code: code, Title: "Course " + code, Area: area}
	if err := db.CreateCourse(context.Background(), c); err != nil {
		tb.Fatalf("create course %s: %v", code, err)
	}
	return c
}

// wantCode fails unless err carries the domain code want, and its message
// contains every part.
func wantCode(tb testing.TB, err error, want string, parts ...string) {
	tb.Helper()
	if got := nomtrack.ErrorCode(err); got != want {
		tb.Fatalf("error code = %q (%v), want %q", got, err, want)
	}
	for _, p := range parts {
		if !strings.Contains(nomtrack.ErrorMessage(err), p) {
			tb.Errorf("error %q does not contain %q", nomtrack.ErrorMessage(err), p)
		}
	}
}

func TestCourse(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		db := MustOpen(t)
		c := &nomtrack.Course{Code: "M5-106", EtocCode: "ETE-SP-31399", Title: "Crisis Response", Area: "crisis-management",
			Provider: "NSO", Days: nomtrack.Days(5), Fee: nomtrack.Fee(1200), MinEnglish: "3232", MinRank: "OF-2"}
		if err := db.CreateCourse(ctx, c); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindCourse(ctx, "m5-106")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, c) {
			t.Errorf("FindCourse = %+v, want %+v", got, c)
		}
		if byEtoc, err := db.FindCourse(ctx, "ete-sp-31399"); err != nil || byEtoc.ID != c.ID {
			t.Errorf("FindCourse by ETOC code = %+v, %v", byEtoc, err)
		}
		c.Title, c.EtocCode = "Crisis Response Planning", ""
		if err := db.UpdateCourse(ctx, c); err != nil {
			t.Fatal(err)
		}
		got, _ = db.FindCourse(ctx, "M5-106")
		if got.Title != "Crisis Response Planning" || got.EtocCode != "" {
			t.Errorf("after update = %+v", got)
		}
		if _, err := db.RemoveCourse(ctx, "M5-106", "a test"); err != nil {
			t.Fatal(err)
		}
		_, err = db.FindCourse(ctx, "M5-106")
		wantCode(t, err, nomtrack.ENOTFOUND)
	})
	t.Run("ErrNotFound_DidYouMean", func(t *testing.T) {
		db := MustOpen(t)
		MustCourse(t, db, "M5-106", "crisis-management")
		_, err := db.FindCourse(ctx, "M5-160")
		wantCode(t, err, nomtrack.ENOTFOUND, "course M5-160 not found", "did you mean M5-106?")
	})
	t.Run("ErrDuplicateCode", func(t *testing.T) {
		db := MustOpen(t)
		MustCourse(t, db, "M5-106", "crisis-management")
		err := db.CreateCourse(ctx, &nomtrack.Course{Code: "m5-106", Title: "x", Area: "a"})
		wantCode(t, err, nomtrack.ECONFLICT, "course M5-106 already exists")
	})
	t.Run("ErrDuplicateEtocCode", func(t *testing.T) {
		db := MustOpen(t)
		if err := db.CreateCourse(ctx, &nomtrack.Course{Code: "A", EtocCode: "E1", Title: "x", Area: "a"}); err != nil {
			t.Fatal(err)
		}
		err := db.CreateCourse(ctx, &nomtrack.Course{Code: "B", EtocCode: "e1", Title: "x", Area: "a"})
		wantCode(t, err, nomtrack.ECONFLICT, "ETOC code e1 already belongs to course A")
	})
	t.Run("ErrRemoveWithOfferings", func(t *testing.T) {
		db := MustOpen(t)
		MustCourse(t, db, "M5-106", "crisis-management")
		MustOffering(t, db, "M5-106", "2026-03-02", 2)
		MustOffering(t, db, "M5-106", "2026-09-07", 2)
		_, err := db.RemoveCourse(ctx, "M5-106", "")
		wantCode(t, err, nomtrack.ECONFLICT, "course M5-106 has 2 offerings")
	})
	t.Run("OK_ListOrderedByCodeAndFiltered", func(t *testing.T) {
		db := MustOpen(t)
		MustCourse(t, db, "Z1", "counter-terrorism")
		MustCourse(t, db, "A1", "crisis-management")
		MustCourse(t, db, "M1", "counter-terrorism")
		all, err := db.ListCourses(ctx, store.CourseFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if got := courseCodesOf(all); got != "A1 M1 Z1" {
			t.Errorf("ListCourses = %s", got)
		}
		ct, _ := db.ListCourses(ctx, store.CourseFilter{Area: "counter-terrorism", Limit: 1})
		if got := courseCodesOf(ct); got != "M1" {
			t.Errorf("ListCourses(area, limit 1) = %s", got)
		}
		none, _ := db.ListCourses(ctx, store.CourseFilter{Provider: "nobody"})
		if none == nil || len(none) != 0 {
			t.Errorf("ListCourses(no match) = %#v, want empty non-nil", none)
		}
	})
}

func courseCodesOf(cs []*nomtrack.Course) string {
	var s []string
	for _, c := range cs {
		s = append(s, c.Code)
	}
	return strings.Join(s, " ")
}
