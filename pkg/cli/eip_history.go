package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/eipctl/eipctl/pkg/config"
	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/journal"
	"github.com/eipctl/eipctl/pkg/output"
)

// historyOptions are the flag values of `eip history`.
type historyOptions struct {
	eip, since, run string
}

// filter turns the flags into a journal filter; a --since that is neither a
// duration nor a time is a usage error.
func (o *historyOptions) filter(now time.Time) (journal.Filter, error) {
	f := journal.Filter{EIP: o.eip, Run: o.run}
	if o.since == "" {
		return f, nil
	}
	if d, err := time.ParseDuration(o.since); err == nil && d >= 0 {
		f.Since = now.Add(-d)
		return f, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, o.since, time.Local); err == nil {
			f.Since = t
			return f, nil
		}
	}
	return f, eip.Usagef("--since %q: give a duration back from now (90m, 24h) or a time (2026-12-07, 2026-12-07T03:00:00Z)", o.since)
}

// journalPath is the journal a command reads or writes: --journal FILE when
// given ("" when given empty: the journal is off), else journal.jsonl in the
// state directory. Run verbs get the same answer from it once they take
// --journal.
func journalPath(cmd *cobra.Command, cfg *config.Config) string {
	if fl := cmd.Flags().Lookup("journal"); fl != nil && fl.Changed {
		return fl.Value.String()
	}
	return journal.DefaultPath(cfg.StateDir())
}

// journalToRead is journalPath for a verb that reads the journal (history,
// undo): a journal switched off by an empty --journal is refused with off
// (exit 2).
func (f *Factory) journalToRead(cmd *cobra.Command, off string) (string, error) {
	cfg, err := f.Config(cmd)
	if err != nil {
		return "", err
	}
	if path := journalPath(cmd, cfg); path != "" {
		return path, nil
	}
	return "", eip.Usagef("%s", off)
}

func newEIPHistoryCmd(f *Factory) *cobra.Command {
	o := &historyOptions{}
	cmd := &cobra.Command{
		Use:   "history [--eip E] [--since D] [--run ID] [flags]",
		Short: "Show what eipctl changed, from this host's journal",
		Long: `Show the journal of what eipctl asked the clouds to change on this host, oldest first:
each bind, unbind and move, with the run that made it, where the EIP was, where it went,
the cloud's request ID and the outcome. A move has an "intent" entry, written before its
unbind was sent, and a later entry that says how it ended; a move with no ending is one a
rerun of the same command finishes.

The journal is journal.jsonl in the state directory ($XDG_STATE_HOME/eipctl by default),
or --journal FILE. It is rotated past 8 MiB, keeping one older file (FILE.1), which this
command reads too. Nothing is sent to any cloud.

` + exitCodesHelp,
		Example: `  # Everything this host moved in the last day
  eipctl eip history --since 24h

  # One EIP's story, by ID or address, as JSON
  eipctl eip history --eip 47.96.0.25 -o json

  # What one run did (the run ID is in every entry)
  eipctl eip history --run 20261207T025512Z-3f9a1c2b`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			filter, err := o.filter(time.Now())
			if err != nil {
				return err
			}
			_, err = f.Format(cmd)
			if err != nil {
				return err
			}
			path, err := f.journalToRead(cmd, "--journal '': the journal is switched off, so there is no history to read; give --journal FILE")
			if err != nil {
				return err
			}
			entries, skipped, err := journal.ReadSkipped(path, filter)
			if err != nil {
				return fmt.Errorf("journal %s: %w", path, err)
			}
			if skipped > 0 {
				f.complain(fmt.Sprintf("journal %s: skipped %d line(s) that are not whole entries (a writer killed mid-line)", path, skipped))
			}
			if entries == nil {
				entries = []journal.Entry{}
			}
			return f.print(map[string]any{"entries": entries}, func() output.Rows {
				return historyRows(entries)
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.eip, "eip", "", "only this EIP (ID or address)")
	fl.StringVar(&o.since, "since", "", "only entries this recent: a duration (24h) or a time (2026-12-07, RFC 3339)")
	fl.StringVar(&o.run, "run", "", "only the entries of this run ID")
	fl.String("journal", "", "journal file to read (default journal.jsonl in the state directory)")
	return cmd
}

// historyRows is the table of `eip history`: FROM and TO are the holders
// before and after, "-" for none.
func historyRows(entries []journal.Entry) output.Rows {
	rows := output.Rows{Header: []string{"TIME", "RUN", "PROVIDER", "REGION", "EIP", "ACTION", "OUTCOME", "FROM", "TO", "CODE"}}
	for _, e := range entries {
		rows.Rows = append(rows.Rows, []string{e.Time.Format(time.RFC3339), e.Run, e.Provider, e.Region, e.EIP,
			string(e.Action), string(e.Outcome), holderCell(e.Previous), holderCell(e.New), orDashStr(e.Code)})
	}
	return rows
}

func holderCell(h *journal.Holder) string {
	if h == nil || h.TargetID == "" {
		return "-"
	}
	if h.PrivateIP != "" {
		return h.TargetID + " (" + h.PrivateIP + ")"
	}
	return h.TargetID
}

func orDashStr(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
