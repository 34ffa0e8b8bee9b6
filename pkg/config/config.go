// Package config finds and reads eipctl's settings through one viper
// instance: flags, then environment (EIPCTL_*), then the chosen profile of
// $XDG_CONFIG_HOME/eipctl/config.yaml. Credentials come from each cloud's own
// environment variables, then the profile, never from flags (they would show
// in `ps` and shell history).
package config

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"
)

// Keys are the settings that may come from a flag, EIPCTL_<KEY> or a profile.
var Keys = []string{"provider", "region", "endpoint", "timeout", "output", "state-dir", "allow-unknown-region", "ca-file"}

// Config is the resolved settings of one invocation.
type Config struct {
	v       *viper.Viper
	file    string // the config file read, or ""
	mode    fs.FileMode
	path    string // where the file was looked for (File is "" when absent)
	profile string
	// flagProfile is --profile's value, to tell it from EIPCTL_PROFILE.
	flagProfile string
	named       bool // --profile or EIPCTL_PROFILE chose the profile
	defined     bool // the file defines the profile
}

// Load resolves settings. configFile and profile are the --config and
// --profile flag values (empty when not given).
func Load(flags *pflag.FlagSet, configFile, profile string) (*Config, error) {
	v := viper.New()
	c := &Config{v: v}
	for _, k := range Keys {
		if err := v.BindEnv(k, envName(k)); err != nil {
			return nil, err
		}
		if f := flags.Lookup(k); f != nil {
			if err := v.BindPFlag(k, f); err != nil {
				return nil, err
			}
		}
	}
	explicit := configFile != "" || os.Getenv("EIPCTL_CONFIG") != ""
	c.file = cmp.Or(configFile, os.Getenv("EIPCTL_CONFIG"), defaultFile())
	c.path = c.file
	fi, err := os.Stat(c.file)
	switch {
	case err == nil:
		c.mode = fi.Mode().Perm()
		v.SetConfigFile(c.file)
		v.SetConfigType("yaml")
		if err := v.ReadInConfig(); err != nil {
			return nil, fmt.Errorf("config file %s: %v: fix the YAML or point --config elsewhere", c.file, err)
		}
	case errors.Is(err, fs.ErrNotExist) && !explicit:
		c.file = ""
	default:
		return nil, fmt.Errorf("config file %s: %v", c.file, err)
	}
	c.profile = cmp.Or(profile, os.Getenv("EIPCTL_PROFILE"), v.GetString("default-profile"), "default")
	c.named = profile != "" || os.Getenv("EIPCTL_PROFILE") != ""
	c.flagProfile = profile
	c.defined = v.IsSet("profiles." + c.profile)
	// A named profile the file lacks is not refused here: the clouds' own
	// CLI files may have it (see CheckProfile).
	// The profile is the lowest layer: flags and environment win over it.
	for _, k := range Keys {
		if pk := "profiles." + c.profile + "." + k; v.IsSet(pk) {
			v.SetDefault(k, v.Get(pk))
		}
	}
	return c, nil
}

// String returns a setting ("" when unset).
func (c *Config) String(key string) string { return c.v.GetString(key) }

// Duration returns a duration setting; def when unset.
func (c *Config) Duration(key string, def time.Duration) (time.Duration, error) {
	s := c.v.GetString(key)
	if s == "" {
		return def, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("--%s %q is not a duration: write it like 90s or 5m", key, s)
	}
	return d, nil
}

// Regions is the profile's regions.<provider> list: where `eip list` and
// `eip describe` look for that cloud when no region is given.
func (c *Config) Regions(provider string) []string {
	var out []string
	for _, r := range c.v.GetStringSlice("profiles." + c.profile + ".regions." + provider) {
		if r = strings.TrimSpace(r); r != "" {
			out = append(out, r)
		}
	}
	return out
}

// Limits is the profile's rate-limit overrides, provider -> action ->
// value as written ("120/60s"): profiles.<profile>.limits.<provider>.
// Viper folds keys, so the actions come back in lower case; the caller
// matches them to the cloud's own names.
func (c *Config) Limits() map[string]map[string]string {
	out := map[string]map[string]string{}
	base := "profiles." + c.profile + ".limits"
	for provider := range c.v.GetStringMap(base) {
		out[provider] = c.v.GetStringMapString(base + "." + provider)
	}
	return out
}

// Profile is the profile in use.
func (c *Config) Profile() string { return c.profile }

// ProfileNamed tells whether --profile or EIPCTL_PROFILE chose the profile
// (rather than default-profile or the implicit "default").
func (c *Config) ProfileNamed() bool { return c.named }

// ProfileDefined tells whether eipctl's config file defines the profile in use.
func (c *Config) ProfileDefined() bool { return c.defined }

// CheckProfile refuses a named profile that eipctl's config file does not
// define; elsewhere says what else was looked in and lacks it too ("" for
// nothing). The caller decides whether the clouds' own files count.
func (c *Config) CheckProfile(elsewhere string) error {
	if !c.named || c.defined {
		return nil
	}
	how := "--profile"
	if c.profile != c.flagProfile {
		how = "EIPCTL_PROFILE"
	}
	return NoProfileError(how, c.profile, cmp.Or(c.file, c.path), c.Profiles(), c.file != "", elsewhere)
}

// NoProfileError is the message for a profile chosen by --profile or
// EIPCTL_PROFILE that no file defines: it names how it was chosen, the file,
// the profiles there are, and how to fix it. A file that does not exist
// offers no list of profiles. (`config use NAME` takes the name as its
// argument, so it words its own: noProfileToUse in pkg/cli.)
func NoProfileError(how, profile, file string, profiles []string, exists bool, elsewhere string) error {
	named := how + " " + profile
	unset := "leave " + how + " out"
	if how == "EIPCTL_PROFILE" {
		named, unset = "EIPCTL_PROFILE="+profile, "unset EIPCTL_PROFILE"
	}
	where := "no such profile in " + file
	switch {
	case !exists:
		where = "no such profile: " + file + " does not exist"
	case len(profiles) == 0:
		where += " (it defines none)"
	}
	if elsewhere != "" {
		where += ", " + elsewhere
	}
	fix := fmt.Sprintf("create it with `eipctl config set region REGION --profile %s`, or %s", profile, unset)
	if exists && len(profiles) > 0 {
		fix = "use one of " + strings.Join(profiles, ", ") + ", or " + fix
	}
	return fmt.Errorf("%s: %s: %s", named, where, fix)
}

// File is the config file read, or "".
func (c *Config) File() string { return c.file }

// Profiles lists the profiles the file defines.
func (c *Config) Profiles() []string {
	return slices.Sorted(maps.Keys(c.v.GetStringMap("profiles")))
}

// Credentials are one cloud's keys and where they came from.
type Credentials struct {
	ID, Secret, Token string
	// Source names where, never a secret: "environment ID_VAR, SECRET_VAR",
	// "profile NAME in FILE", or "".
	Source string
}

// CredentialVars names one cloud's environment variables, first non-empty wins.
type CredentialVars struct{ ID, Secret, Token []string }

// Credentials finds a cloud's keys: its environment variables, then
// profiles.<profile>.credentials.<provider> {id, secret, token}. A file that
// holds secrets must not be readable by others.
func (c *Config) Credentials(provider string, vars CredentialVars) (Credentials, error) {
	idVar, id := firstEnv(vars.ID)
	secretVar, secret := firstEnv(vars.Secret)
	if id != "" || secret != "" {
		names := []string{cmp.Or(idVar, strings.Join(vars.ID, " or ")+" (unset)"), cmp.Or(secretVar, strings.Join(vars.Secret, " or ")+" (unset)")}
		tokenVar, token := firstEnv(vars.Token)
		if token != "" {
			names = append(names, tokenVar)
		}
		return Credentials{ID: id, Secret: secret, Token: token, Source: "environment " + strings.Join(names, ", ")}, nil
	}
	base := "profiles." + c.profile + ".credentials." + provider + "."
	cr := Credentials{ID: c.v.GetString(base + "id"), Secret: c.v.GetString(base + "secret"), Token: c.v.GetString(base + "token")}
	if cr.ID == "" && cr.Secret == "" {
		return Credentials{}, nil
	}
	if c.mode&0o077 != 0 {
		return Credentials{}, &ExposedError{Path: c.file, Mode: c.mode}
	}
	cr.Source = "profile " + c.profile + " in " + c.file
	return cr, nil
}

// CredentialSettings are the profile's hints for a cloud's own credential
// chain: credentials.<provider>.profile names the profile to read in that
// cloud's CLI files, credentials.<provider>.instance-role names the
// instance's role ("auto" to discover it, "off" never to ask).
func (c *Config) CredentialSettings(provider string) (profile, instanceRole string) {
	base := "profiles." + c.profile + ".credentials." + provider + "."
	return c.v.GetString(base + "profile"), c.v.GetString(base + "instance-role")
}

// StateDir is where eipctl keeps state: --state-dir, EIPCTL_STATE_DIR, the
// profile's state-dir, $XDG_STATE_HOME/eipctl (when absolute), or
// ~/.local/state/eipctl.
func (c *Config) StateDir() string {
	if d := c.String("state-dir"); d != "" {
		return d
	}
	if d := xdgDir("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "eipctl")
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".local", "state", "eipctl")
}

func defaultFile() string {
	if d := xdgDir("XDG_CONFIG_HOME"); d != "" {
		return filepath.Join(d, "eipctl", "config.yaml")
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".config", "eipctl", "config.yaml")
}

// xdgDir is an XDG base directory variable, "" when unset or relative: the
// XDG Base Directory spec says a relative path is invalid and must be
// ignored (the default then applies).
func xdgDir(name string) string {
	if d := os.Getenv(name); filepath.IsAbs(d) {
		return d
	}
	return ""
}

func envName(key string) string {
	return "EIPCTL_" + strings.ToUpper(strings.ReplaceAll(key, "-", "_"))
}

// firstEnv returns the first of names that is set, and its value.
func firstEnv(names []string) (string, string) {
	for _, n := range names {
		if v := os.Getenv(n); v != "" {
			return n, v
		}
	}
	return "", ""
}

// ExposedError is a config file that holds credentials and that others may
// read: eipctl refuses its credentials until the mode is fixed.
type ExposedError struct {
	Path string
	Mode fs.FileMode
}

func (e *ExposedError) Error() string {
	return fmt.Sprintf("config file %s holds credentials but is readable by others (mode %04o): run chmod 600 %s", e.Path, e.Mode, e.Path)
}

// FileMode is the permission bits of the config file read (0 when none).
func (c *Config) FileMode() fs.FileMode { return c.mode }
