package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/eipctl/eipctl/pkg/output"
)

// commandPaths lists every command a user can type, as argv words.
func commandPaths(t *testing.T) (groups, all [][]string) {
	t.Helper()
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		if c.Hidden {
			return
		}
		all = append(all, path)
		if c.HasSubCommands() {
			groups = append(groups, path)
		}
		for _, sub := range c.Commands() {
			walk(sub, append(append([]string{}, path...), sub.Name()))
		}
	}
	walk(NewRoot(NewFactory(output.System(), "test")), []string{})
	if len(all) < 15 || len(groups) < 4 {
		t.Fatalf("walked %d commands, %d groups", len(all), len(groups))
	}
	return groups, all
}

// oneLine checks a usage error: exit 2, nothing on stdout, one stderr line
// holding every word of want.
func oneLine(t *testing.T, argv []string, code int, stdout, stderr string, want ...string) {
	t.Helper()
	if code != ExitUsage || stdout != "" || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
		t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2 and one line", argv, code, stdout, stderr)
		return
	}
	for _, w := range want {
		if !strings.Contains(stderr, w) {
			t.Errorf("%q: %q does not name %q", argv, stderr, w)
		}
	}
}

// Every group refuses a word it does not know, and every command a flag it
// does not have: exit 2, one line naming it. Nothing runs.
func TestUnknownWordsExit2OnEveryPath(t *testing.T) {
	isolate(t)
	groups, all := commandPaths(t)
	for _, g := range groups {
		argv := append(append([]string{}, g...), "bogusword")
		code, stdout, stderr := run(t, argv...)
		oneLine(t, argv, code, stdout, stderr, `unknown command "bogusword"`)
		argv = append(append([]string{}, g...), "bogusword", "--eip", "x", "--sim")
		code, stdout, stderr = run(t, argv...)
		oneLine(t, argv, code, stdout, stderr, `unknown command "bogusword"`)
	}
	for _, c := range all {
		argv := append(append([]string{}, c...), "--no-such-flag")
		code, stdout, stderr := run(t, argv...)
		oneLine(t, argv, code, stdout, stderr, "--no-such-flag")
	}
}

func TestUnknownWordsNameTheNearestOne(t *testing.T) {
	isolate(t)
	cases := []struct {
		argv []string
		want string
	}{
		{[]string{"eip", "asociate"}, `unknown command "asociate" for "eipctl eip"; did you mean "associate"?`},
		// The verb is the typo, not --eip (which eip's own flags lack).
		{[]string{"eip", "asociate", "--eip", "x"}, `unknown command "asociate" for "eipctl eip"; did you mean "associate"?`},
		{[]string{"--sim", "eip", "--eip", "x", "asociate"}, `did you mean "associate"?`},
		{[]string{"ep", "list"}, `unknown command "ep" for "eipctl"; did you mean "eip"?`},
		{[]string{"config", "doctr"}, `did you mean "doctor"?`},
		{[]string{"sim", "serv"}, `did you mean "serve"?`},
		{[]string{"config", "bogus"}, `use one of doctor, get, list, set, unset, use`},
		{[]string{"eip", "list", "--provder", "alibaba"}, `unknown flag --provder for "eipctl eip list"; did you mean --provider?`},
		{[]string{"help", "eip", "asociate"}, `did you mean "associate"?`},
		{[]string{"eip", "--sim"}, `"eipctl eip" needs a command`},
		{[]string{"eip", "list", "extra"}, `unknown command "extra" for "eipctl eip list"`},
		// A mistyped word given to a flag is named with the nearest word too.
		{[]string{"eip", "list", "--sim", "--status", "availble"}, `--status "availble" is not known: did you mean "available"?`},
		{[]string{"eip", "list", "--sim", "--status", "avail"}, `did you mean "available"?`},
		{[]string{"sim", "inventory", "--status", "availble"}, `--status "availble" is not known: did you mean "available"?`},
		{[]string{"eip", "list", "--sim", "-o", "jsn"}, `-o "jsn" is not a format: did you mean "json"? use table, json, jsonl or yaml`},
		{[]string{"version", "--log-level", "dbug"}, `--log-level "dbug" is not a level: did you mean "debug"?`},
		{[]string{"version", "--log-format", "jsn"}, `did you mean "json"?`},
		{[]string{"eip", "wait", "--sim", "eip-hz0001", "--for", "asociated"}, `--for "asociated" is not a state to wait for: did you mean "associated"?`},
		{[]string{"config", "get", "regin"}, `"regin" is not a profile key: did you mean "region"?`},
		{[]string{"config", "unset", "credentials.alibaba.secrt"}, `did you mean "credentials.alibaba.secret"?`},
		// The domain's words (pkg/eip's parseWord) take the same guess.
		{[]string{"eip", "associate", "--eip", "x", "--target", "i-1", "--target-type", "instanse"}, `--target-type: unknown target type "instanse": did you mean "instance"? use one of`},
		{[]string{"eip", "associate", "--eip", "x", "--target", "i-1", "--mode", "multibinded"}, `--mode: unknown mode "multibinded": did you mean "multi-binded"?`},
	}
	for _, c := range cases {
		code, stdout, stderr := run(t, c.argv...)
		oneLine(t, c.argv, code, stdout, stderr, c.want)
	}
}

// A bad -o or --endpoint is refused on every command, those that print no
// document or read no endpoint too, before the command does anything (config
// set writes no file). A good one is let through
// where it has no use, so an alias that always adds -o json breaks nothing.
func TestBadGlobalFlagsAreRefusedOnEveryCommand(t *testing.T) {
	dir := isolate(t)
	cmds := [][]string{
		{"version"}, {"completion", "bash"}, {"config", "get", "region"}, {"config", "set", "region", "cn-hangzhou"},
		{"config", "unset", "region"}, {"config", "use", "prod"},
		{"eip", "history"}, {"eip", "list", "--sim"},
	}
	for _, c := range cmds {
		for _, bad := range []struct{ flag, value, want string }{
			{"-o", "xml", `-o "xml" is not a format: did you mean "yaml"?`},
			{"--endpoint", "ftp://127.0.0.1", `--endpoint "ftp://127.0.0.1" has scheme "ftp"`},
		} {
			argv := append(append([]string{}, c...), bad.flag, bad.value)
			code, stdout, stderr := run(t, argv...)
			oneLine(t, argv, code, stdout, stderr, bad.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "config")); !os.IsNotExist(err) {
		t.Errorf("a refused config set left %s behind (%v)", filepath.Join(dir, "config"), err)
	}
	for _, argv := range [][]string{{"version", "-o", "json"}, {"completion", "bash", "--endpoint", "https://vpc.example.com"}} {
		if code, _, stderr := run(t, argv...); code != ExitOK {
			t.Errorf("%q: exit %d (%s), want 0: a good global flag is no error where it has no use", argv, code, stderr)
		}
	}
}

// Asked for nothing else, a group shows its help and succeeds.
func TestBareGroupShowsHelp(t *testing.T) {
	isolate(t)
	for _, argv := range [][]string{{}, {"eip"}, {"config"}, {"sim"}, {"help", "eip"}, {"eip", "--help"}} {
		code, stdout, stderr := run(t, argv...)
		if code != ExitOK || !strings.Contains(stdout, "Usage:") || stderr != "" {
			t.Errorf("%q: exit %d, stderr %q, stdout has no usage; want help and exit 0", argv, code, stderr)
		}
	}
}

// cobra makes the first `quoted` word of a flag's usage its value
// placeholder: quoted text must be one word, or every --help shows
// "--ca-file sim serve --tls".
func TestFlagPlaceholdersAreOneWord(t *testing.T) {
	var walk func(c *cobra.Command)
	n := 0
	walk = func(c *cobra.Command) {
		c.Flags().VisitAll(func(fl *pflag.Flag) {
			n++
			name, _ := pflag.UnquoteUsage(fl)
			if strings.ContainsAny(name, " -") {
				t.Errorf("%s --%s shows the placeholder %q in --help", c.CommandPath(), fl.Name, name)
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(NewRoot(NewFactory(output.System(), "test")))
	if n < 50 {
		t.Fatalf("saw %d flags", n)
	}
}
