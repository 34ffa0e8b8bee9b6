package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/eipctl/eipctl/pkg/config"
	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/engine"
	"github.com/eipctl/eipctl/pkg/journal"
	"github.com/eipctl/eipctl/pkg/metrics"
)

// record is what a run leaves behind besides its report: the journal (what
// it changed, and the intent of every move before its unbind; the engine
// writes it) and, with --metrics-file, the metrics of the run.
type record struct {
	journal     *journal.Journal
	metrics     *metrics.Run
	metricsFile string
}

// addRecordFlags registers the flags of a run's records.
func addRecordFlags(cmd *cobra.Command, metricsFile *string) {
	fl := cmd.Flags()
	fl.String("journal", "", "journal file of every change and of each move's intent (default journal.jsonl in the state directory; '' switches it off)")
	fl.StringVar(metricsFile, "metrics-file", "", "write the run's metrics here in Prometheus text format, atomically (node_exporter's textfile collector)")
}

// openRecord gives the engine the journal's history (moves earlier runs
// left unfinished, --min-interval) and, unless this is a dry run, the
// journal to write.
func (f *Factory) openRecord(cmd *cobra.Command, cfg *config.Config, eng *engine.Engine, r *runFlags) (*record, error) {
	rec := &record{metricsFile: r.metricsFile}
	if rec.metricsFile != "" {
		rec.metrics = metrics.New(time.Now())
	}
	path := journalPath(cmd, cfg)
	if path == "" {
		return rec, nil
	}
	entries, err := journal.Read(path, journal.Filter{})
	if err != nil {
		return nil, fmt.Errorf("journal %s: %w (pass --journal FILE elsewhere, or --journal '' to run without one)", path, err)
	}
	eng.History = entries
	if r.dryRun {
		return rec, nil
	}
	if rec.journal, err = journal.Open(path, journal.Options{}); err != nil {
		return nil, fmt.Errorf("%w (pass --journal FILE elsewhere, or --journal '' to run without one)", err)
	}
	eng.Journal = rec.journal
	return rec, nil
}

// observe counts the rows, moves and rollbacks of the run.
func (rec *record) observe(ev engine.Event) {
	if ev.Kind != engine.EventSettled {
		return
	}
	rec.metrics.Row(ev.Status)
	switch {
	case ev.Status == eip.StatusMoved:
		rec.metrics.Move(ev.Provider)
	case ev.PutBack:
		rec.metrics.Rollback(ev.Provider)
	}
}

// close ends the run's records: the metrics file is written (with every
// request the pacers saw answered) and the journal closed.
func (f *Factory) closeRecord(rec *record, err error) error {
	if rec == nil {
		return nil
	}
	jerr := rec.journal.Close()
	if rec.metrics == nil {
		return jerr
	}
	f.mu.Lock()
	if f.pacers != nil {
		for _, c := range f.pacers.Counts() {
			rec.metrics.Requests(c.Provider, c.Action, c.Requests, c.Throttles)
		}
	}
	f.mu.Unlock()
	rec.metrics.Finish(time.Now(), exitCode(err, true))
	if werr := rec.metrics.Write(rec.metricsFile); werr != nil {
		return fmt.Errorf("--metrics-file %s: %w", rec.metricsFile, werr)
	}
	return jerr
}
