package eip

import "context"

// ErrNotSent marks a mutation held back because the run was stopped.
var ErrNotSent = Errorf(ClassTransient, "Interrupted", "not sent: the run was interrupted before this request; run the command again")

type gateKey struct{}

// WithSendGate returns a context whose SendAllowed asks halted: the engine
// passes it to every mutation's Run.
func WithSendGate(ctx context.Context, halted func() bool) context.Context {
	return context.WithValue(ctx, gateKey{}, halted)
}

// SendAllowed is what an adapter asks right before a mutation's request goes
// on the wire, when the call may have waited inside Run (on a per-client
// lock, say): it returns an error once the run is cancelled or stopped
// (the engine's Stop), so nothing is sent after the signal. A call already
// on the wire is never cut short by Stop; only cancelling ctx aborts it.
func SendAllowed(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if halted, ok := ctx.Value(gateKey{}).(func() bool); ok && halted() {
		return ErrNotSent
	}
	return nil
}
