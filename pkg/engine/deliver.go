package engine

import (
	"context"
	"errors"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/pace"
)

// sendChunk sends one queued chunk until the cloud accepts it or refuses it
// for good (deliver), and tells the lane it is done.
func (l *lane) sendChunk(ctx context.Context, ph phase, chunk []*row, token string) {
	defer func() {
		l.mu.Lock()
		l.sending--
		l.poke()
		l.mu.Unlock()
	}()
	// deliver settles every row of the chunk itself; its error only tells
	// a split (split) why a half was refused.
	_ = l.deliver(ctx, ph, chunk, token)
}

// journalMove writes a move's intent before its unbind goes out, and fails
// the chunk, sending nothing, when it cannot.
func (l *lane) journalMove(chunk []*row) bool {
	jerr := l.e.intend(chunk)
	l.mu.Lock()
	defer l.mu.Unlock()
	if jerr != nil {
		l.e.failAll(chunk, eip.Errorf(eip.ClassInvalid, "JournalError",
			"not moved: the move's intent could not be written to the journal first (%v); fix the journal, or pass --journal '' to move without one", jerr))
		return false
	}
	for _, r := range chunk {
		r.journaled = r.journaled || l.e.Journal != nil
	}
	return true
}

// deliver sends a chunk until the cloud accepts it or refuses it for good,
// and settles what it refused; a move's unbind goes only once its intent is
// in the journal. A target's capacity is a refusal of some of
// the EIPs, not of all: a chunk of several refused as full is split and its
// halves sent one after the other, so the EIPs that fit are bound and only
// the rest fail, with the cloud's own code (a move's are put back). It
// returns the refusal of a single EIP as full, which the rest of the split
// then meets without being sent.
func (l *lane) deliver(ctx context.Context, ph phase, chunk []*row, token string) *eip.Error {
	s := &attempt{l: l, ph: ph, chunk: chunk, token: token}
	var err error
	s.call, err = l.prepare(ph, chunk, token)
	if err == nil && ph == phaseUnbind && chunk[0].from != nil && !chunk[0].journaled && !l.journalMove(chunk) {
		return nil
	}
	if err == nil {
		err = l.e.Retry.Do(ctx, s.try(), func() error { return s.once(ctx) })
	}
	var pe *prepareError
	switch {
	case err == nil, errors.Is(err, errHeld), errors.Is(err, errSettled):
		return nil
	case errors.As(err, &pe):
		err = pe.err
	}
	l.mu.Lock()
	if ctx.Err() != nil {
		l.e.halted(ctx)
		l.notSent(s.chunk, s.sent)
		l.mu.Unlock()
		return nil
	}
	ce := l.p.Classify(err)
	if ce.Capacity && !ce.Expired && len(s.chunk) > 1 {
		l.mu.Unlock()
		return l.split(ctx, ph, s.chunk, s.token)
	}
	for _, r := range s.chunk {
		if !r.done {
			l.failed(ctx, r, ce)
		}
	}
	l.mu.Unlock()
	if ce.Capacity {
		return ce
	}
	return nil
}

// split sends a chunk refused as full in two halves, the first before the
// second; once one EIP is refused as full, the rest are not sent.
func (l *lane) split(ctx context.Context, ph phase, chunk []*row, token string) *eip.Error {
	half := (len(chunk) + 1) / 2
	var full *eip.Error
	for i, part := range [][]*row{chunk[:half], chunk[half:]} {
		if full == nil {
			l.mu.Lock()
			tok := l.token(token, i, 2, "")
			l.mu.Unlock()
			full = l.deliver(ctx, ph, part, tok)
			continue
		}
		l.mu.Lock()
		for _, r := range part {
			l.failed(ctx, r, reworded(full, "%s (not sent for EIP %s: %s refused an EIP of the same request as full)",
				full.Message, r.EIPID, r.key(ph).target))
		}
		l.mu.Unlock()
	}
	return full
}

// attempt is one chunk's sending: what is left of it to send, the native
// call for that, and how often it went out.
type attempt struct {
	l     *lane
	ph    phase
	chunk []*row
	token string
	call  eip.Call
	sent  int
}

var (
	// errHeld: the run stopped before a send; the rows are settled.
	errHeld = errors.New("held back before it was sent")
	// errSettled: a read showed every row of the chunk done.
	errSettled = errors.New("settled by a read")
)

// prepareError is a chunk the cloud cannot express after a re-read shrank it.
type prepareError struct{ err error }

func (p *prepareError) Error() string { return p.err.Error() }

// try is what the one retry policy (pace.RetryPolicy.Do) needs for a chunk:
// the run's clock and the chunk's deadline, the call's pacer, and the
// classification that decides which refusals are sent again.
func (s *attempt) try() pace.Try {
	l := s.l
	return pace.Try{Clock: l.e.Clock, Classify: s.classify, Deadline: s.chunk[0].deadline, Pacer: l.p.Pacer(l.region, s.call.Action),
		OnRetry: func(*eip.Error, time.Duration) {
			l.e.emit(Event{Kind: EventRetry, Provider: l.provider, Region: l.region, Count: 1})
		}}
}

// classify is the cloud's classification, except that what sending again
// cannot change is final: a chunk settled or held back, a capacity refusal
// (split instead), and for a pool's candidate a conflict (a rival was
// faster; claim.go's recheck decides what it was).
func (s *attempt) classify(err error) *eip.Error {
	var pe *prepareError
	if errors.Is(err, errHeld) || errors.Is(err, errSettled) || errors.As(err, &pe) {
		return &eip.Error{Class: eip.ClassInvalid, Message: err.Error()}
	}
	ce := s.l.p.Classify(err)
	if ce.Capacity || s.chunk[0].claim != nil && ce.Class == eip.ClassConflict {
		out := *ce
		out.Class = eip.ClassInvalid
		return &out
	}
	return ce
}

// once sends the chunk once. When the outcome is unknown (a transient
// error: the request may have left and the answer been lost) or the cloud
// says conflict (often "already there" after a lost answer, or another
// process doing the same), the EIPs are read first: those that show the
// change happened are accepted, and only the rest are sent again, with the
// same client token when nothing changed in the chunk.
func (s *attempt) once(ctx context.Context) error {
	l := s.l
	if l.e.halted(ctx) {
		// Every earlier attempt here was refused (throttled) or was
		// re-read and found not done: nothing of this chunk is out.
		l.mu.Lock()
		l.notSent(s.chunk, 0)
		l.mu.Unlock()
		return errHeld
	}
	s.sent++
	l.mu.Lock()
	for _, r := range s.chunk {
		r.sent = true
	}
	l.mu.Unlock()
	res, err := s.call.Run(eip.WithSendGate(ctx, func() bool { return l.e.halted(ctx) }))
	switch {
	case errors.Is(err, eip.ErrNotSent):
		s.sent-- // held back inside the adapter: it never left
		l.mu.Lock()
		l.notSent(s.chunk, s.sent)
		l.mu.Unlock()
		return errHeld
	case err == nil:
		l.e.emit(Event{Kind: EventSent, Provider: l.provider, Region: l.region, Count: len(s.chunk)})
		l.mu.Lock()
		l.accepted(ctx, s.ph, s.chunk, res)
		l.mu.Unlock()
		return nil
	}
	if ce := s.classify(err); ctx.Err() != nil || ce.Class == eip.ClassThrottled || !ce.Class.Retryable() && s.sent == 1 {
		return err
	}
	return s.reread(ctx, err)
}

// reread reads a chunk that may have been acted on: the rows that show the
// change are accepted, and the rest, if fewer, get a call of their own.
func (s *attempt) reread(ctx context.Context, err error) error {
	l := s.l
	left := l.recheck(ctx, s.ph, s.chunk)
	switch {
	case len(left) == 0:
		return errSettled
	case len(left) == len(s.chunk):
		return err
	}
	l.mu.Lock()
	l.tokens++
	s.token = l.token(s.token, l.tokens, l.tokens+1, "")
	l.mu.Unlock()
	s.chunk = left
	var perr error
	if s.call, perr = l.prepare(s.ph, s.chunk, s.token); perr != nil {
		return &prepareError{perr}
	}
	return err
}
