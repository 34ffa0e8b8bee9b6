package sim

import (
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/eipctl/eipctl/pkg/clock"
)

// DefaultSeedEIPs is how many EIPs each seeded region starts with.
const DefaultSeedEIPs = 24

// Profile describes one cloud to the core: how to seed it and how its fronts
// name things. Each providers/<cloud>/emulator package exports one.
type Profile struct {
	Provider string
	Regions  []RegionSpec
	// Prefix gives the ID prefix of "eip" and of each target type it seeds
	// (instance, eni, nat, lb, havip); a type without a prefix is not seeded.
	Prefix map[string]string
	// Digits is the width of the number in seeded IDs (default 4).
	Digits int
	// Status is the cloud's own status word for an EIP.
	Status func(e *EIP) string
	// Credentials are the only ones the front accepts.
	Credentials Credential
	// Capacity overrides how many EIPs one target of a type holds at once
	// (defaults: instance 1, eni 10, nat 200, lb 1, havip 1).
	Capacity map[string]int
}

// RegionSpec seeds one region.
type RegionSpec struct {
	Name     string
	Code     string // short code used in seeded IDs, e.g. "hz"
	IPPrefix string // first two octets of seeded public IPs, e.g. "47.96."
}

// Credential is an access key pair the emulator accepts.
type Credential struct {
	ID     string `json:"id"`
	Secret string `json:"secret"`
}

// Options configure a Sim.
type Options struct {
	Clock     clock.Clock   // default: the wall clock
	BindDelay time.Duration // how long Associating and Unassociating last
	Dir       string        // state directory; empty keeps state in memory only
	Profiles  []Profile
	SeedEIPs  int // EIPs per region when seeding; 0 means DefaultSeedEIPs
}

// Sim is one emulated world shared by every cloud front.
type Sim struct {
	opts     Options
	profiles map[string]Profile
	store    *store

	mu      sync.Mutex
	journal []JournalEntry
	faults  []*Fault
	windows map[string][]time.Time
	nonces  map[string]time.Time
}

// New opens (or seeds) the emulated world.
func New(opts Options) (*Sim, error) {
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	if opts.SeedEIPs <= 0 {
		opts.SeedEIPs = DefaultSeedEIPs
	}
	s := &Sim{opts: opts, profiles: map[string]Profile{}, windows: map[string][]time.Time{}, nonces: map[string]time.Time{}}
	for _, p := range opts.Profiles {
		s.profiles[p.Provider] = p
	}
	st, err := openStore(opts.Dir, func(w *World) bool { return seed(w, opts.Profiles, opts.SeedEIPs) })
	if err != nil {
		return nil, err
	}
	s.store = st
	return s, nil
}

// Clock is the emulator's time source.
func (s *Sim) Clock() clock.Clock { return s.opts.Clock }

// Profile returns a cloud's profile.
func (s *Sim) Profile(provider string) (Profile, bool) {
	p, ok := s.profiles[provider]
	return p, ok
}

// Profiles lists the clouds in the order they were registered.
func (s *Sim) Profiles() []Profile { return s.opts.Profiles }

// Update runs fn on one cloud's state under the lock and saves what it changed.
// Returning an error from fn discards nothing already changed in memory, so fn
// should check before it mutates (CheckBind before Bind).
func (s *Sim) Update(provider string, fn func(c *Cloud) error) error {
	return s.store.update(func(w *World) error {
		c, err := s.cloud(w, provider)
		if err != nil {
			return err
		}
		return fn(c)
	})
}

// View runs fn on one cloud's state under the lock, without saving.
func (s *Sim) View(provider string, fn func(c *Cloud)) error {
	return s.store.view(func(w *World) error {
		c, err := s.cloud(w, provider)
		if err != nil {
			return err
		}
		fn(c)
		return nil
	})
}

func (s *Sim) cloud(w *World, provider string) (*Cloud, error) {
	c, ok := w.Clouds[provider]
	if !ok {
		return nil, fmt.Errorf("emulator has no cloud %q", provider)
	}
	now := s.opts.Clock.Now()
	c.now, c.delay = now, s.opts.BindDelay
	c.settle(now)
	return c, nil
}

// JournalEntry is one request a front handled.
type JournalEntry struct {
	Provider string
	Action   string
	Mutating bool
}

// Record notes a request in the journal, which tests read to prove that
// nothing mutating was sent.
func (s *Sim) Record(provider, action string, mutating bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.journal = append(s.journal, JournalEntry{provider, action, mutating})
}

// Journal returns every request recorded so far.
func (s *Sim) Journal() []JournalEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]JournalEntry(nil), s.journal...)
}

// Mutations counts the mutating requests recorded for a cloud.
func (s *Sim) Mutations(provider string) int {
	n := 0
	for _, e := range s.Journal() {
		if e.Provider == provider && e.Mutating {
			n++
		}
	}
	return n
}

// Allow is a one-second sliding window limiter: it reports whether one more
// request under key fits within limit per second.
func (s *Sim) Allow(key string, limit int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Clock.Now()
	w := s.windows[key]
	i := 0
	for i < len(w) && now.Sub(w[i]) >= time.Second {
		i++
	}
	w = w[i:]
	if len(w) >= limit {
		s.windows[key] = w
		return false
	}
	s.windows[key] = append(w, now)
	return true
}

// UseNonce records a signature nonce; it reports false when the nonce was
// already used within ttl.
func (s *Sim) UseNonce(key string, ttl time.Duration) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Clock.Now()
	if t, ok := s.nonces[key]; ok && now.Sub(t) < ttl {
		return false
	}
	if len(s.nonces) > 100000 {
		for k, t := range s.nonces {
			if now.Sub(t) >= ttl {
				delete(s.nonces, k)
			}
		}
	}
	s.nonces[key] = now
	return true
}

// FaultKind is a failure the emulator can be told to produce.
type FaultKind string

const (
	FaultThrottle    FaultKind = "throttle"     // the cloud's throttling error
	FaultUnavailable FaultKind = "unavailable"  // a 5xx / service unavailable
	FaultConflict    FaultKind = "conflict"     // a task-conflict / mutex error
	FaultReset       FaultKind = "reset"        // the connection is dropped
	FaultLatency     FaultKind = "latency"      // the answer is delayed by Delay
	FaultFailBinding FaultKind = "fail-binding" // accepted, then the binding fails
)

// FaultKinds lists every kind, for flag help and validation.
var FaultKinds = []FaultKind{FaultThrottle, FaultUnavailable, FaultConflict, FaultReset, FaultLatency, FaultFailBinding}

// Fault is an injected failure: the next Times requests of Action (any action
// when empty) to Provider (any when empty) fail this way.
type Fault struct {
	Provider string
	Action   string
	Kind     FaultKind
	Times    int
	Delay    time.Duration
}

// Inject queues a fault.
func (s *Sim) Inject(f Fault) {
	if f.Times <= 0 {
		f.Times = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// TakeFault consumes one matching queued fault, if any. binding tells whether
// the request creates bindings: a fail-binding fault waits for such a request
// instead of being used up by a read.
func (s *Sim) TakeFault(provider, action string, binding bool) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.Kind == FaultFailBinding && !binding {
			continue
		}
		if (f.Provider == "" || f.Provider == provider) && (f.Action == "" || f.Action == action) {
			taken := *f
			f.Times--
			if f.Times <= 0 {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
			}
			return &taken
		}
	}
	return nil
}

// InventoryRegion is one region of `sim inventory`; its JSON is a public contract.
type InventoryRegion struct {
	Provider string            `json:"provider" yaml:"provider"`
	Region   string            `json:"region" yaml:"region"`
	EIPs     []InventoryEIP    `json:"eips" yaml:"eips"`
	Targets  []InventoryTarget `json:"targets" yaml:"targets"`
}

// InventoryEIP is one EIP of the inventory, with the cloud's own status word.
type InventoryEIP struct {
	ID       string `json:"id" yaml:"id"`
	IP       string `json:"ip" yaml:"ip"`
	Status   string `json:"status" yaml:"status"`
	TargetID string `json:"targetId" yaml:"targetId"`
}

// InventoryTarget is one target of the inventory.
type InventoryTarget struct {
	ID         string   `json:"id" yaml:"id"`
	Type       string   `json:"type" yaml:"type"`
	PrivateIPs []string `json:"privateIps" yaml:"privateIps"`
}

// Inventory lists what every cloud holds now.
func (s *Sim) Inventory() ([]InventoryRegion, error) {
	var out []InventoryRegion
	for _, p := range s.opts.Profiles {
		err := s.View(p.Provider, func(c *Cloud) {
			for _, r := range c.Regions {
				ir := InventoryRegion{Provider: p.Provider, Region: r.Name, EIPs: []InventoryEIP{}, Targets: []InventoryTarget{}}
				for _, e := range r.EIPs {
					ir.EIPs = append(ir.EIPs, InventoryEIP{e.ID, e.IP, p.Status(e), e.TargetID})
				}
				for _, t := range r.Targets {
					ips := append([]string{}, t.PrivateIPs...)
					ir.Targets = append(ir.Targets, InventoryTarget{t.ID, t.Type, ips})
				}
				out = append(out, ir)
			}
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// World is everything the emulator persists.
type World struct {
	Clouds map[string]*Cloud `json:"clouds"`
}

// targetSeeds says how many of each target type a region gets, and how many
// EIPs each holds at once.
var targetSeeds = []struct {
	kind     string
	count    int
	capacity int
	ips      int
}{
	{"instance", 8, 1, 1},
	{"eni", 4, 10, 4},
	{"nat", 2, 200, 0},
	{"lb", 3, 1, 0},
	{"havip", 2, 1, 1},
}

// seed adds every cloud the world lacks (a state file written before a cloud
// was added gains it) and reports whether it added any.
func seed(w *World, profiles []Profile, eips int) bool {
	added := false
	if w.Clouds == nil {
		w.Clouds = map[string]*Cloud{}
	}
	for _, p := range profiles {
		if _, ok := w.Clouds[p.Provider]; ok {
			continue
		}
		added = true
		c := &Cloud{Provider: p.Provider, Tokens: map[string]string{}}
		digits := p.Digits
		if digits == 0 {
			digits = 4
		}
		id := func(kind, code string, n int) string {
			return fmt.Sprintf("%s%s%0*d", p.Prefix[kind], code, digits, n)
		}
		for ri, rs := range p.Regions {
			r := &Region{Name: rs.Name}
			for _, ts := range targetSeeds {
				if _, ok := p.Prefix[ts.kind]; !ok {
					continue
				}
				capacity := ts.capacity
				if c, ok := p.Capacity[ts.kind]; ok {
					capacity = c
				}
				for n := 1; n <= ts.count; n++ {
					t := &Target{ID: id(ts.kind, rs.Code, n), Type: ts.kind, Capacity: capacity, PrivateIPs: []string{}}
					for k := 0; k < ts.ips; k++ {
						t.PrivateIPs = append(t.PrivateIPs, fmt.Sprintf("10.%d.%d.%d", ri+1, len(r.Targets)+1, 10+k))
					}
					r.Targets = append(r.Targets, t)
				}
			}
			for n := 1; n <= eips; n++ {
				r.EIPs = append(r.EIPs, &EIP{ID: id("eip", rs.Code, n), IP: fmt.Sprintf("%s%d.%d", rs.IPPrefix, n/250, n%250+1), Phase: Available})
			}
			// The last two EIPs start bound, so that `eip list` shows both
			// kinds and "already bound" and "bound elsewhere" can be tried.
			holders := seedHolders(r.Targets)
			for k := 0; k < len(holders) && k < len(r.EIPs); k++ {
				e, t := r.EIPs[len(r.EIPs)-1-k], holders[k]
				e.Phase, e.TargetID, e.TargetType = Bound, t.ID, t.Type
				if len(t.PrivateIPs) > 0 {
					e.PrivateIP = t.PrivateIPs[0]
				}
			}
			c.Regions = append(c.Regions, r)
		}
		w.Clouds[p.Provider] = c
	}
	return added
}

// seedHolders picks what the seeded bound EIPs are bound to: the last two
// instances, or, for a cloud without instances (Zenlayer binds to vNICs),
// the last NAT gateway and the last load balancer.
func seedHolders(targets []*Target) []*Target {
	last := func(kind string, skip int) *Target {
		for i := len(targets) - 1; i >= 0; i-- {
			if targets[i].Type == kind {
				if skip == 0 {
					return targets[i]
				}
				skip--
			}
		}
		return nil
	}
	var out []*Target
	if a, b := last("instance", 0), last("instance", 1); a != nil && b != nil {
		return []*Target{a, b}
	}
	for _, kind := range []string{"nat", "lb"} {
		if t := last(kind, 0); t != nil {
			out = append(out, t)
		}
	}
	return out
}

// RegionNames lists a cloud's region names, sorted.
func (p Profile) RegionNames() []string {
	var out []string
	for _, r := range p.Regions {
		out = append(out, r.Name)
	}
	sort.Strings(out)
	return out
}
