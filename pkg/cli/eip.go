package cli

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/eipctl/eipctl/pkg/engine"

	"github.com/spf13/cobra"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/output"
)

func newEIPCmd(f *Factory) *cobra.Command {
	list, describe := newEIPListCmd(f), newEIPDescribeCmd(f)
	addReadTimeout(list)
	addReadTimeout(describe)
	cmd := group("eip", "Associate, disassociate, describe, wait for and list elastic IPs", "",
		`  eipctl eip associate --sim --provider alibaba --region cn-hangzhou --eip eip-hz0001 --target i-hz0001
  eipctl eip describe --sim eip-hz0001
  eipctl eip wait --sim eip-hz0001 --for associated --target i-hz0001
  eipctl eip list --sim --status associated
  eipctl eip disassociate --sim --provider alibaba --region cn-hangzhou --eip eip-hz0001`,
		newEIPAssociateCmd(f), newEIPDisassociateCmd(f), list, describe, newEIPWaitCmd(f), newEIPHistoryCmd(f))
	pf := cmd.PersistentFlags()
	pf.String("provider", "", f.providerFlagHelp("cloud: "))
	pf.String("region", "", "region the EIPs live in, e.g. cn-hangzhou (env EIPCTL_REGION)")
	addInputFlags(cmd)
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
	lockFile    string
	lockWait    time.Duration
	concurrency int
	verbose     bool
	metricsFile string
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
	fl.StringVar(&r.lockFile, "lock", "", "run lock file (default eipctl.lock in the state directory); runs sharing it never overlap")
	fl.DurationVar(&r.lockWait, "lock-wait", 0, "wait up to this long for another run to release the lock, e.g. 30s, instead of exiting 6")
	fl.IntVar(&r.concurrency, "concurrency", 4, "calls in flight at once per provider and region")
	fl.BoolVar(&r.verbose, "verbose", false, "print each EIP's status changes on stderr")
	fl.String("timeout", "", "how long to wait in all, e.g. 90s or 10m (env EIPCTL_TIMEOUT; default 5m)")
	addRecordFlags(cmd, &r.metricsFile)
}

// check refuses flag values no run can use, before the lock and before any
// request. Verbs without these flags (eip wait) leave them zero: defaults.
func (r *runFlags) check(cmd *cobra.Command) error {
	if cmd.Flags().Lookup("concurrency") != nil && r.concurrency < 1 {
		return eip.Usagef("--concurrency %d: give 1 or more calls in flight per provider and region", r.concurrency)
	}
	if r.lockWait < 0 {
		return eip.Usagef("--lock-wait %s: give a positive duration such as 30s, or leave it out to fail at once", r.lockWait)
	}
	return nil
}

// engine builds the engine for a run from the flags and configuration.
func (f *Factory) engine(cmd *cobra.Command, r *runFlags) (*engine.Engine, error) {
	if err := r.check(cmd); err != nil {
		return nil, err
	}
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
	limits, err := f.limits(cfg)
	if err != nil {
		return nil, err
	}
	return &engine.Engine{
		Limits:             limits,
		AllowUnknownRegion: allow,
		Lookup:             func(name string) (eip.Provider, error) { return f.Provider(cmd, name) },
		Providers:          f.cloudNames(),
		Wait:               r.wait && !r.noWait,
		Timeout:            timeout,
		DryRun:             r.dryRun,
		Concurrency:        r.concurrency,
		Stop:               f.interrupt.stopped(),
	}, nil
}

// runSpec is one verb that changes bindings: what it does, what it calls its rows.
type runSpec struct {
	verb  string // "associate", "disassociate": the progress line's word
	total int    // rows asked for
	// check validates the items without sending anything, before the lock
	check func(*engine.Engine) error
	do    func(*engine.Engine) (*eip.Report, error)
	// summarize counts the report: the summary object and the line after a table.
	summarize func(*eip.Report) (summary any, line string)
	// unbind: rows' targetId is what held the EIP (disassociate)
	unbind bool
	// tune sets what only this verb's flags say (associate's --min-interval).
	tune func(*engine.Engine)
}

// execute is the shape of every verb that changes bindings: build the
// engine, take the run lock (unless --no-lock or --dry-run), run while
// showing progress, print the rows and the summary, and turn the outcome
// into the exit status.
func (f *Factory) execute(cmd *cobra.Command, r *runFlags, x runSpec) (err error) {
	format, err := f.Format(cmd)
	if err != nil {
		return err
	}
	eng, err := f.engine(cmd, r)
	if err != nil {
		return err
	}
	if x.tune != nil {
		x.tune(eng)
	}
	// Bad input exits 2 before the lock, even while another run holds it.
	if err := x.check(eng); err != nil {
		return err
	}
	if !r.noLock && !r.dryRun {
		unlock, err := f.lock(cmd.Context(), cmd, r)
		if err != nil {
			return err
		}
		defer unlock()
	}
	cfg, err := f.Config(cmd)
	if err != nil {
		return err
	}
	rec, err := f.openRecord(cmd, cfg, eng, r)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.closeRecord(rec, err); err == nil {
			err = cerr
		}
	}()
	w := f.watch(format, x.verb, r, x.total)
	eng.Observe = observers(w.beforeLog(f.logger()), f.logEvent, w.observe, rec.observe)
	f.interrupt.drain()
	f.startRun(cmd, eng.Timeout)
	rep, err := x.do(eng)
	var summary any
	line := ""
	if rep != nil {
		summary, line = x.summarize(rep)
	}
	if werr := w.finish(rep, summary); werr != nil && err == nil {
		err = werr
	}
	if err != nil {
		if f.interrupt.signal() != nil {
			return &exitError{code: f.interrupt.code(), msg: fmt.Sprintf("interrupted by %s: %v", f.interrupt.name(), err)}
		}
		return err
	}
	if err := f.printRows(format, rep, summary, line, x.unbind); err != nil {
		return err
	}
	if rep.Interrupted && f.timedOut(cmd) {
		return f.expired(rep, eng.Timeout)
	}
	if rep.Interrupted || f.interrupt.signal() != nil {
		return f.interrupted(rep)
	}
	return outcome(rep)
}

// expired is the exit status of a run whose context --timeout ended while
// rows were still unconfirmed: 4, as for rows that timed out.
func (f *Factory) expired(rep *eip.Report, timeout time.Duration) error {
	left := 0
	for _, row := range rep.Results {
		if row.Status == eip.StatusPending {
			left++
		}
	}
	return &exitError{code: ExitTimeout, msg: fmt.Sprintf("--timeout %s ran out: %s not confirmed (status pending); run the same command again to finish", timeout, countEIPs(left))}
}

// interrupted is the exit status of a run a signal stopped: 130 or 143,
// whatever the rows say, with a line telling what is left to do.
func (f *Factory) interrupted(rep *eip.Report) error {
	left := 0
	for _, row := range rep.Results {
		if row.Status == eip.StatusPending {
			left++
		}
	}
	msg := fmt.Sprintf("interrupted by %s: %s not confirmed (status pending); run the same command again to finish", f.interrupt.name(), countEIPs(left))
	if left == 0 {
		msg = fmt.Sprintf("interrupted by %s after every EIP was settled; the report is complete", f.interrupt.name())
	}
	return &exitError{code: f.interrupt.code(), msg: msg}
}

// printReport writes a finished report (eip wait) in the chosen format and
// returns its exit status.
func (f *Factory) printReport(format output.Format, rep *eip.Report, summary any, line string) error {
	if format == output.JSONL {
		if err := writeLines(f.lines(), rep, nil, summary); err != nil {
			return err
		}
	} else if err := f.printRows(format, rep, summary, line, false); err != nil {
		return err
	}
	return outcome(rep)
}

// printRows writes a run's rows as one document (table, JSON, YAML), and
// the requests a dry run would have sent on stderr.
func (f *Factory) printRows(format output.Format, rep *eip.Report, summary any, line string, unbind bool) error {
	for _, c := range rep.Requests {
		fmt.Fprintf(f.Streams.Err, "dry-run: would send %s %s %s %s\n", c.Provider, c.Region, c.Action, compactJSON(c.Params))
	}
	if format == output.JSONL { // already streamed by the watcher
		return nil
	}
	doc := map[string]any{"results": rep.Results, "summary": summary}
	err := f.print(doc, func() output.Rows { return resultRows(rep.Results, unbind) })
	if err != nil {
		return err
	}
	if format == output.Table && !f.global.quiet {
		fmt.Fprintln(f.Streams.Err, line)
	}
	return nil
}

// resultRows is the table of a run. PREVIOUS (what held an EIP when the run
// started) shows only when some EIP came from elsewhere; CURRENT (what holds
// it now) only when this run left some EIP neither on its target nor where
// it was (a move that could not be put back), or an unbind did not finish.
func resultRows(results []eip.Result, unbind bool) output.Rows {
	var showPrev, showCur bool
	for _, r := range results {
		prev, cur := deref(r.PreviousTargetID), deref(r.CurrentTargetID)
		if !unbind && r.PreviousTargetID != nil && prev != r.TargetID {
			showPrev = true
		}
		if (unbind && cur != "") || (!unbind && cur != r.TargetID && cur != prev) {
			showCur = true
		}
	}
	rows := output.Rows{Header: []string{"PROVIDER", "REGION", "EIP", "IP", "TARGET", "TYPE", "STATUS"}}
	if showPrev {
		rows.Header = append(rows.Header, "PREVIOUS")
	}
	if showCur {
		rows.Header = append(rows.Header, "CURRENT")
	}
	rows.Header = append(rows.Header, "ERROR")
	for _, r := range results {
		row := []string{r.Provider, r.Region, r.EIPID, r.IP, r.TargetID, string(r.TargetType), string(r.Status)}
		if showPrev {
			row = append(row, orDash(r.PreviousTargetID))
		}
		if showCur {
			row = append(row, orDash(r.CurrentTargetID))
		}
		msg := ""
		if r.Error != nil {
			msg = r.Error.Error()
		}
		rows.Rows = append(rows.Rows, append(row, msg))
	}
	return rows
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// orDash shows an unknown or empty target as "-" in a table.
func orDash(s *string) string {
	if s == nil || *s == "" {
		return "-"
	}
	return *s
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
