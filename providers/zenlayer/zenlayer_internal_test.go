package zenlayer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	zec "github.com/zenlayer/zenlayercloud-sdk-go/zenlayercloud/zec20250901"

	"github.com/eipctl/eipctl/pkg/clock"
	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/sim"
	"github.com/eipctl/eipctl/providers/zenlayer/emulator"
)

const region = "asia-east-1"

// recorder is a cfg.Transport that keeps every request body it carries.
type recorder struct {
	mu     sync.Mutex
	bodies map[string][]string // action -> bodies
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	b, _ := io.ReadAll(req.Body)
	req.Body = io.NopCloser(bytes.NewReader(b))
	r.mu.Lock()
	if r.bodies == nil {
		r.bodies = map[string][]string{}
	}
	// The SDK writes its x-zc-* keys in lower case, bypassing canonicalisation.
	a := req.Header.Get("x-zc-action")
	if v := req.Header["x-zc-action"]; len(v) > 0 { //nolint:staticcheck // SA1008: the raw lower-case key is what this reads
		a = v[0]
	}
	r.bodies[a] = append(r.bodies[a], string(b))
	r.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

func (r *recorder) sent(action string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.bodies[action]...)
}

type fixture struct {
	t     *testing.T
	s     *sim.Sim
	clock *clock.Fake
	p     *Provider
	rec   *recorder
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	fc := clock.NewFake(time.Now())
	s, err := sim.New(sim.Options{Clock: fc, BindDelay: 3 * time.Second, Profiles: []sim.Profile{emulator.ProfileWith(emulator.Options{Readable: true})}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim.Handler(emulator.New(s)))
	t.Cleanup(srv.Close)
	rec := &recorder{}
	p, err := New(eip.ProviderConfig{Endpoint: srv.URL, Credentials: eip.Credentials{ID: emulator.Profile.Credentials.ID, Secret: emulator.Profile.Credentials.Secret}, Timeout: 5 * time.Second, Transport: rec})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, s: s, clock: fc, p: p.(*Provider), rec: rec}
}

func (f *fixture) describe(ids ...string) map[string]eip.Address {
	f.t.Helper()
	as, err := f.p.Describe(context.Background(), region, ids)
	if err != nil {
		f.t.Fatal(err)
	}
	out := map[string]eip.Address{}
	for _, a := range as {
		out[a.ID] = a
	}
	return out
}

func (f *fixture) associate(req eip.AssociateRequest) eip.CallResult {
	f.t.Helper()
	call, err := f.p.PrepareAssociate(req)
	if err != nil {
		f.t.Fatal(err)
	}
	res, err := call.Run(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
	return res
}

func addrs(ids ...string) []eip.Address {
	var out []eip.Address
	for _, id := range ids {
		out = append(out, eip.Address{ID: id})
	}
	return out
}

func TestValidate(t *testing.T) {
	cases := []struct {
		b    eip.Binding
		want string // empty: accepted
	}{
		{eip.Binding{Target: "nic-ae0001", PrivateIP: "10.1.1.10"}, ""},
		{eip.Binding{Target: "nic-ae0001", PrivateIP: "10.1.1.10", Mode: eip.ModePassthrough}, ""},
		{eip.Binding{Target: "nat-ae0001", Mode: eip.ModeFullNAT}, ""},
		{eip.Binding{Target: "lb-ae0001"}, ""},
		{eip.Binding{Target: "havip-ae0001", Mode: eip.ModeNAT}, ""},
		{eip.Binding{Target: "7431", TargetType: eip.NAT}, ""},
		{eip.Binding{Target: "nic-ae0001"}, "--private-ip is required"},
		{eip.Binding{Target: "havip-ae0001", Mode: eip.ModePassthrough}, "--mode passthrough cannot be used with a HaVip"},
		{eip.Binding{Target: "lb-ae0001", Mode: eip.ModePassthrough}, "--mode passthrough applies only to vNIC"},
		{eip.Binding{Target: "nic-ae0001", PrivateIP: "10.1.1.10", Mode: eip.ModeMultiBinded}, "--mode multi-binded is not a zenlayer mode"},
		{eip.Binding{Target: "nat-ae0001", PrivateIP: "10.1.1.10"}, "--private-ip applies only to vNIC"},
		{eip.Binding{Target: "i-123", TargetType: eip.Instance}, "not to an instance"},
		{eip.Binding{Target: "nat-ae0001", InstanceRegion: "cn-hangzhou"}, "--instance-region"},
		{eip.Binding{Target: "7431"}, "--target-type is required"},
	}
	p := &Provider{}
	for _, c := range cases {
		err := p.Validate(c.b)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%+v refused: %v", c.b, err)
		case c.want != "" && (err == nil || !eip.IsUsage(err) || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%+v: %v, want a usage error with %q", c.b, err, c.want)
		}
	}
}

func TestParamsAreExactlyTheBodySent(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		req  eip.AssociateRequest
		want string
	}{
		{eip.AssociateRequest{EIPs: addrs("eip-ae0001", "eip-ae0002"), Target: "nic-ae0001", TargetType: eip.ENI, PrivateIP: "10.1.1.10", Mode: eip.ModePassthrough},
			`{"nicId":"nic-ae0001","lanIp":"10.1.1.10","eipIds":["eip-ae0001","eip-ae0002"],"bindType":"Passthrough"}`},
		{eip.AssociateRequest{EIPs: addrs("eip-ae0003"), Target: "nic-ae0002", PrivateIP: "10.1.2.10"},
			`{"nicId":"nic-ae0002","lanIp":"10.1.2.10","eipIds":["eip-ae0003"],"bindType":"FullNat"}`},
		{eip.AssociateRequest{EIPs: addrs("eip-ae0004"), Target: "nat-ae0001", Mode: eip.ModeFullNAT},
			`{"natId":"nat-ae0001","eipIds":["eip-ae0004"]}`},
		{eip.AssociateRequest{EIPs: addrs("eip-ae0005"), Target: "lb-ae0001"},
			`{"loadBalancerId":"lb-ae0001","eipIds":["eip-ae0005"]}`},
		{eip.AssociateRequest{EIPs: addrs("eip-ae0006"), Target: "havip-ae0001"},
			`{"eipIds":["eip-ae0006"],"haVipId":"havip-ae0001","bindType":"FullNat"}`},
	}
	for i, c := range cases {
		call, err := f.p.PrepareAssociate(c.req)
		if err != nil {
			t.Fatal(err)
		}
		if b, _ := json.Marshal(call.Params); string(b) != c.want {
			t.Errorf("dry-run params %s, want %s", b, c.want)
		}
		if n := len(f.rec.sent("AssociateEipAddress")); n != i {
			t.Fatalf("PrepareAssociate sent a request")
		}
		if _, err := call.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		if sent := f.rec.sent("AssociateEipAddress"); sent[i] != c.want {
			t.Errorf("sent %s, dry run showed %s", sent[i], c.want)
		}
	}
	got := f.describe("eip-ae0001", "eip-ae0006")
	if a := got["eip-ae0001"]; a.State != eip.StateAssociating || a.NativeStatus != "ASSIGNING" || a.TargetID != "nic-ae0001" || a.TargetType != eip.ENI || a.PrivateIP != "10.1.1.10" {
		t.Errorf("eip-ae0001 = %+v", a)
	}
	if a := got["eip-ae0006"]; a.TargetType != eip.HaVip {
		t.Errorf("eip-ae0006 = %+v", a)
	}
	if _, err := f.p.PrepareAssociate(eip.AssociateRequest{EIPs: addrs("eip-ae0007"), Target: "nic-ae0001"}); !eip.IsUsage(err) {
		t.Errorf("a vNIC chunk without a private IP was prepared: %v", err)
	}
}

// run sends one prepared call and returns its error as the engine sees it.
func (f *fixture) run(call eip.Call, err error) *eip.Error {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
	res, err := call.Run(context.Background())
	if len(res.Failed) != 0 {
		f.t.Fatalf("Failed = %v: failedEipIds must come back as the call's error, which the engine retries", res.Failed)
	}
	if err == nil {
		return nil
	}
	return f.p.Classify(err)
}

func TestFailedEipIdsAreTheCallsConflictNamingThem(t *testing.T) {
	f := newFixture(t)
	f.associate(eip.AssociateRequest{EIPs: addrs("eip-ae0001"), Target: "nat-ae0001"})
	e := f.run(f.p.PrepareAssociate(eip.AssociateRequest{EIPs: addrs("eip-ae0001", "eip-ae0002"), Target: "nat-ae0001"}))
	if e == nil || e.Code != "EIP_ASSOCIATE_FAILED" || e.Class != eip.ClassConflict || !strings.Contains(e.Message, "EIP eip-ae0001 ") || strings.Contains(e.Message, "eip-ae0002") {
		t.Fatalf("bind with eip-ae0001 in failedEipIds: %+v, want a conflict EIP_ASSOCIATE_FAILED naming eip-ae0001 only", e)
	}
	if a := f.describe("eip-ae0002")["eip-ae0002"]; a.State != eip.StateAssociating {
		t.Fatalf("the EIP that did not fail is %s, want associating", a.State)
	}

	// Unbinding an EIP that is still ASSIGNING fails for it.
	unbind := func() *eip.Error {
		return f.run(f.p.PrepareDisassociate(eip.DisassociateRequest{Region: region, EIPs: addrs("eip-ae0002")}))
	}
	if e := unbind(); e == nil || e.Code != "EIP_UNASSOCIATE_FAILED" || e.Class != eip.ClassConflict {
		t.Fatalf("unassociate while ASSIGNING: %+v", e)
	}
	f.clock.Advance(3 * time.Second)
	if e := unbind(); e != nil {
		t.Fatalf("unassociate once BINDED: %v", e)
	}
	// ZEC shows no unbinding status: the EIP reads BINDED on its target
	// until the unbind is done.
	if a := f.describe("eip-ae0002")["eip-ae0002"]; a.State != eip.StateAssociated || a.TargetID != "nat-ae0001" {
		t.Fatalf("right after unassociate: %+v", a)
	}
	f.clock.Advance(3 * time.Second)
	if a := f.describe("eip-ae0002")["eip-ae0002"]; a.State != eip.StateAvailable || a.TargetID != "" {
		t.Fatalf("after the unbind: %+v", a)
	}
}

func TestListPagesAndDescribeOmitsMissing(t *testing.T) {
	f := newFixture(t)
	f.p.pageSize = 7
	as, err := f.p.List(context.Background(), region)
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != sim.DefaultSeedEIPs {
		t.Fatalf("List returned %d EIPs, want %d", len(as), sim.DefaultSeedEIPs)
	}
	if n := len(f.rec.sent("DescribeEips")); n != 4 {
		t.Errorf("List of 24 EIPs at 7 a page took %d DescribeEips calls, want 4", n)
	}
	types := map[eip.TargetType]bool{}
	for _, a := range as {
		if a.Region != region || a.IP == "" || a.NativeStatus == "" {
			t.Fatalf("address %+v", a)
		}
		if a.State == eip.StateAssociated {
			types[a.TargetType] = true
		}
	}
	if !types[eip.NAT] || !types[eip.LB] {
		t.Errorf("the seeded bound EIPs should show NAT and LB targets, saw %v", types)
	}
	got := f.describe("eip-ae0001", "eip-ae9999", "eip-an0001")
	if len(got) != 1 || got["eip-ae0001"].State != eip.StateAvailable {
		t.Fatalf("Describe of one EIP here, one missing, one in another region = %v", got)
	}
}

func TestStatusWords(t *testing.T) {
	for status, want := range map[string]eip.State{
		"UNBIND": eip.StateAvailable, "ASSIGNING": eip.StateAssociating, "BINDED": eip.StateAssociated,
		"UNBINDING": eip.StateDisassociating, "RECYCLED": eip.StateOther, "CREATING": eip.StateOther,
	} {
		s := status
		if got := address(&zec.EipInfo{Status: &s}).State; got != want {
			t.Errorf("%s -> %s, want %s", status, got, want)
		}
	}
}

// countingServer answers every request with status and body, counting them;
// with hold it answers nothing until the test ends.
func countingServer(t *testing.T, status int, body string, hold bool) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if hold {
			select {
			case <-r.Context().Done():
			case <-release:
			}
			return
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // runs first: lets held handlers end
	return srv, &n
}

func TestSDKRetriesAreOffSoTheEngineOwnsThrottling(t *testing.T) {
	srv, n := countingServer(t, http.StatusTooManyRequests, `{"requestId":"T1","code":"REQUEST_LIMIT_EXCEEDED","message":"slow down"}`, false)
	p, err := New(eip.ProviderConfig{Endpoint: srv.URL, Credentials: eip.Credentials{ID: "id", Secret: "secret"}})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = p.Describe(context.Background(), region, []string{"eip-1"})
	if got := n.Load(); got != 1 {
		t.Fatalf("one Describe sent %d requests: the SDK's rate-limit retry is still on", got)
	}
	if time.Since(start) > 900*time.Millisecond {
		t.Fatalf("the call took %s: the SDK waited before giving up", time.Since(start))
	}
	ce := p.Classify(err)
	if ce.Class != eip.ClassThrottled || ce.Code != "REQUEST_LIMIT_EXCEEDED" || !strings.HasPrefix(ce.Message, "slow down (") {
		t.Fatalf("Classify = %+v", ce)
	}
}

func TestPerRequestTimeout(t *testing.T) {
	srv, _ := countingServer(t, 0, "", true)
	p, err := New(eip.ProviderConfig{Endpoint: srv.URL, Credentials: eip.Credentials{ID: "id", Secret: "secret"}, Timeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.List(context.Background(), region)
	if ce := p.Classify(err); ce.Code != "REQUEST_TIMEOUT" || ce.Class != eip.ClassTransient || !strings.Contains(ce.Message, "50ms") {
		t.Fatalf("a hung server gave %+v, want a transient REQUEST_TIMEOUT naming the limit", ce)
	}

	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	_, err = p.List(ctx, region)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled caller got %v, want context.Canceled", err)
	}
}

func TestNew(t *testing.T) {
	creds := eip.Credentials{ID: "id", Secret: "secret"}
	for _, c := range []struct {
		cfg  eip.ProviderConfig
		want string
	}{
		{eip.ProviderConfig{Credentials: creds}, ""},
		{eip.ProviderConfig{Endpoint: "https://console.zenlayer.com/api/v2/zec", Credentials: creds}, ""},
		{eip.ProviderConfig{Endpoint: "http://127.0.0.1:8080/", Credentials: creds}, ""},
		{eip.ProviderConfig{Endpoint: "http://console.zenlayer.com", Credentials: creds}, "plain http"},
		{eip.ProviderConfig{Endpoint: "https://console.zenlayer.com/api/v2/bmc", Credentials: creds}, "/api/v2/zec"},
		{eip.ProviderConfig{}, "ZENLAYERCLOUD_ACCESS_KEY_ID"},
		{eip.ProviderConfig{Credentials: eip.Credentials{ID: "id"}}, "ZENLAYER_ACCESS_KEY_SECRET"},
	} {
		_, err := New(c.cfg)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%+v refused: %v", c.cfg.Endpoint, err)
		case c.want != "" && (err == nil || !eip.IsUsage(err) || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%q: %v, want a usage error mentioning %q", c.cfg.Endpoint, err, c.want)
		}
	}
}
