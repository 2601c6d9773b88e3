package pgtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Kind is how a test cluster can be reached. Every kind keeps the private
// Unix socket with trust authentication, through which pgtest itself
// makes roles and databases.
type Kind int

const (
	// Local is the socket only: what NewDatabase and CreateDatabaseFor use.
	Local Kind = iota
	// TCP also listens on 127.0.0.1, on a free port, where every role logs
	// in with its password (scram-sha-256); SSL is off, so a client that
	// requires it is refused.
	TCP
	// TLS is TCP with SSL on: the server's certificate, for 127.0.0.1 only
	// (so that connecting as localhost shows verify-full checking the
	// name), is signed by a throwaway CA (Server.RootCert).
	TLS
)

func (k Kind) String() string {
	switch k {
	case TCP:
		return "tcp"
	case TLS:
		return "tls"
	}
	return "local"
}

// Server is a running cluster as a client on the network sees it.
type Server struct {
	Host string // 127.0.0.1
	Port int
	// RootCert is the PEM file of the CA that signed the server's
	// certificate (TLS only), for sslrootcert; OtherRootCert is a CA that
	// signed nothing here, for a verification that must fail.
	RootCert, OtherRootCert string
	c                       *cluster
}

// StartServer returns the test binary's cluster of kind (TCP or TLS),
// starting it on first use; it stops when the binary ends, as the Local
// one does. Its error, when the cluster cannot start, is for SkipOrFail.
func StartServer(kind Kind) (*Server, error) {
	if kind == Local {
		return nil, fmt.Errorf("pgtest: StartServer is for the TCP and TLS kinds; a Local cluster has no network address")
	}
	c, err := shared(kind)
	if err != nil {
		return nil, err
	}
	s := &Server{Host: "127.0.0.1", Port: c.port, c: c}
	if c.certs != nil {
		s.RootCert, s.OtherRootCert = c.certs.root, c.certs.otherRoot
	}
	return s, nil
}

// CreateDatabase makes an empty database owned by role, an ordinary login
// role (made if missing) whose password becomes password, and returns the
// database's name and the function that drops it. The role logs in over
// TCP with that password; roles belong to the cluster, so tests running at
// once should each use a role of their own.
func (s *Server) CreateDatabase(role, password string) (name string, drop func() error, err error) {
	if password == "" {
		return "", nil, fmt.Errorf("pgtest: a role that logs in over TCP needs a password")
	}
	return s.c.createDatabase(role, password)
}

// startKind starts a cluster of kind; a network cluster's port is chosen
// free just before the server binds it, so another process may take it
// first: then it tries again with another.
func startKind(kind Kind) (*cluster, error) {
	if kind == Local {
		return start(Local, 0)
	}
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		var port int
		if port, err = freePort(); err != nil {
			return nil, err
		}
		var c *cluster
		if c, err = start(kind, port); err == nil {
			return c, nil
		}
		if !strings.Contains(err.Error(), "could not bind") && !strings.Contains(err.Error(), "in use") {
			return nil, err
		}
	}
	return nil, err
}

// freePort is a TCP port of 127.0.0.1 that nothing listened on a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pgtest: no free port on 127.0.0.1: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// prepareNetwork writes the pg_hba.conf of a network cluster (trust on the
// socket, scram-sha-256 on 127.0.0.1), its certificates when kind is TLS,
// and returns the server options that go with them.
func prepareNetwork(kind Kind, dir, data string, port int, owner *user.User) ([]string, *certFiles, error) {
	hba := "local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n"
	if err := os.WriteFile(filepath.Join(data, "pg_hba.conf"), []byte(hba), 0o600); err != nil {
		return nil, nil, err
	}
	opts := []string{
		"-c listen_addresses=127.0.0.1",
		"-p " + strconv.Itoa(port),
		"-c password_encryption=scram-sha-256",
	}
	if kind != TLS {
		return append(opts, "-c ssl=off"), nil, nil
	}
	certs, err := writeCerts(dir, data, owner)
	if err != nil {
		return nil, nil, fmt.Errorf("pgtest: certificates: %v", err)
	}
	return append(opts, "-c ssl=on", "-c ssl_cert_file="+certs.serverCert, "-c ssl_key_file="+certs.serverKey), certs, nil
}

// certFiles are a TLS cluster's certificates: the server's (in its data
// directory, its key 0600 and owned by the server's user, as PostgreSQL
// demands) and the CAs a client may trust (in the cluster's directory).
type certFiles struct {
	serverCert, serverKey string
	root, otherRoot       string
}

// writeCerts makes a CA, a server certificate it signs for 127.0.0.1, and
// a second CA that signs nothing. ECDSA P-256 keys: made in
// a millisecond.
func writeCerts(dir, data string, owner *user.User) (*certFiles, error) {
	caKey, caCert, caDER, err := newCA("nomtrack test CA")
	if err != nil {
		return nil, err
	}
	_, _, otherDER, err := newCA("nomtrack unrelated CA")
	if err != nil {
		return nil, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &key.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, err
	}
	f := &certFiles{
		serverCert: filepath.Join(data, "server.crt"),
		serverKey:  filepath.Join(data, "server.key"),
		root:       filepath.Join(dir, "root.crt"),
		otherRoot:  filepath.Join(dir, "other-root.crt"),
	}
	for _, w := range []struct {
		path, kind string
		der        []byte
		server     bool
	}{
		{f.serverCert, "CERTIFICATE", der, true},
		{f.serverKey, "EC PRIVATE KEY", keyDER, true},
		{f.root, "CERTIFICATE", caDER, false},
		{f.otherRoot, "CERTIFICATE", otherDER, false},
	} {
		b := pem.EncodeToMemory(&pem.Block{Type: w.kind, Bytes: w.der})
		mode := os.FileMode(0o644)
		if w.server {
			mode = 0o600
		}
		if err := os.WriteFile(w.path, b, mode); err != nil {
			return nil, err
		}
		if w.server && owner != nil {
			uid, _ := strconv.Atoi(owner.Uid)
			gid, _ := strconv.Atoi(owner.Gid)
			if err := os.Chown(w.path, uid, gid); err != nil {
				return nil, err
			}
		}
	}
	return f, nil
}

// newCA makes a self-signed CA certificate named name.
func newCA(name string) (*ecdsa.PrivateKey, *x509.Certificate, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	return key, cert, der, err
}
