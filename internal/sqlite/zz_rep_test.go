package sqlite

import (
	"context"
	"os"
	"testing"
	"time"
)

func TestZZReport(t *testing.T) {
	path := os.Getenv("REP_DB")
	if path == "" {
		t.Skip()
	}
	best := time.Hour
	defer func() { t.Logf("best %v", best) }()
	for i := 0; i < 8; i++ {
		start := time.Now()
		db, err := Open(context.Background(), path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		y, err := db.YearReport(context.Background(), 2018, ReportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		best = min(best, time.Since(start))
		_ = y
	}
}
