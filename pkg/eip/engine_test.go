package eip_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/clock"
	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/eip/eiptest"
)

const region = "r1"

// recClock is a fake clock that remembers every pause asked of it, so a
// test can tell poll rounds and backoffs apart from the clock's reading.
type recClock struct {
	*clock.Fake
	mu     sync.Mutex
	sleeps []time.Duration
}

func (c *recClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.sleeps = append(c.sleeps, d)
	c.mu.Unlock()
	return c.Fake.Sleep(ctx, d)
}

func (c *recClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

type fixture struct {
	t     *testing.T
	clk   *recClock
	cloud *eiptest.Cloud
	caps  eip.Capabilities
	prov  eip.Provider // set by engine(); tests may replace it first
	eng   *eip.Engine
}

// newFixture is an account with 120 available EIPs (eip-0001...) whose
// bindings take delay, and an engine that waits for them.
func newFixture(t *testing.T, delay time.Duration) *fixture {
	clk := &recClock{Fake: clock.NewFake(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))}
	f := &fixture{t: t, clk: clk, cloud: eiptest.NewCloud(clk, delay), caps: eiptest.DefaultCaps()}
	f.cloud.AddN(region, "eip-", 120)
	return f
}

func (f *fixture) engine() *eip.Engine {
	if f.prov == nil {
		f.prov = f.cloud.Provider(f.caps)
	}
	f.eng = &eip.Engine{
		Lookup: func(name string) (eip.Provider, error) {
			if name != "fake" {
				return nil, eip.Usagef("--provider %s is unknown: use fake", name)
			}
			return f.prov, nil
		},
		Clock:   f.clk,
		Wait:    true,
		Timeout: time.Minute,
	}
	return f.eng
}

func (f *fixture) associate(items ...eip.Binding) *eip.Report {
	f.t.Helper()
	if f.eng == nil {
		f.engine()
	}
	rep, err := f.eng.Associate(context.Background(), items)
	if err != nil {
		f.t.Fatalf("associate: %v", err)
	}
	return rep
}

func bind(id, target string) eip.Binding {
	return eip.Binding{Provider: "fake", Region: region, EIP: id, Target: target}
}

func binds(target string, ids ...string) []eip.Binding {
	out := make([]eip.Binding, len(ids))
	for i, id := range ids {
		out[i] = bind(id, target)
	}
	return out
}

func eipIDs(from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, fmt.Sprintf("eip-%04d", i))
	}
	return out
}

func wantStatus(t *testing.T, rep *eip.Report, want eip.Status) {
	t.Helper()
	for _, r := range rep.Results {
		if r.Status != want {
			t.Fatalf("%s: status %s (error %+v), want %s", r.EIPID, r.Status, r.Error, want)
		}
	}
}

func wantFailed(t *testing.T, r eip.Result, class eip.Class, code string) {
	t.Helper()
	if r.Status != eip.StatusFailed || r.Error == nil || r.Error.Class != class || r.Error.Code != code {
		t.Fatalf("%s: status %s error %+v, want failed %s/%s", r.EIPID, r.Status, r.Error, class, code)
	}
}

func TestValidationIsUsageErrorAndSendsNothing(t *testing.T) {
	noHaVip := func(c *eip.Capabilities) { c.TargetTypes = []eip.TargetType{eip.Instance, eip.NAT} }
	cases := []struct {
		name  string
		items []eip.Binding
		caps  func(*eip.Capabilities)
		valid func(eip.Binding) error
		want  []string // every one must appear in the message
	}{
		{name: "nothing", items: nil, want: []string{"--eip", "-f plan.yaml"}},
		{name: "no provider", items: []eip.Binding{{Region: region, EIP: "eip-0001", Target: "i-1"}},
			want: []string{"--provider is required", "alibaba, tencent or zenlayer"}},
		{name: "unknown provider", items: []eip.Binding{{Provider: "nope", Region: region, EIP: "eip-0001", Target: "i-1"}},
			want: []string{"--provider nope", "use fake"}},
		{name: "no region", items: []eip.Binding{{Provider: "fake", EIP: "eip-0001", Target: "i-1"}},
			want: []string{"--region is required", "region the EIP lives in"}},
		{name: "empty eip", items: []eip.Binding{{Provider: "fake", Region: region, Target: "i-1"}},
			want: []string{"--eip is empty", "EIP ID or address"}},
		{name: "no target", items: []eip.Binding{{Provider: "fake", Region: region, EIP: "eip-0001"}},
			want: []string{"--target is required"}},
		{name: "unknown prefix", items: []eip.Binding{bind("eip-0001", "vm-123")},
			want: []string{`"vm-123"`, "pass --target-type", "instance, eni, nat, lb, havip"}},
		{name: "unsupported target type", caps: noHaVip,
			items: []eip.Binding{{Provider: "fake", Region: region, EIP: "eip-0001", Target: "x-1", TargetType: eip.HaVip}},
			want:  []string{"--target-type havip is not supported by fake", "use one of instance, nat"}},
		{name: "inferred type unsupported", caps: noHaVip, items: []eip.Binding{bind("eip-0001", "havip-1")},
			want: []string{"--target-type havip is not supported"}},
		{name: "mode not for target",
			items: []eip.Binding{{Provider: "fake", Region: region, EIP: "eip-0001", Target: "ngw-1", Mode: eip.ModePassthrough}},
			want:  []string{"--mode passthrough", "nat target", "use one of nat"}},
		{name: "duplicate", items: []eip.Binding{bind("eip-0001", "i-1"), bind("eip-0002", "i-2"), bind("eip-0001", "i-3")},
			want: []string{"item 3:", "eip-0001 is listed twice", "item 1", "list each EIP once"}},
		{name: "provider refuses", items: []eip.Binding{bind("eip-0001", "i-1"), bind("eip-0002", "eni-1")},
			valid: func(b eip.Binding) error {
				if b.TargetType == eip.ENI && b.PrivateIP == "" {
					return eip.Usagef("--private-ip is required for an ENI: pass one of its private addresses")
				}
				return nil
			},
			want: []string{"item 2:", "--private-ip is required", "pass one of"}},
		{name: "second item bad", items: []eip.Binding{bind("eip-0001", "i-1"), {Provider: "fake", EIP: "eip-0002", Target: "i-2"}},
			want: []string{"item 2:", "--region is required"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, time.Second)
			if c.caps != nil {
				c.caps(&f.caps)
			}
			p := f.cloud.Provider(f.caps)
			p.ValidateFunc = c.valid
			f.prov = p
			rep, err := f.engine().Associate(context.Background(), c.items)
			var ue *eip.UsageError
			if !errors.As(err, &ue) || rep != nil {
				t.Fatalf("got report %v, error %v (%T), want a *eip.UsageError and no report", rep, err, err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if n, d, l := len(f.cloud.Sent()), len(f.cloud.Describes()), f.cloud.Lists(); n+d+l != 0 {
				t.Fatalf("after a usage error: %d sends, %d describes, %d lists, want none", n, d, l)
			}
		})
	}
}

func TestLookupFailureKeepsItsKind(t *testing.T) {
	f := newFixture(t, time.Second)
	eng := f.engine()
	missing := errors.New("no credentials for fake: set FAKE_KEY")
	eng.Lookup = func(string) (eip.Provider, error) { return nil, missing }
	_, err := eng.Associate(context.Background(), []eip.Binding{bind("eip-0001", "i-1")})
	if err == nil || eip.IsUsage(err) || !errors.Is(err, missing) {
		t.Fatalf("error %v: want the lookup's own error, not a usage error", err)
	}
}

func TestDisassociateValidation(t *testing.T) {
	cases := map[string]struct {
		items []eip.Unbinding
		want  string
	}{
		"nothing":   {nil, "--eip"},
		"no region": {[]eip.Unbinding{{Provider: "fake", EIP: "eip-0001"}}, "--region is required"},
		"duplicate": {[]eip.Unbinding{{Provider: "fake", Region: region, EIP: "eip-0001"}, {Provider: "fake", Region: region, EIP: "eip-0001"}}, "item 2: EIP eip-0001 is listed twice"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, time.Second)
			_, err := f.engine().Disassociate(context.Background(), c.items)
			if !eip.IsUsage(err) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want a usage error mentioning %q", err, c.want)
			}
			if len(f.cloud.Describes())+len(f.cloud.Sent()) != 0 {
				t.Fatal("the cloud was called despite a usage error")
			}
		})
	}
}

func TestChunksToBatchSize(t *testing.T) {
	f := newFixture(t, 2*time.Second)
	rep := f.associate(binds("ngw-1", eipIDs(1, 120)...)...)
	wantStatus(t, rep, eip.StatusAssociated)
	sizes := map[int]int{}
	seen := map[string]bool{}
	for _, s := range f.cloud.Sent() {
		sizes[len(s.EIPs)]++
		if s.Target != "ngw-1" || s.TargetType != eip.NAT || s.Mode != eip.ModeNAT {
			t.Fatalf("sent %+v, want NAT ngw-1 in mode nat (inferred)", s)
		}
		for _, id := range s.EIPs {
			if seen[id] {
				t.Fatalf("%s sent twice", id)
			}
			seen[id] = true
		}
	}
	if len(f.cloud.Sent()) != 3 || sizes[50] != 2 || sizes[20] != 1 {
		t.Fatalf("120 EIPs to a NAT with batch 50 went in calls of sizes %v, want 50, 50, 20", sizes)
	}
	if s := rep.Summary(); s.Total != 120 || s.Associated != 120 {
		t.Fatalf("summary %+v, want 120 associated", s)
	}
}

func TestChunksNeverMixTargetsAndUnbatchedTypesGoOneByOne(t *testing.T) {
	f := newFixture(t, time.Second)
	items := append(binds("ngw-1", eipIDs(1, 4)...), binds("ngw-2", eipIDs(5, 7)...)...)
	items = append(items, bind("eip-0008", "i-1"), bind("eip-0009", "i-2"))
	wantStatus(t, f.associate(items...), eip.StatusAssociated)
	got := map[string][]int{}
	for _, s := range f.cloud.Sent() {
		got[s.Target] = append(got[s.Target], len(s.EIPs))
	}
	if len(got["ngw-1"]) != 1 || got["ngw-1"][0] != 4 || len(got["ngw-2"]) != 1 || got["ngw-2"][0] != 3 ||
		len(got["i-1"]) != 1 || got["i-1"][0] != 1 || len(got["i-2"]) != 1 {
		t.Fatalf("calls per target %v, want ngw-1:[4] ngw-2:[3] i-1:[1] i-2:[1]", got)
	}
}

func TestDescribeIsBatchedOncePerRound(t *testing.T) {
	f := newFixture(t, 3*time.Second)
	f.caps.DescribeBatch = 7
	wantStatus(t, f.associate(binds("ngw-1", eipIDs(1, 20)...)...), eip.StatusAssociated)
	ds := f.cloud.Describes()
	for _, d := range ds {
		if len(d) > 7 {
			t.Fatalf("a describe carried %d IDs, DescribeBatch is 7", len(d))
		}
	}
	// With no pace and no retries, every pause is a poll round; each round
	// (and the first read) costs ceil(20/7) = 3 describes, whatever the EIP count.
	rounds := len(f.clk.Sleeps())
	if rounds < 2 || len(ds) != 3*(1+rounds) {
		t.Fatalf("%d describes over %d poll rounds, want %d (3 per round plus 3 to start)", len(ds), rounds, 3*(1+rounds))
	}
}

func tokenOf(t *testing.T, sent []eiptest.Sent, id string) string {
	t.Helper()
	for _, s := range sent {
		for _, x := range s.EIPs {
			if x == id {
				return s.Token
			}
		}
	}
	t.Fatalf("%s was never sent", id)
	return ""
}

func TestClientTokens(t *testing.T) {
	t.Run("one token over several chunks is suffixed", func(t *testing.T) {
		f := newFixture(t, time.Second)
		items := binds("ngw-1", eipIDs(1, 120)...)
		for i := range items {
			items[i].ClientToken = "T"
		}
		wantStatus(t, f.associate(items...), eip.StatusAssociated)
		sent := f.cloud.Sent()
		for id, want := range map[string]string{"eip-0001": "T-1", "eip-0051": "T-2", "eip-0120": "T-3"} {
			if got := tokenOf(t, sent, id); got != want {
				t.Errorf("chunk holding %s carried token %q, want %q", id, got, want)
			}
		}
	})
	t.Run("one chunk keeps the token as given", func(t *testing.T) {
		f := newFixture(t, time.Second)
		items := binds("ngw-1", eipIDs(1, 2)...)
		items[0].ClientToken, items[1].ClientToken = "T", "T"
		f.associate(items...)
		if s := f.cloud.Sent(); len(s) != 1 || s[0].Token != "T" {
			t.Fatalf("sent %+v, want one call with token T", s)
		}
	})
	t.Run("generated per chunk when absent", func(t *testing.T) {
		f := newFixture(t, time.Second)
		f.associate(binds("ngw-1", eipIDs(1, 120)...)...)
		seen := map[string]bool{}
		for _, s := range f.cloud.Sent() {
			if s.Token == "" || seen[s.Token] {
				t.Fatalf("chunk token %q: want a fresh non-empty token per chunk", s.Token)
			}
			seen[s.Token] = true
		}
	})
	t.Run("none when the cloud takes none", func(t *testing.T) {
		f := newFixture(t, time.Second)
		f.caps.ClientToken = false
		f.associate(bind("eip-0001", "i-1"))
		if s := f.cloud.Sent(); len(s) != 1 || s[0].Token != "" {
			t.Fatalf("sent %+v, want one call without a token", s)
		}
	})
	t.Run("a retry resends the same token", func(t *testing.T) {
		f := newFixture(t, time.Second)
		f.cloud.OnRun = func(n int, s eiptest.Sent) (eip.CallResult, error) {
			if n == 0 {
				return eip.CallResult{}, eip.Errorf(eip.ClassThrottled, "Throttling", "slow down")
			}
			return eip.CallResult{}, nil
		}
		wantStatus(t, f.associate(bind("eip-0001", "i-1")), eip.StatusAssociated)
		s := f.cloud.Sent()
		if len(s) != 2 || s[0].Token == "" || s[0].Token != s[1].Token {
			t.Fatalf("attempts %+v, want two with the same generated token", s)
		}
	})
}

func TestRetryByClass(t *testing.T) {
	for _, c := range []struct {
		class    eip.Class
		attempts int
	}{
		{eip.ClassThrottled, 3}, {eip.ClassTransient, 3}, {eip.ClassConflict, 3},
		{eip.ClassInvalid, 1}, {eip.ClassNotFound, 1}, {eip.ClassAuth, 1},
	} {
		t.Run(string(c.class), func(t *testing.T) {
			f := newFixture(t, time.Second)
			f.cloud.OnRun = func(n int, s eiptest.Sent) (eip.CallResult, error) {
				if n < 2 {
					return eip.CallResult{}, eip.Errorf(c.class, "Code."+string(c.class), "refused")
				}
				return eip.CallResult{}, nil
			}
			rep := f.associate(bind("eip-0001", "i-1"))
			if n := len(f.cloud.Sent()); n != c.attempts {
				t.Fatalf("%s error: %d attempts, want %d", c.class, n, c.attempts)
			}
			if c.class.Retryable() {
				wantStatus(t, rep, eip.StatusAssociated)
			} else {
				wantFailed(t, rep.Results[0], c.class, "Code."+string(c.class))
			}
		})
	}
}

func TestRetryIsBoundedWithBackoff(t *testing.T) {
	f := newFixture(t, time.Second)
	f.engine()
	f.eng.Wait = false
	f.eng.Retry = eip.RetryPolicy{Attempts: 4, Base: time.Second, Max: 8 * time.Second}
	f.cloud.OnRun = func(int, eiptest.Sent) (eip.CallResult, error) {
		return eip.CallResult{}, eip.Errorf(eip.ClassTransient, "ServiceUnavailable", "try later")
	}
	rep := f.associate(bind("eip-0001", "i-1"))
	wantFailed(t, rep.Results[0], eip.ClassTransient, "ServiceUnavailable")
	s := f.cloud.Sent()
	if len(s) != 4 {
		t.Fatalf("%d attempts, want 4", len(s))
	}
	// Full jitter: the pause after attempt n is at most Base<<n: 1s, 2s, 4s
	// (the distribution itself is tested in retry_test.go).
	gaps := []time.Duration{s[1].At.Sub(s[0].At), s[2].At.Sub(s[1].At), s[3].At.Sub(s[2].At)}
	for i, g := range gaps {
		if hi := time.Second << i; g < 0 || g > hi {
			t.Fatalf("pause before attempt %d was %s, want at most %s", i+2, g, hi)
		}
	}
}

func TestPacing(t *testing.T) {
	const n, rate = 9, 2.0
	f := newFixture(t, time.Second)
	f.caps.DefaultLimit = eip.Limit{Count: 1, Per: time.Duration(float64(time.Second) / rate)}
	f.engine()
	f.eng.Wait = false
	var items []eip.Binding
	for i, id := range eipIDs(1, n) {
		items = append(items, bind(id, fmt.Sprintf("i-%d", i)))
	}
	start := f.clk.Now()
	f.associate(items...)
	s := f.cloud.Sent()
	if len(s) != n {
		t.Fatalf("%d calls, want %d", len(s), n)
	}
	var last time.Time
	for _, x := range s {
		if x.At.After(last) {
			last = x.At
		}
	}
	min := time.Duration(float64(n-1) / rate * float64(time.Second))
	if got := last.Sub(start); got < min {
		t.Fatalf("%d calls at %.0f/s went out within %s, want at least %s", n, rate, got, min)
	}
}

func TestPollSchedule(t *testing.T) {
	s := eip.DefaultSchedule
	want := []time.Duration{500 * time.Millisecond, 750 * time.Millisecond, 1125 * time.Millisecond,
		1687500 * time.Microsecond, 2531250 * time.Microsecond, 3796875 * time.Microsecond, 5 * time.Second, 5 * time.Second}
	for n, w := range want {
		if got := s.Delay(n); got != w {
			t.Errorf("Delay(%d) = %s, want %s", n, got, w)
		}
	}
	if got := s.Delay(1000); got != 5*time.Second {
		t.Errorf("Delay(1000) = %s, want the 5s cap", got)
	}
	custom := eip.Schedule{Initial: time.Second, Factor: 2, Max: 3 * time.Second}
	if got := custom.Delay(1); got != 2*time.Second {
		t.Errorf("custom Delay(1) = %s, want 2s", got)
	}
	if got := custom.Delay(2); got != 3*time.Second {
		t.Errorf("custom Delay(2) = %s, want the 3s cap", got)
	}
}

func TestWaitFollowsSchedule(t *testing.T) {
	f := newFixture(t, 10*time.Second)
	var seen []eip.State
	f.engine()
	f.eng.Observe = func(ev eip.Event) {
		if ev.State != "" {
			seen = append(seen, ev.State)
		}
	}
	wantStatus(t, f.associate(bind("eip-0001", "i-1")), eip.StatusAssociated)
	sl := f.clk.Sleeps()
	if len(sl) < 5 {
		t.Fatalf("%d poll rounds for a 10s binding, want several", len(sl))
	}
	for i, d := range sl {
		if d != eip.DefaultSchedule.Delay(i) {
			t.Fatalf("poll pauses %v: round %d paused %s, want %s", sl, i, d, eip.DefaultSchedule.Delay(i))
		}
	}
	if len(seen) != 2 || seen[0] != eip.StateAssociating || seen[1] != eip.StateAssociated {
		t.Fatalf("observed states %v, want associating then associated", seen)
	}
}

func TestTimeout(t *testing.T) {
	f := newFixture(t, time.Hour)
	f.engine()
	f.eng.Timeout = 20 * time.Second
	start := f.clk.Now()
	rep := f.associate(bind("eip-0001", "i-1"))
	r := rep.Results[0]
	if r.Status != eip.StatusTimeout || r.Error == nil || r.Error.Code != "Timeout" || !strings.Contains(r.Error.Message, "--timeout") {
		t.Fatalf("row %+v error %+v, want timeout naming --timeout", r, r.Error)
	}
	if s := rep.Summary(); s.TimedOut != 1 || s.Total != 1 {
		t.Fatalf("summary %+v, want 1 timed out", s)
	}
	if got := f.clk.Now().Sub(start); got != 20*time.Second {
		t.Fatalf("gave up after %s, want exactly the 20s timeout", got)
	}
}

func TestBindingThatFallsBackFails(t *testing.T) {
	f := newFixture(t, 2*time.Second)
	f.cloud.FailBinding("eip-0001")
	rep := f.associate(bind("eip-0001", "i-1"), bind("eip-0002", "i-2"))
	wantFailed(t, rep.Results[0], eip.ClassTransient, "BindingFailed")
	if rep.Results[1].Status != eip.StatusAssociated {
		t.Fatalf("the other EIP: %+v, want associated", rep.Results[1])
	}
}

func TestBoundElsewhereWhileWaitingIsConflict(t *testing.T) {
	f := newFixture(t, 2*time.Second)
	f.cloud.OnRun = func(int, eiptest.Sent) (eip.CallResult, error) {
		f.cloud.Set("eip-0001", eip.StateAssociated, "i-other", eip.Instance) // someone else won the race
		return eip.CallResult{}, nil
	}
	rep := f.associate(bind("eip-0001", "i-1"))
	wantFailed(t, rep.Results[0], eip.ClassConflict, "AlreadyBound")
	if !strings.Contains(rep.Results[0].Error.Message, "i-other") {
		t.Fatalf("message %q does not name the other holder", rep.Results[0].Error.Message)
	}
}

func TestStartingStates(t *testing.T) {
	f := newFixture(t, 2*time.Second)
	f.cloud.Set("eip-0001", eip.StateAssociated, "i-1", eip.Instance)
	f.cloud.Set("eip-0002", eip.StateAssociated, "i-9", eip.Instance)
	f.cloud.Set("eip-0003", eip.StateAssociating, "i-3", eip.Instance)
	f.cloud.Set("eip-0004", eip.StateDisassociating, "i-4", eip.Instance)
	f.engine()
	f.eng.Wait = false
	rep := f.associate(bind("eip-0001", "i-1"), bind("eip-0002", "i-2"), bind("eip-0003", "i-3"), bind("eip-0004", "i-4"), bind("eip-0999", "i-5"))
	if r := rep.Results[0]; r.Status != eip.StatusUnchanged || r.Error != nil {
		t.Errorf("already bound to its target: %+v, want unchanged", r)
	}
	wantFailed(t, rep.Results[1], eip.ClassConflict, "AlreadyBound")
	if !strings.Contains(rep.Results[1].Error.Message, "eipctl eip disassociate") {
		t.Errorf("bound elsewhere: %q does not say how to unbind", rep.Results[1].Error.Message)
	}
	if r := rep.Results[2]; r.Status != eip.StatusPending {
		t.Errorf("already on its way to its target: %+v, want pending (not resent)", r)
	}
	wantFailed(t, rep.Results[3], eip.ClassConflict, "IncorrectStatus")
	wantFailed(t, rep.Results[4], eip.ClassNotFound, "EipNotFound")
	if !strings.Contains(rep.Results[4].Error.Message, "eipctl eip list") {
		t.Errorf("not found: %q does not say how to list EIPs", rep.Results[4].Error.Message)
	}
	if s := f.cloud.Sent(); len(s) != 0 {
		t.Fatalf("sent %+v, want nothing", s)
	}
}

func TestTaskWatcherFailure(t *testing.T) {
	f := newFixture(t, time.Hour)
	var mu sync.Mutex
	var checks [][]string
	f.prov = eiptest.TaskProvider{
		Provider: f.cloud.Provider(f.caps),
		CheckTasksFunc: func(_ context.Context, _ string, tasks []string) (map[string]eip.TaskState, error) {
			mu.Lock()
			defer mu.Unlock()
			checks = append(checks, tasks)
			if len(checks) < 2 {
				return map[string]eip.TaskState{"task-1": {}}, nil
			}
			return map[string]eip.TaskState{"task-1": {Done: true, Err: eip.Errorf(eip.ClassConflict, "TaskFailed", "the gateway refused it")}}, nil
		},
	}
	f.cloud.OnRun = func(int, eiptest.Sent) (eip.CallResult, error) {
		return eip.CallResult{Tasks: map[string][]string{"task-1": {"eip-0001", "eip-0002"}}}, nil
	}
	rep := f.associate(binds("ngw-1", "eip-0001", "eip-0002")...)
	for _, r := range rep.Results {
		wantFailed(t, r, eip.ClassConflict, "TaskFailed")
	}
	for _, c := range checks {
		if len(c) != 1 || c[0] != "task-1" {
			t.Fatalf("task checks %v, want one handle per check however many EIPs it covers", checks)
		}
	}
	if len(checks) != 2 {
		t.Fatalf("%d task checks, want 2 (one per round until the task ends)", len(checks))
	}
}

func TestTaskDoneLeavesTheStatusToDecide(t *testing.T) {
	f := newFixture(t, 3*time.Second)
	f.prov = eiptest.TaskProvider{
		Provider: f.cloud.Provider(f.caps),
		CheckTasksFunc: func(context.Context, string, []string) (map[string]eip.TaskState, error) {
			return map[string]eip.TaskState{"task-1": {Done: true}}, nil
		},
	}
	f.cloud.OnRun = func(int, eiptest.Sent) (eip.CallResult, error) {
		return eip.CallResult{Tasks: map[string][]string{"task-1": {"eip-0001"}}}, nil
	}
	wantStatus(t, f.associate(bind("eip-0001", "i-1")), eip.StatusAssociated)
}

func TestPartlyRefusedCall(t *testing.T) {
	f := newFixture(t, 2*time.Second)
	f.cloud.OnRun = func(int, eiptest.Sent) (eip.CallResult, error) {
		return eip.CallResult{Failed: map[string]*eip.Error{"eip-0002": eip.Errorf(eip.ClassInvalid, "EIP_STATUS_INVALID", "not allowed")}}, nil
	}
	rep := f.associate(binds("ngw-1", eipIDs(1, 3)...)...)
	if rep.Results[0].Status != eip.StatusAssociated || rep.Results[2].Status != eip.StatusAssociated {
		t.Fatalf("rows %+v, want the accepted EIPs associated", rep.Results)
	}
	wantFailed(t, rep.Results[1], eip.ClassInvalid, "EIP_STATUS_INVALID")
	if s := rep.Summary(); s.Associated != 2 || s.Failed != 1 || s.Total != 3 {
		t.Fatalf("summary %+v, want 2 associated, 1 failed", s)
	}
	if a := f.cloud.Addr("eip-0002"); a.State != eip.StateAvailable {
		t.Fatalf("refused EIP is %s, want still available", a.State)
	}
}

func TestCanceledBeforeSubmitSendsNothing(t *testing.T) {
	f := newFixture(t, 2*time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f.cloud.OnDescribe = func([]string) error { cancel(); return nil } // Ctrl-C while reading
	rep, err := f.engine().Associate(ctx, binds("ngw-1", eipIDs(1, 60)...))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Results {
		if r.Status != eip.StatusPending || r.Error == nil || r.Error.Code != "Interrupted" {
			t.Fatalf("%s: %s %v, want pending Interrupted (never sent)", r.EIPID, r.Status, r.Error)
		}
	}
	if !rep.Interrupted {
		t.Error("report not marked interrupted")
	}
	if s := f.cloud.Sent(); len(s) != 0 {
		t.Fatalf("%d calls sent after cancellation, want 0", len(s))
	}
}

func TestCanceledWhileWaiting(t *testing.T) {
	f := newFixture(t, time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f.cloud.OnDescribe = func([]string) error {
		if len(f.cloud.Sent()) > 0 {
			cancel()
		}
		return nil
	}
	rep, err := f.engine().Associate(ctx, []eip.Binding{bind("eip-0001", "i-1")})
	if err != nil {
		t.Fatal(err)
	}
	// It was sent and may be bound: pending, never failed.
	if r := rep.Results[0]; r.Status != eip.StatusPending || r.Error == nil || r.Error.Code != "Interrupted" {
		t.Fatalf("%s %v, want pending Interrupted", r.Status, r.Error)
	}
	if !strings.Contains(rep.Results[0].Error.Message, "eipctl eip list") {
		t.Fatalf("message %q should say how to check later", rep.Results[0].Error.Message)
	}
}

func TestDryRun(t *testing.T) {
	f := newFixture(t, 2*time.Second)
	f.engine()
	f.eng.DryRun = true
	rep := f.associate(append(binds("ngw-1", eipIDs(1, 2)...), bind("eip-0003", "i-1"))...)
	wantStatus(t, rep, eip.StatusPlanned)
	if len(rep.Requests) != 2 {
		t.Fatalf("planned %+v, want 2 native requests", rep.Requests)
	}
	for _, r := range rep.Requests {
		if r.Provider != "fake" || r.Region != region || r.Action != "Associate" || r.Params == nil {
			t.Fatalf("planned %+v, want provider, region, action and params", r)
		}
	}
	if s := f.cloud.Sent(); len(s) != 0 {
		t.Fatalf("dry run sent %d calls", len(s))
	}
	if s := rep.Summary(); s.Planned != 3 || s.Pending != 0 {
		t.Fatalf("summary %+v, want the planned rows counted as planned, not pending", s)
	}
}

func TestEIPByAddress(t *testing.T) {
	f := newFixture(t, time.Second)
	a1, a2 := f.cloud.Addr("eip-0001"), f.cloud.Addr("eip-0002")
	rep := f.associate(bind(a1.IP, "i-1"), bind(a2.IP, "i-2"), bind("203.0.113.9", "i-3"))
	for i, a := range []eip.Address{a1, a2} {
		if r := rep.Results[i]; r.Status != eip.StatusAssociated || r.EIPID != a.ID || r.IP != a.IP {
			t.Fatalf("row %+v, want %s (%s) associated", r, a.ID, a.IP)
		}
	}
	wantFailed(t, rep.Results[2], eip.ClassNotFound, "EipNotFound")
	if !strings.Contains(rep.Results[2].Error.Message, "203.0.113.9") {
		t.Fatalf("message %q does not name the address", rep.Results[2].Error.Message)
	}
	if n := f.cloud.Lists(); n != 1 {
		t.Fatalf("%d List calls to resolve 3 addresses in one region, want 1", n)
	}
}

func TestSameEIPByIDAndAddressIsUsageError(t *testing.T) {
	f := newFixture(t, time.Second)
	ip := f.cloud.Addr("eip-0002").IP
	_, err := f.engine().Associate(context.Background(), binds("ngw-1", "eip-0001", "eip-0002", ip))
	if !eip.IsUsage(err) || !strings.Contains(err.Error(), "item 3: EIP eip-0002 is listed twice, as "+ip+" here and as eip-0002 in item 2") {
		t.Fatalf("error %v, want a usage error naming both items", err)
	}
	_, err = f.engine().Disassociate(context.Background(), []eip.Unbinding{
		{Provider: "fake", Region: region, EIP: ip}, {Provider: "fake", Region: region, EIP: "eip-0002"}})
	if !eip.IsUsage(err) || !strings.Contains(err.Error(), "item 2: EIP eip-0002 is listed twice, as eip-0002 here and as "+ip+" in item 1") {
		t.Fatalf("disassociate: error %v, want a usage error", err)
	}
	if s := f.cloud.Sent(); len(s) != 0 {
		t.Fatalf("sent %+v, want nothing", s)
	}
}

func TestDisassociate(t *testing.T) {
	f := newFixture(t, 2*time.Second)
	f.cloud.Set("eip-0001", eip.StateAssociated, "ngw-1", eip.NAT)
	f.cloud.Set("eip-0002", eip.StateAssociated, "ngw-1", eip.NAT)
	rep, err := f.engine().Disassociate(context.Background(), []eip.Unbinding{
		{Provider: "fake", Region: region, EIP: "eip-0001"},
		{Provider: "fake", Region: region, EIP: "eip-0002"},
		{Provider: "fake", Region: region, EIP: "eip-0003"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if r := rep.Results[0]; r.Status != eip.StatusDisassociated || r.TargetID != "ngw-1" || r.TargetType != eip.NAT {
		t.Fatalf("row %+v, want disassociated from NAT ngw-1", r)
	}
	if r := rep.Results[2]; r.Status != eip.StatusUnchanged {
		t.Fatalf("row %+v, want unchanged for an EIP already free", r)
	}
	if s := f.cloud.Sent(); len(s) != 1 || len(s[0].EIPs) != 2 {
		t.Fatalf("sent %+v, want one batched call for the two EIPs on ngw-1", s)
	}
	if s := rep.DisassociateSummary(); s != (eip.DisassociateSummary{Total: 3, Disassociated: 2, Unchanged: 1}) {
		t.Fatalf("summary %+v", s)
	}
}

func TestSummaryCounts(t *testing.T) {
	rep := &eip.Report{}
	for _, s := range []eip.Status{eip.StatusAssociated, eip.StatusAssociated, eip.StatusUnchanged, eip.StatusPending,
		eip.StatusPlanned, eip.StatusFailed, eip.StatusTimeout, eip.StatusTimeout, eip.StatusDisassociated, eip.StatusMoved} {
		rep.Results = append(rep.Results, eip.Result{Status: s})
	}
	if got, want := rep.Summary(), (eip.Summary{Total: 10, Associated: 2, Moved: 1, Unchanged: 1, Pending: 1, Planned: 1, Failed: 1, TimedOut: 2}); got != want {
		t.Errorf("Summary() = %+v, want %+v", got, want)
	}
	if got, want := rep.DisassociateSummary(), (eip.DisassociateSummary{Total: 10, Disassociated: 1, Unchanged: 1, Pending: 1, Planned: 1, Failed: 1, TimedOut: 2}); got != want {
		t.Errorf("DisassociateSummary() = %+v, want %+v", got, want)
	}
}
