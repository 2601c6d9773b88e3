package store

// How nomtrack reads a PostgreSQL --db value and says why a connection
// failed: a password never given or wrong, a pg_hba.conf that lets no one
// in, a server without SSL when sslmode demands it, a certificate that does
// not verify, a service or certificate file that cannot be read. Each is
// one sentence naming the URL with its password masked (MaskDSN) and what
// to change. Where pgx has no typed error (a server refusing SSL, a
// service it cannot find) its own fixed text is matched: the scenarios
// postgres_login and postgres_ssl fail if that text changes.

import (
	"crypto/x509"
	"errors"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/jackc/pgpassfile"
	"github.com/jackc/pgservicefile"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// parsePostgresURL is pgx.ParseConfig of a postgres:// or postgresql://
// URL, which applies the libpq environment (PGHOST, PGPORT, PGUSER,
// PGPASSWORD, PGPASSFILE and ~/.pgpass, PGSERVICE, PGSERVICEFILE and
// ~/.pg_service.conf, then PGSYSCONFDIR/pg_service.conf (see
// withSystemServiceFile), PGSSLMODE, PGSSLROOTCERT, …) as psql does; settings
// in the URL win. path is the URL masked, for messages. ignoredPassfile
// names a password file that others can read, whose password is not used,
// as libpq does not use it (pgx would).
func parsePostgresURL(path, dsn string) (cfg *pgx.ConnConfig, ignoredPassfile string, err error) {
	// pgx knows the scheme in lower case only; IsPostgresURL takes any case.
	if i := strings.Index(dsn, "://"); i >= 0 {
		dsn = strings.ToLower(dsn[:i]) + dsn[i:]
	}
	cfg, err = pgx.ParseConfig(withSystemServiceFile(dsn))
	if err != nil {
		return nil, "", postgresParseError(path, dsn, err)
	}
	if file := passfileOf(dsn); cfg.Password != "" && passwordFrom(dsn, cfg, file) && !private(file) {
		cfg.Password = ""
		ignoredPassfile = file
	}
	return cfg, ignoredPassfile, nil
}

// defaultSysconfDir is where Debian's libpq (the PostgreSQL that nomtrack
// is built and tested with) looks for the system-wide service file when
// PGSYSCONFDIR is not set: its `pg_config --sysconfdir`.
const defaultSysconfDir = "/etc/postgresql-common"

// systemServiceFile is libpq's system-wide service file:
// PGSYSCONFDIR/pg_service.conf.
func systemServiceFile() string {
	dir := os.Getenv("PGSYSCONFDIR")
	if dir == "" {
		dir = defaultSysconfDir
	}
	return filepath.Join(dir, "pg_service.conf")
}

// withSystemServiceFile gives pgx, which reads only the per-user service
// file, the system-wide one where libpq would read it: when the service
// the URL or PGSERVICE names is not in the per-user file (PGSERVICEFILE,
// else ~/.pg_service.conf; missing counts as not in it) and the system's
// file is there, the URL gains servicefile= naming it. A servicefile= in
// the URL is left alone, and so is a per-user file that cannot be read
// (pgx says so).
func withSystemServiceFile(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || hasServicefile(dsn) {
		return dsn
	}
	name := u.Query().Get("service")
	if name == "" {
		name = os.Getenv("PGSERVICE")
	}
	if name == "" {
		return dsn
	}
	if user := serviceFile(dsn); fileExists(user) {
		sf, err := pgservicefile.ReadServicefile(user)
		if err != nil {
			return dsn
		}
		if _, err := sf.GetService(name); err == nil {
			return dsn
		}
	}
	sys := systemServiceFile()
	if !fileExists(sys) {
		return dsn
	}
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "servicefile=" + url.QueryEscape(sys)
}

// hasServicefile reports whether the URL dsn names its service file.
func hasServicefile(dsn string) bool {
	u, err := url.Parse(dsn)
	return err == nil && u.Query().Has("servicefile")
}

func fileExists(file string) bool {
	_, err := os.Stat(file)
	return err == nil
}

// passfileOf is the password file pgx reads for dsn: passfile= in the
// URL, else PGPASSFILE, else ~/.pgpass.
func passfileOf(dsn string) string {
	if u, err := url.Parse(dsn); err == nil {
		if f := u.Query().Get("passfile"); f != "" {
			return f
		}
	}
	if f := os.Getenv("PGPASSFILE"); f != "" {
		return f
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".pgpass")
	}
	return ""
}

// passwordFrom reports whether cfg's password is the one pgx took from the
// password file: none was in the URL or PGPASSWORD, and the file's line
// for this host, port, database and user gives it (pgx's own lookup).
func passwordFrom(dsn string, cfg *pgx.ConnConfig, file string) bool {
	if file == "" || os.Getenv("PGPASSWORD") != "" {
		return false
	}
	if u, err := url.Parse(dsn); err == nil {
		if _, ok := u.User.Password(); ok || u.Query().Has("password") {
			return false
		}
	}
	pf, err := pgpassfile.ReadPassfile(file)
	if err != nil {
		return false
	}
	host := cfg.Host
	if network, _ := pgconn.NetworkAddress(cfg.Host, cfg.Port); network == "unix" {
		host = "localhost"
	}
	return pf.FindPassword(host, strconv.Itoa(int(cfg.Port)), cfg.Database, cfg.User) == cfg.Password
}

// private reports whether only its owner may read or write file, as libpq
// demands of a password file (mode 0600 or less).
func private(file string) bool {
	fi, err := os.Stat(file)
	return err != nil || fi.Mode().Perm()&0o077 == 0
}

// postgresParseError says what in a URL, the environment or a file pgx
// could not use. Only pgx's own reasons are repeated: its message for a
// URL it cannot parse may repeat the URL, password and all.
func postgresParseError(path, dsn string, err error) error {
	var inner string
	if cause := errors.Unwrap(err); cause != nil {
		inner = cause.Error()
	}
	var pe *fs.PathError
	hasPath := errors.As(err, &pe)
	switch {
	case strings.HasPrefix(inner, "unable to find service: "):
		name := strings.TrimPrefix(inner, "unable to find service: ")
		if sys := systemServiceFile(); fileExists(sys) && !hasServicefile(dsn) {
			return nomtrack.Errorf(nomtrack.EUSAGE, "the PostgreSQL service %q of %s is neither in the service file %s nor in the system's %s; add a [%s] section to one, or name the service file with PGSERVICEFILE", name, path, serviceFile(dsn), sys, name)
		}
		return nomtrack.Errorf(nomtrack.EUSAGE, "the PostgreSQL service %q of %s is not in the service file %s; add a [%s] section to it, or name the service file with PGSERVICEFILE", name, path, serviceFile(dsn), name)
	case strings.HasPrefix(inner, "failed to read service file: "):
		file := strings.TrimPrefix(inner, "failed to read service file: ")
		return nomtrack.Errorf(nomtrack.EUSAGE, "cannot read the PostgreSQL service file %s for %s; create it, or name another with PGSERVICEFILE", file, path)
	case inner == "sslmode is invalid":
		return nomtrack.Errorf(nomtrack.EUSAGE, "the sslmode of %s (from the URL, PGSSLMODE or the service file) is not one of disable, allow, prefer, require, verify-ca, verify-full", path)
	case strings.HasPrefix(inner, "unable to read CA file") && hasPath:
		return nomtrack.Errorf(nomtrack.EUSAGE, "cannot read the sslrootcert file %s for %s: %v", pe.Path, path, pe.Err)
	case inner == "unable to add CA to cert pool":
		return nomtrack.Errorf(nomtrack.EUSAGE, "the sslrootcert file of %s holds no PEM certificate", path)
	case (strings.HasPrefix(inner, "unable to read sslkey") || strings.HasPrefix(inner, "unable to read cert")) && hasPath:
		return nomtrack.Errorf(nomtrack.EUSAGE, "cannot read the client certificate file %s for %s: %v", pe.Path, path, pe.Err)
	}
	return nomtrack.Errorf(nomtrack.EUSAGE, "%s is not a valid PostgreSQL URL (postgres://user@host:port/dbname?sslmode=…)", path)
}

// serviceFile is the service file pgx reads for dsn: servicefile= in the
// URL, else PGSERVICEFILE, else ~/.pg_service.conf.
func serviceFile(dsn string) string {
	if u, err := url.Parse(dsn); err == nil {
		if f := u.Query().Get("servicefile"); f != "" {
			return f
		}
	}
	if f := os.Getenv("PGSERVICEFILE"); f != "" {
		return f
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".pg_service.conf")
	}
	return "~/.pg_service.conf"
}

// postgresLoginError says why connecting as user to the database path
// failed when the server refused the login; any other error goes to
// mapOpenError. gavePassword is whether a password came from anywhere (the
// URL, PGPASSWORD, the password file, the service file); ignoredPassfile
// is a password file not read because others can read it.
func postgresLoginError(path, user string, gavePassword bool, ignoredPassfile string, err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == pgInvalidPassword && ignoredPassfile != "":
			return nomtrack.Errorf(nomtrack.EINTERNAL, "the PostgreSQL server of %s wants a password for user %s, and the password file %s was not read because others can read it (as psql does not read it); make it private with chmod 600 %s", path, user, ignoredPassfile, ignoredPassfile)
		case pe.Code == pgInvalidPassword && !gavePassword:
			return nomtrack.Errorf(nomtrack.EINTERNAL, "the PostgreSQL server of %s wants a password for user %s and none was given; set PGPASSWORD, or put it in ~/.pgpass (or the file PGPASSFILE names)", path, user)
		case pe.Code == pgInvalidPassword:
			return nomtrack.Errorf(nomtrack.EINTERNAL, "password authentication failed for user %s at %s; check the password in PGPASSWORD, ~/.pgpass (or PGPASSFILE) or the service file", user, path)
		case pe.Code == pgInvalidAuth:
			return nomtrack.Errorf(nomtrack.EINTERNAL, "the PostgreSQL server of %s refused user %s: there is no such role, or its pg_hba.conf lets it in from nowhere like this (host, database, SSL); ask the server's administrator", path, user)
		}
	}
	return mapOpenError(path, err)
}

// postgresTLSError says why a connection could not be made secure as
// sslmode asked; ok is false when err is not about SSL.
func postgresTLSError(path string, err error) (mapped error, ok bool) {
	var unknownCA x509.UnknownAuthorityError
	var wrongHost x509.HostnameError
	var invalid x509.CertificateInvalidError
	var reason string
	switch {
	case strings.Contains(err.Error(), "server refused TLS connection"):
		reason = "the server does not offer SSL, which the sslmode (require, verify-ca or verify-full) demands; turn ssl on at the server, or connect with sslmode=prefer or disable on a network you trust"
	case errors.As(err, &unknownCA):
		reason = "its certificate is not signed by a CA this machine trusts; give the CA's certificate with sslrootcert=FILE (or put it in ~/.postgresql/root.crt)"
	case errors.As(err, &wrongHost):
		reason = "its certificate is for another host name than the URL's; connect with the name on the certificate (verify-full checks it)"
	case errors.As(err, &invalid):
		reason = "its certificate has expired or is not valid for a server; ask the server's administrator"
	case strings.Contains(err.Error(), "tls error"):
		reason = "the SSL handshake failed; check sslmode and the certificate files"
	default:
		return nil, false
	}
	return nomtrack.Errorf(nomtrack.EINTERNAL, "cannot connect securely to the PostgreSQL server of %s: %s", path, reason), true
}
