package cli

import (
	"strings"
	"testing"
)

// profileArgs are, for every command that reads settings, arguments it would
// otherwise run with; a command missing here fails the test below, so a new
// verb must say how a profile mistake reaches it.
var profileArgs = map[string][]string{
	"eip associate":    {"--provider", "alibaba", "--region", "cn-hangzhou", "--eip", "eip-hz0001", "--target", "i-hz0001"},
	"eip disassociate": {"--provider", "alibaba", "--region", "cn-hangzhou", "--eip", "eip-hz0024"},
	"eip describe":     {"eip-hz0001", "--provider", "alibaba", "--region", "cn-hangzhou"},
	"eip list":         {"--provider", "alibaba", "--region", "cn-hangzhou"},
	"eip wait":         {"eip-hz0001", "--for", "available", "--provider", "alibaba", "--region", "cn-hangzhou", "--timeout", "3s"},
	"eip history":      {},
	"config doctor":    {},
	"config get":       {"region"},
	"config list":      {},
	"config unset":     {"region"},
	"sim inventory":    {},
	// A bad --fault, refused after the profile: were the profile let
	// through, the run ends with the wrong message instead of serving.
	"sim serve": {"--listen", "127.0.0.1:0", "--fault", "bogus"},
}

// Commands a profile mistake cannot reach: they read no settings and send
// nothing (config set makes the profile it names; config use names it as
// its argument, checked below).
var profileFree = map[string]bool{"version": true, "help": true, "config set": true, "config use": true,
	"completion": true, "completion bash": true, "completion zsh": true, "completion fish": true, "completion powershell": true}

// A profile no file defines is refused with exit 2 and one line naming it,
// before anything is read or sent, on every command and every path: the
// real clouds, --endpoint, --sim; with no config file and with one that
// defines other profiles; named by --profile or EIPCTL_PROFILE.
func TestProfileMistakesExit2OnEveryPath(t *testing.T) {
	dir := isolate(t)
	// Were a mistake let through on the real path, the credential chain
	// would ask an instance metadata service: this one is on loopback and
	// answers nothing.
	t.Setenv("EIPCTL_ALIBABA_METADATA_ENDPOINT", "http://127.0.0.1:1")
	t.Setenv("EIPCTL_TENCENT_METADATA_ENDPOINT", "http://127.0.0.1:1")
	_, all := commandPaths(t)
	var leaves []string
	for _, c := range all {
		path := strings.Join(c, " ")
		if _, ok := profileArgs[path]; ok {
			leaves = append(leaves, path)
		} else if !profileFree[path] && path != "" && path != "eip" && path != "config" && path != "sim" {
			t.Errorf("`eipctl %s` is in neither profileArgs nor profileFree", path)
		}
	}
	paths := map[string][]string{"real": nil, "endpoint": {"--endpoint", "http://127.0.0.1:1"}, "sim": {"--sim"}}
	for _, file := range []string{"", "profiles:\n  prod: {region: cn-hangzhou}\n"} {
		if file != "" {
			writeConfig(t, dir, file)
		}
		for name, extra := range paths {
			for _, leaf := range leaves {
				argv := append(append(strings.Fields(leaf), profileArgs[leaf]...), extra...)
				code, stdout, stderr := run(t, append(argv, "--profile", "nosuch")...)
				oneLine(t, append(argv, name), code, stdout, stderr, "--profile nosuch", "no such profile")
				t.Setenv("EIPCTL_PROFILE", "nosuch")
				code, stdout, stderr = run(t, argv...)
				oneLine(t, append(argv, name, "EIPCTL_PROFILE"), code, stdout, stderr, "EIPCTL_PROFILE=nosuch", "no such profile")
				t.Setenv("EIPCTL_PROFILE", "")
			}
		}
		code, stdout, stderr := run(t, "config", "use", "nosuch")
		want := "does not exist"
		if file != "" {
			want = "use one of prod"
		}
		oneLine(t, []string{"config", "use", "nosuch"}, code, stdout, stderr, `profile "nosuch"`, want)
	}
	// Nothing was sent: the emulator's EIPs are as seeded.
	_, stdout, _ := run(t, "eip", "describe", "eip-hz0001", "eip-hz0024", "--sim", "--provider", "alibaba", "--region", "cn-hangzhou", "--query", "eips[].status")
	if !jsonEqual(stdout, `["available","associated"]`) {
		t.Errorf("after refused runs the EIPs read %s, want as seeded", stdout)
	}
}
