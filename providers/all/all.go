// Package all is the explicit registry of clouds: one line per cloud. Nothing
// registers itself on import, so a test can build a registry of just what it needs.
package all

import (
	"fmt"
	"sort"
	"strings"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/sim"
	"github.com/eipctl/eipctl/providers/alibaba"
	alibabaemu "github.com/eipctl/eipctl/providers/alibaba/emulator"
	"github.com/eipctl/eipctl/providers/tencent"
	tencentemu "github.com/eipctl/eipctl/providers/tencent/emulator"
	"github.com/eipctl/eipctl/providers/zenlayer"
	zenlayeremu "github.com/eipctl/eipctl/providers/zenlayer/emulator"
)

// Cloud is one registered cloud: its adapter and its emulator.
type Cloud struct {
	Spec     eip.Spec
	Profile  sim.Profile
	NewFront func(*sim.Sim) sim.Front
	// Readable, when set, is the emulated account with eipctl's readable
	// IDs, for a cloud whose real IDs are not (EIPCTL_SIM_READABLE=1).
	Readable sim.Profile
}

// Clouds lists every cloud eipctl drives, in the order help text shows them.
func Clouds() []Cloud {
	return append([]Cloud{
		{Spec: alibaba.Spec, Profile: alibabaemu.Profile, NewFront: alibabaemu.New},
		{Spec: tencent.Spec, Profile: tencentemu.Profile, NewFront: tencentemu.New},
		{Spec: zenlayer.Spec, Profile: zenlayeremu.Profile, NewFront: zenlayeremu.New, Readable: zenlayeremu.Readable},
	}, testClouds...)
}

// Find returns the cloud called name.
func Find(name string) (Cloud, error) {
	for _, c := range Clouds() {
		if c.Spec.Name == name {
			return c, nil
		}
	}
	return Cloud{}, fmt.Errorf("unknown provider %q: use one of %s", name, strings.Join(Names(), ", "))
}

// Names lists the registered provider names, sorted.
func Names() []string {
	var out []string
	for _, c := range Clouds() {
		out = append(out, c.Spec.Name)
	}
	sort.Strings(out)
	return out
}

// CredentialVars is the environment that hands one cloud's key pair to
// eipctl, in the first of the cloud's own variables each: KEY, VALUE, KEY,
// VALUE ("ALIBABA_CLOUD_ACCESS_KEY_ID", id, ...). Tests and the bench point
// eipctl at an emulator with it, so none of them spells a variable name.
func (c Cloud) CredentialVars(id, secret string) []string {
	return []string{c.Spec.Env.ID[0], id, c.Spec.Env.Secret[0], secret}
}

// CredentialVars is Cloud.CredentialVars for every cloud whose key pair
// creds holds (as `eipctl sim serve -o json` prints them), in registry order.
func CredentialVars(creds map[string]sim.Credential) []string {
	var out []string
	for _, c := range Clouds() {
		if k, ok := creds[c.Spec.Name]; ok {
			out = append(out, c.CredentialVars(k.ID, k.Secret)...)
		}
	}
	return out
}
