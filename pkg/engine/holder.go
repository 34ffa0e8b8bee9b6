package engine

import "github.com/eipctl/eipctl/pkg/eip"

// What a row asks of the cloud's state: the holder it wants (the target, or
// for a put-back the holder it left, with private IP and mode) and whether a
// read shows it there or on its way.

// holder is a binding as asked for: a target, and the private IP and mode
// when the user named them.
type holder struct {
	target    string
	privateIP string
	mode      eip.Mode
}

func (r *row) wanted() holder { return holder{r.TargetID, r.want.PrivateIP, r.want.Mode} }

func (r *row) back() holder {
	return holder{r.from.TargetID, r.from.PrivateIP, r.from.Mode}
}

// holds reports whether a is fully bound as h asks: on the target, at the
// private IP asked for, in the mode asked for (saying none asks for NAT).
// What the cloud does not report cannot disagree.
func (h holder) holds(a eip.Address) bool {
	switch {
	case !a.BoundTo(h.target):
		return false
	case h.privateIP != "" && a.PrivateIP != "" && h.privateIP != a.PrivateIP:
		return false
	}
	return a.Mode == "" || sameMode(orMode(h.mode), a.Mode)
}

// sameMode: NAT and full NAT are one mode where a cloud has full NAT
// (Zenlayer's FULLNAT); no cloud here has both.
func sameMode(a, b eip.Mode) bool {
	nat := func(m eip.Mode) bool { return m == eip.ModeNAT || m == eip.ModeFullNAT }
	return a == b || nat(a) && nat(b)
}

// arrived reports whether a shows the phase's change done; under, whether it
// is under way.
func (r *row) arrived(ph phase, a eip.Address) bool {
	switch ph {
	case phaseUnbind:
		return a.State == eip.StateAvailable
	case phasePutBack:
		return r.back().holds(a)
	}
	return r.wanted().holds(a)
}

func (r *row) under(ph phase, a eip.Address) bool {
	switch ph {
	case phaseUnbind:
		return a.State == eip.StateDisassociating
	case phasePutBack:
		return a.State == eip.StateAssociating && a.HeldBy(r.from.TargetID)
	}
	return a.State == eip.StateAssociating && a.HeldBy(r.TargetID)
}
