package eip

import (
	"bufio"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"sort"
	"strings"
)

// Pool is a set of EIPs a target may take any of: EIP IDs, public addresses
// and CIDR blocks of public addresses. It says which EIPs belong; which of
// them are free is read from the cloud when the run starts.
type Pool struct {
	IDs    []string
	Addrs  []netip.Addr
	Blocks []netip.Prefix
}

// MaxPoolBlock is the most addresses one CIDR block in a pool may cover
// (a /20). A pool is a whitelist of known addresses; a block wider than this
// is far more likely a typo (47.0.0.0/8) than a pool, and would let eipctl
// claim EIPs that were never meant to be in it.
const MaxPoolBlock = 4096

// Empty reports whether the pool names nothing.
func (p *Pool) Empty() bool {
	return p == nil || len(p.IDs)+len(p.Addrs)+len(p.Blocks) == 0
}

// Has reports whether an EIP belongs to the pool, by its ID or its address.
func (p *Pool) Has(a Address) bool {
	if p == nil {
		return false
	}
	for _, id := range p.IDs {
		if id == a.ID {
			return true
		}
	}
	ip, err := netip.ParseAddr(a.IP)
	if err != nil {
		return false
	}
	ip = ip.Unmap()
	for _, x := range p.Addrs {
		if x == ip {
			return true
		}
	}
	for _, b := range p.Blocks {
		if b.Contains(ip) {
			return true
		}
	}
	return false
}

// String renders the pool as the comma list it can be given as.
func (p *Pool) String() string {
	if p == nil {
		return ""
	}
	var s []string
	s = append(s, p.IDs...)
	for _, a := range p.Addrs {
		s = append(s, a.String())
	}
	for _, b := range p.Blocks {
		s = append(s, b.String())
	}
	return strings.Join(s, ",")
}

// Size is how many EIPs the pool names at most (IDs and addresses counted
// once each, blocks by their size).
func (p *Pool) Size() int {
	if p == nil {
		return 0
	}
	n := len(p.IDs) + len(p.Addrs)
	for _, b := range p.Blocks {
		n += 1 << (b.Addr().BitLen() - b.Bits())
	}
	return n
}

// ParsePool reads pool entries as given on the command line: each value may
// be a comma list. flag names where they came from (--pool, pool:) for the
// error message. Entries given twice are kept once.
func ParsePool(flag string, values []string) (*Pool, error) {
	p := &Pool{}
	for _, v := range values {
		for _, entry := range strings.Split(v, ",") {
			entry = strings.TrimSpace(entry)
			if entry == "" {
				return nil, Usagef("%s %q: empty entry: give EIP IDs, public addresses or CIDR blocks, separated by commas", flag, v)
			}
			if err := p.add(entry); err != nil {
				return nil, Usagef("%s %s: %v", flag, entry, err)
			}
		}
	}
	p.dedupe()
	return p, nil
}

// ReadPoolFile reads a pool file: one entry per line; blank lines and
// everything after a # are ignored. flag names it for error messages.
func ReadPoolFile(flag, path string) (*Pool, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, Usagef("%s %s: %v", flag, path, errors.Unwrap(err))
	}
	defer fh.Close()
	p := &Pool{}
	sc := bufio.NewScanner(fh)
	for line := 1; sc.Scan(); line++ {
		entry, _, _ := strings.Cut(sc.Text(), "#")
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		if strings.ContainsAny(entry, ", \t") {
			return nil, Usagef("%s %s: line %d: %q holds more than one entry: put one EIP ID, address or CIDR block per line", flag, path, line, entry)
		}
		if err := p.add(entry); err != nil {
			return nil, Usagef("%s %s: line %d: %v", flag, path, line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, Usagef("%s %s: %v", flag, path, err)
	}
	if p.Empty() {
		return nil, Usagef("%s %s: the file lists no EIP: put one EIP ID, address or CIDR block per line", flag, path)
	}
	p.dedupe()
	return p, nil
}

// Merge adds q's entries to p.
func (p *Pool) Merge(q *Pool) {
	if q == nil {
		return
	}
	p.IDs = append(p.IDs, q.IDs...)
	p.Addrs = append(p.Addrs, q.Addrs...)
	p.Blocks = append(p.Blocks, q.Blocks...)
	p.dedupe()
}

func (p *Pool) add(entry string) error {
	switch {
	case strings.Contains(entry, "/"):
		b, err := netip.ParsePrefix(entry)
		if err != nil {
			return fmt.Errorf("not a CIDR block: write it like 47.96.0.0/28")
		}
		if b.Masked() != b {
			return fmt.Errorf("%s has host bits set: did you mean %s?", entry, b.Masked())
		}
		if size := b.Addr().BitLen() - b.Bits(); size > 12 {
			return fmt.Errorf("the block covers more than %d addresses: list the pool's addresses or narrower blocks (a /%d at most)", MaxPoolBlock, b.Addr().BitLen()-12)
		}
		if why := notPublic(b.Addr()); why != "" {
			return fmt.Errorf("%s is %s: a pool lists public addresses (EIPs)", entry, why)
		}
		p.Blocks = append(p.Blocks, b)
	case looksLikeIP(entry):
		a, err := netip.ParseAddr(entry)
		if err != nil {
			return fmt.Errorf("not an IP address: write it like 47.96.0.10")
		}
		if why := notPublic(a); why != "" {
			return fmt.Errorf("%s is %s: a pool lists public addresses (EIPs)", entry, why)
		}
		p.Addrs = append(p.Addrs, a.Unmap())
	default:
		for _, c := range entry {
			if !(c == '-' || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
				return fmt.Errorf("not an EIP ID, address or CIDR block (%q is not allowed in an ID)", c)
			}
		}
		p.IDs = append(p.IDs, entry)
	}
	return nil
}

// notPublic says why an address cannot be an EIP, or "" when it can.
func notPublic(a netip.Addr) string {
	switch {
	case a.IsUnspecified():
		return "the unspecified address"
	case a.IsLoopback():
		return "a loopback address"
	case a.IsPrivate():
		return "a private address"
	case a.IsLinkLocalUnicast():
		return "a link-local address"
	case a.IsMulticast():
		return "a multicast address"
	case cgnat.Contains(a.Unmap()):
		return "a shared (carrier-grade NAT) address"
	}
	return ""
}

var cgnat = netip.MustParsePrefix("100.64.0.0/10")

func (p *Pool) dedupe() {
	p.IDs = uniq(p.IDs, func(a, b string) bool { return a < b })
	p.Addrs = uniq(p.Addrs, func(a, b netip.Addr) bool { return a.Less(b) })
	p.Blocks = uniq(p.Blocks, func(a, b netip.Prefix) bool {
		if a.Addr() != b.Addr() {
			return a.Addr().Less(b.Addr())
		}
		return a.Bits() < b.Bits()
	})
}

// uniq sorts xs and drops repeats.
func uniq[T comparable](xs []T, less func(a, b T) bool) []T {
	sort.Slice(xs, func(i, j int) bool { return less(xs[i], xs[j]) })
	out := xs[:0]
	for _, x := range xs {
		if len(out) == 0 || x != out[len(out)-1] {
			out = append(out, x)
		}
	}
	return out
}

// MaxPoolCount is the most EIPs one claim may ask for: more than any target
// type holds on the three clouds (an Alibaba NAT gateway, 20 by default, up
// to a raised quota).
const MaxPoolCount = 200

// PoolRef stands for a claim's EIP where validation checks one item's EIP:
// a claim names its EIPs in the pool, checked by CheckPool instead.
const PoolRef = "(pool)"

// CheckPool applies the cloud's EIP ID syntax to every ID of a pool.
func (s *Syntax) CheckPool(p *Pool) error {
	if p == nil {
		return nil
	}
	for _, id := range p.IDs {
		if err := s.CheckEIP("--pool", id); err != nil {
			return err
		}
	}
	return nil
}
