package cli

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/eipctl/eipctl/pkg/config"
	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/providers/all"
)

// credentialSource finds a cloud's credentials, first match wins: the cloud's
// environment variables, the eipctl profile's credentials.<provider>, then
// the cloud's own chain (its CLI's files, the instance's role; see
// docs/configuration.md). Nothing here sends a request, except that an
// instance role's name may be read from the metadata service.
func (f *Factory) credentialSource(cfg *config.Config, cloud all.Cloud) (*eip.CredentialSource, error) {
	name, env := cloud.Spec.Name, cloud.Spec.Env
	cr, err := cfg.Credentials(name, config.CredentialVars{ID: env.ID, Secret: env.Secret, Token: env.Token})
	if err != nil {
		return nil, &usageError{err}
	}
	opts := eip.CredentialOptions{}
	if cr.ID != "" || cr.Secret != "" {
		if cr.ID == "" || cr.Secret == "" {
			return nil, &authError{fmt.Sprintf("incomplete %s credentials from %s: both the access key ID and the secret are needed", name, cr.Source)}
		}
		opts.Base = eip.StaticSource(cr.Source, eip.Credentials{ID: cr.ID, Secret: cr.Secret, Token: cr.Token})
	}
	opts.Profile, opts.InstanceRole = cfg.CredentialSettings(name)
	if opts.Profile == "" && cfg.ProfileNamed() {
		opts.Profile, opts.ProfileFromFlag = cfg.Profile(), true
	}
	src := opts.Base
	if cloud.Spec.Credentials != nil {
		if src, err = cloud.Spec.Credentials(opts); err != nil {
			if eip.IsUsage(err) {
				return nil, &usageError{err}
			}
			return nil, &authError{err.Error()}
		}
	}
	if src == nil {
		msg := fmt.Sprintf("no %s credentials: set %s and %s, or add profiles.%s.credentials.%s {id, secret} to %s, or configure the cloud's own CLI or instance role (see docs/configuration.md#credentials); or try the emulator with --sim",
			name, strings.Join(env.ID, " or "), strings.Join(env.Secret, " or "), cfg.Profile(), name, cmp.Or(cfg.File(), "$XDG_CONFIG_HOME/eipctl/config.yaml"))
		return nil, &noCredentials{&authError{msg}}
	}
	return src, nil
}

// withSource makes an adapter's authentication errors say where the refused
// credentials came from (which variables, file and profile, or role), so the
// user knows what to fix. It keeps the adapter's optional interfaces.
func withSource(p eip.Provider, src *eip.CredentialSource) eip.Provider {
	s := sourced{Provider: p, src: src}
	if tw, ok := p.(eip.TaskWatcher); ok {
		return sourcedTasks{s, tw}
	}
	return s
}

type sourced struct {
	eip.Provider
	src *eip.CredentialSource
}

func (s sourced) Classify(err error) *eip.Error {
	e := s.Provider.Classify(err)
	if e == nil {
		return nil
	}
	// The adapter masks the key IDs it was built with; a source's keys
	// may have been refreshed since, so mask the current one too.
	if c, gerr := s.src.Get(context.Background()); gerr == nil {
		e = e.Redacted(c.ID)
	}
	if e.Class != eip.ClassAuth || s.src.Describe == "" || strings.Contains(e.Message, s.src.Describe) {
		return e
	}
	c := *e
	c.Message = strings.TrimRight(c.Message, ". ") + " (credentials from " + s.src.Describe + ")"
	return &c
}

// CheckCredentials passes the adapter's check through, when it has one.
func (s sourced) CheckCredentials(ctx context.Context, region string) (string, error) {
	return checkCredentials(ctx, s.Provider, region)
}

// checkCredentials is one signed read through p: its own cheap check, or a
// listing of the region when it has none.
func checkCredentials(ctx context.Context, p eip.Provider, region string) (string, error) {
	if c, ok := p.(eip.CredentialChecker); ok {
		return c.CheckCredentials(ctx, region)
	}
	if region == "" {
		return "", eip.Usagef("--region is needed to check %T's credentials", p)
	}
	_, err := p.List(ctx, region)
	return region, err
}

// noCredentials is the authError for a cloud with no credentials anywhere
// (as opposed to credentials found and refused).
type noCredentials struct{ *authError }

func (n *noCredentials) Unwrap() error { return n.authError }

type sourcedTasks struct {
	sourced
	eip.TaskWatcher
}

func (s sourced) source() *eip.CredentialSource { return s.src }

// checkProfile refuses, before anything is read or sent, a --profile (or
// EIPCTL_PROFILE) that no file defines: eipctl's config file, or, except for
// the emulator (--sim, sim serve, sim inventory), a cloud's own CLI files.
// Every path gives the same mistake the same exit status (2).
func (f *Factory) checkProfile(cmd *cobra.Command, cfg *config.Config) error {
	if !cfg.ProfileNamed() || cfg.ProfileDefined() {
		return nil
	}
	emulated := f.global.sim || strings.HasPrefix(cmd.CommandPath(), cmd.Root().Name()+" sim ")
	elsewhere := ""
	if !emulated {
		var looked []string
		for _, c := range f.Clouds() {
			if c.Spec.CredentialFiles == nil {
				continue
			}
			for _, file := range c.Spec.CredentialFiles() {
				if slices.Contains(file.Profiles, cfg.Profile()) {
					return nil // that cloud's CLI profile
				}
				looked = append(looked, file.Path)
			}
		}
		elsewhere = "and no cloud's own CLI file defines it"
		if len(looked) > 0 {
			elsewhere = "nor does " + strings.Join(looked, ", ")
		}
	}
	return &usageError{cfg.CheckProfile(elsewhere)}
}
