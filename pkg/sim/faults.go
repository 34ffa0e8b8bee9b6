package sim

import (
	"errors"
	"fmt"
	"math/rand"
	"sort"
	"strconv"
	"strings"
	"time"
)

// FaultKind is a failure the emulator can be told to produce.
type FaultKind string

const (
	FaultThrottle        FaultKind = "throttle"          // the cloud's throttling error
	FaultUnavailable     FaultKind = "unavailable"       // a 5xx / service unavailable
	FaultConflict        FaultKind = "conflict"          // a task-conflict / mutex error
	FaultReset           FaultKind = "reset"             // the connection is dropped before anything is done
	FaultLatency         FaultKind = "latency"           // the answer is delayed by Delay
	FaultFailBinding     FaultKind = "fail-binding"      // accepted, then the binding fails
	FaultDropAfterCommit FaultKind = "drop-after-commit" // the change is made, then the connection is dropped unanswered
	FaultSlowBody        FaultKind = "slow-body"         // the answer's body trickles out over Delay
	// FaultBusy is the cloud's documented "system busy, try again later"
	// refusal (Alibaba OperationFailed.SystemBusy): nothing is done, and a
	// client is expected to wait it out.
	FaultBusy FaultKind = "busy"
	// FaultSnat is the cloud's documented refusal of a change because NAT
	// gateway SNAT/DNAT entries use the EIP (Alibaba
	// InvalidIpStatus.HasBeenUsedBySnatTable). Only a mutating request
	// takes it: a read waits for one.
	FaultSnat FaultKind = "snat"
)

// FaultKinds lists every kind, for flag help and validation.
var FaultKinds = []FaultKind{FaultThrottle, FaultUnavailable, FaultConflict, FaultReset, FaultLatency, FaultFailBinding, FaultDropAfterCommit, FaultSlowBody, FaultBusy, FaultSnat}

// defaultSlowBody is how long a slow-body answer takes without delay=.
const defaultSlowBody = 2 * time.Second

// Fault is an injected failure for requests of Action (any action when
// empty) to Provider (any when empty). Without P it affects the next Times
// matching requests (default 1); with P each matching request is affected
// with probability P, at most Times times (default: without end).
type Fault struct {
	Provider string
	Action   string
	Kind     FaultKind
	Times    int
	P        float64
	Delay    time.Duration
}

func (f Fault) String() string {
	var b strings.Builder
	b.WriteString(string(f.Kind))
	if f.Provider != "" {
		b.WriteString(",provider=" + f.Provider)
	}
	if f.Action != "" {
		b.WriteString(",action=" + f.Action)
	}
	if f.P > 0 {
		b.WriteString(",p=" + strconv.FormatFloat(f.P, 'g', -1, 64))
	}
	if f.Times > 0 {
		b.WriteString(",times=" + strconv.Itoa(f.Times))
	}
	if f.Delay > 0 {
		b.WriteString(",delay=" + f.Delay.String())
	}
	return b.String()
}

// ParseFault reads KIND[,provider=P][,action=A][,p=0.1][,times=N][,delay=D].
// Its errors are one line naming the part to fix.
func ParseFault(spec string) (Fault, error) {
	parts := strings.Split(spec, ",")
	f := Fault{Kind: FaultKind(strings.TrimSpace(parts[0]))}
	if !knownKind(f.Kind) {
		return f, fmt.Errorf("--fault %q: unknown kind %q: use one of %s", spec, parts[0], kindList())
	}
	timesSet := false
	for _, kv := range parts[1:] {
		k, v, _ := strings.Cut(strings.TrimSpace(kv), "=")
		var err error
		switch k {
		case "provider":
			f.Provider = v
		case "action":
			f.Action = v
		case "times":
			f.Times, err = strconv.Atoi(v)
			timesSet = true
			if err == nil && f.Times <= 0 {
				err = errors.New("must be a positive count")
			}
		case "p":
			f.P, err = strconv.ParseFloat(v, 64)
			if err == nil && !(f.P > 0 && f.P <= 1) {
				err = errors.New("must be a probability above 0 and at most 1")
			}
		case "delay":
			f.Delay, err = time.ParseDuration(v)
			if err == nil && f.Delay < 0 {
				err = errors.New("cannot be negative")
			}
		default:
			return f, fmt.Errorf("--fault %q: unknown field %q: use provider=, action=, p=, times=N or delay=DURATION", spec, k)
		}
		if err != nil {
			return f, fmt.Errorf("--fault %q: %s=%q %s", spec, k, v, reason(err))
		}
	}
	if !timesSet && f.P == 0 {
		f.Times = 1
	}
	if f.Kind == FaultLatency && f.Delay == 0 {
		return f, fmt.Errorf("--fault %q: latency needs delay=DURATION (e.g. delay=2s)", spec)
	}
	return f, nil
}

func reason(err error) string {
	var ne *strconv.NumError
	if errors.As(err, &ne) {
		return "is not a number"
	}
	if strings.HasPrefix(err.Error(), "time: ") {
		return "is not a duration like 500ms or 2s"
	}
	return err.Error()
}

func knownKind(k FaultKind) bool {
	for _, x := range FaultKinds {
		if x == k {
			return true
		}
	}
	return false
}

func kindList() string {
	var ks []string
	for _, k := range FaultKinds {
		ks = append(ks, string(k))
	}
	return strings.Join(ks, ", ")
}

// CheckFault refuses a fault that could never fire against these clouds: an
// unknown cloud, an action no chosen cloud serves, or a binding fault on an
// action that binds nothing.
func CheckFault(f Fault, all []Profile) error {
	var profiles []Profile
	var names []string
	for _, p := range all {
		names = append(names, p.Provider)
		if f.Provider == "" || f.Provider == p.Provider {
			profiles = append(profiles, p)
		}
	}
	if len(profiles) == 0 {
		return fmt.Errorf("--fault %q: unknown provider %q: use one of %s", f, f.Provider, strings.Join(names, ", "))
	}
	if f.Times < 0 || f.Delay < 0 || f.P < 0 || f.P > 1 {
		return fmt.Errorf("--fault %q: times, delay and p cannot be negative (p at most 1)", f)
	}
	fits := func(a Action) bool {
		switch f.Kind {
		case FaultFailBinding:
			return a.Binds
		case FaultDropAfterCommit, FaultSnat:
			return a.Mutates
		}
		return true
	}
	var served []string
	for _, p := range profiles {
		for name, a := range p.Actions {
			if (f.Action == "" || f.Action == name) && fits(a) {
				return nil
			}
			if fits(a) {
				served = append(served, name)
			}
		}
	}
	sort.Strings(served)
	served = compact(served)
	what := "action"
	switch f.Kind {
	case FaultFailBinding:
		what = "binding action"
	case FaultDropAfterCommit, FaultSnat:
		what = "mutating action"
	}
	where := "any cloud"
	if f.Provider != "" {
		where = f.Provider
	}
	return fmt.Errorf("--fault %q: %s is not a %s of %s: use one of %s", f, orAny(f.Action), what, where, strings.Join(served, ", "))
}

func orAny(a string) string {
	if a == "" {
		return "no action"
	}
	return a
}

func compact(xs []string) []string {
	var out []string
	for i, x := range xs {
		if i == 0 || x != xs[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// faults is the queue of injected faults with the random source that decides
// probabilistic ones; --fault-seed makes a run's draws repeatable.
type faults struct {
	list []*Fault
	rng  *rand.Rand
}

// Inject queues a fault. A fault without P and Times fires once.
func (s *Sim) Inject(f Fault) {
	if f.Times <= 0 && f.P <= 0 {
		f.Times = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.list = append(s.faults.list, &f)
}

// TakeFault consumes one matching queued fault, if any. binding tells whether
// the request creates (and so changes) bindings: fail-binding, snat and
// drop-after-commit wait for such a request instead of being used up by a read.
func (s *Sim) TakeFault(provider, action string, binding bool) *Fault {
	return s.takeFault(provider, action, Action{Binds: binding, Mutates: binding})
}

func (s *Sim) takeFault(provider, action string, a Action) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults.list {
		switch {
		case f.Kind == FaultFailBinding && !a.Binds,
			(f.Kind == FaultDropAfterCommit || f.Kind == FaultSnat) && !a.Mutates,
			f.Provider != "" && f.Provider != provider,
			f.Action != "" && f.Action != action:
			continue
		}
		if f.P > 0 && s.faults.rng.Float64() >= f.P {
			continue
		}
		taken := *f
		if f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				s.faults.list = append(s.faults.list[:i], s.faults.list[i+1:]...)
			}
		}
		return &taken
	}
	return nil
}
