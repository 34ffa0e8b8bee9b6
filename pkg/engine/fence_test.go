package engine_test

import (
	"strings"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
)

func fenced(id, target string, from ...string) eip.Binding {
	b := bind(id, target)
	b.Force, b.From = true, from
	return b
}

// --from fences a move: held by one of the named targets (or free, with
// none) it goes ahead; held by anything else the row fails UnexpectedHolder,
// naming the holder, and nothing is sent for it.
func TestFencedMoves(t *testing.T) {
	cases := []struct {
		name   string
		holder string // "" free
		from   []string
		want   eip.Status
		sends  int
	}{
		{"held by the named node", "i-a", []string{"i-a"}, eip.StatusMoved, 2},
		{"held by one of several", "i-a", []string{"i-c", "i-a"}, eip.StatusMoved, 2},
		{"held by another node", "i-c", []string{"i-a"}, eip.StatusFailed, 0},
		{"held, only if free", "i-c", []string{eip.FromNone}, eip.StatusFailed, 0},
		{"free, only if free", "", []string{eip.FromNone}, eip.StatusAssociated, 1},
		{"free, fenced on a node", "", []string{"i-a"}, eip.StatusFailed, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, time.Second)
			if c.holder != "" {
				f.cloud.Set("eip-0001", eip.StateAssociated, c.holder, eip.Instance)
			}
			r := f.associate(fenced("eip-0001", "i-b", c.from...)).Results[0]
			if r.Status != c.want || len(f.cloud.Sent()) != c.sends {
				t.Fatalf("status %s (%+v) after %d calls; want %s after %d", r.Status, r.Error, len(f.cloud.Sent()), c.want, c.sends)
			}
			if c.want == eip.StatusFailed {
				wantFailed(t, r, eip.ClassConflict, "UnexpectedHolder")
				held := "free"
				if c.holder != "" {
					held = c.holder
				}
				if !strings.Contains(r.Error.Message, held) {
					t.Fatalf("the message does not say who holds it (%s): %s", held, r.Error.Message)
				}
				// What the fence allows, in the same words: --from none is "free".
				allowed := "not held by " + strings.Join(c.from, " or held by ")
				if c.from[0] == eip.FromNone {
					allowed = "not free"
				}
				if !strings.Contains(r.Error.Message, allowed+" as --from requires") {
					t.Fatalf("the message does not say what --from allows (%s): %s", allowed, r.Error.Message)
				}
			}
		})
	}
}

// An EIP already on the target is unchanged whatever the fence says: there
// is nothing to send.
func TestFenceOnAnArrivedEIPIsUnchanged(t *testing.T) {
	f := newFixture(t, time.Second)
	f.cloud.Set("eip-0001", eip.StateAssociated, "i-b", eip.Instance)
	r := f.associate(fenced("eip-0001", "i-b", "i-a")).Results[0]
	if r.Status != eip.StatusUnchanged || len(f.cloud.Sent()) != 0 {
		t.Fatalf("status %s after %d calls", r.Status, len(f.cloud.Sent()))
	}
}

// A row is unchanged only when the EIP is on the asked target AND private
// IP AND mode: one bound to an ENI's private IP A, asked for IP B, is moved
// with --force and refused without it.
func TestPrivateIPAndModeDecideUnchanged(t *testing.T) {
	eni := func(id, ip string, m eip.Mode) eip.Binding {
		b := bind(id, "eni-1")
		b.TargetType, b.PrivateIP, b.Mode = eip.ENI, ip, m
		return b
	}
	t.Run("same IP is unchanged", func(t *testing.T) {
		f := newFixture(t, time.Second)
		f.cloud.Bound("eip-0001", "eni-1", eip.ENI, "10.0.0.5", eip.ModeNAT)
		wantStatus(t, f.associate(eni("eip-0001", "10.0.0.5", "")), eip.StatusUnchanged)
	})
	t.Run("another IP without --force is refused", func(t *testing.T) {
		f := newFixture(t, time.Second)
		f.cloud.Bound("eip-0001", "eni-1", eip.ENI, "10.0.0.5", eip.ModeNAT)
		r := f.associate(eni("eip-0001", "10.0.0.6", "")).Results[0]
		wantFailed(t, r, eip.ClassConflict, "AlreadyBound")
		if !strings.Contains(r.Error.Message, "10.0.0.5") || len(f.cloud.Sent()) != 0 {
			t.Fatalf("%d calls; message %s", len(f.cloud.Sent()), r.Error.Message)
		}
	})
	t.Run("another IP with --force is a move", func(t *testing.T) {
		f := newFixture(t, time.Second)
		f.cloud.Bound("eip-0001", "eni-1", eip.ENI, "10.0.0.5", eip.ModeNAT)
		b := eni("eip-0001", "10.0.0.6", "")
		b.Force = true
		wantStatus(t, f.associate(b), eip.StatusMoved)
		if a := f.cloud.Addr("eip-0001"); a.PrivateIP != "10.0.0.6" {
			t.Fatalf("the EIP is at %s, not the asked 10.0.0.6", a.PrivateIP)
		}
	})
	t.Run("another mode is not unchanged", func(t *testing.T) {
		f := newFixture(t, time.Second)
		f.cloud.Bound("eip-0001", "eni-1", eip.ENI, "10.0.0.5", eip.ModePassthrough)
		r := f.associate(eni("eip-0001", "", "")).Results[0] // saying nothing asks for NAT
		wantFailed(t, r, eip.ClassConflict, "AlreadyBound")
	})
}

// Where the cloud shows no progress during an unbind (Zenlayer: BINDED
// until UNBIND), a move waits for it instead of failing UnbindFailed after
// a few reads; the EIP ends on its new target.
func TestMoveWaitsForAnUnbindThatShowsNoProgress(t *testing.T) {
	f := newFixture(t, 4*time.Second)
	f.cloud.NoUnbindProgress = true
	f.caps.UnbindShowsNoProgress = true
	f.cloud.Set("eip-0001", eip.StateAssociated, "i-a", eip.Instance)
	r := f.associate(fenced("eip-0001", "i-b")).Results[0]
	if r.Status != eip.StatusMoved {
		t.Fatalf("status %s (%+v), want moved", r.Status, r.Error)
	}
}
