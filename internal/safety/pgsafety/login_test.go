package pgsafety

// Logging in over the network with a password (issue 17's server-grade
// safety): whatever a command prints, writes or records, the password is not
// in it. The login scenarios (testdata/script/postgres_login, postgres_ssl)
// check each way of giving a password; this sweeps the commands.

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nomtrack/nomtrack/internal/pgtest"
)

// TestPostgresPasswordNeverShownOverTCP logs in with scram-sha-256 over TCP
// (pgtest's TCP cluster), the password in the URL or in PGPASSWORD, and runs
// the commands that show, check, copy or refuse: none prints the password,
// in text or JSON, on stdout or stderr, and neither the programme's own
// records (the whole of it, copied into an SQLite file) nor the copy hold it.
// A wrong password is refused in one sentence that does not show it either.
func TestPostgresPasswordNeverShownOverTCP(t *testing.T) {
	srv, err := pgtest.StartServer(pgtest.TCP)
	if err != nil {
		pgtest.SkipOrFail(t, err)
		return
	}
	secret := make([]byte, 10)
	rand.Read(secret)
	password := "Pw" + hex.EncodeToString(secret)
	name, drop, err := srv.CreateDatabase("sweep_alice", password)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := drop(); err != nil {
			t.Error(err)
		}
	})
	base := fmt.Sprintf("postgres://sweep_alice@%s:%d/%s?sslmode=disable", srv.Host, srv.Port, name)
	inURL := fmt.Sprintf("postgres://sweep_alice:%s@%s:%d/%s?sslmode=disable", password, srv.Host, srv.Port, name)
	wrongURL := fmt.Sprintf("postgres://sweep_alice:Wr0ng%s@%s:%d/%s?sslmode=disable", password, srv.Host, srv.Port, name)

	dir := t.TempDir()
	commands := [][]string{
		{"init"},
		{"course", "add", "SAFE-1", "--title", "Safety Course", "--area", "crisis-management"},
		{"offering", "add", "SAFE-1", "--start", "2030-01-06", "--end", "2030-01-10", "--seats", "4"},
		{"course", "list"}, {"course", "list", "-o", "json"},
		{"offering", "list", "-o", "json"},
		{"db", "info"}, {"db", "info", "-o", "json"},
		{"config", "show"}, {"config", "show", "-o", "json"},
		{"audit", "-o", "json"},
		{"report", "year", "2030", "-o", "json"},
		{"db", "check"},
		{"db", "backup", filepath.Join(dir, "backup.db")},
		{"db", "migrate"},
	}
	type how struct {
		name string
		db   string
		env  []string
	}
	for i, h := range []how{
		{"in the URL", inURL, nil},
		{"in PGPASSWORD", base, []string{"PGPASSWORD=" + password}},
	} {
		e := &Env{Dir: t.TempDir(), DB: h.db}
		copyTo := filepath.Join(dir, fmt.Sprintf("copy%d.db", i))
		for j, args := range append(commands, []string{"db", "copy", "--to", copyTo}) {
			if i == 1 && j < 3 {
				continue // the catalogue is there already
			}
			r := runWithEnv(e, h.env, args...)
			AssertNoCrash(t, r)
			if strings.Contains(r.Stdout+r.Stderr, password) {
				t.Errorf("password %s shown:\n%v", h.name, r)
			}
			if r.Code != 0 && !(len(args) > 1 && args[0] == "db" && (args[1] == "backup" || args[1] == "check")) {
				t.Errorf("password %s: want success:\n%v", h.name, r)
			}
		}
		b, err := os.ReadFile(copyTo)
		if err != nil {
			t.Fatalf("password %s: no copy: %v", h.name, err)
		}
		if strings.Contains(string(b), password) {
			t.Errorf("password %s: the SQLite copy of the programme holds it", h.name)
		}
	}

	for _, args := range [][]string{{"course", "list"}, {"init"}, {"db", "info", "-o", "json"}, {"config", "show", "-o", "json"}} {
		r := (&Env{Dir: t.TempDir(), DB: wrongURL}).Run(t, args...)
		if strings.Contains(r.Stdout+r.Stderr, "Wr0ng") || strings.Contains(r.Stdout+r.Stderr, password) {
			t.Errorf("a wrong password shown:\n%v", r)
		}
		if args[0] == "config" {
			continue // shows the settings without connecting
		}
		if r.Code != 1 || !strings.HasPrefix(r.Stderr, "nomtrack: password authentication failed for user sweep_alice at postgres://sweep_alice:****@") || strings.Count(r.Stderr, "\n") != 1 {
			t.Errorf("a wrong password: want one sentence, exit 1:\n%v", r)
		}
		AssertNoServerErrorShown(t, r)
	}
}

// runWithEnv runs nomtrack in e with extra environment variables.
func runWithEnv(e *Env, extra []string, args ...string) Result {
	cmd := e.Command(args...)
	cmd.Env = append(cmd.Env, extra...)
	return run(cmd)
}
