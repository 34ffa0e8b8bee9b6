package e2e_test

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"slices"
	"strings"
	"testing"
)

// runDoc is the associate / disassociate document.
type runDoc struct {
	Results []resultRow    `json:"results"`
	Summary map[string]int `json:"summary"`
}

type resultRow struct {
	Provider   string    `json:"provider"`
	Region     string    `json:"region"`
	EIPID      string    `json:"eipId"`
	IP         string    `json:"ip"`
	TargetID   string    `json:"targetId"`
	TargetType string    `json:"targetType"`
	Status     string    `json:"status"`
	Error      *rowError `json:"error"`
	Previous   *string   `json:"previousTargetId"`
	Current    *string   `json:"currentTargetId"`
}

type rowError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Class   string `json:"class"`
}

// listDoc is the `eip list` document.
type listDoc struct {
	EIPs []listedEIP `json:"eips"`
	// Errors are the regions the list could not read (docs/output.md).
	Errors []struct {
		Provider string    `json:"provider"`
		Region   string    `json:"region"`
		Error    *rowError `json:"error"`
	} `json:"errors"`
}

type listedEIP struct {
	Provider     string `json:"provider"`
	Region       string `json:"region"`
	EIPID        string `json:"eipId"`
	IP           string `json:"ip"`
	Status       string `json:"status"`
	NativeStatus string `json:"nativeStatus"`
	TargetID     string `json:"targetId"`
	TargetType   string `json:"targetType"`
	PrivateIP    string `json:"privateIp"` // where the cloud shows it
	Mode         string `json:"mode"`      // where the cloud shows it
}

// decodeOnly decodes stdout as exactly one JSON document with no field the
// type lacks and nothing after it: a script piping stdout to jq gets only the
// document.
func decodeOnly(t *testing.T, r result, v any) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("stdout is not the expected JSON document: %v\n%s", err, r)
	}
	if _, err := dec.Token(); err != io.EOF {
		t.Fatalf("stdout holds more than one JSON document\n%s", r)
	}
}

func mustExit(t *testing.T, r result, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit code %d, want %d\n%s", r.code, code, r)
	}
}

// decodeRun checks the exit code and decodes the associate / disassociate document.
func decodeRun(t *testing.T, r result, code int) runDoc {
	t.Helper()
	mustExit(t, r, code)
	var d runDoc
	decodeOnly(t, r, &d)
	return d
}

// row returns the result row for an EIP.
func (d runDoc) row(t *testing.T, eipID string) resultRow {
	t.Helper()
	for _, r := range d.Results {
		if r.EIPID == eipID {
			return r
		}
	}
	t.Fatalf("no result row for %s in %+v", eipID, d.Results)
	return resultRow{}
}

// wantRows checks each EIP's row status (and that there are no others).
func (d runDoc) wantRows(t *testing.T, status map[string]string) {
	t.Helper()
	if len(d.Results) != len(status) {
		t.Fatalf("%d result rows, want %d: %+v", len(d.Results), len(status), d.Results)
	}
	for id, want := range status {
		r := d.row(t, id)
		if r.Status != want {
			t.Errorf("%s: status %q (error %+v), want %q", id, r.Status, r.Error, want)
		}
		if (r.Error != nil) != (want == "failed" || want == "timeout") {
			t.Errorf("%s: status %s with error %+v", id, r.Status, r.Error)
		}
	}
}

// list runs `eip list -o json` with the given connection flags.
func list(t *testing.T, e *env, provider, region string, conn ...string) map[string]listedEIP {
	t.Helper()
	args := append([]string{"eip", "list", "--provider", provider, "--region", region, "-o", "json"}, conn...)
	r := e.run(args...)
	mustExit(t, r, 0)
	var d listDoc
	decodeOnly(t, r, &d)
	out := map[string]listedEIP{}
	for _, x := range d.EIPs {
		out[x.EIPID] = x
	}
	return out
}

// wantListed checks that list shows id with status on target (target ""
// means unbound).
func wantListed(t *testing.T, l map[string]listedEIP, id, status, target, targetType string) {
	t.Helper()
	x, ok := l[id]
	if !ok {
		t.Fatalf("eip list does not show %s", id)
	}
	if x.Status != status || x.TargetID != target || x.TargetType != targetType {
		t.Errorf("eip list shows %s as %s (%s) on %q type %q, want %s on %q type %q",
			id, x.Status, x.NativeStatus, x.TargetID, x.TargetType, status, target, targetType)
	}
}

// keys returns a JSON object's keys, sorted, as one comparable string.
func keys(t *testing.T, v any) string {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%#v is not an object", v)
	}
	return strings.Join(slices.Sorted(maps.Keys(m)), ",")
}

// generic decodes stdout into plain maps and slices.
func generic(t *testing.T, r result) map[string]any {
	t.Helper()
	var v map[string]any
	dec := json.NewDecoder(bytes.NewReader([]byte(r.stdout)))
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("stdout is not a JSON object: %v\n%s", err, r)
	}
	return v
}

// associateSim runs `eip associate --sim` of eips (IDs split by commas) onto
// target in one region, with extra flags, and decodes the report of a run
// that must exit code.
func associateSim(t *testing.T, e *env, code int, provider, region, eips, target string, extra ...string) runDoc {
	t.Helper()
	args := []string{"eip", "associate", "--sim", "--provider", provider, "--region", region, "--eip", eips, "--target", target}
	return decodeRun(t, e.run(append(append(args, extra...), "-o", "json")...), code)
}
