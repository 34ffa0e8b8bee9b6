package engine_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/eip/eiptest"
)

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

// A signal that cancels the run while its first reads are out sends nothing:
// the rows cut short are pending, say nothing was sent, and name no holder
// they never read; a row whose request did go out keeps its own words.
func TestCanceledDuringFirstRead(t *testing.T) {
	for _, tc := range []struct {
		name string
		cut  func(f *fixture, cancel func()) []eip.Binding
		sent int // rows whose request went out before the cut
	}{
		{"describe", func(f *fixture, cancel func()) []eip.Binding {
			f.cloud.Set("eip-0002", eip.StateAssociated, "i-9", eip.Instance)
			f.cloud.OnDescribe = func([]string) error { cancel(); return context.Canceled }
			b := bind("eip-0002", "i-2")
			b.Force = true
			return []eip.Binding{bind("eip-0001", "i-1"), b}
		}, 0},
		{"address list", func(f *fixture, cancel func()) []eip.Binding {
			cancelOnList(f, cancel)
			return []eip.Binding{bind(f.cloud.Addr("eip-0001").IP, "i-1")}
		}, 0},
		{"pool list", func(f *fixture, cancel func()) []eip.Binding {
			cancelOnList(f, cancel)
			return []eip.Binding{claimFor(eiptest.Pool(f.t, eipIDs(1, 3)...), "i-1", 1)}
		}, 0},
		{"second chunk", cutSecondChunk, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, time.Hour)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			items := tc.cut(f, cancel)
			rep, err := f.engine().Associate(ctx, items)
			if err != nil {
				t.Fatal(err)
			}
			checkInterrupted(t, rep, len(f.cloud.Sent()), tc.sent)
		})
	}
}

// checkInterrupted: every row of an interrupted run is pending Interrupted;
// the first `sent` rows say the cloud had not confirmed them, the rest that
// nothing was sent and their state is unknown.
func checkInterrupted(t *testing.T, rep *eip.Report, n, sent int) {
	t.Helper()
	if !rep.Interrupted {
		t.Error("report not marked interrupted")
	}
	if n != sent {
		t.Fatalf("%d calls sent, want %d", n, sent)
	}
	for i, r := range rep.Results {
		if r.Status != eip.StatusPending || r.Error == nil || r.Error.Code != "Interrupted" {
			t.Fatalf("%s: %s %+v, want pending Interrupted", r.EIPID, r.Status, r.Error)
		}
		msg := r.Error.Message
		if i < sent {
			if !strings.Contains(msg, "before the cloud confirmed it") {
				t.Fatalf("%s was sent; message %q should say it is unconfirmed", r.EIPID, msg)
			}
			continue
		}
		if r.CurrentTargetID != nil {
			t.Errorf("%s: currentTargetId %q, but its state was never read", r.EIPID, *r.CurrentTargetID)
		}
		if !strings.Contains(msg, "nothing was sent") || !strings.Contains(msg, "unknown") {
			t.Errorf("%s: message %q should say nothing was sent and its state is unknown", r.EIPID, msg)
		}
	}
}

// cutSecondChunk reads one ID a call: eip-0002's first read is cut once
// eip-0001 is sent, and eip-0001 is confirmed only after the cut.
func cutSecondChunk(f *fixture, cancel func()) []eip.Binding {
	f.caps.DescribeBatch = 1
	sent := make(chan struct{})
	var once sync.Once
	f.cloud.OnRun = func(int, eiptest.Sent) (eip.CallResult, error) {
		once.Do(func() { close(sent) })
		return eip.CallResult{}, nil
	}
	canceled := make(chan struct{})
	f.onRead(func(id string, n int) error {
		switch {
		case id == "eip-0002" && n == 1:
			<-sent
			cancel()
			close(canceled)
			return context.Canceled
		case id == "eip-0001" && n > 1:
			<-canceled
		}
		return nil
	})
	return []eip.Binding{bind("eip-0001", "i-1"), bind("eip-0002", "i-2")}
}

// cancelOnList makes the fixture's List cancel the run and fail with it.
func cancelOnList(f *fixture, cancel func()) {
	p := f.cloud.Provider(f.caps)
	p.ListFunc = func(ctx context.Context, _ string) ([]eip.Address, error) {
		cancel()
		return nil, ctx.Err()
	}
	f.prov = p
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
