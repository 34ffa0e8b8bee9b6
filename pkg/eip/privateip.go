package eip

import (
	"net/netip"
	"strings"
)

// A target's private IP is an address of its VPC (an ENI's, a vNIC's LAN
// IP): never one no VPC can hold. Every cloud here refuses these blocks for
// a VPC (Alibaba names 100.64.0.0/10, 224.0.0.0/4, 127.0.0.0/8 and
// 169.254.0.0/16; the rest are not host addresses at all), and beyond them
// a cloud's VPC takes the RFC 1918 blocks only, unless its Syntax says
// PublicRangeVPC (docs/plans.md cites each cloud's record).
var neverPrivate = []struct {
	block netip.Prefix
	what  string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "an unspecified (this-network) address"},
	{netip.MustParsePrefix("127.0.0.0/8"), "a loopback address"},
	{netip.MustParsePrefix("169.254.0.0/16"), "a link-local address"},
	{netip.MustParsePrefix("100.64.0.0/10"), "in 100.64.0.0/10, the shared block the clouds keep for their own services"},
	{netip.MustParsePrefix("224.0.0.0/4"), "a multicast address"},
	{netip.MustParsePrefix("240.0.0.0/4"), "a reserved or broadcast address"},
}

// rfc1918 are the private IPv4 blocks of RFC 1918.
var rfc1918 = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("172.16.0.0/12"), netip.MustParsePrefix("192.168.0.0/16"),
}

// checkPrivateRange refuses an IPv4 address no target of this cloud can
// have as its private IP.
func (s *Syntax) checkPrivateRange(flag string, a netip.Addr) error {
	for _, n := range neverPrivate {
		if n.block.Contains(a) {
			return Usagef("%s %s is %s, never a target's private IP: pass the private IPv4 address the target has in its VPC, like 10.0.0.5", flag, a, n.what)
		}
	}
	if s != nil && s.PublicRangeVPC {
		return nil
	}
	for _, b := range rfc1918 {
		if b.Contains(a) {
			return nil
		}
	}
	blocks := make([]string, len(rfc1918))
	for i, b := range rfc1918 {
		blocks[i] = b.String()
	}
	return Usagef("%s %s is not a private address: a VPC on this cloud uses %s: pass the private IPv4 address the target has in its VPC, like 10.0.0.5", flag, a, strings.Join(blocks, ", "))
}
