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
	// Documented defaults (ratelimits.md): a NAT gateway holds 10 EIPs, a
	// HaVip one, an ENI one per private IP (the core's default).
	Capacity: map[string]int{"nat": 10, "havip": 1},
	Actions:  actions,
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
	case phaseCreating:
		return "CREATING"
	case phaseOffline:
		return "OFFLINING"
	}
	return "UNBIND"
}

// perSecond is a documented "N requests per second" limit.
func perSecond(n int) sim.Limit { return sim.Limit{Count: n, Per: time.Second} }

// actions are the documented per-second limits of each action page
// (ratelimits.md), enforced per SecretId, region and action.
var actions = map[string]sim.Action{
	"AssociateAddress":              {Mutates: true, Binds: true, Limit: perSecond(10)},
	"DisassociateAddress":           {Mutates: true, Limit: perSecond(10)},
	"DescribeAddresses":             {Limit: perSecond(20)},
	"DescribeTaskResult":            {Limit: perSecond(20)},
	"DescribeVpcTaskResult":         {Limit: perSecond(20)},
	"AssociateNatGatewayAddress":    {Mutates: true, Binds: true, Limit: perSecond(100)},
	"DisassociateNatGatewayAddress": {Mutates: true, Limit: perSecond(100)},
	"HaVipAssociateAddressIp":       {Mutates: true, Binds: true, Limit: perSecond(20)},
	"HaVipDisassociateAddressIp":    {Mutates: true, Limit: perSecond(20)},
	// Not actions eipctl sends: served so that an official client can put an
	// EIP in CREATING or OFFLINING. Their limits were not checked: 20/s assumed.
	"AllocateAddresses": {Mutates: true, Limit: perSecond(20)},
	"ReleaseAddresses":  {Mutates: true, Limit: perSecond(20)},
}

type handler func(f *front, c *call) (map[string]any, *apiError)

// handlers serve the actions listed above: the six bind and unbind calls
// through one piece (mutation), the reads on their own.
var handlers = map[string]handler{
	"DescribeAddresses":             (*front).describeAddresses,
	"DescribeTaskResult":            (*front).describeTaskResult,
	"DescribeVpcTaskResult":         (*front).describeVpcTaskResult,
	"AssociateAddress":              mutation(readAssociateAddress),
	"DisassociateAddress":           mutation(readDisassociateAddress),
	"AssociateNatGatewayAddress":    mutation(readAssociateNAT),
	"DisassociateNatGatewayAddress": mutation(readDisassociateNAT),
	"HaVipAssociateAddressIp":       mutation(readHaVipAssociate),
	"HaVipDisassociateAddressIp":    mutation(readHaVipDisassociate),
	"AllocateAddresses":             (*front).allocateAddresses,
	"ReleaseAddresses":              (*front).releaseAddresses,
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

func (f *front) Sim() *sim.Sim { return f.s }

// contentType is exactly what the cloud sends: some official clients compare
// it byte for byte and read any other value's error answers as successes.
const contentType = "application/json"

// Refuse answers the core's common refusals as the cloud does: HTTP 200 with
// Response.Error, and no retry hint.
func (f *front) Refuse(w http.ResponseWriter, kind sim.FaultKind, _ time.Duration) {
	id := strings.ToLower(sim.RequestID())
	switch kind {
	case sim.FaultThrottle:
		writeError(w, id, errorf(codeRequestLimit, "Your current request times exceeds the frequency limit for a second. Please reduce the frequency of calls."))
	case sim.FaultUnavailable:
		writeError(w, id, errorf(codeInternalError, "An internal error has occurred. Retry your request, but if the problem persists, contact us."))
	case sim.FaultBusy:
		// The common error code for a service briefly unavailable (当前服务暂时不可用).
		writeError(w, id, errorf(codeServiceUnavailable, "The service is temporarily unavailable. Please try again later."))
	case sim.FaultSnat:
		// The record has no Tencent code for an EIP that NAT rules use;
		// ResourceInUse is the one both NAT gateway calls list.
		writeError(w, id, errorf(codeResourceInUseAny, "The resource is in use: a NAT gateway rule uses the address."))
	default:
		writeError(w, id, errorf(codeMutexTask, "A mutually exclusive task is running: retry after it finishes."))
	}
}

// Match claims requests that carry Tencent's action header.
func (f *front) Match(r *http.Request) bool { return r.Header.Get("X-TC-Action") != "" }

// call is one authenticated request on its way to a handler.
type call struct {
	region      string
	params      params
	requestID   string
	failBinding bool // an injected fail-binding fault applies
}

func (f *front) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	requestID := strings.ToLower(sim.RequestID())
	action := r.Header.Get("X-TC-Action")
	region := r.Header.Get("X-TC-Region")
	sim.Tag(w, provider, region, action)

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
	if region == "" {
		writeError(w, requestID, errorf(codeMissingParameter, "The request is missing the required parameter Region (header X-TC-Region)."))
		return
	}
	if !f.knownRegion(region) {
		writeError(w, requestID, errorf(codeUnsupportedRegion, "The region %s is not supported: use one of %s.", region, strings.Join(Profile.RegionNames(), ", ")))
		return
	}
	adm, ok := f.s.Admit(w, r, sim.Call{Provider: provider, Region: region, Action: action, Key: secretID}, f)
	if !ok {
		return
	}
	c := &call{region: region, requestID: requestID, failBinding: adm.FailBinding}
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
	sim.WriteJSONAs(w, contentType, http.StatusOK, map[string]any{"Response": out})
}

func (f *front) knownRegion(name string) bool {
	found := false
	_ = f.s.View(provider, func(c *sim.Cloud) { _, found = c.Region(name) })
	return found
}

// writeError answers like the cloud: HTTP 200, the error inside Response.
func writeError(w http.ResponseWriter, requestID string, e *apiError) {
	sim.SetCode(w, e.Code)
	sim.WriteJSONAs(w, contentType, http.StatusOK, map[string]any{"Response": map[string]any{
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
