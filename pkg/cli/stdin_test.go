package cli

import (
	"context"
	"io"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/output"
	"github.com/eipctl/eipctl/providers/all"
)

var stdinPlan = []string{"eip", "associate", "--sim", "--provider", "alibaba", "--region", "cn-hangzhou", "-f", "-", "-o", "json"}

// runStdin runs `eip associate -f -` with in as standard input and sig
// delivered after 200ms (none when 0).
func runStdin(t *testing.T, in io.Reader, sig syscall.Signal) (code int, stdout, stderr string, took time.Duration) {
	t.Helper()
	isolate(t)
	streams, out, errb := output.Test()
	streams.In = in
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f := &Factory{Streams: streams, Clouds: all.Clouds, Version: "test", interrupt: newInterrupts(cancel)}
	defer f.Close()
	if sig != 0 {
		go func() { time.Sleep(200 * time.Millisecond); f.interrupt.receive(sig) }()
	}
	start := time.Now()
	code = Run(ctx, f, stdinPlan)
	return code, out.String(), errb.String(), time.Since(start)
}

// Ctrl-C or SIGTERM while a plan is still being read from standard input
// ends the run at the first signal: 130 or 143, nothing sent, no report.
func TestSignalWhileReadingThePlanFromStdin(t *testing.T) {
	for _, c := range []struct {
		sig  syscall.Signal
		code int
		name string
	}{{syscall.SIGINT, ExitInterrupted, "SIGINT"}, {syscall.SIGTERM, ExitTerminated, "SIGTERM"}} {
		t.Run(c.name, func(t *testing.T) {
			r, w := io.Pipe()
			defer w.Close()
			go func() { _, _ = io.WriteString(w, "bindings:\n  - {eip: eip-hz0001, target: i-hz0001}\n") }() // and never closed
			code, out, errs, took := runStdin(t, r, c.sig)
			if code != c.code || out != "" || took > 5*time.Second ||
				!strings.Contains(errs, "interrupted by "+c.name+" while reading the plan from standard input (-f -); nothing was sent") {
				t.Fatalf("exit %d after %s, stdout %q, stderr %q; want %d at once", code, took, out, errs, c.code)
			}
		})
	}
}

// endless is a standard input that never ends: plan rows, forever.
type endless struct{ at int }

func (e *endless) Read(p []byte) (int, error) {
	const head, row = "bindings:\n", "  - {eip: eip-hz0001, target: i-hz0001}\n"
	for i := range p {
		if e.at < len(head) {
			p[i] = head[e.at]
		} else {
			p[i] = row[(e.at-len(head))%len(row)]
		}
		e.at++
	}
	return len(p), nil
}

// A plan larger than the documented limit is refused with exit 2, one line
// naming -f - and the limit, instead of being read for ever.
func TestEndlessStdinPlanIsRefused(t *testing.T) {
	code, out, errs, _ := runStdin(t, &endless{}, 0)
	if code != ExitUsage || out != "" || strings.Count(strings.TrimSpace(errs), "\n") != 0 ||
		!strings.Contains(errs, "-f - (standard input): the plan is larger than 8 MiB, the most eipctl reads: split it") {
		t.Fatalf("exit %d, stdout %q, stderr %q; want 2 naming the limit", code, out, errs)
	}
}
