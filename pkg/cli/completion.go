package cli

import (
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/eipctl/eipctl/pkg/config"
	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/output"
	"github.com/eipctl/eipctl/providers/all"
)

// completionBudget bounds the cloud reads behind one completion (EIP and
// target IDs). A shell waits for the answer, so a slow or hanging endpoint
// gets an empty list in time instead of a frozen prompt; the whole process
// must be done well within a second.
const completionBudget = 700 * time.Millisecond

// outputFormats are the -o values completion offers: every one
// output.ParseFormat takes (a test holds the two together).
var outputFormats = []output.Format{output.Table, output.JSON, output.JSONL, output.YAML}

// addCompletion adds `eipctl completion SHELL` (cobra's scripts for bash,
// zsh, fish and PowerShell) with examples, and registers what each flag
// and argument completes to.
func addCompletion(root *cobra.Command, f *Factory) {
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() != "completion" {
			continue
		}
		c.Example = `  # bash (with or without the bash-completion package), for this shell and every new one
  source <(eipctl completion bash)
  eipctl completion bash > /etc/bash_completion.d/eipctl

  # zsh
  eipctl completion zsh > "${fpath[1]}/_eipctl"

  # fish
  eipctl completion fish > ~/.config/fish/completions/eipctl.fish

  # PowerShell
  eipctl completion powershell | Out-String | Invoke-Expression`
		for _, sh := range c.Commands() {
			sh.Example = "  eipctl completion " + sh.Name()
			if sh.Name() == "bash" {
				sh.Long = bashLong
				sh.RunE = func(cmd *cobra.Command, _ []string) error {
					noDesc, _ := cmd.Flags().GetBool("no-descriptions")
					return writeBashCompletion(cmd.Root(), f.Streams.Out, !noDesc)
				}
			}
		}
	}
	words := func(ws ...string) cobra.CompletionFunc {
		return cobra.FixedCompletions(ws, cobra.ShellCompDirectiveNoFileComp)
	}
	flags := map[string]cobra.CompletionFunc{
		"provider":        f.completeProviders,
		"region":          f.completeRegions,
		"instance-region": f.completeRegions,
		"profile":         f.completeProfiles,
		"output":          words(stringsOf(outputFormats)...),
		"target-type":     words(stringsOf(eip.TargetTypes)...),
		"mode":            words(stringsOf(eip.Modes)...),
		"status":          words(stringsOf(listStates)...),
		"for":             words(string(eip.StateAssociated), string(eip.StateAvailable)),
		"log-level":       words("debug", "info", "warn", "error"),
		"log-format":      words("text", "json"),
		"eip":             f.completeEIPs,
		"target":          f.completeTargets,
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		// Each flag once, on the command that defines it.
		register := func(fl *pflag.Flag) {
			if fn, ok := flags[fl.Name]; ok {
				_ = c.RegisterFlagCompletionFunc(fl.Name, fn)
			}
		}
		c.LocalNonPersistentFlags().VisitAll(register)
		c.PersistentFlags().VisitAll(register)
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

func stringsOf[T ~string](ws []T) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = string(w)
	}
	return out
}

func (f *Factory) completeProviders(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
	var out []string
	for _, c := range f.Clouds() {
		out = append(out, c.Spec.Name)
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeRegions offers the regions of --provider (or of every cloud),
// as `eip list` would look in them: the profile's region and regions list,
// else the emulator's with --sim, else the cloud's documented ones.
func (f *Factory) completeRegions(cmd *cobra.Command, _ []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	cfg, err := f.Config(cmd)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	set := map[string]bool{}
	if r := cfg.String("region"); r != "" {
		set[r] = true
	}
	provider := cfg.String("provider")
	for _, c := range f.Clouds() {
		if provider != "" && c.Spec.Name != provider {
			continue
		}
		rs := cfg.Regions(c.Spec.Name)
		switch {
		case len(rs) > 0:
		case f.global.sim:
			rs = c.Profile.RegionNames()
		default:
			if caps, ok := capabilitiesOf(c); ok && caps.Syntax != nil {
				rs = caps.Syntax.Regions
			}
		}
		for _, r := range rs {
			set[r] = true
		}
	}
	return slices.Sorted(maps.Keys(set)), cobra.ShellCompDirectiveNoFileComp
}

// completeKeys offers the profile keys for the first argument of config
// get, set and unset, and for config set's value what that key takes.
func (f *Factory) completeKeys(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	none := cobra.ShellCompDirectiveNoFileComp
	if len(args) == 0 {
		var out []string
		for _, k := range f.profileKeyNames() {
			if strings.HasPrefix(k, toComplete) {
				out = append(out, k)
			}
		}
		return out, none
	}
	if len(args) > 1 || cmd.Name() != "set" {
		return nil, none
	}
	k, err := f.parseProfileKey(args[0])
	switch {
	case err != nil, k.secret:
		return nil, none
	case k.name == "provider":
		return f.completeProviders(cmd, nil, toComplete)
	case k.name == "output":
		return stringsOf(outputFormats), none
	case k.kind == config.KindBool:
		return []string{"false", "true"}, none
	case k.name == "region", k.kind == config.KindList:
		return f.completeRegions(cmd, nil, toComplete)
	case k.name == "state-dir":
		return nil, cobra.ShellCompDirectiveDefault // file names: FilterDirs needs bash-completion's _filedir
	case k.name == "ca-file":
		return nil, cobra.ShellCompDirectiveDefault
	}
	return nil, none
}

func (f *Factory) completeProfiles(cmd *cobra.Command, _ []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	// --profile itself may name a profile that does not exist yet (the
	// user is typing it): read the file without it.
	saved := f.global.profile
	f.global.profile = ""
	defer func() { f.global.profile = saved }()
	cfg, err := f.Config(cmd)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return cfg.Profiles(), cobra.ShellCompDirectiveNoFileComp
}

// completeEIPs offers the EIP IDs (described by address and status) in the
// scopes the command line names, when credentials work and the cloud answers
// within the budget.
func (f *Factory) completeEIPs(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	taken := map[string]bool{}
	for _, a := range args {
		taken[a] = true
	}
	return f.fromClouds(cmd, func(s scope, a eip.Address, add func(cobra.Completion)) {
		if !taken[a.ID] && strings.HasPrefix(a.ID, toComplete) {
			add(cobra.CompletionWithDesc(a.ID, strings.TrimSpace(a.IP+" "+string(a.State)+" "+a.TargetID)))
		}
	})
}

// completeTargets offers the targets that hold EIPs in the scopes named:
// the adapters read EIPs, not instances, so a target holding none is not
// offered.
func (f *Factory) completeTargets(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	return f.fromClouds(cmd, func(s scope, a eip.Address, add func(cobra.Completion)) {
		for _, t := range []string{a.TargetID, a.ENI} {
			if t != "" && strings.HasPrefix(t, toComplete) {
				add(cobra.CompletionWithDesc(t, string(a.TargetType)+" "+s.String()))
			}
		}
	})
}

// fromClouds lists the EIPs of every scope and lets pick turn them into
// completions, all within completionBudget. Whatever is not back by then is
// left out; the reads still running are abandoned (the process ends as soon
// as the completions are printed).
func (f *Factory) fromClouds(cmd *cobra.Command, pick func(scope, eip.Address, func(cobra.Completion))) ([]cobra.Completion, cobra.ShellCompDirective) {
	ctx, cancel := context.WithTimeout(context.Background(), completionBudget)
	defer cancel()
	done := make(chan []cobra.Completion, 1)
	go func() {
		scopes, err := f.scopes(cmd)
		if err != nil {
			done <- nil
			return
		}
		lists := make([][]eip.Address, len(scopes))
		// Each read in its own goroutine: some SDKs take no context, and one
		// stalled region must not hold back the others' answers.
		finished := make(chan int, len(scopes))
		for i, s := range scopes {
			go func() {
				as, err := s.p.List(ctx, s.region)
				if err == nil {
					lists[i] = as
				}
				finished <- i
			}()
		}
		got := map[int]bool{}
	wait:
		for range scopes {
			select {
			case i := <-finished:
				got[i] = true
			case <-ctx.Done():
				break wait
			}
		}
		seen := map[string]bool{}
		var out []cobra.Completion
		for i, s := range scopes {
			if !got[i] {
				continue
			}
			for _, a := range lists[i] {
				pick(s, a, func(c cobra.Completion) {
					if id, _, _ := strings.Cut(c, "\t"); !seen[id] {
						seen[id] = true
						out = append(out, c)
					}
				})
			}
		}
		done <- out
	}()
	select {
	case out := <-done:
		return out, cobra.ShellCompDirectiveNoFileComp
	case <-ctx.Done():
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
}

// capabilitiesOf reads a cloud's capabilities without credentials: the
// adapter is built with placeholder keys and never called.
func capabilitiesOf(c all.Cloud) (eip.Capabilities, bool) {
	p, err := c.Spec.New(eip.ProviderConfig{Credentials: eip.Credentials{ID: "completion", Secret: "completion"}})
	if err != nil {
		return eip.Capabilities{}, false
	}
	return p.Capabilities(), true
}
