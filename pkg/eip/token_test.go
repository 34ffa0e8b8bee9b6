package eip_test

import (
	"strings"
	"testing"

	"github.com/eipctl/eipctl/pkg/eip"
)

// FitToken keeps a suffixed token within the cloud's maximum, the same for
// the same request and different for different ones.
func TestFitToken(t *testing.T) {
	s := &eip.Syntax{ClientTokenMax: 64}
	long := strings.Repeat("a", 64)
	for _, c := range []struct{ base, suffix, want string }{
		{"T", "-unbind-2", "T-unbind-2"},
		{strings.Repeat("a", 55), "-unbind-2", strings.Repeat("a", 55) + "-unbind-2"},
	} {
		if got := s.FitToken(c.base, c.suffix); got != c.want {
			t.Errorf("FitToken(%q, %q) = %q, want %q", c.base, c.suffix, got, c.want)
		}
	}
	seen := map[string]bool{}
	for _, c := range []struct{ base, suffix string }{
		{long, "-unbind"}, {long, "-move"}, {long, "-2"}, {long + "b", "-2"}, {long[:60], "-unbind-17"},
		{long, strings.Repeat("-x", 40)},
	} {
		got := s.FitToken(c.base, c.suffix)
		if len(got) > 64 || seen[got] || got != s.FitToken(c.base, c.suffix) {
			t.Errorf("FitToken(%d bytes, %q) = %q (%d bytes): want a stable, distinct token of at most 64", len(c.base), c.suffix, got, len(got))
		}
		if len(c.suffix) < 20 && !strings.HasSuffix(got, c.suffix) {
			t.Errorf("FitToken(%d bytes, %q) = %q: the suffix is lost", len(c.base), c.suffix, got)
		}
		seen[got] = true
	}
	if got := (*eip.Syntax)(nil).FitToken(long, "-2"); got != long+"-2" {
		t.Errorf("no limit: %q", got)
	}
}
