package sim

import (
	"encoding/json"
	"time"
)

// Request is one request the emulator answered (or dropped), as the request
// log records it. Its JSON is a public contract: one line per request in the
// file of `sim serve --request-log`.
type Request struct {
	Time     time.Time `json:"time"`
	Provider string    `json:"provider"` // "" when no cloud recognised the request
	Region   string    `json:"region"`   // "" when the request names none (Zenlayer binds)
	Action   string    `json:"action"`   // the native action name
	Status   int       `json:"status"`   // the HTTP status; 0 when the connection was dropped unanswered
	Code     string    `json:"code"`     // the cloud's error code, the fault that dropped it, or ""
	Mutating bool      `json:"-"`        // the action changes state
}

// defaultKeepRequests bounds the request log kept in memory.
const defaultKeepRequests = 200000

// logRequest appends a finished request to the in-memory log and writes it
// to the log file, one line, unbuffered: a reader of the file sees every
// request that was answered.
func (s *Sim) logRequest(q Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	keep := s.opts.KeepRequests
	if keep <= 0 {
		keep = defaultKeepRequests
	}
	if len(s.requests) >= keep {
		s.requests = append(s.requests[:0], s.requests[len(s.requests)-keep/2:]...)
	}
	s.requests = append(s.requests, q)
	if s.opts.RequestLog != nil {
		b, _ := json.Marshal(q)
		_, _ = s.opts.RequestLog.Write(append(b, '\n'))
	}
}

// Requests returns the requests answered so far, oldest first (at most the
// last Options.KeepRequests).
func (s *Sim) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// JournalEntry is one request a front handled.
type JournalEntry struct {
	Provider string
	Action   string
	Mutating bool
}

// Journal returns every request recorded so far, in the short form older
// tests read.
func (s *Sim) Journal() []JournalEntry {
	var out []JournalEntry
	for _, q := range s.Requests() {
		if q.Provider != "" {
			out = append(out, JournalEntry{q.Provider, q.Action, q.Mutating})
		}
	}
	return out
}

// Mutations counts the mutating requests sent to a cloud, refused ones included.
func (s *Sim) Mutations(provider string) int {
	n := 0
	for _, q := range s.Requests() {
		if q.Provider == provider && q.Mutating {
			n++
		}
	}
	return n
}
