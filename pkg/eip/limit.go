package eip

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Limit is a documented rate limit as a window: at most Count requests in
// any span of Per ("120 per 60s", "10 per 1s"). The zero Limit means no
// limit is known and nothing is paced.
type Limit struct {
	Count int
	Per   time.Duration
}

// IsZero reports whether l sets no limit.
func (l Limit) IsZero() bool { return l.Count <= 0 || l.Per <= 0 }

// String writes l the way ParseLimit reads it: "120/60s", "10/1s".
func (l Limit) String() string {
	if l.IsZero() {
		return "none"
	}
	return strconv.Itoa(l.Count) + "/" + l.Per.String()
}

// ParseLimit reads "COUNT/DURATION" ("120/60s", "10/1s", "30/1m") or
// "COUNT/s" and "COUNT/m" for one second and one minute. A profile uses it
// for overrides, so the error names the value and shows the form.
func ParseLimit(s string) (Limit, error) {
	count, per, ok := strings.Cut(strings.TrimSpace(s), "/")
	bad := fmt.Errorf("rate limit %q: write it as COUNT/DURATION, like 120/60s or 10/1s", s)
	if !ok {
		return Limit{}, bad
	}
	n, err := strconv.Atoi(strings.TrimSpace(count))
	if err != nil || n <= 0 {
		return Limit{}, bad
	}
	per = strings.TrimSpace(per)
	switch per {
	case "s":
		per = "1s"
	case "m":
		per = "1m"
	}
	d, err := time.ParseDuration(per)
	if err != nil || d <= 0 {
		return Limit{}, bad
	}
	return Limit{Count: n, Per: d}, nil
}

// Generic names the engine gives its reads; Capabilities.Actions maps each to
// the native action behind it, so that reads share that action's pacer.
const (
	ActionDescribe   = "Describe"
	ActionList       = "List"
	ActionCheckTasks = "CheckTasks"
	// ActionCheckCredentials is an adapter's cheap signed read (config doctor).
	ActionCheckCredentials = "CheckCredentials"
)

// Native returns the cloud's action name behind an engine action name
// (Describe -> DescribeEipAddresses); a native name is returned unchanged.
func (c Capabilities) Native(action string) string {
	if n, ok := c.Actions[action]; ok {
		return n
	}
	return action
}

// LimitFor returns the documented limit of a native action (or of the
// native action behind an engine read), else DefaultLimit.
func (c Capabilities) LimitFor(action string) Limit {
	if l, ok := c.Limits[c.Native(action)]; ok {
		return l
	}
	return c.DefaultLimit
}
