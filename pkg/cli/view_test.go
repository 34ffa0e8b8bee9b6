package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// --query is applied to the JSON shape of every verb that prints data, and
// its result is printed as JSON (or one line with -o jsonl), whatever -o
// says otherwise.
func TestQueryOnEveryDataVerb(t *testing.T) {
	isolate(t)
	sim := []string{"--sim", "--provider", "alibaba", "--region", "cn-hangzhou"}
	for _, c := range []struct {
		name string
		args []string
		code int
		want string // stdout, compared as JSON
	}{
		{"list", []string{"eip", "list", "--query", "eips[?eipId=='eip-hz0024'].targetId | [0]"}, 0, `"i-hz0008"`},
		{"list as table still JSON", []string{"eip", "list", "-o", "table", "--query", "length(eips)"}, 0, `24`},
		{"describe", []string{"eip", "describe", "eip-hz0024", "--query", "eips[0].{ip: ip, mode: mode}"}, 0, `{"ip":"47.96.0.25","mode":"nat"}`},
		{"associate", []string{"eip", "associate", "--eip", "eip-hz0001", "--target", "i-hz0001", "--query", "summary.associated"}, 0, `1`},
		{"associate again", []string{"eip", "associate", "--eip", "eip-hz0001", "--target", "i-hz0001", "--query", "results[].status"}, 0, `["unchanged"]`},
		{"wait", []string{"eip", "wait", "eip-hz0001", "--for", "associated", "--query", "results[0].currentTargetId"}, 0, `"i-hz0001"`},
		{"disassociate", []string{"eip", "disassociate", "--eip", "eip-hz0001", "--query", "results[0].[status, previousTargetId]"}, 0, `["disassociated","i-hz0001"]`},
		{"sim inventory", []string{"sim", "inventory", "--query", "providers[?region=='cn-hangzhou'].eips[] | length(@)"}, 0, `24`},
		{"config doctor", []string{"config", "doctor", "--query", "providers[?provider=='alibaba'].check | [0]"}, 0, `"ok"`},
		{"history", []string{"eip", "history", "--query", "entries[?eipId=='eip-hz0001'].action"}, 0, `["bind","unbind"]`},
	} {
		args := c.args
		if c.args[0] == "eip" && c.args[1] != "history" {
			args = append(append([]string{}, c.args...), sim...)
		} else if c.args[0] == "config" {
			args = append(append([]string{}, c.args...), "--sim")
		}
		code, stdout, stderr := run(t, args...)
		if code != c.code {
			t.Errorf("%s: exit %d, want %d\n%s", c.name, code, c.code, stderr)
			continue
		}
		if !jsonEqual(stdout, c.want) {
			t.Errorf("%s: stdout %s, want %s", c.name, stdout, c.want)
		}
	}
}

func jsonEqual(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	xb, _ := json.Marshal(x)
	yb, _ := json.Marshal(y)
	return string(xb) == string(yb)
}

// With -o jsonl the query is applied to each line; a line it makes null
// (the summary line, for a row's key) is left out, so each line stays one
// value.
func TestQueryWithJSONLinesKeepsOneValueALine(t *testing.T) {
	isolate(t)
	code, stdout, stderr := run(t, "eip", "associate", "--sim", "--provider", "alibaba", "--region", "cn-hangzhou",
		"--eip", "eip-hz0001,eip-hz0002", "--target", "ngw-hz0001", "-o", "jsonl", "--query", "{eip: eipId, status: status}")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines, want 2 rows and the summary line (all keys null there):\n%s", len(lines), stdout)
	}
	for _, l := range lines[:2] {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil || m["status"] != "associated" || len(m) != 2 {
			t.Errorf("line %s: want {eip, status} of an associated row", l)
		}
	}
	code, stdout, _ = run(t, "eip", "associate", "--sim", "--provider", "alibaba", "--region", "cn-hangzhou",
		"--eip", "eip-hz0001,eip-hz0002", "--target", "ngw-hz0001", "-o", "jsonl", "--query", "eipId")
	if code != 0 || stdout != "\"eip-hz0001\"\n\"eip-hz0002\"\n" && stdout != "\"eip-hz0002\"\n\"eip-hz0001\"\n" {
		t.Errorf("--query eipId with -o jsonl: exit %d, stdout %q; want a line per row and no null summary line", code, stdout)
	}
}

// Bad --query, --columns and their mixes are exit 2 with one line naming
// the flag, before anything is sent.
func TestBadQueryOrColumnsIsExit2(t *testing.T) {
	isolate(t)
	sim := []string{"--sim", "--provider", "alibaba", "--region", "cn-hangzhou"}
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"eip", "list", "--query", "eips[?"}, []string{"--query", "JMESPath"}},
		{[]string{"eip", "list", "--query", " "}, []string{"--query is empty"}},
		{[]string{"eip", "list", "--query", "sort_by(@, &ip)"}, []string{"--query", "invalid type"}},
		{[]string{"eip", "list", "--columns", "eipId,owner"}, []string{`"owner" is not a column`, "eipId, ip, status, nativeStatus, targetId, targetType"}},
		{[]string{"eip", "list", "--columns", "eipId", "-o", "json"}, []string{"--columns applies to -o table"}},
		{[]string{"eip", "list", "--columns", "eipId", "--query", "eips"}, []string{"--columns and --query"}},
		{[]string{"eip", "associate", "--eip", "eip-hz0003", "--target", "i-hz0003", "--columns", "eipId,bogus"}, []string{`"bogus" is not a column`, "error.code"}},
		{[]string{"eip", "associate", "--eip", "eip-hz0003", "--target", "i-hz0003", "--query", "results[}"}, []string{"--query"}},
	} {
		code, stdout, stderr := run(t, append(c.args, sim...)...)
		lines := strings.Split(strings.TrimSpace(stderr), "\n")
		ok := code == 2 && stdout == "" && len(lines) == 1
		for _, w := range c.want {
			ok = ok && strings.Contains(stderr, w)
		}
		if !ok {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2, one line with %q", c.args, code, stdout, stderr, c.want)
		}
	}
	// Nothing was sent: eip-hz0003 is still free.
	_, stdout, _ := run(t, append([]string{"eip", "describe", "eip-hz0003", "--query", "eips[0].status"}, sim...)...)
	if strings.TrimSpace(stdout) != `"available"` {
		t.Errorf("eip-hz0003 is %s after refused runs, want available", stdout)
	}
	// A command that prints no data has no --query.
	if code, _, stderr := run(t, "version", "--query", "x"); code != 2 || !strings.Contains(stderr, "unknown flag --query") {
		t.Errorf("version --query: exit %d, %q; want 2, unknown flag", code, stderr)
	}
}

// --columns picks table columns by JSON key, nested keys with a dot, and
// implies -o table where the default would be JSON.
func TestColumnsPickTableColumns(t *testing.T) {
	isolate(t)
	sim := []string{"--sim", "--provider", "alibaba", "--region", "cn-hangzhou"}
	code, stdout, stderr := run(t, append([]string{"eip", "list", "--status", "associated", "--columns", "eipId,targetId"}, sim...)...)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "│ EIP ID     │ TARGET ID │") || !strings.Contains(stdout, "│ eip-hz0024 │ i-hz0008  │") || strings.Contains(stdout, "47.96") {
		t.Errorf("list --columns eipId,targetId:\n%s", stdout)
	}
	code, stdout, _ = run(t, append([]string{"eip", "describe", "eip-hz0024", "-o", "table", "--columns", "ip,privateIp,nativeMode"}, sim...)...)
	if code != 0 || !strings.Contains(stdout, "│ IP         │ PRIVATE IP │ NATIVE MODE │") || !strings.Contains(stdout, "│ 47.96.0.25 │ 10.1.8.10  │ NAT         │") {
		t.Errorf("describe --columns: exit %d\n%s", code, stdout)
	}
	code, stdout, _ = run(t, append([]string{"eip", "associate", "--eip", "eip-hz0024", "--target", "i-hz0001", "--columns", "eipId,status,error.code"}, sim...)...)
	if code != 1 || !strings.Contains(stdout, "│ EIP ID     │ STATUS │ ERROR CODE   │") || !strings.Contains(stdout, "│ eip-hz0024 │ failed │ AlreadyBound │") {
		t.Errorf("associate --columns: exit %d\n%s", code, stdout)
	}
	// eip list's privateIp and mode, which only some rows have, are columns too.
	run(t, append([]string{"eip", "associate", "--eip", "eip-hz0002", "--target", "eni-hz0001", "--target-type", "eni", "--private-ip", "10.1.9.11"}, sim...)...)
	code, stdout, _ = run(t, append([]string{"eip", "list", "--target", "eni-hz0001", "--columns", "eipId,privateIp,mode"}, sim...)...)
	if code != 0 || !strings.Contains(stdout, "│ EIP ID     │ PRIVATE IP │ MODE │") || !strings.Contains(stdout, "│ eip-hz0002 │ 10.1.9.11  │ nat  │") {
		t.Errorf("list --columns eipId,privateIp,mode: exit %d\n%s", code, stdout)
	}
	// eip history's entries, with a holder's keys nested.
	code, stdout, _ = run(t, "eip", "history", "--eip", "eip-hz0002", "--columns", "eipId,action,new.targetId")
	if code != 0 || !strings.Contains(stdout, "│ EIP ID     │ ACTION │ NEW TARGET ID │") || !strings.Contains(stdout, "│ eip-hz0002 │ bind   │ eni-hz0001    │") {
		t.Errorf("history --columns: exit %d\n%s", code, stdout)
	}
}
