package engine_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/engine"
	"github.com/eipctl/eipctl/pkg/pace"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/eip/eiptest"
)

func TestPollSchedule(t *testing.T) {
	s := pace.DefaultSchedule
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
	custom := pace.Schedule{Initial: time.Second, Factor: 2, Max: 3 * time.Second}
	if got := custom.Delay(1); got != 2*time.Second {
		t.Errorf("custom Delay(1) = %s, want 2s", got)
	}
	if got := custom.Delay(2); got != 3*time.Second {
		t.Errorf("custom Delay(2) = %s, want the 3s cap", got)
	}
}

// An engine given a Schedule polls on that alone (poll_test.go has the
// adaptive default).
func TestWaitFollowsSchedule(t *testing.T) {
	f := newFixture(t, 10*time.Second)
	var seen []eip.State
	f.engine()
	f.eng.Schedule = pace.DefaultSchedule
	f.eng.Observe = func(ev engine.Event) {
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
		if d != pace.DefaultSchedule.Delay(i) {
			t.Fatalf("poll pauses %v: round %d paused %s, want %s", sl, i, d, pace.DefaultSchedule.Delay(i))
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
