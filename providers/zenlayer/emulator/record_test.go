package emulator

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/eipctl/eipctl/pkg/sim"
)

// The cases below hold the default account to the public record: numeric
// IDs (the Terraform provider's examples), no unbinding status (none is
// documented), the documented lifecycle statuses and the documented code
// for a briefly unavailable service.

// firstEIP is the first seeded EIP of a region in the account.
func (w *world) firstEIP(region string) sim.InventoryEIP {
	w.t.Helper()
	inv, err := w.s.Inventory()
	if err != nil {
		w.t.Fatal(err)
	}
	for _, r := range inv {
		if r.Region == region && len(r.EIPs) > 0 {
			return r.EIPs[0]
		}
	}
	w.t.Fatalf("no EIP in %s", region)
	return sim.InventoryEIP{}
}

func numeric(id string) bool {
	return strings.Trim(id, "0123456789") == "" && id != ""
}

func TestDefaultAccountSeedsNineteenDigitIDsLikeTheRealCloud(t *testing.T) {
	w := newWorldWith(t, Profile)
	inv, err := w.s.Inventory()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	check := func(id, what string) {
		if !numeric(id) || len(id) != 19 || seen[id] {
			t.Errorf("%s ID %q: want a 19-digit number, unique (real ZEC IDs look like 1680855999352675875)", what, id)
		}
		seen[id] = true
	}
	for _, r := range inv {
		for _, e := range r.EIPs {
			check(e.ID, "EIP")
		}
		for _, tg := range r.Targets {
			check(tg.ID, tg.Type)
		}
	}
	if len(seen) == 0 {
		t.Fatal("the default account seeds nothing")
	}
	// The SDK reads a numeric ID back unchanged.
	id := w.firstEIP("asia-east-1").ID
	if e := w.eip(id); *e.EipId != id || *e.Status != StatusUnbind {
		t.Fatalf("DescribeEips %s: %+v", id, e)
	}
}

func TestUnbindShowsBindedUntilDoneUnlessAskedForUnbinding(t *testing.T) {
	for _, c := range []struct {
		name string
		prof sim.Profile
		want string
	}{
		{"record", Profile, StatusBinded},
		{"UnbindingStatus", ProfileWith(Options{UnbindingStatus: true}), StatusUnbinding},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newWorldWith(t, c.prof)
			nat := w.target("asia-east-1", "nat")
			id := w.firstEIP("asia-east-1").ID
			if st, env := w.raw("AssociateEipAddress", map[string]any{"natId": nat.ID, "eipIds": []string{id}}); st != 200 {
				t.Fatalf("%d %v", st, env)
			}
			w.clock.Advance(bindDelay)
			if st, env := w.raw("UnassociateEipAddress", map[string]any{"eipIds": []string{id}}); st != 200 {
				t.Fatalf("%d %v", st, env)
			}
			if e := w.eip(id); *e.Status != c.want || e.AssociatedId == nil || *e.AssociatedId != nat.ID {
				t.Fatalf("while unbinding: status %s on %v, want %s on %s", *e.Status, e.AssociatedId, c.want, nat.ID)
			}
			// A resend while it unbinds (after a lost answer) is not refused.
			st, env := w.raw("UnassociateEipAddress", map[string]any{"eipIds": []string{id}})
			if f, _ := env["response"].(map[string]any)["failedEipIds"].([]any); st != 200 || len(f) != 0 {
				t.Fatalf("resending the unbind while it runs: %d %v, want accepted with no failedEipIds", st, env)
			}
			w.clock.Advance(bindDelay)
			if e := w.eip(id); *e.Status != StatusUnbind || e.AssociatedId != nil {
				t.Fatalf("after the unbind: %s on %v, want UNBIND and no associatedId", *e.Status, e.AssociatedId)
			}
		})
	}
}

func TestLifecycleStatusesAreShownAndRefuseBindAndUnbind(t *testing.T) {
	life := map[string]string{}
	w := newWorldWith(t, ProfileWith(Options{Lifecycle: life}))
	nat := w.target("asia-east-1", "nat")
	var ids []string
	inv, _ := w.s.Inventory()
	for _, r := range inv {
		if r.Region == "asia-east-1" {
			for _, e := range r.EIPs[:6] {
				ids = append(ids, e.ID)
			}
		}
	}
	words := []string{StatusCreating, StatusCreateFailed, StatusDeleting, StatusRecycling, StatusRecycled}
	for i, word := range words {
		life[ids[i]] = word
	}
	for i, word := range words {
		if got := w.status(ids[i]); got != word {
			t.Errorf("%s reads %s, want %s", ids[i], got, word)
		}
	}
	// A bind lists them in failedEipIds and binds the free one.
	st, env := w.raw("AssociateEipAddress", map[string]any{"natId": nat.ID, "eipIds": ids})
	failed, _ := env["response"].(map[string]any)["failedEipIds"].([]any)
	if st != 200 || len(failed) != len(words) {
		t.Fatalf("bind: %d %v, want %d failedEipIds", st, env, len(words))
	}
	if got := w.status(ids[5]); got != StatusAssigning {
		t.Fatalf("the free EIP reads %s, want ASSIGNING", got)
	}
	// An unbind of a recycled EIP is refused with the documented code.
	st, env = w.raw("UnassociateEipAddress", map[string]any{"eipIds": []string{ids[4]}})
	if st != http.StatusInternalServerError || env["code"] != "OPERATION_DENIED_EIP_STATUS_NOT_SUPPORT" {
		t.Fatalf("unbinding a RECYCLED EIP: %d %v, want 500 OPERATION_DENIED_EIP_STATUS_NOT_SUPPORT", st, env)
	}
	// The status filter and the inventory use the same words.
	st, env = w.raw("DescribeEips", map[string]any{"status": StatusRecycled})
	if st != 200 || env["response"].(map[string]any)["totalCount"] != float64(1) {
		t.Fatalf("DescribeEips status=RECYCLED: %d %v, want one EIP", st, env)
	}
	inv, _ = w.s.Inventory()
	for _, r := range inv {
		for _, e := range r.EIPs {
			if e.ID == ids[4] && e.Status != StatusRecycled {
				t.Errorf("inventory shows %s as %s, want RECYCLED", e.ID, e.Status)
			}
		}
	}
}

func TestBusyAnswersTheDocumentedTemporarilyUnavailableCode(t *testing.T) {
	w := newWorldWith(t, Profile)
	rec := httptest.NewRecorder()
	New(w.s).(*front).Refuse(rec, sim.FaultBusy, 0)
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), `"code":"SERVICE_TEMPORARY_UNAVAILABLE"`) {
		t.Fatalf("busy: %d %s, want 503 SERVICE_TEMPORARY_UNAVAILABLE", rec.Code, rec.Body)
	}
}
