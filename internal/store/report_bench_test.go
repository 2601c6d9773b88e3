package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/store"
)

// Shape of the benchmark programme: 1,000,000 nominations over 16 years
// (about 62,500 a year) to 4,000 offerings of 160 courses, by 250,000 people.
const (
	benchCourses      = 160
	benchFromYear     = 2010
	benchYears        = 16
	benchOfferingsPer = 250 // per year
	benchPeople       = 250000
)

// benchN is the number of nominations, NOMTRACK_BENCH_N or 1,000,000.
func benchN(tb testing.TB) int {
	if v := os.Getenv("NOMTRACK_BENCH_N"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			tb.Fatalf("NOMTRACK_BENCH_N=%q is not a positive number", v)
		}
		return n
	}
	return 1000000
}

var benchDBs sync.Map // size -> *benchOnce

type benchOnce struct {
	once sync.Once
	path string
	err  error
}

// MustBenchDB opens the generated benchmark database of n nominations. It is
// built once per size and schema version into the temporary directory and
// reused by later runs (building 1M rows takes a while; reading is what is
// measured).
func MustBenchDB(tb testing.TB, n int) *store.DB {
	tb.Helper()
	v, _ := benchDBs.LoadOrStore(n, &benchOnce{})
	bo := v.(*benchOnce)
	bo.once.Do(func() {
		bo.path = filepath.Join(os.TempDir(), fmt.Sprintf("nomtrack-bench-report-%d-v%d.db", n, store.SchemaVersion()))
		if _, err := os.Stat(bo.path); err == nil {
			return
		}
		bo.err = buildBenchDB(bo.path, n)
	})
	if bo.err != nil {
		tb.Fatal(bo.err)
	}
	db, err := store.Open(context.Background(), bo.path, store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// buildBenchDB writes the programme with multi-row INSERTs in one
// transaction into a temporary file, renamed into place when complete.
func buildBenchDB(path string, n int) error {
	ctx := context.Background()
	tmp := path + ".tmp"
	os.Remove(tmp)
	db, err := store.Open(ctx, tmp, store.Options{CacheSizeKiB: 256 << 10})
	if err != nil {
		return err
	}
	areas := []string{"counter-terrorism", "crisis-management", "energy-security", "defence-education", "civil-emergency-planning"}
	providers := []string{"NATO School", "NDC", "JFTC", "CCOE", "COE-DAT", "ENSEC COE", "NMIOTC", "CIMIC COE"}
	ministries := []string{"MoD", "MoI", "NSA", "CTS", "MoO", "MoE", "MoFA", "PMO"}
	genders := []string{"M", "M", "M", "F", ""}
	// Status weights per 100: mostly historic outcomes, some still open.
	var statuses []string
	for st, w := range map[string]int{"nominated": 5, "approved": 5, "confirmed": 5, "attended": 10, "completed": 45,
		"declined": 10, "withdrawn": 10, "cancelled": 5, "no-show": 5} {
		for range w {
			statuses = append(statuses, st)
		}
	}
	// Map order varies; sort for a deterministic database.
	sortStrings(statuses)
	offerings := benchYears * benchOfferingsPer
	err = db.Update(ctx, func(tx *store.Tx) error {
		batch := func(table, cols string, rows int, row func(i int) []any) error {
			const per = 500
			ncol := strings.Count(cols, ",") + 1
			one := "(" + strings.TrimSuffix(strings.Repeat("?, ", ncol), ", ") + ")"
			for start := 0; start < rows; start += per {
				m := min(per, rows-start)
				args := make([]any, 0, m*ncol)
				for i := start; i < start+m; i++ {
					args = append(args, row(i)...)
				}
				q := "INSERT INTO " + table + " (" + cols + ") VALUES " + strings.TrimSuffix(strings.Repeat(one+", ", m), ", ")
				if _, err := tx.ExecContext(ctx, q, args...); err != nil {
					return fmt.Errorf("insert %s: %w", table, err)
				}
			}
			return nil
		}
		if err := batch("course", "id, code, title, area, provider, min_english, min_rank, created_at, updated_at", benchCourses, func(i int) []any {
			minEnglish, minRank := "", ""
			if i%3 == 0 {
				minEnglish, minRank = "2222", "OF-2"
			}
			return []any{i + 1, fmt.Sprintf("C%03d", i), fmt.Sprintf("Course %d", i), areas[i%len(areas)],
				providers[i%len(providers)], minEnglish, minRank, "T", "T"}
		}); err != nil {
			return err
		}
		if err := batch("offering", "id, course_id, start, seats, deadline, created_at, updated_at", offerings, func(i int) []any {
			year := benchFromYear + i/benchOfferingsPer
			k := i % benchOfferingsPer
			start := fmt.Sprintf("%04d-%02d-%02d", year, 1+k%12, 1+k/12)
			return []any{i + 1, 1 + i%benchCourses, start, 20 + i%10, "", "T", "T"}
		}); err != nil {
			return err
		}
		if err := batch("person", "id, ref, name, name_key, ministry, rank_code, gender, english, created_at, updated_at", benchPeople, func(i int) []any {
			return []any{i + 1, fmt.Sprintf("R%06d", i), fmt.Sprintf("Person %d", i), fmt.Sprintf("person %d", i),
				ministries[i%len(ministries)], fmt.Sprintf("OF-%d", 1+i%5), genders[i%len(genders)],
				[]string{"3232", "2121", "2222", ""}[i%4], "T", "T"}
		}); err != nil {
			return err
		}
		return batch("nomination", "person_id, offering_id, role, status, created_at, updated_at", n, func(i int) []any {
			o, k := i%offerings, i/offerings
			person := (k*1000+o*37)%benchPeople + 1
			role := nomtrack.RolePrincipal
			if (i*7)%10 == 0 {
				role = nomtrack.RoleAlternate
			}
			return []any{person, o + 1, role, statuses[(i*31+k)%len(statuses)], "T", "T"}
		})
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// cpuTime is the process's user+system CPU time. Benchmarks report it per
// operation beside ns/op, since wall time on a shared machine also counts
// other processes' turns.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchLoop runs fn b.N times and reports cpu-ms/op.
func benchLoop(b *testing.B, fn func() error) {
	b.Helper()
	start := cpuTime()
	n := 0
	for b.Loop() {
		if err := fn(); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(time.Millisecond)/float64(n), "cpu-ms/op")
}

// benchYear is a year in the middle of the programme.
const benchYear = benchFromYear + benchYears/2

func BenchmarkYearReport(b *testing.B) {
	db := MustBenchDB(b, benchN(b))
	ctx := context.Background()
	y, err := db.YearReport(ctx, benchYear, store.ReportOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%d: %d nominations, %d participated by %d people", benchYear, y.Nominations, y.Participated, y.Participants)
	benchLoop(b, func() error {
		_, err := db.YearReport(ctx, benchYear, store.ReportOptions{})
		return err
	})
}

func BenchmarkYearReportWithTrend(b *testing.B) {
	db := MustBenchDB(b, benchN(b))
	ctx := context.Background()
	benchLoop(b, func() error {
		_, err := db.YearReport(ctx, benchYear, store.ReportOptions{WithTrend: true})
		return err
	})
}

func BenchmarkTrendReport(b *testing.B) {
	db := MustBenchDB(b, benchN(b))
	ctx := context.Background()
	benchLoop(b, func() error {
		_, err := db.TrendReport(ctx, nil, nil, store.ReportOptions{})
		return err
	})
}

func BenchmarkDemandReport(b *testing.B) {
	db := MustBenchDB(b, benchN(b))
	ctx := context.Background()
	benchLoop(b, func() error {
		_, err := db.DemandReport(ctx, benchYear)
		return err
	})
}

func BenchmarkOfferingsReport(b *testing.B) {
	db := MustBenchDB(b, benchN(b))
	ctx := context.Background()
	benchLoop(b, func() error {
		_, err := db.OfferingsReport(ctx, benchYear)
		return err
	})
}

func BenchmarkUpcomingReport(b *testing.B) {
	db := MustBenchDB(b, benchN(b))
	ctx := context.Background()
	benchLoop(b, func() error {
		_, err := db.UpcomingReport(ctx, fmt.Sprintf("%d-06-01", benchYear), fmt.Sprintf("%d-07-13", benchYear))
		return err
	})
}

func BenchmarkEligibilityReport(b *testing.B) {
	db := MustBenchDB(b, benchN(b))
	ctx := context.Background()
	benchLoop(b, func() error {
		_, err := db.EligibilityReport(ctx, benchYear)
		return err
	})
}

func BenchmarkPersonReport(b *testing.B) {
	db := MustBenchDB(b, benchN(b))
	ctx := context.Background()
	benchLoop(b, func() error {
		_, err := db.PersonReport(ctx, "R001234")
		return err
	})
}
