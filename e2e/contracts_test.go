package e2e_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The key sets below are public contracts: scripts index these documents.
const (
	runKeys          = "results,summary"
	rowKeys          = "currentTargetId,eipId,error,ip,previousTargetId,provider,region,status,targetId,targetType"
	errorKeys        = "class,code,message"
	associateSumKeys = "associated,failed,moved,pending,planned,timedOut,total,unchanged"
	disassocSumKeys  = "disassociated,failed,pending,planned,timedOut,total,unchanged"
	listKeys         = "eips,errors"
	listedKeys       = "eipId,ip,nativeStatus,provider,region,status,targetId,targetType"
	inventoryKeys    = "providers"
	invRegionKeys    = "eips,provider,region,targets"
	invEIPKeys       = "id,ip,status,targetId"
	invTargetKeys    = "capacity,id,privateIps,type"
	serveKeys        = "credentials,endpoint"
	credentialKeys   = "id,secret"
)

var (
	rowStatuses    = set("associated", "moved", "unchanged", "pending", "planned", "failed", "timeout", "disassociated")
	errorClasses   = set("invalid", "notfound", "conflict", "throttled", "transient", "auth")
	listedStatuses = set("available", "associating", "associated", "disassociating", "other")
)

func set(ws ...string) map[string]bool {
	m := map[string]bool{}
	for _, w := range ws {
		m[w] = true
	}
	return m
}

func wantKeys(t *testing.T, what string, v any, want string) {
	t.Helper()
	if got := keys(t, v); got != want {
		t.Errorf("%s keys = %s, want exactly %s", what, got, want)
	}
}

// checkRunDoc checks an associate or disassociate document's shape.
func checkRunDoc(t *testing.T, doc map[string]any, summaryKeys string) {
	t.Helper()
	wantKeys(t, "document", doc, runKeys)
	wantKeys(t, "summary", doc["summary"], summaryKeys)
	for _, v := range doc["summary"].(map[string]any) {
		if _, ok := v.(float64); !ok {
			t.Errorf("summary value %#v is not a number", v)
		}
	}
	rows, _ := doc["results"].([]any)
	if len(rows) == 0 {
		t.Fatalf("no result rows: %v", doc)
	}
	for _, r := range rows {
		wantKeys(t, "result row", r, rowKeys)
		row := r.(map[string]any)
		if !rowStatuses[row["status"].(string)] {
			t.Errorf("row status %q is not a contract word", row["status"])
		}
		if row["error"] != nil {
			wantKeys(t, "row error", row["error"], errorKeys)
			if c, _ := row["error"].(map[string]any)["class"].(string); !errorClasses[c] {
				t.Errorf("error class %q is not a contract word", c)
			}
		}
	}
}

func TestContractAssociateAndDisassociateJSON(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	// One bound, one bound elsewhere (an error object), one not found.
	r := e.run("eip", "associate", "--sim", "--provider", "alibaba", "--region", "cn-hangzhou",
		"--eip", "eip-hz0001,eip-hz0024,eip-hz0999", "--target", "i-hz0001", "-o", "json")
	mustExit(t, r, 3)
	doc := generic(t, r)
	checkRunDoc(t, doc, associateSumKeys)
	nerr := 0
	for _, row := range doc["results"].([]any) {
		if row.(map[string]any)["error"] != nil {
			nerr++
		}
	}
	if nerr != 2 {
		t.Errorf("%d rows carry an error, want 2 (bound elsewhere, not found)\n%s", nerr, r)
	}

	r = e.run("eip", "disassociate", "--sim", "--provider", "alibaba", "--region", "cn-hangzhou",
		"--eip", "eip-hz0001,eip-hz0002", "-o", "json")
	mustExit(t, r, 0)
	checkRunDoc(t, generic(t, r), disassocSumKeys)
}

func TestContractListAndInventoryJSON(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.run("eip", "list", "--sim", "--provider", "tencent", "--region", "ap-guangzhou", "-o", "json")
	mustExit(t, r, 0)
	doc := generic(t, r)
	wantKeys(t, "list", doc, listKeys)
	eips := doc["eips"].([]any)
	if len(eips) == 0 {
		t.Fatalf("list shows no EIPs\n%s", r)
	}
	for _, x := range eips {
		// privateIp and mode are there where the cloud shows them (bound rows).
		row := map[string]any{}
		for k, v := range x.(map[string]any) {
			if k != "privateIp" && k != "mode" || x.(map[string]any)["targetId"] == "" {
				row[k] = v
			}
		}
		wantKeys(t, "listed EIP", row, listedKeys)
		if s := x.(map[string]any)["status"].(string); !listedStatuses[s] {
			t.Errorf("listed status %q is not a contract word", s)
		}
	}

	r = e.run("sim", "inventory", "-o", "json")
	mustExit(t, r, 0)
	doc = generic(t, r)
	wantKeys(t, "inventory", doc, inventoryKeys)
	providers := map[string]bool{}
	for _, reg := range doc["providers"].([]any) {
		wantKeys(t, "inventory region", reg, invRegionKeys)
		m := reg.(map[string]any)
		providers[m["provider"].(string)] = true
		for _, x := range m["eips"].([]any) {
			wantKeys(t, "inventory EIP", x, invEIPKeys)
		}
		for _, x := range m["targets"].([]any) {
			wantKeys(t, "inventory target", x, invTargetKeys)
			if _, ok := x.(map[string]any)["privateIps"].([]any); !ok {
				t.Errorf("privateIps of %v is not a list", x)
			}
		}
	}
	if len(providers) != 3 {
		t.Errorf("inventory covers %v, want alibaba, tencent and zenlayer", providers)
	}
}

func TestContractSimServeLine(t *testing.T) {
	t.Parallel()
	s := serve(t)
	if strings.Count(s.line, "\n") != 1 || !strings.HasSuffix(s.line, "}\n") {
		t.Errorf("sim serve -o json printed %q, want one line of JSON", s.line)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(s.line), &doc); err != nil {
		t.Fatal(err)
	}
	wantKeys(t, "sim serve", doc, serveKeys)
	wantKeys(t, "credentials", doc["credentials"], "alibaba,tencent,zenlayer")
	for p, c := range doc["credentials"].(map[string]any) {
		wantKeys(t, p+" credentials", c, credentialKeys)
	}
	if !strings.HasPrefix(s.Endpoint, "http://127.0.0.1:") {
		t.Errorf("endpoint %q, want http://127.0.0.1:PORT", s.Endpoint)
	}
	// The endpoint and credentials it printed are the ones it serves.
	list(t, s.clientEnv(t), "zenlayer", "asia-east-1", "--endpoint", s.Endpoint)
}

// yamlAsJSON turns a YAML document into the generic JSON form, so both
// renderings of one result compare equal.
func yamlAsJSON(t *testing.T, r result) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal([]byte(r.stdout), &v); err != nil {
		t.Fatalf("stdout is not YAML: %v\n%s", err, r)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("YAML document does not convert to JSON: %v\n%s", err, r)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// YAML output is the JSON document in another syntax: same keys, same values.
func TestContractYAMLMatchesJSON(t *testing.T) {
	t.Parallel()
	// The same run in two fresh worlds, once per format.
	assoc := []string{"eip", "associate", "--sim", "--provider", "zenlayer", "--region", "asia-east-1",
		"--eip", "eip-ae0001,eip-ae0024", "--target", "nat-ae0001"}
	disassoc := []string{"eip", "disassociate", "--sim", "--provider", "zenlayer", "--region", "asia-east-1", "--eip", "eip-ae0001"}
	listArgs := []string{"eip", "list", "--sim", "--provider", "zenlayer", "--region", "asia-east-1"}
	jsonEnv, yamlEnv := newEnv(t), newEnv(t)
	for _, args := range [][]string{assoc, listArgs, {"sim", "inventory"}, disassoc} {
		j := jsonEnv.run(append(args, "-o", "json")...)
		y := yamlEnv.run(append(args, "-o", "yaml")...)
		if j.code != y.code {
			t.Fatalf("exit %d with -o json, %d with -o yaml\n%s\n%s", j.code, y.code, j, y)
		}
		var jv any = generic(t, j)
		if yv := yamlAsJSON(t, y); !reflect.DeepEqual(jv, yv) {
			t.Errorf("eipctl %s: YAML and JSON documents differ\n--- json\n%s--- yaml\n%s", strings.Join(args, " "), j.stdout, y.stdout)
		}
	}
}

// On a pipe (not a terminal) stdout is JSON unless a table is asked for, by
// -o table or EIPCTL_OUTPUT=table; the table's summary line goes to stderr.
func TestContractTableOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	listArgs := []string{"eip", "list", "--sim", "--provider", "alibaba", "--region", "cn-hangzhou"}

	plain := e.run(listArgs...)
	mustExit(t, plain, 0)
	var d listDoc
	decodeOnly(t, plain, &d)

	for _, r := range []result{e.run(append(listArgs, "-o", "table")...), e.with("EIPCTL_OUTPUT", "table").run(listArgs...)} {
		mustExit(t, r, 0)
		if json.Valid([]byte(r.stdout)) || !strings.Contains(r.stdout, "NATIVE") || !strings.Contains(r.stdout, "eip-hz0024") {
			t.Errorf("want a table with a header and the EIPs\n%s", r)
		}
	}

	// -o wins over EIPCTL_OUTPUT.
	r := e.with("EIPCTL_OUTPUT", "table").run(append(listArgs, "-o", "json")...)
	mustExit(t, r, 0)
	decodeOnly(t, r, &d)

	assoc := e.run("eip", "associate", "--sim", "--provider", "alibaba", "--region", "cn-hangzhou",
		"--eip", "eip-hz0001", "--target", "i-hz0001", "-o", "table")
	mustExit(t, assoc, 0)
	if !strings.Contains(assoc.stdout, "STATUS") || !strings.Contains(assoc.stdout, "associated") {
		t.Errorf("associate -o table: want a table row for the EIP\n%s", assoc)
	}
	if !strings.Contains(assoc.stderr, "1 EIP: 1 associated") || strings.Contains(assoc.stdout, "1 EIP:") {
		t.Errorf("associate -o table: want the summary line on stderr only\n%s", assoc)
	}
}

// Progress and --debug lines go to stderr; stdout stays one document.
func TestContractStdoutHoldsOnlyTheDocument(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.run("eip", "associate", "--sim", "--provider", "tencent", "--region", "ap-guangzhou",
		"--eip", "eip-gz000001", "--target", "ins-gz000001", "--debug")
	d := decodeRun(t, r, 0) // no -o: JSON on a pipe
	d.wantRows(t, map[string]string{"eip-gz000001": "associated"})
	if !strings.Contains(r.stderr, "debug: POST") || !strings.Contains(r.stderr, "eip-gz000001: ") {
		t.Errorf("--debug: want request lines and progress on stderr\n%s", r)
	}
	if strings.Contains(r.stdout, "debug:") {
		t.Errorf("debug lines reached stdout\n%s", r)
	}

	q := e.run("eip", "disassociate", "--sim", "--provider", "tencent", "--region", "ap-guangzhou",
		"--eip", "eip-gz000001", "-o", "json", "--debug", "-q")
	decodeRun(t, q, 0).wantRows(t, map[string]string{"eip-gz000001": "disassociated"})
	if !strings.Contains(q.stderr, "debug: POST") || strings.Contains(q.stderr, "eip-gz000001: ") {
		t.Errorf("--debug -q: want request lines but no progress on stderr\n%s", q)
	}
}
