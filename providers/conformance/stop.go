package conformance

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
)

// stopGate is a transport that closes the run's Stop when the first mutating
// request leaves, holds that request a moment (so that others queue behind
// it, on an adapter's client lock or the lane's slots), and records every
// mutating request that leaves well after the signal: there must be none.
type stopGate struct {
	next    http.RoundTripper
	stop    chan struct{}
	mu      sync.Mutex
	stopped time.Time
	late    []string
}

const stopHold = 300 * time.Millisecond

func (g *stopGate) RoundTrip(req *http.Request) (*http.Response, error) {
	if action := actionOf(req); mutating(action) {
		g.mu.Lock()
		switch {
		case g.stopped.IsZero():
			g.stopped = time.Now()
			close(g.stop)
			g.mu.Unlock()
			time.Sleep(stopHold)
		case time.Since(g.stopped) > stopHold/3:
			g.late = append(g.late, action)
			g.mu.Unlock()
		default:
			g.mu.Unlock() // passed the engine's check before the signal: in flight
		}
	}
	return g.next.RoundTrip(req)
}

// actionOf finds the native action of a request: Alibaba's Action query
// parameter, or the X-*-Action header of Tencent and Zenlayer.
func actionOf(req *http.Request) string {
	if a := req.URL.Query().Get("Action"); a != "" {
		return a
	}
	for k, v := range req.Header {
		if strings.HasSuffix(strings.ToLower(k), "-action") && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

func mutating(action string) bool {
	return action != "" && !strings.HasPrefix(action, "Describe") && !strings.HasPrefix(action, "List") && !strings.HasPrefix(action, "Inquir")
}

// stopSendsNothingQueued binds eight EIPs one call each and signals Stop as
// the first call leaves: nothing queued behind it may be sent after the
// signal, what was sent is confirmed, and the rest is pending.
func stopSendsNothingQueued(t *testing.T, h Harness) {
	e := newEnv(t, h, bindDelay)
	g := &stopGate{next: http.DefaultTransport, stop: make(chan struct{})}
	p, err := h.Spec.New(eip.ProviderConfig{Endpoint: e.url, Credentials: eip.Credentials{ID: h.Profile.Credentials.ID, Secret: h.Profile.Credentials.Secret},
		Timeout: 10 * time.Second, Transport: g})
	if err != nil {
		t.Fatal(err)
	}
	kind := eip.Instance
	if !p.Capabilities().Supports(kind) {
		kind = eip.ENI
	}
	var items []eip.Binding
	for _, id := range e.pick(8) {
		items = append(items, e.binding(id, e.target(kind)))
	}
	eng := e.engine(p)
	eng.Stop = g.stop
	rep := e.run(eng, items...)
	if len(g.late) > 0 {
		t.Fatalf("sent %v after the signal", g.late)
	}
	s := rep.Summary()
	if !rep.Interrupted || s.Failed != 0 || s.Associated+s.Pending != len(items) || s.Associated == 0 {
		t.Fatalf("summary %+v interrupted %v, want the sent ones associated and the rest pending", s, rep.Interrupted)
	}
}
