// Package sim is the emulator's core: the inventory of EIPs and targets, the
// binding state machine with its delays, fault injection and persistence. It
// knows no wire protocol; each cloud's emulator front (providers/<cloud>/emulator)
// speaks its protocol over this core.
package sim

import (
	"fmt"
	"slices"
	"time"
)

// Phase is where an EIP is in the binding state machine. Fronts map it to
// their cloud's own status word.
type Phase string

const (
	Available     Phase = "available"
	Associating   Phase = "associating"
	Bound         Phase = "bound"
	Unassociating Phase = "unassociating"
)

// EIP is one emulated elastic IP.
type EIP struct {
	ID         string    `json:"id"`
	IP         string    `json:"ip"`
	Phase      Phase     `json:"phase"`
	TargetID   string    `json:"targetId,omitempty"`
	TargetType string    `json:"targetType,omitempty"`
	PrivateIP  string    `json:"privateIp,omitempty"`
	Mode       string    `json:"mode,omitempty"`
	Until      time.Time `json:"until,omitempty"` // when the current transition ends
	// FailBinding makes the current Associating transition end back in
	// Available, as a binding the cloud accepted but could not complete.
	FailBinding bool `json:"failBinding,omitempty"`
}

// Target is something an EIP can be bound to.
type Target struct {
	ID         string   `json:"id"`
	Type       string   `json:"type"` // instance | eni | nat | lb | havip
	PrivateIPs []string `json:"privateIps"`
	Capacity   int      `json:"capacity"` // most EIPs it holds at once
	// OnePerIP: each private IP holds at most one EIP (an ENI on Alibaba
	// and Tencent).
	OnePerIP bool `json:"onePerIp,omitempty"`
}

// Region holds one region's EIPs and targets, in seeding order.
type Region struct {
	Name    string    `json:"name"`
	EIPs    []*EIP    `json:"eips"`
	Targets []*Target `json:"targets"`

	// Indexes, built on first use: the lists never change after seeding.
	byID, byIP map[string]*EIP
	targets    map[string]*Target
}

// Cloud is one provider's emulated account.
type Cloud struct {
	Provider string    `json:"provider"`
	Regions  []*Region `json:"regions"`
	// Tokens remembers client tokens: token -> fingerprint of the request.
	Tokens map[string]string `json:"tokens"`

	now   time.Time
	delay time.Duration
	// What this transaction changed, for the journal.
	dirty       []dirtyEIP
	dirtyTokens []string
	// pending are the EIPs in a transition, which settle looks at; nil until
	// first built from every EIP.
	pending map[*EIP]bool
}

// Now is the emulator's time for this transaction.
func (c *Cloud) Now() time.Time { return c.now }

// Region finds a region by name.
func (c *Cloud) Region(name string) (*Region, bool) {
	for _, r := range c.Regions {
		if r.Name == name {
			return r, true
		}
	}
	return nil, false
}

func (r *Region) index() {
	if r.byID != nil && len(r.byID) == len(r.EIPs) && len(r.targets) == len(r.Targets) {
		return
	}
	r.byID, r.byIP = make(map[string]*EIP, len(r.EIPs)), make(map[string]*EIP, len(r.EIPs))
	for _, e := range r.EIPs {
		r.byID[e.ID], r.byIP[e.IP] = e, e
	}
	r.targets = make(map[string]*Target, len(r.Targets))
	for _, t := range r.Targets {
		r.targets[t.ID] = t
	}
}

// EIP finds an EIP by ID.
func (r *Region) EIP(id string) (*EIP, bool) {
	r.index()
	e, ok := r.byID[id]
	return e, ok
}

// EIPByIP finds an EIP by its public address.
func (r *Region) EIPByIP(ip string) (*EIP, bool) {
	r.index()
	e, ok := r.byIP[ip]
	return e, ok
}

// Target finds a target by ID.
func (r *Region) Target(id string) (*Target, bool) {
	r.index()
	t, ok := r.targets[id]
	return t, ok
}

// PrivateIPHolder is the EIP bound (or binding) to a private IP of a target.
func (r *Region) PrivateIPHolder(targetID, ip string) (*EIP, bool) {
	for _, e := range r.EIPs {
		if e.TargetID == targetID && e.PrivateIP == ip && (e.Phase == Bound || e.Phase == Associating) {
			return e, true
		}
	}
	return nil, false
}

// Holding counts the EIPs bound or binding to a target.
func (r *Region) Holding(targetID string) int {
	n := 0
	for _, e := range r.EIPs {
		if e.TargetID == targetID && (e.Phase == Bound || e.Phase == Associating) {
			n++
		}
	}
	return n
}

// Kind says why the core refused an operation; fronts map it to native codes.
type Kind string

const (
	ErrRegionNotFound Kind = "region-not-found"
	ErrEIPNotFound    Kind = "eip-not-found"
	ErrTargetNotFound Kind = "target-not-found"
	ErrEIPBusy        Kind = "eip-busy"      // in a transition
	ErrEIPInUse       Kind = "eip-in-use"    // bound already
	ErrNotBound       Kind = "eip-not-bound" // nothing to unbind
	ErrTargetFull     Kind = "target-full"
	ErrPrivateIP      Kind = "private-ip-invalid"
	ErrPrivateIPInUse Kind = "private-ip-in-use" // an ENI holds one EIP per private IP
)

// Error is a refusal by the core.
type Error struct {
	Kind Kind
	ID   string // the EIP or target concerned
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Kind, e.ID) }

// BindOptions are the optional parts of a binding.
type BindOptions struct {
	PrivateIP string
	Mode      string
}

// CheckBind tells whether Bind would succeed, without changing anything.
func (c *Cloud) CheckBind(region, eipID, targetID string, o BindOptions) (*EIP, *Target, error) {
	r, ok := c.Region(region)
	if !ok {
		return nil, nil, &Error{ErrRegionNotFound, region}
	}
	e, ok := r.EIP(eipID)
	if !ok {
		return nil, nil, &Error{ErrEIPNotFound, eipID}
	}
	t, ok := r.Target(targetID)
	if !ok {
		return e, nil, &Error{ErrTargetNotFound, targetID}
	}
	switch e.Phase {
	case Associating, Unassociating:
		return e, t, &Error{ErrEIPBusy, eipID}
	case Bound:
		return e, t, &Error{ErrEIPInUse, eipID}
	}
	if o.PrivateIP != "" && !slices.Contains(t.PrivateIPs, o.PrivateIP) {
		return e, t, &Error{ErrPrivateIP, o.PrivateIP}
	}
	if r.Holding(t.ID) >= t.Capacity {
		return e, t, &Error{ErrTargetFull, t.ID}
	}
	if t.OnePerIP && o.PrivateIP != "" {
		if _, taken := r.PrivateIPHolder(t.ID, o.PrivateIP); taken {
			return e, t, &Error{ErrPrivateIPInUse, o.PrivateIP}
		}
	}
	return e, t, nil
}

// Bind starts binding an EIP; it becomes Bound after the bind delay. Without
// a private IP it takes the target's first one (on an ENI: the first free one).
func (c *Cloud) Bind(region, eipID, targetID string, o BindOptions) error {
	e, t, err := c.CheckBind(region, eipID, targetID, o)
	if err != nil {
		return err
	}
	r, _ := c.Region(region)
	e.TargetID, e.TargetType, e.PrivateIP, e.Mode = t.ID, t.Type, o.PrivateIP, o.Mode
	if e.PrivateIP == "" && len(t.PrivateIPs) > 0 {
		e.PrivateIP = t.PrivateIPs[0]
		for _, ip := range t.PrivateIPs {
			if _, taken := r.PrivateIPHolder(t.ID, ip); !t.OnePerIP || !taken {
				e.PrivateIP = ip
				break
			}
		}
	}
	c.transition(region, e, Associating)
	return nil
}

// FailBinding makes an accepted binding end unbound: after the bind delay,
// or at once when there is none (for the fail-binding fault).
func (c *Cloud) FailBinding(region, eipID string) {
	r, ok := c.Region(region)
	if !ok {
		return
	}
	e, ok := r.EIP(eipID)
	if !ok {
		return
	}
	switch e.Phase {
	case Associating:
		e.FailBinding = true
	case Bound:
		e.Phase = Available
		e.TargetID, e.TargetType, e.PrivateIP, e.Mode = "", "", "", ""
	}
	c.touch(region, e)
}

// CheckUnbind tells whether Unbind would succeed.
func (c *Cloud) CheckUnbind(region, eipID string) (*EIP, error) {
	r, ok := c.Region(region)
	if !ok {
		return nil, &Error{ErrRegionNotFound, region}
	}
	e, ok := r.EIP(eipID)
	if !ok {
		return nil, &Error{ErrEIPNotFound, eipID}
	}
	switch e.Phase {
	case Associating, Unassociating:
		return e, &Error{ErrEIPBusy, eipID}
	case Available:
		return e, &Error{ErrNotBound, eipID}
	}
	return e, nil
}

// Unbind starts releasing an EIP; it becomes Available after the bind delay.
func (c *Cloud) Unbind(region, eipID string) error {
	e, err := c.CheckUnbind(region, eipID)
	if err != nil {
		return err
	}
	c.transition(region, e, Unassociating)
	return nil
}

func (c *Cloud) transition(region string, e *EIP, p Phase) {
	e.Phase, e.Until = p, c.now.Add(c.delay)
	if c.delay <= 0 {
		settle(e, c.now)
	}
	c.touch(region, e)
	c.watch(e)
}

// watch adds an EIP in transition to the ones settle looks at.
func (c *Cloud) watch(e *EIP) {
	if c.pending != nil && !e.Until.IsZero() {
		c.pending[e] = true
	}
}

// settle finishes every transition whose time has come. Transitions are
// settled lazily on each read, so no goroutine drives the state machine and a
// state file left for an hour is right when it is read again. Settling needs
// no journal line: every process settles the same EIP the same way.
func (c *Cloud) settle(now time.Time) {
	if c.pending == nil {
		c.pending = map[*EIP]bool{}
		for _, r := range c.Regions {
			for _, e := range r.EIPs {
				if !e.Until.IsZero() {
					c.pending[e] = true
				}
			}
		}
	}
	for e := range c.pending {
		settle(e, now)
		if e.Until.IsZero() {
			delete(c.pending, e)
		}
	}
}

func settle(e *EIP, now time.Time) {
	if e.Until.IsZero() || now.Before(e.Until) {
		return
	}
	switch e.Phase {
	case Associating:
		if e.FailBinding {
			e.Phase = Available
			e.TargetID, e.TargetType, e.PrivateIP, e.Mode = "", "", "", ""
		} else {
			e.Phase = Bound
		}
	case Unassociating:
		e.Phase = Available
		e.TargetID, e.TargetType, e.PrivateIP, e.Mode = "", "", "", ""
	}
	e.Until, e.FailBinding = time.Time{}, false
}

// UseToken records a client token. It reports seen=true when the token was
// used before; match tells whether that earlier request was the same one.
func (c *Cloud) UseToken(token, fingerprint string) (seen, match bool) {
	if token == "" {
		return false, false
	}
	if c.Tokens == nil {
		c.Tokens = map[string]string{}
	}
	if fp, ok := c.Tokens[token]; ok {
		return true, fp == fingerprint
	}
	c.Tokens[token] = fingerprint
	c.dirtyTokens = append(c.dirtyTokens, token)
	return false, false
}
