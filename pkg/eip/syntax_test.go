package eip_test

import (
	"strings"
	"testing"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/eip/eiptest"
)

func TestSyntaxRefuses(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want []string // the message names the flag and says what to do
	}{
		{"unknown region", eiptest.Syntax.CheckRegion("--region", "cn-hangzou", false), []string{"--region cn-hangzou", "did you mean cn-hangzhou?", "--allow-unknown-region"}},
		{"region without its number", eiptest.Syntax.CheckRegion("--region", "eu-west", false), []string{"did you mean eu-west-1?"}},
		{"region in capitals", eiptest.Syntax.CheckRegion("--region", "CN-HANGZHOU", true), []string{"not a region ID", "lower-case"}},
		{"region with a slash", eiptest.Syntax.CheckRegion("--instance-region", "cn/hangzhou", false), []string{"--instance-region", "not a region ID"}},
		{"wrong EIP prefix", eiptest.Syntax.CheckEIP("--eip", "ip-123"), []string{"--eip", `"ip-123"`, "eip-"}},
		{"EIP in capitals", eiptest.Syntax.CheckEIP("--eip", "EIP-ABC"), []string{"lower case", "eip-abc"}},
		{"EIP with a quote", eiptest.Syntax.CheckEIP("--eip", `eip-1"`), []string{"--eip", `'"'`}},
		{"absurd length", eiptest.Syntax.CheckEIP("--eip", "eip-"+strings.Repeat("a", 200)), []string{"--eip", "204 characters", "64 at most"}},
		{"address with a typo", eiptest.Syntax.CheckEIP("--eip", "47.96.0.300"), []string{"not a valid IP address"}},
		{"wrong target prefix", eiptest.Syntax.CheckTarget("--target", eip.Instance, "ins-1"), []string{"--target", "an instance ID", "i-"}},
		{"private IP not IPv4", eiptest.Syntax.CheckPrivateIP("--private-ip", eip.ENI, "10.0.0"), []string{"--private-ip", "IPv4"}},
		{"private IP v6", eiptest.Syntax.CheckPrivateIP("--private-ip", eip.ENI, "fe80::1"), []string{"IPv4"}},
		{"private IP on an instance", eiptest.Syntax.CheckPrivateIP("--private-ip", eip.Instance, "10.0.0.5"), []string{"an instance target", "drop --private-ip"}},
		{"newline", eip.CheckText("--client-token", "tok\nen"), []string{"--client-token", `'\n'`}},
		{"escape", eip.CheckText("--target", "i-1\x1b[2J"), []string{`'\x1b'`}},
		{"right-to-left override", eip.CheckText("--eip", "eip-1\u202e"), []string{"control character"}},
		{"invalid UTF-8", eip.CheckText("--eip", "eip-\xff"), []string{"UTF-8"}},
	}
	for _, c := range cases {
		if !eip.IsUsage(c.err) {
			t.Errorf("%s: %v, want a usage error", c.name, c.err)
			continue
		}
		msg := c.err.Error()
		if strings.ContainsAny(msg, "\n\r\x1b") {
			t.Errorf("%s: %q is not one clean line", c.name, msg)
		}
		for _, w := range c.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%s: %q does not mention %q", c.name, msg, w)
			}
		}
	}
}

func TestSyntaxAccepts(t *testing.T) {
	for name, err := range map[string]error{
		"listed region":               eiptest.Syntax.CheckRegion("--region", "cn-shanghai", false),
		"unknown region when allowed": eiptest.Syntax.CheckRegion("--region", "cn-new-9", true),
		"EIP ID":                      eiptest.Syntax.CheckEIP("--eip", "eip-2zeerraiwb7ujsxdc"),
		"EIP by IPv4":                 eiptest.Syntax.CheckEIP("--eip", "47.96.0.5"),
		"EIP by IPv6":                 eiptest.Syntax.CheckEIP("--eip", "2408:4000::1"),
		"target":                      eiptest.Syntax.CheckTarget("--target", eip.Instance, "i-bp67acfmxazb4p"),
		"target type without a rule":  eiptest.Syntax.CheckTarget("--target", eip.NAT, "Nat_01.a"),
		"private IP on an ENI":        eiptest.Syntax.CheckPrivateIP("--private-ip", eip.ENI, "10.0.0.5"),
		"no syntax known":             (*eip.Syntax)(nil).CheckRegion("--region", "anything-1", false),
		"no syntax known, any ID":     (*eip.Syntax)(nil).CheckEIP("--eip", "7431"),
	} {
		if err != nil {
			t.Errorf("%s: refused: %v", name, err)
		}
	}
}

func TestFoldMakesCaseVariantsOneEIP(t *testing.T) {
	if eip.Fold(" EIP-Ab1 ") != eip.Fold("eip-ab1") {
		t.Fatal("case and surrounding space variants of one ID fold differently")
	}
}

func TestCheckClientTokenHoldsTheCloudsLimit(t *testing.T) {
	s := &eip.Syntax{ClientTokenMax: 8, ClientTokenASCII: true}
	for tok, ok := range map[string]bool{"": true, "abc-1": true, "12345678": true, "123456789": false, "tök": false, "a b": false} {
		err := s.CheckClientToken("--client-token", tok)
		if (err == nil) != ok || (err != nil && (!eip.IsUsage(err) || !strings.Contains(err.Error(), "--client-token"))) {
			t.Errorf("token %q: %v, want ok=%v (a usage error naming --client-token)", tok, err, ok)
		}
	}
	var none *eip.Syntax
	if err := none.CheckClientToken("--client-token", strings.Repeat("x", 500)); err != nil {
		t.Errorf("no syntax: %v", err)
	}
}

// A private IP must be one a target of the cloud's VPCs can have: never a
// loopback, unspecified, link-local, multicast or broadcast address, and an
// RFC 1918 one unless the cloud's VPCs take custom (public) blocks.
func TestPrivateIPRanges(t *testing.T) {
	rfc := &eip.Syntax{}
	custom := &eip.Syntax{PublicRangeVPC: true}
	for _, c := range []struct {
		s    *eip.Syntax
		ip   string
		want string // "" when accepted
	}{
		{rfc, "10.0.0.5", ""}, {rfc, "172.31.255.1", ""}, {rfc, "192.168.1.1", ""}, {nil, "10.1.1.10", ""},
		{rfc, "8.8.8.8", "--private-ip 8.8.8.8 is not a private address: a VPC on this cloud uses 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16"},
		{rfc, "172.32.0.1", "is not a private address"},
		{nil, "8.8.8.8", "is not a private address"},
		{rfc, "0.0.0.0", "--private-ip 0.0.0.0 is an unspecified (this-network) address, never a target's private IP"},
		{rfc, "255.255.255.255", "is a reserved or broadcast address"},
		{rfc, "127.0.0.1", "is a loopback address"},
		{rfc, "169.254.169.254", "is a link-local address"},
		{rfc, "224.0.0.1", "is a multicast address"},
		{rfc, "100.64.0.1", "100.64.0.0/10"},
		{custom, "8.8.8.8", ""}, {custom, "47.96.0.10", ""}, {custom, "10.0.0.5", ""},
		{custom, "127.0.0.1", "is a loopback address"}, {custom, "0.0.0.0", "unspecified"},
		{custom, "255.255.255.255", "broadcast"}, {custom, "100.100.0.1", "100.64.0.0/10"},
	} {
		err := c.s.CheckPrivateIP("--private-ip", eip.ENI, c.ip)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s (custom %v): %v, want it accepted", c.ip, c.s != nil && c.s.PublicRangeVPC, err)
		case c.want != "" && (!eip.IsUsage(err) || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s (custom %v): %v, want a usage error containing %q", c.ip, c.s != nil && c.s.PublicRangeVPC, err, c.want)
		}
	}
}
