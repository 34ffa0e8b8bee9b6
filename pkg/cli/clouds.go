package cli

import (
	"fmt"
	"sort"
	"strings"

	"github.com/eipctl/eipctl/pkg/eip"
)

// The words help text uses for the clouds. They come from the registry
// (f.Clouds, providers/all) so a cloud added there is named everywhere, and
// nothing in pkg/cli lists the clouds by hand.

// cloudNames lists the registered provider names, in registry order.
func (f *Factory) cloudNames() []string {
	var out []string
	for _, c := range f.Clouds() {
		out = append(out, c.Spec.Name)
	}
	return out
}

// cloudTitles lists the clouds as help text names them ("Alibaba Cloud").
func (f *Factory) cloudTitles() []string {
	var out []string
	for _, c := range f.Clouds() {
		t := c.Spec.Title
		if t == "" {
			t = c.Spec.Name
		}
		out = append(out, t)
	}
	return out
}

// oneOf joins words as a sentence does: "a", "a or b", "a, b or c".
func oneOf(words []string, conj string) string {
	switch n := len(words); n {
	case 0:
		return ""
	case 1:
		return words[0]
	default:
		return strings.Join(words[:n-1], ", ") + " " + conj + " " + words[n-1]
	}
}

// providerFlagHelp is the help of every --provider flag.
func (f *Factory) providerFlagHelp(lead string) string {
	return lead + oneOf(f.cloudNames(), "or") + " (env EIPCTL_PROVIDER)"
}

// prefixTable is the help's table of the target ID prefixes each cloud
// infers --target-type from, read from each cloud's capabilities:
//
//	alibaba   i- instance, eni- eni, ngw- nat, lb- lb, havip- havip
func (f *Factory) prefixTable() string {
	var b strings.Builder
	width := 0
	for _, name := range f.cloudNames() {
		width = max(width, len(name))
	}
	for _, c := range f.Clouds() {
		caps, ok := capabilitiesOf(c)
		if !ok {
			continue
		}
		fmt.Fprintf(&b, "  %-*s  %s\n", width, c.Spec.Name, prefixWords(caps))
	}
	return b.String()
}

// prefixWords lists a cloud's prefixes in the order of eip.TargetTypes.
func prefixWords(caps eip.Capabilities) string {
	var words []string
	for _, t := range eip.TargetTypes {
		var ps []string
		for p, pt := range caps.Prefixes() {
			if pt == t {
				ps = append(ps, p)
			}
		}
		sort.Strings(ps)
		for _, p := range ps {
			words = append(words, p+" "+string(t))
		}
	}
	out := strings.Join(words, ", ")
	if !caps.Supports(eip.Instance) {
		out += " (no instance)"
	}
	return out
}

// tryList is an example command line for the first registered cloud, in its
// first seeded region.
func (f *Factory) tryList(endpoint string) string {
	cs := f.Clouds()
	if len(cs) == 0 || len(cs[0].Profile.Regions) == 0 {
		return ""
	}
	return fmt.Sprintf("eipctl eip list --endpoint %s --provider %s --region %s", endpoint, cs[0].Spec.Name, cs[0].Profile.Regions[0].Name)
}
