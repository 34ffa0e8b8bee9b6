package eip_test

import (
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/eipctl/eipctl/pkg/eip"
)

// The parsers of values users type (pools, limits, endpoints) and the
// redaction of key IDs in cloud messages, fuzzed for what must hold whatever
// the input. `go test` runs the seeds; .ci/fuzz finds these targets itself.

// FuzzRedactKeyIDs: a key ID never survives redaction, whether the adapter
// knows it (anywhere in the message, plain or URL-encoded once or twice) or
// the cloud echoes it after a key name (Alibaba's string to sign, TC3 and
// ZC2 Credential=, JSON).
func FuzzRedactKeyIDs(f *testing.F) {
	f.Add("SignatureDoesNotMatch: server string to sign is:POST&%2F&", "LTAI5tAbCdEfGhIjKlMn", "%26Action%3DDescribeEipAddresses")
	f.Add("Authorization: TC3-HMAC-SHA256", "AKIDz8krbsJ5yKBZQpn74WFkmLPx3", "2024-01-01/vpc/tc3_request")
	f.Add(`{"code":"AuthFailure","message":`, "0D9UtpyKYcHxms5v", `"}`)
	f.Add("", "key id with spaces & symbols/+", "")
	f.Fuzz(func(t *testing.T, before, id, after string) {
		if len(id) < 8 || strings.Contains(id, "*") {
			return // shorter IDs are masked whole; '*' is the mask itself
		}
		forms := []string{id, url.QueryEscape(id), url.QueryEscape(url.QueryEscape(id))}
		for _, form := range forms {
			got := eip.RedactKeyIDs(before+form+after, id)
			for _, leak := range forms {
				if strings.Contains(got, leak) {
					t.Fatalf("known ID %q survives as %q in %q", id, leak, got)
				}
			}
		}
		if !cloudAlphabet(id) || strings.Contains(before+" "+after, id) {
			return // an ID the text around it repeats is not one the cloud echoed
		}
		for _, sep := range []string{"AccessKeyId=", "AccessKeyId%3D", "AccessKeyId%253D", `"SecretId": "`, "Credential="} {
			msg := before + " " + sep + id + "/" + after
			if got := eip.RedactKeyIDs(msg); strings.Contains(got, id) {
				t.Fatalf("echoed ID %q survives in %q", id, got)
			}
		}
	})
}

// cloudAlphabet: the characters the three clouds' access key IDs use.
func cloudAlphabet(s string) bool {
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// FuzzParsePool: an accepted pool names what it was given, and its String()
// (the comma list it can be given as) parses back to the same pool, through
// --pool and through a pool file alike; a refused one is a usage error that
// names the flag.
func FuzzParsePool(f *testing.F) {
	f.Add("eip-aaa,47.96.0.1\n47.96.0.0/28")
	f.Add("47.96.0.0/28, 47.96.0.3 ,eip-aaa,eip-aaa")
	f.Add("2408:4000::/124")
	f.Add("10.0.0.1")
	f.Add("47.0.0.0/8")
	f.Add(",")
	f.Fuzz(func(t *testing.T, in string) {
		p, err := eip.ParsePool("--pool", strings.Split(in, "\n"))
		if err != nil {
			if !eip.IsUsage(err) || !strings.HasPrefix(err.Error(), "--pool ") {
				t.Fatalf("ParsePool(%q) = %v: want a usage error naming --pool", in, err)
			}
			return
		}
		if p.Empty() {
			return
		}
		for _, id := range p.IDs {
			if !p.Has(eip.Address{ID: id}) {
				t.Fatalf("pool %v does not have its own ID %q", p, id)
			}
		}
		for _, a := range p.Addrs {
			if !p.Has(eip.Address{IP: a.String()}) {
				t.Fatalf("pool %v does not have its own address %s", p, a)
			}
		}
		if p.Size() < len(p.IDs)+len(p.Addrs)+len(p.Blocks) {
			t.Fatalf("pool %v: size %d is less than its entries", p, p.Size())
		}
		q, err := eip.ParsePool("--pool", []string{p.String()})
		if err != nil || !reflect.DeepEqual(p, q) {
			t.Fatalf("pool %q: String() %q parses to %v, %v", in, p.String(), q, err)
		}
		path := filepath.Join(t.TempDir(), "pool.txt")
		if err := os.WriteFile(path, []byte("# a pool\n"+strings.ReplaceAll(p.String(), ",", "\n")+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		r, err := eip.ReadPoolFile("--pool-file", path)
		if err != nil || !reflect.DeepEqual(p, r) {
			t.Fatalf("pool %q: as a file it reads as %v, %v", in, r, err)
		}
	})
}

// FuzzParseLimit: an accepted limit is a real one (count and window above
// zero) and its String() parses back to it; a refused one shows the form.
func FuzzParseLimit(f *testing.F) {
	for _, s := range []string{"120/60s", "10/1s", "30/m", "5/s", " 7 / 1h ", "0/1s", "1/0s", "10", "1/-1s", "9999999999999999999/1s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, err := eip.ParseLimit(s)
		if err != nil {
			if !strings.Contains(err.Error(), "COUNT/DURATION") {
				t.Fatalf("ParseLimit(%q) = %v: want the form in the message", s, err)
			}
			return
		}
		if l.Count <= 0 || l.Per <= 0 || l.IsZero() {
			t.Fatalf("ParseLimit(%q) = %+v: not a limit", s, l)
		}
		back, err := eip.ParseLimit(l.String())
		if err != nil || back != l {
			t.Fatalf("ParseLimit(%q) = %+v; its String() %q parses to %+v, %v", s, l, l.String(), back, err)
		}
	})
}

// FuzzParseEndpoint: plain http is accepted only to this machine, and only
// http and https at all; a refusal is a usage error naming --endpoint.
func FuzzParseEndpoint(f *testing.F) {
	for _, s := range []string{"https://vpc.aliyuncs.com", "http://127.0.0.1:8780", "http://[::1]:1/x", "http://localhost", "http://10.0.0.1",
		"http://127.0.0.1.example.com", "ftp://127.0.0.1", "127.0.0.1:8780", "http://", "https://user@host:1/p?q#f", "http://0x7f000001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := eip.ParseEndpoint(raw)
		if err != nil {
			if !eip.IsUsage(err) || !strings.HasPrefix(err.Error(), "--endpoint ") {
				t.Fatalf("ParseEndpoint(%q) = %v: want a usage error naming --endpoint", raw, err)
			}
			return
		}
		switch {
		case u.Host == "":
			t.Fatalf("ParseEndpoint(%q) accepted a URL without a host", raw)
		case u.Scheme == "http" && !eip.IsLoopback(u.Hostname()):
			t.Fatalf("ParseEndpoint(%q) accepted plain http to %q", raw, u.Hostname())
		case u.Scheme != "http" && u.Scheme != "https":
			t.Fatalf("ParseEndpoint(%q) accepted scheme %q", raw, u.Scheme)
		}
	})
}
