package emulator

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/sim"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	vpc "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/vpc/v20170312"
)

// Some official clients compare the Content-Type byte for byte and read any
// other value's error answers as successes.
func TestContentTypeIsExactlyApplicationJSON(t *testing.T) {
	_, cl := guangzhou(t)
	var types []string
	cl.WithHttpTransport(roundTrip(func(r *http.Request) (*http.Response, error) {
		resp, err := http.DefaultTransport.RoundTrip(r)
		if err == nil {
			types = append(types, resp.Header.Get("Content-Type"))
		}
		return resp, err
	}))
	_, _ = associate(cl, "eip-gz999999", "ins-gz000001") // an error answer
	_, _ = associate(cl, "eip-gz000001", "ins-gz000001") // a success
	if len(types) != 2 || types[0] != "application/json" || types[1] != "application/json" {
		t.Fatalf("Content-Type of an error and a success answer: %q, want exactly application/json", types)
	}
}

func TestUnknownSecretIDDoesNotNameTheAcceptedOne(t *testing.T) {
	e := newEnv(t, 0)
	cl := e.client(t, "ap-guangzhou", common.NewCredential("AKIDsomeoneelse", "x"), nil)
	_, err := associate(cl, "eip-gz000001", "ins-gz000001")
	wantCode(t, err, codeSecretIDNotFound)
	if strings.Contains(err.Error(), Profile.Credentials.ID) || strings.Contains(err.Error(), Profile.Credentials.Secret) {
		t.Fatalf("the refusal names the emulator's credentials: %v", err)
	}
}

// Every documented per-second limit, per action.
func TestPerActionLimits(t *testing.T) {
	e, c := guangzhou(t)
	for i := 0; i < 20; i++ {
		describe(t, c, "eip-gz000001")
	}
	req := vpc.NewDescribeAddressesRequest()
	_, err := c.DescribeAddressesWithContext(ctx, req)
	wantCode(t, err, codeRequestLimit)
	// The NAT call admits 100 per second; its refusals count too.
	for i := 0; i < 100; i++ {
		_, err := natAssociate(c, "nat-gz999999", "119.29.0.2")
		wantCode(t, err, codeResourceNotFound)
	}
	_, err = natAssociate(c, "nat-gz999999", "119.29.0.2")
	wantCode(t, err, codeRequestLimit)
	// Another region has its own windows.
	other := e.client(t, "ap-shanghai", nil, nil)
	describe(t, other, "eip-sh000001")
	e.clock.Advance(time.Second)
	describe(t, c, "eip-gz000001")
	var limited int
	for _, q := range e.s.Requests() {
		if q.Code == codeRequestLimit {
			if q.Status != 200 {
				t.Errorf("throttled answer logged with HTTP %d, want 200", q.Status)
			}
			limited++
		}
	}
	if limited != 2 {
		t.Errorf("%d throttled requests in the log, want 2", limited)
	}
}

// A NAT gateway holds 10 EIPs by default.
func TestNATGatewayHoldsTen(t *testing.T) {
	_, c := guangzhou(t)
	var ips []string
	for _, a := range describe(t, c) {
		if *a.AddressStatus == "UNBIND" && len(ips) < 11 {
			ips = append(ips, *a.AddressIp)
		}
	}
	if _, err := natAssociate(c, "nat-gz000001", ips[:10]...); err != nil {
		t.Fatalf("10 EIPs to one NAT gateway: %v", err)
	}
	_, err := natAssociate(c, "nat-gz000001", ips[10])
	wantCode(t, err, codeNATQuota)
}

func TestDropAfterCommitOnTencent(t *testing.T) {
	e := newEnv(t, bindDelay)
	e.s.Inject(sim.Fault{Provider: provider, Action: "AssociateAddress", Kind: sim.FaultDropAfterCommit})
	c := e.client(t, "ap-guangzhou", nil, nil)
	if _, err := associate(c, "eip-gz000003", "ins-gz000003"); err == nil {
		t.Fatal("answered through drop-after-commit")
	}
	if st := statusOf(t, c, "eip-gz000003"); st != "BINDING" {
		t.Fatalf("eip-gz000003 is %s: the dropped bind was not applied", st)
	}
}
