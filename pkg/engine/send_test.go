package engine_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/pace"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/eip/eiptest"
)

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
	// With no pace and no retries, every pause is followed by a poll round,
	// or by none when a row joining the watch woke it early; each round (and
	// the first read) costs ceil(20/7) = 3 describes, whatever the EIP count.
	pauses := len(f.clk.Sleeps())
	if len(ds) < 9 || len(ds)%3 != 0 || len(ds) > 3*(1+pauses) {
		t.Fatalf("%d describes over %d pauses, want 3 per round, 3 to start, at least two rounds", len(ds), pauses)
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

// A token the user gives is carried as given, or suffixed per chunk.
func TestClientTokensGiven(t *testing.T) {
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
	t.Run("suffixed tokens fit the cloud's maximum", func(t *testing.T) {
		f := newFixture(t, time.Second)
		f.caps.Syntax = &eip.Syntax{ClientTokenMax: 64, ClientTokenASCII: true}
		long := strings.Repeat("t", 64)
		items := binds("ngw-1", eipIDs(1, 120)...)
		for i := range items {
			items[i].ClientToken = long
		}
		wantStatus(t, f.associate(items...), eip.StatusAssociated)
		// Chunks go out side by side, so in any order: each carries a
		// distinct token of at most 64 bytes ending in its own number.
		seen, ends := map[string]bool{}, map[string]bool{}
		for _, s := range f.cloud.Sent() {
			if len(s.Token) > 64 || seen[s.Token] {
				t.Fatalf("token %q (%d bytes): want a distinct token of at most 64", s.Token, len(s.Token))
			}
			seen[s.Token] = true
			ends[s.Token[strings.LastIndex(s.Token, "-"):]] = true
		}
		for n := 1; n <= len(seen); n++ {
			if !ends[fmt.Sprintf("-%d", n)] {
				t.Errorf("no chunk's token ends -%d: %v", n, seen)
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
}

// Without one, eipctl makes one per chunk, and keeps it over retries.
func TestClientTokensGenerated(t *testing.T) {
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
	f.eng.Retry = pace.RetryPolicy{Attempts: 4, Base: time.Second, Max: 8 * time.Second}
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
