package emulator

import (
	"time"

	"github.com/eipctl/eipctl/pkg/sim"
)

// task is an asynchronous job as DescribeTaskResult and DescribeVpcTaskResult
// report it: RUNNING until its transition ends, then SUCCESS or FAILED.
type task struct {
	eips  []string
	until time.Time
	fail  bool
}

// track adds an EIP to the task, which runs until its last EIP settles.
func (t *task) track(e *sim.EIP, now time.Time) {
	t.eips = append(t.eips, e.ID)
	if u := untilOf(e, now); u.After(t.until) {
		t.until = u
	}
}

func (t *task) result(now time.Time) string {
	switch {
	case now.Before(t.until):
		return "RUNNING"
	case t.fail:
		return "FAILED"
	}
	return "SUCCESS"
}

// maxTasks bounds the memory a long-running `sim serve` spends on tasks.
const maxTasks = 100000

func (f *front) addTask(t *task) uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.prune()
	f.nextTask++
	f.tasks[f.nextTask] = t
	return f.nextTask
}

func (f *front) addVpcTask(requestID string, t *task) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.prune()
	f.vpcTasks[requestID] = t
}

// prune drops tasks finished an hour ago once there are many; f.mu is held.
func (f *front) prune() {
	if len(f.tasks)+len(f.vpcTasks) < maxTasks {
		return
	}
	old := f.s.Clock().Now().Add(-time.Hour)
	for k, t := range f.tasks {
		if t.until.Before(old) {
			delete(f.tasks, k)
		}
	}
	for k, t := range f.vpcTasks {
		if t.until.Before(old) {
			delete(f.vpcTasks, k)
		}
	}
}

// untilOf is when an EIP's current transition ends (now if it already has).
func untilOf(e *sim.EIP, now time.Time) time.Time {
	if e.Until.IsZero() {
		return now
	}
	return e.Until
}

// lookup finds a task by its key under f.mu.
func lookup[K comparable](f *front, tasks map[K]*task, k K) (*task, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	t, ok := tasks[k]
	return t, ok
}

func (f *front) describeTaskResult(c *call) (map[string]any, *apiError) {
	id, present, err := c.params.uint("TaskId")
	if err != nil {
		return nil, err
	}
	if !present {
		if _, ok := c.params.str("DealName"); ok {
			return nil, errorf(codeInvalidParameter, "The emulator tracks tasks by TaskId only; DealName is not supported.")
		}
		return nil, errorf(codeMissingParameter, "The request is missing TaskId (or DealName).")
	}
	t, ok := lookup(f, f.tasks, id)
	if !ok {
		return nil, errorf(codeInvalidParameter, "The task %d does not exist.", id)
	}
	return map[string]any{"TaskId": id, "Result": t.result(f.s.Clock().Now())}, nil
}

func (f *front) describeVpcTaskResult(c *call) (map[string]any, *apiError) {
	id, _ := c.params.str("TaskId")
	if id == "" {
		return nil, errorf(codeMissingParameter, "The request is missing the required parameter TaskId.")
	}
	t, ok := lookup(f, f.vpcTasks, id)
	if !ok {
		return nil, errorf(codeResourceNotFound, "The task %s does not exist: TaskId is the RequestId of the asynchronous call.", id)
	}
	st := t.result(f.s.Clock().Now())
	details := []map[string]string{}
	for _, e := range t.eips {
		details = append(details, map[string]string{"ResourceId": e, "Status": st})
	}
	return map[string]any{"Status": st, "Output": "", "Result": details}, nil
}
