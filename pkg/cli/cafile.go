package cli

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"os"
)

// caTransport is the default transport trusting, besides the system roots,
// the CA certificates in path (ca-file: --ca-file, EIPCTL_CA_FILE or a
// profile), for https endpoints signed by a private CA such as the one
// `sim serve --tls` makes. Empty path: the default transport.
func caTransport(path string) (http.RoundTripper, error) {
	if path == "" {
		return http.DefaultTransport, nil
	}
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, &usageError{fmt.Errorf("--ca-file %s: %v: give the PEM file of the CA to trust (sim serve --tls prints it)", path, err)}
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, &usageError{fmt.Errorf("--ca-file %s holds no PEM certificate: give the CA file sim serve --tls prints", path)}
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	return t, nil
}
