package conformance

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/sim"
)

// Front is a fresh emulated account of h.Profile with 4 EIPs seeded per
// region, served by h's emulator front: what the fuzzers send requests to.
func (h Harness) Front(tb testing.TB) http.Handler {
	s, err := sim.New(sim.Options{Profiles: []sim.Profile{h.Profile}, SeedEIPs: 4})
	if err != nil {
		tb.Fatal(err)
	}
	return sim.Handler(h.NewFront(s))
}

// InProcess carries client requests straight into an http.Handler, with no
// socket: fuzzing an SDK against an emulator runs thousands of calls a second.
func InProcess(h http.Handler) http.RoundTripper { return inProcess{h} }

type inProcess struct{ h http.Handler }

func (p inProcess) RoundTrip(r *http.Request) (*http.Response, error) {
	s := r.Clone(r.Context())
	if s.Body == nil {
		s.Body = http.NoBody
	}
	if s.Host == "" {
		s.Host = s.URL.Host
	}
	s.RequestURI = s.URL.RequestURI()
	rec := httptest.NewRecorder()
	p.h.ServeHTTP(rec, s)
	return rec.Result(), nil
}

// canned answers every request with one fuzzed reply, and records the calls.
type canned struct {
	status int
	header http.Header
	body   []byte
	mu     sync.Mutex
	calls  int
}

func (c *canned) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.calls++
	n := c.calls
	c.mu.Unlock()
	if n > 50 {
		// A reply that makes an adapter page forever would hang eipctl:
		// fail the fuzz case instead of the fuzzer.
		return nil, errTooManyCalls
	}
	return &http.Response{StatusCode: c.status, Status: strconv.Itoa(c.status) + " " + http.StatusText(c.status),
		Header: c.header.Clone(), Body: io.NopCloser(bytes.NewReader(c.body)), ContentLength: int64(len(c.body)), Request: r}, nil
}

var errTooManyCalls = errors.New("conformance: more than 50 requests for one adapter call")

var classes = map[eip.Class]bool{eip.ClassInvalid: true, eip.ClassNotFound: true, eip.ClassConflict: true,
	eip.ClassThrottled: true, eip.ClassTransient: true, eip.ClassAuth: true}

var states = map[eip.State]bool{eip.StateAvailable: true, eip.StateAssociating: true, eip.StateAssociated: true,
	eip.StateDisassociating: true, eip.StateOther: true}

// FuzzResponses fuzzes an adapter's response and classification path: each
// call the engine makes (Describe, List, an associate and a disassociate,
// task checks where the cloud has them) is answered with a fuzzed status,
// content type, retry hint and body. Whatever the answer, the adapter must
// not panic or loop, an error must classify into one of the six classes
// without showing the access key ID, and a read must return well-formed
// addresses. The seed corpus is the emulator's own answers to those calls.
func FuzzResponses(f *testing.F, h Harness) {
	id := h.Profile.Credentials.ID
	for _, a := range emulatorAnswers(f, h) {
		f.Add(uint8(0), a.status, a.contentType, "", a.body)
		f.Add(uint8(2), a.status, a.contentType, "1500", a.body)
	}
	f.Add(uint8(1), 400, "application/json", "", []byte(`{"Code":"SignatureDoesNotMatch","Message":"string to sign is:AccessKeyId%3D`+id+`%26","RequestId":"R"}`))
	f.Add(uint8(3), 401, "application/json", "", []byte(`{"requestId":"T","code":"AUTHFAILURE_SIGNATURE_FAILURE","message":"Credential=`+id+`, bad"}`))
	f.Add(uint8(0), 200, "application/json", "", []byte(`{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"SecretId `+id+`"},"RequestId":"R"}}`))
	// Wrong types where a cloud promises strings: Alibaba's SDK type-asserts
	// Code and Message (protocol notes, A3).
	f.Add(uint8(0), 400, "application/json", "", []byte(`{"Code":1,"Message":"x","RequestId":"R"}`))
	f.Add(uint8(2), 500, "application/json", "", []byte(`{"Code":"X","Message":["x"],"RequestId":7,"HostId":{}}`))
	f.Fuzz(func(t *testing.T, which uint8, status int, contentType, retryAfter string, body []byte) {
		status = 100 + (status%500+500)%500
		hdr := http.Header{"Content-Type": {contentType}}
		if retryAfter != "" {
			hdr.Set("X-Acs-Retry-After", retryAfter)
		}
		c := &canned{status: status, header: hdr, body: body}
		p, err := h.Spec.New(eip.ProviderConfig{Endpoint: "http://127.0.0.1:1", Transport: c, Timeout: time.Second,
			Credentials: eip.Credentials{ID: id, Secret: h.Profile.Credentials.Secret}})
		if err != nil {
			t.Fatal(err)
		}
		addrs, err := callOnce(p, h.Region(), which)
		if c.calls > 50 {
			t.Fatalf("call %d: the adapter kept sending requests for one reply (status %d, body %q)", which%5, status, body)
		}
		if err != nil {
			ce := p.Classify(err)
			if ce == nil || !classes[ce.Class] {
				t.Fatalf("call %d: %v classified as %+v", which%5, err, ce)
			}
			if len(id) >= 8 && strings.Contains(ce.Error(), id) {
				t.Fatalf("call %d: the classified error shows the access key ID: %s", which%5, ce.Error())
			}
			return
		}
		for _, a := range addrs {
			if a.ID == "" || !states[a.State] {
				t.Fatalf("call %d: read returned a malformed address %+v", which%5, a)
			}
		}
	})
}

// callOnce makes one of the engine's calls against the adapter.
func callOnce(p eip.Provider, region string, which uint8) ([]eip.Address, error) {
	ctx := context.Background()
	caps := p.Capabilities()
	a := eip.Address{ID: "eip-fuzz0001", IP: "192.0.2.10", State: eip.StateAvailable}
	switch which % 5 {
	case 0:
		return p.Describe(ctx, region, []string{a.ID, "eip-fuzz0002"})
	case 1:
		return p.List(ctx, region)
	case 2:
		t := caps.TargetTypes[0]
		call, err := p.PrepareAssociate(eip.AssociateRequest{Region: region, EIPs: []eip.Address{a}, Target: "fuzz-target", TargetType: t, Mode: eip.ModeNAT, ClientToken: "tok"})
		if err != nil {
			return nil, nil // the adapter refused before sending: not this path
		}
		_, err = call.Run(ctx)
		return nil, err
	case 3:
		a.State, a.TargetID, a.TargetType = eip.StateAssociated, "fuzz-target", caps.TargetTypes[0]
		call, err := p.PrepareDisassociate(eip.DisassociateRequest{Region: region, EIPs: []eip.Address{a}, ClientToken: "tok"})
		if err != nil {
			return nil, nil
		}
		_, err = call.Run(ctx)
		return nil, err
	}
	if tw, ok := p.(eip.TaskWatcher); ok {
		_, err := tw.CheckTasks(ctx, region, []string{"12345", "req-fuzz"})
		return nil, err
	}
	return p.Describe(ctx, region, []string{a.ID})
}

type answer struct {
	status      int
	contentType string
	body        []byte
}

// emulatorAnswers records what the emulator answers to the engine's calls,
// successes and refusals, as seeds.
func emulatorAnswers(f *testing.F, h Harness) []answer {
	rec := &recorder{next: InProcess(h.Front(f))}
	for _, secret := range []string{h.Profile.Credentials.Secret, "wrong-secret"} {
		p, err := h.Spec.New(eip.ProviderConfig{Endpoint: "http://127.0.0.1:1", Transport: rec, Timeout: time.Second,
			Credentials: eip.Credentials{ID: h.Profile.Credentials.ID, Secret: secret}})
		if err != nil {
			f.Fatal(err)
		}
		all, _ := p.List(context.Background(), h.Region())
		if len(all) > 0 {
			_, _ = p.Describe(context.Background(), h.Region(), []string{all[0].ID})
		}
		for which := uint8(2); which < 5; which++ {
			_, _ = callOnce(p, h.Region(), which)
		}
	}
	return rec.answers
}

type recorder struct {
	next    http.RoundTripper
	answers []answer
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	r.answers = append(r.answers, answer{resp.StatusCode, resp.Header.Get("Content-Type"), body})
	return resp, nil
}

// FuzzFront fuzzes an emulator's request parsing and signature checks with
// requests shaped like the official SDK's (the seeds are the SDK's own
// requests for the engine's calls, with the signature spoiled) and mutated
// anywhere: method, path and query, headers, body. No fuzzed request holds a
// valid signature, so every answer must be a refusal, in the cloud's own
// error shape (check), and the emulator must never panic.
func FuzzFront(f *testing.F, h Harness, check func(t *testing.T, status int, header http.Header, body []byte)) {
	handler := h.Front(f)
	for _, r := range sdkRequests(f, h, handler) {
		f.Add(r.method, r.target, r.header, r.body)
	}
	f.Fuzz(func(t *testing.T, method, target, header string, body []byte) {
		req, err := http.NewRequest(method, "http://127.0.0.1:8080"+target, bytes.NewReader(body))
		if err != nil || !strings.HasPrefix(target, "/") {
			return // not a request a client could send
		}
		for _, line := range strings.Split(header, "\n") {
			if k, v, ok := strings.Cut(line, ": "); ok && k != "" {
				req.Header.Add(k, v)
			}
		}
		req.RequestURI = req.URL.RequestURI()
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		res := rec.Result()
		got, _ := io.ReadAll(res.Body)
		check(t, res.StatusCode, res.Header, got)
	})
}

type sdkRequest struct {
	method, target, header string
	body                   []byte
}

// sdkRequests records the requests the adapter (through the official SDK)
// sends for the engine's calls, with every signature spoiled.
func sdkRequests(f *testing.F, h Harness, handler http.Handler) []sdkRequest {
	var out []sdkRequest
	spoil := strings.NewReplacer("Signature=", "Signature=0", "Signature%3D", "Signature%3D0")
	capture := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		var body []byte
		if r.Body != nil {
			body, _ = io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		var hdr []string
		for k, vs := range r.Header {
			for _, v := range vs {
				hdr = append(hdr, k+": "+spoil.Replace(v))
			}
		}
		out = append(out, sdkRequest{r.Method, spoil.Replace(r.URL.RequestURI()), strings.Join(hdr, "\n"), body})
		return InProcess(handler).RoundTrip(r)
	})
	p, err := h.Spec.New(eip.ProviderConfig{Endpoint: "http://127.0.0.1:8080", Transport: capture, Timeout: time.Second,
		Credentials: eip.Credentials{ID: h.Profile.Credentials.ID, Secret: h.Profile.Credentials.Secret}})
	if err != nil {
		f.Fatal(err)
	}
	for which := uint8(0); which < 5; which++ {
		_, _ = callOnce(p, h.Region(), which)
	}
	return out
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (fn roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return fn(r) }
