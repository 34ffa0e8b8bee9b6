package cli

import (
	"encoding/json"
	"fmt"
	"sync"

	"github.com/spf13/cobra"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/output"
)

func newEIPCmd(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "eip",
		Short: "Associate, disassociate, describe, wait for and list elastic IPs",
		Example: `  eipctl eip associate --sim --provider alibaba --region cn-hangzhou --eip eip-hz0001 --target i-hz0001
  eipctl eip describe --sim eip-hz0001
  eipctl eip wait --sim eip-hz0001 --for associated --target i-hz0001
  eipctl eip list --sim --status associated
  eipctl eip disassociate --sim --provider alibaba --region cn-hangzhou --eip eip-hz0001`,
	}
	pf := cmd.PersistentFlags()
	pf.String("provider", "", "cloud: alibaba, tencent or zenlayer (env EIPCTL_PROVIDER)")
	pf.String("region", "", "region the EIPs live in, e.g. cn-hangzhou (env EIPCTL_REGION)")
	addInputFlags(cmd)
	cmd.AddCommand(newEIPAssociateCmd(f), newEIPDisassociateCmd(f), newEIPListCmd(f), newEIPDescribeCmd(f), newEIPWaitCmd(f))
	return cmd
}

// runFlags are the flags shared by the verbs that change bindings.
type runFlags struct {
	eips        []string
	file        string
	clientToken string
	wait        bool
	noWait      bool
	dryRun      bool
	noLock      bool
}

func (r *runFlags) add(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringArrayVar(&r.eips, "eip", nil, "EIP ID or address; repeat it, or give a list split by commas or newlines")
	fl.StringVarP(&r.file, "file", "f", "", "plan file (.yaml, .json or .csv; - reads standard input) with many bindings, across providers and regions (docs/plans.md)")
	fl.StringVar(&r.clientToken, "client-token", "", "idempotency token for the cloud (generated per request when absent, where the cloud supports it)")
	fl.BoolVar(&r.wait, "wait", true, "wait until the cloud confirms every EIP")
	fl.BoolVar(&r.noWait, "no-wait", false, "return after submitting; rows report status pending (same as --wait=false)")
	fl.BoolVar(&r.dryRun, "dry-run", false, "validate, read current state and print the native requests on stderr; send nothing that changes anything")
	fl.BoolVar(&r.noLock, "no-lock", false, "do not take the run lock (only when concurrent runs touch different EIPs)")
	fl.String("timeout", "", "how long to wait in all, e.g. 90s or 10m (env EIPCTL_TIMEOUT; default 5m)")
}

// engine builds the engine for a run from the flags and configuration.
func (f *Factory) engine(cmd *cobra.Command, r *runFlags) (*eip.Engine, error) {
	cfg, err := f.Config(cmd)
	if err != nil {
		return nil, err
	}
	timeout, err := cfg.Duration("timeout", 5*eipMinute)
	if err != nil {
		return nil, &usageError{err}
	}
	allow, err := allowUnknownRegion(cfg)
	if err != nil {
		return nil, err
	}
	if err := checkRunFlags(cmd, r); err != nil {
		return nil, err
	}
	return &eip.Engine{
		AllowUnknownRegion: allow,
		Lookup:             func(name string) (eip.Provider, error) { return f.Provider(cmd, name) },
		Wait:               r.wait && !r.noWait,
		Timeout:            timeout,
		DryRun:             r.dryRun,
		Observe:            observers(f.progress(), f.logEvent),
	}, nil
}

// progress prints each status the engine reads on stderr, when a person is
// watching (a terminal) or --debug asks for it.
func (f *Factory) progress() func(eip.Event) {
	if f.global.quiet || !(f.Streams.ErrTTY || f.global.debug) {
		return nil
	}
	var mu sync.Mutex
	return func(ev eip.Event) {
		if ev.NativeStatus == "" {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(f.Streams.Err, "%s %s %s: %s\n", ev.Provider, ev.Region, ev.EIPID, ev.NativeStatus)
	}
}

// execute is the shape of every verb that changes bindings: build the
// engine, take the run lock (unless --no-lock or --dry-run), run, print the
// rows and the summary, and turn the outcome into the exit status.
func (f *Factory) execute(cmd *cobra.Command, r *runFlags, check func(*eip.Engine) error, run func(*eip.Engine) (*eip.Report, error),
	summarize func(*eip.Report) (summary any, line string)) error {
	format, err := f.Format(cmd)
	if err != nil {
		return err
	}
	eng, err := f.engine(cmd, r)
	if err != nil {
		return err
	}
	// Bad input exits 2 before the lock, even while another run holds it.
	if err := check(eng); err != nil {
		return err
	}
	if !r.noLock && !r.dryRun {
		unlock, err := f.lock(cmd)
		if err != nil {
			return err
		}
		defer unlock()
	}
	rep, err := run(eng)
	if err != nil {
		return err
	}
	summary, line := summarize(rep)
	return f.printReport(format, rep, summary, line)
}

// printReport writes a run's rows in the chosen format, the requests a dry
// run would have sent on stderr, and returns the run's exit status.
func (f *Factory) printReport(format output.Format, rep *eip.Report, summary any, line string) error {
	for _, c := range rep.Requests {
		fmt.Fprintf(f.Streams.Err, "dry-run: would send %s %s %s %s\n", c.Provider, c.Region, c.Action, compactJSON(c.Params))
	}
	doc := map[string]any{"results": rep.Results, "summary": summary}
	err := output.Print(f.Streams.Out, format, doc, func() output.Rows {
		rows := output.Rows{Header: []string{"PROVIDER", "REGION", "EIP", "IP", "TARGET", "TYPE", "STATUS", "ERROR"}}
		for _, r := range rep.Results {
			msg := ""
			if r.Error != nil {
				msg = r.Error.Error()
			}
			rows.Rows = append(rows.Rows, []string{r.Provider, r.Region, r.EIPID, r.IP, r.TargetID, string(r.TargetType), string(r.Status), msg})
		}
		return rows
	})
	if err != nil {
		return err
	}
	if format == output.Table && !f.global.quiet {
		fmt.Fprintln(f.Streams.Err, line)
	}
	return outcome(rep)
}

// compactJSON renders v on one line for stderr notes.
func compactJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func countEIPs(n int) string {
	if n == 1 {
		return "1 EIP"
	}
	return fmt.Sprintf("%d EIPs", n)
}
