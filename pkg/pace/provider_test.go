package pace_test

import (
	"context"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/clock"
	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/eip/eiptest"
	"github.com/eipctl/eipctl/pkg/pace"
)

// throttledTwice is a cloud whose reads are throttled twice, then answered;
// it records when each read arrived.
func throttledTwice(clk clock.Clock, at *[]time.Time) *eiptest.Provider {
	caps := eiptest.DefaultCaps()
	caps.Limits = map[string]eip.Limit{"DescribeAddresses": {Count: 2, Per: time.Second}}
	caps.Actions = map[string]string{eip.ActionDescribe: "DescribeAddresses", eip.ActionList: "DescribeAddresses"}
	read := func() ([]eip.Address, error) {
		*at = append(*at, clk.Now())
		if len(*at) <= 2 {
			return nil, eip.Errorf(eip.ClassThrottled, "RequestLimitExceeded", "slow down")
		}
		return []eip.Address{{ID: "eip-1", State: eip.StateAvailable}}, nil
	}
	return &eiptest.Provider{Caps: caps,
		DescribeFunc: func(context.Context, string, []string) ([]eip.Address, error) { return read() },
		ListFunc:     func(context.Context, string) ([]eip.Address, error) { return read() },
	}
}

// A throttled read is waited out by every command that reads (list,
// describe, wait, doctor), not reported as a failure on the first answer.
func TestProviderRetriesThrottledReads(t *testing.T) {
	for _, read := range []string{"Describe", "List"} {
		t.Run(read, func(t *testing.T) {
			clk := clock.NewFake(time.Unix(0, 0))
			var at []time.Time
			w := pace.Wrap(throttledTwice(clk, &at), "fake", pace.Options{Clock: clk})
			var as []eip.Address
			var err error
			if read == "Describe" {
				as, err = w.Describe(context.Background(), "r1", []string{"eip-1"})
			} else {
				as, err = w.List(context.Background(), "r1")
			}
			if err != nil || len(as) != 1 || len(at) != 3 {
				t.Fatalf("got %v, %v after %d reads; want the third read's answer", as, err, len(at))
			}
			if !at[2].After(at[0]) {
				t.Fatalf("the retries did not wait: reads at %v", at)
			}
		})
	}
}

// Two wrappers of one adapter (the CLI's and the engine's) spend one budget:
// with 2 reads a second, the reads of both never exceed it.
func TestWrappersShareOneBudget(t *testing.T) {
	clk := clock.NewFake(time.Unix(0, 0))
	var at []time.Time
	caps := eiptest.DefaultCaps()
	caps.Limits = map[string]eip.Limit{"DescribeAddresses": {Count: 2, Per: time.Second}}
	caps.Actions = map[string]string{eip.ActionDescribe: "DescribeAddresses", eip.ActionList: "DescribeAddresses"}
	p := &eiptest.Provider{Caps: caps, DescribeFunc: func(context.Context, string, []string) ([]eip.Address, error) {
		at = append(at, clk.Now())
		return nil, nil
	}}
	cli := pace.Wrap(p, "fake", pace.Options{Clock: clk})
	eng := pace.Wrap(cli, "fake", pace.Options{Clock: clk, Retry: pace.RetryPolicy{Attempts: 1}})
	if eng.Pacers != cli.Pacers || eng.Provider != eip.Provider(p) {
		t.Fatal("wrapping a wrapper made a second budget or a second layer")
	}
	for i := 0; i < 3; i++ {
		if _, err := cli.Describe(context.Background(), "r1", nil); err != nil {
			t.Fatal(err)
		}
		if _, err := eng.Describe(context.Background(), "r1", nil); err != nil {
			t.Fatal(err)
		}
	}
	for i := 2; i < len(at); i++ {
		if at[i].Sub(at[i-2]) < time.Second {
			t.Fatalf("three reads within a second of the 2/s limit: %v", at)
		}
	}
}

// A cloud without tasks has none to check, and says so.
func TestCheckTasksWithoutTasks(t *testing.T) {
	w := pace.Wrap(&eiptest.Provider{Caps: eiptest.DefaultCaps()}, "fake", pace.Options{})
	if w.WatchesTasks() {
		t.Fatal("a cloud without tasks watches tasks")
	}
	if st, err := w.CheckTasks(context.Background(), "r1", []string{"t-1"}); st != nil || err != nil {
		t.Fatalf("CheckTasks = %v, %v", st, err)
	}
}
