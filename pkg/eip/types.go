// Package eip is the domain: what an EIP binding is, what a cloud adapter must
// do, and the engine that plans, submits, waits and reports. It knows nothing
// of cobra, viper or any particular cloud.
package eip

import (
	"fmt"
	"slices"
	"strings"
)

// TargetType is the unified kind of thing an EIP can be bound to.
type TargetType string

const (
	Instance TargetType = "instance"
	ENI      TargetType = "eni"
	NAT      TargetType = "nat"
	LB       TargetType = "lb"
	HaVip    TargetType = "havip"
)

// TargetTypes lists every unified target type, in the order help text shows them.
var TargetTypes = []TargetType{Instance, ENI, NAT, LB, HaVip}

// ParseTargetType accepts one of the unified words.
func ParseTargetType(s string) (TargetType, error) { return parseWord("target type", s, TargetTypes) }

// Mode is the unified association mode; each adapter maps it to its cloud's word.
type Mode string

const (
	ModeNAT         Mode = "nat"
	ModeMultiBinded Mode = "multi-binded"
	ModePassthrough Mode = "passthrough"
	ModeFullNAT     Mode = "fullnat"
)

// Modes lists every unified mode.
var Modes = []Mode{ModeNAT, ModeMultiBinded, ModePassthrough, ModeFullNAT}

// ParseMode accepts one of the unified words; empty means the default (nat).
func ParseMode(s string) (Mode, error) {
	if s == "" {
		return ModeNAT, nil
	}
	return parseWord("mode", s, Modes)
}

// State is the unified state of an EIP, as `eip list` reports it.
type State string

const (
	StateAvailable      State = "available"
	StateAssociating    State = "associating"
	StateAssociated     State = "associated"
	StateDisassociating State = "disassociating"
	StateOther          State = "other"
)

// Address is one EIP as a cloud reports it.
type Address struct {
	ID           string
	IP           string
	Region       string
	State        State
	NativeStatus string // the cloud's own status word
	TargetID     string // empty when not bound
	TargetType   TargetType
	PrivateIP    string
	// Mode is the unified mode of the binding as the cloud reports it, and
	// NativeMode the cloud's own word for it; both empty when not bound or
	// when the cloud does not say (for `eip describe`).
	Mode       Mode
	NativeMode string
	// ENI is the network interface holding the EIP when the cloud names both
	// an instance (TargetID) and its ENI, as Tencent does: either one is
	// the EIP's holder.
	ENI string
}

// IDs lists the addresses' EIP IDs, in order: what a call that names EIPs
// by ID sends.
func IDs(as []Address) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.ID
	}
	return out
}

// HeldBy reports whether target holds (or is taking) the address.
func (a Address) HeldBy(target string) bool {
	return target != "" && (a.TargetID == target || a.ENI == target)
}

// BoundTo reports whether the address is fully bound to target.
func (a Address) BoundTo(target string) bool {
	return a.State == StateAssociated && a.HeldBy(target)
}

// Status is the outcome of one EIP in a run; the words are a public contract.
type Status string

const (
	StatusAssociated    Status = "associated"
	StatusMoved         Status = "moved" // ended on the requested target after leaving another (--force)
	StatusDisassociated Status = "disassociated"
	StatusUnchanged     Status = "unchanged"
	StatusPending       Status = "pending"
	StatusPlanned       Status = "planned"
	StatusFailed        Status = "failed"
	StatusTimeout       Status = "timeout"
)

// Result is one row of a run's report. Its JSON names are a public contract.
type Result struct {
	Provider   string     `json:"provider" yaml:"provider"`
	Region     string     `json:"region" yaml:"region"`
	EIPID      string     `json:"eipId" yaml:"eipId"`
	IP         string     `json:"ip" yaml:"ip"`
	TargetID   string     `json:"targetId" yaml:"targetId"`
	TargetType TargetType `json:"targetType" yaml:"targetType"`
	Status     Status     `json:"status" yaml:"status"`
	Error      *Error     `json:"error" yaml:"error"`
	// PreviousTargetID is what held the EIP when the run started (nil: nothing,
	// or it could not be read); CurrentTargetID is what holds it at the end,
	// as last read. Both are null in JSON when nil.
	PreviousTargetID *string `json:"previousTargetId" yaml:"previousTargetId"`
	CurrentTargetID  *string `json:"currentTargetId" yaml:"currentTargetId"`
	// Note tells what else the row did that its status does not say: that it
	// finished a move an earlier run left cut short (the journal's). Absent
	// from JSON when empty.
	Note string `json:"note,omitempty" yaml:"note,omitempty"`
}

// Summary counts a run's results. Its JSON names are a public contract.
type Summary struct {
	Total      int `json:"total" yaml:"total"`
	Associated int `json:"associated" yaml:"associated"`
	Moved      int `json:"moved" yaml:"moved"`
	Unchanged  int `json:"unchanged" yaml:"unchanged"`
	Pending    int `json:"pending" yaml:"pending"`
	Planned    int `json:"planned" yaml:"planned"`
	Failed     int `json:"failed" yaml:"failed"`
	TimedOut   int `json:"timedOut" yaml:"timedOut"`
}

// DisassociateSummary counts a disassociate run's results.
type DisassociateSummary struct {
	Total         int `json:"total" yaml:"total"`
	Disassociated int `json:"disassociated" yaml:"disassociated"`
	Unchanged     int `json:"unchanged" yaml:"unchanged"`
	Pending       int `json:"pending" yaml:"pending"`
	Planned       int `json:"planned" yaml:"planned"`
	Failed        int `json:"failed" yaml:"failed"`
	TimedOut      int `json:"timedOut" yaml:"timedOut"`
}

// Report is what a run returns: one row per EIP, in the order they were asked for.
type Report struct {
	Results []Result
	// Requests holds the native requests a dry run would have sent.
	Requests []PlannedCall
	// Interrupted is true when Stop closed or ctx was cancelled during the run.
	Interrupted bool
}

// Expectation is one EIP `eip wait` waits for: until it is For (associated or
// available), and, when Target is set, held by Target.
type Expectation struct {
	Provider, Region string
	EIP              string // an ID or an address
	For              State  // StateAssociated or StateAvailable
	Target           string // optional
}

// PlannedCall is a native request shown by --dry-run.
type PlannedCall struct {
	Provider string `json:"provider" yaml:"provider"`
	Region   string `json:"region" yaml:"region"`
	Action   string `json:"action" yaml:"action"`
	Params   any    `json:"params" yaml:"params"`
}

// Summary counts the rows of an associate run.
func (r *Report) Summary() Summary {
	c := r.count()
	return Summary{Total: len(r.Results), Associated: c[StatusAssociated], Moved: c[StatusMoved], Unchanged: c[StatusUnchanged],
		Pending: c[StatusPending], Planned: c[StatusPlanned], Failed: c[StatusFailed], TimedOut: c[StatusTimeout]}
}

// DisassociateSummary counts the rows of a disassociate run.
func (r *Report) DisassociateSummary() DisassociateSummary {
	c := r.count()
	return DisassociateSummary{Total: len(r.Results), Disassociated: c[StatusDisassociated], Unchanged: c[StatusUnchanged],
		Pending: c[StatusPending], Planned: c[StatusPlanned], Failed: c[StatusFailed], TimedOut: c[StatusTimeout]}
}

func (r *Report) count() map[Status]int {
	c := map[Status]int{}
	for _, row := range r.Results {
		c[row.Status]++
	}
	return c
}

// JoinWords lists words for a message: "a, b, c".
func JoinWords[T ~string](ws []T) string {
	s := make([]string, len(ws))
	for i, w := range ws {
		s[i] = string(w)
	}
	return strings.Join(s, ", ")
}

// parseWord returns the one of words that s is, or an error naming what it
// is (a target type, a mode), the nearest word when one is close, and the words.
func parseWord[T ~string](what, s string, words []T) (T, error) {
	if i := slices.Index(words, T(s)); i >= 0 {
		return words[i], nil
	}
	return "", fmt.Errorf("unknown %s %q: %suse one of %s", what, s, DidYouMean(s, words), JoinWords(words))
}

// Met reports whether a reads as expected.
func (x *Expectation) Met(a Address) bool {
	if x.For == StateAvailable {
		return a.State == StateAvailable
	}
	if x.Target != "" {
		return a.BoundTo(x.Target)
	}
	return a.State == StateAssociated
}
