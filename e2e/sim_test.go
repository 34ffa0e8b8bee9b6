package e2e_test

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A fault spec that could never fire is refused before the emulator starts:
// exit 2, one line naming the part to fix.
func TestSimServeRefusesFaultsThatCannotFire(t *testing.T) {
	e := newEnv(t)
	cases := map[string]string{
		"explode":                                 "unknown kind",
		"throttle,provider=aws":                   `unknown provider "aws"`,
		"throttle,provider=tencent,action=Nope":   "Nope is not a action of tencent",
		"throttle,times=-1":                       "times=",
		"latency,delay=-2s":                       "delay=",
		"fail-binding,action=DescribeAddresses":   "not a binding action",
		"drop-after-commit,action=DescribeEips":   "not a mutating action",
		"reset,p=2":                               "p=",
		"throttle,provider=alibaba,colour=purple": "unknown field",
	}
	for spec, want := range cases {
		r := e.run("sim", "serve", "--listen", "127.0.0.1:0", "--fault", spec)
		mustExit(t, r, 2)
		if lines := strings.Split(strings.TrimSpace(r.stderr), "\n"); len(lines) != 1 || !strings.Contains(r.stderr, want) {
			t.Errorf("--fault %s: stderr %q, want one line containing %q", spec, r.stderr, want)
		}
	}
}

// --tls serves HTTPS with a CA named in the JSON line; eipctl trusts it
// through --ca-file (or Go's SSL_CERT_FILE); --request-log holds one line
// per request.
func TestSimServeTLSAndRequestLog(t *testing.T) {
	logPath := filepath.Join(t.TempDir(), "requests.jsonl")
	s := serve(t, "--tls", "--request-log", logPath, "--latency", "5ms")
	var line struct {
		Endpoint string `json:"endpoint"`
		CAFile   string `json:"caFile"`
	}
	if err := json.Unmarshal([]byte(s.line), &line); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(line.Endpoint, "https://127.0.0.1:") || !strings.HasPrefix(line.CAFile, s.dir) {
		t.Fatalf("sim serve --tls -o json: %s; want an https endpoint and a caFile in the state directory", s.line)
	}
	if _, err := os.Stat(line.CAFile); err != nil {
		t.Fatal(err)
	}
	c := s.clientEnv(t)
	args := []string{"eip", "list", "--endpoint", line.Endpoint, "--provider", "alibaba", "--region", "cn-hangzhou", "-o", "json"}
	if r := c.run(args...); r.code == 0 {
		t.Fatalf("a client that does not trust the CA succeeded\n%s", r)
	}
	r := c.with("SSL_CERT_FILE", line.CAFile).run(args...)
	mustExit(t, r, 0)
	// eipctl's own setting: --ca-file (or EIPCTL_CA_FILE, or ca-file in a profile).
	mustExit(t, c.run(append(args, "--ca-file", line.CAFile)...), 0)
	mustExit(t, c.with("EIPCTL_CA_FILE", line.CAFile).run(args...), 0)
	bad := c.run(append(args, "--ca-file", filepath.Join(s.dir, "nothing.pem"))...)
	mustExit(t, bad, 2)
	if !strings.Contains(bad.stderr, "--ca-file") || strings.Count(strings.TrimSpace(bad.stderr), "\n") != 0 {
		t.Fatalf("a missing --ca-file: %q, want one line naming --ca-file", bad.stderr)
	}

	f, err := os.Open(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ok := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var q map[string]any
		if err := json.Unmarshal(sc.Bytes(), &q); err != nil || len(q) != 6 {
			t.Fatalf("request log line %q", sc.Text())
		}
		if q["provider"] == "alibaba" && q["action"] == "DescribeEipAddresses" && q["region"] == "cn-hangzhou" && q["status"] == float64(200) && q["code"] == "" {
			ok++
		}
	}
	if ok == 0 {
		t.Fatal("the request log holds no successful DescribeEipAddresses of the trusted run")
	}
}
