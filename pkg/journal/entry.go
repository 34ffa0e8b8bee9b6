// Package journal is eipctl's record of what it asked the clouds to change:
// the audit trail `eip history` reads (issue 16) and the write-ahead record
// a rerun or --undo finishes moves from (issue 18). It is one JSON Lines
// file, $XDG_STATE_HOME/eipctl/journal.jsonl by default, appended under a
// file lock and fsynced, so what it says survives kill -9 and power loss.
//
// The package knows nothing of the engine: the engine appends entries, the
// CLI reads them. A nil *Journal (the journal switched off) accepts every
// call and records nothing.
//
// How a run writes it (one Append per chunk, never per EIP):
//
//   - a --force chunk: before its unbind call, Append one ActionMove entry
//     per EIP with OutcomeIntent, Previous (the holder as read, with its
//     private IP and mode) and New (the target); if Append fails, do not
//     send the unbind. When each row settles: OutcomeMoved, OutcomePutBack,
//     OutcomeFailed (unbind refused), OutcomeUnbound (bind and put-back
//     both failed) or OutcomePending (timeout, signal), with the row's
//     error code in Code; settled rows of one lane may share an Append.
//   - a plain bind or an unbind: OutcomeAccepted when the cloud accepts the
//     call (one Append per call), and the row's final outcome when it
//     settles, so a kill -9 between the two still leaves the mutation on
//     record.
//   - at start: Read the journal once; Unfinished lists the moves a rerun
//     finishes first (entries written for them carry Finishes = the old
//     run's ID); LastMove answers --min-interval; Run(entries, id) is the
//     plan of --undo id.
package journal

import (
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
)

// Action is what an entry is about. The words are a public contract
// (docs/output.md).
type Action string

const (
	// ActionMove is a --force move: unbind from Previous, bind to New, put
	// back on Previous if the bind does not go through. Its first entry
	// (OutcomeIntent) is written before the unbind is sent.
	ActionMove Action = "move"
	// ActionBind binds a free EIP (nothing to unbind, nothing to strand).
	ActionBind Action = "bind"
	// ActionUnbind releases an EIP (`eip disassociate`).
	ActionUnbind Action = "unbind"
)

// Outcome is what an entry says happened. The words are a public contract.
type Outcome string

const (
	// OutcomeIntent: a move's unbind is about to be sent (write-ahead).
	OutcomeIntent Outcome = "intent"
	// OutcomeAccepted: the cloud accepted the call; not confirmed yet.
	OutcomeAccepted Outcome = "accepted"
	// OutcomeMoved: the EIP is on New (a move, or a rerun finishing one).
	OutcomeMoved Outcome = "moved"
	// OutcomePutBack: the bind to New failed and the EIP is back on Previous.
	OutcomePutBack Outcome = "putback"
	// OutcomeAssociated: a bind of a free EIP is confirmed.
	OutcomeAssociated Outcome = "associated"
	// OutcomeDisassociated: an unbind is confirmed.
	OutcomeDisassociated Outcome = "disassociated"
	// OutcomeFailed: the cloud refused; the binding is what it was before
	// the entry's action (for a move: still on Previous, the unbind refused
	// or never sent; for a bind: still free).
	OutcomeFailed Outcome = "failed"
	// OutcomeUnbound: a move stopped with the EIP held by nobody (the bind
	// and the put-back both failed). A rerun must finish it.
	OutcomeUnbound Outcome = "unbound"
	// OutcomePending: the run ended (timeout, signal) before the cloud
	// confirmed; the EIP may be anywhere between Previous and New.
	OutcomePending Outcome = "pending"
)

// settles tells whether an outcome leaves the EIP where some holder (or an
// intended nobody) has it for good, so an earlier unfinished move of the
// same EIP needs nothing more. A failed bind leaves a free EIP free, which
// settles nothing about a move that stranded it.
func (e Entry) settles() bool {
	switch e.Outcome {
	case OutcomeMoved, OutcomePutBack, OutcomeAssociated, OutcomeDisassociated:
		return true
	case OutcomeFailed:
		return e.Action == ActionMove || e.Action == ActionUnbind
	}
	return false
}

// Holder is what holds an EIP (or is to): enough to bind it back exactly.
type Holder struct {
	TargetID   string         `json:"targetId" yaml:"targetId"`
	TargetType eip.TargetType `json:"targetType" yaml:"targetType"`
	PrivateIP  string         `json:"privateIp" yaml:"privateIp"`
	Mode       eip.Mode       `json:"mode" yaml:"mode"`
}

// Entry is one line of the journal. Its JSON names are a public contract
// (docs/output.md, `eip history`); every key is always present.
type Entry struct {
	Time     time.Time `json:"time" yaml:"time"`
	Run      string    `json:"run" yaml:"run"`
	Host     string    `json:"host" yaml:"host"`
	Provider string    `json:"provider" yaml:"provider"`
	Region   string    `json:"region" yaml:"region"`
	EIP      string    `json:"eipId" yaml:"eipId"`
	IP       string    `json:"ip" yaml:"ip"`
	Action   Action    `json:"action" yaml:"action"`
	Outcome  Outcome   `json:"outcome" yaml:"outcome"`
	// Previous held the EIP before the action (nil: free); New is where the
	// action puts it (nil for an unbind).
	Previous *Holder `json:"previous" yaml:"previous"`
	New      *Holder `json:"new" yaml:"new"`
	// RequestID is the cloud's ID of the call behind the entry, "" when the
	// adapter does not report it or no call was sent.
	RequestID string `json:"requestId" yaml:"requestId"`
	// Code is the cloud's (or eipctl's) error code for a failed, unbound or
	// pending outcome, "" otherwise.
	Code string `json:"code" yaml:"code"`
	// Finishes names the earlier run whose unfinished move this entry
	// completes (a rerun), "" when it is this run's own.
	Finishes string `json:"finishes" yaml:"finishes"`
}

// Key names one EIP across clouds.
type Key struct{ Provider, Region, EIP string }

// Key returns the entry's EIP key.
func (e Entry) Key() Key { return Key{e.Provider, e.Region, e.EIP} }

// NewRunID makes a run ID that sorts by start time and is unique across
// hosts: 20261207T025512Z-3f9a1c2b.
func NewRunID(now time.Time) string {
	b := make([]byte, 4)
	rand.Read(b) // never fails (crypto/rand panics rather than return an error)
	return now.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b)
}
