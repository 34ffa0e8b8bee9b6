package cli

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/eipctl/eipctl/pkg/engine"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/output"
)

// watcher follows a run's engine events and shows them as they happen: the
// progress line on a terminal, per-EIP status lines with --verbose or
// --debug, and with -o jsonl each row on stdout as soon as it settles. The
// engine calls observe serialized, so it needs no lock of its own.
type watcher struct {
	progress *output.Progress // nil unless stderr is a terminal
	line     func(string)     // per-EIP status lines, or nil
	jsonl    *output.Lines    // nil unless -o jsonl
	written  map[rowKey]bool  // rows already on stdout (jsonl)
	c        output.Counts
	sent     int // EIPs carried by mutations the cloud accepted
	landed   int // of those, settled
}

type rowKey struct{ provider, region, eip string }

func keyOf(r *eip.Result) rowKey { return rowKey{r.Provider, r.Region, r.EIPID} }

// watch decides what a run of total rows shows while it goes on.
func (f *Factory) watch(format output.Format, verb string, r *runFlags, total int) *watcher {
	w := &watcher{c: output.Counts{Total: total}, written: map[rowKey]bool{}}
	if format == output.JSONL {
		w.jsonl = f.lines()
	}
	if f.global.quiet {
		return w
	}
	// --debug logs every request on stderr, which a redrawn line would garble.
	if f.Streams.ErrTTY && !f.global.debug && total > 0 {
		w.progress = output.NewProgress(f.Streams.Err, verb, total)
	}
	if r.verbose || f.global.debug {
		w.line = func(s string) { fmt.Fprintln(f.Streams.Err, s) }
		if w.progress != nil {
			w.line = w.progress.Println
		}
	}
	return w
}

// beforeLog erases the progress line before an event the log will record
// (a retry or a failed row, at the default level), so the log line starts on
// a clean line; the next redraw brings the progress line back under it.
func (w *watcher) beforeLog(l *slog.Logger) func(engine.Event) {
	if w.progress == nil {
		return nil
	}
	return func(ev engine.Event) {
		if l.Enabled(context.Background(), eventLevel(ev)) {
			w.progress.Clear()
		}
	}
}

// observe follows one engine event (Engine.Observe calls it serialized).
func (w *watcher) observe(ev engine.Event) {
	switch ev.Kind {
	case engine.EventState:
		if w.line != nil && ev.NativeStatus != "" {
			w.line(fmt.Sprintf("%s %s %s: %s", ev.Provider, ev.Region, ev.EIPID, ev.NativeStatus))
		}
	case engine.EventSent:
		w.sent += ev.Count
	case engine.EventRetry:
		w.c.Retries++
	case engine.EventSettled:
		w.settled(ev)
	}
	if w.progress != nil {
		w.c.InFlight = max(0, min(w.sent-w.landed, w.c.Total-w.c.Done))
		w.progress.Update(w.c)
	}
}

func (w *watcher) settled(ev engine.Event) {
	w.c.Done++
	switch ev.Status {
	case eip.StatusMoved:
		w.c.Moved++
		w.landed += 2 // its unbind and its bind
	case eip.StatusFailed, eip.StatusTimeout:
		// A failed row may never have been sent (a conflict found by the
		// first read): it does not count against what is in flight.
		w.c.Failed++
		if ev.Status == eip.StatusTimeout {
			w.landed++
		}
	case eip.StatusAssociated, eip.StatusDisassociated, eip.StatusPending:
		w.landed++
	}
	if ev.Row == nil {
		return
	}
	if w.line != nil {
		msg := ""
		if ev.Row.Error != nil {
			msg = ": " + ev.Row.Error.Error()
		}
		w.line(fmt.Sprintf("%s %s %s: %s%s", ev.Provider, ev.Region, ev.EIPID, ev.Status, msg))
	}
	if w.jsonl != nil {
		_ = w.jsonl.Write(ev.Row)
		w.written[keyOf(ev.Row)] = true
	}
}

// finish ends the live display once the engine returned: the progress line
// is erased, and with -o jsonl the rows no event carried are written, then
// the summary line. It returns the first error writing stdout.
func (w *watcher) finish(rep *eip.Report, summary any) error {
	if w.progress != nil {
		w.progress.Close()
	}
	if w.jsonl == nil || rep == nil {
		return nil
	}
	return writeLines(w.jsonl, rep, w.written, summary)
}

// writeLines writes the rows of rep not in skip as JSON lines, then the
// summary line.
func writeLines(l *output.Lines, rep *eip.Report, skip map[rowKey]bool, summary any) error {
	for i := range rep.Results {
		if !skip[keyOf(&rep.Results[i])] {
			_ = l.Write(&rep.Results[i])
		}
	}
	_ = l.Write(map[string]any{"summary": summary})
	return l.Err()
}
