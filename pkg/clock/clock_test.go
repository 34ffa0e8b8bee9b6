package clock_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/clock"
)

var start = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func TestFakeSleepAdvancesAtOnce(t *testing.T) {
	f := clock.NewFake(start)
	began := time.Now()
	if err := f.Sleep(context.Background(), time.Hour); err != nil {
		t.Fatal(err)
	}
	if got := f.Now().Sub(start); got != time.Hour {
		t.Fatalf("after sleeping an hour the clock moved %s", got)
	}
	if real := time.Since(began); real > time.Second {
		t.Fatalf("a fake hour took %s of real time", real)
	}
	f.Advance(-time.Minute)
	f.Advance(0)
	if got := f.Now().Sub(start); got != time.Hour {
		t.Fatalf("a negative or zero Advance moved the clock to %s", got)
	}
}

func TestFakeSleepHonoursCancellation(t *testing.T) {
	f := clock.NewFake(start)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := f.Sleep(ctx, time.Minute); !errors.Is(err, context.Canceled) {
		t.Fatalf("Sleep on a cancelled context: %v", err)
	}
	if !f.Now().Equal(start) {
		t.Fatal("a cancelled sleep moved the clock")
	}
}

func TestFakeIsSafeForConcurrentSleepers(t *testing.T) {
	f := clock.NewFake(start)
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); _ = f.Sleep(context.Background(), time.Second) }()
	}
	wg.Wait()
	if got := f.Now().Sub(start); got != 50*time.Second {
		t.Fatalf("50 one-second sleeps moved the clock %s", got)
	}
}

func TestRealSleep(t *testing.T) {
	var c clock.Clock = clock.Real{}
	if err := c.Sleep(context.Background(), 0); err != nil {
		t.Fatalf("Sleep(0): %v", err)
	}
	began := time.Now()
	if err := c.Sleep(context.Background(), 20*time.Millisecond); err != nil || time.Since(began) < 20*time.Millisecond {
		t.Fatalf("Sleep(20ms) returned %v after %s", err, time.Since(began))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	began = time.Now()
	if err := c.Sleep(ctx, time.Minute); !errors.Is(err, context.DeadlineExceeded) || time.Since(began) > 10*time.Second {
		t.Fatalf("Sleep(1m) with a 10ms deadline: %v after %s", err, time.Since(began))
	}
}

// Concurrent sleepers waiting for instants move a fake clock to the latest
// instant, not to the sum of their waits: paced requests keep their spacing.
func TestFakeSleepUntilTakesTheLatestInstant(t *testing.T) {
	start := time.Unix(1_700_000_000, 0)
	f := clock.NewFake(start)
	var wg sync.WaitGroup
	for i := 1; i <= 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_ = f.SleepUntil(context.Background(), start.Add(time.Duration(i)*125*time.Millisecond))
		}(i)
	}
	wg.Wait()
	if got := f.Now().Sub(start); got != time.Second {
		t.Fatalf("clock moved %s, want 1s (the latest instant asked for)", got)
	}
	if err := f.SleepUntil(context.Background(), start); err != nil || f.Now().Sub(start) != time.Second {
		t.Fatalf("an instant in the past must not move the clock back")
	}
}
