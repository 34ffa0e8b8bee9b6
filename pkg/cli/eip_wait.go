package cli

import (
	"fmt"
	"net"

	"github.com/spf13/cobra"

	"github.com/eipctl/eipctl/pkg/eip"
)

// waitSummary counts a wait's rows. Its JSON names are a public contract.
type waitSummary struct {
	Total     int `json:"total" yaml:"total"`
	Reached   int `json:"reached" yaml:"reached"`     // got there while waiting
	Unchanged int `json:"unchanged" yaml:"unchanged"` // already there at the first read
	Pending   int `json:"pending" yaml:"pending"`     // the wait was interrupted
	Failed    int `json:"failed" yaml:"failed"`
	TimedOut  int `json:"timedOut" yaml:"timedOut"`
}

func summarizeWait(rep *eip.Report) waitSummary {
	s := waitSummary{Total: len(rep.Results)}
	for _, r := range rep.Results {
		switch r.Status {
		case eip.StatusAssociated, eip.StatusDisassociated:
			s.Reached++
		case eip.StatusUnchanged:
			s.Unchanged++
		case eip.StatusFailed:
			s.Failed++
		case eip.StatusTimeout:
			s.TimedOut++
		default:
			s.Pending++
		}
	}
	return s
}

// waitOptions are the flag values of `eip wait`.
type waitOptions struct {
	forState, target string
}

func newEIPWaitCmd(f *Factory) *cobra.Command {
	o := &waitOptions{}
	cmd := &cobra.Command{
		Use:   "wait ID|IP... --for associated|available [--target T] [--timeout D] [flags]",
		Short: "Wait until EIPs are associated (to a target) or available, and nothing else",
		Long: `Wait until every EIP named (by ID or public IP address) reads as wanted, sending nothing
that changes anything:

  --for associated              bound to anything (with --target, bound to that target)
  --for available               free: bound to nothing

It polls with the same batched status reads as "eip associate" (one read covers many
EIPs), and stops at --timeout (default 5m). Each row is "unchanged" when the EIP was
already as wanted, "associated" or "disassociated" when it got there while waiting,
"timeout" when --timeout passed first, and "failed" when it cannot be read (not found).

Without --provider or --region, each EIP is first looked for in every configured provider
and region, as "eip describe" does.

` + exitCodesHelp,
		Example: `  # After an associate sent with --no-wait
  eipctl eip associate --provider alibaba --region cn-hangzhou --eip eip-aaa --target i-123 --no-wait
  eipctl eip wait --provider alibaba --region cn-hangzhou eip-aaa --for associated --target i-123

  # In a failover script: has the old node let go of the address?
  eipctl eip wait 47.96.0.25 --for available --timeout 90s || exit $?

  # On the embedded emulator
  eipctl eip wait --sim --provider alibaba --region cn-hangzhou eip-hz0024 --for associated`,
		Args:              cobra.MinimumNArgs(1),
		ValidArgsFunction: f.completeEIPs,
		RunE: func(cmd *cobra.Command, args []string) error {
			want, err := o.state()
			if err != nil {
				return err
			}
			return f.runWait(cmd, args, want, o.target)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.forState, "for", "", "the state to wait for: associated or available (required)")
	fl.StringVar(&o.target, "target", "", "with --for associated: the target the EIPs must be bound to")
	fl.String("timeout", "", "how long to wait in all, e.g. 90s or 10m (env EIPCTL_TIMEOUT; default 5m)")
	return cmd
}

func (o *waitOptions) state() (eip.State, error) {
	switch eip.State(o.forState) {
	case eip.StateAssociated:
		return eip.StateAssociated, nil
	case eip.StateAvailable:
		if o.target != "" {
			return "", eip.Usagef("--target applies to --for associated: an available EIP has no target; drop --target")
		}
		return eip.StateAvailable, nil
	case "":
		return "", eip.Usagef("--for is required: pass --for associated or --for available")
	}
	return "", eip.Usagef("--for %q is not a state to wait for: %suse associated or available", o.forState,
		eip.DidYouMean(o.forState, []string{string(eip.StateAssociated), string(eip.StateAvailable)}))
}

// runWait waits through the engine's Await. With a provider and region the
// engine resolves addresses itself; otherwise each EIP is found first, and
// the ones found nowhere become failed rows beside the others.
func (f *Factory) runWait(cmd *cobra.Command, refs []string, want eip.State, target string) error {
	format, cfg, err := f.FormatConfig(cmd)
	if err != nil {
		return err
	}
	eng, err := f.engine(cmd, &runFlags{wait: true})
	if err != nil {
		return err
	}
	f.startRun(cmd, eng.Timeout) // finding the EIPs counts too
	provider, region := cfg.String("provider"), cfg.String("region")
	var expect []eip.Expectation
	missing := map[string]*eip.Error{}
	if provider != "" && region != "" {
		for _, r := range refs {
			expect = append(expect, eip.Expectation{Provider: provider, Region: region, EIP: r, For: want, Target: target})
		}
	} else {
		scopes, err := f.scopes(cmd)
		if err != nil {
			return err
		}
		hits, notFound, errs, err := resolveEIPs(cmd.Context(), scopes, refs)
		if err != nil {
			return err
		}
		for _, h := range hits {
			expect = append(expect, eip.Expectation{Provider: h.provider, Region: h.region, EIP: h.addr.ID, For: want, Target: target})
		}
		for _, m := range notFound {
			missing[m] = notFoundError(m, scopes, errs)
		}
	}
	rep := &eip.Report{}
	if len(expect) > 0 {
		if rep, err = eng.Await(cmd.Context(), expect); err != nil {
			return err
		}
	}
	rep.Results = withMissing(refs, rep.Results, missing)
	s := summarizeWait(rep)
	return f.printReport(format, rep, s, fmt.Sprintf("%s: %d reached, %d already so, %d pending, %d failed, %d timed out",
		countEIPs(s.Total), s.Reached, s.Unchanged, s.Pending, s.Failed, s.TimedOut))
}

// notFoundError is the row error of an EIP found nowhere; when some regions
// could not be read it says so, since the EIP may be there.
func notFoundError(ref string, scopes []scope, errs []scopeError) *eip.Error {
	msg := notFound(ref, scopes)
	for _, e := range errs {
		if e.err.Expired { // it may be in a region that could not answer in time
			x := *e.err
			x.Message = fmt.Sprintf("%s not found in time: %s did not answer (%s)", ref, e.scope, e.err.Message)
			return &x
		}
	}
	if len(errs) > 0 {
		msg += fmt.Sprintf(" (%d region(s) could not be read: %v)", len(errs), errs[0])
	}
	return eip.Errorf(eip.ClassNotFound, "EipNotFound", "%s", msg)
}

// withMissing puts a failed row for each missing reference back where it
// was named among the rows the engine returned (which keep the order given).
func withMissing(refs []string, rows []eip.Result, missing map[string]*eip.Error) []eip.Result {
	if len(missing) == 0 {
		return rows
	}
	out := make([]eip.Result, 0, len(refs))
	next := 0
	for _, r := range refs {
		if err, ok := missing[r]; ok {
			row := eip.Result{EIPID: r, Status: eip.StatusFailed, Error: err}
			if err.Expired {
				row.Status = eip.StatusTimeout
			}
			if net.ParseIP(r) != nil {
				row.IP = r
			}
			out = append(out, row)
			continue
		}
		if next < len(rows) {
			out = append(out, rows[next])
			next++
		}
	}
	return out
}
