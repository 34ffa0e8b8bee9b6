package cli

import (
	"context"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// interrupts turns SIGINT and SIGTERM into a run's two stages. While a run
// that changes bindings is on (draining), the first signal closes stop: the
// engine sends nothing new and keeps confirming what the cloud accepted, for
// up to its drain time. The second cancels the context: stop at once. Any
// other command (list, sim serve, a run still waiting for the lock) stops at
// the first signal. After the second, the signals' default action is back,
// so a third Ctrl-C ends the process even if something hangs.
type interrupts struct {
	mu       sync.Mutex
	sig      os.Signal // the first signal, nil before
	stop     chan struct{}
	cancel   context.CancelFunc
	draining bool
}

func newInterrupts(cancel context.CancelFunc) *interrupts {
	return &interrupts{stop: make(chan struct{}), cancel: cancel}
}

// notify delivers the process's SIGINT and SIGTERM to in until the second.
func (in *interrupts) notify() func() {
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case s := <-ch:
				if in.receive(s) {
					signal.Reset(os.Interrupt, syscall.SIGTERM)
					return
				}
			case <-done:
				return
			}
		}
	}()
	return func() { signal.Stop(ch); close(done) }
}

// receive takes one signal; it reports whether that was the last one eipctl
// handles itself.
func (in *interrupts) receive(s os.Signal) (last bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.sig == nil {
		in.sig = s
		close(in.stop)
		if in.draining {
			return false
		}
	}
	in.cancel()
	return true
}

// drain is called when a run starts: from now on the first signal drains.
func (in *interrupts) drain() {
	if in == nil {
		return
	}
	in.mu.Lock()
	in.draining = true
	in.mu.Unlock()
}

// stopped is closed by the first signal (never, without signal handling).
func (in *interrupts) stopped() <-chan struct{} {
	if in == nil {
		return nil
	}
	return in.stop
}

// signal returns the first signal received, or nil.
func (in *interrupts) signal() os.Signal {
	if in == nil {
		return nil
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.sig
}

// code is the exit status of an interrupted run: 128 + the signal's number,
// as shells report a process a signal ended (130 SIGINT, 143 SIGTERM).
func (in *interrupts) code() int {
	if in.signal() == syscall.SIGTERM {
		return ExitTerminated
	}
	return ExitInterrupted
}

// name is the signal's usual name for messages.
func (in *interrupts) name() string {
	if in.signal() == syscall.SIGTERM {
		return "SIGTERM"
	}
	return "SIGINT"
}
