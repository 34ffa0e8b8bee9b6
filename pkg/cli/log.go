package cli

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/eipctl/eipctl/pkg/engine"

	"github.com/spf13/pflag"

	"github.com/eipctl/eipctl/pkg/eip"
)

// Logs are for the people who read stderr after the fact: cron mail, the
// journal, a CI log. They go to stderr, one record a line, at --log-level and
// above (default warn, so a run that goes well says nothing), as text or JSON.
// --debug is separate: it traces each HTTP request.

var logLevels = map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError}

func addLogFlags(pf *pflag.FlagSet, f *Factory) {
	pf.StringVar(&f.global.logLevel, "log-level", "", "log records at this level and above on stderr: debug, info, warn or error (env EIPCTL_LOG_LEVEL; default warn, error with --quiet)")
	pf.StringVar(&f.global.logFormat, "log-format", "", "log record format: text (key=value) or json, one record a line (env EIPCTL_LOG_FORMAT; default text)")
}

// setupLog checks the log flags and builds the logger; a bad value is a usage error.
func (f *Factory) setupLog() error {
	def := "warn"
	if f.global.quiet {
		def = "error" // --quiet: only the report and the error it ends with
	}
	level := cmp.Or(f.global.logLevel, os.Getenv("EIPCTL_LOG_LEVEL"), def)
	lv, ok := logLevels[strings.ToLower(level)]
	if !ok {
		return &usageError{fmt.Errorf("--log-level %q is not a level: %suse debug, info, warn or error", level, eip.DidYouMean(level, []string{"debug", "info", "warn", "error"}))}
	}
	format := strings.ToLower(cmp.Or(f.global.logFormat, os.Getenv("EIPCTL_LOG_FORMAT"), "text"))
	opts := &slog.HandlerOptions{Level: lv}
	var h slog.Handler
	switch format {
	case "text":
		h = slog.NewTextHandler(f.Streams.Err, opts)
	case "json":
		h = slog.NewJSONHandler(f.Streams.Err, opts)
	default:
		return &usageError{fmt.Errorf("--log-format %q is not a format: %suse text or json", format, eip.DidYouMean(format, []string{"text", "json"}))}
	}
	f.mu.Lock()
	f.log, f.logJSON = slog.New(h), format == "json"
	f.mu.Unlock()
	return nil
}

// logger is the run's logger; before the flags are read (or in tests that
// build no command) it logs warnings and errors as text.
func (f *Factory) logger() *slog.Logger {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.log == nil {
		f.log = slog.New(slog.NewTextHandler(f.Streams.Err, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	return f.log
}

// reportError prints the error a run ended with: "eipctl: message" for
// people, or, with --log-format json, one JSON record like every other line
// on stderr, so a log shipper needs only one parser.
func (f *Factory) reportError(line string, code int) {
	f.complain(line, "exit", code)
}

// complain prints one problem on stderr: "eipctl: message", or an error
// record with --log-format json.
func (f *Factory) complain(msg string, attrs ...any) {
	f.mu.Lock()
	jsonLog := f.logJSON
	f.mu.Unlock()
	if jsonLog {
		f.logger().Error(msg, attrs...)
		return
	}
	fmt.Fprintln(f.Streams.Err, "eipctl: "+msg)
}

// logEvent records what the engine saw: each row as it settles (info; warn
// when it failed or timed out), each accepted request and each retry (info:
// a retry that succeeds is routine, and a healthy cron job mails nothing)
// and each status read (debug).
func (f *Factory) logEvent(ev engine.Event) {
	l := f.logger()
	attrs := []any{"provider", ev.Provider, "region", ev.Region}
	if ev.EIPID != "" {
		attrs = append(attrs, "eip", ev.EIPID)
	}
	switch ev.Kind {
	case engine.EventSettled:
		if ev.Row != nil && ev.Row.Error != nil {
			attrs = append(attrs, "error", ev.Row.Error.Error())
		}
		l.Log(context.Background(), eventLevel(ev), "eip settled", append(attrs, "status", string(ev.Status))...)
	case engine.EventSent:
		l.Info("request accepted", append(attrs, "eips", ev.Count)...)
	case engine.EventRetry:
		l.Info("retrying", attrs...)
	case engine.EventState:
		l.Debug("eip status read", append(attrs, "state", string(ev.State), "nativeStatus", ev.NativeStatus)...)
	case engine.EventJournal:
		l.Warn("journal write failed: the outcome lines of this run may be missing from eip history", "error", ev.Err.Error())
	}
}

// eventLevel is the level logEvent records ev at.
func eventLevel(ev engine.Event) slog.Level {
	switch {
	case ev.Kind == engine.EventState:
		return slog.LevelDebug
	case ev.Status == eip.StatusFailed, ev.Status == eip.StatusTimeout:
		return slog.LevelWarn
	}
	return slog.LevelInfo
}

// observers calls each non-nil observer in turn.
func observers(fns ...func(engine.Event)) func(engine.Event) {
	var live []func(engine.Event)
	for _, fn := range fns {
		if fn != nil {
			live = append(live, fn)
		}
	}
	return func(ev engine.Event) {
		for _, fn := range live {
			fn(ev)
		}
	}
}
