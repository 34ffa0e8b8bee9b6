package sim

import (
	"fmt"
	"io"
	"math/rand"
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
	// (defaults: instance 1, eni one per private IP, nat 20, lb 1, havip 1).
	Capacity map[string]int
	// Actions are the native actions the front serves, with their documented
	// rate limits; fault specs are checked against them.
	Actions map[string]Action
	// DefaultLimit applies to actions without a Limit of their own.
	DefaultLimit Limit
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

	Latency      time.Duration // added to every request, on Clock
	NoLimits     bool          // do not enforce the documented rate limits
	FaultSeed    int64         // seeds the draws of probabilistic faults
	RequestLog   io.Writer     // one JSON line per request; nil writes none
	KeepRequests int           // requests kept for Requests(); 0 means 200,000
	BodyTimeout  time.Duration // how long a request body may take; 0 means 10s
}

// Sim is one emulated world shared by every cloud front.
type Sim struct {
	opts     Options
	profiles map[string]Profile
	store    *store

	mu       sync.Mutex
	requests []Request
	faults   faults
	limits   limiter
	nonces   map[string]time.Time
}

// New opens (or seeds) the emulated world.
func New(opts Options) (*Sim, error) {
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	if opts.SeedEIPs <= 0 {
		opts.SeedEIPs = DefaultSeedEIPs
	}
	s := &Sim{opts: opts, profiles: map[string]Profile{}, nonces: map[string]time.Time{}}
	s.faults.rng = rand.New(rand.NewSource(opts.FaultSeed))
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
