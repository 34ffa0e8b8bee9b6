package sim_test

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/sim"
)

func TestTLSServesWithAThrowAwayCA(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tls")
	files, err := sim.EnsureTLS(dir, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	s, _ := newSim(t, sim.Options{Profiles: []sim.Profile{frontProfile}})
	srv := httptest.NewUnstartedServer(sim.Handler(&fakeFront{s}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{files.Cert}}
	srv.StartTLS()
	defer srv.Close()

	caPEM, err := os.ReadFile(files.CA)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		t.Fatalf("%s holds no certificate", files.CA)
	}
	trusting := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := trusting.Get(srv.URL + "/Describe?region=r1&key=id")
	if err != nil {
		t.Fatalf("a client trusting the CA file: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if _, err := http.Get(srv.URL + "/Describe?region=r1&key=id"); err == nil {
		t.Fatal("a client with the system roots trusted the throw-away CA")
	}
	if _, err := os.Stat(filepath.Join(dir, "ca-key.pem")); !os.IsNotExist(err) {
		t.Fatal("the CA key was written")
	}

	// A restart reuses the pair, so configured clients keep working ...
	again, err := sim.EnsureTLS(dir, time.Now())
	if err != nil || again.CA != files.CA || string(again.Cert.Certificate[0]) != string(files.Cert.Certificate[0]) {
		t.Fatalf("the second start made a new certificate (%v)", err)
	}
	// ... until it is about to expire.
	later, err := sim.EnsureTLS(dir, time.Now().Add(89*24*time.Hour+time.Hour))
	if err != nil || string(later.Cert.Certificate[0]) == string(files.Cert.Certificate[0]) {
		t.Fatalf("a certificate a day from expiry was reused (%v)", err)
	}
}
