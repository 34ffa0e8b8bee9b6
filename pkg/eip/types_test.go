package eip_test

import (
	"encoding/json"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/eipctl/eipctl/pkg/eip"
)

// The JSON and YAML names are a public contract that scripts parse.
func TestResultFieldNames(t *testing.T) {
	r := eip.Result{Provider: "alibaba", Region: "cn-hangzhou", EIPID: "eip-1", IP: "47.1.0.2", TargetID: "i-1",
		TargetType: eip.Instance, Status: eip.StatusFailed, Error: eip.Errorf(eip.ClassConflict, "AlreadyBound", "taken"),
		PreviousTargetID: ptr("i-9")}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"provider":"alibaba","region":"cn-hangzhou","eipId":"eip-1","ip":"47.1.0.2","targetId":"i-1","targetType":"instance","status":"failed","error":{"code":"AlreadyBound","message":"taken","class":"conflict"},"previousTargetId":"i-9","currentTargetId":null}`
	if string(b) != want {
		t.Fatalf("JSON\n got %s\nwant %s", b, want)
	}
	r.Error, r.Status = nil, eip.StatusAssociated
	if b, _ := json.Marshal(r); !strings.Contains(string(b), `"error":null`) {
		t.Fatalf("JSON %s: a row without error must say \"error\":null", b)
	}
	y, err := yaml.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"provider:", "region:", "eipId:", "ip:", "targetId:", "targetType:", "status:", "error: null", "previousTargetId: i-9", "currentTargetId: null"} {
		if !strings.Contains(string(y), k) {
			t.Errorf("YAML lacks %q:\n%s", k, y)
		}
	}
}

func TestSummaryFieldNames(t *testing.T) {
	b, _ := json.Marshal(eip.Summary{Total: 6, Associated: 1, Unchanged: 1, Pending: 1, Failed: 1, TimedOut: 2})
	if want := `{"total":6,"associated":1,"moved":0,"unchanged":1,"pending":1,"planned":0,"failed":1,"timedOut":2}`; string(b) != want {
		t.Fatalf("summary JSON %s, want %s", b, want)
	}
	b, _ = json.Marshal(eip.DisassociateSummary{Total: 1, Disassociated: 1})
	if want := `{"total":1,"disassociated":1,"unchanged":0,"pending":0,"planned":0,"failed":0,"timedOut":0}`; string(b) != want {
		t.Fatalf("disassociate summary JSON %s, want %s", b, want)
	}
	b, _ = json.Marshal(eip.PlannedCall{Provider: "p", Region: "r", Action: "A", Params: map[string]string{"k": "v"}})
	if want := `{"provider":"p","region":"r","action":"A","params":{"k":"v"}}`; string(b) != want {
		t.Fatalf("planned call JSON %s, want %s", b, want)
	}
}

func TestRetryableClasses(t *testing.T) {
	for c, want := range map[eip.Class]bool{eip.ClassThrottled: true, eip.ClassTransient: true, eip.ClassConflict: true,
		eip.ClassInvalid: false, eip.ClassNotFound: false, eip.ClassAuth: false} {
		if c.Retryable() != want {
			t.Errorf("%s.Retryable() = %v, want %v", c, !want, want)
		}
	}
	if got := eip.Errorf(eip.ClassAuth, "", "no key").Error(); got != "no key" {
		t.Errorf("an error without a code reads %q", got)
	}
}

func TestInferLongestPrefix(t *testing.T) {
	caps := eip.Capabilities{TargetPrefixes: map[string]eip.TargetType{"i-": eip.Instance, "in-": eip.NAT}}
	for id, want := range map[string]eip.TargetType{"i-123": eip.Instance, "in-123": eip.NAT} {
		if got, ok := caps.Infer(id); !ok || got != want {
			t.Errorf("Infer(%s) = %s, %v; want %s", id, got, ok, want)
		}
	}
	if _, ok := caps.Infer("x-1"); ok {
		t.Error("Infer(x-1) guessed a type")
	}
	// A prefix the cloud's ID syntax requires tells the type without being
	// listed again in TargetPrefixes.
	caps.Syntax = &eip.Syntax{Targets: map[eip.TargetType]eip.IDRule{eip.HaVip: {Prefix: "havip-"}, eip.LB: {}}}
	if got, ok := caps.Infer("havip-1"); !ok || got != eip.HaVip {
		t.Errorf("Infer(havip-1) = %s, %v; want havip from the syntax", got, ok)
	}
	if got, ok := caps.Infer("in-1"); !ok || got != eip.NAT {
		t.Errorf("Infer(in-1) = %s, %v; TargetPrefixes no longer read beside the syntax", got, ok)
	}
	if n := (eip.Capabilities{BatchSize: map[eip.TargetType]int{eip.NAT: 50}}).Batch(eip.Instance); n != 1 {
		t.Errorf("Batch for a type without an entry = %d, want 1", n)
	}
}

// A bare ID (a real Zenlayer one) says nothing of its kind; what the binding
// asks for may: only a vNIC takes passthrough or a private IP there.
func TestInferForFromWhatTheBindingAsks(t *testing.T) {
	caps := eip.Capabilities{
		TargetTypes: []eip.TargetType{eip.NAT, eip.ENI, eip.LB},
		Modes: map[eip.TargetType][]eip.Mode{
			eip.ENI: {eip.ModeNAT, eip.ModePassthrough}, eip.NAT: {eip.ModeNAT}, eip.LB: {eip.ModeNAT},
		},
		Syntax: &eip.Syntax{PrivateIP: []eip.TargetType{eip.ENI}},
	}
	const bare = "1680855999352675875"
	for _, c := range []struct {
		b    eip.Binding
		want eip.TargetType
	}{
		{eip.Binding{Target: bare, Mode: eip.ModePassthrough}, eip.ENI},
		{eip.Binding{Target: bare, PrivateIP: "10.0.0.5"}, eip.ENI},
		{eip.Binding{Target: bare}, ""},
		{eip.Binding{Target: bare, Mode: eip.ModeNAT}, ""}, // every type takes NAT
	} {
		got, ok := caps.InferFor(c.b)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("InferFor(%+v) = %q, %v; want %q", c.b, got, ok, c.want)
		}
	}
}

func ptr(s string) *string { return &s }

// The unified words parse to themselves; anything else is refused with the
// list to pick from, and an empty mode is the default.
func TestParseWords(t *testing.T) {
	for _, tt := range eip.TargetTypes {
		if got, err := eip.ParseTargetType(string(tt)); got != tt || err != nil {
			t.Errorf("ParseTargetType(%q) = %q, %v", tt, got, err)
		}
	}
	for _, m := range eip.Modes {
		if got, err := eip.ParseMode(string(m)); got != m || err != nil {
			t.Errorf("ParseMode(%q) = %q, %v", m, got, err)
		}
	}
	if got, err := eip.ParseMode(""); got != eip.ModeNAT || err != nil {
		t.Errorf(`ParseMode("") = %q, %v; want nat`, got, err)
	}
	// A word nothing is near, and a two-letter word two edits from every
	// two-letter word ("vm" is not "lb"), get the list alone.
	for _, far := range []string{"router", "vm"} {
		want := `unknown target type "` + far + `": use one of instance, eni, nat, lb, havip`
		if _, err := eip.ParseTargetType(far); err == nil || err.Error() != want {
			t.Errorf("ParseTargetType(%s): %v, want %s", far, err, want)
		}
	}
	// A typo names the nearest word, as every flag value's does (pkg/cli).
	if _, err := eip.ParseTargetType("instanse"); err == nil || err.Error() != `unknown target type "instanse": did you mean "instance"? use one of instance, eni, nat, lb, havip` {
		t.Errorf("ParseTargetType(instanse): %v", err)
	}
	if _, err := eip.ParseMode("nats"); err == nil || err.Error() != `unknown mode "nats": did you mean "nat"? use one of nat, multi-binded, passthrough, fullnat` {
		t.Errorf("ParseMode(nats): %v", err)
	}
	if _, err := eip.ParseMode("turbo"); err == nil || err.Error() != `unknown mode "turbo": use one of nat, multi-binded, passthrough, fullnat` {
		t.Errorf("ParseMode(turbo): %v", err)
	}
	if got, err := eip.ParseTargetType(""); got != "" || err == nil {
		t.Errorf(`ParseTargetType("") = %q, %v; want refused`, got, err)
	}
}
