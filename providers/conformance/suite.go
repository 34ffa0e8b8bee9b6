package conformance

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/eip/eiptest"
	"github.com/eipctl/eipctl/pkg/engine"
	"github.com/eipctl/eipctl/pkg/sim"
)

// Run runs the whole suite, in order, each case on a fresh emulated account.
func Run(t *testing.T, h Harness) {
	cases := []struct {
		name string
		fn   func(t *testing.T, h Harness)
	}{
		{"AssociateOnePerTargetType", associateOne},
		{"WaitingSeesTransitionalStatus", transitional},
		{"AlreadyBoundIsUnchanged", alreadyBound},
		{"BoundElsewhereIsConflict", boundElsewhere},
		{"BatchAtTheLimit", batchAtLimit},
		{"BatchOverTheLimit", batchOverLimit},
		{"ByIPAddress", byIPAddress},
		{"EIPNotFound", eipNotFound},
		{"TargetNotFound", targetNotFound},
		{"BadSecretIsAuth", badSecret},
		{"UnknownKeyIsAuth", unknownKey},
		{"DryRunSendsNothing", dryRun},
		{"NoWaitIsPending", noWait},
		{"TimeoutWhileWaiting", timeout},
		{"ThrottledIsRetried", throttled},
		{"UnavailableIsRetried", unavailable},
		{"BusyIsWaitedOut", busy},
		{"BusyOnUnbindAndBindIsWaitedOut", busyMutations},
		{"SnatOnUnbindIsRetried", snatOnUnbind},
		{"ClientTokenMakesRetryIdempotent", clientToken},
		{"Disassociate", disassociate},
		{"DisassociateSeveralFromOneTarget", disassociateBatch},
		{"DisassociateAvailableIsUnchanged", disassociateAvailable},
		{"CanceledSendsNothing", canceled},
		{"ListAllPages", list},
		{"PoolTakenMovesOn", poolTakenMovesOn},
		{"ForceMoveOnePerTargetType", moveOne},
		{"ForceMoveNATInBatches", moveNATBatch},
		{"ForceMoveRefusedIsPutBack", moveRefusedPutBack},
		{"StopSendsNothingQueued", stopSendsNothingQueued},
		{"PoolBatchAndExhausted", poolBatch},
		{"CapacityIsPerEIP", capacityPerEIP},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.fn(t, h) })
	}
}

// binding is a request for one EIP to one target, with a private IP for an
// ENI (several clouds require it there).
func (e *env) binding(eipID string, t *sim.Target) eip.Binding {
	b := eip.Binding{Provider: e.h.Spec.Name, Region: e.h.Region(), EIP: eipID, Target: t.ID, TargetType: eip.TargetType(t.Type)}
	if b.TargetType == eip.ENI && len(t.PrivateIPs) > 0 {
		b.PrivateIP = t.PrivateIPs[0]
	}
	return b
}

// expect is eiptest.WantRows: every row of rep ended in want.
var expect = eiptest.WantRows

func expectClass(t *testing.T, rep *eip.Report, class eip.Class) {
	t.Helper()
	for _, r := range rep.Results {
		if r.Status != eip.StatusFailed || r.Error == nil || r.Error.Class != class {
			t.Fatalf("%s: status %s error %+v, want failed with class %s", r.EIPID, r.Status, r.Error, class)
		}
		if r.Error.Code == "" || r.Error.Message == "" {
			t.Fatalf("%s: error %+v lacks the cloud's code or message", r.EIPID, r.Error)
		}
	}
}

func associateOne(t *testing.T, h Harness) {
	e := newEnv(t, h, bindDelay)
	for _, kind := range e.prov.Capabilities().TargetTypes {
		t.Run(string(kind), func(t *testing.T) {
			tgt := e.target(kind)
			id := e.pick(1)[0]
			b := e.binding(id, tgt)
			if _, ok := e.prov.Capabilities().Infer(tgt.ID); ok {
				b.TargetType = "" // inferred from the ID's prefix, as users mostly do, where the IDs tell
			}
			rep := e.run(e.engine(e.prov), b)
			expect(t, rep, eip.StatusAssociated)
			if r := rep.Results[0]; r.TargetType != kind || r.IP == "" {
				t.Fatalf("row %+v: want target type %s and the EIP's address", r, kind)
			}
			e.expectAt(t, id, sim.Bound, tgt.ID)
		})
	}
}

func transitional(t *testing.T, h Harness) {
	e := newEnv(t, h, bindDelay)
	id := e.pick(1)[0]
	e.run(e.engine(e.prov), e.binding(id, e.anyTarget()))
	states := e.states(id)
	if len(states) < 2 || states[0] != eip.StateAssociating || states[len(states)-1] != eip.StateAssociated {
		t.Fatalf("states seen while waiting: %v, want associating first and associated last", states)
	}
}

func alreadyBound(t *testing.T, h Harness) {
	e := newEnv(t, h, bindDelay)
	id, target := e.bound()
	before := e.sim.Mutations(h.Spec.Name)
	b := eip.Binding{Provider: h.Spec.Name, Region: h.Region(), EIP: id, Target: target}
	if _, ok := e.prov.Capabilities().Infer(target); !ok { // IDs that do not tell their type (Zenlayer's numbers)
		b.TargetType = eip.TargetType(e.eipState(id).TargetType)
	}
	rep := e.run(e.engine(e.prov), b)
	expect(t, rep, eip.StatusUnchanged)
	e.sentNone(t, before, "for an EIP already bound to its target")
}

func boundElsewhere(t *testing.T, h Harness) {
	e := newEnv(t, h, bindDelay)
	id, _ := e.bound()
	other := e.anyTarget()
	before := e.sim.Mutations(h.Spec.Name)
	rep := e.run(e.engine(e.prov), e.binding(id, other))
	expectClass(t, rep, eip.ClassConflict)
	e.sentNone(t, before, "for an EIP bound elsewhere")
}

// batchKind is the target type the cloud binds several EIPs to at once: a
// NAT gateway, the usual case, where the cloud batches there.
func batchKind(t *testing.T, p eip.Provider) (eip.TargetType, int) {
	caps := p.Capabilities()
	if n := caps.Batch(eip.NAT); n > 1 {
		return eip.NAT, n
	}
	for _, k := range caps.TargetTypes {
		if n := caps.Batch(k); n > 1 {
			return k, n
		}
	}
	// A cloud that never batches still must send one call per EIP.
	return caps.TargetTypes[0], 1
}

func batch(t *testing.T, h Harness, extra, wantCalls int) {
	e := newEnv(t, h, bindDelay)
	kind, size := batchKind(t, e.prov)
	tgt := e.target(kind)
	var items []eip.Binding
	for _, id := range e.pick(size + extra) {
		items = append(items, e.binding(id, tgt))
	}
	before := e.sim.Mutations(h.Spec.Name)
	rep := e.run(e.engine(e.prov), items...)
	expect(t, rep, eip.StatusAssociated)
	if n := e.sim.Mutations(h.Spec.Name) - before; n != wantCalls {
		t.Fatalf("%d EIPs to one %s took %d mutating calls, want %d (batch size %d)", size+extra, kind, n, wantCalls, size)
	}
}

func batchAtLimit(t *testing.T, h Harness)   { batch(t, h, 0, 1) }
func batchOverLimit(t *testing.T, h Harness) { batch(t, h, 1, 2) }

func byIPAddress(t *testing.T, h Harness) {
	e := newEnv(t, h, bindDelay)
	id := e.pick(1)[0]
	ip := e.eipState(id).IP
	b := e.binding(ip, e.anyTarget())
	rep := e.run(e.engine(e.prov), b)
	expect(t, rep, eip.StatusAssociated)
	if r := rep.Results[0]; r.EIPID != id || r.IP != ip {
		t.Fatalf("row has eipId %s ip %s, want %s %s", r.EIPID, r.IP, id, ip)
	}
}

func eipNotFound(t *testing.T, h Harness) {
	e := newEnv(t, h, bindDelay)
	b := e.binding(h.Profile.Prefix["eip"]+"doesnotexist", e.anyTarget())
	rep := e.run(e.engine(e.prov), b)
	expectClass(t, rep, eip.ClassNotFound)
	e.sentNone(t, 0, "for a missing EIP")
}

func targetNotFound(t *testing.T, h Harness) {
	e := newEnv(t, h, bindDelay)
	kind := e.prov.Capabilities().TargetTypes[0]
	tgt := &sim.Target{ID: h.Profile.Prefix[string(kind)] + "doesnotexist", Type: string(kind), PrivateIPs: []string{"10.9.9.9"}}
	rep := e.run(e.engine(e.prov), e.binding(e.pick(1)[0], tgt))
	expectClass(t, rep, eip.ClassNotFound)
}

func authFails(t *testing.T, h Harness, id, secret string) {
	e := newEnv(t, h, bindDelay)
	p := e.provider(id, secret)
	rep := e.run(e.engine(p), e.binding(e.pick(1)[0], e.target(p.Capabilities().TargetTypes[0])))
	expectClass(t, rep, eip.ClassAuth)
	// Clouds echo the key ID in signature errors (Alibaba: the whole string
	// to sign); rows show no more than a short prefix of it.
	for _, r := range rep.Results {
		if r.Error != nil && strings.Contains(r.Error.Message, id) {
			t.Errorf("%s: the row's error shows the access key ID %s: %s", r.EIPID, id, r.Error.Message)
		}
	}
}

func badSecret(t *testing.T, h Harness) {
	authFails(t, h, h.Profile.Credentials.ID, h.Profile.Credentials.Secret+"-wrong")
}

func unknownKey(t *testing.T, h Harness) {
	authFails(t, h, "unknown-"+h.Profile.Credentials.ID, h.Profile.Credentials.Secret)
}

func dryRun(t *testing.T, h Harness) {
	e := newEnv(t, h, bindDelay)
	id, rep := e.bindOne(func(eng *engine.Engine) { eng.DryRun = true })
	expect(t, rep, eip.StatusPlanned)
	if len(rep.Requests) != 1 || rep.Requests[0].Action == "" || rep.Requests[0].Params == nil {
		t.Fatalf("dry run planned %+v, want one native request with its action and parameters", rep.Requests)
	}
	e.sentNone(t, 0, "by a dry run")
	if got := e.eipState(id); got.Phase != sim.Available {
		t.Fatalf("dry run left %s %s, want available", id, got.Phase)
	}
}

func noWait(t *testing.T, h Harness) {
	e := newEnv(t, h, bindDelay)
	id, rep := e.bindOne(func(eng *engine.Engine) { eng.Wait = false })
	expect(t, rep, eip.StatusPending)
	if got := e.eipState(id); got.Phase != sim.Associating {
		t.Fatalf("after --no-wait the emulator has %s %s, want associating", id, got.Phase)
	}
}

func timeout(t *testing.T, h Harness) {
	e := newEnv(t, h, time.Hour)
	_, rep := e.bindOne(func(eng *engine.Engine) { eng.Timeout = 20 * time.Second })
	expect(t, rep, eip.StatusTimeout)
}

// clientToken sends the same prepared call twice, as a retry after a lost
// answer would. With a client token the cloud treats the second as the first;
// without one it must refuse it as a conflict (the EIP is no longer free),
// never bind twice, and never report a different failure class.
func clientToken(t *testing.T, h Harness) {
	e := newEnv(t, h, bindDelay)
	id := e.pick(1)[0]
	tgt := e.anyTarget()
	ctx := context.Background()
	as, err := e.prov.Describe(ctx, h.Region(), []string{id})
	if err != nil || len(as) != 1 {
		t.Fatalf("describe %s: %v %v", id, as, err)
	}
	b := e.binding(id, tgt)
	call, err := e.prov.PrepareAssociate(eip.AssociateRequest{Region: h.Region(), EIPs: as, Target: tgt.ID,
		TargetType: b.TargetType, PrivateIP: b.PrivateIP, Mode: eip.ModeNAT, ClientToken: "conformance-token-1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := call.Run(ctx); err != nil {
		t.Fatalf("first send: %v", err)
	}
	res, err := call.Run(ctx)
	switch {
	case e.prov.Capabilities().ClientToken:
		if err != nil || len(res.Failed) != 0 {
			t.Fatalf("second send with the same client token: %v %v, want the first one's success", err, res.Failed)
		}
	case err != nil:
		if c := e.prov.Classify(err).Class; c != eip.ClassConflict {
			t.Fatalf("second send without a client token: class %s (%v), want conflict", c, err)
		}
	default:
		if f := res.Failed[id]; f == nil || f.Class != eip.ClassConflict {
			t.Fatalf("second send without a client token succeeded (%v): the cloud must refuse binding a busy EIP", res.Failed)
		}
	}
	e.expectAt(t, id, sim.Associating, tgt.ID) // one binding, after a repeated request
}

func disassociate(t *testing.T, h Harness) {
	e := newEnv(t, h, bindDelay)
	id := e.pick(1)[0]
	e.run(e.engine(e.prov), e.binding(id, e.anyTarget()))
	expect(t, e.unbind(e.engine(e.prov), id), eip.StatusDisassociated)
	e.expectAt(t, id, sim.Available, "")
	states := e.states(id)
	if states[len(states)-1] != eip.StateAvailable {
		t.Fatalf("states seen: %v, want available last", states)
	}
}

func disassociateAvailable(t *testing.T, h Harness) {
	e := newEnv(t, h, bindDelay)
	expect(t, e.unbind(e.engine(e.prov), e.pick(1)[0]), eip.StatusUnchanged)
	e.sentNone(t, 0, "to unbind an unbound EIP")
}

func canceled(t *testing.T, h Harness) {
	e := newEnv(t, h, bindDelay)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	expect(t, e.runIn(ctx, e.engine(e.prov), e.binding(e.pick(1)[0], e.anyTarget())), eip.StatusPending) // cut short before its send, not refused (issue 18)
	e.sentNone(t, 0, "after cancellation")
}

func list(t *testing.T, h Harness) {
	e := newEnv(t, h, bindDelay)
	as, err := e.prov.List(context.Background(), h.Region())
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != seedEIPs {
		t.Fatalf("list returned %d EIPs, the emulator holds %d", len(as), seedEIPs)
	}
	bound := 0
	for _, a := range as {
		if a.State == eip.StateAssociated && a.TargetID != "" && a.NativeStatus != "" {
			bound++
		}
	}
	if bound != 2 {
		t.Fatalf("list shows %d bound EIPs, the emulator seeds 2", bound)
	}
}

func disassociateBatch(t *testing.T, h Harness) {
	e := newEnv(t, h, bindDelay)
	kind, _ := batchKind(t, e.prov)
	tgt := e.target(kind)
	ids := e.pick(3)
	var items []eip.Binding
	for _, id := range ids {
		items = append(items, e.binding(id, tgt))
	}
	expect(t, e.run(e.engine(e.prov), items...), eip.StatusAssociated)
	before := e.sim.Mutations(h.Spec.Name)
	expect(t, e.unbind(e.engine(e.prov), ids...), eip.StatusDisassociated)
	size := e.prov.Capabilities().UnbindBatch(kind)
	if n, want := e.sim.Mutations(h.Spec.Name)-before, (3+size-1)/size; n != want {
		t.Fatalf("unbinding 3 EIPs from one %s took %d calls, want %d (unbind batch size %d)", kind, n, want, size)
	}
	for _, id := range ids {
		if got := e.eipState(id); got.Phase != sim.Available {
			t.Fatalf("%s is %s after disassociate, want available", id, got.Phase)
		}
	}
}
