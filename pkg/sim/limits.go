package sim

import (
	"fmt"
	"time"
)

// Limit is a documented rate: at most Count requests in any window of Per.
// It has the shape of eip.Limit, which paces the client side.
type Limit struct {
	Count int
	Per   time.Duration
}

func (l Limit) String() string { return fmt.Sprintf("%d/%s", l.Count, l.Per) }

// Action describes one native action a front serves.
type Action struct {
	Mutates bool  // changes state (counted by Mutations)
	Binds   bool  // creates bindings (what fail-binding waits for)
	Limit   Limit // the documented rate; zero means the profile's DefaultLimit
}

// limiter enforces sliding windows: a request is admitted when fewer than
// Count requests were admitted under its key in the last Per. Refused
// requests do not count, as a client that waits and retries expects. This is
// the window eip.Pacer keeps on the client side, so a client paced at the
// documented limit is never refused.
type limiter struct {
	windows map[string][]time.Time
}

// admit reports whether one more request fits now; when it does not, wait is
// how long until the oldest admitted request leaves the window.
func (l *limiter) admit(key string, lim Limit, now time.Time) (ok bool, wait time.Duration) {
	if lim.Count <= 0 || lim.Per <= 0 {
		return true, 0
	}
	if l.windows == nil {
		l.windows = map[string][]time.Time{}
	}
	w := l.windows[key]
	i := 0
	for i < len(w) && now.Sub(w[i]) >= lim.Per {
		i++
	}
	w = w[i:]
	if len(w) >= lim.Count {
		l.windows[key] = w
		return false, w[0].Add(lim.Per).Sub(now)
	}
	// Reuse the backing array instead of growing it for ever.
	if cap(w) > 4*lim.Count {
		w = append(make([]time.Time, 0, lim.Count), w...)
	}
	l.windows[key] = append(w, now)
	return true, 0
}

// Allow is a one-second sliding window: it reports whether one more request
// under key fits within limit per second.
func (s *Sim) Allow(key string, limit int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	ok, _ := s.limits.admit(key, Limit{limit, time.Second}, s.opts.Clock.Now())
	return ok
}

// limitOf is the documented limit of an action, or the profile's default.
func (p Profile) limitOf(action string) Limit {
	if a, ok := p.Actions[action]; ok && a.Limit.Count > 0 {
		return a.Limit
	}
	return p.DefaultLimit
}
