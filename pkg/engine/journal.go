package engine

import (
	"sync"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/journal"
)

// The journal (pkg/journal) is the write-ahead record of moves and the
// audit trail of every change. Before a move's unbind goes out, its intent
// (the EIP, what held it with its private IP and mode, the new target) is
// on disk, one write and fsync per chunk; if it cannot be written, the
// unbind is not sent. Outcomes follow, batched: a lost outcome costs nothing
// but a line of history, since a rerun reads the cloud before it acts.
//
// A rerun reads what earlier runs left unfinished (Engine.History): an EIP
// that a cut-short move left free (timeout, signal, kill -9, a refused bind
// whose put-back failed) is bound to the requested target as that move would
// have been, and put back on the holder the journal names if the bind is
// refused. --min-interval reads the same history.

// journalState is what the engine built from History, and the outcomes not
// yet written.
type journalState struct {
	once       sync.Once
	unfinished map[journal.Key]journal.Move
	last       map[journal.Key]time.Time // the last move of each EIP the journal shows

	mu  sync.Mutex
	buf []journal.Entry
}

func key(r *row) journal.Key {
	return journal.Key{Provider: r.Provider, Region: r.Region, EIP: r.EIPID}
}

func (e *Engine) history() *journalState {
	j := &e.jstate
	j.once.Do(func() {
		j.unfinished, j.last = map[journal.Key]journal.Move{}, map[journal.Key]time.Time{}
		for _, m := range journal.Unfinished(e.History) {
			j.unfinished[m.Intent.Key()] = m
		}
		for _, en := range e.History {
			if en.Action == journal.ActionMove && en.Outcome == journal.OutcomeMoved {
				j.last[en.Key()] = en.Time
			}
		}
	})
	return j
}

// stranded returns, for a row whose EIP reads free, the holder a cut-short
// move took it from and that move's run, or nil when the journal holds no
// such move (or one to another target: that is the user's to decide).
func (e *Engine) stranded(r *row) (*eip.Address, string) {
	m, ok := e.history().unfinished[key(r)]
	if !ok || m.Intent.Previous == nil || m.Intent.New == nil || m.Intent.New.TargetID != r.TargetID {
		return nil, ""
	}
	p := m.Intent.Previous
	return &eip.Address{ID: r.EIPID, IP: r.addr.IP, Region: r.Region, State: eip.StateAssociated,
		TargetID: p.TargetID, TargetType: p.TargetType, PrivateIP: p.PrivateIP, Mode: p.Mode}, m.Intent.Run
}

// movedRecently reports whether the journal (this host's) shows the row's EIP
// moved less than MinInterval ago, and when.
func (e *Engine) movedRecently(r *row) (time.Time, bool) {
	if e.MinInterval <= 0 {
		return time.Time{}, false
	}
	at, ok := e.history().last[key(r)]
	return at, ok && e.Clock.Now().Sub(at) < e.MinInterval
}

func holderOf(a *eip.Address) *journal.Holder {
	if a == nil || a.TargetID == "" {
		return nil
	}
	return &journal.Holder{TargetID: a.TargetID, TargetType: a.TargetType, PrivateIP: a.PrivateIP, Mode: a.Mode}
}

// entry is the journal line for a row's action and outcome.
func (r *row) entry(o journal.Outcome, code string) journal.Entry {
	en := journal.Entry{Provider: r.Provider, Region: r.Region, EIP: r.EIPID, IP: r.addr.IP, Outcome: o, Code: code, Finishes: r.finishes}
	switch {
	case r.unbind:
		en.Action, en.Previous = journal.ActionUnbind, holderOf(&r.start)
	case r.from != nil:
		en.Action, en.Previous = journal.ActionMove, holderOf(r.from)
		en.New = &journal.Holder{TargetID: r.TargetID, TargetType: r.want.TargetType, PrivateIP: r.want.PrivateIP, Mode: orMode(r.want.Mode)}
	default:
		en.Action = journal.ActionBind
		en.New = &journal.Holder{TargetID: r.TargetID, TargetType: r.want.TargetType, PrivateIP: r.want.PrivateIP, Mode: orMode(r.want.Mode)}
	}
	return en
}

// intend writes the intent of a chunk of moves before their unbind is sent;
// an error means it must not be sent.
func (e *Engine) intend(chunk []*row) error {
	if e.Journal == nil {
		return nil
	}
	var es []journal.Entry
	for _, r := range chunk {
		es = append(es, r.entry(journal.OutcomeIntent, ""))
	}
	return e.Journal.Append(es...)
}

// record queues the journal line of a row that settled after this run sent
// something for it (or finished an earlier run's move); flush writes them.
func (e *Engine) record(r *row) {
	if e.Journal == nil || !r.sent && r.finishes == "" || r.expect != nil {
		return
	}
	o, code := outcomeOf(r)
	en := r.entry(o, code)
	j := &e.jstate
	j.mu.Lock()
	j.buf = append(j.buf, en)
	j.mu.Unlock()
}

// flush writes the queued outcomes in one batch.
func (e *Engine) flush() {
	j := &e.jstate
	j.mu.Lock()
	buf := j.buf
	j.buf = nil
	j.mu.Unlock()
	if err := e.Journal.Append(buf...); err != nil {
		e.emit(Event{Kind: EventJournal, Err: err})
	}
}

// outcomeOf is the journal's word for a settled row.
func outcomeOf(r *row) (journal.Outcome, string) {
	code := ""
	if r.Error != nil {
		code = r.Error.Code
	}
	switch r.Status {
	case eip.StatusMoved:
		return journal.OutcomeMoved, ""
	case eip.StatusAssociated, eip.StatusUnchanged:
		if r.from != nil {
			return journal.OutcomeMoved, ""
		}
		return journal.OutcomeAssociated, ""
	case eip.StatusDisassociated:
		return journal.OutcomeDisassociated, ""
	case eip.StatusPending, eip.StatusTimeout:
		return journal.OutcomePending, code
	}
	switch {
	case r.from != nil && r.phase == phaseUnbind && r.addr.HeldBy(r.from.TargetID):
		return journal.OutcomeFailed, code // the unbind did not happen
	case r.from != nil && r.back().holds(r.addr):
		return journal.OutcomePutBack, code
	case r.from != nil && r.addr.State == eip.StateAvailable:
		return journal.OutcomeUnbound, code
	case r.from != nil && r.phase != phaseUnbind:
		return journal.OutcomePending, code // somewhere between: only a read will say
	}
	return journal.OutcomeFailed, code
}
