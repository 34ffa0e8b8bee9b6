package e2e_test

import (
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// loopback listens on a loopback port and hands each connection to handle,
// in a goroutine of its own; at cleanup it stops listening, closes done
// and every connection. It returns the endpoint's URL.
func loopback(t *testing.T, handle func(c net.Conn, done <-chan struct{})) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			go handle(c, done)
		}
	}()
	t.Cleanup(func() {
		close(done)
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return "http://" + ln.Addr().String()
}

// silentEndpoint accepts every connection and never answers: a cloud
// endpoint that hangs (each connection held open, never read or written).
func silentEndpoint(t *testing.T) string {
	return loopback(t, func(net.Conn, <-chan struct{}) {})
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

// trickleEndpoint answers every request with a 200 whose body never ends:
// the headers at once, then a byte every 200ms.
func trickleEndpoint(t *testing.T) string {
	return loopback(t, func(c net.Conn, done <-chan struct{}) {
		_, _ = c.Read(make([]byte, 64<<10))
		_, _ = c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{"))
		for {
			select {
			case <-done:
				return
			case <-time.After(200 * time.Millisecond):
			}
			if _, err := c.Write([]byte(" ")); err != nil {
				return
			}
		}
	})
}

// closedEndpoint is a loopback port nothing listens on.
func closedEndpoint(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

// TestTimeoutBoundsASlowBodyAndAClosedPort: --timeout bounds a run whatever
// the endpoint does. A body that trickles forever ends with exit 4 within
// --timeout (plus the margin for process start); a closed port, retried
// as a network fault, ends within --timeout too (it took 9-10 s with
// --timeout 3s), failed rather than timed out when the retries end first.
func TestTimeoutBoundsASlowBodyAndAClosedPort(t *testing.T) {
	e := newEnv(t).with(
		"ALIBABA_CLOUD_ACCESS_KEY_ID", "id", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret",
		"TENCENTCLOUD_SECRET_ID", "id", "TENCENTCLOUD_SECRET_KEY", "secret",
		"ZENLAYERCLOUD_ACCESS_KEY_ID", "id", "ZENLAYERCLOUD_ACCESS_KEY_PASSWORD", "secret",
	)
	const timeout = 3 * time.Second
	bound := timeout + 3*time.Second
	endpoints := map[string]string{"slow body": trickleEndpoint(t), "closed port": closedEndpoint(t)}
	for _, c := range []struct{ provider, region, eip, target string }{
		{"alibaba", "cn-hangzhou", "eip-hz0001", "i-hz0001"},
		{"tencent", "ap-guangzhou", "eip-gz000001", "ins-gz000001"},
		{"zenlayer", "asia-east-1", "eip-ae0001", "nat-ae0001"},
	} {
		for _, kind := range []string{"slow body", "closed port"} {
			for verb, args := range map[string][]string{
				"associate": {"eip", "associate", "--provider", c.provider, "--region", c.region, "--eip", c.eip, "--target", c.target, "--no-lock"},
				"list":      {"eip", "list", "--provider", c.provider, "--region", c.region},
			} {
				t.Run(c.provider+"/"+kind+"/"+verb, func(t *testing.T) {
					start := time.Now()
					r := e.run(append(args, "--endpoint", endpoints[kind], "--timeout", timeout.String(), "-o", "json")...)
					took := time.Since(start)
					if r.code == 0 || (kind == "slow body" && r.code != 4) {
						t.Errorf("exit %d, want 4 (slow body) or a failure (closed port)\n%s", r.code, r)
					}
					if took > bound {
						t.Errorf("took %s with --timeout %s, want at most %s\n%s", took.Round(time.Millisecond), timeout, bound, r)
					}
				})
			}
		}
	}
}
