package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nomtrack/nomtrack/internal/figures"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/store"
)

// The report fixture: a small programme whose every figure is computed by
// hand below. "Today" for the upcoming report is 2026-11-28.
//
// Courses: M5-106 (counter-terrorism, NATO School, min English 2222, min rank
// OF-2, fee 1200), ETE-10 (crisis-management, NDC, fee unknown), EN-1
// (energy-security, NATO School, min English 3333, fee 850.50).
//
// People: 1 Ali (A1, MoD, M, 3232, OF-3), 2 Sara (B2, MoI, F, 2121, OF-1),
// 3 Omar (C3, M, 3333, OF-4; nominated from MoD, since moved to MoFA),
// 4 Huda (no ref, NSA, F, English and rank unknown), 5 Karim (E5, MoI,
// gender not recorded, 2222, OR-7; his nominations were stored without
// their ministry, so they count under his person's).
//
// Funding: NATO pays Ali's and Sara's M5-106; national funds Ali's ETE-10
// and Omar's EN-1; the rest is not known.
//
// 2012 nominations:
//
//	M5-106@2012-03-05 (4 seats): Ali completed, Sara attended, Omar no-show,
//	                             Huda declined, Karim alternate nominated
//	ETE-10@2012-06-11 (2 seats): Ali attended, Sara approved, Karim withdrawn
//	EN-1@2012-11-19 (seats ?):   Omar confirmed, Huda completed, Sara alternate cancelled
//	ETE-10@2012-09-10 (2 seats, cancelled offering): none
//
// Other years: ETE-10@2011-12-31: Ali completed, Sara completed;
// M5-106@2013-03-04: Omar attended, Karim declined; capacity 2012 set to 10.
var fixture = []string{
	`INSERT INTO course (id, code, title, area, provider, min_english, min_rank, fee, created_at, updated_at) VALUES
		(1, 'M5-106', 'Counter-Terrorism Awareness', 'counter-terrorism', 'NATO School', '2222', 'OF-2', 1200, 'T', 'T'),
		(2, 'ETE-10', 'Crisis Management', 'crisis-management', 'NDC', '', '', NULL, 'T', 'T'),
		(3, 'EN-1', 'Energy Security', 'energy-security', 'NATO School', '3333', '', 850.50, 'T', 'T')`,
	`INSERT INTO offering (id, course_id, start, seats, deadline, status, created_at, updated_at) VALUES
		(1, 1, '2012-03-05', 4, '2012-02-01', 'open', 'T', 'T'),
		(2, 2, '2012-06-11', 2, '', 'open', 'T', 'T'),
		(3, 3, '2012-11-19', NULL, '', 'open', 'T', 'T'),
		(4, 1, '2013-03-04', 3, '', 'open', 'T', 'T'),
		(5, 2, '2011-12-31', 2, '', 'open', 'T', 'T'),
		(6, 2, '2012-09-10', 2, '', 'cancelled', 'T', 'T'),
		(11, 2, '2026-12-07', 2, '2026-11-20', 'open', 'T', 'T'),
		(12, 1, '2026-12-14', 1, '', 'open', 'T', 'T'),
		(13, 3, '2027-03-01', 3, '2026-11-01', 'open', 'T', 'T'),
		(14, 3, '2027-04-05', 2, '2027-03-01', 'open', 'T', 'T'),
		(15, 2, '2026-12-20', 2, '', 'cancelled', 'T', 'T'),
		(16, 1, '2027-01-04', NULL, '', 'open', 'T', 'T'),
		(17, 2, '2026-11-01', 2, '2026-10-01', 'open', 'T', 'T')`,
	`INSERT INTO person (id, ref, name, name_key, ministry, rank_code, gender, english, email, created_at, updated_at) VALUES
		(1, 'A1', 'Ali', 'ali', 'MoD', 'OF-3', 'M', '3232', 'ali@example.org', 'T', 'T'),
		(2, 'B2', 'Sara', 'sara', 'MoI', 'OF-1', 'F', '2121', '', 'T', 'T'),
		(3, 'C3', 'Omar', 'omar', 'MoFA', 'OF-4', 'M', '3333', '', 'T', 'T'),
		(4, NULL, 'Huda', 'huda', 'NSA', '', 'F', '', '', 'T', 'T'),
		(5, 'E5', 'Karim', 'karim', 'MoI', 'OR-7', '', '2222', '', 'T', 'T')`,
	`INSERT INTO nomination (person_id, offering_id, role, status, ministry, funding, created_at, updated_at) VALUES
		(1, 1, 'principal', 'completed', 'MoD', 'nato', 'T', 'T'),
		(2, 1, 'principal', 'attended', 'MoI', 'nato', 'T', 'T'),
		(3, 1, 'principal', 'no-show', 'MoD', '', 'T', 'T'),
		(4, 1, 'principal', 'declined', 'NSA', '', 'T', 'T'),
		(5, 1, 'alternate', 'nominated', '', '', 'T', 'T'),
		(1, 2, 'principal', 'attended', 'MoD', 'national', 'T', 'T'),
		(2, 2, 'principal', 'approved', 'MoI', '', 'T', 'T'),
		(5, 2, 'principal', 'withdrawn', '', '', 'T', 'T'),
		(3, 3, 'principal', 'confirmed', 'MoD', 'national', 'T', 'T'),
		(4, 3, 'principal', 'completed', 'NSA', '', 'T', 'T'),
		(2, 3, 'alternate', 'cancelled', 'MoI', '', 'T', 'T'),
		(1, 5, 'principal', 'completed', 'MoD', '', 'T', 'T'),
		(2, 5, 'principal', 'completed', 'MoI', '', 'T', 'T'),
		(3, 4, 'principal', 'attended', 'MoD', '', 'T', 'T'),
		(5, 4, 'principal', 'declined', '', '', 'T', 'T'),
		(1, 11, 'principal', 'approved', 'MoD', '', 'T', 'T'),
		(2, 11, 'principal', 'nominated', 'MoI', '', 'T', 'T'),
		(3, 11, 'alternate', 'nominated', 'MoFA', '', 'T', 'T'),
		(4, 12, 'principal', 'confirmed', 'NSA', '', 'T', 'T')`,
	// Each nomination keeps its person's rank and English as of the
	// nomination, as nominate and imports make them (the ministry is given
	// above: Omar's is the one he had, Karim's was not stored).
	`UPDATE nomination SET rank = p.rank, rank_code = p.rank_code, english = p.english
		FROM person p WHERE p.id = nomination.person_id`,
	`INSERT INTO capacity (year, seats, updated_at) VALUES (2012, 10, 'T')`,
	`INSERT INTO request (ministry, area, year, seats, created_at) VALUES
		('MoD', 'counter-terrorism', 2012, 3, 'T'),
		('MoD', 'counter-terrorism', 2012, 1, 'T'),
		('MoI', 'crisis-management', 2012, 4, 'T'),
		('MoI', 'defence-education', 2012, 2, 'T'),
		('MoD', 'counter-terrorism', 2013, 5, 'T')`,
}

// MustReportFixture opens a new database holding the report fixture.
func MustReportFixture(tb testing.TB) *store.DB {
	tb.Helper()
	db := MustOpen(tb)
	err := db.Update(context.Background(), func(tx *store.Tx) error {
		for _, stmt := range fixture {
			if _, err := tx.ExecContext(context.Background(), stmt); err != nil {
				return fmt.Errorf("%s: %w", stmt[:40], err)
			}
		}
		return recountAll(tx)
	})
	if err != nil {
		tb.Fatal(err)
	}
	return db
}

func ptr[T any](v T) *T { return &v }

func group(key string, n, committed, participated, noShow, participants int) figures.Group {
	return figures.Group{Key: key, Counts: figures.Counts{Nominations: n, Committed: committed, Participated: participated,
		NoShow: noShow}, Participants: participants}
}

// fees is what figures.Fees holds: cents, nominations, unknown fees.
func fees(cents int64, n, unknown int) figures.Fees {
	return figures.Fees{Cents: cents, Nominations: n, UnknownFee: unknown}
}

func TestYearReport(t *testing.T) {
	db := MustReportFixture(t)
	ctx := context.Background()

	t.Run("OK_HandComputed2012", func(t *testing.T) {
		got, err := db.YearReport(ctx, 2012, store.ReportOptions{DefaultCapacity: 400})
		if err != nil {
			t.Fatal(err)
		}
		// 11 nominations; committed = approved 1 + confirmed 1 + attended 2 +
		// completed 2 = 6; participated = 4 by Ali (twice), Sara and Huda, so 3
		// participants, one of them (Ali) a repeat, two (Sara, Huda) women;
		// utilisation 4/10 against the capacity set for 2012.
		course := func(key, title string, n, c, p, ns, pp int) figures.Group {
			g := group(key, n, c, p, ns, pp)
			g.Label = title
			return g
		}
		want := &figures.Year{
			Year: 2012, Capacity: 10, CapacitySource: figures.CapacitySet,
			Nominations: 11, Committed: 6, Participated: 4, Participants: 3, NoShow: 1,
			Utilisation: ptr(0.4),
			ByStatus: figures.StatusCounts{
				nomtrack.StatusNominated: 1, nomtrack.StatusApproved: 1, nomtrack.StatusConfirmed: 1,
				nomtrack.StatusAttended: 2, nomtrack.StatusCompleted: 2, nomtrack.StatusDeclined: 1,
				nomtrack.StatusWithdrawn: 1, nomtrack.StatusCancelled: 1, nomtrack.StatusNoShow: 1,
			},
			// MoI: Sara attended, approved, cancelled; Karim nominated, withdrawn.
			// MoD: Ali completed, attended; Omar no-show, confirmed. NSA: Huda
			// declined, completed. Sorted by nominations, then name. Ali's two
			// participations make MoD one participant.
			ByMinistry: figures.Breakdown{Dimension: "ministry", Groups: []figures.Group{
				group("MoI", 5, 2, 1, 0, 1), group("MoD", 4, 3, 2, 1, 1), group("NSA", 2, 1, 1, 0, 1)}},
			ByArea: figures.Breakdown{Dimension: "area", Groups: []figures.Group{
				group("counter-terrorism", 5, 2, 2, 1, 2), group("crisis-management", 3, 2, 1, 0, 1),
				group("energy-security", 3, 2, 1, 0, 1)}},
			ByCourse: figures.Breakdown{Dimension: "course", Groups: []figures.Group{
				course("M5-106", "Counter-Terrorism Awareness", 5, 2, 2, 1, 2),
				course("EN-1", "Energy Security", 3, 2, 1, 0, 1),
				course("ETE-10", "Crisis Management", 3, 2, 1, 0, 1)}},
			// NATO School: Ali, Sara (M5-106), Huda (EN-1); NDC: Ali again.
			ByProvider: figures.Breakdown{Dimension: "provider", Groups: []figures.Group{
				group("NATO School", 8, 4, 3, 1, 3), group("NDC", 3, 2, 1, 0, 1)}},
			// Months in calendar order, not by size.
			ByMonth: figures.Breakdown{Dimension: "month", Groups: []figures.Group{
				group("2012-03", 5, 2, 2, 1, 2), group("2012-06", 3, 2, 1, 0, 1), group("2012-11", 3, 2, 1, 0, 1)}},
			ByGender: figures.Breakdown{Dimension: "gender", Groups: []figures.Group{
				group("F", 5, 3, 2, 0, 2), group("M", 4, 3, 2, 1, 1), group("", 2, 0, 0, 0, 0)}},
			RepeatParticipants: 1,
			Women: figures.Women{Participants: 2, Share: ptr(2.0 / 3), ByMinistry: []figures.WomenRow{
				{Ministry: "MoI", Participants: 1, AllParticipants: 1, Share: ptr(1.0)},
				{Ministry: "MoD", Participants: 0, AllParticipants: 1, Share: ptr(0.0)},
				{Ministry: "NSA", Participants: 1, AllParticipants: 1, Share: ptr(1.0)}}},
			// Committed: Ali M5-106 1200 + Sara M5-106 1200 + Omar EN-1 850.50
			// + Huda EN-1 850.50 = 4101.00, and Ali and Sara on ETE-10, whose
			// fee is unknown. Participated: Ali and Sara on M5-106, Huda on
			// EN-1 = 3250.50, and Ali on ETE-10 unknown.
			Cost: figures.Cost{Currency: "EUR",
				Committed: fees(410100, 6, 2), Participated: fees(325050, 4, 1),
				// NATO: Ali and Sara on M5-106; national: Ali on ETE-10 (fee
				// unknown), Omar on EN-1 (confirmed, not participated); unknown:
				// Sara on ETE-10 (approved, fee unknown), Huda on EN-1.
				ByFunding: figures.CostBreakdown{Dimension: "funding", Rows: []figures.CostRow{
					{Key: "nato", Committed: fees(240000, 2, 0), Participated: fees(240000, 2, 0)},
					{Key: "national", Committed: fees(85050, 2, 1), Participated: fees(0, 1, 1)},
					{Key: "host"}, {Key: "other"},
					{Key: "unknown", Committed: fees(85050, 2, 1), Participated: fees(85050, 1, 0)}}},
				// By committed amount: MoD 1200 + 850.50, MoI 1200, NSA 850.50.
				ByMinistry: figures.CostBreakdown{Dimension: "ministry", Rows: []figures.CostRow{
					{Key: "MoD", Committed: fees(205050, 3, 1), Participated: fees(120000, 2, 1)},
					{Key: "MoI", Committed: fees(120000, 2, 1), Participated: fees(120000, 1, 0)},
					{Key: "NSA", Committed: fees(85050, 1, 0), Participated: fees(85050, 1, 0)}}},
			},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("year report 2012 (-want +got):\n%s", diff)
		}
	})

	t.Run("OK_EmptyYearUsesDefaultCapacity", func(t *testing.T) {
		got, err := db.YearReport(ctx, 2020, store.ReportOptions{DefaultCapacity: 400})
		if err != nil {
			t.Fatal(err)
		}
		if got.Capacity != 400 || got.CapacitySource != figures.CapacityDefault || got.Nominations != 0 ||
			got.Utilisation == nil || *got.Utilisation != 0 || got.ByMinistry.Groups == nil || len(got.ByMinistry.Groups) != 0 {
			t.Errorf("empty year = %+v", got)
		}
	})

	t.Run("OK_WithTrendFromFirstYear", func(t *testing.T) {
		got, err := db.YearReport(ctx, 2013, store.ReportOptions{WithTrend: true})
		if err != nil {
			t.Fatal(err)
		}
		var years []int
		for _, r := range got.Trend {
			years = append(years, r.Year)
		}
		if diff := cmp.Diff([]int{2011, 2012, 2013}, years); diff != "" {
			t.Errorf("trend years (-want +got):\n%s", diff)
		}
	})
}

func TestTrendReport(t *testing.T) {
	db := MustReportFixture(t)
	ctx := context.Background()
	opt := store.ReportOptions{DefaultCapacity: 400}

	t.Run("OK_RangeWithEmptyYears", func(t *testing.T) {
		got, err := db.TrendReport(ctx, ptr(2011), ptr(2014), opt)
		if err != nil {
			t.Fatal(err)
		}
		// 2011: Ali and Sara completed; 2013: Omar attended, Karim declined;
		// 2014 has nothing but still its capacity.
		want := []figures.TrendRow{
			{Year: 2011, Capacity: 400, CapacitySource: "default", Nominations: 2, Committed: 2, Participated: 2, Participants: 2, Utilisation: ptr(0.005)},
			{Year: 2012, Capacity: 10, CapacitySource: "set", Nominations: 11, Committed: 6, Participated: 4, Participants: 3, Utilisation: ptr(0.4)},
			{Year: 2013, Capacity: 400, CapacitySource: "default", Nominations: 2, Committed: 1, Participated: 1, Participants: 1, Utilisation: ptr(0.0025)},
			{Year: 2014, Capacity: 400, CapacitySource: "default", Utilisation: ptr(0.0)},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("trend (-want +got):\n%s", diff)
		}
	})

	t.Run("OK_DefaultRangeIsYearsWithNominations", func(t *testing.T) {
		got, err := db.TrendReport(ctx, nil, nil, opt)
		if err != nil {
			t.Fatal(err)
		}
		// Nominations exist from 2011 (ETE-10@2011-12-31) to 2026.
		if len(got) != 16 || got[0].Year != 2011 || got[15].Year != 2026 {
			t.Errorf("default trend spans %d rows, first %+v", len(got), got[0])
		}
	})

	t.Run("OK_EmptyDatabase", func(t *testing.T) {
		got, err := MustOpen(t).TrendReport(ctx, nil, nil, opt)
		if err != nil {
			t.Fatal(err)
		}
		if got == nil || len(got) != 0 {
			t.Errorf("trend of an empty database = %#v, want an empty list", got)
		}
	})
}

func TestDemandReport(t *testing.T) {
	db := MustReportFixture(t)
	got, err := db.DemandReport(context.Background(), 2012)
	if err != nil {
		t.Fatal(err)
	}
	// Requests 2012: MoD counter-terrorism 3+1, MoI crisis-management 4, MoI
	// defence-education 2 (nobody nominated); the 2013 request is ignored.
	// Omar's nominations count under MoD, where he was when nominated, not
	// MoFA, where he is now; Karim's, stored without a ministry, under MoI.
	// Fill rate = committed / requested: MoD CT Ali completed of 4 = 0.25;
	// MoI CM Sara approved of 4 = 0.25. NSA requested nothing but shows.
	row := func(m, a string, req *int, n, c, p int, fill *float64) figures.DemandRow {
		return figures.DemandRow{Ministry: m, Area: a, Requested: req, Nominations: n, Committed: c, Participated: p, FillRate: fill}
	}
	want := &figures.Demand{Year: 2012,
		Rows: []figures.DemandRow{
			row("MoD", "counter-terrorism", ptr(4), 2, 1, 1, ptr(0.25)),
			row("MoD", "crisis-management", nil, 1, 1, 1, nil),
			row("MoD", "energy-security", nil, 1, 1, 0, nil),
			row("MoI", "counter-terrorism", nil, 2, 1, 1, nil),
			row("MoI", "crisis-management", ptr(4), 2, 1, 0, ptr(0.25)),
			row("MoI", "defence-education", ptr(2), 0, 0, 0, ptr(0.0)),
			row("MoI", "energy-security", nil, 1, 0, 0, nil),
			row("NSA", "counter-terrorism", nil, 1, 0, 0, nil),
			row("NSA", "energy-security", nil, 1, 1, 1, nil),
		},
		ByMinistry: []figures.DemandRow{
			row("MoD", "", ptr(4), 4, 3, 2, ptr(0.75)),
			row("MoI", "", ptr(6), 5, 2, 1, ptr(2.0/6)),
			row("NSA", "", nil, 2, 1, 1, nil),
		},
		Total: row("", "", ptr(10), 11, 6, 4, ptr(0.6)),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("demand 2012 (-want +got):\n%s", diff)
	}

	empty, err := db.DemandReport(context.Background(), 2030)
	if err != nil {
		t.Fatal(err)
	}
	if empty.Rows == nil || empty.ByMinistry == nil || len(empty.Rows) != 0 || empty.Total.Requested != nil {
		t.Errorf("demand of an empty year = %+v, want empty lists and no request", empty)
	}
}

func TestOfferingsReport(t *testing.T) {
	db := MustReportFixture(t)
	got, err := db.OfferingsReport(context.Background(), 2012)
	if err != nil {
		t.Fatal(err)
	}
	// Fill rate = committed / seats: M5-106 2 of 4, ETE-10 2 of 2, EN-1 has
	// no seats announced, the cancelled ETE-10 run 0 of 2.
	want := []figures.OfferingRow{
		{Ref: "M5-106@2012-03-05", Course: "M5-106", Title: "Counter-Terrorism Awareness", Area: "counter-terrorism",
			Start: "2012-03-05", Seats: ptr(4), Status: "open", Nominations: 5, Committed: 2, Participated: 2,
			Alternates: 1, NoShows: 1, FillRate: ptr(0.5)},
		{Ref: "ETE-10@2012-06-11", Course: "ETE-10", Title: "Crisis Management", Area: "crisis-management",
			Start: "2012-06-11", Seats: ptr(2), Status: "open", Nominations: 3, Committed: 2, Participated: 1,
			FillRate: ptr(1.0)},
		{Ref: "ETE-10@2012-09-10", Course: "ETE-10", Title: "Crisis Management", Area: "crisis-management",
			Start: "2012-09-10", Seats: ptr(2), Status: "cancelled", FillRate: ptr(0.0)},
		{Ref: "EN-1@2012-11-19", Course: "EN-1", Title: "Energy Security", Area: "energy-security",
			Start: "2012-11-19", Status: "open", Nominations: 3, Committed: 2, Participated: 1, Alternates: 1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("offerings 2012 (-want +got):\n%s", diff)
	}
}

func TestUpcomingReport(t *testing.T) {
	db := MustReportFixture(t)
	t.Run("OK_StartsInWindow", func(t *testing.T) {
		got, err := db.UpcomingReport(context.Background(), "2026-11-28", "2027-01-09")
		if err != nil {
			t.Fatal(err)
		}
		// ETE-10@2026-12-07: 2 seats, Ali approved, Sara nominated, Omar
		// alternate; its deadline passed 8 days ago. M5-106@2026-12-14: full
		// (its one seat confirmed), listed all the same. M5-106@2027-01-04:
		// seats not announced. Left out: EN-1@2027-03-01 (its deadline passed
		// before the window, its start is after it), EN-1@2027-04-05, the
		// cancelled ETE-10@2026-12-20, ETE-10@2026-11-01 (already started).
		want := []figures.UpcomingRow{
			{Ref: "ETE-10@2026-12-07", Course: "ETE-10", Title: "Crisis Management", Start: "2026-12-07", Deadline: "2026-11-20",
				DaysToDeadline: ptr(-8), DaysToStart: 9, Seats: ptr(2), Committed: 1, OpenSeats: ptr(1), AwaitingApproval: 1, Alternates: 1},
			{Ref: "M5-106@2026-12-14", Course: "M5-106", Title: "Counter-Terrorism Awareness", Start: "2026-12-14",
				DaysToStart: 16, Seats: ptr(1), Committed: 1, OpenSeats: ptr(0)},
			{Ref: "M5-106@2027-01-04", Course: "M5-106", Title: "Counter-Terrorism Awareness", Start: "2027-01-04",
				DaysToStart: 37},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("upcoming (-want +got):\n%s", diff)
		}
	})
	// The bug of issue 14: a run whose deadline was 10 days away, starting
	// outside the window, was left out.
	t.Run("OK_DeadlineInWindow", func(t *testing.T) {
		got, err := db.UpcomingReport(context.Background(), "2027-02-19", "2027-03-05")
		if err != nil {
			t.Fatal(err)
		}
		want := []figures.UpcomingRow{
			{Ref: "EN-1@2027-03-01", Course: "EN-1", Title: "Energy Security", Start: "2027-03-01", Deadline: "2026-11-01",
				DaysToDeadline: ptr(-110), DaysToStart: 10, Seats: ptr(3), OpenSeats: ptr(3)},
			{Ref: "EN-1@2027-04-05", Course: "EN-1", Title: "Energy Security", Start: "2027-04-05", Deadline: "2027-03-01",
				DaysToDeadline: ptr(10), DaysToStart: 45, Seats: ptr(2), OpenSeats: ptr(2)},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("upcoming (-want +got):\n%s", diff)
		}
	})
}

func TestEligibilityReport(t *testing.T) {
	db := MustReportFixture(t)
	e, err := db.EligibilityReport(context.Background(), 2012)
	if err != nil {
		t.Fatal(err)
	}
	got := e.Rows
	// M5-106 wants English 2222 and OF-2: Sara (2121, OF-1) falls short in
	// English and rank, Huda's profile and rank are unknown, Karim is OR-7.
	// Ali (3232, OF-3) and Omar (3333, OF-4) qualify. EN-1 wants 3333: Huda
	// (unknown) and Sara (2121) fall short; Omar qualifies. ETE-10 has no
	// prerequisites.
	type short struct {
		Offering, Name string
		Kinds          []string
	}
	var have []short
	for _, r := range got {
		s := short{Offering: r.Offering, Name: r.Name}
		for _, g := range r.Gaps {
			s.Kinds = append(s.Kinds, g.Kind)
		}
		have = append(have, s)
	}
	want := []short{
		{"M5-106@2012-03-05", "Huda", []string{"english", "rank"}},
		{"M5-106@2012-03-05", "Karim", []string{"rank"}},
		{"M5-106@2012-03-05", "Sara", []string{"english", "rank"}},
		{"EN-1@2012-11-19", "Huda", []string{"english"}},
		{"EN-1@2012-11-19", "Sara", []string{"english"}},
	}
	if diff := cmp.Diff(want, have); diff != "" {
		t.Errorf("eligibility 2012 (-want +got):\n%s", diff)
	}
	if !got[0].Gaps[0].Unknown || got[2].Gaps[0].Unknown {
		t.Errorf("Huda's gaps should be unknown, Sara's known: %+v / %+v", got[0].Gaps, got[2].Gaps)
	}
}

func TestPersonReport(t *testing.T) {
	db := MustReportFixture(t)
	ctx := context.Background()

	t.Run("OK_ByRef", func(t *testing.T) {
		got, err := db.PersonReport(ctx, "B2")
		if err != nil {
			t.Fatal(err)
		}
		// Sara: 2011 completed, 2012 attended, approved and (alternate)
		// cancelled, 2026 nominated: 5 nominations, committed 3, participated 2.
		var offerings []string
		for _, n := range got.Nominations {
			offerings = append(offerings, n.Offering+" "+n.Status)
		}
		want := []string{"ETE-10@2011-12-31 completed", "M5-106@2012-03-05 attended", "ETE-10@2012-06-11 approved",
			"EN-1@2012-11-19 cancelled", "ETE-10@2026-12-07 nominated"}
		if diff := cmp.Diff(want, offerings); diff != "" {
			t.Errorf("history (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(figures.Counts{Nominations: 5, Committed: 3, Participated: 2}, got.Totals); diff != "" {
			t.Errorf("totals (-want +got):\n%s", diff)
		}
		if got.Name != "Sara" || got.ID != 2 || got.Ministry != "MoI" {
			t.Errorf("person = %+v", got)
		}
	})
	t.Run("OK_ByIDWithoutHistory", func(t *testing.T) {
		err := db.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO person (id, name, name_key, ministry, created_at, updated_at)
				VALUES (9, 'Nadia', 'nadia', 'MoO', 'T', 'T')`)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.PersonReport(ctx, "9")
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "Nadia" || got.Nominations == nil || len(got.Nominations) != 0 || got.Totals != (figures.Counts{}) {
			t.Errorf("person without nominations = %+v", got)
		}
	})
	t.Run("ErrNotFound_SuggestsRef", func(t *testing.T) {
		_, err := db.PersonReport(ctx, "B3")
		if nomtrack.ErrorCode(err) != nomtrack.ENOTFOUND {
			t.Fatalf("error = %v, want ENOTFOUND", err)
		}
		if msg := nomtrack.ErrorMessage(err); !strings.Contains(msg, "B3 not found") || !strings.Contains(msg, "did you mean B2?") {
			t.Errorf("message = %q", msg)
		}
	})
}

func TestCostsReport(t *testing.T) {
	db := MustReportFixture(t)
	got, err := db.CostsReport(context.Background(), 2012)
	if err != nil {
		t.Fatal(err)
	}
	// As the year report's cost, plus areas and providers: energy-security
	// is Omar (confirmed) and Huda (completed) on EN-1 at 850.50;
	// crisis-management is ETE-10, whose fee is unknown: Ali attended, Sara
	// approved. NATO School runs M5-106 and EN-1, NDC ETE-10.
	want := &figures.Costs{Year: 2012, Currency: "EUR",
		Committed: fees(410100, 6, 2), Participated: fees(325050, 4, 1),
		ByFunding: figures.CostBreakdown{Dimension: "funding", Rows: []figures.CostRow{
			{Key: "nato", Committed: fees(240000, 2, 0), Participated: fees(240000, 2, 0)},
			{Key: "national", Committed: fees(85050, 2, 1), Participated: fees(0, 1, 1)},
			{Key: "host"}, {Key: "other"},
			{Key: "unknown", Committed: fees(85050, 2, 1), Participated: fees(85050, 1, 0)}}},
		ByMinistry: figures.CostBreakdown{Dimension: "ministry", Rows: []figures.CostRow{
			{Key: "MoD", Committed: fees(205050, 3, 1), Participated: fees(120000, 2, 1)},
			{Key: "MoI", Committed: fees(120000, 2, 1), Participated: fees(120000, 1, 0)},
			{Key: "NSA", Committed: fees(85050, 1, 0), Participated: fees(85050, 1, 0)}}},
		ByArea: figures.CostBreakdown{Dimension: "area", Rows: []figures.CostRow{
			{Key: "counter-terrorism", Committed: fees(240000, 2, 0), Participated: fees(240000, 2, 0)},
			{Key: "energy-security", Committed: fees(170100, 2, 0), Participated: fees(85050, 1, 0)},
			{Key: "crisis-management", Committed: fees(0, 2, 2), Participated: fees(0, 1, 1)}}},
		ByProvider: figures.CostBreakdown{Dimension: "provider", Rows: []figures.CostRow{
			{Key: "NATO School", Committed: fees(410100, 4, 0), Participated: fees(325050, 3, 0)},
			{Key: "NDC", Committed: fees(0, 2, 2), Participated: fees(0, 1, 1)}}},
		UnknownFees: []figures.UnknownFeeRow{{Offering: "ETE-10@2012-06-11", Course: "ETE-10", Title: "Crisis Management",
			Provider: "NDC", Start: "2012-06-11", Committed: 2, Participated: 1}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("costs 2012 (-want +got):\n%s", diff)
	}
	if a := got.ByArea.Rows[2].Committed.Amount(); a != nil {
		t.Errorf("crisis-management's amount = %v, want unknown (nil): no fee is known", *a)
	}
}

func TestRepeatReport(t *testing.T) {
	db := MustReportFixture(t)
	ctx := context.Background()
	// 2011-2013 participations: Ali ETE-10 2011, M5-106 and ETE-10 2012;
	// Sara ETE-10 2011, M5-106 2012; Huda EN-1 2012; Omar M5-106 2013.
	got, err := db.RepeatReport(ctx, 2011, 2013, 2)
	if err != nil {
		t.Fatal(err)
	}
	course := func(code, title, start, status string) figures.RepeatCourse {
		return figures.RepeatCourse{Offering: code + "@" + start, Course: code, Title: title, Start: start, Status: status}
	}
	want := []figures.RepeatRow{
		{PersonID: 1, Person: "Ali", Ref: "A1", Ministry: "MoD", Participations: 3, Courses: []figures.RepeatCourse{
			course("ETE-10", "Crisis Management", "2011-12-31", "completed"),
			course("M5-106", "Counter-Terrorism Awareness", "2012-03-05", "completed"),
			course("ETE-10", "Crisis Management", "2012-06-11", "attended")}},
		{PersonID: 2, Person: "Sara", Ref: "B2", Ministry: "MoI", Participations: 2, Courses: []figures.RepeatCourse{
			course("ETE-10", "Crisis Management", "2011-12-31", "completed"),
			course("M5-106", "Counter-Terrorism Awareness", "2012-03-05", "attended")}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("repeat 2011-2013 (-want +got):\n%s", diff)
	}
	// Omar participated once, in 2013, under MoD, though he is now at MoFA.
	got, err = db.RepeatReport(ctx, 2013, 2013, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Ref != "C3" || got[0].Ministry != "MoD" {
		t.Errorf("2013 with --min 1 = %+v, want Omar under MoD", got)
	}
	got, err = db.RepeatReport(ctx, 2020, 2020, 2)
	if err != nil || got == nil || len(got) != 0 {
		t.Errorf("an empty range = %#v, %v; want an empty list", got, err)
	}
}
