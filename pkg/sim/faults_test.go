package sim_test

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/sim"
)

func TestParseFault(t *testing.T) {
	good := map[string]sim.Fault{
		"throttle":                         {Kind: sim.FaultThrottle, Times: 1},
		"reset,p=0.1":                      {Kind: sim.FaultReset, P: 0.1},
		"reset,p=0.1,times=5":              {Kind: sim.FaultReset, P: 0.1, Times: 5},
		"latency,delay=2s,provider=fake":   {Kind: sim.FaultLatency, Delay: 2 * time.Second, Provider: "fake", Times: 1},
		"drop-after-commit,action=Bind":    {Kind: sim.FaultDropAfterCommit, Action: "Bind", Times: 1},
		"slow-body,delay=500ms,times=2":    {Kind: sim.FaultSlowBody, Delay: 500 * time.Millisecond, Times: 2},
		"fail-binding,provider=fake,p=1.0": {Kind: sim.FaultFailBinding, Provider: "fake", P: 1},
		"busy,times=3":                     {Kind: sim.FaultBusy, Times: 3},
		"snat,action=Bind":                 {Kind: sim.FaultSnat, Action: "Bind", Times: 1},
	}
	for spec, want := range good {
		got, err := sim.ParseFault(spec)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("ParseFault(%q) = %+v, %v; want %+v", spec, got, err, want)
		}
	}
}

func TestCheckFaultAcceptsWhatCanFire(t *testing.T) {
	profiles := []sim.Profile{frontProfile}
	ok := []string{"throttle", "throttle,provider=fake,action=Describe", "fail-binding,action=Bind", "drop-after-commit"}
	for _, spec := range ok {
		f, _ := sim.ParseFault(spec)
		if err := sim.CheckFault(f, profiles); err != nil {
			t.Errorf("%s refused: %v", spec, err)
		}
	}
}

// TestFaultRefusals: every spec eipctl refuses is refused in one line naming
// the problem: by ParseFault, or (parses) by CheckFault, as one that could
// never fire against the profiles.
func TestFaultRefusals(t *testing.T) {
	profiles := []sim.Profile{frontProfile}
	for _, c := range []struct {
		spec, want string
		parses     bool
	}{
		{"explode", "unknown kind", false},
		{"throttle,times=-1", "times=", false},
		{"throttle,times=0", "times=", false},
		{"latency,delay=-1s", "delay=", false},
		{"latency", "needs delay=", false},
		{"throttle,p=0", "p=", false},
		{"throttle,p=1.5", "p=", false},
		{"throttle,p=often", "not a number", false},
		{"throttle,delay=soon", "not a duration", false},
		{"throttle,color=red", "unknown field", false},
		{"throttle,provider=x,", "unknown field", false},
		{"throttle,provider=aws", `unknown provider "aws": use one of fake`, true},
		{"throttle,action=DeleteEverything", "use one of Bind, Describe", true},
		{"fail-binding,action=Describe", "not a binding action", true},
		{"drop-after-commit,action=Describe", "not a mutating action", true},
		{"snat,action=Describe", "not a mutating action", true},
		{"throttle,provider=fake,action=Bond", "Bond is not a action of fake", true},
	} {
		f, err := sim.ParseFault(c.spec)
		if (err == nil) != c.parses {
			t.Errorf("ParseFault(%q): %v, want it to parse: %v", c.spec, err, c.parses)
		}
		if err == nil {
			err = sim.CheckFault(f, profiles)
		}
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v, want one line containing %q", c.spec, err, c.want)
		}
	}
}

// draws runs n Describes under a p=0.5 fault and returns which were hit.
func draws(t *testing.T, seed int64, n int) []bool {
	sv := serve(t, sim.Options{FaultSeed: seed, NoLimits: true})
	sv.s.Inject(sim.Fault{Kind: sim.FaultUnavailable, P: 0.5})
	var out []bool
	for i := 0; i < n; i++ {
		st, _, _, _ := sv.get(t, "Describe", "")
		out = append(out, st == 503)
	}
	return out
}

func TestProbabilisticFaultsRepeatWithTheSeed(t *testing.T) {
	a, b, c := draws(t, 7, 40), draws(t, 7, 40), draws(t, 8, 40)
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("the same seed drew differently:\n%v\n%v", a, b)
	}
	if reflect.DeepEqual(a, c) {
		t.Fatalf("seeds 7 and 8 drew the same 40 times")
	}
	hits := 0
	for _, h := range a {
		if h {
			hits++
		}
	}
	if hits < 8 || hits > 32 {
		t.Fatalf("p=0.5 hit %d of 40", hits)
	}
}

func TestFaultTimesWithP(t *testing.T) {
	sv := serve(t, sim.Options{NoLimits: true})
	sv.s.Inject(sim.Fault{Kind: sim.FaultConflict, P: 1, Times: 2})
	var codes []string
	for i := 0; i < 4; i++ {
		_, code, _, _ := sv.get(t, "Describe", "")
		codes = append(codes, code)
	}
	if want := []string{"conflict", "conflict", "", ""}; !reflect.DeepEqual(codes, want) {
		t.Fatalf("codes %q, want %q", codes, want)
	}
}

func TestDropAfterCommitAppliesThenDrops(t *testing.T) {
	sv := serve(t, sim.Options{})
	sv.s.Inject(sim.Fault{Kind: sim.FaultDropAfterCommit})
	// A read does not use it up: it waits for a mutation.
	if st, _, _, err := sv.get(t, "Describe", ""); err != nil || st != 200 {
		t.Fatalf("read under drop-after-commit: %d %v", st, err)
	}
	_, _, _, err := sv.get(t, "Bind", "eip-a0001")
	if err == nil {
		t.Fatal("the bind was answered; want the connection closed without an answer")
	}
	if e := eipOf(t, sv.s, "eip-a0001"); e.TargetID != "ngw-a0001" {
		t.Fatalf("the change was not made: %+v", e)
	}
	q := sv.s.Requests()
	if last := q[len(q)-1]; last.Status != 0 || last.Code != "drop-after-commit" || last.Action != "Bind" {
		t.Fatalf("logged %+v, want status 0 code drop-after-commit", last)
	}
}

func TestResetChangesNothing(t *testing.T) {
	sv := serve(t, sim.Options{})
	sv.s.Inject(sim.Fault{Kind: sim.FaultReset, Action: "Bind"})
	if _, _, _, err := sv.get(t, "Bind", "eip-a0001"); err == nil {
		t.Fatal("answered through a reset")
	}
	if e := eipOf(t, sv.s, "eip-a0001"); e.TargetID != "" {
		t.Fatalf("a reset request changed %+v", e)
	}
	if q := sv.s.Requests(); q[0].Code != "reset" || q[0].Status != 0 {
		t.Fatalf("logged %+v", q[0])
	}
}

func TestSlowBodyTricklesTheAnswer(t *testing.T) {
	sv := serve(t, sim.Options{})
	sv.s.Inject(sim.Fault{Kind: sim.FaultSlowBody, Delay: 300 * time.Millisecond})
	began := time.Now()
	resp, err := http.Get(sv.url + "/Describe?region=r1&key=id")
	if err != nil {
		t.Fatal(err)
	}
	headers := time.Since(began)
	var b strings.Builder
	buf := make([]byte, 64)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	resp.Body.Close()
	total := time.Since(began)
	if !strings.Contains(b.String(), "Describe") {
		t.Fatalf("body %q", b.String())
	}
	if total < 250*time.Millisecond || headers > total/2 {
		t.Fatalf("headers after %s, body after %s: want the headers at once and the body over about 300ms", headers, total)
	}
}

func TestFailBindingFault(t *testing.T) {
	sv := serve(t, sim.Options{BindDelay: time.Second})
	sv.s.Inject(sim.Fault{Kind: sim.FaultFailBinding})
	sv.get(t, "Describe", "")
	if st, _, _, _ := sv.get(t, "Bind", "eip-a0001"); st != 200 {
		t.Fatalf("bind answered %d", st)
	}
	if e := eipOf(t, sv.s, "eip-a0001"); e.Phase != sim.Associating {
		t.Fatalf("right after: %s", e.Phase)
	}
	sv.fc.Advance(time.Second)
	if e := eipOf(t, sv.s, "eip-a0001"); e.Phase != sim.Available || e.TargetID != "" {
		t.Fatalf("after the delay: %+v, want available again", e)
	}
}

// busy and snat are answered by the front in its cloud's words and change
// nothing; snat, like drop-after-commit, waits for a mutating request.
func TestBusyAndSnatRefuseThroughTheFront(t *testing.T) {
	sv := serve(t, sim.Options{NoLimits: true})
	sv.s.Inject(sim.Fault{Kind: sim.FaultBusy})
	if st, code, _, _ := sv.get(t, "Describe", ""); st != 400 || code != "busy" {
		t.Fatalf("read under busy: %d %q, want the front's busy answer", st, code)
	}
	sv.s.Inject(sim.Fault{Kind: sim.FaultSnat})
	if st, code, _, _ := sv.get(t, "Describe", ""); st != 200 || code != "" {
		t.Fatalf("read under snat: %d %q, want it served (snat waits for a change)", st, code)
	}
	if st, code, _, _ := sv.get(t, "Bind", "eip-a0001"); st != 400 || code != "snat" {
		t.Fatalf("bind under snat: %d %q, want the front's snat answer", st, code)
	}
	if e := eipOf(t, sv.s, "eip-a0001"); e.TargetID != "" {
		t.Fatalf("a refused bind changed %+v", e)
	}
}
