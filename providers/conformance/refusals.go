package conformance

import (
	"context"
	"testing"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/sim"
)

// Refusals the clouds document, which a client waits out: on the first
// requests of a bind (faulty), and on the mutations themselves (issue 15): a
// force move whose unbind and bind calls meet them still ends moved.

func faulty(t *testing.T, h Harness, kind sim.FaultKind) {
	e := newEnv(t, h, bindDelay)
	e.sim.Inject(sim.Fault{Provider: h.Spec.Name, Kind: kind, Times: 2})
	rep := e.run(e.engine(e.prov), e.binding(e.pick(1)[0], e.anyTarget()))
	expect(t, rep, eip.StatusAssociated)
	if f := e.sim.TakeFault(h.Spec.Name, "", false); f != nil {
		t.Fatalf("the injected %s faults were not all met: the adapter sent fewer requests than expected", kind)
	}
}

func throttled(t *testing.T, h Harness)   { faulty(t, h, sim.FaultThrottle) }
func unavailable(t *testing.T, h Harness) { faulty(t, h, sim.FaultUnavailable) }

// busy: the cloud's documented "system busy, try again later" is waited
// out, never reported as a failure on the first answer (issue 15).
func busy(t *testing.T, h Harness) { faulty(t, h, sim.FaultBusy) }

// mutations names the native actions a move of ids (bound to their holder)
// sends: the unbind, as the adapter prepares it from the EIPs as it reads
// them, and the bind, the last mutating request the emulator logged (the
// placing one, to a target of the same type).
func (e *env) mutations(ids []string) (unbind, bind string) {
	e.t.Helper()
	addrs, err := e.prov.Describe(context.Background(), e.h.Region(), ids)
	if err != nil || len(addrs) != len(ids) {
		e.t.Fatalf("describe %v: %v (%d read)", ids, err, len(addrs))
	}
	call, err := e.prov.PrepareDisassociate(eip.DisassociateRequest{Region: e.h.Region(), EIPs: addrs})
	if err != nil {
		e.t.Fatalf("prepare the unbind: %v", err)
	}
	for _, r := range e.sim.Requests() {
		if r.Mutating {
			bind = r.Action
		}
	}
	return call.Action, bind
}

// moveThrough force-moves one EIP while the cloud answers the named calls
// with kind, twice each, and checks that every injected answer was met.
func moveThrough(t *testing.T, h Harness, kind sim.FaultKind, onBind bool) {
	e := newEnvNAT(t, h, bindDelay, moveNATCap)
	ids, from, to := e.placed(e.prov.Capabilities().TargetTypes[0], 1)
	unbind, bind := e.mutations(ids)
	actions := []string{unbind}
	if onBind {
		actions = append(actions, bind)
	}
	for _, a := range actions {
		e.sim.Inject(sim.Fault{Provider: h.Spec.Name, Action: a, Kind: kind, Times: 2})
	}
	e.move(ids, from, to)
	if f := e.sim.TakeFault(h.Spec.Name, "", true); f != nil {
		t.Fatalf("the %s answers to %s were not all met: the adapter sent fewer requests than expected", kind, f.Action)
	}
}

// busyMutations: "the system is busy, try again later" on the unbind and on
// the bind (Alibaba lists OperationFailed.SystemBusy for both) is waited
// out; BusyIsWaitedOut meets it on the first read only.
func busyMutations(t *testing.T, h Harness) { moveThrough(t, h, sim.FaultBusy, true) }

// snatOnUnbind: an unbind refused because NAT entries use the EIP is retried
// (Terraform's alicloud provider retries InvalidIpStatus.HasBeenUsedBySnatTable:
// an entry being deleted clears), so a short one does not fail the move.
func snatOnUnbind(t *testing.T, h Harness) { moveThrough(t, h, sim.FaultSnat, false) }
