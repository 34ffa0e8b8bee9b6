package emulator

import (
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/eipctl/eipctl/pkg/sim"
)

// UnassociateEipAddress's Force: without it an EIP that NAT entries use (the
// snat fault) is refused and stays bound; with Force=true the cloud deletes
// the entries and unbinds, and so does the emulator; a word other than true
// or false is refused.
func TestForceUnbindsThroughNATEntries(t *testing.T) {
	w := newWorld(t)
	c := w.sdkClient(t, Profile.Credentials.Secret)
	unbind := func(force string) error {
		u := vpc.CreateUnassociateEipAddressRequest()
		u.RegionId, u.AllocationId = region, "eip-hz0060"
		if force != "" {
			u.Force = requests.Boolean(force)
		}
		_, err := c.UnassociateEipAddress(u)
		return err
	}
	if got := errCode(t, unbind("yes")); got != "InvalidParameter" {
		t.Fatalf("Force=yes: %q, want InvalidParameter", got)
	}
	for _, force := range []string{"", "false"} {
		w.sim.Inject(sim.Fault{Kind: sim.FaultSnat})
		w.refused(t, unbind(force), "InvalidIpStatus.HasBeenUsedBySnatTable", "eip-hz0060", sim.Bound)
	}
	w.sim.Inject(sim.Fault{Kind: sim.FaultSnat})
	if err := unbind("true"); err != nil {
		t.Fatalf("Force=true under snat: %v, want the EIP unbound (the cloud deletes the entries)", err)
	}
	if p := w.phase(t, "eip-hz0060"); p != sim.Unassociating {
		t.Fatalf("after a forced unbind eip-hz0060 is %s, want unassociating", p)
	}
}

// A batch to an ENI must say Mode=MULTI_BINDED, the batch call's one mode:
// without it the request lacks a parameter, with another it is refused, and
// nothing is bound either way.
func TestBatchToAnENINeedsMultiBinded(t *testing.T) {
	w := newWorld(t)
	client := w.sdkClient(t, Profile.Credentials.Secret)
	for _, c := range []struct{ mode, want string }{{"", "MissingParameter"}, {"NAT", "InvalidParameter"}, {"MULTI_BINDED", ""}} {
		mode, want := c.mode, c.want
		req := vpc.CreateAssociateEipAddressBatchRequest()
		ids := []string{"eip-hz0010", "eip-hz0011"}
		req.RegionId, req.InstanceIds, req.BindedInstanceId, req.BindedInstanceType, req.Mode = region, &ids, "eni-hz0001", "NetworkInterface", mode
		_, err := client.AssociateEipAddressBatch(req)
		if want != "" {
			w.refused(t, err, want, "eip-hz0010", sim.Available)
			continue
		}
		if err != nil {
			t.Fatalf("Mode=MULTI_BINDED: %v, want accepted", err)
		}
	}
}
