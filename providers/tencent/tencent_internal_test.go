package tencent

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/clock"
	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/engine"
	"github.com/eipctl/eipctl/pkg/pace"
	"github.com/eipctl/eipctl/pkg/sim"
	"github.com/eipctl/eipctl/providers/tencent/emulator"
)

const region = "ap-guangzhou"

var ctx = context.Background()

// world is the emulator on 127.0.0.1 with the adapter pointed at it.
type world struct {
	t     *testing.T
	sim   *sim.Sim
	clock *clock.Fake
	url   string
	prov  *Provider
}

func newWorld(t *testing.T, delay time.Duration) *world {
	t.Helper()
	fc := clock.NewFake(time.Now())
	s, err := sim.New(sim.Options{Clock: fc, BindDelay: delay, Profiles: []sim.Profile{emulator.Profile}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim.Handler(emulator.New(s)))
	t.Cleanup(srv.Close)
	w := &world{t: t, sim: s, clock: fc, url: srv.URL}
	w.prov = w.provider(eip.ProviderConfig{})
	return w
}

// provider builds the adapter for this world; empty fields get the emulator's.
func (w *world) provider(cfg eip.ProviderConfig) *Provider {
	w.t.Helper()
	if cfg.Endpoint == "" {
		cfg.Endpoint = w.url
	}
	if cfg.Credentials.ID == "" {
		cfg.Credentials = eip.Credentials{ID: emulator.Profile.Credentials.ID, Secret: emulator.Profile.Credentials.Secret}
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	p, err := New(cfg)
	if err != nil {
		w.t.Fatal(err)
	}
	return p.(*Provider)
}

func (w *world) engine() *engine.Engine {
	return &engine.Engine{
		Lookup:  func(string) (eip.Provider, error) { return w.prov, nil },
		Clock:   w.clock,
		Wait:    true,
		Timeout: 2 * time.Minute,
		// The fixed schedule: pollsUntil counts its rounds.
		Schedule: pace.DefaultSchedule,
	}
}

// pollsUntil is how many poll rounds the default schedule takes to see a
// change that takes d.
func pollsUntil(d time.Duration) int {
	n, t := 0, time.Duration(0)
	for ; t < d; n++ {
		t += pace.DefaultSchedule.Delay(n)
	}
	return n
}

// count tells how many requests of an action reached the emulator.
func (w *world) count(action string) int {
	n := 0
	for _, e := range w.sim.Journal() {
		if e.Action == action {
			n++
		}
	}
	return n
}

// wantCalls fails the test unless action reached the emulator n times;
// why says what was done, for the message.
func (w *world) wantCalls(action string, n int, why string) {
	w.t.Helper()
	if got := w.count(action); got != n {
		w.t.Fatalf("%s: %d %s calls, want %d", why, got, action, n)
	}
}

func (w *world) eipIP(id string) string {
	var ip string
	_ = w.sim.View("tencent", func(c *sim.Cloud) {
		r, _ := c.Region(region)
		if e, ok := r.EIP(id); ok {
			ip = e.IP
		}
	})
	return ip
}

func (w *world) phase(id string) (sim.Phase, string) {
	var ph sim.Phase
	var target string
	_ = w.sim.View("tencent", func(c *sim.Cloud) {
		r, _ := c.Region(region)
		if e, ok := r.EIP(id); ok {
			ph, target = e.Phase, e.TargetID
		}
	})
	return ph, target
}

func bind(eipID, target string) eip.Binding {
	return eip.Binding{Provider: "tencent", Region: region, EIP: eipID, Target: target}
}

// associate runs items through the engine; the run itself must not fail.
func (w *world) associate(items ...eip.Binding) *eip.Report {
	w.t.Helper()
	rep, err := w.engine().Associate(ctx, items)
	if err != nil {
		w.t.Fatal(err)
	}
	return rep
}

// disassociate unbinds ids of this region through the engine; the run
// itself must not fail.
func (w *world) disassociate(ids ...string) *eip.Report {
	w.t.Helper()
	var un []eip.Unbinding
	for _, id := range ids {
		un = append(un, eip.Unbinding{Provider: "tencent", Region: region, EIP: id})
	}
	rep, err := w.engine().Disassociate(ctx, un)
	if err != nil {
		w.t.Fatal(err)
	}
	return rep
}

func TestValidate(t *testing.T) {
	p := &Provider{}
	cases := []struct {
		name string
		b    eip.Binding
		flag string // the flag the usage error must name; empty means valid
	}{
		{"instance", eip.Binding{Target: "ins-1", TargetType: eip.Instance}, ""},
		{"ENI with private IP", eip.Binding{Target: "eni-1", TargetType: eip.ENI, PrivateIP: "10.0.0.5"}, ""},
		{"ENI inferred, no private IP", eip.Binding{Target: "eni-1"}, "--private-ip"},
		{"ENI without private IP", eip.Binding{Target: "eni-1", TargetType: eip.ENI}, "--private-ip"},
		{"private IP on an instance", eip.Binding{Target: "ins-1", TargetType: eip.Instance, PrivateIP: "10.0.0.5"}, "--private-ip"},
		{"instance region on NAT", eip.Binding{Target: "nat-1", TargetType: eip.NAT, InstanceRegion: "ap-shanghai"}, "--instance-region"},
		{"instance region on CLB", eip.Binding{Target: "lb-1", TargetType: eip.LB, InstanceRegion: "ap-shanghai"}, ""},
		{"type contradicts prefix", eip.Binding{Target: "nat-1", TargetType: eip.Instance}, "--target-type"},
		{"unknown prefix with explicit type", eip.Binding{Target: "custom-1", TargetType: eip.Instance}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := p.Validate(c.b)
			if c.flag == "" {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			if !eip.IsUsage(err) || !strings.Contains(err.Error(), c.flag) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("Validate = %v, want a one-line usage error naming %s", err, c.flag)
			}
		})
	}
}

func TestENIWithoutPrivateIPIsUsageAndSendsNothing(t *testing.T) {
	w := newWorld(t, 0)
	_, err := w.engine().Associate(ctx, []eip.Binding{bind("eip-gz000001", "eni-gz000001")})
	if !eip.IsUsage(err) || !strings.Contains(err.Error(), "--private-ip") {
		t.Fatalf("associate to an ENI without --private-ip: %v, want a usage error naming --private-ip", err)
	}
	if n := len(w.sim.Journal()); n != 0 {
		t.Fatalf("%d requests reached the cloud, want 0", n)
	}
}

func TestNewRefusesPlainHTTPToARemoteHostAndMissingKeys(t *testing.T) {
	_, err := New(eip.ProviderConfig{Endpoint: "http://vpc.tencentcloudapi.com", Credentials: eip.Credentials{ID: "a", Secret: "b"}})
	if !eip.IsUsage(err) {
		t.Fatalf("plain http to a real host: %v, want a usage error", err)
	}
	_, err = New(eip.ProviderConfig{})
	if !eip.IsUsage(err) || !strings.Contains(err.Error(), "TENCENTCLOUD_SECRET_ID") {
		t.Fatalf("no credentials: %v, want a usage error naming TENCENTCLOUD_SECRET_ID", err)
	}
}

func TestClientProfile(t *testing.T) {
	creds := eip.Credentials{ID: "a", Secret: "b"}
	real, err := New(eip.ProviderConfig{Credentials: creds, Timeout: 2500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	cpf := real.(*Provider).clientProfile(region)
	if cpf.HttpProfile.Scheme != "HTTPS" || cpf.HttpProfile.Endpoint != "" {
		t.Fatalf("real cloud: scheme %q endpoint %q, want HTTPS and the SDK's own vpc.tencentcloudapi.com", cpf.HttpProfile.Scheme, cpf.HttpProfile.Endpoint)
	}
	if !cpf.DisableRegionBreaker || cpf.Language != "en-US" || cpf.RateLimitExceededMaxRetries != 0 || cpf.NetworkFailureMaxRetries != 0 {
		t.Fatalf("profile %+v: want the region breaker disabled, en-US, and no SDK retries", cpf)
	}
	if cpf.SignMethod != "TC3-HMAC-SHA256" || cpf.HttpProfile.ReqMethod != "POST" || cpf.HttpProfile.ReqTimeout != 3 {
		t.Fatalf("profile: sign %s method %s timeout %ds, want TC3, POST, 3s (2.5s rounded up)", cpf.SignMethod, cpf.HttpProfile.ReqMethod, cpf.HttpProfile.ReqTimeout)
	}
	local, err := New(eip.ProviderConfig{Endpoint: "http://127.0.0.1:8080/prefix/", Credentials: creds})
	if err != nil {
		t.Fatal(err)
	}
	cpf = local.(*Provider).clientProfile("ap-shanghai-fsi")
	if cpf.HttpProfile.Scheme != "HTTP" || cpf.HttpProfile.Endpoint != "127.0.0.1:8080/prefix" {
		t.Fatalf("loopback: scheme %q endpoint %q, want HTTP and host:port/path without a scheme", cpf.HttpProfile.Scheme, cpf.HttpProfile.Endpoint)
	}
}

// TestTransportTokenAndTimeout: requests go through cfg.Transport (--debug
// sees them), carry the security token, and give up after cfg.Timeout.
func TestTransportTokenAndTimeout(t *testing.T) {
	w := newWorld(t, 0)
	var mu sync.Mutex
	var tokens []string
	rt := roundTrip(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		tokens = append(tokens, r.Header.Get("X-TC-Token"))
		mu.Unlock()
		return http.DefaultTransport.RoundTrip(r)
	})
	p := w.provider(eip.ProviderConfig{Transport: rt, Credentials: eip.Credentials{
		ID: emulator.Profile.Credentials.ID, Secret: emulator.Profile.Credentials.Secret, Token: "temporary-token"}})
	if _, err := p.Describe(ctx, region, []string{"eip-gz000001"}); err != nil {
		t.Fatal(err)
	}
	if len(tokens) != 1 || tokens[0] != "temporary-token" {
		t.Fatalf("transport saw tokens %q, want one request with X-TC-Token", tokens)
	}

	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body) // lets the server notice the client hanging up
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	defer slow.Close()
	p = w.provider(eip.ProviderConfig{Endpoint: slow.URL, Timeout: 200 * time.Millisecond})
	start := time.Now()
	_, err := p.Describe(ctx, region, []string{"eip-gz000001"})
	if took := time.Since(start); err == nil || took > 2*time.Second {
		t.Fatalf("a silent endpoint: %v after %s, want an error after about 200ms", err, took)
	}
	if c := p.Classify(err); c.Class != eip.ClassTransient || c.Code != "ClientError.NetworkError" {
		t.Fatalf("timeout classified %+v, want transient ClientError.NetworkError", c)
	}
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func eipID(n int) string                   { return fmt.Sprintf("eip-gz%06d", n) }
func targetID(prefix string, n int) string { return fmt.Sprintf("%s%06d", prefix, n) }
