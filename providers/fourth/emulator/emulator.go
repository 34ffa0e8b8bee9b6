// Package emulator serves the test-only fourth cloud (see package fourth)
// over pkg/sim. Everything about its protocol is eipctl's invention: POST
// /fourth/v1, the action in X-Fourth-Action, an HMAC-SHA256 signature over
// action, time and body, {"result": ...} answers and {"code", "message"}
// errors. It exists to prove that a cloud is one folder plus one registry
// line (providers/all/fourth.go, built only with -tags eipctl_fourth).
package emulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/eipctl/eipctl/pkg/sim"
)

// Provider is the name the core and the adapter know this cloud by.
const Provider = "fourth"

// Path is where every action is posted.
const Path = "/fourth/v1"

// Profile seeds two regions with instances and NAT gateways.
var Profile = sim.Profile{
	Provider: Provider,
	Regions: []sim.RegionSpec{
		{Name: "north-1", Code: "n1", IPPrefix: "198.18."},
		{Name: "south-1", Code: "s1", IPPrefix: "198.19."},
	},
	Prefix: map[string]string{"eip": "fip-", "instance": "vm-", "nat": "gw-"},
	Digits: 4,
	Status: Status,
	Actions: map[string]sim.Action{
		"DescribeAddresses": {},
		"BindAddresses":     {Mutates: true, Binds: true},
		"UnbindAddresses":   {Mutates: true},
	},
	DefaultLimit: sim.Limit{Count: 20, Per: time.Second},
	Credentials:  sim.Credential{ID: "FOURTHKEYID0001", Secret: "fourth-emulator-secret"},
}

// Status gives the cloud's word for an EIP's phase.
func Status(e *sim.EIP) string {
	switch e.Phase {
	case sim.Associating:
		return "BINDING"
	case sim.Bound:
		return "BOUND"
	case sim.Unassociating:
		return "UNBINDING"
	}
	return "FREE"
}

type front struct{ s *sim.Sim }

// New returns the front for s.
func New(s *sim.Sim) sim.Front { return &front{s: s} }

func (f *front) Provider() string { return Provider }
func (f *front) Sim() *sim.Sim    { return f.s }

// Match claims the cloud's one path.
func (f *front) Match(r *http.Request) bool { return r.URL.Path == Path }

// Refuse answers the core's common refusals.
func (f *front) Refuse(w http.ResponseWriter, kind sim.FaultKind, retryAfter time.Duration) {
	switch kind {
	case sim.FaultThrottle:
		writeError(w, http.StatusTooManyRequests, "Throttled", "slow down")
	case sim.FaultUnavailable:
		writeError(w, http.StatusServiceUnavailable, "Unavailable", "try again")
	default:
		writeError(w, http.StatusConflict, "AddressBusy", "the address is changing")
	}
}

// request is every action's body: the fields an action does not use are empty.
type request struct {
	Region   string   `json:"region"`
	IDs      []string `json:"ids"`
	IPs      []string `json:"ips"`
	Target   string   `json:"target"`
	Page     int      `json:"page"`
	PageSize int      `json:"pageSize"`
}

// Address is one EIP on the wire.
type Address struct {
	ID         string `json:"id"`
	IP         string `json:"ip"`
	Status     string `json:"status"`
	Target     string `json:"target,omitempty"`
	TargetType string `json:"targetType,omitempty"`
}

func (f *front) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil || r.Method != http.MethodPost {
		writeError(w, http.StatusBadRequest, "InvalidRequest", "POST a JSON body")
		return
	}
	action, key := r.Header.Get("X-Fourth-Action"), r.Header.Get("X-Fourth-Key")
	sim.Tag(w, Provider, "", action)
	if !signed(r, body, action, key) {
		writeError(w, http.StatusUnauthorized, "AuthFailure", "the key is unknown or the signature does not match")
		return
	}
	var req request
	if err := json.Unmarshal(body, &req); err != nil {
		writeError(w, http.StatusBadRequest, "InvalidRequest", "the body is not JSON")
		return
	}
	adm, ok := f.s.Admit(w, r, sim.Call{Provider: Provider, Region: req.Region, Action: action, Key: key}, f)
	if !ok {
		return
	}
	var out any
	switch action {
	case "DescribeAddresses":
		out, err = f.describe(req)
	case "BindAddresses":
		out, err = f.bind(req, adm.FailBinding)
	case "UnbindAddresses":
		out, err = f.unbind(req)
	default:
		writeError(w, http.StatusBadRequest, "InvalidAction", "no action "+strconv.Quote(action))
		return
	}
	if err != nil {
		writeSimError(w, err)
		return
	}
	sim.WriteJSON(w, http.StatusOK, map[string]any{"result": out})
}

// signed checks the signature and that it is fresh (five minutes).
func signed(r *http.Request, body []byte, action, key string) bool {
	ts := r.Header.Get("X-Fourth-Time")
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || key != Profile.Credentials.ID || time.Since(time.Unix(sec, 0)).Abs() > 5*time.Minute {
		return false
	}
	m := hmac.New(sha256.New, []byte(Profile.Credentials.Secret))
	m.Write([]byte(action + "\n" + ts + "\n" + string(body)))
	want := hex.EncodeToString(m.Sum(nil))
	return hmac.Equal([]byte(want), []byte(r.Header.Get("X-Fourth-Signature")))
}

func (f *front) describe(req request) (any, error) {
	size, page := max(req.PageSize, 1), max(req.Page, 1)
	var all []Address
	err := f.s.View(Provider, func(c *sim.Cloud) {
		r, ok := c.Region(req.Region)
		if !ok {
			return
		}
		for _, e := range r.EIPs {
			if (len(req.IDs) == 0 || slices.Contains(req.IDs, e.ID)) && (len(req.IPs) == 0 || slices.Contains(req.IPs, e.IP)) {
				all = append(all, Address{ID: e.ID, IP: e.IP, Status: Status(e), Target: e.TargetID, TargetType: e.TargetType})
			}
		}
	})
	from := min((page-1)*size, len(all))
	return map[string]any{"addresses": all[from:min(from+size, len(all))], "total": len(all)}, err
}

// bind binds every EIP or none: each is checked before the first changes.
func (f *front) bind(req request, failBinding bool) (any, error) {
	return nil, f.s.Update(Provider, func(c *sim.Cloud) error {
		r, ok := c.Region(req.Region)
		if !ok {
			return &sim.Error{Kind: sim.ErrRegionNotFound, ID: req.Region}
		}
		for i, id := range req.IDs {
			if _, _, err := c.CheckBind(req.Region, id, req.Target, sim.BindOptions{}); err != nil {
				return err
			}
			if t, _ := r.Target(req.Target); r.Holding(t.ID)+i >= t.Capacity {
				return &sim.Error{Kind: sim.ErrTargetFull, ID: t.ID}
			}
		}
		for _, id := range req.IDs {
			if err := c.Bind(req.Region, id, req.Target, sim.BindOptions{}); err != nil {
				return err
			}
			if failBinding {
				c.FailBinding(req.Region, id)
			}
		}
		return nil
	})
}

func (f *front) unbind(req request) (any, error) {
	return nil, f.s.Update(Provider, func(c *sim.Cloud) error {
		for _, id := range req.IDs {
			if _, err := c.CheckUnbind(req.Region, id); err != nil {
				return err
			}
		}
		for _, id := range req.IDs {
			if err := c.Unbind(req.Region, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// codes are the cloud's answers to the core's refusals.
var codes = map[sim.Kind]struct {
	status int
	code   string
}{
	sim.ErrRegionNotFound: {http.StatusNotFound, "NotFound.Region"},
	sim.ErrEIPNotFound:    {http.StatusNotFound, "NotFound.Address"},
	sim.ErrTargetNotFound: {http.StatusNotFound, "NotFound.Target"},
	sim.ErrEIPBusy:        {http.StatusConflict, "AddressBusy"},
	sim.ErrEIPInUse:       {http.StatusConflict, "AddressInUse"},
	sim.ErrNotBound:       {http.StatusConflict, "AddressNotBound"},
	sim.ErrTargetFull:     {http.StatusConflict, "TargetFull"},
}

func writeSimError(w http.ResponseWriter, err error) {
	var se *sim.Error
	if c, ok := codes[kindOf(err, &se)]; ok {
		writeError(w, c.status, c.code, se.Error())
		return
	}
	writeError(w, http.StatusInternalServerError, "InternalError", err.Error())
}

func kindOf(err error, se **sim.Error) sim.Kind {
	if errors.As(err, se) {
		return (*se).Kind
	}
	return ""
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	sim.SetCode(w, code)
	sim.WriteJSON(w, status, map[string]string{"code": code, "message": message})
}
