// Package emulator speaks Alibaba Cloud VPC's RPC protocol (2016-04-28) over
// the shared emulator core, verifying real signatures so the official SDKs
// work against it unchanged.
package emulator

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/eipctl/eipctl/pkg/sim"
)

const (
	provider = "alibaba"
	version  = "2016-04-28"
	// skew is how far a request's timestamp may be from the emulator's clock.
	skew = 15 * time.Minute
)

// Profile seeds the emulated Alibaba account.
var Profile = sim.Profile{
	Provider: provider,
	Regions: []sim.RegionSpec{
		{Name: "cn-hangzhou", Code: "hz", IPPrefix: "47.96."},
		{Name: "cn-shanghai", Code: "sh", IPPrefix: "47.100."},
	},
	Prefix: map[string]string{"eip": "eip-", "instance": "i-", "eni": "eni-", "nat": "ngw-", "lb": "lb-", "havip": "havip-"},
	Status: func(e *sim.EIP) string { return statusWords[e.Phase] },
	Credentials: sim.Credential{
		ID:     "LTAI5tEipctlEmulator",
		Secret: "eipctl-emulator-alibaba-secret",
	},
	// Documented defaults (ratelimits.md): a NAT gateway holds 20 EIPs, a
	// HaVip one; an ENI one per private IP (the core's default).
	Capacity: map[string]int{"nat": 20, "havip": 1},
	// Documented limits per API and account (all regions together: the EIP
	// quotas page names no region), as windows of 60 s.
	Actions: map[string]sim.Action{
		"AssociateEipAddress":      {Mutates: true, Binds: true, Limit: sim.Limit{Count: 120, Per: time.Minute}},
		"AssociateEipAddressBatch": {Mutates: true, Binds: true, Limit: sim.Limit{Count: 30, Per: time.Minute}},
		"UnassociateEipAddress":    {Mutates: true, Limit: sim.Limit{Count: 120, Per: time.Minute}},
		"DescribeEipAddresses":     {Limit: sim.Limit{Count: 600, Per: time.Minute}},
		// Not an action eipctl sends: served so that an official client can
		// put an EIP in Releasing (the EIP quotas page: 600 per 60 s).
		"ReleaseEipAddress": {Mutates: true, Limit: sim.Limit{Count: 600, Per: time.Minute}},
	},
}

// phaseReleasing is an EIP that ReleaseEipAddress was sent for. The core
// knows no such phase: it binds only Available EIPs and unbinds only bound
// ones, so a Releasing EIP refuses both, as the cloud's does.
const phaseReleasing sim.Phase = "releasing"

// statusWords are the Status values DescribeEipAddresses documents
// (aliyun-openapi-meta en-US/vpc/DescribeEipAddresses.json: Associating,
// Unassociating, InUse, Available, Releasing).
var statusWords = map[sim.Phase]string{
	sim.Available:     "Available",
	sim.Associating:   "Associating",
	sim.Bound:         "InUse",
	sim.Unassociating: "Unassociating",
	phaseReleasing:    "Releasing",
}

// Front is the Alibaba protocol front.
type Front struct{ s *sim.Sim }

// New returns the Alibaba front over s.
func New(s *sim.Sim) sim.Front { return &Front{s: s} }

// Provider names the cloud.
func (f *Front) Provider() string { return provider }

// Sim is the core the front serves.
func (f *Front) Sim() *sim.Sim { return f.s }

// Refuse answers the core's common refusals in Alibaba's words. Throttling
// carries x-acs-retry-after in milliseconds, which Alibaba's SDK core reads.
func (f *Front) Refuse(w http.ResponseWriter, kind sim.FaultKind, retryAfter time.Duration) {
	switch kind {
	case sim.FaultThrottle:
		w.Header().Set("x-acs-retry-after", strconv.FormatInt(max(1, retryAfter.Milliseconds()), 10))
		writeError(w, &apiError{400, "Throttling.User", "Request was denied due to user flow control."})
	case sim.FaultUnavailable:
		writeError(w, &apiError{503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server."})
	case sim.FaultBusy:
		// HTTP 400, as AssociateEipAddress and UnassociateEipAddress list it.
		writeError(w, &apiError{400, "OperationFailed.SystemBusy", "Operation failed because system is busy."})
	case sim.FaultSnat:
		// UnassociateEipAddress's refusal of an EIP that an SNAT entry of its
		// NAT gateway uses; the emulator answers any mutation with it.
		writeError(w, &apiError{400, "InvalidIpStatus.HasBeenUsedBySnatTable", "The removed ip address has been used by snat table."})
	default:
		writeError(w, &apiError{400, "TaskConflict", "The operation conflicts with another task in progress; try again later."})
	}
}

// Match recognises Alibaba RPC: an Action parameter (query or form body) or
// the x-acs-action header of the newer SDKs.
func (f *Front) Match(r *http.Request) bool {
	if r.Header.Get("x-acs-action") != "" {
		return true
	}
	if r.Header.Get("X-TC-Action") != "" {
		return false
	}
	params, _, err := readParams(r)
	return err == nil && params.Get("Action") != ""
}

// readParams merges query and form-body parameters (pop-core POSTs everything
// in the body) and returns the body bytes for hashing.
func readParams(r *http.Request) (url.Values, []byte, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, nil, err
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	params := url.Values{}
	for k, v := range r.URL.Query() {
		params[k] = v
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/x-www-form-urlencoded" && len(body) > 0 {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, nil, err
		}
		for k, v := range form {
			params[k] = v
		}
	}
	return params, body, nil
}

func (f *Front) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	params, body, err := readParams(r)
	if err != nil {
		writeError(w, errMalformed("the request body is not valid form data"))
		return
	}
	action := params.Get("Action")
	if action == "" {
		action = r.Header.Get("x-acs-action")
	}
	h, known := handlers[action]
	region := params.Get("RegionId")
	sim.Tag(w, provider, region, action)
	if e := f.authenticate(r, params, body); e != nil {
		writeError(w, e)
		return
	}
	if !known {
		writeError(w, &apiError{404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method."})
		return
	}
	if v := orHeader(params.Get("Version"), r.Header.Get("x-acs-version")); v != version {
		writeError(w, &apiError{400, "InvalidVersion", "Specified parameter Version is not valid: this endpoint serves " + version + "."})
		return
	}
	// The EIP quotas page counts each action's limit per account, naming no
	// region: the limit's key leaves the region out, and the request log
	// gets it back (refused or not).
	q := request{params: params}
	adm, ok := f.s.Admit(w, r, sim.Call{Provider: provider, Action: action, Key: accessKeyID(r, params)}, answer{f, h, q, region, action})
	if !ok {
		return
	}
	sim.Tag(w, provider, region, action)
	q.failBinding = adm.FailBinding
	serve(w, h, f, q)
}

// serve answers one admitted request. Business parameters only: the newer
// SDKs put them in the query, the legacy ones mix them with the signature
// parameters, which are ignored.
func serve(w http.ResponseWriter, h handler, f *Front, q request) {
	resp, e := h.fn(f, q)
	if e != nil {
		writeError(w, e)
		return
	}
	resp["RequestId"] = sim.RequestID()
	sim.WriteJSON(w, http.StatusOK, resp)
}

// answer is the Refuser of one request: the front's refusals, tagged with
// the request's region, except that an UnassociateEipAddress with Force=true
// goes through the snat fault, since the cloud deletes the NAT entries that
// the fault stands for and unbinds.
type answer struct {
	f              *Front
	h              handler
	q              request
	region, action string
}

func (a answer) Refuse(w http.ResponseWriter, kind sim.FaultKind, retryAfter time.Duration) {
	sim.Tag(w, provider, a.region, a.action)
	if force, _ := forced(a.q); kind == sim.FaultSnat && a.action == "UnassociateEipAddress" && force {
		serve(w, a.h, a.f, a.q)
		return
	}
	a.f.Refuse(w, kind, retryAfter)
}

// authenticate verifies an RPC v1 (HMAC-SHA1) or ACS3-HMAC-SHA256 request
// the way the real gateway does: known key, fresh timestamp, unused nonce,
// matching signature.
func (f *Front) authenticate(r *http.Request, params url.Values, body []byte) *apiError {
	cred := Profile.Credentials
	now := f.s.Clock().Now()
	if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "ACS3-") {
		a, ok := parseACS3(auth)
		if !ok {
			return &apiError{400, "IncompleteSignature", "The request signature does not conform to Aliyun standards."}
		}
		if a.accessKeyID != cred.ID {
			return &apiError{400, "InvalidAccessKeyId.NotFound", "Specified access key is not found."}
		}
		if e := fresh(r.Header.Get("x-acs-date"), now); e != nil {
			return e
		}
		if sum := r.Header.Get("x-acs-content-sha256"); sum != "" && sum != hashHex(body) {
			return &apiError{400, "IncompleteSignature", "The x-acs-content-sha256 header does not match the request body."}
		}
		canon := canonicalRequestACS3(r.Method, r.URL.Path, r.URL.Query(), r.Header, r.Host, a.signedHeaders, body)
		if signACS3(cred.Secret, canon) != a.signature {
			return &apiError{400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation. server string to sign is:" + canon}
		}
		if !f.s.UseNonce(provider+"/"+r.Header.Get("x-acs-signature-nonce"), skew) {
			return &apiError{400, "SignatureNonceUsed", "Specified signature nonce was used already."}
		}
		return nil
	}
	if params.Get("Signature") == "" || params.Get("AccessKeyId") == "" {
		return &apiError{400, "MissingParameter", "The input parameter \"Signature\" or \"AccessKeyId\" that is mandatory for processing this request is not supplied."}
	}
	if params.Get("AccessKeyId") != cred.ID {
		return &apiError{400, "InvalidAccessKeyId.NotFound", "Specified access key is not found."}
	}
	if e := fresh(params.Get("Timestamp"), now); e != nil {
		return e
	}
	sts := stringToSignV1(r.Method, params)
	if signV1(cred.Secret, sts) != params.Get("Signature") {
		return &apiError{400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation. server string to sign is:" + sts}
	}
	if !f.s.UseNonce(provider+"/"+params.Get("SignatureNonce"), skew) {
		return &apiError{400, "SignatureNonceUsed", "Specified signature nonce was used already."}
	}
	return nil
}

// accessKeyID is the key a request was signed with, for per-account limits.
func accessKeyID(r *http.Request, params url.Values) string {
	if a, ok := parseACS3(r.Header.Get("Authorization")); ok {
		return a.accessKeyID
	}
	return params.Get("AccessKeyId")
}

func fresh(stamp string, now time.Time) *apiError {
	t, err := time.Parse("2006-01-02T15:04:05Z", stamp)
	if err != nil {
		return &apiError{400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted."}
	}
	if d := now.Sub(t); d > skew || d < -skew {
		return &apiError{400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired."}
	}
	return nil
}

func orHeader(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
