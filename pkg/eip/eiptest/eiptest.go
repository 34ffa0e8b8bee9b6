// Package eiptest holds fakes for testing code that drives eip.Provider: a
// Provider whose methods are function fields, and Cloud, a small in-memory
// account whose bindings finish after a delay on a (fake) clock. Neither
// speaks HTTP; the adapters' own tests use the emulator for that.
package eiptest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/eipctl/eipctl/pkg/clock"
	"github.com/eipctl/eipctl/pkg/eip"
)

// Provider is an eip.Provider built from functions. A nil function makes its
// method fail loudly (or, for Validate and Classify, do the obvious thing),
// so a test states only the behaviour it relies on.
type Provider struct {
	Caps                    eip.Capabilities
	ValidateFunc            func(eip.Binding) error
	DescribeFunc            func(ctx context.Context, region string, ids []string) ([]eip.Address, error)
	ListFunc                func(ctx context.Context, region string) ([]eip.Address, error)
	PrepareAssociateFunc    func(eip.AssociateRequest) (eip.Call, error)
	PrepareDisassociateFunc func(eip.DisassociateRequest) (eip.Call, error)
	ClassifyFunc            func(error) *eip.Error
}

var _ eip.Provider = (*Provider)(nil)

func (p *Provider) Capabilities() eip.Capabilities { return p.Caps }

func (p *Provider) Validate(b eip.Binding) error {
	if p.ValidateFunc == nil {
		return nil
	}
	return p.ValidateFunc(b)
}

func (p *Provider) Describe(ctx context.Context, region string, ids []string) ([]eip.Address, error) {
	if p.DescribeFunc == nil {
		return nil, errors.New("eiptest: Describe called but DescribeFunc is nil")
	}
	return p.DescribeFunc(ctx, region, ids)
}

func (p *Provider) List(ctx context.Context, region string) ([]eip.Address, error) {
	if p.ListFunc == nil {
		return nil, errors.New("eiptest: List called but ListFunc is nil")
	}
	return p.ListFunc(ctx, region)
}

func (p *Provider) PrepareAssociate(req eip.AssociateRequest) (eip.Call, error) {
	if p.PrepareAssociateFunc == nil {
		return eip.Call{}, errors.New("eiptest: PrepareAssociate called but PrepareAssociateFunc is nil")
	}
	return p.PrepareAssociateFunc(req)
}

func (p *Provider) PrepareDisassociate(req eip.DisassociateRequest) (eip.Call, error) {
	if p.PrepareDisassociateFunc == nil {
		return eip.Call{}, errors.New("eiptest: PrepareDisassociate called but PrepareDisassociateFunc is nil")
	}
	return p.PrepareDisassociateFunc(req)
}

// Classify uses ClassifyFunc; without one, an *eip.Error keeps its class and
// anything else is transient.
func (p *Provider) Classify(err error) *eip.Error {
	if p.ClassifyFunc != nil {
		return p.ClassifyFunc(err)
	}
	return Classify(err)
}

// Classify is the default classification: an *eip.Error as it is, a
// cancelled context as Canceled, anything else transient.
func Classify(err error) *eip.Error {
	var e *eip.Error
	if errors.As(err, &e) {
		return e
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return eip.Errorf(eip.ClassTransient, "Canceled", "%v", err)
	}
	return eip.Errorf(eip.ClassTransient, "Unknown", "%v", err)
}

// TaskProvider is a Provider that also watches tasks (eip.TaskWatcher).
type TaskProvider struct {
	*Provider
	CheckTasksFunc func(ctx context.Context, region string, tasks []string) (map[string]eip.TaskState, error)
}

var _ eip.TaskWatcher = TaskProvider{}

func (p TaskProvider) CheckTasks(ctx context.Context, region string, tasks []string) (map[string]eip.TaskState, error) {
	return p.CheckTasksFunc(ctx, region, tasks)
}

// DefaultCaps is a cloud that binds to every target type, 50 EIPs a call
// to a NAT gateway or ENI, reads 100 EIPs a call, takes client tokens and
// sets no pace (so a test's clock moves only when the engine waits).
func DefaultCaps() eip.Capabilities {
	return eip.Capabilities{
		TargetTypes:     eip.TargetTypes,
		Modes:           map[eip.TargetType][]eip.Mode{eip.Instance: {eip.ModeNAT, eip.ModePassthrough}},
		TargetPrefixes:  map[string]eip.TargetType{"i-": eip.Instance, "eni-": eip.ENI, "ngw-": eip.NAT, "lb-": eip.LB, "havip-": eip.HaVip},
		BatchSize:       map[eip.TargetType]int{eip.NAT: 50, eip.ENI: 50},
		UnbindBatchSize: map[eip.TargetType]int{eip.NAT: 50},
		DescribeBatch:   100,
		ClientToken:     true,
	}
}

// Sent is one attempt to send a mutating call, as the Cloud received it.
type Sent struct {
	Action     string // "Associate" or "Disassociate"
	Region     string
	EIPs       []string
	Target     string
	TargetType eip.TargetType
	Mode       eip.Mode
	PrivateIP  string
	Token      string
	At         time.Time // the clock's time when it was sent
}

// Cloud is an in-memory account. Associate calls put EIPs in associating
// for Delay, then bound; disassociate likewise back to available.
type Cloud struct {
	Clock clock.Clock
	Delay time.Duration
	// OnRun, when set, sees every attempt (n counts from 0) before it takes
	// effect. An error fails the attempt and changes nothing; EIPs named in
	// the result's Failed are left alone while the rest are bound.
	OnRun func(n int, s Sent) (eip.CallResult, error)
	// OnDescribe, when set, runs before each Describe answers; an error fails it.
	OnDescribe func(ids []string) error
	// NoUnbindProgress makes an accepted unbind show no transitional state:
	// the EIP reads bound as before until it reads available (Zenlayer).
	NoUnbindProgress bool

	mu        sync.Mutex
	addrs     []*entry
	sent      []Sent
	describes [][]string
	lists     int
}

type entry struct {
	eip.Address
	until time.Time
	fail  bool
}

// NewCloud returns an empty account on clk.
func NewCloud(clk clock.Clock, delay time.Duration) *Cloud {
	return &Cloud{Clock: clk, Delay: delay}
}

// Add adds an available EIP to region.
func (c *Cloud) Add(region, id, ip string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.addrs = append(c.addrs, &entry{Address: eip.Address{ID: id, IP: ip, Region: region, State: eip.StateAvailable, NativeStatus: "Available"}})
}

// AddN adds n available EIPs named prefix0001... and returns their IDs.
func (c *Cloud) AddN(region, prefix string, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%s%04d", prefix, i+1)
		c.Add(region, ids[i], fmt.Sprintf("198.51.%d.%d", (i+1)/250, (i+1)%250))
	}
	return ids
}

// Set changes an EIP's state outright (a binding made elsewhere).
func (c *Cloud) Set(id string, state eip.State, target string, kind eip.TargetType) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.find(id)
	e.State, e.NativeStatus, e.TargetID, e.TargetType, e.until = state, native(state), target, kind, time.Time{}
}

// Bound binds an EIP outright at a private IP and mode (a binding made
// elsewhere, with the details Set leaves out).
func (c *Cloud) Bound(id, target string, kind eip.TargetType, privateIP string, mode eip.Mode) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.find(id)
	e.State, e.NativeStatus, e.TargetID, e.TargetType, e.PrivateIP, e.Mode, e.until =
		eip.StateAssociated, native(eip.StateAssociated), target, kind, privateIP, mode, time.Time{}
}

// Transition puts an EIP in a transitional state (associating or
// disassociating, held by target) that ends after d, as one another request
// started: a run killed half way through a move, say.
func (c *Cloud) Transition(id string, state eip.State, target string, kind eip.TargetType, d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.find(id)
	e.State, e.NativeStatus, e.TargetID, e.TargetType, e.until = state, native(state), target, kind, c.Clock.Now().Add(d)
}

// FailBinding makes the next binding of id be accepted, then end back in available.
func (c *Cloud) FailBinding(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.find(id).fail = true
}

// Addr returns an EIP's current state.
func (c *Cloud) Addr(id string) eip.Address {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.settle()
	return c.find(id).Address
}

// Sent returns every mutating attempt so far.
func (c *Cloud) Sent() []Sent {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Sent(nil), c.sent...)
}

// Describes returns the IDs of every Describe call so far.
func (c *Cloud) Describes() [][]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([][]string(nil), c.describes...)
}

// Lists counts List calls.
func (c *Cloud) Lists() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lists
}

// Provider returns an adapter for this account with the given capabilities.
func (c *Cloud) Provider(caps eip.Capabilities) *Provider {
	return &Provider{
		Caps:         caps,
		DescribeFunc: c.describe,
		ListFunc:     c.list,
		PrepareAssociateFunc: func(req eip.AssociateRequest) (eip.Call, error) {
			s := Sent{Action: "Associate", Region: req.Region, EIPs: eip.IDs(req.EIPs), Target: req.Target,
				TargetType: req.TargetType, Mode: req.Mode, PrivateIP: req.PrivateIP, Token: req.ClientToken}
			return c.call(s), nil
		},
		PrepareDisassociateFunc: func(req eip.DisassociateRequest) (eip.Call, error) {
			return c.call(Sent{Action: "Disassociate", Region: req.Region, EIPs: eip.IDs(req.EIPs), Token: req.ClientToken}), nil
		},
	}
}

func (c *Cloud) call(s Sent) eip.Call {
	return eip.Call{
		Action: s.Action,
		Params: map[string]any{"eips": s.EIPs, "target": s.Target, "token": s.Token},
		Run: func(ctx context.Context) (eip.CallResult, error) {
			s := s
			s.EIPs = append([]string(nil), s.EIPs...)
			c.mu.Lock()
			s.At = c.Clock.Now()
			n := len(c.sent)
			c.sent = append(c.sent, s)
			c.mu.Unlock()
			var res eip.CallResult
			if c.OnRun != nil {
				var err error
				if res, err = c.OnRun(n, s); err != nil {
					return eip.CallResult{}, err
				}
			}
			c.apply(s, res.Failed)
			return res, nil
		},
	}
}

func (c *Cloud) apply(s Sent, failed map[string]*eip.Error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.settle()
	now := c.Clock.Now()
	for _, id := range s.EIPs {
		if _, bad := failed[id]; bad {
			continue
		}
		e := c.find(id)
		if e == nil {
			continue
		}
		if s.Action == "Associate" {
			if e.State != eip.StateAvailable {
				continue // an idempotent repeat, or refused: the engine finds out by reading
			}
			e.State, e.TargetID, e.TargetType, e.PrivateIP, e.Mode = eip.StateAssociating, s.Target, s.TargetType, s.PrivateIP, s.Mode
		} else {
			if e.State != eip.StateAssociated || !e.until.IsZero() {
				continue
			}
			if !c.NoUnbindProgress {
				e.State = eip.StateDisassociating
			}
		}
		e.NativeStatus, e.until = native(e.State), now.Add(c.Delay)
	}
	c.settle()
}

// settle finishes transitions whose time has come; callers hold c.mu.
func (c *Cloud) settle() {
	now := c.Clock.Now()
	for _, e := range c.addrs {
		if e.until.IsZero() || now.Before(e.until) {
			continue
		}
		switch {
		case e.State == eip.StateAssociating && !e.fail:
			e.State = eip.StateAssociated
		default:
			e.State, e.TargetID, e.TargetType, e.PrivateIP, e.Mode, e.fail = eip.StateAvailable, "", "", "", "", false
		}
		e.NativeStatus, e.until = native(e.State), time.Time{}
	}
}

func (c *Cloud) describe(ctx context.Context, region string, want []string) ([]eip.Address, error) {
	c.mu.Lock()
	c.describes = append(c.describes, append([]string(nil), want...))
	c.mu.Unlock()
	if c.OnDescribe != nil {
		if err := c.OnDescribe(want); err != nil {
			return nil, err
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.settle()
	var out []eip.Address
	for _, id := range want {
		if e := c.find(id); e != nil && e.Region == region {
			out = append(out, e.Address)
		}
	}
	return out, nil
}

func (c *Cloud) list(ctx context.Context, region string) ([]eip.Address, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lists++
	c.settle()
	var out []eip.Address
	for _, e := range c.addrs {
		if e.Region == region {
			out = append(out, e.Address)
		}
	}
	return out, nil
}

func (c *Cloud) find(id string) *entry {
	for _, e := range c.addrs {
		if e.ID == id {
			return e
		}
	}
	return nil
}

func native(s eip.State) string {
	switch s {
	case eip.StateAvailable:
		return "Available"
	case eip.StateAssociating:
		return "Associating"
	case eip.StateAssociated:
		return "InUse"
	case eip.StateDisassociating:
		return "Unassociating"
	}
	return "Other"
}
