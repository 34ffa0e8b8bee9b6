package conformance

import (
	"strings"
	"testing"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/sim"
)

// Force-move cases: EIPs bound to one target are moved with Binding.Force to
// another of the same type, through the adapter's own unbind and bind calls.

// placed binds n fresh EIPs to a fresh target of kind (the starting point of
// a move) and returns them with the target and a second free target.
func (e *env) placed(kind eip.TargetType, n int) (ids []string, from, to *sim.Target) {
	e.t.Helper()
	from, to = e.target(kind), e.target(kind)
	ids = e.pick(n)
	var items []eip.Binding
	for i, id := range ids {
		items = append(items, e.bindingAt(id, from, i))
	}
	expect(e.t, e.run(e.engine(e.prov), items...), eip.StatusAssociated)
	return ids, from, to
}

// bindingAt is binding with the i-th private IP of an ENI.
func (e *env) bindingAt(id string, t *sim.Target, i int) eip.Binding {
	b := e.binding(id, t)
	if b.TargetType == eip.ENI && len(t.PrivateIPs) > i {
		b.PrivateIP = t.PrivateIPs[i]
	}
	return b
}

// move force-moves ids to `to` and checks the rows and the emulator's state.
func (e *env) move(ids []string, from, to *sim.Target) *eip.Report {
	e.t.Helper()
	var items []eip.Binding
	for i, id := range ids {
		b := e.bindingAt(id, to, i)
		b.Force = true
		items = append(items, b)
	}
	rep := e.run(e.engine(e.prov), items...)
	for i, r := range rep.Results {
		if r.Status != eip.StatusMoved || r.PreviousTargetID == nil || *r.PreviousTargetID != from.ID ||
			r.CurrentTargetID == nil || *r.CurrentTargetID != to.ID {
			e.t.Fatalf("%s: row %+v (error %v), want moved from %s to %s", r.EIPID, r, r.Error, from.ID, to.ID)
		}
		x := e.eipState(ids[i])
		if x.Phase != sim.Bound || x.TargetID != to.ID || items[i].PrivateIP != "" && x.PrivateIP != items[i].PrivateIP {
			e.t.Fatalf("%s in the emulator: %+v, want bound to %s (private IP %q)", ids[i], x, to.ID, items[i].PrivateIP)
		}
	}
	return rep
}

// moveNATCap is the NAT capacity of the move cases' account: several
// gateways, each holding a batch over the largest unbind call.
const moveNATCap = 30

// moveOne moves one EIP between two targets of each type the cloud binds
// to, other than NAT (moveNATBatch): instance, ENI (with private IPs), HaVip, LB.
func moveOne(t *testing.T, h Harness) {
	for _, kind := range []eip.TargetType{eip.Instance, eip.ENI, eip.HaVip, eip.LB} {
		e := newEnvNAT(t, h, bindDelay, moveNATCap)
		if !e.prov.Capabilities().Supports(kind) {
			continue // the cloud has no such target
		}
		t.Run(string(kind), func(t *testing.T) {
			e.t = t
			ids, from, to := e.placed(kind, 1)
			e.move(ids, from, to)
		})
	}
}

// moveNATBatch moves more EIPs than one unbind call carries between two NAT
// gateways: the unbinds and binds go in batches, not one call per EIP.
func moveNATBatch(t *testing.T, h Harness) {
	e := newEnvNAT(t, h, bindDelay, moveNATCap)
	caps := e.prov.Capabilities()
	n := min(caps.UnbindBatch(eip.NAT)+1, moveNATCap)
	ids, from, to := e.placed(eip.NAT, n)
	before := e.sim.Mutations(h.Spec.Name)
	e.move(ids, from, to)
	calls := func(size int) int { return (n + size - 1) / size }
	if got, most := e.sim.Mutations(h.Spec.Name)-before, calls(caps.UnbindBatch(eip.NAT))+2*calls(caps.Batch(eip.NAT)); got > most {
		t.Fatalf("%d mutating requests to move %d EIPs, want at most %d (batched)", got, n, most)
	}
}

// moveRefusedPutBack makes the bind after the unbind fail (the emulator's
// fail-binding fault): the EIP is bound back where it was and the row says so.
func moveRefusedPutBack(t *testing.T, h Harness) {
	e := newEnvNAT(t, h, bindDelay, moveNATCap)
	kind := e.prov.Capabilities().TargetTypes[0]
	ids, from, to := e.placed(kind, 1)
	e.sim.Inject(sim.Fault{Provider: h.Spec.Name, Kind: sim.FaultFailBinding, Times: 1})
	b := e.binding(ids[0], to)
	b.Force = true
	rep := e.run(e.engine(e.prov), b)
	r := rep.Results[0]
	if r.Status != eip.StatusFailed || r.Error == nil || !strings.Contains(r.Error.Message, "put it back on") ||
		r.CurrentTargetID == nil || *r.CurrentTargetID != from.ID {
		t.Fatalf("row %+v (error %v), want failed, put back on %s", r, r.Error, from.ID)
	}
	e.expectAt(t, ids[0], sim.Bound, from.ID) // put back
}
