package sim

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

// Front speaks one cloud's wire protocol over the core.
type Front interface {
	// Provider names the cloud this front serves.
	Provider() string
	// Sim is the core the front serves.
	Sim() *Sim
	// Match tells whether a request is in this cloud's protocol (a marker
	// no other cloud's requests carry: a parameter, a header, a path). The
	// body may be read: the handler restores it for the next front.
	Match(r *http.Request) bool
	http.Handler
}

// Refuser writes the cloud's own answer for the refusals the core decides
// for every cloud alike: throttle (a rate limit or an injected fault, with
// how long until a request would be admitted), unavailable, conflict, busy
// and snat (see FaultKind).
type Refuser interface {
	Refuse(w http.ResponseWriter, kind FaultKind, retryAfter time.Duration)
}

// maxBody bounds what the emulator reads of a request.
const maxBody = 1 << 20

// defaultBodyTimeout is how long a request body may take to arrive.
const defaultBodyTimeout = 10 * time.Second

// Handler serves every front on one port, routing by each protocol's markers.
// Every request, answered or not, goes to the core's request log.
func Handler(fronts ...Front) http.Handler {
	var s *Sim
	if len(fronts) > 0 {
		s = fronts[0].Sim()
	}
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		x := &exchange{ResponseWriter: rw, s: s}
		defer x.finish()
		if s == nil {
			http.Error(x, "eipctl emulator: no cloud is served", http.StatusNotFound)
			return
		}
		if d := s.opts.Latency; d > 0 {
			if s.opts.Clock.Sleep(r.Context(), d) != nil {
				return
			}
		}
		body, err := readBody(rw, r, s.opts.BodyTimeout)
		if err != nil {
			x.entry.Code = "RequestTimeout"
			http.Error(x, "eipctl emulator: "+err.Error(), http.StatusRequestTimeout)
			return
		}
		for _, f := range fronts {
			r.Body = io.NopCloser(bytes.NewReader(body))
			if f.Match(r) {
				x.entry.Provider = f.Provider()
				r.Body = io.NopCloser(bytes.NewReader(body))
				f.ServeHTTP(x, r)
				return
			}
		}
		x.entry.Code = "NoCloud"
		WriteJSON(x, http.StatusNotFound, map[string]string{"message": noCloud(fronts)})
	})
}

// noCloud says which clouds were asked: each front claims its requests by
// its own protocol's markers (docs/emulator.md lists them).
func noCloud(fronts []Front) string {
	names := make([]string, len(fronts))
	for i, f := range fronts {
		names[i] = f.Provider()
	}
	return "eipctl emulator: no cloud recognises this request (serving " + strings.Join(names, ", ") +
		"; each claims its requests by its own protocol's markers, see docs/emulator.md)"
}

// readBody reads the request body within timeout, so a client that sends its
// body slowly (or never) cannot hold a handler.
func readBody(w http.ResponseWriter, r *http.Request, timeout time.Duration) ([]byte, error) {
	if timeout <= 0 {
		timeout = defaultBodyTimeout
	}
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(timeout))
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if errors.Is(err, os.ErrDeadlineExceeded) {
		// The deadline stays: the server gives up on the rest of the body
		// and closes the connection after the answer.
		w.Header().Set("Connection", "close")
		return nil, errors.New("the request body did not arrive within " + timeout.String())
	}
	_ = rc.SetReadDeadline(time.Time{})
	if err != nil {
		return nil, errors.New("cannot read the request body")
	}
	return body, nil
}

// exchange is one request on its way through the emulator: it remembers what
// the request log needs and carries out drop-after-commit and slow-body.
type exchange struct {
	http.ResponseWriter
	s      *Sim
	entry  Request
	status int
	hold   bool          // close the connection without an answer (reset, drop-after-commit)
	dropAs FaultKind     // the fault that holds it, for the log
	slow   time.Duration // slow-body: trickle the body out over this long
	buf    bytes.Buffer
}

func (x *exchange) WriteHeader(code int) {
	if x.status != 0 {
		return
	}
	x.status = code
	if !x.hold && x.slow == 0 {
		x.ResponseWriter.WriteHeader(code)
	}
}

func (x *exchange) Write(b []byte) (int, error) {
	if x.status == 0 {
		x.WriteHeader(http.StatusOK)
	}
	if x.hold || x.slow > 0 {
		return x.buf.Write(b)
	}
	return x.ResponseWriter.Write(b)
}

// finish logs the request, then sends what was held back or closes the
// connection: the log holds a request before its client sees the outcome.
func (x *exchange) finish() {
	if x.s == nil {
		return
	}
	x.entry.Status = x.status
	if x.hold {
		x.entry.Status, x.entry.Code = 0, string(x.dropAs)
	}
	x.entry.Time = x.s.opts.Clock.Now().UTC()
	x.s.logRequest(x.entry)
	switch {
	case x.hold:
		x.closeConn()
	case x.slow > 0:
		x.trickle()
	}
}

// trickle writes the held answer a few bytes at a time over x.slow.
func (x *exchange) trickle() {
	x.ResponseWriter.WriteHeader(x.status)
	b := x.buf.Bytes()
	const pieces = 20
	step := max(1, (len(b)+pieces-1)/pieces)
	pause := x.slow / time.Duration((len(b)+step-1)/step+1)
	rc := http.NewResponseController(x.ResponseWriter)
	for len(b) > 0 {
		n := min(step, len(b))
		if _, err := x.ResponseWriter.Write(b[:n]); err != nil {
			return
		}
		_ = rc.Flush()
		b = b[n:]
		time.Sleep(pause)
	}
}

// closeConn closes the client's connection without an answer.
func (x *exchange) closeConn() {
	if hj, ok := x.ResponseWriter.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			if tc, ok := conn.(*net.TCPConn); ok {
				_ = tc.SetLinger(0) // a reset, as a dying load balancer sends
			}
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

func (x *exchange) Flush() {
	if f, ok := x.ResponseWriter.(http.Flusher); ok && !x.hold && x.slow == 0 {
		f.Flush()
	}
}

// Call is what a front knows of a request once it has read and
// authenticated it.
type Call struct {
	Provider string
	Region   string // "" when the request names none
	Action   string
	Key      string // the access key: limits are per account
}

// Admission tells the front how to serve an admitted request.
type Admission struct {
	FailBinding bool // make the bindings it creates fail after the bind delay
}

// Tag names a request for the request log before the front knows more (an
// authentication failure is logged with the action it tried).
func Tag(w http.ResponseWriter, provider, region, action string) {
	if x, ok := w.(*exchange); ok {
		x.entry.Provider, x.entry.Region, x.entry.Action = provider, region, action
		if p, ok := x.s.profiles[provider]; ok {
			x.entry.Mutating = p.Actions[action].Mutates
		}
	}
}

// SetCode records the error code of an answer, for the request log. Each
// front's error writer calls it.
func SetCode(w http.ResponseWriter, code string) {
	if x, ok := w.(*exchange); ok {
		x.entry.Code = code
	}
}

// Admit applies the documented rate limit and the injected faults to an
// authenticated request, the same way for every cloud. It reports false when
// it has answered (or dropped) the request itself; the front must then do
// nothing more. Otherwise the front serves the request as adm says.
func (s *Sim) Admit(w http.ResponseWriter, r *http.Request, c Call, ref Refuser) (adm Admission, ok bool) {
	Tag(w, c.Provider, c.Region, c.Action)
	p := s.profiles[c.Provider]
	a := p.Actions[c.Action]
	if !s.opts.NoLimits {
		s.mu.Lock()
		admitted, wait := s.limits.admit(strings.Join([]string{c.Provider, c.Region, c.Key, c.Action}, "/"), p.limitOf(c.Action), s.opts.Clock.Now())
		s.mu.Unlock()
		if !admitted {
			ref.Refuse(w, FaultThrottle, wait)
			return adm, false
		}
	}
	f := s.takeFault(c.Provider, c.Action, a)
	if f == nil {
		return adm, true
	}
	switch f.Kind {
	case FaultThrottle, FaultUnavailable, FaultConflict, FaultBusy, FaultSnat:
		ref.Refuse(w, f.Kind, time.Second)
		return adm, false
	case FaultReset:
		Reset(w)
		return adm, false
	case FaultLatency:
		if s.opts.Clock.Sleep(r.Context(), f.Delay) != nil {
			return adm, false
		}
	case FaultFailBinding:
		adm.FailBinding = true
	case FaultDropAfterCommit:
		if x, ok := w.(*exchange); ok {
			x.hold, x.dropAs = true, FaultDropAfterCommit
		}
	case FaultSlowBody:
		if x, ok := w.(*exchange); ok {
			x.slow = f.Delay
			if x.slow == 0 {
				x.slow = defaultSlowBody
			}
		}
	}
	return adm, true
}

// RequestID makes an ID in the usual 8-4-4-4-12 upper-case form.
func RequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := strings.ToUpper(hex.EncodeToString(b[:]))
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// WriteJSON writes v as a JSON response with Alibaba's Content-Type.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	WriteJSONAs(w, "application/json;charset=utf-8", status, v)
}

// WriteJSONAs writes v as a JSON response with the given Content-Type: some
// official clients compare it exactly, so each front passes its cloud's own.
func WriteJSONAs(w http.ResponseWriter, contentType string, status int, v any) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Reset drops the client's connection without an answer, for FaultReset.
// Through Handler the drop happens once the request is logged; the front
// must write nothing more.
func Reset(w http.ResponseWriter) {
	if x, ok := w.(*exchange); ok {
		x.hold, x.dropAs = true, FaultReset
		return
	}
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}
