package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/sim"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"
	vpc "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/vpc/v20170312"
)

func TestAssociateRateLimit(t *testing.T) {
	e, c := guangzhou(t)
	// The fake clock stands still, so all of these fall in one second.
	for i := 1; i <= 10; i++ {
		_, err := associate(c, "eip-gz999999", "ins-gz000001")
		wantCode(t, err, codeAddressNotFound)
	}
	_, err := associate(c, "eip-gz999999", "ins-gz000001")
	wantCode(t, err, codeRequestLimit)
	// Other actions have their own budget.
	describe(t, c, "eip-gz000001")
	e.clock.Advance(time.Second)
	_, err = associate(c, "eip-gz999999", "ins-gz000001")
	wantCode(t, err, codeAddressNotFound)
}

func TestDescribeAddressesPagingAndFilters(t *testing.T) {
	e := newEnv(t, 0)
	c := e.client(t, "ap-beijing", nil, nil)
	req := vpc.NewDescribeAddressesRequest()
	req.Limit = common.Int64Ptr(101)
	_, err := c.DescribeAddressesWithContext(ctx, req)
	wantCode(t, err, codeLimitValue)

	req.Limit, req.Offset = common.Int64Ptr(10), common.Int64Ptr(20)
	req.Filters = []*vpc.Filter{{Name: common.StringPtr("address-type"), Values: common.StringPtrs([]string{"EIP", "AnycastEIP", "HighQualityEIP", "AntiDDoSEIP"})}}
	resp, err := c.DescribeAddressesWithContext(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if *resp.Response.TotalCount != sim.DefaultSeedEIPs || len(resp.Response.AddressSet) != sim.DefaultSeedEIPs-20 {
		t.Fatalf("page at 20: total %d, %d entries; want %d, %d", *resp.Response.TotalCount, len(resp.Response.AddressSet), sim.DefaultSeedEIPs, sim.DefaultSeedEIPs-20)
	}

	req = vpc.NewDescribeAddressesRequest()
	req.Filters = []*vpc.Filter{{Name: common.StringPtr("address-status"), Values: common.StringPtrs([]string{"BIND"})}}
	resp, err = c.DescribeAddressesWithContext(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Response.AddressSet) != 2 {
		t.Fatalf("address-status=BIND matched %d, want the 2 seeded bindings", len(resp.Response.AddressSet))
	}

	req = vpc.NewDescribeAddressesRequest()
	req.AddressIds = common.StringPtrs([]string{"bogus"})
	_, err = c.DescribeAddressesWithContext(ctx, req)
	wantCode(t, err, codeAddressMalformed)

	// Well-formed but absent IDs are simply not listed.
	if got := describe(t, c, "eip-bj000001", "eip-bj999999"); len(got) != 1 {
		t.Fatalf("listed %d addresses, want only the one that exists", len(got))
	}
}

// Without an address-type filter a listing shows plain EIPs only, as the
// SDK documents the filter's default; a read by AddressIds shows any kind.
func TestDescribeAddressesDefaultsToPlainEIPs(t *testing.T) {
	_, c := guangzhou(t)
	list := func(filters ...*vpc.Filter) map[string]string {
		req := vpc.NewDescribeAddressesRequest()
		req.Limit, req.Filters = common.Int64Ptr(100), filters
		resp, err := c.DescribeAddressesWithContext(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, a := range resp.Response.AddressSet {
			out[*a.AddressId] = *a.AddressType
		}
		return out
	}
	kinds := map[string]string{"eip-gz000020": "AnycastEIP", "eip-gz000021": "HighQualityEIP", "eip-gz000022": "AntiDDoSEIP"}
	plain := list()
	for id := range kinds {
		if _, ok := plain[id]; ok {
			t.Errorf("%s listed without an address-type filter", id)
		}
	}
	if len(plain) != sim.DefaultSeedEIPs-3 {
		t.Errorf("listed %d without a filter, want the %d plain EIPs", len(plain), sim.DefaultSeedEIPs-3)
	}
	byIP := list(&vpc.Filter{Name: common.StringPtr("address-ip"), Values: common.StringPtrs(ips(t, c, "eip-gz000020"))})
	if len(byIP) != 0 {
		t.Errorf("address-ip alone found %v, want nothing (the default type is EIP)", byIP)
	}
	all := list(&vpc.Filter{Name: common.StringPtr("address-type"), Values: common.StringPtrs([]string{"EIP", "AnycastEIP", "HighQualityEIP", "AntiDDoSEIP"})})
	for id, kind := range kinds {
		if all[id] != kind {
			t.Errorf("with every kind asked for, %s reads %q, want %s", id, all[id], kind)
		}
	}
	if got := describe(t, c, "eip-gz000020"); got["eip-gz000020"] == nil {
		t.Error("an Anycast EIP read by AddressIds is not found")
	}
}

func TestGETWithFlattenedQuery(t *testing.T) {
	e := newEnv(t, bindDelay)
	get := e.client(t, "ap-guangzhou", nil, func(cpf *profile.ClientProfile) { cpf.HttpProfile.ReqMethod = "GET" })
	resp, err := associate(get, "eip-gz000001", "ins-gz000001")
	if err != nil {
		t.Fatalf("GET AssociateAddress: %v", err)
	}
	if got := taskResult(t, get, *resp.Response.TaskId); got != "RUNNING" {
		t.Fatalf("GET DescribeTaskResult = %s, want RUNNING", got)
	}
	req := vpc.NewDescribeAddressesRequest()
	req.Filters = []*vpc.Filter{
		{Name: common.StringPtr("address-status"), Values: common.StringPtrs([]string{"UNBIND", "BINDING"})},
		{Name: common.StringPtr("instance-id"), Values: common.StringPtrs([]string{"ins-gz000001"})},
	}
	out, err := get.DescribeAddressesWithContext(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Response.AddressSet) != 1 || *out.Response.AddressSet[0].AddressId != "eip-gz000001" {
		t.Fatalf("GET filters matched %d addresses, want eip-gz000001 only", len(out.Response.AddressSet))
	}
}

func TestFaults(t *testing.T) {
	e := newEnv(t, bindDelay)
	c := e.client(t, "ap-guangzhou", nil, nil)
	for kind, code := range map[sim.FaultKind]string{
		sim.FaultThrottle:    codeRequestLimit,
		sim.FaultUnavailable: codeInternalError,
		sim.FaultConflict:    codeMutexTask,
		sim.FaultBusy:        codeServiceUnavailable,
		sim.FaultSnat:        codeResourceInUseAny,
	} {
		e.s.Inject(sim.Fault{Provider: provider, Action: "AssociateAddress", Kind: kind})
		_, err := associate(c, "eip-gz000001", "ins-gz000001")
		wantCode(t, err, code)
	}
	if got := statusOf(t, c, "eip-gz000001"); got != "UNBIND" {
		t.Fatalf("faulted requests left eip-gz000001 %s, want UNBIND", got)
	}

	e.s.Inject(sim.Fault{Provider: provider, Action: "AssociateAddress", Kind: sim.FaultReset})
	if _, err := associate(c, "eip-gz000001", "ins-gz000001"); err == nil || !strings.Contains(err.Error(), "ClientError.NetworkError") {
		t.Fatalf("reset: got %v, want a network error", err)
	}

	// A fail-binding fault for any action waits for a bind: reads do not use it up.
	e.s.Inject(sim.Fault{Provider: provider, Kind: sim.FaultFailBinding})
	describe(t, c, "eip-gz000001")
	resp, err := associate(c, "eip-gz000001", "ins-gz000001")
	if err != nil {
		t.Fatalf("fail-binding must accept the request: %v", err)
	}
	if got := taskResult(t, c, *resp.Response.TaskId); got != "RUNNING" {
		t.Fatalf("task = %s, want RUNNING first", got)
	}
	e.clock.Advance(bindDelay)
	wantTask(t, "task", taskResult(t, c, *resp.Response.TaskId), "FAILED")
	if got := statusOf(t, c, "eip-gz000001"); got != "UNBIND" {
		t.Fatalf("failed binding left eip-gz000001 %s, want UNBIND", got)
	}

	e.s.Inject(sim.Fault{Provider: provider, Action: "DescribeAddresses", Kind: sim.FaultLatency, Delay: 90 * time.Second})
	start := e.clock.Now()
	describe(t, c, "eip-gz000001")
	if waited := e.clock.Now().Sub(start); waited != 90*time.Second {
		t.Fatalf("latency fault waited %s on the emulator clock, want 90s", waited)
	}
}

func TestProtocolEdges(t *testing.T) {
	e, c := guangzhou(t)

	req := vpc.NewDescribeAddressesRequest()
	req.WithApiInfo("vpc", vpc.APIVersion, "NoSuchAction")
	wantCode(t, c.Send(req, vpc.NewDescribeAddressesResponse()), codeInvalidAction)

	_, err := e.client(t, "eu-nowhere-9", nil, nil).DescribeAddressesWithContext(ctx, vpc.NewDescribeAddressesRequest())
	wantCode(t, err, codeUnsupportedRegion)
	_, err = e.client(t, "", nil, nil).DescribeAddressesWithContext(ctx, vpc.NewDescribeAddressesRequest())
	wantCode(t, err, codeMissingParameter)

	treq := vpc.NewDescribeTaskResultRequest()
	treq.TaskId = common.Uint64Ptr(42)
	_, err = c.DescribeTaskResultWithContext(ctx, treq)
	wantCode(t, err, codeInvalidParameter)
	vreq := vpc.NewDescribeVpcTaskResultRequest()
	vreq.TaskId = common.StringPtr("no-such-request")
	_, err = c.DescribeVpcTaskResultWithContext(ctx, vreq)
	wantCode(t, err, codeResourceNotFound)
}

// TestWireShape reads raw replies: errors are HTTP 200 inside Response with a
// RequestId, and the TaskId types are what the SDK decodes.
func TestWireShape(t *testing.T) {
	e := newEnv(t, 0)
	raw := func(body string) (int, map[string]any) {
		t.Helper()
		cl := e.client(t, "ap-guangzhou", nil, nil)
		var got struct {
			code int
			body map[string]any
		}
		cl.WithHttpTransport(roundTrip(func(r *http.Request) (*http.Response, error) {
			resp, err := http.DefaultTransport.RoundTrip(r)
			if err != nil {
				return nil, err
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			got.code = resp.StatusCode
			_ = json.Unmarshal(b, &got.body)
			resp.Body = io.NopCloser(strings.NewReader(string(b)))
			return resp, nil
		}))
		req := vpc.NewAssociateAddressRequest()
		_ = json.Unmarshal([]byte(body), req)
		_, _ = cl.AssociateAddressWithContext(ctx, req)
		return got.code, got.body
	}
	code, body := raw(`{"AddressId":"eip-gz999999","InstanceId":"ins-gz000001"}`)
	resp, _ := body["Response"].(map[string]any)
	errObj, _ := resp["Error"].(map[string]any)
	if code != 200 || errObj["Code"] != codeAddressNotFound || resp["RequestId"] == "" || body["Code"] != nil {
		t.Fatalf("error reply: HTTP %d %v; want 200 with Response.Error and a RequestId, no top-level Code", code, body)
	}
	code, body = raw(`{"AddressId":"eip-gz000001","InstanceId":"ins-gz000001"}`)
	resp, _ = body["Response"].(map[string]any)
	if _, isString := resp["TaskId"].(string); code != 200 || !isString {
		t.Fatalf("AssociateAddress reply %v: TaskId must be a JSON string", body)
	}
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestInventory(t *testing.T) {
	e := newEnv(t, 0)
	c := e.client(t, "ap-shanghai", nil, nil)
	eni := eniWithIPs(t, e, "ap-shanghai")
	if _, err := c.AssociateAddressWithContext(ctx, assocReq("eip-sh000001", "", eni.ID, eni.PrivateIPs[0])); err != nil {
		t.Fatal(err)
	}
	inv, err := e.s.Inventory()
	if err != nil {
		t.Fatal(err)
	}
	regions := map[string]bool{}
	for _, r := range inv {
		regions[r.Region] = true
		types := map[string]bool{}
		for _, tg := range r.Targets {
			types[tg.Type] = true
		}
		for _, want := range []string{"instance", "eni", "nat", "lb", "havip"} {
			if !types[want] {
				t.Fatalf("%s has no %s target in the inventory", r.Region, want)
			}
		}
		if r.Region == "ap-shanghai" && (r.EIPs[0].ID != "eip-sh000001" || r.EIPs[0].Status != "BIND_ENI") {
			t.Fatalf("inventory shows %s %s, want eip-sh000001 BIND_ENI", r.EIPs[0].ID, r.EIPs[0].Status)
		}
	}
	for _, want := range []string{"ap-guangzhou", "ap-shanghai", "ap-beijing"} {
		if !regions[want] {
			t.Fatalf("inventory lacks %s", want)
		}
	}
}
