// Package pgtest gives tests a real, throwaway PostgreSQL server: one
// cluster per test binary, made with the machine's own initdb and pg_ctl in
// a temporary directory, reachable only through a private Unix socket with
// trust authentication, and one fresh empty database per test.
//
// Tests of how a coordinator logs in over the network (passwords, sslmode)
// ask StartServer for a cluster that also listens on 127.0.0.1 with
// scram-sha-256 passwords (TCP), or with SSL on as well (TLS); network.go.
//
// Each cluster starts on first use and stops when the test binary
// ends. A watchdog process holds the other end of a pipe from the test
// binary; when the binary exits in any way (a test's panic, -timeout, a
// SIGKILL) the pipe closes and the watchdog stops the server and removes
// its directory, so no postgres process outlives the tests.
//
// Without server binaries NewDatabase skips the test with one line saying
// where it looked; with CI=true a missing server fails the test instead.
package pgtest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5"
)

// serverUser is the operating-system user the server runs as when the tests
// run as root (initdb and postgres refuse root), and the database superuser
// of every cluster.
const serverUser = "postgres"

// searchGlob is where Debian (and Ubuntu) put each PostgreSQL version's
// server binaries; PATH is searched after it.
var searchGlob = "/usr/lib/postgresql/*/bin"

// lookPath is exec.LookPath, replaceable by this package's tests.
var lookPath = exec.LookPath

// BinDir is the directory holding initdb, pg_ctl and postgres: the newest
// /usr/lib/postgresql/N/bin that has them, else the directory of initdb on
// PATH. The error says where it looked.
func BinDir() (string, error) {
	dirs, _ := filepath.Glob(searchGlob)
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, d := range dirs {
		if hasServer(d) {
			return d, nil
		}
	}
	if p, err := lookPath("initdb"); err == nil {
		if d := filepath.Dir(p); hasServer(d) {
			return d, nil
		}
		// A symlink on PATH (/usr/local/bin/initdb -> the version's bin).
		if real, err := filepath.EvalSymlinks(p); err == nil && hasServer(filepath.Dir(real)) {
			return filepath.Dir(real), nil
		}
	}
	return "", fmt.Errorf("PostgreSQL server binaries not found (looked in %s and PATH); install Debian's postgresql to run the PostgreSQL half", searchGlob)
}

// versionOf reads N from /usr/lib/postgresql/N/bin (0 when it is not a number).
func versionOf(dir string) float64 {
	v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(dir)), 64)
	return v
}

func hasServer(dir string) bool {
	for _, name := range []string{"initdb", "pg_ctl", "postgres"} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
			return false
		}
	}
	return true
}

// Available reports whether this machine can run a test cluster.
func Available() bool {
	_, err := BinDir()
	return err == nil
}

// InCI reports whether the tests run in CI (CI=true), where a missing
// server is a failure rather than a reason to skip.
func InCI() bool {
	ci, _ := strconv.ParseBool(os.Getenv("CI"))
	return ci
}

// EngineEnv chooses the engine of the tests that run on either:
// NOMTRACK_TEST_ENGINE=postgres runs the PostgreSQL half (the store's
// conformance suite, the testscript scenarios, internal/safety/pgsafety),
// anything else the SQLite half. scripts/test.sh runs both.
const EngineEnv = "NOMTRACK_TEST_ENGINE"

// OnPostgres reports whether the tests run their PostgreSQL half.
func OnPostgres() bool { return os.Getenv(EngineEnv) == "postgres" }

// Main runs the tests and then stops the cluster, if one was started,
// before exiting. Without it the watchdog stops the cluster when the
// binary exits; with it the server is gone before the binary's exit code
// is reported.
func Main(m *testing.M) {
	code := m.Run()
	Stop()
	os.Exit(code)
}

// cluster is a running server of this test binary.
type cluster struct {
	kind     Kind
	dir      string // temporary directory: data/, the socket, server.log
	sockDir  string
	port     int // the TCP port (and the socket's number); 0: the default 5432, socket only
	certs    *certFiles
	watchdog *exec.Cmd
	lifeline io.WriteCloser // closing it makes the watchdog stop the server
}

var (
	mu      sync.Mutex
	running = map[Kind]*cluster{}
	failed  = map[Kind]error{} // a start that failed is not retried by every test
	dbSeq   atomic.Int64
)

// NewDatabase creates an empty database in this binary's cluster (starting
// the cluster on first use), drops it when the test ends, and returns its
// postgres:// URL, connecting as the superuser through the private socket.
// Without server binaries it skips the test (fails it under CI=true).
func NewDatabase(tb testing.TB) string {
	tb.Helper()
	u, drop, err := CreateDatabase()
	if err != nil {
		SkipOrFail(tb, err)
		return ""
	}
	tb.Cleanup(func() {
		if err := drop(); err != nil {
			tb.Errorf("pgtest: %v", err)
		}
	})
	return u
}

// CreateDatabase is NewDatabase for code that has no testing.TB (a
// testscript Setup): it returns the URL and the function that drops the
// database. Its error, when the cluster cannot start, is for SkipOrFail.
func CreateDatabase() (url string, drop func() error, err error) {
	return CreateDatabaseFor(serverUser)
}

// CreateDatabaseFor is CreateDatabase for a database owned by role, an
// ordinary login role (made if missing; roles belong to the cluster), and a
// URL that connects as it: the owner may create the schema, as a
// programme's role on a real server does, but is no superuser.
func CreateDatabaseFor(role string) (url string, drop func() error, err error) {
	c, err := shared(Local)
	if err != nil {
		return "", nil, err
	}
	name, drop, err := c.createDatabase(role, "")
	if err != nil {
		return "", nil, err
	}
	return c.urlAs(role, name), drop, nil
}

// createDatabase makes a database owned by role (made if missing, given
// password unless it is empty) and returns its name and what drops it.
func (c *cluster) createDatabase(role, password string) (name string, drop func() error, err error) {
	if !roleName.MatchString(role) {
		return "", nil, fmt.Errorf("pgtest: %q is not a plain role name", role)
	}
	ctx := context.Background()
	if role != serverUser {
		// Concurrent tests may make the same role: either error means it exists.
		err := c.exec(ctx, `DO $$ BEGIN CREATE ROLE `+role+` LOGIN;
			EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`)
		if err != nil {
			return "", nil, fmt.Errorf("pgtest: create role %s: %v", role, err)
		}
	}
	if password != "" {
		// A literal: standard_conforming_strings is on, so only ' is special.
		lit := "'" + strings.ReplaceAll(password, "'", "''") + "'"
		if err := c.exec(ctx, "ALTER ROLE "+role+" PASSWORD "+lit); err != nil {
			return "", nil, fmt.Errorf("pgtest: set the password of %s: %v", role, err)
		}
	}
	name = fmt.Sprintf("t%d_%d", os.Getpid(), dbSeq.Add(1))
	if err := c.exec(ctx, "CREATE DATABASE "+name+" OWNER "+role+" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"); err != nil {
		return "", nil, fmt.Errorf("pgtest: create database: %v", err)
	}
	drop = func() error {
		if err := c.exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			return fmt.Errorf("drop database %s: %v", name, err)
		}
		return nil
	}
	return name, drop, nil
}

// roleName is what CreateDatabaseFor accepts: a name that needs no quoting.
var roleName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// T is how SkipOrFail ends a test: testing.TB and testscript.T both are.
type T interface {
	Skip(args ...any)
	Fatal(args ...any)
}

// SkipOrFail ends a test that cannot have a cluster: a skip, with err's one
// line, when the machine has no server binaries (outside CI), else a
// failure.
func SkipOrFail(t T, err error) {
	if h, ok := t.(interface{ Helper() }); ok {
		h.Helper()
	}
	if !Available() && !InCI() {
		t.Skip(err.Error())
		return
	}
	t.Fatal(err.Error())
}

// url is the URL of database name: the superuser over the Unix socket in
// sockDir (pgx and libpq read a host starting with / as a socket directory).
func (c *cluster) url(name string) string { return c.urlAs(serverUser, name) }

// urlAs is the URL of database name connecting as role over the socket,
// where every cluster trusts its users.
func (c *cluster) urlAs(role, name string) string {
	q := url.Values{"host": {c.sockDir}, "sslmode": {"disable"}}
	if c.port != 0 {
		q.Set("port", strconv.Itoa(c.port))
	}
	return (&url.URL{Scheme: "postgres", User: url.User(role), Path: "/" + name, RawQuery: q.Encode()}).String()
}

// exec runs one statement in the maintenance database.
func (c *cluster) exec(ctx context.Context, sql string) error {
	conn, err := pgx.Connect(ctx, c.url("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

// shared returns the binary's cluster of kind, starting it on first use.
func shared(kind Kind) (*cluster, error) {
	mu.Lock()
	defer mu.Unlock()
	if c := running[kind]; c != nil {
		return c, nil
	}
	if err := failed[kind]; err != nil {
		return nil, err
	}
	c, err := startKind(kind)
	if err != nil {
		failed[kind] = err
		return nil, err
	}
	running[kind] = c
	return c, nil
}

// Stop stops every cluster now (an immediate shutdown: nothing in them is
// kept) and removes their directories. NewDatabase starts a new one after it.
func Stop() {
	mu.Lock()
	defer mu.Unlock()
	for kind, c := range running {
		c.stop()
		delete(running, kind)
	}
}

func (c *cluster) stop() {
	c.lifeline.Close()
	c.watchdog.Wait()
}

// start makes and starts a cluster of kind in a new temporary directory,
// listening on port too unless it is 0.
func start(kind Kind, port int) (c *cluster, err error) {
	bin, err := BinDir()
	if err != nil {
		return nil, err
	}
	asRoot := os.Geteuid() == 0
	var owner *user.User
	if asRoot {
		if owner, err = user.Lookup(serverUser); err != nil {
			return nil, fmt.Errorf("pgtest: the tests run as root and PostgreSQL refuses root, but there is no %q user to run it as: %v", serverUser, err)
		}
	}
	// A socket path is limited to about 100 bytes: keep the directory short.
	dir, err := os.MkdirTemp(shortTempDir(), "nomtrack-pg-")
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(dir)
		}
	}()
	if asRoot {
		uid, _ := strconv.Atoi(owner.Uid)
		gid, _ := strconv.Atoi(owner.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return nil, err
		}
	}
	data := filepath.Join(dir, "data")
	run := func(name string, args ...string) *exec.Cmd {
		prog := filepath.Join(bin, name)
		if asRoot {
			return exec.Command("runuser", append([]string{"-u", serverUser, "--", prog}, args...)...)
		}
		return exec.Command(prog, args...)
	}

	initdb := run("initdb", "-D", data, "-U", serverUser, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions")
	if out, err := initdb.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("pgtest: initdb: %v\n%s", err, out)
	}
	var netOpts []string
	var certs *certFiles
	if kind != Local {
		if netOpts, certs, err = prepareNetwork(kind, dir, data, port, owner); err != nil {
			return nil, err
		}
	}

	// The watchdog is started before the server so that no server can be
	// left without one. It is its own process group: a Ctrl-C to the tests
	// does not kill it before it has cleaned up.
	stopCmd := shellQuote(filepath.Join(bin, "pg_ctl")) + " -D " + shellQuote(data) + " stop -m immediate -w"
	if asRoot {
		stopCmd = "runuser -u " + serverUser + " -- " + stopCmd
	}
	watchdog := exec.Command("sh", "-c", "cat >/dev/null; "+stopCmd+" >/dev/null 2>&1; rm -rf "+shellQuote(dir))
	watchdog.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	lifeline, err := watchdog.StdinPipe()
	if err != nil {
		return nil, err
	}
	if err := watchdog.Start(); err != nil {
		return nil, fmt.Errorf("pgtest: start watchdog: %v", err)
	}
	c = &cluster{kind: kind, dir: dir, sockDir: dir, port: port, certs: certs, watchdog: watchdog, lifeline: lifeline}

	opts := strings.Join(append([]string{
		"-c listen_addresses=''",
		"-k " + dir,
		"-c fsync=off",
		"-c synchronous_commit=off",
		"-c full_page_writes=off",
		"-c shared_buffers=32MB",
		"-c max_connections=120",
	}, netOpts...), " ")
	pgctl := run("pg_ctl", "-D", data, "-l", filepath.Join(dir, "server.log"), "-o", opts, "-w", "-t", "120", "start")
	// The server inherits pg_ctl's process group: its own, away from the
	// terminal's signals (the watchdog stops it).
	pgctl.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if out, err := pgctl.CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "server.log"))
		c.stop()
		return nil, fmt.Errorf("pgtest: pg_ctl start: %v\n%s\n%s", err, out, lastLines(log, 20))
	}
	return c, nil
}

// shortTempDir is $TMPDIR unless that is too long for a socket path.
func shortTempDir() string {
	if d := os.TempDir(); len(d) <= 60 {
		return d
	}
	return "/tmp"
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func lastLines(b []byte, n int) []byte {
	lines := bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return bytes.Join(lines, []byte("\n"))
}

// ServerPID is the process id of the Local cluster's postmaster (0 when it
// does not run), for tests that check it is gone.
func ServerPID() int {
	mu.Lock()
	defer mu.Unlock()
	c := running[Local]
	if c == nil {
		return 0
	}
	b, err := os.ReadFile(filepath.Join(c.dir, "data", "postmaster.pid"))
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(string(bytes.SplitN(b, []byte("\n"), 2)[0]))
	return pid
}
