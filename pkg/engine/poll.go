package engine

import (
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/pace"
)

// The adaptive poll schedule (the default; an Engine given a Schedule polls
// on that alone). A row is read every gap for its first fastFor, then the
// gap grows by the schedule's factor up to its Max, as before. The gap is
// the least that keeps the lane's rounds within a quarter of the documented
// describe limit (pace.ReadGap) for the rows in flight: one Describe per
// DescribeBatch of them each round. So one EIP is read every 100 ms on
// Alibaba (600 per minute: 100 reads in a fast stretch of 10 s are within
// 150 a minute), every 200 ms on Tencent (20/s: 5 a second), and a large
// batch as often as the budget allows. It is never slower than the fixed
// schedule (Engine.Schedule), which a huge batch falls back to, paced by the
// pacer at the documented limit as before.
const (
	fastest = 100 * time.Millisecond // no gap is shorter: a round trip or a few
	fastFor = 10 * time.Second       // how long a row is read at the gap
)

// pollGap is the lane's least time between rounds for n rows in flight.
func (l *lane) pollGap(n int) time.Duration {
	batch := max(l.caps.DescribeBatch, 1)
	reads := (max(n, 1) + batch - 1) / batch
	lim := l.p.Pacer(l.region, eip.ActionDescribe).Limit()
	return max(fastest, pace.ReadGap(lim, reads, fastFor))
}

// delay is the pause before a row's poll n (0-based) while n rows... are in
// flight. Callers hold l.mu.
func (l *lane) delay(n int) time.Duration {
	s := l.e.Schedule
	if !l.e.adaptive {
		return s.Delay(n)
	}
	gap := l.pollGap(len(l.watched))
	d := gap
	if fast := int(fastFor / gap); n > fast {
		d = pace.Schedule{Initial: gap, Factor: s.Factor, Max: s.Max}.Delay(n - fast)
	}
	return min(d, s.Delay(n))
}

// roundGap is how long after the lane's last round the next may go: rows
// joining at different times never make the rounds closer than the gap
// (nor than the fixed schedule's first delay, so a huge batch reads as
// often as it did before). Callers hold l.mu.
func (l *lane) roundGap() time.Duration {
	if !l.e.adaptive {
		return 0
	}
	return min(l.pollGap(len(l.watched)), l.e.Schedule.Delay(0))
}
