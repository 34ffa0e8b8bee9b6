package e2e_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"sync"
	"testing"
)

// recorder is a loopback proxy in front of a `sim serve`: it counts the
// requests eipctl sends and keeps every signature value it sees, so a test can
// prove that nothing was sent, or that no signature was printed.
type recorder struct {
	URL string

	mu         sync.Mutex
	requests   int
	signatures map[string]bool
}

// Signatures sit in an Authorization header (TC3, ACS3, ZC2:
// "..., Signature=<hex>") or in an RPC query or form parameter (Alibaba v1).
var signatureRE = regexp.MustCompile(`Signature=([^&,\s"]+)`)

// recorded is a `sim serve` behind a recorder, and an environment holding
// the credentials the server accepts.
func recorded(t *testing.T, extra ...string) (*server, *recorder, *env) {
	t.Helper()
	s := serve(t, extra...)
	return s, newRecorder(t, s), s.clientEnv(t)
}

func newRecorder(t *testing.T, s *server) *recorder {
	t.Helper()
	target, err := url.Parse(s.Endpoint)
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(target)
	rc := &recorder{signatures: map[string]bool{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		rc.mu.Lock()
		rc.requests++
		for _, text := range []string{r.Header.Get("Authorization"), r.URL.RawQuery, string(body)} {
			for _, m := range signatureRE.FindAllStringSubmatch(text, -1) {
				rc.signatures[m[1]] = true
				if dec, err := url.QueryUnescape(m[1]); err == nil {
					rc.signatures[dec] = true
				}
			}
		}
		rc.mu.Unlock()
		// The Host header stays the proxy's: that is the host eipctl signed.
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	rc.URL = srv.URL
	return rc
}

func (rc *recorder) count() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.requests
}

func (rc *recorder) seenSignatures() []string {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var out []string
	for s := range rc.signatures {
		out = append(out, s)
	}
	return out
}
