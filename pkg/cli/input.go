package cli

import (
	"strconv"
	"strings"

	"github.com/eipctl/eipctl/pkg/output"
	"github.com/eipctl/eipctl/pkg/plan"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/eipctl/eipctl/pkg/config"
	"github.com/eipctl/eipctl/pkg/eip"
)

// This file holds the checks on flag values that hold for every verb, run
// before any adapter is built, the lock is taken or anything is sent.

// eipValues turns the --eip values into EIP references, split on commas
// and on newlines (--eip "$(cat eips.txt)"); every piece is trimmed, so
// 'eip-1 ' is eip-1. --eip is a plain string array rather than pflag's comma
// slice: that one parses each value as one CSV record and silently drops
// every line after the first. Blank lines are skipped; an empty value
// between commas is kept for the engine to refuse. Nothing is cut off.
func eipValues(vals []string) []string {
	var out []string
	for _, v := range vals {
		for _, line := range strings.FieldsFunc(v, func(r rune) bool { return r == '\n' || r == '\r' }) {
			if strings.TrimSpace(line) == "" {
				continue
			}
			for _, id := range strings.Split(line, ",") {
				out = append(out, strings.TrimSpace(id))
			}
		}
		if strings.TrimSpace(v) == "" {
			out = append(out, "")
		}
	}
	return out
}

// checkFlagText refuses a control character in any flag given (a newline in
// --config, an escape in --state-dir): no path, word or number holds one,
// and echoed in a message it would break the one line or forge terminal
// output. --eip alone may hold newlines, as a list (eipValues).
func checkFlagText(cmd *cobra.Command) error {
	var err error
	cmd.Flags().Visit(func(fl *pflag.Flag) {
		if err != nil || fl.Name == "eip" {
			return
		}
		vals := []string{fl.Value.String()}
		if sv, ok := fl.Value.(pflag.SliceValue); ok {
			vals = sv.GetSlice()
		}
		for _, v := range vals {
			if e := eip.CheckText("--"+fl.Name, v); e != nil {
				err = e
				return
			}
		}
	})
	return err
}

// checkGlobalFlags refuses a bad -o or --endpoint given on the command line
// on every command, with the checks of the commands that use them:
// `config get region -o xml` is as wrong as `eip list -o xml`, though
// config get prints no document and reads no endpoint. A valid value stays
// ignored where it has no use, so an alias that always passes -o json
// breaks nothing.
func checkGlobalFlags(cmd *cobra.Command) error {
	if fl := cmd.Flags().Lookup("output"); fl != nil && fl.Changed {
		if _, err := output.ParseFormat(fl.Value.String(), false); err != nil {
			return notAFormat("-o", fl.Value.String())
		}
	}
	if fl := cmd.Flags().Lookup("endpoint"); fl != nil && fl.Changed {
		if _, err := eip.ParseEndpoint(fl.Value.String()); err != nil {
			return err
		}
	}
	return nil
}

// readPlan reads -f: a plan file, or standard input for "-".
func readPlan(f *Factory, path string, base plan.PlanItem) ([]eip.Binding, error) {
	if path != "-" {
		return plan.ReadPlan(path, base)
	}
	data, err := f.readStdin()
	if err != nil {
		return nil, err
	}
	return plan.ParsePlan("-", data, base)
}

// readStdin reads a plan from standard input (at most plan.MaxBytes). A
// read from a pipe or a terminal does not return on a signal, so it runs
// aside and the first SIGINT or SIGTERM ends the wait at once: nothing has
// been sent yet.
func (f *Factory) readStdin() ([]byte, error) {
	type read struct {
		data []byte
		err  error
	}
	done := make(chan read, 1)
	go func() {
		data, err := plan.ReadStdin(f.Streams.In)
		done <- read{data, err}
	}()
	select {
	case r := <-done:
		return r.data, r.err
	case <-f.interrupt.stopped():
		return nil, &exitError{code: f.interrupt.code(),
			msg: "interrupted by " + f.interrupt.name() + " while reading the plan from standard input (-f -); nothing was sent"}
	}
}

// addInputFlags registers the flags of this file on the eip command, for
// every verb under it.
func addInputFlags(cmd *cobra.Command) {
	cmd.PersistentFlags().Bool("allow-unknown-region", false,
		"accept a region missing from eipctl's list for the provider (one opened after this release); env EIPCTL_ALLOW_UNKNOWN_REGION or allow-unknown-region: true in the profile")
}

// allowUnknownRegion reads the setting from the flag, the environment or the
// profile.
func allowUnknownRegion(cfg *config.Config) (bool, error) {
	v := strings.TrimSpace(cfg.String("allow-unknown-region"))
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, eip.Usagef("allow-unknown-region %q is not true or false: fix EIPCTL_ALLOW_UNKNOWN_REGION or the profile setting", v)
	}
	return b, nil
}

// checkRunFlags refuses flag combinations that contradict each other.
func checkRunFlags(cmd *cobra.Command, r *runFlags) error {
	if r.noWait && cmd.Flags().Changed("wait") && r.wait {
		return eip.Usagef("--wait and --no-wait contradict each other: keep one (--no-wait returns after sending)")
	}
	return nil
}

// checkListFlags checks what `eip list` (and any verb naming a region
// without items) is given, against the provider's region list.
func checkRegionFlag(f *Factory, cmd *cobra.Command, p eip.Provider, region string) error {
	cfg, err := f.Config(cmd)
	if err != nil {
		return err
	}
	allow, err := allowUnknownRegion(cfg)
	if err != nil {
		return err
	}
	return p.Capabilities().Syntax.CheckRegion("--region", strings.TrimSpace(region), allow)
}

// checkRefs refuses, before any read, an EIP argument that no cloud in scope
// could hold (a control character, a stray quote, a pasted file): looking
// for it in every region would only send requests that cannot match.
func checkRefs(scopes []scope, refs []string) error {
	for _, r := range refs {
		var first error
		seen := map[string]bool{}
		for _, s := range scopes {
			if seen[s.provider] {
				continue
			}
			seen[s.provider] = true
			err := s.p.Capabilities().Syntax.CheckEIP("EIP argument", r)
			if err == nil {
				first = nil
				break
			}
			if first == nil {
				first = err
			}
		}
		if first != nil {
			return first
		}
	}
	return nil
}
