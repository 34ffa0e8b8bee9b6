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

// Options choose how the emulated ZEC account looks. The zero value is the
// account as the public record shows one: numeric IDs, and an EIP that keeps
// reading BINDED while it is being unbound.
type Options struct {
	// Readable seeds eipctl's own readable IDs (eip-ae0001, nic-ae0001,
	// nat-ae0001, lb-ae0001, havip-ae0001) instead of numeric ones, for
	// tests and docs that name IDs. Real ZEC IDs never look like these.
	Readable bool
	// UnbindingStatus shows UNBINDING while an unbind runs. ZEC documents
	// no such word (the EIP reads BINDED until it is UNBIND); it is
	// eipctl's invention, kept for tests that want to see the transition.
	UnbindingStatus bool
	// Lifecycle makes the listed EIPs (by ID) read one of ZEC's lifecycle
	// statuses (CREATING, CREATE_FAILED, DELETING, RECYCLING, RECYCLED)
	// instead of their binding status. Binds list them in failedEipIds
	// (ZEC binds only UNBIND EIPs) and unbinds refuse them with
	// OPERATION_DENIED_EIP_STATUS_NOT_SUPPORT. Fill it before the first
	// request: it is read, never written, by the emulator.
	Lifecycle map[string]string
}

// Numeric ID stems. Real ZEC IDs are 17-19 digit numbers (the Terraform
// provider's examples: vNIC 1680855999352675875, instance
// 1660545330971680835); the emulator's are 19 digits: a stem per kind, a
// two-digit region code and an eight-digit counter. The stems differ only so
// that the emulator never gives two resources one ID; nothing, in eipctl or
// on the real cloud, can tell a kind from the digits.
var numericPrefix = map[string]string{
	"eip":   "168085599",
	"eni":   "168085598",
	"nat":   "168085597",
	"lb":    "168085596",
	"havip": "168085595",
}

// ProfileWith seeds the emulated ZEC account as o says. ZEC binds to a vNIC,
// never to an instance, so no instances are seeded.
func ProfileWith(o Options) sim.Profile {
	p := sim.Profile{
		Provider: Provider,
		// Region IDs in the form the ZEC SDK documents ("asia-east-1",
		// "asia-north-1"); IP prefixes from Zenlayer-announced space.
		Regions: []sim.RegionSpec{
			{Name: "asia-east-1", Code: "10", IPPrefix: "128.14."},
			{Name: "asia-north-1", Code: "20", IPPrefix: "107.155."},
		},
		Prefix: numericPrefix,
		Digits: 8,
		Status: statusFunc(o),
		// ZEC publishes no quotas ("contact us to request a quota increase").
		// Stated defaults: a HaVip holds 10 EIPs (ZEC binds several to one), a
		// NAT gateway 20, a vNIC 10 (several may share one lanIp).
		Capacity: map[string]int{"havip": 10, "nat": 20, "eni": 10},
		Actions: map[string]sim.Action{
			"DescribeEips":          {},
			"AssociateEipAddress":   {Mutates: true, Binds: true},
			"UnassociateEipAddress": {Mutates: true},
			"DeleteEip":             {Mutates: true},
		},
		// ZEC publishes no rate limits; the emulator's stated default is 10
		// requests per second per action and access key.
		DefaultLimit: sim.Limit{Count: 10, Per: time.Second},
		Credentials: sim.Credential{
			ID:     "ZLEMULATORKEYID1",
			Secret: "zenlayer-emulator-access-key-password",
		},
	}
	if o.Readable {
		p.Regions[0].Code, p.Regions[1].Code = "ae", "an"
		p.Prefix = map[string]string{"eip": "eip-", "eni": "nic-", "nat": "nat-", "lb": "lb-", "havip": "havip-"}
		p.Digits = 4
	}
	return p
}

// Profile is the default account: numeric IDs, no unbinding status.
var Profile = ProfileWith(Options{})

// Readable is eipctl's own test account, as the emulator was before it
// followed the record: readable IDs (eip-ae0001, ...), which the adapter
// infers target types from (nic- vNIC, nat- NAT gateway, lb- load balancer,
// havip- HaVip), and the UNBINDING word while an unbind runs. `sim serve`
// and --sim seed it when EIPCTL_SIM_READABLE=1.
var Readable = ProfileWith(Options{Readable: true, UnbindingStatus: true})

// Status words. ZEC documents CREATING, CREATE_FAILED, ASSIGNING, BINDED,
// UNBIND, DELETING and RECYCLED (the zeno CLI's describe-eips.yaml), and the
// Terraform provider adds RECYCLING. It documents no word for an EIP being
// released: UNBINDING is eipctl's own, shown only with
// Options.UnbindingStatus.
const (
	StatusUnbind       = "UNBIND"
	StatusAssigning    = "ASSIGNING"
	StatusBinded       = "BINDED"
	StatusUnbinding    = "UNBINDING"
	StatusCreating     = "CREATING"
	StatusCreateFailed = "CREATE_FAILED"
	StatusDeleting     = "DELETING"
	StatusRecycling    = "RECYCLING"
	StatusRecycled     = "RECYCLED"
)

// Status gives ZEC's word for an EIP's phase in the default account.
func Status(e *sim.EIP) string { return statusFunc(Options{})(e) }

func statusFunc(o Options) func(e *sim.EIP) string {
	return func(e *sim.EIP) string {
		if w, ok := o.Lifecycle[e.ID]; ok {
			return w
		}
		if w, ok := lifecycleWords[e.Phase]; ok {
			return w
		}
		switch e.Phase {
		case sim.Associating:
			return StatusAssigning
		case sim.Bound:
			return StatusBinded
		case sim.Unassociating:
			if o.UnbindingStatus {
				return StatusUnbinding
			}
			return StatusBinded
		}
		return StatusUnbind
	}
}

// binding reports whether a status word is one of the binding ones (the
// EIP is in no lifecycle state that forbids binding and unbinding).
func binding(status string) bool {
	switch status {
	case StatusUnbind, StatusAssigning, StatusBinded, StatusUnbinding:
		return true
	}
	return false
}

// front is the ZEC protocol over one Sim.
type front struct {
	s      *sim.Sim
	cred   sim.Credential
	status func(e *sim.EIP) string // the profile's status words
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
	return &front{s: s, cred: p.Credentials, status: p.Status, now: time.Now}
}

func (f *front) Provider() string { return Provider }

func (f *front) Sim() *sim.Sim { return f.s }

// Refuse answers the core's common refusals in ZEC's words. The SDK reads no
// retry hint, so none is sent.
func (f *front) Refuse(w http.ResponseWriter, kind sim.FaultKind, _ time.Duration) {
	switch kind {
	case sim.FaultThrottle:
		writeError(w, &apiError{http.StatusTooManyRequests, "REQUEST_LIMIT_EXCEEDED", "The request rate exceeds the limit. Please try again later."})
	case sim.FaultUnavailable, sim.FaultBusy:
		// SERVICE_TEMPORARY_UNAVAILABLE is ZEC's one documented code for a
		// service that is briefly unable to answer (the Terraform provider
		// retries it on every call), so busy and unavailable answer alike.
		// Its HTTP status is not documented; 503 is the emulator's choice
		// ("5xx: the system error", the Responses page).
		writeError(w, &apiError{http.StatusServiceUnavailable, "SERVICE_TEMPORARY_UNAVAILABLE", "The service is temporarily unavailable. Please try again later."})
	default:
		// conflict and snat: documented by ZEC with HTTP 500 for an EIP whose
		// state forbids the operation. ZEC documents no refusal for an EIP
		// used by NAT entries, so snat answers this too (docs/emulator.md).
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

	resp, aerr := f.dispatch(w, action, body, failBinding)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	writeOK(w, resp)
}

// dispatch runs one action on its decoded body.
func (f *front) dispatch(w http.ResponseWriter, action string, body []byte, failBinding bool) (any, *apiError) {
	switch action {
	case "DescribeEips":
		return run(body, func(req describeRequest) (any, *apiError) {
			if req.RegionID != nil {
				sim.Tag(w, Provider, *req.RegionID, action)
			}
			return f.describeEips(req)
		})
	case "AssociateEipAddress":
		return run(body, func(req associateRequest) (any, *apiError) { return f.associate(req, failBinding) })
	case "UnassociateEipAddress":
		return run(body, f.unassociate)
	case "DeleteEip":
		return run(body, f.deleteEip)
	}
	return nil, &apiError{http.StatusBadRequest, "UNSUPPORTED_OPERATION", "the eipctl emulator implements DescribeEips, AssociateEipAddress, UnassociateEipAddress and DeleteEip of ZEC " + Version + " only; " + action + " is not one of them"}
}

// run decodes an action's body into its request and serves it.
func run[T any](body []byte, serve func(T) (any, *apiError)) (any, *apiError) {
	var req T
	if aerr := decode(body, &req); aerr != nil {
		return nil, aerr
	}
	return serve(req)
}

func decode(body []byte, v any) *apiError {
	if err := json.Unmarshal(body, v); err != nil {
		return errInvalidParameter("the request body is not the JSON object this action takes: %v", err)
	}
	return nil
}
