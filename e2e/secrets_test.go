package e2e_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// With --debug, eipctl logs every request, yet neither stdout nor stderr
// holds a secret key or a request signature: --debug output gets pasted into
// tickets. The proxy in front of the emulator records every signature sent,
// so the check covers exactly the values that were on the wire. (The
// emulator's own keys are printed by `sim serve` by design; they are not
// real secrets, and eipctl's runs must not echo them either.)
func TestSecretsStayOutOfOutput(t *testing.T) {
	t.Parallel()
	const wrongSecret = "wrong-secret-f00dfeed-must-not-print"
	for _, c := range []struct {
		provider, region, eip, target string
		extra                         []string
	}{
		{"alibaba", "cn-hangzhou", "eip-hz0001", "ngw-hz0001", nil},
		{"tencent", "ap-guangzhou", "eip-gz000001", "eni-gz000001", []string{"--private-ip", "10.1.9.10"}},
		{"zenlayer", "asia-east-1", "eip-ae0001", "nat-ae0001", nil},
	} {
		t.Run(c.provider, func(t *testing.T) {
			t.Parallel()
			s, rc, good := recorded(t)
			conn := []string{"--endpoint", rc.URL, "--provider", c.provider, "--region", c.region, "--debug", "--state-dir", t.TempDir()}
			var runs []result

			r := good.run(append(append([]string{"eip", "associate", "--eip", c.eip, "--target", c.target, "-o", "json"}, conn...), c.extra...)...)
			decodeRun(t, r, 0).wantRows(t, map[string]string{c.eip: "associated"})
			runs = append(runs, r)
			r = good.run(append([]string{"eip", "list", "-o", "yaml"}, conn...)...)
			mustExit(t, r, 0)
			runs = append(runs, r)
			r = good.run(append([]string{"eip", "disassociate", "--eip", c.eip, "-o", "table"}, conn...)...)
			mustExit(t, r, 0)
			runs = append(runs, r)
			r = good.with(secretVar(t, c.provider), wrongSecret).run(append(append([]string{"eip", "associate", "--eip", c.eip, "--target", c.target, "-o", "json"}, conn...), c.extra...)...)
			mustExit(t, r, 5)
			runs = append(runs, r)
			// A signature refusal echoes the key ID (Alibaba: in the whole
			// string to sign); rows and stderr show a short prefix at most.
			list := good.with(secretVar(t, c.provider), wrongSecret).run(append([]string{"eip", "list", "-o", "table"}, conn...)...)
			mustExit(t, list, 5)
			for _, run := range []result{r, list} {
				if id := s.Credentials[c.provider]["id"]; strings.Contains(run.stdout+run.stderr, id) {
					t.Errorf("the access key ID %s is printed\n%s", id, run)
				}
			}
			runs = append(runs, list)

			if c.provider == "alibaba" {
				// Credentials from a profile (a 0600 config file) are kept as quiet.
				cfgHome := t.TempDir()
				if err := os.MkdirAll(filepath.Join(cfgHome, "eipctl"), 0o700); err != nil {
					t.Fatal(err)
				}
				ali := s.Credentials["alibaba"]
				if err := os.WriteFile(filepath.Join(cfgHome, "eipctl", "config.yaml"),
					[]byte("profiles:\n  default:\n    endpoint: "+rc.URL+"\n    credentials:\n      alibaba: {id: "+ali["id"]+", secret: "+ali["secret"]+"}\n"), 0o600); err != nil {
					t.Fatal(err)
				}
				r = newEnv(t).with("XDG_CONFIG_HOME", cfgHome).run("eip", "list", "--provider", "alibaba", "--region", "cn-hangzhou", "--debug")
				mustExit(t, r, 0)
				runs = append(runs, r)
			}
			noSecretsPrinted(t, runs, []string{s.Credentials[c.provider]["secret"], wrongSecret}, rc.seenSignatures())
		})
	}
}

func noSecretsPrinted(t *testing.T, runs []result, secrets, signatures []string) {
	t.Helper()
	if len(signatures) == 0 {
		t.Fatal("the proxy saw no signature, so this check would prove nothing")
	}
	for _, r := range runs {
		if !strings.Contains(r.stderr, "debug: ") {
			t.Errorf("--debug logged nothing\n%s", r)
		}
		for _, where := range []struct{ name, text string }{{"stdout", r.stdout}, {"stderr", r.stderr}} {
			for _, sec := range secrets {
				if strings.Contains(where.text, sec) {
					t.Errorf("%s holds a secret key\n%s", where.name, r)
				}
			}
			for _, sig := range signatures {
				if len(sig) >= 16 && strings.Contains(where.text, sig) {
					t.Errorf("%s holds the request signature %s\n%s", where.name, sig, r)
				}
			}
		}
	}
}
