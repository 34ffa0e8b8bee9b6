package tencent

import (
	"strings"
	"testing"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	vpc "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/vpc/v20170312"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/eip/eiptest"
	"github.com/eipctl/eipctl/pkg/sim"
)

// The documented busy answer (the common code ServiceUnavailable) is waited
// out: the EIP is bound, not reported failed on the first answer.
func TestServiceUnavailableIsWaitedOut(t *testing.T) {
	w := newWorld(t, time.Second)
	w.sim.Inject(sim.Fault{Provider: "tencent", Action: "AssociateAddress", Kind: sim.FaultBusy, Times: 2})
	rep := w.associate(bind("eip-gz000001", "ins-gz000001"))
	eiptest.WantRows(t, rep, eip.StatusAssociated)
	if n := w.count("AssociateAddress"); n != 3 {
		t.Errorf("AssociateAddress reached the emulator %d times, want 2 refusals and the bind", n)
	}
}

// releaseAndAllocate releases ids (OFFLINING), then allocates n (the
// emulator takes the first released back: CREATING), as another client of
// the account would; eipctl sends neither call.
func (w *world) releaseAndAllocate(ids []string, n int64) {
	w.t.Helper()
	c, err := w.prov.client(region)
	if err != nil {
		w.t.Fatal(err)
	}
	release := vpc.NewReleaseAddressesRequest()
	release.AddressIds = common.StringPtrs(ids)
	if _, err := c.ReleaseAddressesWithContext(ctx, release); err != nil {
		w.t.Fatal(err)
	}
	alloc := vpc.NewAllocateAddressesRequest()
	alloc.AddressCount = common.Int64Ptr(n)
	if _, err := c.AllocateAddressesWithContext(ctx, alloc); err != nil {
		w.t.Fatal(err)
	}
}

// An EIP being released (OFFLINING) or allocated (CREATING) is shown with
// its own status, and a bind stops at once naming it: nothing is sent.
func TestCreatingAndOfflineEIPsAreNeitherFreeNorBound(t *testing.T) {
	w := newWorld(t, time.Second)
	w.releaseAndAllocate([]string{"eip-gz000005", "eip-gz000006"}, 1) // takes eip-gz000005 back: CREATING
	want := map[string]string{"eip-gz000005": "CREATING", "eip-gz000006": "OFFLINING"}
	got, err := w.prov.Describe(ctx, region, []string{"eip-gz000005", "eip-gz000006"})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range got {
		if a.State != eip.StateOther || a.NativeStatus != want[a.ID] {
			t.Errorf("%s reads %s (%s), want other (%s)", a.ID, a.State, a.NativeStatus, want[a.ID])
		}
	}
	before := w.count("AssociateAddress")
	rep := w.associate(bind("eip-gz000005", "ins-gz000001"), bind("eip-gz000006", "ins-gz000002"))
	for _, r := range rep.Results {
		if r.Status != eip.StatusFailed || r.Error == nil || r.Error.Code != "IncorrectStatus" || !strings.Contains(r.Error.Message, want[r.EIPID]) {
			t.Errorf("%s: %s %+v, want failed IncorrectStatus naming %s", r.EIPID, r.Status, r.Error, want[r.EIPID])
		}
	}
	if n := w.count("AssociateAddress") - before; n != 0 {
		t.Errorf("%d AssociateAddress sent for EIPs that cannot be bound", n)
	}
}

// An EIP that reads CREATING becomes UNBIND on its own, so waiting for it
// to be available (`eipctl eip wait --for available`) waits through
// CREATING instead of failing on it.
func TestWaitingForAvailableWaitsOutCreating(t *testing.T) {
	w := newWorld(t, time.Second)
	w.releaseAndAllocate([]string{"eip-gz000005"}, 1)
	if as, err := w.prov.Describe(ctx, region, []string{"eip-gz000005"}); err != nil || as[0].NativeStatus != "CREATING" {
		t.Fatalf("eip-gz000005 reads %+v (%v), want CREATING", as, err)
	}
	rep, err := w.engine().Await(ctx, []eip.Expectation{{Provider: "tencent", Region: region, EIP: "eip-gz000005", For: eip.StateAvailable}})
	if err != nil {
		t.Fatal(err)
	}
	if r := rep.Results[0]; r.Error != nil || r.Status == eip.StatusFailed || r.Status == eip.StatusTimeout {
		t.Fatalf("waiting for available: %s %+v, want it met once CREATING ended", r.Status, r.Error)
	}
}
