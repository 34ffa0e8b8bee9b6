package e2e_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// cloudProxy is a loopback proxy in front of a `sim serve` that answers as
// a real cloud is documented to where our emulator answers otherwise: it
// refuses some calls itself, in the cloud's own error envelope, and rewrites
// the status words of others. A script decides, call by call, under the
// proxy's lock (so a script may keep state of its own).
type cloudProxy struct {
	URL string

	mu     sync.Mutex
	counts map[string]int      // calls seen, by action
	sent   map[string][]string // each call's query and body, by action
	script func(c proxyCall) proxyStep
	log    []string // what the proxy did, for failure messages
}

// proxyCall is one request as the script sees it: its action and how many
// calls of that action came before it, plus one (n is 1 for the first).
type proxyCall struct {
	action string
	n      int
}

// proxyStep is the script's decision: answer (nothing is forwarded; the
// emulator never sees the call), or forward and answer lost instead of what
// the emulator said (the call took effect, its answer did not come back), or
// forward, then let rewrite change every JSON object of the emulator's answer.
type proxyStep struct {
	answer, lost *canned
	rewrite      func(obj map[string]any)
}

// canned is an answer in a cloud's envelope: an HTTP status and a JSON body.
type canned struct {
	status int
	body   any
}

type rewriteKey struct{}

func newCloudProxy(t *testing.T, s *server, script func(c proxyCall) proxyStep) *cloudProxy {
	t.Helper()
	target, err := url.Parse(s.Endpoint)
	if err != nil {
		t.Fatal(err)
	}
	cp := &cloudProxy{counts: map[string]int{}, sent: map[string][]string{}, script: script}
	rp := &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		pr.SetURL(target)
		pr.Out.Host = pr.In.Host             // the signatures cover the host the client sent to
		pr.Out.Header.Del("Accept-Encoding") // the answer must be plain JSON to rewrite
	}}
	rp.ModifyResponse = func(resp *http.Response) error {
		rewrite, ok := resp.Request.Context().Value(rewriteKey{}).(func(map[string]any))
		if !ok {
			return nil
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		var v any
		if json.Unmarshal(body, &v) == nil {
			eachObject(v, rewrite)
			body, _ = json.Marshal(v)
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
		resp.ContentLength = int64(len(body))
		resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
		return nil
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		action := actionOf(r, body)
		cp.mu.Lock()
		cp.counts[action]++
		cp.sent[action] = append(cp.sent[action], r.URL.RawQuery+"&"+string(body))
		step := cp.script(proxyCall{action: action, n: cp.counts[action]})
		for how, a := range map[string]*canned{"answered": step.answer, "forwarded, then answered": step.lost} {
			if a != nil {
				cp.log = append(cp.log, fmt.Sprintf("%s #%d %s %d %v", action, cp.counts[action], how, a.status, a.body))
			}
		}
		cp.mu.Unlock()
		if step.lost != nil {
			rp.ServeHTTP(httptest.NewRecorder(), r)
			step.answer = step.lost
		}
		if a := step.answer; a != nil {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(a.status)
			_ = json.NewEncoder(w).Encode(a.body)
			return
		}
		if step.rewrite != nil {
			r = r.WithContext(context.WithValue(r.Context(), rewriteKey{}, step.rewrite))
		}
		// The Host header stays the proxy's: that is the host eipctl signed.
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	cp.URL = srv.URL
	return cp
}

// seen is how many calls of action the proxy saw, and what it answered itself.
func (cp *cloudProxy) seen(action string) (int, string) {
	cp.mu.Lock()
	defer cp.mu.Unlock()
	return cp.counts[action], strings.Join(cp.log, "\n")
}

// calls are the query and body of every call of action, in order.
func (cp *cloudProxy) calls(action string) []string {
	cp.mu.Lock()
	defer cp.mu.Unlock()
	return append([]string(nil), cp.sent[action]...)
}

// actionOf names a request's action the way each cloud carries it: Tencent
// X-TC-Action, Zenlayer X-ZC-Action, Alibaba an Action parameter (query or
// form body) or, in the newer SDKs, x-acs-action.
func actionOf(r *http.Request, body []byte) string {
	for _, h := range []string{"X-TC-Action", "X-ZC-Action", "x-acs-action"} {
		if v := r.Header.Get(h); v != "" {
			return v
		}
	}
	if a := r.URL.Query().Get("Action"); a != "" {
		return a
	}
	form, _ := url.ParseQuery(string(body))
	return form.Get("Action")
}

// eachObject calls f on every JSON object in v, outermost first.
func eachObject(v any, f func(map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		f(x)
		for _, c := range x {
			eachObject(c, f)
		}
	case []any:
		for _, c := range x {
			eachObject(c, f)
		}
	}
}

// The clouds' error envelopes, as each emulator's error writer has them and
// each official SDK parses them (providers/<cloud>/emulator/errors.go).

// alibabaRefusal: an HTTP status and {RequestId, HostId, Code, Message, Recommend}.
func alibabaRefusal(status int, code, message string) *canned {
	return &canned{status, map[string]string{
		"RequestId": "6F0C2E3A-0000-4000-8000-" + fmt.Sprintf("%012d", status), "HostId": "vpc.aliyuncs.com",
		"Code": code, "Message": message, "Recommend": "https://api.aliyun.com/troubleshoot?q=" + code,
	}}
}

// tencentRefusal: HTTP 200 with Response.Error{Code, Message} (API 3.0).
func tencentRefusal(code, message string) *canned {
	return &canned{http.StatusOK, map[string]any{"Response": map[string]any{
		"Error": map[string]string{"Code": code, "Message": message}, "RequestId": "0f3c9b9e-0000-4000-8000-000000000001",
	}}}
}

// zenlayerRefusal: an HTTP status and {requestId, code, message}.
func zenlayerRefusal(status int, code, message string) *canned {
	return &canned{status, map[string]string{"requestId": "T0000000-0000-4000-8000-000000000001", "code": code, "message": message}}
}

// refuseFirst answers the first len(answers) calls of action with answers,
// in order, and forwards the rest.
func refuseFirst(c proxyCall, action string, answers ...*canned) (proxyStep, bool) {
	if c.action == action && c.n <= len(answers) {
		return proxyStep{answer: answers[c.n-1]}, true
	}
	return proxyStep{}, false
}

// failover is one `eip associate --force` move through the proxy.
type failover struct {
	provider, region, eipID, from, to string
}

func (f failover) where(endpoint string) []string {
	return []string{"--endpoint", endpoint, "--provider", f.provider, "--region", f.region}
}

// move runs the failover through the proxy and returns its document.
func (f failover) move(t *testing.T, e *env, cp *cloudProxy, code int) runDoc {
	t.Helper()
	args := append([]string{"eip", "associate", "--eip", f.eipID, "--target", f.to, "--force", "-o", "json"}, f.where(cp.URL)...)
	return decodeRun(t, e.run(args...), code)
}

// truth is what a direct `eip list` against the emulator shows of the EIP.
func (f failover) truth(t *testing.T, e *env, s *server) listedEIP {
	t.Helper()
	l := list(t, e, f.provider, f.region, "--endpoint", s.Endpoint)
	x, ok := l[f.eipID]
	if !ok {
		t.Fatalf("eip list against the emulator does not show %s", f.eipID)
	}
	return x
}

// wantTrue checks that the row's currentTargetId is where the emulator
// itself says the EIP is.
func wantTrue(t *testing.T, row resultRow, truth listedEIP) {
	t.Helper()
	cur := ""
	if row.Current != nil {
		cur = *row.Current
	}
	if cur != truth.TargetID {
		t.Errorf("row says %s is on %q (currentTargetId), the emulator shows it %s on %q", row.EIPID, cur, truth.Status, truth.TargetID)
	}
}

// lag makes the cloud slower than our emulator: after the first call of the
// mutation `after` that reaches it, the next `reads` answers of `read` show
// the EIP with the fields of `show` (a status word the record documents),
// whatever the emulator says. It plays once: a resend does not start it
// again. Scripts run under the proxy's lock, so lag needs none.
type lag struct {
	after, read   string
	idKey, eipID  string // the object to rewrite (see matches)
	show          map[string]any
	reads, armedN int
	armed         bool
	hits          atomic.Int32 // answers rewritten (rewrites run outside the lock)
}

func (l *lag) step(c proxyCall) (proxyStep, bool) {
	switch {
	case c.action == l.after && !l.armed:
		l.armed, l.armedN = true, l.reads
	case c.action == l.read && l.armedN > 0:
		l.armedN--
		return proxyStep{rewrite: func(obj map[string]any) {
			if !l.matches(obj) {
				return
			}
			for k, v := range l.show {
				obj[k] = v
			}
			l.hits.Add(1)
		}}, true
	}
	return proxyStep{}, false
}

// matches tells whether obj is the object lag rewrites: the EIP's (every
// EIP's when eipID is ""), or with no idKey any object that has show's keys.
func (l *lag) matches(obj map[string]any) bool {
	if l.idKey == "" {
		for k := range l.show {
			if _, ok := obj[k]; !ok {
				return false
			}
		}
		return true
	}
	id, ok := obj[l.idKey]
	return ok && (l.eipID == "" || id == l.eipID)
}

// wantPlayed checks that every slow read was read: eipctl waited through
// them rather than finishing before the cloud showed what it shows.
func wantPlayed(t *testing.T, cp *cloudProxy, lags []*lag) {
	t.Helper()
	cp.mu.Lock()
	defer cp.mu.Unlock()
	for _, l := range lags {
		if l.armedN != 0 || l.hits.Load() < int32(l.reads) {
			t.Errorf("after %s, %d of %d %s answers were shown as %v (%d calls)", l.after, l.hits.Load(), l.reads, l.read, l.show, cp.counts[l.read])
		}
	}
}

// script chains refusals (answered without forwarding) and lags.
func script(refusals map[string][]*canned, lags ...*lag) func(proxyCall) proxyStep {
	return func(c proxyCall) proxyStep {
		if s, ok := refuseFirst(c, c.action, refusals[c.action]...); ok {
			return s
		}
		for _, l := range lags {
			if s, ok := l.step(c); ok {
				return s
			}
		}
		return proxyStep{}
	}
}

// wantMoved checks a completed failover: the row moved from f.from, and the
// emulator shows the EIP associated on f.to, as the row says.
func wantMoved(t *testing.T, e *env, s *server, f failover, d runDoc) {
	t.Helper()
	d.wantRows(t, map[string]string{f.eipID: "moved"})
	row := d.row(t, f.eipID)
	truth := f.truth(t, e, s)
	wantTrue(t, row, truth)
	if truth.Status != "associated" || truth.TargetID != f.to {
		t.Errorf("the emulator shows %s %s on %q, want associated on %s (the failover did not happen)", f.eipID, truth.Status, truth.TargetID, f.to)
	}
	if row.Previous == nil || *row.Previous != f.from {
		t.Errorf("previousTargetId %v, want %s", row.Previous, f.from)
	}
}

// onEach runs f once a case, the cases in parallel, each under its name
// and against a `sim serve` of its own with a client env for it.
func onEach[C any](t *testing.T, cases []C, name func(C) string, f func(t *testing.T, c C, s *server, e *env)) {
	t.Parallel()
	for _, c := range cases {
		t.Run(name(c), func(t *testing.T) {
			t.Parallel()
			s := serve(t)
			f(t, c, s, s.clientEnv(t))
		})
	}
}

// eachCloud is onEach over recordCases, a subtest a cloud.
func eachCloud(t *testing.T, f func(t *testing.T, rc recordCase, s *server, e *env)) {
	onEach(t, recordCases, func(rc recordCase) string { return rc.f.provider }, f)
}
