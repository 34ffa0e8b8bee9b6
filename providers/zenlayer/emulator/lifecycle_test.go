package emulator

import (
	"net/http"
	"testing"

	zec "github.com/zenlayer/zenlayercloud-sdk-go/zenlayercloud/zec20250901"
)

// DeleteEip shows the recycle bin over the wire, as the Terraform provider
// drives it: a free EIP goes RECYCLED, a second DeleteEip makes it DELETING;
// neither can be bound or unbound, and a bound EIP cannot be deleted.
func TestDeleteEipRecyclesThenDeletesOverTheWire(t *testing.T) {
	w := newWorldWith(t, Profile)
	nat := w.target("asia-east-1", "nat")
	id := w.firstEIP("asia-east-1").ID
	del := func(eipID string) error {
		req := zec.NewDeleteEipRequest()
		req.EipId = &eipID
		_, err := w.sdk(Profile.Credentials.Secret).DeleteEip(req)
		return err
	}
	if err := del(id); err != nil {
		t.Fatalf("DeleteEip of a free EIP: %v", err)
	}
	if got := w.status(id); got != StatusRecycled {
		t.Fatalf("after DeleteEip: %s, want RECYCLED", got)
	}
	st, env := w.raw("AssociateEipAddress", map[string]any{"natId": nat.ID, "eipIds": []string{id}})
	if f, _ := env["response"].(map[string]any)["failedEipIds"].([]any); st != 200 || len(f) != 1 {
		t.Fatalf("binding a RECYCLED EIP: %d %v, want it in failedEipIds", st, env)
	}
	if st, env := w.raw("UnassociateEipAddress", map[string]any{"eipIds": []string{id}}); st != http.StatusInternalServerError || env["code"] != "OPERATION_DENIED_EIP_STATUS_NOT_SUPPORT" {
		t.Fatalf("unbinding a RECYCLED EIP: %d %v", st, env)
	}
	if err := del(id); err != nil || w.status(id) != StatusDeleting {
		t.Fatalf("the second DeleteEip: %v, status %s, want DELETING", err, w.status(id))
	}
	if err := del(id); sdkCode(err) != "OPERATION_DENIED_EIP_STATUS_NOT_SUPPORT" {
		t.Fatalf("DeleteEip of a DELETING EIP: %v", err)
	}

	next := w.firstEIPAfter("asia-east-1", id)
	if st, env := w.raw("AssociateEipAddress", map[string]any{"natId": nat.ID, "eipIds": []string{next}}); st != 200 {
		t.Fatalf("%d %v", st, env)
	}
	w.clock.Advance(bindDelay)
	if err := del(next); sdkCode(err) != "OPERATION_DENIED_EIP_STATUS_NOT_SUPPORT" || w.status(next) != StatusBinded {
		t.Fatalf("DeleteEip of a bound EIP: %v (%s), want OPERATION_DENIED_EIP_STATUS_NOT_SUPPORT and still BINDED", err, w.status(next))
	}
	// The recycle bin survives in the inventory (and so in the state file).
	inv, _ := w.s.Inventory()
	for _, r := range inv {
		for _, e := range r.EIPs {
			if e.ID == id && e.Status != StatusDeleting {
				t.Errorf("inventory shows %s as %s, want DELETING", id, e.Status)
			}
		}
	}
}

// firstEIPAfter is the region's first free EIP other than id.
func (w *world) firstEIPAfter(region, id string) string {
	w.t.Helper()
	inv, err := w.s.Inventory()
	if err != nil {
		w.t.Fatal(err)
	}
	for _, r := range inv {
		for _, e := range r.EIPs {
			if r.Region == region && e.ID != id && e.Status == StatusUnbind {
				return e.ID
			}
		}
	}
	w.t.Fatalf("no other free EIP in %s", region)
	return ""
}
