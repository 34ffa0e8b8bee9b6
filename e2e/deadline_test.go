package e2e_test

import (
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// silentEndpoint is a listener on loopback that accepts every connection
// and never answers: a cloud endpoint that hangs.
func silentEndpoint(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c) // held open, never read or written
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return "http://" + ln.Addr().String()
}

// TestTimeoutBoundsASilentEndpoint: against an endpoint that accepts and
// never answers, every verb ends within its --timeout (plus a generous
// margin for process start and the report, not a benchmark), exits 4, and
// says that --timeout ran out. Without a bound on each request, this took
// minutes (six 30 s attempts per read, and list/describe had no --timeout).
func TestTimeoutBoundsASilentEndpoint(t *testing.T) {
	endpoint := silentEndpoint(t)
	e := newEnv(t).with(
		"ALIBABA_CLOUD_ACCESS_KEY_ID", "id", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret",
		"TENCENTCLOUD_SECRET_ID", "id", "TENCENTCLOUD_SECRET_KEY", "secret",
		"ZENLAYERCLOUD_ACCESS_KEY_ID", "id", "ZENLAYERCLOUD_ACCESS_KEY_PASSWORD", "secret",
	)
	clouds := []struct{ provider, region, eip, target string }{
		{"alibaba", "cn-hangzhou", "eip-hz0001", "i-hz0001"},
		{"tencent", "ap-guangzhou", "eip-gz000001", "ins-gz000001"},
		{"zenlayer", "asia-east-1", "eip-ae0001", "nat-ae0001"},
	}
	const timeout = 2 * time.Second
	bound := timeout + 3*time.Second
	for _, c := range clouds {
		verbs := map[string][]string{
			"associate": {"eip", "associate", "--provider", c.provider, "--region", c.region, "--eip", c.eip, "--target", c.target},
			"wait":      {"eip", "wait", c.eip, "--for", "available"},
			"list":      {"eip", "list", "--provider", c.provider},
			"describe":  {"eip", "describe", "--provider", c.provider, c.eip},
		}
		for _, verb := range []string{"associate", "wait", "list", "describe"} {
			t.Run(c.provider+"/"+verb, func(t *testing.T) {
				args := append(verbs[verb], "--endpoint", endpoint, "--timeout", timeout.String(), "-o", "json")
				start := time.Now()
				r := e.run(args...)
				took := time.Since(start)
				if r.code != 4 {
					t.Fatalf("exit %d, want 4 (timed out)\n%s", r.code, r)
				}
				if took > bound {
					t.Errorf("took %s with --timeout %s, want at most %s\n%s", took.Round(time.Millisecond), timeout, bound, r)
				}
				if !strings.Contains(r.stdout+r.stderr, "--timeout 2s") {
					t.Errorf("nothing says --timeout ran out\n%s", r)
				}
			})
		}
	}
}
