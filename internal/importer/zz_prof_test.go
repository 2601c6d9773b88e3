package importer

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"
)

func TestZZProfileImport(t *testing.T) {
	dir := os.Getenv("PROF_DIR")
	if dir == "" {
		t.Skip()
	}
	path := MustCatalogue(t, dir)
	db := MustOpen(t, path)
	defer db.Close()
	start := time.Now()
	cache, _ := strconv.Atoi(os.Getenv("PROF_CACHE"))
	sum, err := Run(context.Background(), db, dir+"/"+os.Getenv("PROF_FILE"), Options{CacheSizeKiB: cache})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, path + "-wal"} {
		if st, err := os.Stat(f); err == nil {
			t.Logf("%s %d", f, st.Size())
		}
	}
	if k := os.Getenv("PROF_KEEP"); k != "" {
		db.Close()
		b, _ := os.ReadFile(path)
		os.WriteFile(k, b, 0o600)
	}
	t.Logf("%v created=%d rejected=%d", time.Since(start), sum.Created, sum.Rejected)
}
