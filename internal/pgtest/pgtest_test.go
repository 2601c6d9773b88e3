package pgtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

func TestMain(m *testing.M) {
	// The helper modes run as child processes of TestClusterGoneAfter*:
	// they start a cluster, print its server's pid and die badly.
	switch os.Getenv("PGTEST_HELPER") {
	case "panic", "sigkill":
		os.Exit(helperMain(m))
	}
	Main(m)
}

func TestNewDatabaseIsEmptyAndPrivate(t *testing.T) {
	ctx := context.Background()
	a, b := NewDatabase(t), NewDatabase(t)
	if a == b {
		t.Fatalf("two databases share the URL %s", a)
	}
	ca, err := pgx.Connect(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	defer ca.Close(ctx)
	var tables int
	if err := ca.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 0 {
		t.Fatalf("a new database has %d tables, want none", tables)
	}
	if _, err := ca.Exec(ctx, `CREATE TABLE t (x TEXT)`); err != nil {
		t.Fatal(err)
	}
	cb, err := pgx.Connect(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close(ctx)
	if _, err := cb.Exec(ctx, `SELECT * FROM t`); err == nil {
		t.Fatal("a table made in one test database is visible in another")
	}
	// Byte order, as SQLite's BINARY collation, so that listings match.
	var collate string
	if err := ca.QueryRow(ctx, `SELECT datcollate FROM pg_database WHERE datname = current_database()`).Scan(&collate); err != nil {
		t.Fatal(err)
	}
	if collate != "C" {
		t.Fatalf("collation %q, want C", collate)
	}
}

func TestCreateDatabaseForAnOrdinaryOwner(t *testing.T) {
	u, drop, err := CreateDatabaseFor("coordinator")
	if err != nil {
		SkipOrFail(t, err)
		return
	}
	defer drop()
	// A second database for the same role: the role is made once.
	u2, drop2, err := CreateDatabaseFor("coordinator")
	if err != nil {
		t.Fatal(err)
	}
	defer drop2()
	ctx := context.Background()
	for _, u := range []string{u, u2} {
		conn, err := pgx.Connect(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		var user string
		var super bool
		if err := conn.QueryRow(ctx, `SELECT current_user, usesuper FROM pg_user WHERE usename = current_user`).Scan(&user, &super); err != nil {
			t.Fatal(err)
		}
		if user != "coordinator" || super {
			t.Errorf("connected as %s (superuser %v), want coordinator, not a superuser", user, super)
		}
		if _, err := conn.Exec(ctx, `CREATE TABLE owned (x TEXT)`); err != nil {
			t.Errorf("the owner cannot create a table: %v", err)
		}
		conn.Close(ctx)
	}
	if _, _, err := CreateDatabaseFor("Robert'); DROP"); err == nil {
		t.Error("a role name that needs quoting was accepted")
	}
}

func TestDatabaseDroppedAtCleanup(t *testing.T) {
	var u string
	t.Run("inner", func(t *testing.T) { u = NewDatabase(t) })
	if u == "" || t.Skipped() {
		return
	}
	if ServerPID() == 0 {
		t.Skip("no cluster (skipped above)")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, u)
	if err == nil {
		conn.Close(ctx)
		t.Fatalf("the database %s still exists after its test ended", u)
	}
}

func TestMissingServerSaysWhereItLooked(t *testing.T) {
	oldGlob, oldLook := searchGlob, lookPath
	defer func() { searchGlob, lookPath = oldGlob, oldLook }()
	searchGlob = filepath.Join(t.TempDir(), "*", "bin")
	lookPath = func(string) (string, error) { return "", exec.ErrNotFound }
	_, err := BinDir()
	if err == nil {
		t.Fatal("BinDir found a server in an empty directory")
	}
	for _, want := range []string{"PostgreSQL server binaries not found", searchGlob, "PATH", "install Debian's postgresql"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q does not say %q", err, want)
		}
	}
	if Available() {
		t.Error("Available with no binaries")
	}
}

// recorder is a testing.TB that records how a test ended.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper()           {}
func (r *recorder) Skip(args ...any)  { r.skipped = fmt.Sprint(args...) }
func (r *recorder) Fatal(args ...any) { r.failed = fmt.Sprint(args...) }

func TestMissingServerSkipsLocallyFailsInCI(t *testing.T) {
	oldGlob, oldLook := searchGlob, lookPath
	defer func() { searchGlob, lookPath = oldGlob, oldLook }()
	searchGlob = filepath.Join(t.TempDir(), "*", "bin")
	lookPath = func(string) (string, error) { return "", exec.ErrNotFound }
	_, err := BinDir()

	t.Setenv("CI", "")
	local := &recorder{}
	SkipOrFail(local, err)
	if local.skipped != err.Error() || local.failed != "" {
		t.Errorf("without CI: skipped %q, failed %q; want a skip saying %q", local.skipped, local.failed, err)
	}
	t.Setenv("CI", "true")
	ci := &recorder{}
	SkipOrFail(ci, err)
	if ci.failed != err.Error() || ci.skipped != "" {
		t.Errorf("with CI=true: skipped %q, failed %q; want a failure saying %q", ci.skipped, ci.failed, err)
	}
}

func TestBinDirPrefersNewestVersion(t *testing.T) {
	oldGlob, oldLook := searchGlob, lookPath
	defer func() { searchGlob, lookPath = oldGlob, oldLook }()
	root := t.TempDir()
	for _, v := range []string{"9.6", "15", "13", "16"} {
		dir := filepath.Join(root, v, "bin")
		os.MkdirAll(dir, 0o755)
		if v == "16" {
			continue // incomplete: no server in it
		}
		for _, name := range []string{"initdb", "pg_ctl", "postgres"} {
			os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"), 0o755)
		}
	}
	searchGlob = filepath.Join(root, "*", "bin")
	lookPath = func(string) (string, error) { return "", exec.ErrNotFound }
	got, err := BinDir()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(root, "15", "bin"); got != want {
		t.Fatalf("BinDir = %s, want %s", got, want)
	}
}

// TestClusterGoneAfterPanic and TestClusterGoneAfterSIGKILL start a test
// binary that starts a cluster and then dies without running any cleanup;
// the server must go anyway.
func TestClusterGoneAfterPanic(t *testing.T)   { clusterGoneAfter(t, "panic") }
func TestClusterGoneAfterSIGKILL(t *testing.T) { clusterGoneAfter(t, "sigkill") }

func clusterGoneAfter(t *testing.T, how string) {
	if !Available() {
		NewDatabase(t) // skips, or fails in CI, with the reason
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "PGTEST_HELPER="+how)
	out, _ := cmd.Output()
	fields := strings.Fields(string(out))
	if len(fields) < 2 || fields[0] != "server" {
		t.Fatalf("helper printed %q, want the server's pid and directory", out)
	}
	pid, err := strconv.Atoi(fields[1])
	if err != nil || pid <= 0 {
		t.Fatalf("helper printed %q", out)
	}
	dir := fields[2]
	// The watchdog stops the server as soon as it sees the helper gone;
	// wait for that generously (this is not a timing assertion).
	deadline := time.Now().Add(60 * time.Second)
	for {
		alive := syscall.Kill(pid, 0) == nil
		_, statErr := os.Stat(dir)
		if !alive && errors.Is(statErr, os.ErrNotExist) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the helper died (%s), server pid %d alive=%v, directory %s left=%v", how, pid, alive, dir, statErr == nil)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func helperMain(m *testing.M) int {
	c, err := shared(Local)
	if err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		return 1
	}
	if err := c.exec(context.Background(), "CREATE DATABASE helper"); err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		return 1
	}
	os.Stdout.WriteString("server " + strconv.Itoa(ServerPID()) + " " + c.dir + "\n")
	os.Stdout.Sync()
	if os.Getenv("PGTEST_HELPER") == "sigkill" {
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
	}
	panic("pgtest helper: dying without cleanup")
}

// tcpURL is the URL of database name on s over TCP as role.
func tcpURL(s *Server, role, password, name, query string) string {
	u := "postgres://" + role
	if password != "" {
		u += ":" + password
	}
	return fmt.Sprintf("%s@%s:%d/%s?%s", u, s.Host, s.Port, name, query)
}

// loginCode is the SQLSTATE of a failed login ("" when it succeeded, the
// error's text when it is not a server's refusal).
func loginCode(t *testing.T, url string) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err == nil {
		conn.Close(ctx)
		return ""
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return err.Error()
}

func TestTCPServerLogsInWithPasswordsOnly(t *testing.T) {
	s, err := StartServer(TCP)
	if err != nil {
		SkipOrFail(t, err)
		return
	}
	name, drop, err := s.CreateDatabase("remote_alice", "pw-'quoted'")
	if err != nil {
		t.Fatal(err)
	}
	defer drop()
	if code := loginCode(t, tcpURL(s, "remote_alice", "pw-''quoted''", name, "sslmode=disable")); code != "28P01" {
		t.Errorf("a wrong password: %q, want 28P01", code)
	}
	if code := loginCode(t, tcpURL(s, "remote_alice", "pw-'quoted'", name, "sslmode=disable")); code != "" {
		t.Errorf("the right password: %q, want a login", code)
	}
	// The superuser has no password: it cannot log in over TCP.
	if code := loginCode(t, tcpURL(s, serverUser, "", "postgres", "sslmode=disable")); code != "28P01" {
		t.Errorf("the superuser without a password: %q, want 28P01", code)
	}
	if code := loginCode(t, tcpURL(s, "remote_alice", "pw-'quoted'", name, "sslmode=require")); !strings.Contains(code, "server refused TLS connection") {
		t.Errorf("sslmode=require on a server without SSL: %q, want a refusal", code)
	}
	if _, _, err := s.CreateDatabase("remote_alice", ""); err == nil {
		t.Error("a network role without a password was accepted")
	}
	if _, err := StartServer(Local); err == nil {
		t.Error("StartServer(Local) gave a network address to a socket-only cluster")
	}
}

func TestTLSServerVerifiesAgainstItsRoot(t *testing.T) {
	s, err := StartServer(TLS)
	if err != nil {
		SkipOrFail(t, err)
		return
	}
	name, drop, err := s.CreateDatabase("remote_bob", "pw-bob")
	if err != nil {
		t.Fatal(err)
	}
	defer drop()
	for _, q := range []string{"sslmode=require", "sslmode=verify-full&sslrootcert=" + s.RootCert, "sslmode=disable"} {
		if code := loginCode(t, tcpURL(s, "remote_bob", "pw-bob", name, q)); code != "" {
			t.Errorf("%s: %q, want a login", q, code)
		}
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, tcpURL(s, "remote_bob", "pw-bob", name, "sslmode=verify-full&sslrootcert="+s.RootCert))
	if err != nil {
		t.Fatal(err)
	}
	var ssl bool
	if err := conn.QueryRow(ctx, `SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()`).Scan(&ssl); err != nil || !ssl {
		t.Errorf("verify-full connection: ssl %v (%v), want an encrypted connection", ssl, err)
	}
	conn.Close(ctx)
	if code := loginCode(t, tcpURL(s, "remote_bob", "pw-bob", name, "sslmode=verify-full&sslrootcert="+s.OtherRootCert)); !strings.Contains(code, "certificate signed by unknown authority") {
		t.Errorf("verify-full against another CA: %q, want an unknown authority", code)
	}
}
