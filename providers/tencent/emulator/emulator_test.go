package emulator

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/clock"
	"github.com/eipctl/eipctl/pkg/sim"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"
	vpc "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/vpc/v20170312"
)

const bindDelay = 3 * time.Second

type env struct {
	s     *sim.Sim
	clock *clock.Fake
	host  string // host:port of the emulator
}

// newEnv serves a fresh emulated world on 127.0.0.1 with a fake clock set to
// now, so that the SDK's wall-clock timestamps fall inside the 5 minute window.
func newEnv(t *testing.T, delay time.Duration) *env {
	t.Helper()
	fc := clock.NewFake(time.Now())
	s, err := sim.New(sim.Options{Clock: fc, BindDelay: delay, Profiles: []sim.Profile{Profile}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim.Handler(New(s)))
	t.Cleanup(srv.Close)
	return &env{s: s, clock: fc, host: strings.TrimPrefix(srv.URL, "http://")}
}

// client is the official SDK pointed at the emulator. A nil cred means the
// emulator's own credential.
func (e *env) client(t *testing.T, region string, cred *common.Credential, tune func(*profile.ClientProfile)) *vpc.Client {
	t.Helper()
	if cred == nil {
		cred = common.NewCredential(Profile.Credentials.ID, Profile.Credentials.Secret)
	}
	cpf := profile.NewClientProfile()
	cpf.HttpProfile.Endpoint = e.host
	cpf.HttpProfile.Scheme = "HTTP"
	cpf.Language = "en-US"
	if tune != nil {
		tune(cpf)
	}
	c, err := vpc.NewClient(cred, region, cpf)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var ctx = context.Background()

func describe(t *testing.T, c *vpc.Client, ids ...string) map[string]*vpc.Address {
	t.Helper()
	req := vpc.NewDescribeAddressesRequest()
	req.AddressIds = common.StringPtrs(ids)
	req.Limit = common.Int64Ptr(100)
	resp, err := c.DescribeAddressesWithContext(ctx, req)
	if err != nil {
		t.Fatalf("DescribeAddresses: %v", err)
	}
	out := map[string]*vpc.Address{}
	for _, a := range resp.Response.AddressSet {
		out[*a.AddressId] = a
	}
	return out
}

func statusOf(t *testing.T, c *vpc.Client, id string) string {
	t.Helper()
	a, ok := describe(t, c, id)[id]
	if !ok {
		t.Fatalf("%s is not listed", id)
	}
	return *a.AddressStatus
}

func associate(c *vpc.Client, eipID, instanceID string) (*vpc.AssociateAddressResponse, error) {
	req := vpc.NewAssociateAddressRequest()
	req.AddressId = common.StringPtr(eipID)
	req.InstanceId = common.StringPtr(instanceID)
	return c.AssociateAddressWithContext(ctx, req)
}

func taskResult(t *testing.T, c *vpc.Client, taskID string) string {
	t.Helper()
	id, err := strconv.ParseUint(taskID, 10, 64)
	if err != nil {
		t.Fatalf("TaskId %q is not a number in a string: %v", taskID, err)
	}
	req := vpc.NewDescribeTaskResultRequest()
	req.TaskId = common.Uint64Ptr(id)
	resp, err := c.DescribeTaskResultWithContext(ctx, req)
	if err != nil {
		t.Fatalf("DescribeTaskResult: %v", err)
	}
	if *resp.Response.TaskId != id {
		t.Fatalf("DescribeTaskResult answered for task %d, asked %d", *resp.Response.TaskId, id)
	}
	return *resp.Response.Result
}

func vpcTaskResult(t *testing.T, c *vpc.Client, requestID string) string {
	t.Helper()
	req := vpc.NewDescribeVpcTaskResultRequest()
	req.TaskId = common.StringPtr(requestID)
	resp, err := c.DescribeVpcTaskResultWithContext(ctx, req)
	if err != nil {
		t.Fatalf("DescribeVpcTaskResult: %v", err)
	}
	return *resp.Response.Status
}

func TestAssociateInstanceGoesThroughBinding(t *testing.T) {
	e := newEnv(t, bindDelay)
	c := e.client(t, "ap-guangzhou", nil, nil)
	resp, err := associate(c, "eip-gz000001", "ins-gz000001")
	if err != nil {
		t.Fatalf("AssociateAddress: %v", err)
	}
	task := *resp.Response.TaskId
	if got := statusOf(t, c, "eip-gz000001"); got != "BINDING" {
		t.Fatalf("status right after associate = %s, want BINDING", got)
	}
	if got := taskResult(t, c, task); got != "RUNNING" {
		t.Fatalf("task during binding = %s, want RUNNING", got)
	}
	e.clock.Advance(bindDelay)
	a := describe(t, c, "eip-gz000001")["eip-gz000001"]
	if *a.AddressStatus != "BIND" || a.InstanceId == nil || *a.InstanceId != "ins-gz000001" {
		t.Fatalf("after the delay: status %s instance %v, want BIND on ins-gz000001", *a.AddressStatus, a.InstanceId)
	}
	if got := taskResult(t, c, task); got != "SUCCESS" {
		t.Fatalf("task after binding = %s, want SUCCESS", got)
	}
	if n := e.s.Mutations(provider); n != 1 {
		t.Fatalf("journal holds %d mutations, want 1", n)
	}
}

func TestAssociateRefusals(t *testing.T) {
	e := newEnv(t, bindDelay)
	c := e.client(t, "ap-guangzhou", nil, nil)
	// The seed starts eip-gz000024 bound to ins-gz000008.
	if _, err := associate(c, "eip-gz000002", "ins-gz000002"); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		req  func() *vpc.AssociateAddressRequest
		code string
	}{
		{"already bound", func() *vpc.AssociateAddressRequest { return assocReq("eip-gz000024", "ins-gz000001", "", "") }, codeStatusNotPermit},
		{"still binding", func() *vpc.AssociateAddressRequest { return assocReq("eip-gz000002", "ins-gz000003", "", "") }, codeMutexTask},
		{"instance holds an EIP", func() *vpc.AssociateAddressRequest { return assocReq("eip-gz000003", "ins-gz000008", "", "") }, codeInstanceHasEIP},
		{"no such EIP", func() *vpc.AssociateAddressRequest { return assocReq("eip-gz999999", "ins-gz000001", "", "") }, codeAddressNotFound},
		{"no such instance", func() *vpc.AssociateAddressRequest { return assocReq("eip-gz000003", "ins-gz999999", "", "") }, codeInstanceNotFound},
		{"malformed EIP ID", func() *vpc.AssociateAddressRequest { return assocReq("EIP_1", "ins-gz000001", "", "") }, codeAddressMalformed},
		{"missing AddressId", func() *vpc.AssociateAddressRequest { return assocReq("", "ins-gz000001", "", "") }, codeMissingParameter},
		{"instance and ENI", func() *vpc.AssociateAddressRequest {
			return assocReq("eip-gz000003", "ins-gz000001", "eni-gz000001", "10.1.9.10")
		}, codeParamConflict},
		{"ENI without private IP", func() *vpc.AssociateAddressRequest { return assocReq("eip-gz000003", "", "eni-gz000001", "") }, codeMissingParameter},
		{"no such ENI", func() *vpc.AssociateAddressRequest { return assocReq("eip-gz000003", "", "eni-gz999999", "10.1.9.10") }, codeENINotFound},
		{"private IP not on ENI", func() *vpc.AssociateAddressRequest { return assocReq("eip-gz000003", "", "eni-gz000001", "192.0.2.1") }, codeENINotFound},
		{"NAT through AssociateAddress", func() *vpc.AssociateAddressRequest { return assocReq("eip-gz000003", "nat-gz000001", "", "") }, codeNotApplicable},
		{"passthrough on a CLB", func() *vpc.AssociateAddressRequest {
			r := assocReq("eip-gz000003", "lb-gz000001", "", "")
			r.EipDirectConnection = common.BoolPtr(true)
			return r
		}, codeCombination},
	}
	before := e.s.Mutations(provider)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e.clock.Advance(150 * time.Millisecond) // stay under 10 requests/s
			_, err := c.AssociateAddressWithContext(ctx, tc.req())
			wantCode(t, err, tc.code)
		})
	}
	// Refused requests are journalled as sent but change nothing.
	if got := e.s.Mutations(provider) - before; got != len(cases) {
		t.Fatalf("journal counted %d mutating requests, want %d", got, len(cases))
	}
	if got := statusOf(t, c, "eip-gz000003"); got != "UNBIND" {
		t.Fatalf("eip-gz000003 is %s after refusals, want UNBIND", got)
	}
}

func assocReq(eipID, instanceID, eniID, privateIP string) *vpc.AssociateAddressRequest {
	r := vpc.NewAssociateAddressRequest()
	set := func(p **string, v string) {
		if v != "" {
			*p = common.StringPtr(v)
		}
	}
	set(&r.AddressId, eipID)
	set(&r.InstanceId, instanceID)
	set(&r.NetworkInterfaceId, eniID)
	set(&r.PrivateIpAddress, privateIP)
	return r
}

func TestAssociateENIReadsBindENI(t *testing.T) {
	e := newEnv(t, 0)
	c := e.client(t, "ap-guangzhou", nil, nil)
	eni := eniWithIPs(t, e, "ap-guangzhou")
	if _, err := c.AssociateAddressWithContext(ctx, assocReq("eip-gz000005", "", eni.ID, eni.PrivateIPs[1])); err != nil {
		t.Fatalf("AssociateAddress to an ENI: %v", err)
	}
	a := describe(t, c, "eip-gz000005")["eip-gz000005"]
	if *a.AddressStatus != "BIND_ENI" || a.NetworkInterfaceId == nil || *a.NetworkInterfaceId != eni.ID ||
		a.PrivateAddressIp == nil || *a.PrivateAddressIp != eni.PrivateIPs[1] {
		t.Fatalf("ENI binding reads %s on %v/%v, want BIND_ENI on %s/%s", *a.AddressStatus, a.NetworkInterfaceId, a.PrivateAddressIp, eni.ID, eni.PrivateIPs[1])
	}
	_, err := c.AssociateAddressWithContext(ctx, assocReq("eip-gz000006", "", eni.ID, eni.PrivateIPs[1]))
	wantCode(t, err, codePrivateIPHasEIP)
}

func eniWithIPs(t *testing.T, e *env, region string) *sim.Target {
	t.Helper()
	var out *sim.Target
	_ = e.s.View(provider, func(c *sim.Cloud) {
		r, _ := c.Region(region)
		for _, tg := range r.Targets {
			if tg.Type == "eni" && len(tg.PrivateIPs) > 1 && out == nil {
				cp := *tg
				out = &cp
			}
		}
	})
	if out == nil {
		t.Fatal("no seeded ENI with two private IPs")
	}
	return out
}

func TestPassthroughOnInstance(t *testing.T) {
	e := newEnv(t, 0)
	c := e.client(t, "ap-guangzhou", nil, nil)
	r := assocReq("eip-gz000001", "ins-gz000001", "", "")
	r.EipDirectConnection = common.BoolPtr(true)
	if _, err := c.AssociateAddressWithContext(ctx, r); err != nil {
		t.Fatal(err)
	}
	if a := describe(t, c, "eip-gz000001")["eip-gz000001"]; !*a.IsEipDirectConnection {
		t.Fatal("IsEipDirectConnection is false after binding with EipDirectConnection=true")
	}
}

func TestDisassociate(t *testing.T) {
	e := newEnv(t, bindDelay)
	c := e.client(t, "ap-guangzhou", nil, nil)
	req := vpc.NewDisassociateAddressRequest()
	req.AddressId = common.StringPtr("eip-gz000024")
	resp, err := c.DisassociateAddressWithContext(ctx, req)
	if err != nil {
		t.Fatalf("DisassociateAddress: %v", err)
	}
	if got := statusOf(t, c, "eip-gz000024"); got != "UNBINDING" {
		t.Fatalf("status right after disassociate = %s, want UNBINDING", got)
	}
	if got := taskResult(t, c, *resp.Response.TaskId); got != "RUNNING" {
		t.Fatalf("task = %s, want RUNNING", got)
	}
	e.clock.Advance(bindDelay)
	if a := describe(t, c, "eip-gz000024")["eip-gz000024"]; *a.AddressStatus != "UNBIND" || a.InstanceId != nil {
		t.Fatalf("after the delay: %s on %v, want UNBIND on nothing", *a.AddressStatus, a.InstanceId)
	}
	if got := taskResult(t, c, *resp.Response.TaskId); got != "SUCCESS" {
		t.Fatalf("task = %s, want SUCCESS", got)
	}
	_, err = c.DisassociateAddressWithContext(ctx, req)
	wantCode(t, err, codeStatusNotPermit)
}

func natAssociate(c *vpc.Client, natID string, ips ...string) (*vpc.AssociateNatGatewayAddressResponse, error) {
	req := vpc.NewAssociateNatGatewayAddressRequest()
	req.NatGatewayId = common.StringPtr(natID)
	req.PublicIpAddresses = common.StringPtrs(ips)
	return c.AssociateNatGatewayAddressWithContext(ctx, req)
}

func ips(t *testing.T, c *vpc.Client, ids ...string) []string {
	t.Helper()
	got := describe(t, c, ids...)
	var out []string
	for _, id := range ids {
		out = append(out, *got[id].AddressIp)
	}
	return out
}

func TestNATGateway(t *testing.T) {
	e := newEnv(t, bindDelay)
	c := e.client(t, "ap-shanghai", nil, nil)
	ids := []string{"eip-sh000001", "eip-sh000002", "eip-sh000003"}
	addrs := ips(t, c, ids...)
	resp, err := natAssociate(c, "nat-sh000001", addrs...)
	if err != nil {
		t.Fatalf("AssociateNatGatewayAddress: %v", err)
	}
	if got := vpcTaskResult(t, c, *resp.Response.RequestId); got != "RUNNING" {
		t.Fatalf("NAT task = %s, want RUNNING", got)
	}
	e.clock.Advance(bindDelay)
	if got := vpcTaskResult(t, c, *resp.Response.RequestId); got != "SUCCESS" {
		t.Fatalf("NAT task = %s, want SUCCESS", got)
	}
	for id, a := range describe(t, c, ids...) {
		if *a.AddressStatus != "BIND" || *a.InstanceId != "nat-sh000001" {
			t.Fatalf("%s is %s on %s, want BIND on nat-sh000001", id, *a.AddressStatus, *a.InstanceId)
		}
	}

	req := vpc.NewDisassociateAddressRequest()
	req.AddressId = common.StringPtr("eip-sh000001")
	_, err = c.DisassociateAddressWithContext(ctx, req)
	wantCode(t, err, codeWrongResourceType)

	eleven := ips(t, c, "eip-sh000004", "eip-sh000005", "eip-sh000006", "eip-sh000007", "eip-sh000008", "eip-sh000009",
		"eip-sh000010", "eip-sh000011", "eip-sh000012", "eip-sh000013", "eip-sh000014")
	_, err = natAssociate(c, "nat-sh000002", eleven...)
	wantCode(t, err, codeNATQuota)
	_, err = natAssociate(c, "nat-sh000002", "203.0.113.9")
	wantCode(t, err, codeIPNotExisted)
	_, err = natAssociate(c, "nat-sh999999", eleven[0])
	wantCode(t, err, codeResourceNotFound)
	_, err = natAssociate(c, "nat-sh000002", eleven[0], addrs[0])
	wantCode(t, err, codeResourceInUse)
	if got := statusOf(t, c, "eip-sh000004"); got != "UNBIND" {
		t.Fatalf("a refused NAT batch left eip-sh000004 %s, want UNBIND", got)
	}

	dreq := vpc.NewDisassociateNatGatewayAddressRequest()
	dreq.NatGatewayId = common.StringPtr("nat-sh000001")
	dreq.PublicIpAddresses = common.StringPtrs(addrs[:2])
	if _, err := c.DisassociateNatGatewayAddressWithContext(ctx, dreq); err != nil {
		t.Fatalf("DisassociateNatGatewayAddress: %v", err)
	}
	e.clock.Advance(bindDelay)
	got := describe(t, c, ids...)
	if *got[ids[0]].AddressStatus != "UNBIND" || *got[ids[1]].AddressStatus != "UNBIND" || *got[ids[2]].AddressStatus != "BIND" {
		t.Fatalf("after unbinding two of three: %s %s %s", *got[ids[0]].AddressStatus, *got[ids[1]].AddressStatus, *got[ids[2]].AddressStatus)
	}
}

func TestHaVip(t *testing.T) {
	e := newEnv(t, bindDelay)
	c := e.client(t, "ap-guangzhou", nil, nil)
	ip := ips(t, c, "eip-gz000007")[0]
	req := vpc.NewHaVipAssociateAddressIpRequest()
	req.HaVipId = common.StringPtr("havip-gz000001")
	req.AddressIp = common.StringPtr(ip)
	resp, err := c.HaVipAssociateAddressIpWithContext(ctx, req)
	if err != nil {
		t.Fatalf("HaVipAssociateAddressIp: %v", err)
	}
	if got := vpcTaskResult(t, c, *resp.Response.RequestId); got != "RUNNING" {
		t.Fatalf("HaVip task = %s, want RUNNING", got)
	}
	e.clock.Advance(bindDelay)
	a := describe(t, c, "eip-gz000007")["eip-gz000007"]
	if *a.AddressStatus != "BIND" || *a.InstanceId != "havip-gz000001" {
		t.Fatalf("eip-gz000007 is %s on %v, want BIND on havip-gz000001", *a.AddressStatus, a.InstanceId)
	}
	req.AddressIp = common.StringPtr(ips(t, c, "eip-gz000008")[0])
	_, err = c.HaVipAssociateAddressIpWithContext(ctx, req)
	wantCode(t, err, codeHaVipBindEIP)

	dreq := vpc.NewHaVipDisassociateAddressIpRequest()
	dreq.HaVipId = common.StringPtr("havip-gz000001")
	dresp, err := c.HaVipDisassociateAddressIpWithContext(ctx, dreq)
	if err != nil {
		t.Fatalf("HaVipDisassociateAddressIp: %v", err)
	}
	e.clock.Advance(bindDelay)
	if got := vpcTaskResult(t, c, *dresp.Response.RequestId); got != "SUCCESS" {
		t.Fatalf("HaVip unbind task = %s, want SUCCESS", got)
	}
	if got := statusOf(t, c, "eip-gz000007"); got != "UNBIND" {
		t.Fatalf("eip-gz000007 is %s, want UNBIND", got)
	}
	_, err = c.HaVipDisassociateAddressIpWithContext(ctx, dreq)
	wantCode(t, err, codeHaVipUnbindEIP)
}

func TestAssociateRateLimit(t *testing.T) {
	e := newEnv(t, 0)
	c := e.client(t, "ap-guangzhou", nil, nil)
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
	if got := taskResult(t, c, *resp.Response.TaskId); got != "FAILED" {
		t.Fatalf("task = %s, want FAILED", got)
	}
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
	e := newEnv(t, 0)
	c := e.client(t, "ap-guangzhou", nil, nil)

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
