package sim

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// TLS files, in <state dir>/sim/tls/. The CA's key is never written: the CA
// exists only to sign this one server certificate, so nothing else can be
// signed with it later.
const (
	caFile      = "ca.pem"
	certFile    = "server.pem"
	certKeyFile = "server-key.pem"
	tlsLifetime = 90 * 24 * time.Hour
)

// TLSFiles is what `sim serve --tls` serves with and tells clients to trust.
type TLSFiles struct {
	CA   string // the CA certificate clients point their CA setting at
	Cert tls.Certificate
}

// EnsureTLS returns a server certificate for 127.0.0.1, ::1 and localhost
// signed by a throw-away CA, both kept in dir. A pair that is still valid
// for a day is reused, so clients configured with the CA keep working across
// restarts; otherwise (or after --reset) a new CA and certificate are made.
func EnsureTLS(dir string, now time.Time) (TLSFiles, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return TLSFiles{}, fmt.Errorf("emulator TLS directory %s: %w", dir, err)
	}
	files := TLSFiles{CA: filepath.Join(dir, caFile)}
	if cert, err := tls.LoadX509KeyPair(filepath.Join(dir, certFile), filepath.Join(dir, certKeyFile)); err == nil && usable(cert, files.CA, now) {
		files.Cert = cert
		return files, nil
	}
	caPEM, certPEM, keyPEM, err := issue(now)
	if err != nil {
		return TLSFiles{}, fmt.Errorf("emulator TLS: %w", err)
	}
	for name, b := range map[string][]byte{caFile: caPEM, certFile: certPEM, certKeyFile: keyPEM} {
		if err := writeAtomic(filepath.Join(dir, name), b); err != nil {
			return TLSFiles{}, fmt.Errorf("emulator TLS: %w", err)
		}
	}
	files.Cert, err = tls.X509KeyPair(certPEM, keyPEM)
	return files, err
}

// usable tells whether a saved certificate verifies against the saved CA
// for 127.0.0.1 for at least another day.
func usable(cert tls.Certificate, caPath string, now time.Time) bool {
	caPEM, err := os.ReadFile(caPath)
	if err != nil || len(cert.Certificate) == 0 {
		return false
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		return false
	}
	leaf, err := x509.ParseCertificate(cert.Certificate[0])
	if err != nil {
		return false
	}
	_, err = leaf.Verify(x509.VerifyOptions{Roots: pool, DNSName: "127.0.0.1", CurrentTime: now.Add(24 * time.Hour)})
	return err == nil
}

func issue(now time.Time) (caPEM, certPEM, keyPEM []byte, err error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, nil, err
	}
	serial := func() *big.Int {
		n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
		return n
	}
	ca := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: "eipctl emulator throw-away CA " + now.UTC().Format(time.RFC3339)},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(tlsLifetime),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, nil, nil, err
	}
	ca, _ = x509.ParseCertificate(caDER)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, nil, err
	}
	leaf := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(tlsLifetime),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		DNSNames:     []string{"localhost"},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, ca, &key.PublicKey, caKey)
	if err != nil {
		return nil, nil, nil, err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, nil, nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leafDER}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), nil
}
