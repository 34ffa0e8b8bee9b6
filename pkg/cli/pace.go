package cli

import (
	"github.com/eipctl/eipctl/pkg/clock"
	"github.com/eipctl/eipctl/pkg/config"
	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/pace"
)

// paced wraps an adapter so that every call a command makes through it (the
// engine's, `eip list`'s, `eip describe`'s, `config doctor`'s, completion's)
// is paced and retried under the process's one set of pacers, built once
// with the profile's `limits:`. Callers hold f.mu.
func (f *Factory) paced(cfg *config.Config, name string, p eip.Provider) (eip.Provider, error) {
	if f.pacers == nil {
		limits, err := f.limits(cfg)
		if err != nil {
			return nil, err
		}
		f.pacers = pace.NewPacers(clock.Real{}, limits)
	}
	return pace.Wrap(p, name, pace.Options{Pacers: f.pacers}), nil
}
