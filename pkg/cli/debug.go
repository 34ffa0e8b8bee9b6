package cli

import (
	"cmp"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
)

// sensitive matches query parameters that carry credentials or signatures.
// SignatureMethod, SignatureNonce and ClientToken stay visible: they are not
// secret and they are what one compares when a request is refused.
var sensitive = regexp.MustCompile(`(?i)^(signature|accesskeyid|securitytoken|token)$|secret|password|credential`)

// debugTransport logs each request's method, redacted URL, action, status and
// duration. It logs no headers and no bodies: those carry signatures and
// tokens, and --debug output ends up pasted into tickets.
type debugTransport struct {
	next http.RoundTripper
	w    io.Writer
	mu   sync.Mutex // the engine's lanes send and read at once: one line at a time
}

func (d *debugTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	start := time.Now()
	action := cmp.Or(header(r.Header, "X-TC-Action"), header(r.Header, "x-acs-action"), header(r.Header, "X-ZC-Action"))
	resp, err := d.next.RoundTrip(r)
	took := time.Since(start).Round(time.Millisecond)
	d.mu.Lock()
	defer d.mu.Unlock()
	if err != nil {
		fmt.Fprintf(d.w, "debug: %s %s %s -> error after %s: %v\n", r.Method, redact(r.URL), action, took, err)
		return nil, err
	}
	fmt.Fprintf(d.w, "debug: %s %s %s -> %d in %s\n", r.Method, redact(r.URL), action, resp.StatusCode, took)
	return resp, nil
}

// header finds a header whatever the case of its key: some SDKs (Zenlayer's)
// write lower-case keys straight into the map, where Header.Get cannot see them.
func header(h http.Header, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// redact hides the values of credential-bearing query parameters.
func redact(u *url.URL) string {
	c := *u
	q := c.Query()
	for k := range q {
		if sensitive.MatchString(k) {
			q.Set(k, "REDACTED")
		}
	}
	c.RawQuery = q.Encode()
	return c.String()
}
