package eip

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Syntax is what a cloud's names look like: enough to refuse a region, an EIP
// ID or a target ID that no request could succeed with, before anything is
// sent. Each adapter fills it from its vendor's public documentation
// (providers/<cloud>/regions.go and syntax.go); a nil *Syntax checks nothing
// beyond what holds for every cloud (no control characters, IP addresses
// that parse).
type Syntax struct {
	// Regions lists the region IDs the vendor documents. A region not listed
	// is refused unless the run allows unknown regions (a region opened after
	// this release); its spelling is still checked against RegionChars.
	Regions []string
	// EIP is the shape of an EIP ID. An EIP may also be given by its address.
	EIP IDRule
	// Targets is the shape of a target ID per target type; a type not listed
	// takes any ID that passes the common checks.
	Targets map[TargetType]IDRule
	// PrivateIP lists the target types that take --private-ip; nil means the
	// adapter's own Validate decides.
	PrivateIP []TargetType
	// PublicRangeVPC says a VPC of this cloud may use a custom block outside
	// RFC 1918, so a private IP may be any address outside the blocks no VPC
	// holds (privateip.go); otherwise it must be an RFC 1918 address.
	PublicRangeVPC bool
	// ClientTokenMax is the longest client token the cloud takes, counted in
	// bytes (Alibaba VPC: 64); 0 means no documented limit. It bounds the
	// token as sent, suffixes included.
	ClientTokenMax int
	// ClientTokenASCII says the cloud takes only printable ASCII in a client
	// token (Alibaba).
	ClientTokenASCII bool
}

// CheckClientToken refuses a client token the cloud would not take (too
// long, or not printable ASCII where the cloud wants that). flag names the
// flag or field in the message. An empty token passes: none is sent. The
// suffixes eipctl adds to a token (FitToken) are kept within the limit.
func (s *Syntax) CheckClientToken(flag, token string) error {
	if err := CheckText(flag, token); err != nil || s == nil || token == "" {
		return err
	}
	if s.ClientTokenMax > 0 && len(token) > s.ClientTokenMax {
		return Usagef("%s is %d bytes long: this cloud takes a client token of at most %d: use a shorter token", flag, len(token), s.ClientTokenMax)
	}
	if s.ClientTokenASCII {
		for _, r := range token {
			if r < 0x21 || r > 0x7e {
				return Usagef("%s holds %q: this cloud takes only printable ASCII in a client token (letters, digits, punctuation, no spaces)", flag, r)
			}
		}
	}
	return nil
}

// IDRule is the shape of one kind of ID.
type IDRule struct {
	Prefix string // required prefix, e.g. "eip-"; empty for none
	// Lower means the rest is lower-case ASCII letters and digits only (the
	// Alibaba and Tencent ID alphabet); otherwise letters, digits, '-', '_'
	// and '.' of either case.
	Lower bool
	Max   int // the longest ID accepted; 0 means maxID
}

// maxID bounds any ID or region: the longest real IDs of the three clouds
// are around 30 characters, so 64 refuses only what no cloud issues (a file
// pasted into a flag, say).
const maxID = 64

// CheckRegion refuses a region the cloud does not have. flag names the flag
// or field in the message (--region, --instance-region).
func (s *Syntax) CheckRegion(flag, region string, allowUnknown bool) error {
	if err := CheckText(flag, region); err != nil {
		return err
	}
	if !wellFormedRegion(region) {
		return Usagef("%s %q is not a region ID: region IDs are lower-case letters, digits and '-', like cn-hangzhou", flag, region)
	}
	if s == nil || len(s.Regions) == 0 || allowUnknown || slices.Contains(s.Regions, region) {
		return nil
	}
	hint := ""
	if near := s.nearRegion(region); near != "" {
		hint = fmt.Sprintf("did you mean %s? ", near)
	}
	return Usagef("%s %s is not a known region of this cloud: %suse one of %s, or pass --allow-unknown-region for a region opened after this release",
		flag, region, hint, strings.Join(s.Regions, ", "))
}

// nearRegion finds the listed region closest to a typo (at most two edits,
// or r missing a "-1"-style suffix), to suggest it.
func (s *Syntax) nearRegion(r string) string {
	best, bestD := "", 3
	for _, x := range s.Regions {
		if strings.HasPrefix(x, r+"-") {
			return x
		}
		if d := Distance(r, x); d < bestD {
			best, bestD = x, d
		}
	}
	return best
}

// Distance is the Levenshtein distance between two short ASCII strings:
// how near a mistyped word is to a valid one (regions, commands, flags).
func Distance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

func wellFormedRegion(r string) bool {
	if r == "" || len(r) > maxID || r[0] == '-' || r[len(r)-1] == '-' {
		return false
	}
	for _, c := range r {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// CheckEIP refuses a string that is neither an address nor an EIP ID of
// this cloud.
func (s *Syntax) CheckEIP(flag, ref string) error {
	if err := CheckText(flag, ref); err != nil {
		return err
	}
	if _, err := netip.ParseAddr(ref); err == nil {
		return nil
	}
	if looksLikeIP(ref) {
		return Usagef("%s %q is not a valid IP address: fix the address, or pass the EIP ID", flag, ref)
	}
	var rule IDRule
	if s != nil {
		rule = s.EIP
	}
	return rule.check(flag, "an EIP ID", ref)
}

// CheckTarget refuses a target ID that cannot be one of type t on this cloud.
func (s *Syntax) CheckTarget(flag string, t TargetType, id string) error {
	if err := CheckText(flag, id); err != nil {
		return err
	}
	var rule IDRule
	if s != nil {
		rule = s.Targets[t]
	}
	return rule.check(flag, article(string(t))+" ID", id)
}

func (r IDRule) check(flag, what, id string) error {
	limit := r.Max
	if limit <= 0 {
		limit = maxID
	}
	if len(id) > limit {
		return Usagef("%s is %d characters long, longer than any %s (%d at most): pass the ID itself", flag, len(id), noun(what), limit)
	}
	if low := strings.ToLower(id); r.Lower && low != id && (IDRule{Prefix: r.Prefix, Lower: true, Max: r.Max}).check(flag, what, low) == nil {
		return Usagef("%s %q: IDs of this cloud are lower case: pass %s", flag, id, low)
	}
	rest, ok := strings.CutPrefix(id, r.Prefix)
	if r.Prefix != "" && (!ok || rest == "") {
		return Usagef("%s %q is not %s here: it starts with %s followed by letters and digits", flag, id, what, r.Prefix)
	}
	for _, c := range rest {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case !r.Lower && (c >= 'A' && c <= 'Z' || c == '-' || c == '_' || c == '.'):
		default:
			return Usagef("%s %q holds %q, which no %s has: pass the ID as the console shows it", flag, id, c, noun(what))
		}
	}
	return nil
}

// article puts "a" or "an" before a word.
func article(w string) string {
	if w != "" && strings.ContainsRune("aeiou", rune(w[0])) {
		return "an " + w
	}
	return "a " + w
}

// looksLikeIP tells an address with a typo (10.0.0.300, 1.2.3) from an ID.
func looksLikeIP(s string) bool {
	if strings.Count(s, ".") >= 2 || strings.Count(s, ":") >= 2 {
		return strings.Trim(s, "0123456789abcdefABCDEF.:") == ""
	}
	return false
}

// CheckPrivateIP refuses a --private-ip that is not an IPv4 address, or one
// given for a target type that cannot take it.
func (s *Syntax) CheckPrivateIP(flag string, t TargetType, ip string) error {
	if ip == "" {
		return nil
	}
	if err := CheckText(flag, ip); err != nil {
		return err
	}
	a, err := netip.ParseAddr(ip)
	if err != nil || !a.Is4() {
		return Usagef("%s %q is not an IPv4 address: pass one of the target's private IPv4 addresses, like 10.0.0.5", flag, ip)
	}
	if s != nil && s.PrivateIP != nil && !slices.Contains(s.PrivateIP, t) {
		return Usagef("%s cannot be used with %s target on this cloud (only %s targets take one): drop %s", flag, article(string(t)), JoinWords(s.PrivateIP), flag)
	}
	return s.checkPrivateRange(flag, a)
}

// CheckText refuses control characters (a newline, a tab, an escape) in any
// value: no ID, region or token holds one, and printed back they would break
// the one-line error or forge terminal output.
func CheckText(flag, v string) error {
	if !utf8.ValidString(v) {
		return Usagef("%s is not valid UTF-8 text: retype the value", flag)
	}
	for i, c := range v {
		// Cf holds the invisible formatting characters (zero-width space,
		// right-to-left override) that make a value print as another.
		if unicode.IsControl(c) || unicode.Is(unicode.Cf, c) {
			return Usagef("%s holds a control character (%q at byte %d): remove it", flag, c, i)
		}
	}
	return nil
}

// Fold is how two spellings of one ID compare: IDs differing only in case
// name the same EIP (every cloud here treats them so, or refuses one).
func Fold(id string) string { return strings.ToLower(strings.TrimSpace(id)) }

// CheckItem applies the cloud's syntax to what every item names: its
// region and its EIP.
func (s *Syntax) CheckItem(region, eipRef string, allowUnknown bool) error {
	if err := s.CheckRegion("--region", region, allowUnknown); err != nil {
		return err
	}
	if eipRef == PoolRef {
		return nil // a pool claim: its entries are checked by CheckBinding
	}
	return s.CheckEIP("--eip", eipRef)
}

// CheckBinding applies the cloud's syntax to the rest of one binding, its
// target type already known.
func (s *Syntax) CheckBinding(b Binding, allowUnknown bool) error {
	if err := s.CheckClientToken("--client-token", b.ClientToken); err != nil {
		return err
	}
	if err := CheckText("--mode", string(b.Mode)); err != nil {
		return err
	}
	if err := s.CheckPool(b.Pool); err != nil {
		return err
	}
	if err := s.CheckTarget("--target", b.TargetType, b.Target); err != nil {
		return err
	}
	if err := s.CheckPrivateIP("--private-ip", b.TargetType, b.PrivateIP); err != nil {
		return err
	}
	if b.InstanceRegion != "" {
		return s.CheckRegion("--instance-region", b.InstanceRegion, allowUnknown)
	}
	return nil
}

// noun drops the article article() added.
func noun(what string) string {
	return strings.TrimPrefix(strings.TrimPrefix(what, "an "), "a ")
}

// TakesPrivateIP reports whether a target type takes a private IP on this
// cloud (--private-ip); a nil Syntax or list allows every type.
func (s *Syntax) TakesPrivateIP(t TargetType) bool {
	return s == nil || s.PrivateIP == nil || slices.Contains(s.PrivateIP, t)
}
