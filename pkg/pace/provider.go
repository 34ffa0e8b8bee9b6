package pace

import (
	"context"
	"time"

	"github.com/eipctl/eipctl/pkg/clock"
	"github.com/eipctl/eipctl/pkg/eip"
)

// Provider is an eip.Provider whose every read (Describe, List, CheckTasks)
// waits its turn under its action's pacer and is retried by one policy, and
// whose mutations' pacers are found the same way (Pacer). Every command that
// talks to a cloud goes through one: the engine, `eip list`, `eip describe`,
// `eip wait`, `config doctor` and completion. Wrappers built over one Pacers
// share one budget per provider, region and action, so a throttled read is
// paced and retried the same way wherever it comes from.
type Provider struct {
	eip.Provider
	Name   string  // the registry's name of the cloud: the pacers' key
	Pacers *Pacers // shared by every wrapper of a process
	Retry  RetryPolicy
	Clock  clock.Clock
	// OnRetry, when set, is told of each read sent again and its pause.
	OnRetry func(region, action string, ce *eip.Error, pause time.Duration)
}

// Options are what Wrap needs besides the provider; zero values take the
// defaults (a fresh Pacers on Clock, DefaultRetry, the wall clock).
type Options struct {
	Pacers  *Pacers
	Retry   RetryPolicy
	Clock   clock.Clock
	OnRetry func(region, action string, ce *eip.Error, pause time.Duration)
}

// Wrap returns p paced and retried under o. A p that is already a *Provider
// is unwrapped first and keeps its Pacers, so the new wrapper (the engine's,
// with its own clock and observer, say) spends the same budget as the old.
func Wrap(p eip.Provider, name string, o Options) *Provider {
	if w, ok := p.(*Provider); ok {
		p, o.Pacers = w.Provider, w.Pacers
	}
	if o.Clock == nil {
		o.Clock = clock.Real{}
	}
	if o.Pacers == nil {
		o.Pacers = NewPacers(o.Clock, nil)
	}
	if o.Retry == (RetryPolicy{}) {
		o.Retry = DefaultRetry
	}
	return &Provider{Provider: p, Name: name, Pacers: o.Pacers, Retry: o.Retry, Clock: o.Clock, OnRetry: o.OnRetry}
}

// Pacer is the pacer of one region and action (a native name, or a read
// such as eip.ActionDescribe).
func (p *Provider) Pacer(region, action string) *Pacer {
	return p.Pacers.For(p.Name, region, action, p.Capabilities())
}

// Do runs one call of region's action under its pacer and the retry policy,
// returning the call's last error unchanged (the caller classifies it).
func (p *Provider) Do(ctx context.Context, region, action string, fn func() error) error {
	t := Try{Clock: p.Clock, Classify: p.Classify, Pacer: p.Pacer(region, action)}
	if p.OnRetry != nil {
		t.OnRetry = func(ce *eip.Error, pause time.Duration) { p.OnRetry(region, action, ce, pause) }
	}
	return p.Retry.Do(ctx, t, fn)
}

// Describe is the provider's Describe, paced and retried.
func (p *Provider) Describe(ctx context.Context, region string, ids []string) ([]eip.Address, error) {
	var out []eip.Address
	err := p.Do(ctx, region, eip.ActionDescribe, func() (err error) {
		out, err = p.Provider.Describe(ctx, region, ids)
		return err
	})
	return out, err
}

// List is the provider's List, paced and retried.
func (p *Provider) List(ctx context.Context, region string) ([]eip.Address, error) {
	var out []eip.Address
	err := p.Do(ctx, region, eip.ActionList, func() (err error) {
		out, err = p.Provider.List(ctx, region)
		return err
	})
	return out, err
}

// WatchesTasks reports whether the cloud answers CheckTasks (its mutations
// return task handles).
func (p *Provider) WatchesTasks() bool {
	_, ok := p.Provider.(eip.TaskWatcher)
	return ok
}

// CheckTasks is the provider's CheckTasks, paced and retried; a cloud with
// no tasks knows none of the handles.
func (p *Provider) CheckTasks(ctx context.Context, region string, handles []string) (map[string]eip.TaskState, error) {
	tw, ok := p.Provider.(eip.TaskWatcher)
	if !ok {
		return nil, nil
	}
	var out map[string]eip.TaskState
	err := p.Do(ctx, region, eip.ActionCheckTasks, func() (err error) {
		out, err = tw.CheckTasks(ctx, region, handles)
		return err
	})
	return out, err
}

// CheckCredentials makes one signed read, paced and retried like the rest:
// the adapter's own cheap check when it has one, else a listing of region.
func (p *Provider) CheckCredentials(ctx context.Context, region string) (string, error) {
	if c, ok := p.Provider.(eip.CredentialChecker); ok {
		var checked string
		err := p.Do(ctx, region, eip.ActionCheckCredentials, func() (err error) {
			checked, err = c.CheckCredentials(ctx, region)
			return err
		})
		return checked, err
	}
	if region == "" {
		return "", eip.Usagef("--region is needed to check %s's credentials", p.Name)
	}
	_, err := p.List(ctx, region)
	return region, err
}

// Unwrap returns the adapter inside a wrapper (for what only it knows, such
// as where its credentials came from); any other p is returned as it is.
func Unwrap(p eip.Provider) eip.Provider {
	if w, ok := p.(*Provider); ok {
		return w.Provider
	}
	return p
}
