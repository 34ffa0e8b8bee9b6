package cli

import (
	"bufio"
	"os"
	"strings"
	"time"

	"github.com/eipctl/eipctl/pkg/config"
	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/output"
)

// profileKey is one key of a profile that the config verbs accept.
type profileKey struct {
	name   string
	secret bool // never printed, never taken from the command line
	keyID  bool // printed only as a short prefix
}

// parseProfileKey checks a dotted key: a setting (region, timeout, ...) or
// credentials.<provider>.<id|secret|token|profile|instance-role>.
func (f *Factory) parseProfileKey(key string) (profileKey, error) {
	for _, k := range config.Keys {
		if key == k {
			return profileKey{name: key}, nil
		}
	}
	var providers []string
	for _, c := range f.Clouds() {
		providers = append(providers, c.Spec.Name)
	}
	parts := strings.Split(key, ".")
	if len(parts) == 3 && parts[0] == "credentials" && contains(providers, parts[1]) && contains(config.CredentialKeys, parts[2]) {
		return profileKey{name: key, secret: contains(config.SecretKeys, parts[2]), keyID: parts[2] == "id"}, nil
	}
	return profileKey{}, eip.Usagef("%q is not a profile key: use one of %s, or credentials.PROVIDER.KEY with PROVIDER one of %s and KEY one of %s",
		key, strings.Join(config.Keys, ", "), strings.Join(providers, ", "), strings.Join(config.CredentialKeys, ", "))
}

// checkValue refuses a value eipctl would refuse when reading it back.
func (f *Factory) checkValue(k profileKey, v string) error {
	switch k.name {
	case "provider":
		_, err := f.cloud(v)
		return err
	case "output":
		_, err := output.ParseFormat(v, false)
		if err != nil {
			return eip.Usagef("%v", err)
		}
	case "endpoint":
		_, err := eip.ParseEndpoint(v)
		return err
	case "timeout":
		if d, err := time.ParseDuration(v); err != nil || d <= 0 {
			return eip.Usagef("timeout %q is not a duration: write it like 90s or 5m", v)
		}
	}
	return nil
}

// shown is how a value is printed: secrets never, key IDs as a prefix.
func (k profileKey) shown(v string) string {
	switch {
	case k.secret:
		return "(set, not shown)"
	case k.keyID:
		return eip.MaskKeyID(v)
	}
	return v
}

// editProfile is the profile the config verbs change: --profile, then
// EIPCTL_PROFILE, then the file's default-profile, then "default".
func (f *Factory) editProfile(file *config.File) string {
	return first(f.global.profile, os.Getenv("EIPCTL_PROFILE"), file.DefaultProfile(), "default")
}

// readSecret takes a secret from standard input (one line), so it never
// shows in `ps` or in shell history.
func (f *Factory) readSecret() (string, error) {
	line, err := bufio.NewReader(f.Streams.In).ReadString('\n')
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		if err != nil {
			return "", eip.Usagef("no secret on standard input: pipe it in, e.g. `printf %%s \"$SECRET\" | eipctl config set credentials.alibaba.secret -`")
		}
		return "", eip.Usagef("the secret on standard input is empty")
	}
	return line, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
