package tencent

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/engine"
	"github.com/eipctl/eipctl/pkg/pace"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	vpc "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/vpc/v20170312"

	"github.com/eipctl/eipctl/pkg/clock"
	"github.com/eipctl/eipctl/pkg/eip"
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

func wantRows(t *testing.T, rep *eip.Report, want eip.Status) {
	t.Helper()
	for _, r := range rep.Results {
		if r.Status != want {
			t.Fatalf("%s: %s (error %+v), want %s", r.EIPID, r.Status, r.Error, want)
		}
	}
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

func TestPreparedRequestsAreTheNativeBodies(t *testing.T) {
	w := newWorld(t, 0)
	a := eip.Address{ID: "eip-gz000001", IP: "119.29.0.2"}
	b := eip.Address{ID: "eip-gz000002", IP: "119.29.0.3"}
	cases := []struct {
		name   string
		req    eip.AssociateRequest
		action string
		params map[string]any
	}{
		{"instance", eip.AssociateRequest{EIPs: []eip.Address{a}, Target: "ins-gz000001", TargetType: eip.Instance},
			"AssociateAddress", map[string]any{"AddressId": a.ID, "InstanceId": "ins-gz000001"}},
		{"passthrough", eip.AssociateRequest{EIPs: []eip.Address{a}, Target: "ins-gz000001", TargetType: eip.Instance, Mode: eip.ModePassthrough},
			"AssociateAddress", map[string]any{"AddressId": a.ID, "InstanceId": "ins-gz000001", "EipDirectConnection": true}},
		{"CLB", eip.AssociateRequest{EIPs: []eip.Address{a}, Target: "lb-gz000001", TargetType: eip.LB},
			"AssociateAddress", map[string]any{"AddressId": a.ID, "InstanceId": "lb-gz000001"}},
		{"ENI", eip.AssociateRequest{EIPs: []eip.Address{a}, Target: "eni-gz000001", TargetType: eip.ENI, PrivateIP: "10.1.9.10"},
			"AssociateAddress", map[string]any{"AddressId": a.ID, "NetworkInterfaceId": "eni-gz000001", "PrivateIpAddress": "10.1.9.10"}},
		{"NAT", eip.AssociateRequest{EIPs: []eip.Address{a, b}, Target: "nat-gz000001", TargetType: eip.NAT},
			"AssociateNatGatewayAddress", map[string]any{"NatGatewayId": "nat-gz000001", "PublicIpAddresses": []any{a.IP, b.IP}}},
		{"HAVIP", eip.AssociateRequest{EIPs: []eip.Address{a}, Target: "havip-gz000001", TargetType: eip.HaVip},
			"HaVipAssociateAddressIp", map[string]any{"HaVipId": "havip-gz000001", "AddressIp": a.IP}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.req.Region = region
			call, err := w.prov.PrepareAssociate(c.req)
			if err != nil {
				t.Fatal(err)
			}
			if call.Action != c.action || !reflect.DeepEqual(call.Params, c.params) {
				t.Fatalf("prepared %s %v, want %s %v", call.Action, call.Params, c.action, c.params)
			}
		})
	}
	if n := len(w.sim.Journal()); n != 0 {
		t.Fatalf("preparing sent %d requests, want 0", n)
	}
	if _, err := w.prov.PrepareAssociate(eip.AssociateRequest{Region: region, EIPs: []eip.Address{{ID: "eip-x"}}, Target: "nat-1", TargetType: eip.NAT}); err == nil {
		t.Fatal("a NAT binding without the EIP's public IP must be refused before sending")
	}
}

// TestNATBatchIsOneCall: up to 10 EIPs go to a NAT gateway in one
// AssociateNatGatewayAddress (public IPs), confirmed with batched
// DescribeAddresses; the task is not read while the EIPs show BINDING.
func TestNATBatchIsOneCall(t *testing.T) {
	w := newWorld(t, 3*time.Second)
	var items []eip.Binding
	for _, id := range []string{"eip-gz000001", "eip-gz000002", "eip-gz000003", "eip-gz000004"} {
		items = append(items, bind(id, "nat-gz000001"))
	}
	rep, err := w.engine().Associate(ctx, items)
	if err != nil {
		t.Fatal(err)
	}
	wantRows(t, rep, eip.StatusAssociated)
	if n := w.count("AssociateNatGatewayAddress"); n != 1 {
		t.Fatalf("%d AssociateNatGatewayAddress calls for 4 EIPs, want 1", n)
	}
	if n := w.count("DescribeVpcTaskResult"); n != 0 {
		t.Fatalf("%d DescribeVpcTaskResult while the EIPs read BINDING, want 0: the status read already shows progress", n)
	}
	if reads, rounds := w.count("DescribeAddresses"), 1+pollsUntil(3*time.Second); reads > rounds {
		t.Fatalf("%d DescribeAddresses for the first read and %d poll rounds: the 4 EIPs must be confirmed in one read per round", reads, rounds-1)
	}

	rep, err = w.engine().Disassociate(ctx, []eip.Unbinding{
		{Provider: "tencent", Region: region, EIP: "eip-gz000001"},
		{Provider: "tencent", Region: region, EIP: "eip-gz000002"},
	})
	if err != nil {
		t.Fatal(err)
	}
	wantRows(t, rep, eip.StatusDisassociated)
	if n := w.count("DisassociateNatGatewayAddress"); n != 1 {
		t.Fatalf("%d DisassociateNatGatewayAddress calls for 2 EIPs of one gateway, want 1", n)
	}
	if ph, _ := w.phase("eip-gz000003"); ph != sim.Bound {
		t.Fatalf("eip-gz000003 is %s, want still bound", ph)
	}
}

func TestEveryTargetTypeRoundTrips(t *testing.T) {
	w := newWorld(t, 2*time.Second)
	items := []eip.Binding{
		bind("eip-gz000001", "ins-gz000001"),
		{Provider: "tencent", Region: region, EIP: "eip-gz000002", Target: "eni-gz000001", PrivateIP: "10.1.9.11"},
		bind("eip-gz000003", "lb-gz000001"),
		bind("eip-gz000004", "havip-gz000001"),
		{Provider: "tencent", Region: region, EIP: "eip-gz000005", Target: "ins-gz000002", Mode: eip.ModePassthrough},
	}
	rep, err := w.engine().Associate(ctx, items)
	if err != nil {
		t.Fatal(err)
	}
	wantRows(t, rep, eip.StatusAssociated)
	if n := w.count("DescribeTaskResult"); n != 0 {
		t.Fatalf("%d DescribeTaskResult while every EIP read BINDING, want 0", n)
	}
	if n := w.count("HaVipAssociateAddressIp"); n != 1 {
		t.Fatalf("%d HaVipAssociateAddressIp calls, want 1", n)
	}
	as, err := w.prov.Describe(ctx, region, []string{"eip-gz000002"})
	if err != nil || len(as) != 1 || as[0].TargetType != eip.ENI || as[0].NativeStatus != "BIND_ENI" || as[0].PrivateIP != "10.1.9.11" {
		t.Fatalf("ENI binding reads %+v (%v), want eni, BIND_ENI, 10.1.9.11", as, err)
	}

	var un []eip.Unbinding
	for _, b := range items {
		un = append(un, eip.Unbinding{Provider: "tencent", Region: region, EIP: b.EIP})
	}
	rep, err = w.engine().Disassociate(ctx, un)
	if err != nil {
		t.Fatal(err)
	}
	wantRows(t, rep, eip.StatusDisassociated)
	if a, b := w.count("DisassociateAddress"), w.count("HaVipDisassociateAddressIp"); a != 4 || b != 1 {
		t.Fatalf("sent %d DisassociateAddress and %d HaVipDisassociateAddressIp, want 4 and 1", a, b)
	}
}

// A task that ends FAILED fails its rows with the task's own word, read
// with the task call that matches the bind (DescribeVpcTaskResult for a NAT
// gateway's RequestId, DescribeTaskResult for the rest).
func TestFailedTaskFailsTheRow(t *testing.T) {
	for _, c := range []struct{ action, target, read string }{
		{"AssociateAddress", "ins-gz000001", "DescribeTaskResult"},
		{"AssociateNatGatewayAddress", "nat-gz000001", "DescribeVpcTaskResult"},
	} {
		w := newWorld(t, 3*time.Second)
		w.sim.Inject(sim.Fault{Provider: "tencent", Action: c.action, Kind: sim.FaultFailBinding})
		rep, err := w.engine().Associate(ctx, []eip.Binding{bind("eip-gz000001", c.target)})
		if err != nil {
			t.Fatal(err)
		}
		r := rep.Results[0]
		if r.Status != eip.StatusFailed || r.Error == nil || r.Error.Code != "FailedOperation.TaskFailed" || !strings.Contains(r.Error.Message, c.read) {
			t.Fatalf("%s: row %+v, want failed with FailedOperation.TaskFailed from %s", c.action, r, c.read)
		}
	}
}

func TestCheckTasks(t *testing.T) {
	w := newWorld(t, 3*time.Second)
	call, err := w.prov.PrepareAssociate(eip.AssociateRequest{Region: region, EIPs: []eip.Address{{ID: "eip-gz000001"}}, Target: "ins-gz000001", TargetType: eip.Instance})
	if err != nil {
		t.Fatal(err)
	}
	res, err := call.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var handle string
	for h, ids := range res.Tasks {
		if !strings.HasPrefix(h, "task:") || !reflect.DeepEqual(ids, []string{"eip-gz000001"}) {
			t.Fatalf("task %q covers %v, want a task: handle for eip-gz000001", h, ids)
		}
		handle = h
	}
	tasks := []string{handle, "task:99999999", "vpctask:unknown-request"}
	st, err := w.prov.CheckTasks(ctx, region, tasks)
	if err != nil {
		t.Fatal(err)
	}
	if len(st) != 0 {
		t.Fatalf("while binding: %v, want nothing done (and unknown tasks left out)", st)
	}
	w.clock.Advance(3 * time.Second)
	st, err = w.prov.CheckTasks(ctx, region, tasks)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := st[handle]; !ok || !got.Done || got.Err != nil || len(st) != 1 {
		t.Fatalf("after the delay: %v, want only %s done without error", st, handle)
	}
}

// TestPacingKeepsAssociateUnderTheLimit: twelve single-EIP binds in a row
// are paced below the 10 requests/s the emulator enforces, so none is
// throttled and sent again. It runs on the wall clock: on the fake clock
// concurrent sleepers move time for each other, which is not how a real run
// spaces its requests.
func TestPacingKeepsAssociateUnderTheLimit(t *testing.T) {
	s, err := sim.New(sim.Options{BindDelay: 200 * time.Millisecond, Profiles: []sim.Profile{emulator.Profile}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim.Handler(emulator.New(s)))
	defer srv.Close()
	w := &world{t: t, sim: s, clock: nil, url: srv.URL}
	p := w.provider(eip.ProviderConfig{})
	var items []eip.Binding
	n := 1
	add := func(target, privateIP string) {
		items = append(items, eip.Binding{Provider: "tencent", Region: region, EIP: eipID(n), Target: target, PrivateIP: privateIP})
		n++
	}
	for i := 1; i <= 4; i++ {
		add(targetID("ins-gz", i), "")
	}
	// The seed gives ENI n the private IPs 10.1.(8+n).10 to .13.
	for e := 1; e <= 2; e++ {
		for k := 10; k < 14; k++ {
			add(targetID("eni-gz", e), fmt.Sprintf("10.1.%d.%d", 8+e, k))
		}
	}
	eng := &engine.Engine{Lookup: func(string) (eip.Provider, error) { return p, nil }, Wait: true, Timeout: time.Minute}
	rep, err := eng.Associate(ctx, items)
	if err != nil {
		t.Fatal(err)
	}
	wantRows(t, rep, eip.StatusAssociated)
	if got := w.count("AssociateAddress"); got != len(items) {
		t.Fatalf("%d AssociateAddress requests for %d EIPs: some were throttled and resent", got, len(items))
	}
}

func eipID(n int) string                   { return fmt.Sprintf("eip-gz%06d", n) }
func targetID(prefix string, n int) string { return fmt.Sprintf("%s%06d", prefix, n) }

func TestDescribe(t *testing.T) {
	w := newWorld(t, 0)
	var ids []string
	for i := 1; i <= 24; i++ {
		ids = append(ids, eipID(i))
	}
	ids = append(ids, "eip-gz999999", "not-an-eip", w.eipIP("eip-gz000001"))
	as, err := w.prov.Describe(ctx, region, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 25 {
		t.Fatalf("Describe returned %d addresses, want the 24 that exist plus the one given by IP", len(as))
	}
	if n := w.count("DescribeAddresses"); n != 2 {
		t.Fatalf("%d DescribeAddresses calls, want 2 (IDs, then the address filter)", n)
	}
	bound := as[23]
	if bound.ID != "eip-gz000024" || bound.State != eip.StateAssociated || bound.NativeStatus != "BIND" ||
		bound.TargetID != "ins-gz000008" || bound.TargetType != eip.Instance || bound.Region != region {
		t.Fatalf("seeded binding reads %+v, want eip-gz000024 associated (BIND) to instance ins-gz000008", bound)
	}
	if free := as[0]; free.State != eip.StateAvailable || free.TargetID != "" || free.IP == "" {
		t.Fatalf("unbound EIP reads %+v, want available with its IP and no target", free)
	}
}

// TestENIAttachedToAnInstanceReadsAsTheENI: the cloud names the instance in
// InstanceId when the ENI is attached to one; an EIP sent to the ENI must
// still read as bound to the ENI, or a rerun would call it bound elsewhere.
func TestENIAttachedToAnInstanceReadsAsTheENI(t *testing.T) {
	p := &Provider{}
	a := &vpc.Address{AddressId: common.StringPtr("eip-1"), AddressStatus: common.StringPtr("BIND"),
		InstanceId: common.StringPtr("ins-1"), NetworkInterfaceId: common.StringPtr("eni-2"), PrivateAddressIp: common.StringPtr("10.0.0.9")}
	got := p.toAddress(region, a)
	if got.TargetID != "ins-1" || got.TargetType != eip.Instance || !got.BoundTo("ins-1") {
		t.Fatalf("%+v, want shown on the instance ins-1", got)
	}
	if !got.BoundTo("eni-2") || got.BoundTo("eni-3") {
		t.Fatalf("%+v: want bound to its ENI eni-2 too, and not to eni-3", got)
	}
}
