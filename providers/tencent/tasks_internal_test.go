package tencent

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/sim"
)

// A task that ends FAILED fails its rows with the task's own word, read
// with the task call that matches the bind (DescribeVpcTaskResult for a NAT
// gateway's RequestId, DescribeTaskResult for the rest).
func TestFailedTaskFailsTheRow(t *testing.T) {
	for _, c := range []struct{ action, target, read string }{
		{"AssociateAddress", "ins-gz000001", "DescribeTaskResult"},
		{"AssociateNatGatewayAddress", "nat-gz000001", "DescribeVpcTaskResult"},
	} {
		w := newWorld(t, 3*time.Second)
		w.sim.Inject(sim.Fault{Provider: "tencent", Action: c.action, Kind: sim.FaultFailBinding})
		rep := w.associate(bind("eip-gz000001", c.target))
		r := rep.Results[0]
		if r.Status != eip.StatusFailed || r.Error == nil || r.Error.Code != "FailedOperation.TaskFailed" || !strings.Contains(r.Error.Message, c.read) {
			t.Fatalf("%s: row %+v, want failed with FailedOperation.TaskFailed from %s", c.action, r, c.read)
		}
	}
}

func TestCheckTasks(t *testing.T) {
	w := newWorld(t, 3*time.Second)
	call, err := w.prov.PrepareAssociate(eip.AssociateRequest{Region: region, EIPs: []eip.Address{{ID: "eip-gz000001"}}, Target: "ins-gz000001", TargetType: eip.Instance})
	if err != nil {
		t.Fatal(err)
	}
	res, err := call.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var handle string
	for h, ids := range res.Tasks {
		if !strings.HasPrefix(h, "task:") || !reflect.DeepEqual(ids, []string{"eip-gz000001"}) {
			t.Fatalf("task %q covers %v, want a task: handle for eip-gz000001", h, ids)
		}
		handle = h
	}
	tasks := []string{handle, "task:99999999", "vpctask:unknown-request"}
	st, err := w.prov.CheckTasks(ctx, region, tasks)
	if err != nil {
		t.Fatal(err)
	}
	if len(st) != 0 {
		t.Fatalf("while binding: %v, want nothing done (and unknown tasks left out)", st)
	}
	w.clock.Advance(3 * time.Second)
	st, err = w.prov.CheckTasks(ctx, region, tasks)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := st[handle]; !ok || !got.Done || got.Err != nil || len(st) != 1 {
		t.Fatalf("after the delay: %v, want only %s done without error", st, handle)
	}
}

// After a task ends FAILED the EIP is where it was before the bind: UNBIND,
// held by nothing. The record says no more (the task pages give only
// SUCCESS, FAILED, RUNNING; Terraform waits for BIND after the task); the
// emulator plays it so, and the adapter reads it so, from the first read at
// which the task says FAILED: the read the engine makes before it settles
// such a row shows the EIP free, never the target it did not reach.
func TestAFailedTaskLeavesTheEIPFree(t *testing.T) {
	for _, c := range []struct {
		action, target string
		typ            eip.TargetType
	}{
		{"AssociateAddress", "ins-gz000001", eip.Instance},
		{"AssociateNatGatewayAddress", "nat-gz000001", eip.NAT},
		{"HaVipAssociateAddressIp", "havip-gz000001", eip.HaVip},
	} {
		w := newWorld(t, 3*time.Second)
		w.sim.Inject(sim.Fault{Provider: "tencent", Action: c.action, Kind: sim.FaultFailBinding})
		a := eip.Address{ID: "eip-gz000001", IP: w.eipIP("eip-gz000001")}
		call, err := w.prov.PrepareAssociate(eip.AssociateRequest{Region: region, EIPs: []eip.Address{a}, Target: c.target, TargetType: c.typ})
		if err != nil {
			t.Fatal(err)
		}
		res, err := call.Run(ctx)
		if err != nil || len(res.Tasks) != 1 {
			t.Fatalf("%s: %v, tasks %v: want the bind accepted with one task", c.action, err, res.Tasks)
		}
		var tasks []string
		for h := range res.Tasks {
			tasks = append(tasks, h)
		}
		read := func() eip.Address {
			as, err := w.prov.Describe(ctx, region, []string{a.ID})
			if err != nil || len(as) != 1 {
				t.Fatalf("%s: Describe %v %v", c.action, as, err)
			}
			return as[0]
		}
		if got := read(); got.State != eip.StateAssociating || got.TargetID != c.target {
			t.Fatalf("%s while the task runs: %+v, want associating to %s", c.action, got, c.target)
		}
		w.clock.Advance(3 * time.Second)
		st, err := w.prov.CheckTasks(ctx, region, tasks)
		if err != nil || len(st) != 1 || st[tasks[0]].Err == nil || st[tasks[0]].Err.Code != "FailedOperation.TaskFailed" {
			t.Fatalf("%s: tasks %+v (%v), want FAILED", c.action, st, err)
		}
		if got := read(); got.State != eip.StateAvailable || got.NativeStatus != "UNBIND" || got.TargetID != "" || got.PrivateIP != "" {
			t.Errorf("%s after FAILED: %+v, want UNBIND held by nothing", c.action, got)
		}
	}
}
