// Package pgsafety runs the built binary as several coordinators' processes
// at once against one PostgreSQL database (issue 17): the seat race, many
// writers, readers beside an import, imports killed mid-way. It is apart
// from internal/safety (SQLite) so that each package's tests keep their own
// time budget.
package pgsafety

// Every test uses a fresh database of a throwaway cluster (internal/pgtest).
// What each test checks is read back through pgx directly, not through the
// binary under test.

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/nomtrack/nomtrack/internal/gen"
	"github.com/nomtrack/nomtrack/internal/pgtest"
)

// NewPostgresEnv is a fresh installation whose NOMTRACK_DB is a fresh
// PostgreSQL database, and a connection to that database for the test's
// own reads.
func NewPostgresEnv(tb testing.TB) (*Env, *pgx.Conn) {
	tb.Helper()
	e := &Env{Dir: tb.TempDir(), DB: pgtest.NewDatabase(tb)}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, e.DB)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { conn.Close(context.Background()) })
	return e, conn
}

// pgTables are the tables whose rows the PostgreSQL tests count.
var pgTables = []string{"course", "offering", "person", "person_change", "person_alias", "nomination",
	"nomination_event", "nomination_import_run", "request", "capacity", "audit"}

// MustPGCounts counts the rows of every table of pgTables, in one snapshot.
func MustPGCounts(tb testing.TB, conn *pgx.Conn) Counts {
	tb.Helper()
	ctx := context.Background()
	var parts []string
	for _, t := range pgTables {
		parts = append(parts, "(SELECT count(*) FROM "+t+")")
	}
	vals := make([]int64, len(pgTables))
	dest := make([]any, len(pgTables))
	for i := range vals {
		dest[i] = &vals[i]
	}
	if err := conn.QueryRow(ctx, "SELECT "+strings.Join(parts, ", ")).Scan(dest...); err != nil {
		tb.Fatalf("counting rows: %v", err)
	}
	c := Counts{}
	for i, t := range pgTables {
		c[t] = vals[i]
	}
	return c
}

// AssertPGCounts fails for every table whose count differs from want.
func AssertPGCounts(tb testing.TB, conn *pgx.Conn, want Counts) {
	tb.Helper()
	got := MustPGCounts(tb, conn)
	for _, t := range pgTables {
		if got[t] != want[t] {
			tb.Errorf("%s: %d rows, want %d", t, got[t], want[t])
		}
	}
}

// AssertNoServerErrorShown fails when a command's output shows what the
// user must never see from PostgreSQL: a serialization failure, a deadlock,
// an SQLSTATE or the driver's own words.
func AssertNoServerErrorShown(tb testing.TB, r Result) {
	tb.Helper()
	out := strings.ToLower(r.Stdout + r.Stderr)
	for _, bad := range []string{"serializ", "deadlock", "sqlstate", "40001", "40p01", "pgx", "pq:", "could not serialize", "duplicate key"} {
		if strings.Contains(out, bad) {
			tb.Errorf("output shows %q:\n%v", bad, r)
		}
	}
}

// mustPGCatalogue adds, through the binary, a course SAFE-1 and its
// offering on 2030-01-06 (seats as given; "" for not announced).
func mustPGCatalogue(tb testing.TB, e *Env, seats string) {
	tb.Helper()
	e.MustRun(tb, "course", "add", "SAFE-1", "--title", "Safety Course", "--area", "crisis-management")
	args := []string{"offering", "add", "SAFE-1", "--start", "2030-01-06", "--end", "2030-01-10"}
	if seats != "" {
		args = append(args, "--seats", seats)
	}
	e.MustRun(tb, args...)
}

// mustNominationID reads the id `nominate --json id -o json` printed.
func mustNominationID(tb testing.TB, r Result) string {
	tb.Helper()
	var v struct{ ID int64 }
	if err := json.Unmarshal([]byte(r.Stdout), &v); err != nil || v.ID == 0 {
		tb.Fatalf("nominate printed %q, want {\"id\": N}", r.Stdout)
	}
	return strconv.FormatInt(v.ID, 10)
}

// TestPostgresLastSeatOneWinner: two coordinators' processes approve the
// last seat of an offering at the same moment; exactly one succeeds, the
// other is refused with the seat-limit sentence and exit 3. Several rounds,
// each on an offering with one seat left, make the race likely to be met.
func TestPostgresLastSeatOneWinner(t *testing.T) {
	e, conn := NewPostgresEnv(t)
	e.MustRun(t, "course", "add", "SAFE-1", "--title", "Safety Course", "--area", "crisis-management")
	const rounds = 5
	for round := 0; round < rounds; round++ {
		start := fmt.Sprintf("2030-0%d-06", round+1)
		offering := "SAFE-1@" + start
		e.MustRun(t, "offering", "add", "SAFE-1", "--start", start, "--seats", "1")
		var ids [2]string
		for k := range ids {
			ref := fmt.Sprintf("SEAT-%d-%d", round, k)
			e.MustRun(t, "person", "add", "--name", fmt.Sprintf("Seat Taker %c%c", 'A'+round, 'K'+k), "--ministry", "MoD", "--ref", ref, "--yes")
			ids[k] = mustNominationID(t, e.MustRun(t, "nominate", ref, offering, "--json", "id", "-o", "json"))
		}
		at := make(chan struct{})
		var wg sync.WaitGroup
		results := make([]Result, 2)
		for k := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cmd := e.Command("nomination", "approve", ids[k])
				<-at
				results[k] = run(cmd)
			}()
		}
		close(at)
		wg.Wait()
		wins, refusals := 0, 0
		for _, r := range results {
			AssertNoCrash(t, r)
			AssertNoServerErrorShown(t, r)
			switch {
			case r.Code == 0:
				wins++
			case r.Code == 3 && strings.Contains(r.Stderr, "has 1 seat and 1 committed") && strings.Contains(r.Stderr, "use --over-allocate"):
				refusals++
			default:
				t.Errorf("round %d: an approval ended neither approved nor refused for the seat:\n%v", round, r)
			}
		}
		if wins != 1 || refusals != 1 {
			t.Errorf("round %d: %d approvals succeeded and %d were refused for the seat, want 1 and 1:\n%v\n%v", round, wins, refusals, results[0], results[1])
		}
		var committed int
		if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM nomination n JOIN offering o ON o.id = n.offering_id
			WHERE o.start = $1 AND n.status = 'approved'`, start).Scan(&committed); err != nil {
			t.Fatal(err)
		}
		if committed != 1 {
			t.Errorf("round %d: %d approved nominations hold the offering's one seat", round, committed)
		}
	}
}

// TestPostgresEightWritersNothingLost: eight processes at once, each
// running fifty writes of five kinds one after another. Every command
// succeeds without showing a serialization failure or deadlock (retries are
// the store's, silent), and every row and audit entry is there.
func TestPostgresEightWritersNothingLost(t *testing.T) {
	const writers, cycles = 8, 10 // five writes per cycle: 50 per writer
	e, conn := NewPostgresEnv(t)
	mustPGCatalogue(t, e, "")
	before := MustPGCounts(t, conn)

	start := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failed []Result
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			write := func(args ...string) Result {
				r := run(e.Command(args...))
				if r.Code != 0 || strings.Contains(strings.ToLower(r.Stderr), "serializ") || strings.Contains(strings.ToLower(r.Stderr), "deadlock") {
					mu.Lock()
					failed = append(failed, r)
					mu.Unlock()
				}
				return r
			}
			for c := 0; c < cycles; c++ {
				ref := fmt.Sprintf("W%d-%d", w, c)
				write("person", "add", "--name", fmt.Sprintf("Writer %c Person %c", 'A'+w, 'A'+c), "--ministry", "MoD", "--ref", ref, "--yes")
				var id struct{ ID int64 }
				r := write("nominate", ref, "SAFE-1@2030-01-06", "--json", "id", "-o", "json")
				json.Unmarshal([]byte(r.Stdout), &id)
				write("nomination", "approve", strconv.FormatInt(id.ID, 10))
				write("capacity", "set", strconv.Itoa(2100+w), strconv.Itoa(100+c))
				// A year of its own: a second request of one ministry, area
				// and year replaces the first.
				write("request", "add", "--ministry", "MoD", "--area", "crisis-management", "--year", strconv.Itoa(2200+w*cycles+c), "--seats", "1")
			}
		}()
	}
	close(start)
	wg.Wait()
	for _, r := range failed {
		t.Errorf("a concurrent write failed or showed a server error:\n%v", r)
	}

	want := Counts{}
	for k, v := range before {
		want[k] = v
	}
	n := int64(writers * cycles)
	want["person"] += n
	want["nomination"] += n
	want["nomination_event"] += 2 * n // creation and approval
	want["capacity"] += writers
	want["request"] += n
	want["audit"] += n // capacity.set, each a change
	AssertPGCounts(t, conn, want)
	var approved, events int64
	ctx := context.Background()
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM nomination WHERE status = 'approved'`).Scan(&approved); err != nil {
		t.Fatal(err)
	}
	if approved != n {
		t.Errorf("%d nominations approved, want %d", approved, n)
	}
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM audit WHERE action = 'capacity.set'`).Scan(&events); err != nil {
		t.Fatal(err)
	}
	if events != n {
		t.Errorf("%d capacity.set audit entries, want %d", events, n)
	}
	for w := 0; w < writers; w++ {
		var seats int
		if err := conn.QueryRow(ctx, `SELECT seats FROM capacity WHERE year = $1`, 2100+w).Scan(&seats); err != nil || seats != 100+cycles-1 {
			t.Errorf("capacity %d: %d seats (%v), want the writer's last value %d", 2100+w, seats, err, 100+cycles-1)
		}
	}
}

// importRows is the size of the import the tests watch and kill: long
// enough that readers run beside it.
const importRows = 100000

// pgImportFiles is a generated programme of importRows nominations (files
// only), once per test binary.
var pgImportFiles = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "nomtrack-safety-pg-")
	if err != nil {
		return "", err
	}
	afterAll = append(afterAll, func() { os.RemoveAll(dir) })
	_, err = gen.Write(dir, gen.Config{N: importRows, Seed: 7})
	return dir, err
})

// NewPostgresProgramme is a PostgreSQL installation holding the generated
// programme's catalogue, the nominations file to import, and the counts
// before the import.
func NewPostgresProgramme(tb testing.TB) (*Env, *pgx.Conn, string, Counts) {
	tb.Helper()
	dir, err := pgImportFiles()
	if err != nil {
		tb.Fatal(err)
	}
	e, conn := NewPostgresEnv(tb)
	e.MustRun(tb, "import", filepath.Join(dir, "courses.csv"), "--kind", "courses")
	e.MustRun(tb, "import", filepath.Join(dir, "offerings.csv"), "--kind", "offerings")
	return e, conn, filepath.Join(dir, "nominations.csv"), MustPGCounts(tb, conn)
}

// importBackend is the server process of the test database's one writing
// transaction (a backend with a transaction id), 0 when there is none.
func importBackend(ctx context.Context, conn *pgx.Conn) (int, error) {
	var pid int
	err := conn.QueryRow(ctx, `SELECT coalesce(max(pid), 0) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL`).Scan(&pid)
	return pid, err
}

// holdsNominationLock reports whether backend pid holds a lock on the
// nomination table: the import has begun writing nominations.
func holdsNominationLock(ctx context.Context, conn *pgx.Conn, pid int) (bool, error) {
	var n int
	err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_locks WHERE pid = $1 AND granted
		AND relation = 'nomination'::regclass`, pid).Scan(&n)
	return n > 0, err
}

// mustImportWriting starts the import and returns once its transaction has
// begun writing nominations, with its server process.
func mustImportWriting(tb testing.TB, e *Env, conn *pgx.Conn, file string) (*Started, int) {
	tb.Helper()
	ctx := context.Background()
	imp := e.Start(tb, "import", file, "--kind", "nominations")
	for {
		pid, err := importBackend(ctx, conn)
		if err != nil {
			tb.Fatal(err)
		}
		if pid != 0 {
			locked, err := holdsNominationLock(ctx, conn, pid)
			if err != nil {
				tb.Fatal(err)
			}
			if locked {
				return imp, pid
			}
		}
		if !imp.Running() {
			tb.Fatalf("the import ended before it was seen writing nominations; make it larger:\n%v", imp.Wait(tb))
		}
		time.Sleep(500 * time.Microsecond)
	}
}

// TestPostgresReaderNotBlockedByImport: while an import's transaction is
// writing, readers answer: no reader's server process ever waits for a lock
// (as it would behind a table lock, or an index the import drops), and
// they see none of the import.
func TestPostgresReaderNotBlockedByImport(t *testing.T) {
	e, conn, file, base := NewPostgresProgramme(t)
	ctx := context.Background()
	imp, pid := mustImportWriting(t, e, conn, file)

	// Watch every server process of the database but the import's: none
	// may wait for a lock while the import runs.
	stop := make(chan struct{})
	blocked := make(chan string, 1)
	watchConn, err := pgx.Connect(ctx, e.DB)
	if err != nil {
		t.Fatal(err)
	}
	defer watchConn.Close(ctx)
	go func() {
		defer close(blocked)
		for {
			select {
			case <-stop:
				return
			default:
			}
			var who string
			err := watchConn.QueryRow(ctx, `SELECT coalesce(string_agg(left(query, 200), ' | '), '') FROM pg_stat_activity
				WHERE datname = current_database() AND pid <> $1 AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'`, pid).Scan(&who)
			if err == nil && who != "" {
				blocked <- who
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()

	overlapped := 0
	readers := [][]string{
		{"nomination", "list", "--limit", "5", "-o", "json"},
		{"person", "list", "--limit", "5", "-o", "json"},
		{"offering", "list", "--limit", "5", "-o", "json"},
		{"report", "year", "2030", "-o", "json"},
		{"db", "info", "-o", "json"},
	}
	for i := 0; imp.Running() && i < 50; i++ {
		args := readers[i%len(readers)]
		r := e.Run(t, args...)
		if r.Code != 0 {
			t.Errorf("a reader failed during the import:\n%v", r)
		}
		AssertNoServerErrorShown(t, r)
		if still, _ := importBackend(ctx, conn); still == pid {
			overlapped++ // the reader began and ended within the import's transaction
		}
	}
	// Another session sees none of the uncommitted import: counted first,
	// then the import is seen still open (it cannot commit and reopen).
	counts := MustPGCounts(t, conn)
	if still, _ := importBackend(ctx, conn); still == pid {
		for _, table := range pgTables {
			if counts[table] != base[table] {
				t.Errorf("during the import another session sees %d rows of %s, want %d", counts[table], table, base[table])
			}
		}
	}
	r := imp.Wait(t)
	close(stop)
	if who, ok := <-blocked; ok {
		t.Errorf("a reader's server process waited for a lock held during the import: %s", who)
	}
	if r.Code != 0 {
		t.Fatalf("import:\n%v", r)
	}
	if overlapped == 0 {
		t.Fatal("no reader ran entirely within the import's transaction; make the import larger")
	}
	t.Logf("%d readers answered while the import's transaction was open", overlapped)
	if got := MustPGCounts(t, conn)["nomination"] - base["nomination"]; got != importRows {
		t.Errorf("the import added %d nominations, want %d", got, importRows)
	}
}

// TestPostgresKilledImportLeavesNone: an import stopped while its
// transaction writes nominations, by SIGKILL of the client or by the server
// cutting its connection (pg_terminate_backend), leaves none of it, and
// the next writer succeeds.
func TestPostgresKilledImportLeavesNone(t *testing.T) {
	for _, how := range []string{"client_sigkill", "connection_terminated"} {
		t.Run(how, func(t *testing.T) {
			e, conn, file, base := NewPostgresProgramme(t)
			ctx := context.Background()
			imp, pid := mustImportWriting(t, e, conn, file)
			switch how {
			case "client_sigkill":
				imp.cmd.Process.Signal(syscall.SIGKILL)
				<-imp.Done()
			case "connection_terminated":
				var ok bool
				if err := conn.QueryRow(ctx, `SELECT pg_terminate_backend($1)`, pid).Scan(&ok); err != nil || !ok {
					t.Fatalf("pg_terminate_backend(%d): %v %v", pid, ok, err)
				}
				r := imp.Wait(t)
				AssertNoServerErrorShown(t, r)
				lines := strings.Split(strings.TrimSpace(r.Stderr), "\n")
				if r.Code == 0 || !strings.HasPrefix(lines[len(lines)-1], "nomtrack: ") {
					t.Errorf("an import whose connection was cut must fail with one nomtrack sentence:\n%v", r)
				}
			}
			// The server rolls back once it sees its client gone.
			deadline := time.Now().Add(2 * time.Minute)
			for {
				if time.Now().After(deadline) {
					t.Fatalf("the import's server process %d still runs two minutes after its client went", pid)
				}
				var alive bool
				if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $1)`, pid).Scan(&alive); err != nil {
					t.Fatal(err)
				}
				if !alive {
					break
				}
				time.Sleep(10 * time.Millisecond)
			}
			AssertPGCounts(t, conn, base)
			e.MustRun(t, "capacity", "set", "2031", "10")
		})
	}
}
