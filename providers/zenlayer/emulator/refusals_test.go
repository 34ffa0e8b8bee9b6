package emulator

import (
	"net/http"
	"testing"

	"github.com/zenlayer/zenlayercloud-sdk-go/zenlayercloud/common"
	zec "github.com/zenlayer/zenlayercloud-sdk-go/zenlayercloud/zec20250901"

	"github.com/eipctl/eipctl/pkg/sim"
)

func TestWholeRequestRefusalsChangeNothing(t *testing.T) {
	w := newWorld(t)
	nic, lb, hv := w.target("asia-east-1", "eni"), w.target("asia-east-1", "lb"), w.target("asia-east-1", "havip")
	otherNic := w.target("asia-north-1", "eni")
	eips := []string{"eip-ae0009", "eip-ae0010"}
	cases := []struct {
		body   map[string]any
		status int
		code   string
	}{
		{map[string]any{"nicId": "nic-ae9999", "lanIp": "10.0.0.1", "eipIds": eips}, 404, "INVALID_NIC_NOT_FOUND"},
		{map[string]any{"natId": "nat-ae9999", "eipIds": eips}, 404, "INVALID_NAT_NOT_FOUND"},
		{map[string]any{"loadBalancerId": "lb-ae9999", "eipIds": eips}, 404, "INVALID_LB_NOT_FOUND"},
		{map[string]any{"haVipId": "havip-ae9999", "eipIds": eips}, 404, "INVALID_HAVIP_NOT_FOUND"},
		{map[string]any{"natId": nic.ID, "eipIds": eips}, 404, "INVALID_NAT_NOT_FOUND"},
		{map[string]any{"loadBalancerId": lb.ID, "eipIds": append([]string{"eip-ae9999"}, eips...)}, 404, "INVALID_EIP_NOT_FOUND"},
		{map[string]any{"nicId": otherNic.ID, "lanIp": otherNic.PrivateIPs[0], "eipIds": eips}, 400, "INVALID_REGION_MISMATCH"},
		{map[string]any{"nicId": nic.ID, "eipIds": eips}, 400, "INVALID_PARAMETER"},
		{map[string]any{"nicId": nic.ID, "lanIp": "192.0.2.1", "eipIds": eips}, 400, "INVALID_LAN_IP_NOT_FOUND"},
		{map[string]any{"loadBalancerId": lb.ID, "eipIds": eips}, 400, "OPERATION_DENIED_EIP_ASSIGNED_LIMIT_EXCEEDED"},
		{map[string]any{"eipIds": eips}, 400, "INVALID_PARAMETER"},
		{map[string]any{"haVipId": hv.ID}, 400, "INVALID_PARAMETER"},
		{map[string]any{"natId": "nat-ae0001", "eipIds": eips, "bindType": "Bridge"}, 400, "INVALID_PARAMETER"},
	}
	for _, c := range cases {
		status, env := w.raw("AssociateEipAddress", c.body)
		if status != c.status || env["code"] != c.code || env["message"] == "" {
			t.Errorf("%v: %d %v, want %d %s", c.body, status, env, c.status, c.code)
		}
	}
	for _, id := range eips {
		if got := w.status(id); got != StatusUnbind {
			t.Fatalf("%s is %s after only refused requests", id, got)
		}
	}
	status, env := w.raw("UnassociateEipAddress", map[string]any{"eipIds": []string{"eip-ae0009", "eip-ae9999"}})
	if status != 404 || env["code"] != "INVALID_EIP_NOT_FOUND" {
		t.Errorf("unassociate with an unknown EIP: %d %v", status, env)
	}
}

func TestHaVipRefusesPassthroughForEveryEip(t *testing.T) {
	w := newWorld(t)
	hv := w.target("asia-east-1", "havip")
	status, env := w.raw("AssociateEipAddress", map[string]any{"haVipId": hv.ID, "eipIds": []string{"eip-ae0011", "eip-ae0012"}, "bindType": BindPassthrough})
	if status != http.StatusOK {
		t.Fatalf("%d %v", status, env)
	}
	failed := env["response"].(map[string]any)["failedEipIds"].([]any)
	if len(failed) != 2 {
		t.Fatalf("failedEipIds = %v, want both EIPs", failed)
	}
	if w.status("eip-ae0011") != StatusUnbind || w.status("eip-ae0012") != StatusUnbind {
		t.Fatal("an EIP was bound to the HaVip in Passthrough mode")
	}
}

func TestDescribeEipsRefusesBadPagingAndUnknownRegions(t *testing.T) {
	w := newWorld(t)
	for _, c := range []struct {
		body map[string]any
		code string
	}{
		{map[string]any{"pageSize": 1001}, "INVALID_PARAMETER"},
		{map[string]any{"pageNum": 0}, "INVALID_PARAMETER"},
		{map[string]any{"regionId": "mars-1"}, "INVALID_REGION_NOT_FOUND"},
	} {
		if status, env := w.raw("DescribeEips", c.body); status == http.StatusOK || env["code"] != c.code {
			t.Errorf("%v: %d %v, want %s", c.body, status, env, c.code)
		}
	}
	status, env := w.raw("DescribeEips", map[string]any{"eipIds": []string{"eip-ae0001", "eip-an0002", "eip-zz0000"}, "pageSize": 1000})
	if status != 200 || env["response"].(map[string]any)["totalCount"] != float64(2) {
		t.Fatalf("filter by IDs across regions (one unknown): %d %v", status, env)
	}
}

func TestFaults(t *testing.T) {
	w := newWorld(t)
	nat := w.target("asia-east-1", "nat")
	for _, c := range []struct {
		kind   sim.FaultKind
		status int
		code   string
	}{
		{sim.FaultThrottle, 429, "REQUEST_LIMIT_EXCEEDED"},
		{sim.FaultUnavailable, 503, "SERVICE_TEMPORARY_UNAVAILABLE"},
		{sim.FaultConflict, 500, "OPERATION_DENIED_EIP_STATUS_NOT_SUPPORT"},
		// ZEC's one documented code for a service briefly unable to answer.
		{sim.FaultBusy, 503, "SERVICE_TEMPORARY_UNAVAILABLE"},
		// ZEC documents no SNAT/DNAT refusal: the EIP's status forbids it.
		{sim.FaultSnat, 500, "OPERATION_DENIED_EIP_STATUS_NOT_SUPPORT"},
	} {
		w.s.Inject(sim.Fault{Provider: Provider, Action: "AssociateEipAddress", Kind: c.kind})
		status, env := w.raw("AssociateEipAddress", map[string]any{"natId": nat.ID, "eipIds": []string{"eip-ae0013"}})
		if status != c.status || env["code"] != c.code {
			t.Errorf("%s: %d %v, want %d %s", c.kind, status, env, c.status, c.code)
		}
		if got := w.status("eip-ae0013"); got != StatusUnbind {
			t.Fatalf("%s fault still changed the EIP to %s", c.kind, got)
		}
	}

	w.s.Inject(sim.Fault{Provider: Provider, Action: "DescribeEips", Kind: sim.FaultReset})
	if _, err := w.sdk(Profile.Credentials.Secret).DescribeEips(zec.NewDescribeEipsRequest()); sdkCode(err) != common.NetworkError {
		t.Errorf("reset fault: %v, want a network error", err)
	}

	// A fail-binding fault for any action waits for a bind: reads do not use it up.
	w.s.Inject(sim.Fault{Provider: Provider, Kind: sim.FaultFailBinding})
	w.status("eip-ae0014")
	status, env := w.raw("AssociateEipAddress", map[string]any{"natId": nat.ID, "eipIds": []string{"eip-ae0014"}})
	if status != 200 {
		t.Fatalf("fail-binding must accept the request: %d %v", status, env)
	}
	if got := w.status("eip-ae0014"); got != StatusAssigning {
		t.Fatalf("fail-binding: %s right after the request, want ASSIGNING", got)
	}
	w.clock.Advance(bindDelay)
	if got := w.status("eip-ae0014"); got != StatusUnbind {
		t.Fatalf("fail-binding: %s after the delay, want UNBIND", got)
	}
}
