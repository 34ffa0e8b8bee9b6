package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"sort"
	"strings"

	"github.com/eipctl/eipctl/pkg/sim"
)

type request struct {
	params      url.Values
	failBinding bool
}

func (q request) get(k string) string { return q.params.Get(k) }

type handler struct {
	fn func(f *Front, q request) (map[string]any, *apiError)
}

// handlers serve the actions Profile.Actions lists.
var handlers = map[string]handler{
	"AssociateEipAddress":      {(*Front).associate},
	"AssociateEipAddressBatch": {(*Front).associateBatch},
	"UnassociateEipAddress":    {(*Front).unassociate},
	"DescribeEipAddresses":     {(*Front).describe},
	"ReleaseEipAddress":        {(*Front).release},
}

// instanceTypes maps Alibaba's InstanceType words to the core's target types.
var instanceTypes = map[string]string{
	"EcsInstance":      "instance",
	"NetworkInterface": "eni",
	"Nat":              "nat",
	"SlbInstance":      "lb",
	"HaVip":            "havip",
}

var typeWords = func() map[string]string {
	m := map[string]string{}
	for w, t := range instanceTypes {
		m[t] = w
	}
	return m
}()

// fingerprint identifies a request's business content for ClientToken reuse.
func fingerprint(action string, p url.Values) string {
	keys := make([]string, 0, len(p))
	for k := range p {
		switch k {
		case "Signature", "SignatureNonce", "Timestamp", "AccessKeyId", "SecurityToken", "ClientToken":
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(action)
	for _, k := range keys {
		b.WriteString("&" + k + "=" + p.Get(k))
	}
	return b.String()
}

// required refuses a request that lacks one of the named parameters, the
// first missing one named as the gateway names it.
func required(q request, names ...string) *apiError {
	for _, n := range names {
		if q.get(n) == "" {
			return errMissing(n)
		}
	}
	return nil
}

// mutate runs one change of action under the ClientToken rule, in one update
// of the cloud: a token seen before answers as it did (replay), a refusal of
// change changes nothing, and a change made keeps the token.
func (f *Front) mutate(action string, q request, change func(c *sim.Cloud) (*apiError, error)) (map[string]any, *apiError) {
	var out *apiError
	err := f.s.Update(provider, func(c *sim.Cloud) error {
		fp := fingerprint(action, q.params)
		if done, e := replay(c, q.get("ClientToken"), fp); done {
			out = e
			return nil
		}
		e, err := change(c)
		if err != nil || e != nil {
			out = e
			return err
		}
		c.UseToken(q.get("ClientToken"), fp)
		return nil
	})
	if err != nil {
		return nil, coreError(err)
	}
	return map[string]any{}, out
}

// replay answers a request whose ClientToken was seen: the same request is a
// no-op success, a different one is refused.
func replay(c *sim.Cloud, token, fp string) (bool, *apiError) {
	if token == "" {
		return false, nil
	}
	if prev, ok := c.Tokens[token]; ok {
		if prev == fp {
			return true, nil
		}
		return true, &apiError{400, "IdempotentParameterMismatch", "The request uses the same client token as a previous, but non-identical request."}
	}
	return false, nil
}

// checkKind refuses a target whose kind is not what InstanceType says: to the
// cloud, an EcsInstance with a NAT gateway's ID does not exist.
func checkKind(c *sim.Cloud, region, target, kind string) *apiError {
	r, ok := c.Region(region)
	if !ok {
		return coreError(&sim.Error{Kind: sim.ErrRegionNotFound, ID: region})
	}
	if t, ok := r.Target(target); !ok || t.Type != kind {
		return coreError(&sim.Error{Kind: sim.ErrTargetNotFound, ID: target})
	}
	return nil
}

// markFailure makes accepted bindings fail later, for the fail-binding fault.
func (f *Front) markFailure(c *sim.Cloud, region string, fail bool, ids ...string) {
	if !fail {
		return
	}
	for _, id := range ids {
		c.FailBinding(region, id)
	}
}

func hashHex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
