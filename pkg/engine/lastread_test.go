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

// A failed task (Tencent's DescribeTaskResult FAILED) is read again before
// its row settles: the cloud shows the EIP UNBIND by then, and the row says
// so, not the target the read before the task's answer showed.
func TestFailedTaskIsReadAgain(t *testing.T) {
	f := newFixture(t, time.Hour)
	var mu sync.Mutex
	checks := 0
	f.prov = eiptest.TaskProvider{
		Provider: f.cloud.Provider(f.caps),
		CheckTasksFunc: func(context.Context, string, []string) (map[string]eip.TaskState, error) {
			mu.Lock()
			defer mu.Unlock()
			if checks++; checks < 2 {
				return map[string]eip.TaskState{"task-1": {}}, nil
			}
			f.cloud.Set("eip-0001", eip.StateAvailable, "", "") // the task failed: the cloud undid it
			return map[string]eip.TaskState{"task-1": {Done: true, Err: eip.Errorf(eip.ClassConflict, "TaskFailed", "the gateway refused it")}}, nil
		},
	}
	f.cloud.OnRun = func(int, eiptest.Sent) (eip.CallResult, error) {
		return eip.CallResult{Tasks: map[string][]string{"task-1": {"eip-0001"}}}, nil
	}
	r := f.associate(bind("eip-0001", "ngw-1")).Results[0]
	wantFailed(t, r, eip.ClassConflict, "TaskFailed")
	if r.CurrentTargetID != nil {
		t.Fatalf("currentTargetId %s, but the cloud shows the EIP unbound", *r.CurrentTargetID)
	}
}

// A put-back refused is read again: the row calls the EIP UNBOUND only when
// the read shows it free, and its currentTargetId is what that read shows.
func TestRefusedPutBackSaysWhatTheReadShows(t *testing.T) {
	for _, c := range []struct {
		name   string
		then   func(*eiptest.Cloud) // what the cloud does once the put-back is refused
		holder string
	}{
		{"free", func(*eiptest.Cloud) {}, ""},
		{"taken by a HaVip", func(c *eiptest.Cloud) { c.Set("eip-0001", eip.StateAssociated, "havip-7", eip.HaVip) }, "havip-7"},
	} {
		f := newFixture(t, time.Second)
		f.cloud.Set("eip-0001", eip.StateAssociated, "havip-1", eip.HaVip)
		f.cloud.OnRun = func(_ int, s eiptest.Sent) (eip.CallResult, error) {
			switch s.Target {
			case "i-1":
				return eip.CallResult{}, eip.Errorf(eip.ClassInvalid, "InvalidInstance.NotRunning", "no")
			case "havip-1":
				c.then(f.cloud)
				return eip.CallResult{}, eip.Errorf(eip.ClassInvalid, "UnsupportedOperation.BindEIP", "no")
			}
			return eip.CallResult{}, nil
		}
		r := f.associate(force("eip-0001", "i-1")).Results[0]
		if r.Status != eip.StatusFailed || str(r.CurrentTargetID) != c.holder {
			t.Fatalf("%s: row %s, currentTargetId %q, want failed on %q", c.name, r.Status, str(r.CurrentTargetID), c.holder)
		}
		if unbound := strings.Contains(r.Error.Message, "is UNBOUND"); unbound != (c.holder == "") {
			t.Fatalf("%s: message %q with currentTargetId %q", c.name, r.Error.Message, c.holder)
		}
	}
}

// After a second signal, one last read: a move's EIP already free is not
// reported as still leaving its old holder.
func TestSecondSignalReadsOnceMore(t *testing.T) {
	f := newFixture(t, time.Hour)
	f.cloud.Set("eip-0001", eip.StateAssociated, "i-9", eip.Instance)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	cut := false
	f.cloud.OnDescribe = func([]string) error {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case cut:
			f.cloud.Set("eip-0001", eip.StateAvailable, "", "")
		case len(f.cloud.Sent()) > 0:
			cancel()
			cut = true
		}
		return nil
	}
	rep, err := f.engine().Associate(ctx, []eip.Binding{force("eip-0001", "i-1")})
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Results[0]
	if r.Status != eip.StatusPending || r.CurrentTargetID != nil {
		t.Fatalf("row %s, currentTargetId %q: want pending, on nothing (the last read shows it free)", r.Status, str(r.CurrentTargetID))
	}
	if m := r.Error.Message; strings.Contains(m, "Unassociating") || !strings.Contains(m, "UNBOUND") {
		t.Fatalf("message %q", m)
	}
}

// A refused put-back whose read fails too settles at once, UNBOUND as far
// as eipctl knows: it is not read again and again until the deadline.
func TestRefusedPutBackUnreadSettles(t *testing.T) {
	f := newFixture(t, time.Second)
	f.cloud.Set("eip-0001", eip.StateAssociated, "i-9", eip.Instance)
	var mu sync.Mutex
	refused, after := false, 0
	f.cloud.OnRun = func(_ int, s eiptest.Sent) (eip.CallResult, error) {
		if s.Action != "Associate" {
			return eip.CallResult{}, nil
		}
		mu.Lock()
		defer mu.Unlock()
		refused = refused || s.Target == "i-9"
		return eip.CallResult{}, eip.Errorf(eip.ClassInvalid, "InvalidInstance.NotRunning", "no")
	}
	f.cloud.OnDescribe = func([]string) error {
		mu.Lock()
		defer mu.Unlock()
		if !refused || after > 5 { // past 5: a loop; let it end, and fail below
			return nil
		}
		after++
		return eip.Errorf(eip.ClassAuth, "Forbidden.RAM", "reads not allowed")
	}
	r := f.associate(force("eip-0001", "i-1")).Results[0]
	if r.Status != eip.StatusFailed || !strings.Contains(r.Error.Message, "putting it back on i-9 failed too") {
		t.Fatalf("row %s %+v", r.Status, r.Error)
	}
	if after > 2 {
		t.Fatalf("%d reads after the put-back was refused, want one", after)
	}
}
