package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sort"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/eipctl/eipctl/pkg/config"
	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/output"
)

// scope is one provider and region that the read-only verbs (list,
// describe, wait, completion) look in.
type scope struct {
	provider, region string
	p                eip.Provider
}

func (s scope) String() string { return s.provider + " " + s.region }

// scopes says where to look. --provider and --region (or EIPCTL_PROVIDER,
// EIPCTL_REGION, the profile) narrow it; what they leave open is every
// configured provider (one whose credentials are found; all of them with
// --sim) and each of its regions. Providers skipped for want of credentials
// are logged, not fatal, unless none is left.
func (f *Factory) scopes(cmd *cobra.Command) ([]scope, error) {
	cfg, err := f.Config(cmd)
	if err != nil {
		return nil, err
	}
	provider, region := cfg.String("provider"), cfg.String("region")
	var names []string
	if provider != "" {
		if _, err := f.cloud(provider); err != nil {
			return nil, err
		}
		names = []string{provider}
	} else {
		for _, c := range f.Clouds() {
			names = append(names, c.Spec.Name)
		}
	}
	var out []scope
	var missing []string
	for _, name := range names {
		p, err := f.Provider(cmd, name)
		var nc *noCredentials
		switch {
		case errors.As(err, &nc) && provider == "":
			// Not configured: the user did not ask for this cloud by name.
			f.logger().Info("skipping provider: no credentials", "provider", name)
			missing = append(missing, name)
			continue
		case err != nil:
			return nil, err
		}
		if region != "" {
			if err := checkRegionFlag(f, cmd, p, region); err != nil {
				return nil, err
			}
		}
		regions, err := f.regions(cfg, name, region, p)
		if err != nil {
			return nil, err
		}
		for _, r := range regions {
			out = append(out, scope{name, r, p})
		}
	}
	if len(out) == 0 {
		return nil, &authError{fmt.Sprintf("no provider has credentials (looked for %s): set a cloud's credentials (see `eipctl eip associate --help` and docs/configuration.md), pass --provider, or try the emulator with --sim",
			strings.Join(missing, ", "))}
	}
	return out, nil
}

// readSetup is what every read-only verb starts with: the output format and
// where to look.
func (f *Factory) readSetup(cmd *cobra.Command) (output.Format, []scope, error) {
	format, err := f.Format(cmd)
	if err != nil {
		return "", nil, err
	}
	scopes, err := f.scopes(cmd)
	if err != nil {
		return "", nil, err
	}
	return format, scopes, f.startReads(cmd)
}

// regions lists the regions to look in for one provider: the region asked
// for; else the profile's regions for it; else the embedded emulator's with
// --sim; else every region the cloud documents.
func (f *Factory) regions(cfg *config.Config, provider, region string, p eip.Provider) ([]string, error) {
	if region != "" {
		return []string{strings.TrimSpace(region)}, nil
	}
	if rs := cfg.Regions(provider); len(rs) > 0 {
		return rs, nil
	}
	c, err := f.cloud(provider)
	if err != nil {
		return nil, err
	}
	if f.global.sim {
		return c.Profile.RegionNames(), nil
	}
	if s := p.Capabilities().Syntax; s != nil && len(s.Regions) > 0 {
		return s.Regions, nil
	}
	return nil, eip.Usagef("--region is required for %s: pass --region, or list regions.%s in the profile", provider, provider)
}

// located is one EIP found in one scope.
type located struct {
	scope
	addr eip.Address
}

// scopeError is a read that failed in one scope.
type scopeError struct {
	scope
	err *eip.Error
}

func (e scopeError) Error() string { return e.scope.String() + ": " + e.err.Error() }

// eachScope runs fn for every scope, a few at a time, and returns the
// failures in scope order.
func eachScope(scopes []scope, fn func(i int, s scope) error) []scopeError {
	errs := make([]error, len(scopes))
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for i, s := range scopes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			errs[i] = fn(i, s)
		}()
	}
	wg.Wait()
	var out []scopeError
	for i, err := range errs {
		if err != nil {
			out = append(out, scopeError{scopes[i], scopes[i].p.Classify(err)})
		}
	}
	return out
}

// findEIPs looks every reference (an EIP ID or its public IP address) up in
// every scope: IDs with batched Describe calls, addresses through one List
// per scope. It returns each reference's matches, in scope order.
func findEIPs(ctx context.Context, scopes []scope, refs []string) (map[string][]located, []scopeError) {
	var ids []string
	byIP := false
	for _, r := range refs {
		if net.ParseIP(r) != nil {
			byIP = true
		} else {
			ids = append(ids, r)
		}
	}
	found := make([][]eip.Address, len(scopes))
	errs := eachScope(scopes, func(i int, s scope) error {
		seen := map[string]bool{}
		keep := func(as []eip.Address) {
			for _, a := range as {
				if !seen[a.ID] {
					seen[a.ID] = true
					found[i] = append(found[i], a)
				}
			}
		}
		if byIP {
			// The List already holds every EIP the IDs could name.
			as, err := s.p.List(ctx, s.region)
			keep(as)
			return err
		}
		n := max(s.p.Capabilities().DescribeBatch, 1)
		for j := 0; j < len(ids); j += n {
			as, err := s.p.Describe(ctx, s.region, ids[j:min(j+n, len(ids))])
			if err != nil {
				return err
			}
			keep(as)
		}
		return nil
	})
	out := map[string][]located{}
	for i, as := range found {
		for _, a := range as {
			for _, r := range refs {
				if a.ID == r || a.IP == r {
					out[r] = append(out[r], located{scopes[i], a})
				}
			}
		}
	}
	return out, errs
}

// resolveEIPs turns references into exactly one EIP each. A reference that
// matches several EIPs is bad input (exit 2: narrow it with --provider and
// --region); one that matches none is reported in missing, with the scopes
// that could not be read, so the caller can tell "not there" from "could not look".
func resolveEIPs(ctx context.Context, scopes []scope, refs []string) (hits []located, missing []string, errs []scopeError, err error) {
	if err := checkRefs(scopes, refs); err != nil {
		return nil, nil, nil, err
	}
	if err := sameRefTwice(refs); err != nil {
		return nil, nil, nil, err
	}
	found, errs := findEIPs(ctx, scopes, refs)
	ids := map[string]string{}
	for _, r := range refs {
		m := found[r]
		switch {
		case len(m) == 0:
			missing = append(missing, r)
			continue
		case len(m) > 1:
			var where []string
			for _, l := range m {
				where = append(where, fmt.Sprintf("%s in %s %s", l.addr.ID, l.provider, l.region))
			}
			return nil, nil, nil, eip.Usagef("%s matches %d EIPs (%s): pass --provider and --region to choose one", r, len(m), strings.Join(where, ", "))
		}
		key := m[0].provider + "/" + m[0].region + "/" + m[0].addr.ID
		if other, dup := ids[key]; dup {
			return nil, nil, nil, eip.Usagef("%s and %s are the same EIP (%s): name each EIP once", other, r, m[0].addr.ID)
		}
		ids[key] = r
		hits = append(hits, m[0])
	}
	return hits, missing, errs, nil
}

func sameRefTwice(refs []string) error {
	seen := map[string]bool{}
	for _, r := range refs {
		if seen[r] {
			return eip.Usagef("%s is named twice: name each EIP once", r)
		}
		seen[r] = true
	}
	return nil
}

// notFound explains a reference no scope holds, naming where it looked.
func notFound(ref string, scopes []scope) string {
	where := make([]string, 0, len(scopes))
	for _, s := range scopes {
		where = append(where, s.String())
	}
	sort.Strings(where)
	what := "no EIP has ID"
	if net.ParseIP(ref) != nil {
		what = "no EIP has address"
	}
	return fmt.Sprintf("%s %s in %s: check it, or pass --provider and --region (see `eipctl eip list`)", what, ref, strings.Join(where, ", "))
}

// readFailure is the exit status of reads that failed in every scope asked.
func readFailure(verb string, errs []scopeError) error {
	if expired := expiredReads(verb, errs); expired != nil {
		return expired
	}
	msgs := make([]string, len(errs))
	auth := true
	for i, e := range errs {
		msgs[i] = e.Error()
		auth = auth && e.err.Class == eip.ClassAuth
	}
	msg := verb + ": " + strings.Join(msgs, "; ")
	if auth {
		return &authError{msg}
	}
	return &exitError{code: ExitFailure, msg: msg}
}

// expiredReads is the exit status of reads that --timeout cut in every scope
// asked: 4, and one line naming a few of them (nil if some other failure).
func expiredReads(verb string, errs []scopeError) error {
	var where []string
	for _, e := range errs {
		if !e.err.Expired {
			return nil
		}
		if len(where) < 3 {
			where = append(where, e.scope.String())
		}
	}
	if len(errs) > len(where) {
		where = append(where, fmt.Sprintf("%d more", len(errs)-len(where)))
	}
	return &exitError{code: ExitTimeout, msg: fmt.Sprintf("%s: %d region(s) did not answer in time (%s): %s",
		verb, len(errs), strings.Join(where, ", "), errs[0].err.Message)}
}
