package conformance

import (
	"strings"
	"testing"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/eip/eiptest"
	"github.com/eipctl/eipctl/pkg/sim"
)

// Pool claims (issue 10) through each adapter: the cloud's own refusal of a
// bind whose EIP another machine took first must make the engine move on to
// the next candidate, for every target type, and nothing may be unbound.

// claim is a request for n EIPs of pool on target t.
func (e *env) claim(pool *eip.Pool, t *sim.Target, n int) eip.Binding {
	b := e.binding("", t)
	b.Pool, b.Count = pool, n
	return b
}

// rivalTarget is a target with room for another EIP that the test never
// claims for: a NAT gateway, which holds many.
func (e *env) rivalTarget(not string) string {
	e.t.Helper()
	var id string
	e.view(func(r *sim.Region) {
		for _, t := range r.Targets {
			if id == "" && t.ID != not && t.Type == string(eip.NAT) && r.Holding(t.ID) < t.Capacity {
				id = t.ID
			}
		}
	})
	if id == "" {
		e.t.Fatalf("no NAT gateway with room in %s for the rival", e.h.Region())
	}
	return id
}

// takenFirst is an Engine.Shuffle that, after the pool was read and before
// the first bind is sent, lets another machine bind the first candidate;
// settled, the rival's binding is complete when ours arrives, otherwise it
// is still in its transitional status (clouds refuse the two differently).
func (e *env) takenFirst(rival string, settled bool, took *string) func([]eip.Address) {
	return func(as []eip.Address) {
		if len(as) == 0 {
			return
		}
		*took = as[0].ID
		err := e.sim.Update(e.h.Profile.Provider, func(c *sim.Cloud) error {
			return c.Bind(e.h.Region(), as[0].ID, rival, sim.BindOptions{})
		})
		if err != nil {
			e.t.Fatalf("the rival could not bind %s: %v", as[0].ID, err)
		}
		if settled {
			e.clock.Advance(2 * bindDelay)
		}
	}
}

// unbinds counts the mutating requests that unbind something.
func (e *env) unbinds() int {
	n := 0
	for _, j := range e.sim.Journal() {
		if j.Provider == e.h.Profile.Provider && j.Mutating && isUnbind(j.Action) {
			n++
		}
	}
	return n
}

func isUnbind(action string) bool {
	for _, w := range []string{"Unassociate", "Disassociate", "Unbind"} {
		if strings.Contains(action, w) {
			return true
		}
	}
	return false
}

// poolTakenMovesOn: for every target type, the first candidate is taken by
// a rival between the read and the bind; the claim ends with the second,
// the rival keeps the first, and a second run is unchanged with nothing sent.
func poolTakenMovesOn(t *testing.T, h Harness) {
	for _, settled := range []bool{false, true} {
		name := map[bool]string{false: "RivalBinding", true: "RivalBound"}[settled]
		t.Run(name, func(t *testing.T) { poolTaken(t, h, settled) })
	}
}

func poolTaken(t *testing.T, h Harness, settled bool) {
	e := newEnv(t, h, bindDelay)
	for _, kind := range e.prov.Capabilities().TargetTypes {
		t.Run(string(kind), func(t *testing.T) {
			tgt := e.target(kind)
			rival := e.rivalTarget(tgt.ID)
			ids := e.pick(2)
			pool := eiptest.Pool(t, ids...)
			var took string
			eng := e.engine(e.prov)
			eng.Shuffle = e.takenFirst(rival, settled, &took)
			rep := e.run(eng, e.claim(pool, tgt, 1))
			if len(rep.Results) != 1 {
				t.Fatalf("rows %+v, want one", rep.Results)
			}
			r := rep.Results[0]
			if r.Status != eip.StatusAssociated || r.EIPID == took || r.TargetID != tgt.ID || r.TargetType != kind {
				t.Fatalf("row %+v (error %v), want the EIP the rival did not take associated to %s", r, r.Error, tgt.ID)
			}
			e.expectAt(t, r.EIPID, sim.Bound, tgt.ID)
			if got := e.eipState(took); got.TargetID != rival {
				t.Fatalf("the rival's %s is now on %q, want it left on %s", took, got.TargetID, rival)
			}
			if n := e.unbinds(); n != 0 {
				t.Fatalf("%d unbind requests sent in pool mode, want none", n)
			}
			before := e.sim.Mutations(h.Spec.Name)
			again := e.run(e.engine(e.prov), e.claim(pool, tgt, 1))
			expect(t, again, eip.StatusUnchanged)
			if again.Results[0].EIPID != r.EIPID {
				t.Fatalf("rerun row %+v, want %s unchanged", again.Results[0], r.EIPID)
			}
			e.sentNone(t, before, "by the rerun")
		})
	}
}

// poolBatch: several EIPs of a pool to a target that takes many go out in
// the cloud's batches, and a pool short of free EIPs says so per slot.
func poolBatch(t *testing.T, h Harness) {
	e := newEnv(t, h, bindDelay)
	kind, size := batchKind(t, e.prov)
	tgt := e.target(kind)
	ids := e.pick(3)
	bound, _ := e.bound() // in the pool, but someone else's
	pool := eiptest.Pool(t, append(ids, bound)...)
	before := e.sim.Mutations(h.Spec.Name)
	rep := e.run(e.engine(e.prov), e.claim(pool, tgt, 5))
	s := rep.Summary()
	if len(rep.Results) != 5 || s.Associated != 3 || s.Failed != 2 {
		t.Fatalf("rows %+v, want 3 associated and 2 failed", rep.Results)
	}
	for _, r := range rep.Results[3:] {
		if r.Error == nil || r.Error.Code != "PoolExhausted" || r.EIPID != "" {
			t.Fatalf("row %+v, want a PoolExhausted row with no EIP", r)
		}
	}
	want := (3 + size - 1) / size
	if n := e.sim.Mutations(h.Spec.Name) - before; n != want {
		t.Fatalf("3 EIPs to one %s took %d mutating calls, want %d (batch size %d)", kind, n, want, size)
	}
	if got := e.eipState(bound); got.TargetID == tgt.ID {
		t.Fatalf("%s was taken from its holder", bound)
	}
}
