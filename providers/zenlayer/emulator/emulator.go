// Package emulator speaks Zenlayer Cloud API 2.0 for the ZEC service
// (version 2025-09-01) over the cloud-agnostic core in pkg/sim: POST
// /api/v2/zec with the action in x-zc-action, ZC2-HMAC-SHA256 signatures,
// {requestId, response:{...}} answers and non-200 {requestId, code, message}
// errors, so the official SDK works against it unchanged.
package emulator

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"time"

	"github.com/eipctl/eipctl/pkg/sim"
)

// Provider is the name the core and the adapter know this cloud by.
const Provider = "zenlayer"

// Version is the ZEC API version the emulator answers.
const Version = "2025-09-01"

// Path is where every ZEC action is posted.
const Path = "/api/v2/zec"

// Seeded IDs: the protocol notes show no real ZEC ID format, so the emulator
// uses one clear prefix per kind; the adapter infers target types from the
// same prefixes. ZEC binds to a vNIC, never to an instance, so no instances
// are seeded.
var Profile = sim.Profile{
	Provider: Provider,
	Regions: []sim.RegionSpec{
		// Region IDs in the form the ZEC SDK documents ("asia-east-1",
		// "asia-north-1"); IP prefixes from Zenlayer-announced space.
		{Name: "asia-east-1", Code: "ae", IPPrefix: "128.14."},
		{Name: "asia-north-1", Code: "an", IPPrefix: "107.155."},
	},
	Prefix: map[string]string{
		"eip":   "eip-",
		"eni":   "nic-",
		"nat":   "nat-",
		"lb":    "lb-",
		"havip": "havip-",
	},
	Digits: 4,
	Status: Status,
	// ZEC publishes no quotas ("contact us to request a quota increase").
	// Stated defaults: a HaVip holds 10 EIPs (ZEC binds several to one), a
	// NAT gateway 20, a vNIC 10 (several may share one lanIp).
	Capacity: map[string]int{"havip": 10, "nat": 20, "eni": 10},
	Actions: map[string]sim.Action{
		"DescribeEips":          {},
		"AssociateEipAddress":   {Mutates: true, Binds: true},
		"UnassociateEipAddress": {Mutates: true},
	},
	// ZEC publishes no rate limits; the emulator's stated default is 10
	// requests per second per action and access key.
	DefaultLimit: sim.Limit{Count: 10, Per: time.Second},
	Credentials: sim.Credential{
		ID:     "ZLEMULATORKEYID1",
		Secret: "zenlayer-emulator-access-key-password",
	},
}

// Status words. ZEC documents UNBIND, ASSIGNING and BINDED; it documents no
// word for an EIP being released, so the emulator shows UNBINDING then (the
// adapter maps it to "disassociating").
const (
	StatusUnbind    = "UNBIND"
	StatusAssigning = "ASSIGNING"
	StatusBinded    = "BINDED"
	StatusUnbinding = "UNBINDING"
)

// Status gives ZEC's word for an EIP's phase.
func Status(e *sim.EIP) string {
	switch e.Phase {
	case sim.Associating:
		return StatusAssigning
	case sim.Bound:
		return StatusBinded
	case sim.Unassociating:
		return StatusUnbinding
	}
	return StatusUnbind
}

// front is the ZEC protocol over one Sim.
type front struct {
	s    *sim.Sim
	cred sim.Credential
	// now is the wall clock the signature timestamp is checked against.
	// Clients sign with their own wall clock, not with the emulator's
	// (possibly fake) state clock, so the two must not be mixed.
	now func() time.Time
}

// New returns the ZEC front for s.
func New(s *sim.Sim) sim.Front {
	p, ok := s.Profile(Provider)
	if !ok {
		p = Profile
	}
	return &front{s: s, cred: p.Credentials, now: time.Now}
}

func (f *front) Provider() string { return Provider }

func (f *front) Sim() *sim.Sim { return f.s }

// Refuse answers the core's common refusals in ZEC's words. The SDK reads no
// retry hint, so none is sent.
func (f *front) Refuse(w http.ResponseWriter, kind sim.FaultKind, _ time.Duration) {
	switch kind {
	case sim.FaultThrottle:
		writeError(w, &apiError{http.StatusTooManyRequests, "REQUEST_LIMIT_EXCEEDED", "The request rate exceeds the limit. Please try again later."})
	case sim.FaultUnavailable:
		writeError(w, &apiError{http.StatusServiceUnavailable, "SERVICE_TEMPORARY_UNAVAILABLE", "The service is temporarily unavailable. Please try again later."})
	default:
		// Documented by ZEC with HTTP 500 for an EIP whose state forbids the operation.
		writeError(w, &apiError{http.StatusInternalServerError, "OPERATION_DENIED_EIP_STATUS_NOT_SUPPORT", "The operation is not supported in the current status of the elastic IP."})
	}
}

// Match claims the ZEC path; every Zenlayer SDK posts there whatever the action.
func (f *front) Match(r *http.Request) bool {
	return r.URL.Path == Path || r.URL.Path == Path+"/"
}

func (f *front) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeError(w, errInvalidParameter("the request body could not be read"))
		return
	}
	if r.Method != http.MethodPost {
		writeError(w, &apiError{http.StatusMethodNotAllowed, "UNSUPPORTED_HTTP_METHOD", "Zenlayer Cloud API 2.0 accepts POST only"})
		return
	}
	action := r.Header.Get("X-ZC-Action")
	if action == "" {
		writeError(w, errInvalidParameter("the x-zc-action header is missing"))
		return
	}
	sim.Tag(w, Provider, "", action)

	if err := verify(r, body, f.cred.ID, f.cred.Secret, f.now()); err != nil {
		writeError(w, &apiError{http.StatusUnauthorized, "AUTHFAILURE_SIGNATURE_FAILURE", err.Error()})
		return
	}
	var keyID string
	if a, err := parseAuthorization(r.Header.Get("Authorization")); err == nil {
		keyID = a.credential
	}
	adm, ok := f.s.Admit(w, r, sim.Call{Provider: Provider, Action: action, Key: keyID}, f)
	if !ok {
		return
	}
	failBinding := adm.FailBinding

	if v := r.Header.Get("X-ZC-Version"); v != Version {
		writeError(w, errInvalidParameter("x-zc-version %q is not served by the emulator: use %s", v, Version))
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		writeError(w, errInvalidParameter("Content-Type must be application/json"))
		return
	}

	var resp any
	var aerr *apiError
	switch action {
	case "DescribeEips":
		var req describeRequest
		if aerr = decode(body, &req); aerr == nil {
			if req.RegionID != nil {
				sim.Tag(w, Provider, *req.RegionID, action)
			}
			resp, aerr = f.describeEips(req)
		}
	case "AssociateEipAddress":
		var req associateRequest
		if aerr = decode(body, &req); aerr == nil {
			resp, aerr = f.associate(req, failBinding)
		}
	case "UnassociateEipAddress":
		var req unassociateRequest
		if aerr = decode(body, &req); aerr == nil {
			resp, aerr = f.unassociate(req)
		}
	default:
		aerr = &apiError{http.StatusBadRequest, "UNSUPPORTED_OPERATION", "the eipctl emulator implements DescribeEips, AssociateEipAddress and UnassociateEipAddress of ZEC " + Version + " only; " + action + " is not one of them"}
	}
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	writeOK(w, resp)
}

func decode(body []byte, v any) *apiError {
	if err := json.Unmarshal(body, v); err != nil {
		return errInvalidParameter("the request body is not the JSON object this action takes: %v", err)
	}
	return nil
}
