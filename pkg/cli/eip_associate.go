package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/eipctl/eipctl/pkg/engine"
	"github.com/eipctl/eipctl/pkg/plan"

	"github.com/spf13/cobra"

	"github.com/eipctl/eipctl/pkg/eip"
)

const eipMinute = time.Minute

// associateOptions are the flag values of `eip associate`.
type associateOptions struct {
	runFlags
	target, targetType, privateIP, mode, instanceRegion string
	force                                               bool
	from                                                []string
	minInterval                                         time.Duration
	undo                                                string
	pool                                                []string
	poolFile                                            string
	count                                               int
}

// associateExamples are the examples of `eip associate --help`.
const associateExamples = `  # Try it on the embedded emulator: no credentials, no config
  eipctl eip associate --sim --provider alibaba --region cn-hangzhou --eip eip-hz0001 --target i-hz0001

  # Several EIPs to one NAT gateway (sent in batches of up to 50)
  eipctl eip associate --provider alibaba --region cn-hangzhou --eip eip-aaa,eip-bbb --target ngw-123

  # Take any one free EIP of a whitelisted pool (safe when many machines boot at once)
  eipctl eip associate --provider alibaba --region cn-hangzhou --pool 47.96.0.0/28,eip-aaa --target i-123

  # Many bindings across clouds and regions, JSON for scripts
  eipctl eip associate -f plan.yaml -o json

  # Failover: take the EIPs from whatever holds them (the old MASTER) onto this node
  eipctl eip associate --provider alibaba --region cn-hangzhou --eip eip-aaa,eip-bbb --target i-standby --force

  # From cron: wait for an earlier run instead of exiting 6, one JSON line per EIP as it settles
  eipctl eip associate -f plan.yaml --lock-wait 30s -o jsonl`

func newEIPAssociateCmd(f *Factory) *cobra.Command {
	o := &associateOptions{}
	cmd := &cobra.Command{
		Use:   "associate (--eip ID... --target ID | --pool SPEC --target ID [--count N] | -f PLAN) [flags]",
		Short: "Bind EIPs to a target and wait until the cloud confirms",
		Long: `Bind one or more EIPs to an instance, ENI, NAT gateway, load balancer or HaVip, and wait
until the cloud reports each one bound to it.

An EIP already bound to the requested target is reported "unchanged" and nothing is sent,
so the command is safe to run again (cron). An EIP bound to a different target fails with
a conflict and nothing is sent for it, unless --force (or force: true in a plan) moves it:
unbound from what holds it, seen available, bound here and verified, reported "moved". If
that bind fails, the EIP is bound back where it was and the row says so; an EIP is never
silently left unbound.

On a terminal, one progress line on stderr is redrawn as EIPs settle; --verbose adds a
line per status change. Ctrl-C (SIGINT) or SIGTERM sends nothing new and keeps confirming
what was sent for up to 10s; a second one stops at once. The report follows, with
unconfirmed rows "pending".

--pool claims any free EIPs of a pool instead of named ones: SPEC is a comma list (repeatable)
of EIP IDs, public addresses and CIDR blocks (47.96.0.0/28); --pool-file reads one per line.
It binds --count EIPs (default 1) that are available, tried in a random order, and moves on to
the next when another machine takes one first; it never unbinds anything. A target that already
holds --count EIPs of the pool is "unchanged". Each EIP it could not claim is a "failed" row
with code PoolExhausted (see docs/pool.md).

--target-type is inferred from the target ID's prefix when left out:
` + f.prefixTable() + `
` + exitCodesHelp,
		Example: associateExamples,
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, _ []string) error { return o.run(f, cmd) },
	}
	o.runFlags.add(cmd)
	o.addFlags(cmd)
	return cmd
}

// run is `eip associate`: an undo, or the bindings of the flags or plan.
func (o *associateOptions) run(f *Factory, cmd *cobra.Command) error {
	if o.undo != "" {
		return o.runUndo(f, cmd)
	}
	items, err := o.bindings(f, cmd)
	if err != nil {
		return err
	}
	from, err := o.fence()
	if err != nil {
		return err
	}
	for i := range items {
		items[i].Force = items[i].Force || o.force
		if len(items[i].From) == 0 {
			items[i].From = from
		}
	}
	return runAssociate(f, cmd, &o.runFlags, items, o.tune)
}

// addFlags registers associate's own flags.
func (o *associateOptions) addFlags(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&o.target, "target", "", "ID of the instance, ENI, NAT gateway, load balancer or HaVip")
	fl.StringVar(&o.targetType, "target-type", "", "instance, eni, nat, lb or havip (inferred from the target ID when left out)")
	fl.StringVar(&o.privateIP, "private-ip", "", "private IP on the target to bind to (ENIs)")
	fl.StringVar(&o.mode, "mode", "", "nat (default), multi-binded, passthrough or fullnat; mapped to the cloud's own word")
	fl.StringVar(&o.instanceRegion, "instance-region", "", "region of the target when it differs (Alibaba InstanceRegionId)")
	fl.BoolVar(&o.force, "force", false, "move EIPs bound to another target: unbind there, bind here, put back if the bind fails (every binding of a plan)")
	fl.StringArrayVar(&o.from, "from", nil, "fence: bind only an EIP held by one of these targets when read right before the change, or free with none; repeat it or give a comma list")
	fl.DurationVar(&o.minInterval, "min-interval", 0, "refuse to move an EIP the journal shows was moved less than this long ago (TooSoon), e.g. 5m; 0 moves it anyway")
	fl.StringVar(&o.undo, "undo", "", "put back every EIP the run RUN_ID moved (eipctl eip history shows run IDs), fenced on where the run left each")
	fl.StringArrayVar(&o.pool, "pool", nil, "claim free EIPs from this pool: EIP IDs, addresses, CIDR blocks; repeat it or give a comma list")
	fl.StringVar(&o.poolFile, "pool-file", "", "read the pool from a file, one EIP ID, address or CIDR block per line (# comments)")
	fl.IntVar(&o.count, "count", 1, "how many EIPs of the pool the target should hold (with --pool)")
}

// bindings turns flags (or a plan file) into validated bindings.
func (o *associateOptions) bindings(f *Factory, cmd *cobra.Command) ([]eip.Binding, error) {
	cfg, err := f.Config(cmd)
	if err != nil {
		return nil, err
	}
	base := plan.PlanItem{Provider: cfg.String("provider"), Region: cfg.String("region"), Target: o.target,
		TargetType: o.targetType, PrivateIP: o.privateIP, Mode: o.mode, InstanceRegion: o.instanceRegion}
	if len(o.pool) > 0 || o.poolFile != "" || cmd.Flags().Changed("count") {
		return o.poolBinding(base)
	}
	if o.file != "" {
		if len(o.eips) > 0 {
			return nil, eip.Usagef("--eip and -f both given: list the EIPs in the plan file, or drop -f")
		}
		if o.clientToken != "" {
			return nil, eip.Usagef("--client-token cannot apply to a whole plan: set clientToken per binding in %s", o.file)
		}
		return readPlan(f, o.file, base)
	}
	if len(o.eips) == 0 {
		return nil, eip.Usagef("--eip is required: pass an EIP ID or address (repeatable), or -f plan.yaml")
	}
	var items []eip.Binding
	for _, id := range eipValues(o.eips) {
		it := base
		it.EIP, it.ClientToken = id, o.clientToken
		b, err := planBinding(it)
		if err != nil {
			return nil, err
		}
		items = append(items, b)
	}
	return items, nil
}

// poolBinding turns --pool / --pool-file / --count into one claim.
func (o *associateOptions) poolBinding(base plan.PlanItem) ([]eip.Binding, error) {
	switch {
	case len(o.pool) == 0 && o.poolFile == "":
		return nil, eip.Usagef("--count needs --pool or --pool-file: name the pool to claim from")
	case len(o.eips) > 0:
		return nil, eip.Usagef("--eip and --pool both given: name the EIPs with --eip, or let --pool choose them")
	case o.file != "":
		return nil, eip.Usagef("-f and --pool both given: put pool: and count: in the plan's items instead")
	case o.clientToken != "":
		return nil, eip.Usagef("--client-token cannot apply to a pool claim: eipctl makes one per request, as it may try several EIPs")
	case o.force:
		return nil, eip.Usagef("--force cannot be used with --pool: a pool claim takes only free EIPs and never unbinds one")
	case o.count < 1 || o.count > eip.MaxPoolCount:
		return nil, eip.Usagef("--count %d: give a number from 1 to %d", o.count, eip.MaxPoolCount)
	}
	pool, err := eip.ParsePool("--pool", o.pool)
	if err != nil {
		return nil, err
	}
	if o.poolFile != "" {
		fromFile, err := eip.ReadPoolFile("--pool-file", o.poolFile)
		if err != nil {
			return nil, err
		}
		pool.Merge(fromFile)
	}
	b, err := planBinding(base)
	if err != nil {
		return nil, err
	}
	b.Pool, b.Count = pool, o.count
	return []eip.Binding{b}, nil
}

// planBinding checks the flag words the way a plan row is checked, naming the flag.
func planBinding(it plan.PlanItem) (eip.Binding, error) {
	if it.TargetType != "" {
		if _, err := eip.ParseTargetType(it.TargetType); err != nil {
			return eip.Binding{}, eip.Usagef("--target-type: %v", err)
		}
	}
	if _, err := eip.ParseMode(it.Mode); err != nil {
		return eip.Binding{}, eip.Usagef("--mode: %v", err)
	}
	b, err := plan.ReadItem(it)
	if err != nil {
		return eip.Binding{}, eip.Usagef("%v", err)
	}
	return b, nil
}

// fence reads --from (and checks --min-interval, which goes with it).
func (o *associateOptions) fence() ([]string, error) {
	if o.minInterval < 0 {
		return nil, eip.Usagef("--min-interval %s: give a duration such as 5m, or 0 to move EIPs however recently they moved", o.minInterval)
	}
	if len(o.from) == 0 {
		return nil, nil
	}
	return eip.ParseFrom("--from", strings.Join(o.from, ","))
}

// tune gives the engine what only associate's flags say.
func (o *associateOptions) tune(eng *engine.Engine) { eng.MinInterval = o.minInterval }

func runAssociate(f *Factory, cmd *cobra.Command, r *runFlags, items []eip.Binding, tune func(*engine.Engine)) error {
	return f.execute(cmd, r, runSpec{verb: "associate", total: len(items), tune: tune,
		check: func(eng *engine.Engine) error { return eng.CheckAssociate(items) },
		do:    func(eng *engine.Engine) (*eip.Report, error) { return eng.Associate(cmd.Context(), items) },
		summarize: func(rep *eip.Report) (any, string) {
			s := rep.Summary()
			return s, fmt.Sprintf("%s: %d associated, %d moved, %d unchanged, %d planned, %d pending, %d failed, %d timed out",
				countEIPs(s.Total), s.Associated, s.Moved, s.Unchanged, s.Planned, s.Pending, s.Failed, s.TimedOut)
		}})
}
