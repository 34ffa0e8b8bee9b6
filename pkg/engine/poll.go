package engine

import (
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/pace"
)

// The adaptive poll schedule (the default; an Engine given a Schedule polls
// on that alone). Polling is worth its reads where a user waits on few EIPs:
// one EIP's failover is an outage for as long as its phases are seen late,
// while a batch's few seconds are its sends and the cloud's own work.
//
//   - A lane with few rows in flight reads them every gap for their first
//     fastFor, then the gap grows by the schedule's factor up to its Max. The
//     gap is fastest per row in flight (100 ms for one EIP, 200 ms for two...),
//     and never less than keeps every lane of the run that shares a pacer (a
//     region, or the account of a cloud that counts per account) within a
//     quarter of the documented describe limit (pace.ReadGap). The budget
//     counts Describe calls, not rows: one paged Describe reads DescribeBatch.
//   - Once the gap would reach the fixed schedule's first delay (five rows on
//     the default schedule), the lane polls at the batch's rhythm: the fixed
//     schedule (Engine.Schedule's default, 0.5 s then x1.5) by each row's
//     time in the watch (untilStep), every round reading all rows in flight,
//     as batches always were;
//     and once the lane has seen a phase end for one row, a row that joined
//     later is read first when that much time has passed for it (learn),
//     not at the schedule's next step (2.375 s for a 2 s bind).
//
// So one EIP is read every 100 ms on Alibaba (600 per minute: 100 reads in a
// fast stretch of 10 s are within 150 a minute), every 200 ms on Tencent (20/s:
// 5 a second), and a batch reads as often as it did before the schedule adapted.
const (
	fastest = 100 * time.Millisecond // the gap for one row in flight: a round trip or a few
	fastFor = 10 * time.Second       // how long a row is read at the gap
)

// pollGap is the lane's least time between rounds with n rows in flight,
// counting the Describe calls of the run's other lanes on the same pacer.
// Callers hold l.mu.
func (l *lane) pollGap(n int) time.Duration {
	batch := max(l.caps.DescribeBatch, 1)
	pc := l.p.Pacer(l.region, eip.ActionDescribe)
	reads := l.e.polling(pc, l, (n+batch-1)/batch)
	return max(fastest*time.Duration(max(n, 1)), pace.ReadGap(pc.Limit(), reads, fastFor))
}

// batched reports whether the lane polls at the batch's rhythm (the fixed
// schedule) for the gap it would have. Callers hold l.mu.
func (l *lane) batched(gap time.Duration) bool {
	return gap >= l.e.Schedule.Delay(0)
}

// delay is the pause before row r's next read, its poll r.polls (0-based).
// Callers hold l.mu.
func (l *lane) delay(r *row) time.Duration {
	s := l.e.Schedule
	if !l.e.adaptive {
		return s.Delay(r.polls)
	}
	gap := l.pollGap(l.inFlight())
	if l.batched(gap) {
		elapsed := l.e.Clock.Now().Sub(r.watchedAt)
		d := untilStep(s, elapsed)
		if took, ok := l.took[r.phase]; ok && took > elapsed && took-elapsed < d {
			d = max(took-elapsed, fastest)
		}
		return d
	}
	d := gap
	if fast := int(fastFor / gap); r.polls > fast {
		d = pace.Schedule{Initial: gap, Factor: s.Factor, Max: s.Max}.Delay(r.polls - fast)
	}
	return min(d, s.Delay(r.polls))
}

// untilStep is the time from elapsed to the fixed schedule's next step
// counted from the row's joining the watch (0.5 s, 1.25 s, 2.375 s...). It
// goes by the time, not by the reads made: a batched row is read in every
// round of its lane, and a round made early (for a row that joined when few
// were in flight, 100 ms in) must not move its steps on by one, which saw a
// 2 s bind at 3.66 s instead of 2.375 s.
func untilStep(s pace.Schedule, elapsed time.Duration) time.Duration {
	at := time.Duration(0)
	for n := 0; ; n++ {
		step := s.Delay(n)
		if step <= 0 {
			return fastest
		}
		if at += step; at > elapsed {
			return at - elapsed
		}
	}
}

// learn notes that a row reached phase ph since after joining the watch:
// the least such time in the lane is when the rows that joined later are
// read first, as the cloud has shown it takes that long, rather than at the
// fixed schedule's next step (2.375 s for a 2 s bind). Callers hold l.mu.
func (l *lane) learn(ph phase, since time.Duration) {
	if l.took == nil {
		l.took = map[phase]time.Duration{}
	}
	if was, ok := l.took[ph]; !ok || since < was {
		l.took[ph] = since
	}
}

// roundGap is how long after the lane's last round the next may go: rows
// joining at different times never make the rounds closer than the gap (nor
// than the fixed schedule's first delay). Callers hold l.mu.
func (l *lane) roundGap() time.Duration {
	if !l.e.adaptive {
		return 0
	}
	return min(l.pollGap(l.inFlight()), l.e.Schedule.Delay(0))
}

// inFlight is how many rows the lane's rounds read now or soon: those
// watched and those queued to be sent, which join the watch in a moment.
// Callers hold l.mu.
func (l *lane) inFlight() int {
	n := len(l.watched)
	for _, j := range l.queue {
		n += len(j.chunk)
	}
	return n
}

// polling notes that lane l now makes reads Describe calls a round on pacer
// pc, and returns the calls a round of every lane of the run on pc.
func (e *Engine) polling(pc *pace.Pacer, l *lane, reads int) int {
	e.pollMu.Lock()
	defer e.pollMu.Unlock()
	if e.polls == nil {
		e.polls = map[*pace.Pacer]map[*lane]int{}
	}
	if e.polls[pc] == nil {
		e.polls[pc] = map[*lane]int{}
	}
	e.polls[pc][l] = reads
	total := 0
	for _, n := range e.polls[pc] {
		total += n
	}
	return total
}
