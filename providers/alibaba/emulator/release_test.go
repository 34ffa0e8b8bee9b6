package emulator

import (
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/eipctl/eipctl/pkg/sim"
)

// statusOf reads one EIP's Status as DescribeEipAddresses answers it.
func statusOf(t *testing.T, c *vpc.Client, id string) string {
	t.Helper()
	d := vpc.CreateDescribeEipAddressesRequest()
	d.RegionId, d.AllocationId = region, id
	resp, err := c.DescribeEipAddresses(d)
	if err != nil || len(resp.EipAddresses.EipAddress) != 1 {
		t.Fatalf("describe %s: %v", id, err)
	}
	return resp.EipAddresses.EipAddress[0].Status
}

// ReleaseEipAddress puts an Available EIP in Releasing, the fifth status
// DescribeEipAddresses documents; while it is there nothing binds or unbinds
// it, and a bound EIP cannot be released.
func TestReleaseShowsReleasingAndRefusesChanges(t *testing.T) {
	w := newWorld(t)
	c := w.sdkClient(t, Profile.Credentials.Secret)
	rel := func(id string) error {
		r := vpc.CreateReleaseEipAddressRequest()
		r.RegionId, r.AllocationId = region, id
		_, err := c.ReleaseEipAddress(r)
		return err
	}
	if err := rel("eip-hz0007"); err != nil {
		t.Fatal(err)
	}
	if got := statusOf(t, c, "eip-hz0007"); got != "Releasing" {
		t.Fatalf("status after ReleaseEipAddress: %s, want Releasing", got)
	}
	if _, err := c.AssociateEipAddress(associate("eip-hz0007", "i-hz0007", "EcsInstance")); errCode(t, err) != "IncorrectEipStatus" {
		t.Errorf("binding a Releasing EIP: %v, want IncorrectEipStatus", err)
	}
	b := vpc.CreateAssociateEipAddressBatchRequest()
	b.RegionId, b.BindedInstanceId, b.BindedInstanceType = region, "ngw-hz0001", "Nat"
	b.InstanceIds = &[]string{"eip-hz0008", "eip-hz0007"}
	if _, err := c.AssociateEipAddressBatch(b); errCode(t, err) != "IncorrectEipStatus" {
		t.Errorf("a batch holding a Releasing EIP: %v, want IncorrectEipStatus", err)
	}
	if p := w.phase(t, "eip-hz0008"); p != sim.Available {
		t.Errorf("the refused batch changed eip-hz0008 to %s", p)
	}
	u := vpc.CreateUnassociateEipAddressRequest()
	u.RegionId, u.AllocationId = region, "eip-hz0007"
	if _, err := c.UnassociateEipAddress(u); errCode(t, err) != "IncorrectEipStatus" {
		t.Errorf("unbinding a Releasing EIP: %v, want IncorrectEipStatus", err)
	}
	if err := rel("eip-hz0060"); errCode(t, err) != "IncorrectEipStatus" { // seeded InUse
		t.Errorf("releasing a bound EIP: %v, want IncorrectEipStatus", err)
	}
}

// The busy and snat faults answer with the codes and HTTP status the
// AssociateEipAddress and UnassociateEipAddress pages list; snat waits for a
// mutation instead of being used up by a read.
func TestBusyAndSnatFaultsUseAlibabasCodes(t *testing.T) {
	w := newWorld(t)
	c := w.sdkClient(t, Profile.Credentials.Secret)
	w.sim.Inject(sim.Fault{Kind: sim.FaultBusy})
	w.sim.Inject(sim.Fault{Kind: sim.FaultSnat})
	if st, code := serverCode(t, describeErr(c)); st != 400 || code != "OperationFailed.SystemBusy" {
		t.Fatalf("busy: %d %s, want 400 OperationFailed.SystemBusy", st, code)
	}
	if err := describeErr(c); err != nil {
		t.Fatalf("a read under snat: %v, want it served", err)
	}
	u := vpc.CreateUnassociateEipAddressRequest()
	u.RegionId, u.AllocationId = region, "eip-hz0060"
	_, err := c.UnassociateEipAddress(u)
	w.refused(t, err, "InvalidIpStatus.HasBeenUsedBySnatTable", "eip-hz0060", sim.Bound)
}

// refused fails t unless err is HTTP 400 with code and the EIP id is still
// in phase: a refusal changes nothing.
func (w *world) refused(t *testing.T, err error, code, id string, phase sim.Phase) {
	t.Helper()
	if err == nil {
		t.Fatalf("accepted, want 400 %s", code)
	}
	if st, got := serverCode(t, err); st != 400 || got != code {
		t.Fatalf("%d %s, want 400 %s", st, got, code)
	}
	if p := w.phase(t, id); p != phase {
		t.Fatalf("the refused request changed %s to %s, want it %s", id, p, phase)
	}
}

// errCode is an answer's Alibaba code, "" for a success.
func errCode(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	_, c := serverCode(t, err)
	return c
}

func describeErr(c *vpc.Client) error {
	d := vpc.CreateDescribeEipAddressesRequest()
	d.RegionId = region
	_, err := c.DescribeEipAddresses(d)
	return err
}
