// Package emulator speaks Tencent Cloud's VPC API (2017-03-12) over the
// emulator core: TC3-HMAC-SHA256 signatures, the Response envelope (always
// HTTP 200), the EIP association calls and their asynchronous tasks. The
// official Go SDK works against it unchanged.
package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/eipctl/eipctl/pkg/sim"
)

const provider = "tencent"

// Profile seeds the Tencent part of the emulated world. IDs look like the
// cloud's (eip-gz000001, ins-sh000003).
var Profile = sim.Profile{
	Provider: provider,
	Regions: []sim.RegionSpec{
		{Name: "ap-guangzhou", Code: "gz", IPPrefix: "119.29."},
		{Name: "ap-shanghai", Code: "sh", IPPrefix: "101.226."},
		{Name: "ap-beijing", Code: "bj", IPPrefix: "49.232."},
	},
	Prefix: map[string]string{
		"eip":      "eip-",
		"instance": "ins-",
		"eni":      "eni-",
		"nat":      "nat-",
		"lb":       "lb-",
		"havip":    "havip-",
	},
	Digits: 6,
	Status: status,
	Credentials: sim.Credential{
		ID:     "AKIDeipctlEmulatorTencent",
		Secret: "eipctl-emulator-tencent-secret",
	},
}

// status is the AddressStatus word for an EIP. An EIP on an ENI reads
// BIND_ENI, as it does on the cloud for an ENI not attached to an instance.
func status(e *sim.EIP) string {
	switch e.Phase {
	case sim.Associating:
		return "BINDING"
	case sim.Bound:
		if e.TargetType == "eni" {
			return "BIND_ENI"
		}
		return "BIND"
	case sim.Unassociating:
		return "UNBINDING"
	}
	return "UNBIND"
}

// limits are the documented per-second limits, enforced per credential and
// action: 10/s for AssociateAddress (seed page), 20/s for DescribeAddresses.
var limits = map[string]int{
	"AssociateAddress":  10,
	"DescribeAddresses": 20,
}

// mutating lists the actions that change state, for the journal.
var mutating = map[string]bool{
	"AssociateAddress":              true,
	"DisassociateAddress":           true,
	"AssociateNatGatewayAddress":    true,
	"DisassociateNatGatewayAddress": true,
	"HaVipAssociateAddressIp":       true,
	"HaVipDisassociateAddressIp":    true,
}

// binds lists the actions a fail-binding fault applies to.
var binds = map[string]bool{
	"AssociateAddress":           true,
	"AssociateNatGatewayAddress": true,
	"HaVipAssociateAddressIp":    true,
}

type handler func(f *front, c *call) (map[string]any, *apiError)

var handlers = map[string]handler{
	"DescribeAddresses":             (*front).describeAddresses,
	"AssociateAddress":              (*front).associateAddress,
	"DisassociateAddress":           (*front).disassociateAddress,
	"DescribeTaskResult":            (*front).describeTaskResult,
	"AssociateNatGatewayAddress":    (*front).associateNatGatewayAddress,
	"DisassociateNatGatewayAddress": (*front).disassociateNatGatewayAddress,
	"HaVipAssociateAddressIp":       (*front).haVipAssociateAddressIp,
	"HaVipDisassociateAddressIp":    (*front).haVipDisassociateAddressIp,
	"DescribeVpcTaskResult":         (*front).describeVpcTaskResult,
}

// front is the Tencent protocol over one Sim. Tasks live only in memory: they
// matter while a run waits, and the EIP state they describe is persisted by
// the core anyway.
type front struct {
	s *sim.Sim

	mu       sync.Mutex
	nextTask uint64
	tasks    map[uint64]*task // DescribeTaskResult, keyed by TaskId
	vpcTasks map[string]*task // DescribeVpcTaskResult, keyed by the RequestId
}

// New returns the Tencent front for s.
func New(s *sim.Sim) sim.Front {
	return &front{
		s:        s,
		nextTask: uint64(s.Clock().Now().Unix()%1000000) * 100,
		tasks:    map[uint64]*task{},
		vpcTasks: map[string]*task{},
	}
}

func (f *front) Provider() string { return provider }

// Match claims requests that carry Tencent's action header.
func (f *front) Match(r *http.Request) bool { return r.Header.Get("X-TC-Action") != "" }

// call is one authenticated request on its way to a handler.
type call struct {
	region    string
	params    params
	requestID string
	fault     *sim.Fault
}

func (f *front) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	requestID := strings.ToLower(sim.RequestID())
	action := r.Header.Get("X-TC-Action")
	f.s.Record(provider, action, mutating[action])

	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeError(w, requestID, errorf(codeInvalidParameter, "The request body could not be read."))
		return
	}
	cred := Profile.Credentials
	if p, ok := f.s.Profile(provider); ok {
		cred = p.Credentials
	}
	secretID, aerr := verify(r, body, cred.ID, cred.Secret, f.s.Clock().Now())
	if aerr != nil {
		writeError(w, requestID, aerr)
		return
	}
	h, ok := handlers[action]
	if !ok {
		writeError(w, requestID, errorf(codeInvalidAction, "The action %s does not exist in VPC 2017-03-12.", action))
		return
	}
	region := r.Header.Get("X-TC-Region")
	if region == "" {
		writeError(w, requestID, errorf(codeMissingParameter, "The request is missing the required parameter Region (header X-TC-Region)."))
		return
	}
	if !f.knownRegion(region) {
		writeError(w, requestID, errorf(codeUnsupportedRegion, "The region %s is not supported: use one of %s.", region, strings.Join(Profile.RegionNames(), ", ")))
		return
	}
	if n, ok := limits[action]; ok && !f.s.Allow(provider+"/"+secretID+"/"+action, n) {
		writeError(w, requestID, errorf(codeRequestLimit, "Your current request times equals to `%d` in a second, which exceeds the frequency limit `%d` for a second. Please reduce the frequency of calls.", n+1, n))
		return
	}
	c := &call{region: region, requestID: requestID}
	if fault := f.s.TakeFault(provider, action, binds[action]); fault != nil {
		switch fault.Kind {
		case sim.FaultThrottle:
			writeError(w, requestID, errorf(codeRequestLimit, "Your current request times exceeds the frequency limit for a second. Please reduce the frequency of calls."))
			return
		case sim.FaultUnavailable:
			writeError(w, requestID, errorf(codeInternalError, "An internal error has occurred. Retry your request, but if the problem persists, contact us."))
			return
		case sim.FaultConflict:
			writeError(w, requestID, errorf(codeMutexTask, "A mutually exclusive task is running: retry after it finishes."))
			return
		case sim.FaultReset:
			sim.Reset(w)
			return
		case sim.FaultLatency:
			if err := f.s.Clock().Sleep(r.Context(), fault.Delay); err != nil {
				return
			}
		case sim.FaultFailBinding:
			c.fault = fault
		}
	}
	c.params, aerr = readParams(r, body)
	if aerr != nil {
		writeError(w, requestID, aerr)
		return
	}
	out, aerr := h(f, c)
	if aerr != nil {
		writeError(w, requestID, aerr)
		return
	}
	out["RequestId"] = requestID
	sim.WriteJSON(w, http.StatusOK, map[string]any{"Response": out})
}

func (f *front) knownRegion(name string) bool {
	found := false
	_ = f.s.View(provider, func(c *sim.Cloud) { _, found = c.Region(name) })
	return found
}

// failBinding reports whether an injected fail-binding fault applies.
func (c *call) failBinding() bool {
	return c.fault != nil && c.fault.Kind == sim.FaultFailBinding
}

// writeError answers like the cloud: HTTP 200, the error inside Response.
func writeError(w http.ResponseWriter, requestID string, e *apiError) {
	sim.WriteJSON(w, http.StatusOK, map[string]any{"Response": map[string]any{
		"Error":     map[string]string{"Code": e.Code, "Message": e.Message},
		"RequestId": requestID,
	}})
}

// readParams takes the business parameters from a JSON body (POST) or from
// 0-based flattened query parameters (GET: AddressIds.0=..., Filters.0.Name=...).
func readParams(r *http.Request, body []byte) (params, *apiError) {
	if r.Method == http.MethodGet {
		return unflatten(r.URL.Query()), nil
	}
	p := params{}
	if len(bytes.TrimSpace(body)) == 0 {
		return p, nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&p); err != nil {
		return nil, errorf(codeInvalidParamFormat, "The request body is not a JSON object: %v.", err)
	}
	return p, nil
}

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
