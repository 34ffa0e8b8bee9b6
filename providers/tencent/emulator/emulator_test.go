package emulator

import (
	"context"
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

// guangzhou is a fresh account with no bind delay and the official SDK
// pointed at it in ap-guangzhou, with the emulator's credentials.
func guangzhou(t *testing.T) (*env, *vpc.Client) {
	t.Helper()
	e := newEnv(t, 0)
	return e, e.client(t, "ap-guangzhou", nil, nil)
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

// wantTask fails t unless a task read (taskResult, vpcTaskResult) is want;
// what names the task in the message.
func wantTask(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Fatalf("%s = %s, want %s", what, got, want)
	}
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
	wantTask(t, "task during binding", taskResult(t, c, task), "RUNNING")
	e.clock.Advance(bindDelay)
	a := describe(t, c, "eip-gz000001")["eip-gz000001"]
	if *a.AddressStatus != "BIND" || a.InstanceId == nil || *a.InstanceId != "ins-gz000001" {
		t.Fatalf("after the delay: status %s instance %v, want BIND on ins-gz000001", *a.AddressStatus, a.InstanceId)
	}
	wantTask(t, "task after binding", taskResult(t, c, task), "SUCCESS")
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
	e, c := guangzhou(t)
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
	_, c := guangzhou(t)
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
	wantTask(t, "task", taskResult(t, c, *resp.Response.TaskId), "RUNNING")
	e.clock.Advance(bindDelay)
	if a := describe(t, c, "eip-gz000024")["eip-gz000024"]; *a.AddressStatus != "UNBIND" || a.InstanceId != nil {
		t.Fatalf("after the delay: %s on %v, want UNBIND on nothing", *a.AddressStatus, a.InstanceId)
	}
	wantTask(t, "task", taskResult(t, c, *resp.Response.TaskId), "SUCCESS")
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
	wantTask(t, "NAT task", vpcTaskResult(t, c, *resp.Response.RequestId), "RUNNING")
	e.clock.Advance(bindDelay)
	wantTask(t, "NAT task", vpcTaskResult(t, c, *resp.Response.RequestId), "SUCCESS")
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
	wantTask(t, "HaVip task", vpcTaskResult(t, c, *resp.Response.RequestId), "RUNNING")
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
	wantTask(t, "HaVip unbind task", vpcTaskResult(t, c, *dresp.Response.RequestId), "SUCCESS")
	if got := statusOf(t, c, "eip-gz000007"); got != "UNBIND" {
		t.Fatalf("eip-gz000007 is %s, want UNBIND", got)
	}
	_, err = c.HaVipDisassociateAddressIpWithContext(ctx, dreq)
	wantCode(t, err, codeHaVipUnbindEIP)
}
