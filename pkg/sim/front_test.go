package sim_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/clock"
	"github.com/eipctl/eipctl/pkg/sim"
)

// fakeFront is the smallest protocol over the core: GET /<Action>?region=R&eip=E
// binds E to ngw-a0001 on Bind, reads on Describe. Errors are {"code"} with 400,
// throttling 429 with a Retry-After in ms.
type fakeFront struct{ s *sim.Sim }

func (f *fakeFront) Provider() string           { return "fake" }
func (f *fakeFront) Sim() *sim.Sim              { return f.s }
func (f *fakeFront) Match(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/") }

func (f *fakeFront) Refuse(w http.ResponseWriter, kind sim.FaultKind, retryAfter time.Duration) {
	status := map[sim.FaultKind]int{sim.FaultThrottle: 429, sim.FaultUnavailable: 503, sim.FaultConflict: 409, sim.FaultBusy: 400, sim.FaultSnat: 400}[kind]
	w.Header().Set("Retry-After-Ms", strconv.FormatInt(retryAfter.Milliseconds(), 10))
	f.fail(w, status, string(kind))
}

func (f *fakeFront) fail(w http.ResponseWriter, status int, code string) {
	sim.SetCode(w, code)
	sim.WriteJSONAs(w, "application/json", status, map[string]string{"code": code})
}

func (f *fakeFront) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	action, region := strings.TrimPrefix(r.URL.Path, "/"), r.URL.Query().Get("region")
	if r.URL.Query().Get("key") != "id" {
		sim.Tag(w, "fake", region, action)
		f.fail(w, 403, "BadKey")
		return
	}
	adm, ok := f.s.Admit(w, r, sim.Call{Provider: "fake", Region: region, Action: action, Key: "id"}, f)
	if !ok {
		return
	}
	eipID := r.URL.Query().Get("eip")
	if action == "Bind" {
		err := f.s.Update("fake", func(c *sim.Cloud) error {
			if err := c.Bind(region, eipID, "ngw-a0001", sim.BindOptions{}); err != nil {
				return err
			}
			if adm.FailBinding {
				c.FailBinding(region, eipID)
			}
			return nil
		})
		if err != nil {
			f.fail(w, 400, "Refused")
			return
		}
	}
	sim.WriteJSONAs(w, "application/json", 200, map[string]string{"ok": action + " " + strings.Repeat("x", 200)})
}

var frontProfile = func() sim.Profile {
	p := profile
	p.Actions = map[string]sim.Action{
		"Bind":     {Mutates: true, Binds: true, Limit: sim.Limit{Count: 3, Per: time.Minute}},
		"Describe": {},
	}
	p.DefaultLimit = sim.Limit{Count: 5, Per: time.Second}
	return p
}()

type served struct {
	s   *sim.Sim
	fc  *clock.Fake
	url string
	log *bytes.Buffer
}

func serve(t *testing.T, o sim.Options) *served {
	t.Helper()
	fc := clock.NewFake(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	log := &bytes.Buffer{}
	o.Clock, o.Profiles, o.RequestLog = fc, []sim.Profile{frontProfile}, &syncWriter{w: log}
	s, err := sim.New(o)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim.Handler(&fakeFront{s}))
	t.Cleanup(srv.Close)
	return &served{s, fc, srv.URL, log}
}

type syncWriter struct{ w io.Writer }

func (s *syncWriter) Write(b []byte) (int, error) { return s.w.Write(b) }

func (sv *served) get(t *testing.T, action, eip string) (int, string, http.Header, error) {
	t.Helper()
	// No keep-alive: Go's transport resends a GET that a reused connection
	// dropped, which would hide the drop faults under test.
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := c.Get(sv.url + "/" + action + "?region=r1&key=id&eip=" + eip)
	if err != nil {
		return 0, "", nil, err
	}
	defer resp.Body.Close()
	var body struct{ Code string }
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body.Code, resp.Header, nil
}

func TestRequestLogInMemoryAndFile(t *testing.T) {
	sv := serve(t, sim.Options{})
	sv.get(t, "Describe", "")
	sv.get(t, "Bind", "eip-a0001")
	sv.get(t, "Bind", "eip-a0001") // in use: refused
	resp, err := http.Get(sv.url + "/Bind?region=r1&key=wrong&eip=eip-a0002")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	want := []sim.Request{
		{Provider: "fake", Region: "r1", Action: "Describe", Status: 200},
		{Provider: "fake", Region: "r1", Action: "Bind", Status: 200, Mutating: true},
		{Provider: "fake", Region: "r1", Action: "Bind", Status: 400, Code: "Refused", Mutating: true},
		{Provider: "fake", Region: "r1", Action: "Bind", Status: 403, Code: "BadKey", Mutating: true},
	}
	got := sv.s.Requests()
	if len(got) != len(want) {
		t.Fatalf("%d requests logged, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		g := got[i]
		if g.Time.IsZero() {
			t.Errorf("request %d has no time", i)
		}
		g.Time = time.Time{}
		if g != want[i] {
			t.Errorf("request %d = %+v, want %+v", i, g, want[i])
		}
	}
	if n := sv.s.Mutations("fake"); n != 3 {
		t.Errorf("Mutations = %d, want 3 (refused ones count: they were sent)", n)
	}
	// The file holds the same, one JSON object per line with exactly the contract's keys.
	sc := bufio.NewScanner(bytes.NewReader(sv.log.Bytes()))
	n := 0
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %d is not JSON: %s", n+1, sc.Text())
		}
		if len(m) != 6 || m["time"] == nil || m["provider"] != "fake" || m["action"] != want[n].Action || m["status"] != float64(want[n].Status) || m["code"] != want[n].Code || m["region"] != "r1" {
			t.Errorf("line %d = %s, want time, provider, region, action, status, code of %+v", n+1, sc.Text(), want[n])
		}
		n++
	}
	if n != len(want) {
		t.Fatalf("%d lines in the log file, want %d", n, len(want))
	}
}

func TestRateLimitIsASlidingWindowPerAction(t *testing.T) {
	sv := serve(t, sim.Options{})
	ids := []string{"eip-a0001", "eip-a0002", "eip-a0003", "eip-a0004"}
	for i := 0; i < 3; i++ {
		if st, code, _, _ := sv.get(t, "Bind", ids[i]); st == 429 {
			t.Fatalf("bind %d of a 3/min limit throttled (%s)", i+1, code)
		}
		sv.fc.Advance(10 * time.Second)
	}
	st, code, h, _ := sv.get(t, "Bind", ids[3])
	if st != 429 || code != "throttle" {
		t.Fatalf("4th bind within the minute: %d %s, want 429 throttle", st, code)
	}
	// The first call was 30 s ago: it leaves the window in 30 s.
	if ms := h.Get("Retry-After-Ms"); ms != "30000" {
		t.Errorf("retry after %s ms, want 30000", ms)
	}
	// Another action has its own window (the default 5/s).
	if st, _, _, _ := sv.get(t, "Describe", ""); st != 200 {
		t.Fatalf("Describe throttled by Bind's window: %d", st)
	}
	sv.fc.Advance(30*time.Second - time.Millisecond)
	if st, _, _, _ := sv.get(t, "Bind", ids[3]); st != 429 {
		t.Fatalf("admitted 1 ms before the first call left the window")
	}
	sv.fc.Advance(time.Millisecond)
	if st, _, _, _ := sv.get(t, "Bind", ids[3]); st != 200 {
		t.Fatalf("refused once the first call left the window: %d", st)
	}
	// Throttled answers are logged with the cloud's code.
	var throttled int
	for _, q := range sv.s.Requests() {
		if q.Code == "throttle" && q.Status == 429 {
			throttled++
		}
	}
	if throttled != 2 {
		t.Errorf("%d throttled requests in the log, want 2", throttled)
	}
}

func TestNoLimits(t *testing.T) {
	sv := serve(t, sim.Options{NoLimits: true})
	for i := 0; i < 20; i++ {
		if st, _, _, _ := sv.get(t, "Describe", ""); st != 200 {
			t.Fatalf("request %d: %d with limits off", i+1, st)
		}
	}
}

// The fake clock's Sleep advances it at once, so the latency shows as the
// emulator's time moving by exactly D per request.
func TestLatencyIsAddedToEveryRequest(t *testing.T) {
	sv := serve(t, sim.Options{Latency: 20 * time.Millisecond})
	began := sv.fc.Now()
	for i := 0; i < 3; i++ {
		if st, _, _, _ := sv.get(t, "Describe", ""); st != 200 {
			t.Fatalf("status %d", st)
		}
	}
	if d := sv.fc.Now().Sub(began); d != 60*time.Millisecond {
		t.Fatalf("3 requests took %s of emulator time, want 60ms", d)
	}
}

func TestSlowRequestBodyTimesOut(t *testing.T) {
	sv := serve(t, sim.Options{BodyTimeout: 100 * time.Millisecond})
	pr, pw := io.Pipe()
	defer pw.Close()
	req, _ := http.NewRequest(http.MethodPost, sv.url+"/Describe?region=r1&key=id", pr)
	req.ContentLength = 100
	go pw.Write([]byte("{")) // and never the rest
	began := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestTimeout {
		t.Fatalf("status %d, want 408", resp.StatusCode)
	}
	if d := time.Since(began); d > 5*time.Second {
		t.Fatalf("took %s to time out a 100ms body timeout", d)
	}
	if q := sv.s.Requests(); len(q) != 1 || q[0].Status != 408 || q[0].Code != "RequestTimeout" {
		t.Fatalf("logged %+v", q)
	}
}
