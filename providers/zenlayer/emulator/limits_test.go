package emulator

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/clock"
	"github.com/eipctl/eipctl/pkg/sim"
)

// limitedWorld is newWorld with the rate limits on.
func limitedWorld(t *testing.T) *world {
	t.Helper()
	fc := clock.NewFake(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	s, err := sim.New(sim.Options{Clock: fc, BindDelay: bindDelay, Profiles: []sim.Profile{Readable}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim.Handler(New(s)))
	t.Cleanup(srv.Close)
	return &world{t: t, s: s, clock: fc, url: srv.URL, host: strings.TrimPrefix(srv.URL, "http://")}
}

// ZEC publishes no limit; the emulator's stated default is 10 per second per
// action, answered with HTTP 429 REQUEST_LIMIT_EXCEEDED.
func TestZenlayerRateLimit(t *testing.T) {
	w := limitedWorld(t)
	for i := 0; i < 10; i++ {
		if st, env := w.raw("DescribeEips", map[string]any{"regionId": "asia-east-1"}); st != 200 {
			t.Fatalf("call %d of 10: %d %v", i+1, st, env)
		}
	}
	st, env := w.raw("DescribeEips", map[string]any{})
	if st != http.StatusTooManyRequests || env["code"] != "REQUEST_LIMIT_EXCEEDED" {
		t.Fatalf("11th call in one second: %d %v, want 429 REQUEST_LIMIT_EXCEEDED", st, env)
	}
	if st, _ := w.raw("UnassociateEipAddress", map[string]any{"eipIds": []string{"eip-ae0001"}}); st != 200 {
		t.Fatalf("another action shares the window: %d", st)
	}
	w.clock.Advance(time.Second)
	if st, _ := w.raw("DescribeEips", map[string]any{}); st != 200 {
		t.Fatalf("still throttled a second later: %d", st)
	}
	q := w.s.Requests()
	if q[0].Region != "asia-east-1" || q[0].Action != "DescribeEips" || q[10].Code != "REQUEST_LIMIT_EXCEEDED" || q[10].Status != 429 {
		t.Fatalf("request log: %+v / %+v", q[0], q[10])
	}
}

func TestZenlayerContentTypeAndDropAfterCommit(t *testing.T) {
	w := newWorld(t)
	resp, err := http.Post(w.url+Path, "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q, want application/json", ct)
	}
	w.s.Inject(sim.Fault{Kind: sim.FaultDropAfterCommit})
	nat := w.target("asia-east-1", "nat")
	noKeepAlive := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	if _, err := noKeepAlive.Do(w.signed("AssociateEipAddress", map[string]any{"natId": nat.ID, "eipIds": []string{"eip-ae0003"}})); err == nil {
		t.Fatal("answered through drop-after-commit")
	}
	if st := w.status("eip-ae0003"); st != StatusAssigning {
		t.Fatalf("eip-ae0003 is %s: the dropped bind was not applied", st)
	}
}
