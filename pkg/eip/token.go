package eip

import (
	"crypto/sha256"
	"encoding/hex"
)

// FitToken is the client token eipctl sends for base with suffix added (a
// chunk's number, -unbind, -move or -back): base+suffix, or, when that is
// longer than the cloud takes (ClientTokenMax), base cut short and marked
// with a hash of the whole of it, so that the token still fits, stays the
// same for the same request (a rerun is idempotent) and differs for
// different bases. A nil Syntax or no limit keeps base+suffix.
func (s *Syntax) FitToken(base, suffix string) string {
	if s == nil || s.ClientTokenMax <= 0 || len(base)+len(suffix) <= s.ClientTokenMax {
		return base + suffix
	}
	sum := sha256.Sum256([]byte(base))
	mark := "-" + hex.EncodeToString(sum[:4])
	keep := s.ClientTokenMax - len(suffix) - len(mark)
	if keep < 0 { // no room for the suffix: a hash of it all
		whole := sha256.Sum256([]byte(base + suffix))
		return hex.EncodeToString(whole[:])[:min(2*len(whole), s.ClientTokenMax)]
	}
	return base[:keep] + mark + suffix
}
