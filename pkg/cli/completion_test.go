package cli

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/eipctl/eipctl/pkg/eip/eiptest"
	"github.com/eipctl/eipctl/pkg/output"
)

// asCLI makes this test binary act as eipctl, so the bash completion script
// can call it back the way an installed one is called.
const asCLI eiptest.Role = "EIPCTL_CLI_TEST_AS_CLI"

func TestMain(m *testing.M) {
	asCLI.Main(m, func(string) int { return Main(os.Args[1:], output.System(), BuildInfo{Version: "test"}) })
}

// complete runs cobra's completion request and returns the candidates (the
// part before any tab) and the directive line.
func complete(t *testing.T, args ...string) (words []string, directive string) {
	t.Helper()
	code, stdout, stderr := run(t, append([]string{"__complete"}, args...)...)
	if code != 0 {
		t.Fatalf("__complete %v: exit %d\n%s", args, code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	directive = lines[len(lines)-1]
	for _, l := range lines[:len(lines)-1] {
		w, _, _ := strings.Cut(l, "\t")
		words = append(words, w)
	}
	return words, directive
}

func TestCompletionOfWords(t *testing.T) {
	isolate(t)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"eip", "list", "--provider", ""}, "alibaba tencent zenlayer"},
		{[]string{"eip", "associate", "--target-type", ""}, "instance eni nat lb havip"},
		{[]string{"eip", "associate", "--mode", ""}, "nat multi-binded passthrough fullnat"},
		{[]string{"eip", "list", "-o", ""}, "table json jsonl yaml"},
		{[]string{"config", "doctor", "--output", ""}, "table json jsonl yaml"},
		{[]string{"config", "get", "reg"}, "region regions.alibaba regions.tencent regions.zenlayer"},
		{[]string{"config", "unset", "credentials.zenlayer.i"}, "credentials.zenlayer.id credentials.zenlayer.instance-role"},
		{[]string{"config", "set", "limits.tencent.AssociateA"}, "limits.tencent.AssociateAddress"},
		{[]string{"config", "set", "allow-unknown-region", ""}, "false true"},
		{[]string{"config", "set", "output", ""}, "table json jsonl yaml"},
		{[]string{"config", "set", "provider", ""}, "alibaba tencent zenlayer"},
		{[]string{"eip", "list", "--status", ""}, "available associating associated disassociating other"},
		{[]string{"version", "--log-level", ""}, "debug info warn error"},
		{[]string{"version", "--log-format", ""}, "text json"},
		{[]string{"eip", "list", "--sim", "--provider", "tencent", "--region", ""}, "ap-beijing ap-guangzhou ap-shanghai"},
		{[]string{"eip", "associate", "--sim", "--provider", "alibaba", "--instance-region", ""}, "cn-hangzhou cn-shanghai"},
	}
	for _, c := range cases {
		words, directive := complete(t, c.args...)
		if got := strings.Join(words, " "); got != c.want {
			t.Errorf("%v: %q, want %q", c.args, got, c.want)
		}
		if directive != ":4" {
			t.Errorf("%v: directive %s, want :4 (no file names)", c.args, directive)
		}
	}
}

func TestCompletionOfProfiles(t *testing.T) {
	dir := isolate(t)
	writeConfig(t, dir, "profiles:\n  prod-hz: {provider: alibaba, region: cn-hangzhou}\n  lab:\n    regions: {tencent: [ap-guangzhou, ap-beijing]}\n")
	// A --profile still being typed, naming no profile yet, must not stop it.
	words, _ := complete(t, "eip", "list", "--profile", "pro")
	if got := strings.Join(words, " "); got != "lab prod-hz" {
		t.Errorf("profiles: %q, want \"lab prod-hz\"", got)
	}
	// --region: the profile's region, and the cloud's documented ones.
	words, _ = complete(t, "eip", "list", "--profile", "prod-hz", "--region", "")
	got := " " + strings.Join(words, " ") + " "
	if !strings.Contains(got, " cn-hangzhou ") || !strings.Contains(got, " cn-beijing ") || strings.Contains(got, " ap-guangzhou ") {
		t.Errorf("regions of profile prod-hz (alibaba): %q", got)
	}
	// A profile's regions list is all that is offered for that cloud.
	words, _ = complete(t, "eip", "list", "--profile", "lab", "--provider", "tencent", "--region", "")
	if got := strings.Join(words, " "); got != "ap-beijing ap-guangzhou" {
		t.Errorf("regions of profile lab (tencent): %q", got)
	}
}

func TestCompletionOfEIPsAndTargets(t *testing.T) {
	isolate(t)
	words, _ := complete(t, "eip", "describe", "--sim", "--provider", "alibaba", "--region", "cn-hangzhou", "eip-hz002")
	if got := strings.Join(words, " "); got != "eip-hz0020 eip-hz0021 eip-hz0022 eip-hz0023 eip-hz0024" {
		t.Errorf("EIP IDs after eip-hz002: %q", got)
	}
	// The ones already on the line are not offered again.
	words, _ = complete(t, "eip", "describe", "--sim", "--provider", "alibaba", "--region", "cn-hangzhou", "eip-hz0020", "eip-hz002")
	if strings.Contains(strings.Join(words, " "), "eip-hz0020") {
		t.Errorf("eip-hz0020 offered twice: %q", words)
	}
	words, _ = complete(t, "eip", "associate", "--sim", "--provider", "alibaba", "--region", "cn-hangzhou", "--eip", "")
	if len(words) != 24 {
		t.Errorf("--eip offers %d IDs, want the region's 24", len(words))
	}
	words, _ = complete(t, "eip", "associate", "--sim", "--provider", "zenlayer", "--region", "asia-east-1", "--target", "nat-")
	if len(words) == 0 {
		t.Fatal("no NAT gateway offered for --target; the emulator seeds EIPs on them")
	}
	for _, w := range words {
		if !strings.HasPrefix(w, "nat-ae") {
			t.Errorf("--target nat- offered %q", w)
		}
	}
	// No credentials: nothing to offer, and no error either.
	code, stdout, stderr := run(t, "__complete", "eip", "describe", "--provider", "alibaba", "--region", "cn-hangzhou", "")
	if code != 0 || strings.TrimSpace(stdout) != ":4" || strings.Contains(stderr, "eipctl:") {
		t.Errorf("without credentials: exit %d, stdout %q, stderr %q; want only the directive", code, stdout, stderr)
	}
}

// stalledServer is an endpoint that never answers: it listens and never
// accepts, so the kernel completes each connection and queues the request,
// which nothing reads. Closing the listener at cleanup resets them all.
func stalledServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return "http://" + ln.Addr().String()
}

// A cloud that never answers gets no say: the completion comes back within
// the shell's second, empty, for every cloud (their SDKs differ in whether
// they honour a context).
func TestCompletionDoesNotWaitForAHangingEndpoint(t *testing.T) {
	isolate(t)
	endpoint := stalledServer(t)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5tStalledTestKey")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "stalled-secret")
	t.Setenv("TENCENTCLOUD_SECRET_ID", "AKIDstalledTestKey")
	t.Setenv("TENCENTCLOUD_SECRET_KEY", "stalled-secret")
	t.Setenv("ZENLAYERCLOUD_ACCESS_KEY_ID", "ZLSTALLEDTESTKEY")
	t.Setenv("ZENLAYERCLOUD_ACCESS_KEY_PASSWORD", "stalled-secret")
	for _, c := range []struct{ provider, region string }{{"alibaba", "cn-hangzhou"}, {"tencent", "ap-guangzhou"}, {"zenlayer", "asia-east-1"}} {
		start := time.Now()
		streams, out, _ := output.Test()
		f := NewFactory(streams, "test")
		code := Run(context.Background(), f, []string{"__complete", "eip", "describe", "--endpoint", endpoint,
			"--provider", c.provider, "--region", c.region, ""})
		took := time.Since(start)
		f.Close()
		if code != 0 || strings.TrimSpace(out.String()) != ":4" {
			t.Errorf("%s: exit %d, stdout %q; want no candidates", c.provider, code, out.String())
		}
		if took > time.Second {
			t.Errorf("%s: completion took %s against a hanging endpoint; the shell must get an answer within 1s", c.provider, took)
		}
	}
}

// The script each shell loads is cobra's, for this program, and calls back
// `eipctl __complete`. bash's is run for real: sourced, asked to complete a
// line, answered by this binary.
func TestCompletionScripts(t *testing.T) {
	isolate(t)
	marks := map[string][]string{
		"bash":       {"__start_eipctl", "complete -o default -F __start_eipctl eipctl", "__complete"},
		"zsh":        {"#compdef eipctl", "compdef _eipctl eipctl", "__complete"},
		"fish":       {"complete -c eipctl", "__complete"},
		"powershell": {"Register-ArgumentCompleter -CommandName 'eipctl'", "__complete"},
	}
	for shell, want := range marks {
		code, stdout, stderr := run(t, "completion", shell)
		if code != 0 {
			t.Fatalf("completion %s: exit %d\n%s", shell, code, stderr)
		}
		for _, w := range want {
			if !strings.Contains(stdout, w) {
				t.Errorf("the %s script lacks %q", shell, w)
			}
		}
		// Where the shell is installed, it must also parse its script.
		check := map[string][]string{"bash": {"bash", "-n"}, "zsh": {"zsh", "-n"}, "fish": {"fish", "--no-execute"}}[shell]
		if check == nil {
			continue
		}
		if _, err := exec.LookPath(check[0]); err != nil {
			if shell == "bash" {
				t.Fatalf("bash is needed: %v", err)
			}
			continue
		}
		path := filepath.Join(t.TempDir(), "eipctl."+shell)
		if err := os.WriteFile(path, []byte(stdout), 0o600); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(check[0], append(check[1:], path)...).CombinedOutput(); err != nil {
			t.Errorf("%s does not parse its script: %v\n%s", shell, err, out)
		}
	}

}

// -o completes to exactly the formats -o takes.
func TestCompletionOffersEveryOutputFormat(t *testing.T) {
	for _, f := range outputFormats {
		if _, err := output.ParseFormat(string(f), false); err != nil {
			t.Errorf("completion offers -o %s, which -o refuses: %v", f, err)
		}
	}
	_, err := output.ParseFormat("nosuch", false)
	for _, f := range outputFormats {
		if err == nil || !strings.Contains(err.Error(), string(f)) {
			t.Errorf("-o's own list (%v) and completion's disagree about %s", err, f)
		}
	}
	if len(outputFormats) != strings.Count(err.Error(), ",")+2 { // "a, b, c or d"
		t.Errorf("-o lists %q; completion offers %v", err, outputFormats)
	}
}

// The bash script works in a bash without the bash-completion package
// (--norc --noprofile loads none): sourced, asked to complete lines, and
// answered by this test binary acting as eipctl.
func TestBashCompletionWithoutThePackage(t *testing.T) {
	dir := isolate(t)
	writeConfig(t, dir, "profiles:\n  prod: {region: cn-hangzhou}\n  lab: {}\n")
	_, script, _ := run(t, "completion", "bash")
	bin := t.TempDir()
	if err := os.Symlink(eiptest.Self(t), filepath.Join(bin, "eipctl")); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(bin, "eipctl.bash")
	if err := os.WriteFile(path, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ line, want string }{
		{"eipctl eip associate --mode m", "multi-binded"},
		{"eipctl eip list -o j", "json jsonl"},
		{"eipctl eip list --output=js", "json jsonl"}, // bash splits at =; the script joins it back
		{"eipctl ei", "eip"},
		{"eipctl eip list --provider ", "alibaba tencent zenlayer"},
		{"eipctl config use ", "lab prod"},
		{"eipctl config get --profile p", "prod"},
		{"eipctl config set reg", "region regions.alibaba regions.tencent regions.zenlayer"},
		{"eipctl config set allow-unknown-region ", "false true"},
	}
	// COMP_WORDS as bash makes them: split at blanks and at = (COMP_WORDBREAKS).
	body := "source " + path + "\n" + `declare -F _get_comp_words_by_ref >/dev/null && echo "bash-completion is loaded"
ask() {
  COMP_LINE=$1; COMP_POINT=${#COMP_LINE}
  read -ra COMP_WORDS <<< "${1//=/ = }"
  [[ $1 == *" " ]] && COMP_WORDS+=("")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  __start_eipctl eipctl
  echo "${COMPREPLY[*]}"
}
`
	for _, c := range cases {
		body += "ask '" + c.line + "'\n"
	}
	cmd := exec.Command("bash", "--norc", "--noprofile", "-c", body)
	cmd.Env = asCLI.Environ("1", "PATH="+bin+":"+os.Getenv("PATH"))
	// Outside a real prompt bash says compopt is not completing: stderr only.
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("bash: %v\n%s", err, out)
	}
	got := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(got) != len(cases) {
		t.Fatalf("bash printed %q, want one line per case", out)
	}
	for i, c := range cases {
		if got[i] != c.want {
			t.Errorf("bash completing %q: %q, want %q", c.line, got[i], c.want)
		}
	}
}

// Every command a user can run shows examples in --help (and so in the
// reference pages and man pages made from it).
func TestEveryCommandHasExamples(t *testing.T) {
	var walk func(c *cobra.Command)
	n := 0
	walk = func(c *cobra.Command) {
		if !c.Hidden && c.Name() != "help" {
			n++
			if strings.TrimSpace(c.Example) == "" {
				t.Errorf("`%s --help` has no examples", c.CommandPath())
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(NewRoot(NewFactory(output.System(), "test")))
	if n < 10 {
		t.Fatalf("walked %d commands", n)
	}
}
