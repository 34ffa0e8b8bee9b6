package cli

import (
	"fmt"
	"slices"

	"github.com/spf13/cobra"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/engine"
	"github.com/eipctl/eipctl/pkg/journal"
)

// runUndo is `eip associate --undo RUN_ID`: every EIP the run changed goes
// back where the journal says it was, fenced on where the run left it (or
// free, for a move the run left cut short). An EIP the run bound while it
// was free is unbound, fenced the same way. --dry-run prints the plan.
func (o *associateOptions) runUndo(f *Factory, cmd *cobra.Command) error {
	if len(o.eips) > 0 || o.file != "" || len(o.pool) > 0 || o.poolFile != "" || o.target != "" || len(o.from) > 0 {
		return eip.Usagef("--undo %s takes no --eip, -f, --pool, --target or --from: it puts back what that run changed, as the journal says", o.undo)
	}
	path, err := f.journalToRead(cmd, "--undo needs the journal, and --journal '' switches it off: give --journal FILE")
	if err != nil {
		return err
	}
	entries, err := journal.Read(path, journal.Filter{})
	if err != nil {
		return fmt.Errorf("journal %s: %w", path, err)
	}
	changes := journal.Run(entries, o.undo)
	if len(changes) == 0 {
		return eip.Usagef("--undo %s: the journal %s shows no change by that run to put back: see `eipctl eip history --run %s`", o.undo, path, o.undo)
	}
	binds, unbinds, err := f.undoPlan(cmd, changes)
	if err != nil {
		return err
	}
	return f.execute(cmd, &o.runFlags, runSpec{verb: "associate", total: len(binds) + len(unbinds), tune: o.tune,
		check: func(eng *engine.Engine) error {
			if err := checkIf(len(binds) > 0, func() error { return eng.CheckAssociate(binds) }); err != nil {
				return err
			}
			return checkIf(len(unbinds) > 0, func() error { return eng.CheckDisassociate(unbinds) })
		},
		do: func(eng *engine.Engine) (*eip.Report, error) {
			rep := &eip.Report{}
			if len(binds) > 0 {
				r, err := eng.Associate(cmd.Context(), binds)
				if err != nil {
					return nil, err
				}
				rep = r
			}
			if len(unbinds) > 0 {
				r, err := eng.Disassociate(cmd.Context(), unbinds)
				if err != nil {
					return nil, err
				}
				rep.Results, rep.Requests = append(rep.Results, r.Results...), append(rep.Requests, r.Requests...)
				rep.Interrupted = rep.Interrupted || r.Interrupted
			}
			return rep, nil
		},
		summarize: func(rep *eip.Report) (any, string) {
			s := rep.Summary()
			return s, fmt.Sprintf("undo of %s: %s: %d moved back, %d unchanged, %d unbound again, %d planned, %d pending, %d failed, %d timed out",
				o.undo, countEIPs(s.Total), s.Moved+s.Associated, s.Unchanged, rep.DisassociateSummary().Disassociated, s.Planned, s.Pending, s.Failed, s.TimedOut)
		}})
}

func checkIf(cond bool, fn func() error) error {
	if !cond {
		return nil
	}
	return fn()
}

// undoPlan turns a run's changes into the bindings that put them back: to
// the holder it found (with the private IP and mode it had, where the target
// type takes them), fenced on where it left the EIP or free; an EIP it found
// free is unbound from where it left it.
func (f *Factory) undoPlan(cmd *cobra.Command, changes []journal.Change) ([]eip.Binding, []eip.Unbinding, error) {
	var binds []eip.Binding
	var unbinds []eip.Unbinding
	for _, c := range changes {
		var fence []string
		if c.To != nil {
			fence = append(fence, c.To.TargetID)
		}
		if c.From == nil {
			if c.To != nil {
				unbinds = append(unbinds, eip.Unbinding{Provider: c.Provider, Region: c.Region, EIP: c.EIP, From: fence})
			}
			continue
		}
		p, err := f.Provider(cmd, c.Provider)
		if err != nil {
			return nil, nil, err
		}
		caps, h := p.Capabilities(), c.From
		b := eip.Binding{Provider: c.Provider, Region: c.Region, EIP: c.EIP, Target: h.TargetID, TargetType: h.TargetType,
			Force: true, From: append(fence, eip.FromNone)}
		if caps.Syntax.TakesPrivateIP(h.TargetType) {
			b.PrivateIP = h.PrivateIP
		}
		if slices.Contains(caps.ModesFor(h.TargetType), h.Mode) {
			b.Mode = h.Mode
		}
		binds = append(binds, b)
	}
	return binds, unbinds, nil
}
