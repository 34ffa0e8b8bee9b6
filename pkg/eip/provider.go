package eip

import (
	"context"
	"io/fs"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"
)

// Provider is what one cloud adapter does. It is deliberately small: the
// engine owns batching, rate limiting, retrying and waiting, so an adapter
// only translates and classifies.
type Provider interface {
	// Capabilities describes the cloud as data the engine plans with.
	Capabilities() Capabilities

	// Validate checks one binding against the cloud's rules before anything is
	// sent (a required --private-ip, a mode the target cannot take, ...). It
	// returns a *UsageError naming the flag and the fix. It must not call the cloud.
	Validate(b Binding) error

	// Describe reads the current state of the given EIP IDs in one region. The
	// engine never passes more than Capabilities.DescribeBatch IDs. IDs that do
	// not exist are simply absent from the answer.
	Describe(ctx context.Context, region string, ids []string) ([]Address, error)

	// List returns every EIP in a region (all pages).
	List(ctx context.Context, region string) ([]Address, error)

	// PrepareAssociate translates one chunk (EIPs bound for the same target, at
	// most the target type's batch size) into the native call. It sends nothing:
	// --dry-run prints the returned Call and a real run executes it.
	PrepareAssociate(req AssociateRequest) (Call, error)

	// PrepareDisassociate does the same for unbinding one chunk.
	PrepareDisassociate(req DisassociateRequest) (Call, error)

	// Classify turns any error returned by this adapter into a unified Error,
	// keeping the cloud's own code and message.
	Classify(err error) *Error
}

// TaskWatcher is implemented by adapters whose mutations return task handles
// (Tencent's TaskId) that tell why a change did not happen. The engine reads
// a row's task only when the row's status read shows no progress (the status
// read decides success), one handle a call, the calls at once within the
// lane's read slots and its pacer.
type TaskWatcher interface {
	CheckTasks(ctx context.Context, region string, tasks []string) (map[string]TaskState, error)
}

// TaskState is what a TaskWatcher learned about one task.
type TaskState struct {
	Done bool
	Err  *Error // set when the task failed
}

// Capabilities is a cloud described as data.
type Capabilities struct {
	// TargetTypes the cloud can bind an EIP to.
	TargetTypes []TargetType
	// Modes maps each target type to the unified modes it accepts; a missing
	// entry means only ModeNAT.
	Modes map[TargetType][]Mode
	// TargetPrefixes infers --target-type from an ID's prefix ("i-" ->
	// instance). The prefixes Syntax requires infer their type without being
	// listed here again; this holds only prefixes no ID is required to have
	// (Zenlayer's readable emulator IDs).
	TargetPrefixes map[string]TargetType
	// BatchSize is the most EIPs one associate call may carry, per target type;
	// a missing entry means 1 (one call per EIP).
	BatchSize map[TargetType]int
	// UnbindBatchSize is the same for disassociate calls, per the type of
	// what holds the EIPs; clouds batch binding and unbinding differently.
	UnbindBatchSize map[TargetType]int
	// DescribeBatch is the most IDs one Describe call may carry.
	DescribeBatch int
	// Limits is the documented rate limit of each native action
	// (AssociateEipAddress, DescribeAddresses, ...); DefaultLimit covers the
	// actions not listed. The engine paces each provider, region and action
	// with its own Pacer at these limits (see docs/rate-limits.md).
	Limits       map[string]Limit
	DefaultLimit Limit
	// AccountWide says the cloud counts its limits per account, not per
	// region (Zenlayer: one global endpoint, and binds that name no region),
	// so one pacer per action serves every region.
	AccountWide bool
	// Actions names the native action behind each engine read
	// (ActionDescribe, ActionList, ActionCheckTasks), so a read is paced with
	// the native action it calls.
	Actions map[string]string
	// ClientToken tells whether mutations carry an idempotency token.
	ClientToken bool
	// UnbindShowsNoProgress: while an accepted unbind runs, the EIP reads as bound to its target, unchanged, until it reads available (no transitional status; Zenlayer ZEC), so unchanged reads after an unbind are no sign of failure.
	UnbindShowsNoProgress bool
	// Syntax is what the cloud's regions and IDs look like (syntax.go); the
	// engine checks every item against it before anything is sent. nil
	// checks only what holds for every cloud.
	Syntax *Syntax
}

// Prefixes maps every ID prefix that tells a target type to that type: the
// ones Syntax requires and TargetPrefixes.
func (c Capabilities) Prefixes() map[string]TargetType {
	m := maps.Clone(c.TargetPrefixes)
	if m == nil {
		m = map[string]TargetType{}
	}
	if c.Syntax != nil {
		for t, r := range c.Syntax.Targets {
			if r.Prefix != "" {
				m[r.Prefix] = t
			}
		}
	}
	return m
}

// Infer returns the target type implied by an ID's prefix, longest prefix first.
func (c Capabilities) Infer(id string) (TargetType, bool) {
	known := c.Prefixes()
	prefixes := slices.Collect(maps.Keys(known))
	sort.Slice(prefixes, func(i, j int) bool { return len(prefixes[i]) > len(prefixes[j]) })
	for _, p := range prefixes {
		if strings.HasPrefix(id, p) {
			return known[p], true
		}
	}
	return "", false
}

// InferFor returns the target type of b: from its target ID's prefix, or,
// where the ID has none (real Zenlayer IDs are bare numbers), the one type
// that takes what b asks for (its mode, its private IP), if only one does.
func (c Capabilities) InferFor(b Binding) (TargetType, bool) {
	if t, ok := c.Infer(b.Target); ok {
		return t, true
	}
	if b.Mode == "" && b.PrivateIP == "" {
		return "", false
	}
	var fit []TargetType
	for _, t := range c.TargetTypes {
		if b.Mode != "" && !slices.Contains(c.ModesFor(t), b.Mode) {
			continue
		}
		if b.PrivateIP != "" && !c.Syntax.TakesPrivateIP(t) {
			continue
		}
		fit = append(fit, t)
	}
	if len(fit) != 1 {
		return "", false
	}
	return fit[0], true
}

// Supports reports whether the cloud can bind to t.
func (c Capabilities) Supports(t TargetType) bool {
	for _, x := range c.TargetTypes {
		if x == t {
			return true
		}
	}
	return false
}

// ModesFor lists the modes a target type accepts.
func (c Capabilities) ModesFor(t TargetType) []Mode {
	if m, ok := c.Modes[t]; ok {
		return m
	}
	return []Mode{ModeNAT}
}

// Batch returns the chunk size for associating to t.
func (c Capabilities) Batch(t TargetType) int { return size(c.BatchSize[t]) }

// UnbindBatch returns the chunk size for disassociating from t.
func (c Capabilities) UnbindBatch(t TargetType) int { return size(c.UnbindBatchSize[t]) }

func size(n int) int { return max(n, 1) }

// Binding is one EIP the user wants bound to one target.
type Binding struct {
	Provider       string
	Region         string
	EIP            string // an ID, or an IP address that the engine resolves to its ID
	Target         string
	TargetType     TargetType // empty: inferred from the target's prefix
	PrivateIP      string
	Mode           Mode
	InstanceRegion string
	ClientToken    string
	// Force moves an EIP bound to another target: unbind it there, bind it
	// here, and put it back if the bind does not go through.
	Force bool
	// From fences the binding: it goes ahead only if the EIP is held by one
	// of these targets when it is read right before the unbind (or the bind,
	// for a free EIP); FromNone among them allows a free EIP. Empty: any
	// holder (with Force) or none. A stale node's late call cannot take an
	// address back from the node that took it over.
	From []string
	// Line is where a plan file holds this item (0 for flags and formats
	// without lines), so validation messages can point at it.
	Line int
	// Pool, when set, makes this a claim: EIP is empty and the engine binds
	// Count EIPs (default 1) that the pool holds and nobody else holds (pool.go).
	Pool  *Pool
	Count int
}

// Unbinding is one EIP the user wants released from whatever holds it.
type Unbinding struct {
	Provider    string
	Region      string
	EIP         string
	ClientToken string
	Line        int      // as Binding.Line
	From        []string // as Binding.From: unbind only from these holders (--undo)
}

// AssociateRequest is one chunk handed to an adapter: EIPs already resolved and
// read, all bound for the same target with the same options.
type AssociateRequest struct {
	Region         string
	EIPs           []Address
	Target         string
	TargetType     TargetType
	PrivateIP      string
	Mode           Mode
	InstanceRegion string
	ClientToken    string
}

// DisassociateRequest is one chunk of EIPs to unbind, with their current state.
type DisassociateRequest struct {
	Region      string
	EIPs        []Address
	ClientToken string
}

// Call is one native request, prepared but not sent.
type Call struct {
	Action string // the cloud's action name, e.g. AssociateEipAddress
	// Params is the native request as it will be sent, for --dry-run. It never
	// holds credentials.
	Params any
	// Run sends the request. Retrying Run re-sends the same request (same client token).
	Run func(ctx context.Context) (CallResult, error)
}

// CallResult is what a sent call told us beyond success.
type CallResult struct {
	// Failed lists EIPs the cloud refused individually while accepting the rest
	// (Zenlayer's failedEipIds).
	Failed map[string]*Error
	// Tasks maps a task handle to the EIP IDs it covers, for TaskWatcher.
	Tasks map[string][]string
}

// Credentials are what an adapter signs with. They never reach output or logs.
type Credentials struct {
	ID     string
	Secret string
	Token  string // optional STS / security token
}

// ProviderConfig is everything an adapter is built from.
type ProviderConfig struct {
	// Endpoint overrides the cloud's endpoint (a URL). Empty means the real cloud.
	Endpoint    string
	Credentials Credentials
	// Source, when set, wins over Credentials: the adapter asks it before
	// every signed request (see CredentialSource).
	Source *CredentialSource
	// Timeout bounds each HTTP request.
	Timeout time.Duration
	// Transport, when set, carries every request (used for --debug logging).
	Transport http.RoundTripper
}

// Spec is how a cloud registers itself: a name, a constructor and where its
// credentials come from.
type Spec struct {
	Name string
	// Title is how help text names the cloud ("Alibaba Cloud"); empty: Name.
	Title string
	New   func(ProviderConfig) (Provider, error)
	// Env lists the environment variables credentials are read from, first
	// non-empty wins within each list.
	Env CredentialEnv
	// DefaultEndpoint is shown in docs and used when Endpoint is empty.
	DefaultEndpoint string
	// EndpointFor, when set, is the URL a region's requests go to without
	// --endpoint (`config doctor` shows it); nil: DefaultEndpoint's.
	EndpointFor func(region string) string
	// Credentials is the cloud's own credential chain, tried after eipctl's
	// flags, environment and profile: its CLI's files, its instance role.
	// It returns nil when none of them is configured.
	Credentials func(CredentialOptions) (*CredentialSource, error)
	// CredentialFiles lists the cloud's own CLI files that exist and that
	// eipctl may read credentials from: `config doctor` checks their modes,
	// and a --profile that none of them (nor eipctl's file) defines is
	// refused before anything is sent. nil: the cloud has none.
	CredentialFiles func() []CredentialFile
}

// CredentialFile is one of a cloud's own CLI files, as eipctl found it.
type CredentialFile struct {
	Path     string
	Mode     fs.FileMode // permission bits
	Profiles []string    // the profiles eipctl would read in it
	Secrets  bool        // it holds a secret key or token
}

// CredentialEnv names the environment variables for one cloud's credentials.
type CredentialEnv struct {
	ID     []string
	Secret []string
	Token  []string
}

// FromNone in Binding.From allows a free EIP (`--from none`).
const FromNone = "none"

// Fenced reports whether the binding's fence lets it take a, and when not,
// what holds a in words ("free" or the holder's type and ID).
func (b Binding) Fenced(a Address) (ok bool, holder string) {
	if len(b.From) == 0 {
		return true, ""
	}
	for _, f := range b.From {
		if f == FromNone && a.TargetID == "" || f != FromNone && a.HeldBy(f) {
			return true, ""
		}
	}
	if a.TargetID == "" {
		return false, "free"
	}
	return false, "held by " + string(a.TargetType) + " " + a.TargetID
}

// ParseFrom reads a fence (--from, from:): target IDs and FromNone,
// separated by commas; flag names where it came from for the message.
func ParseFrom(flag, value string) ([]string, error) {
	var out []string
	for _, v := range strings.Split(value, ",") {
		v = strings.TrimSpace(v)
		if err := CheckText(flag, v); err != nil {
			return nil, err
		}
		if v == "" {
			return nil, Usagef("%s %q: empty entry: give the target IDs that may hold the EIP, or none for a free one, separated by commas", flag, value)
		}
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out, nil
}
