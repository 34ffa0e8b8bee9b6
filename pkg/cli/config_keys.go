package cli

import (
	"bufio"
	"cmp"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/eipctl/eipctl/pkg/config"
	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/output"
)

// profileKey is one key of a profile that the config verbs accept.
type profileKey struct {
	name   string
	kind   config.Kind
	secret bool // never printed, never taken from the command line
	keyID  bool // printed only as a short prefix
}

// settingKinds are the kinds of the settings that are not strings.
var settingKinds = map[string]config.Kind{"timeout": config.KindDuration, "allow-unknown-region": config.KindBool}

// parseProfileKey checks a dotted key: a setting (region, timeout, ...),
// regions.<provider>, limits.<provider>.<Action> or
// credentials.<provider>.<id|secret|token|profile|instance-role>.
func (f *Factory) parseProfileKey(key string) (profileKey, error) {
	for _, k := range config.Keys {
		if key == k {
			return profileKey{name: key, kind: settingKinds[k]}, nil
		}
	}
	providers := f.cloudNames()
	parts := strings.Split(key, ".")
	switch {
	case len(parts) == 2 && parts[0] == "regions" && slices.Contains(providers, parts[1]):
		return profileKey{name: key, kind: config.KindList}, nil
	case len(parts) == 3 && parts[0] == "limits" && slices.Contains(providers, parts[1]):
		c, _ := f.cloud(parts[1])
		known := documentedActions(c.Spec)
		native, ok := known[strings.ToLower(parts[2])]
		if !ok {
			return profileKey{}, eip.Usagef("%q: %s calls no such action: use one of %s", key, parts[1], knownWords(known))
		}
		return profileKey{name: "limits." + parts[1] + "." + native}, nil
	case len(parts) == 3 && parts[0] == "credentials" && slices.Contains(providers, parts[1]) && slices.Contains(config.CredentialKeys, parts[2]):
		return profileKey{name: key, secret: slices.Contains(config.SecretKeys, parts[2]), keyID: parts[2] == "id"}, nil
	}
	return profileKey{}, eip.Usagef("%q is not a profile key: %suse one of %s, regions.PROVIDER, limits.PROVIDER.ACTION, or credentials.PROVIDER.KEY with PROVIDER one of %s and KEY one of %s",
		key, eip.DidYouMean(key, f.profileKeyNames()), strings.Join(config.Keys, ", "), strings.Join(providers, ", "), strings.Join(config.CredentialKeys, ", "))
}

// profileKeyNames lists every key parseProfileKey accepts, for completion.
func (f *Factory) profileKeyNames() []string {
	out := append([]string{}, config.Keys...)
	for _, c := range f.Clouds() {
		p := c.Spec.Name
		out = append(out, "regions."+p)
		for _, a := range documentedActions(c.Spec) {
			out = append(out, "limits."+p+"."+a)
		}
		for _, k := range config.CredentialKeys {
			out = append(out, "credentials."+p+"."+k)
		}
	}
	sort.Strings(out)
	return out
}

// checkValue refuses a value eipctl would refuse when reading it back, and
// returns it as it is written: booleans as true or false.
func (f *Factory) checkValue(k profileKey, v string) (string, error) {
	switch {
	case k.name == "provider":
		_, err := f.cloud(v)
		return v, err
	case k.name == "output":
		if _, err := output.ParseFormat(v, false); err != nil {
			return "", notAFormat(k.name, v)
		}
	case k.name == "endpoint":
		_, err := eip.ParseEndpoint(v)
		return v, err
	case k.kind == config.KindDuration:
		if d, err := time.ParseDuration(v); err != nil || d <= 0 {
			return "", eip.Usagef("%s %q is not a duration: write it like 90s or 5m", k.name, v)
		}
	case k.kind == config.KindBool:
		b, err := strconv.ParseBool(v)
		if err != nil {
			return "", eip.Usagef("%s %q is not a boolean: write true or false", k.name, v)
		}
		return strconv.FormatBool(b), nil
	case k.kind == config.KindList:
		if strings.Trim(v, ", ") == "" {
			return "", eip.Usagef("%s needs at least one region, e.g. cn-hangzhou,cn-shanghai", k.name)
		}
	case strings.HasPrefix(k.name, "limits."):
		if _, err := eip.ParseLimit(v); err != nil {
			return "", eip.Usagef("%s: %v", k.name, err)
		}
	}
	return v, nil
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
	return cmp.Or(f.global.profile, os.Getenv("EIPCTL_PROFILE"), file.DefaultProfile(), "default")
}

// existingProfile is editProfile, refused (exit 2) when the file does not
// define it: get and unset have nothing to read in a profile that is not there.
func (f *Factory) existingProfile(file *config.File) (string, error) {
	profile := f.editProfile(file)
	if file.HasProfile(profile) {
		return profile, nil
	}
	how := "--profile"
	switch {
	case f.global.profile != "":
	case os.Getenv("EIPCTL_PROFILE") != "":
		how = "EIPCTL_PROFILE"
	default:
		return profile, nil // default-profile or the implicit "default": simply empty
	}
	_, err := os.Stat(file.Path())
	return "", &usageError{config.NoProfileError(how, profile, file.Path(), file.Profiles(), err == nil, "")}
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
