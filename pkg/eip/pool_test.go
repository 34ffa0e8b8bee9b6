package eip

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParsePoolForms(t *testing.T) {
	p, err := ParsePool("--pool", []string{"eip-b,47.96.0.10, 47.96.0.16/28", "eip-a", "eip-b"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.String(), "eip-a,eip-b,47.96.0.10,47.96.0.16/28"; got != want {
		t.Fatalf("pool %q, want %q (sorted, repeats kept once)", got, want)
	}
	if p.Size() != 2+1+16 {
		t.Fatalf("size %d, want 19", p.Size())
	}
	for _, c := range []struct {
		a    Address
		want bool
	}{
		{Address{ID: "eip-a", IP: "1.2.3.4"}, true},           // by ID
		{Address{ID: "eip-x", IP: "47.96.0.10"}, true},        // by address
		{Address{ID: "eip-y", IP: "47.96.0.31"}, true},        // last of the block
		{Address{ID: "eip-z", IP: "47.96.0.32"}, false},       // just past it
		{Address{ID: "eip-w", IP: "47.96.0.15"}, false},       // just before it
		{Address{ID: "eip-v", IP: "::ffff:47.96.0.20"}, true}, // v4-mapped form
		{Address{ID: "eip-u", IP: "not an address"}, false},   // nothing to match
		{Address{ID: "eip-aa", IP: ""}, false},                // prefix of an ID is not the ID
	} {
		if got := p.Has(c.a); got != c.want {
			t.Errorf("Has(%+v) = %v, want %v", c.a, got, c.want)
		}
	}
}

func TestParsePoolRefusesBadEntries(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"eip-a,,eip-b", `--pool "eip-a,,eip-b": empty entry`},
		{"", `--pool "": empty entry`},
		{"47.0.0.0/8", "more than 4096 addresses"},
		{"47.96.0.0/19", "a /20 at most"},
		{"47.96.0.5/28", "did you mean 47.96.0.0/28?"},
		{"47.96.0.0/33", "not a CIDR block"},
		{"10.0.0.0/24", "private address"},
		{"192.168.1.7", "private address"},
		{"127.0.0.1", "loopback"},
		{"100.100.100.200", "shared (carrier-grade NAT)"},
		{"169.254.0.1", "link-local"},
		{"0.0.0.0", "unspecified"},
		{"224.0.0.1", "multicast"},
		{"47.96.0.300", "not an IP address"},
		{"eip a", "' ' is not allowed"},
		{"eip-a;rm", "';' is not allowed"},
	} {
		_, err := ParsePool("--pool", []string{c.in})
		if err == nil || !IsUsage(err) || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("ParsePool(%q) = %v, want a one-line usage error containing %q", c.in, err, c.want)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "--pool ") {
			t.Errorf("ParsePool(%q): %q does not name the flag first", c.in, err)
		}
	}
}

func TestReadPoolFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ok := write("ok", "# partners whitelist these\n\neip-hz0001\n  47.96.0.10   # the old web address\n47.96.1.0/30\n\n# end\n")
	p, err := ReadPoolFile("--pool-file", ok)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.String(), "eip-hz0001,47.96.0.10,47.96.1.0/30"; got != want {
		t.Fatalf("pool %q, want %q", got, want)
	}
	for _, c := range []struct{ body, want string }{
		{"eip-a\neip-b,eip-c\n", "line 2: \"eip-b,eip-c\" holds more than one entry"},
		{"eip-a\n\n10.0.0.0/8\n", "line 3: the block covers more than 4096"},
		{"# nothing here\n\n", "lists no EIP"},
	} {
		_, err := ReadPoolFile("--pool-file", write("bad", c.body))
		if err == nil || !IsUsage(err) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want a usage error containing %q", c.body, err, c.want)
		}
	}
	_, err = ReadPoolFile("--pool-file", filepath.Join(dir, "missing"))
	if err == nil || !IsUsage(err) || !strings.Contains(err.Error(), "--pool-file") || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing file: %v", err)
	}
}

func TestPoolMerge(t *testing.T) {
	a, _ := ParsePool("--pool", []string{"eip-a,47.96.0.10"})
	b, _ := ParsePool("--pool", []string{"eip-a,eip-c"})
	a.Merge(b)
	if got := a.String(); got != "eip-a,eip-c,47.96.0.10" {
		t.Fatalf("merged %q", got)
	}
	var empty *Pool
	if !empty.Empty() || empty.Has(Address{ID: "eip-a"}) || empty.Size() != 0 {
		t.Fatal("a nil pool must hold nothing")
	}
}
