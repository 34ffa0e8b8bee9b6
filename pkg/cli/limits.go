package cli

import (
	"fmt"
	"sort"
	"strings"

	"github.com/eipctl/eipctl/pkg/config"
	"github.com/eipctl/eipctl/pkg/eip"
)

// limits reads the profile's rate-limit overrides for Engine.Limits:
//
//	profiles:
//	  default:
//	    limits:
//	      alibaba: {AssociateEipAddress: 60/60s, default: 20/60s}
//
// Viper folds keys to lower case, so each action is matched back to the
// cloud's own name. An unknown cloud, an action the cloud's adapter does
// not call, or a malformed value is bad input that names the key.
func (f *Factory) limits(cfg *config.Config) (map[string]map[string]eip.Limit, error) {
	settings := cfg.Limits()
	if len(settings) == 0 {
		return nil, nil
	}
	out := map[string]map[string]eip.Limit{}
	for provider, actions := range settings {
		where := "profile " + cfg.Profile() + ": limits." + provider
		c, err := f.cloud(provider)
		if err != nil {
			return nil, &usageError{fmt.Errorf("%s: %v", where, err)}
		}
		known := documentedActions(c.Spec)
		out[provider] = map[string]eip.Limit{}
		for action, value := range actions {
			native, ok := known[strings.ToLower(action)]
			if !ok {
				return nil, &usageError{fmt.Errorf("%s.%s: %s calls no such action: use one of %s", where, action, provider, knownWords(known))}
			}
			l, err := eip.ParseLimit(value)
			if err != nil {
				return nil, &usageError{fmt.Errorf("%s.%s: %v", where, native, err)}
			}
			out[provider][native] = l
		}
	}
	return out, nil
}

// documentedActions maps the lower-cased native actions a cloud's adapter
// paces (and "default") to their own spelling. The capabilities are read
// from an adapter built with placeholder keys on a loopback endpoint: New
// sends nothing, and the real keys may not be configured for this cloud.
func documentedActions(spec eip.Spec) map[string]string {
	out := map[string]string{"default": "default"}
	p, err := spec.New(eip.ProviderConfig{Endpoint: "http://127.0.0.1:9", Credentials: eip.Credentials{ID: "limits", Secret: "limits"}})
	if err != nil {
		return out
	}
	for action := range p.Capabilities().Limits {
		out[strings.ToLower(action)] = action
	}
	return out
}

func knownWords(known map[string]string) string {
	var ws []string
	for _, w := range known {
		ws = append(ws, w)
	}
	sort.Strings(ws)
	return strings.Join(ws, ", ")
}
