package cli

import (
	"errors"

	"github.com/eipctl/eipctl/pkg/eip"
)

// Exit codes: a public contract, documented in docs/exit-codes.md and in --help.
const (
	ExitOK       = 0 // everything done (or already done)
	ExitFailure  = 1 // failed; nothing succeeded
	ExitUsage    = 2 // bad input; nothing was sent
	ExitPartial  = 3 // some EIPs done, some not
	ExitTimeout  = 4 // gave up waiting; the cloud may still finish
	ExitAuth     = 5 // authentication or permission refused
	ExitLockHeld = 6 // another eipctl run holds the lock
	// ExitInterrupted and ExitTerminated: a SIGINT or SIGTERM stopped the run
	// (128 + the signal's number, as a shell reports it). Rows the cloud had
	// not confirmed are pending; running the same command again finishes them.
	ExitInterrupted = 130
	ExitTerminated  = 143
	exitCodesHelp   = `Exit status:
  0  all done (or already done)
  1  failure
  2  usage or invalid input; nothing was sent
  3  partial failure: some EIPs done, some not
  4  timed out waiting; the cloud may still complete the binding
  5  authentication or permission refused
  6  another eipctl run holds the lock (--lock-wait 30s waits for it)
  130  interrupted by SIGINT (Ctrl-C); 143  by SIGTERM: nothing new was sent after
       the signal, unconfirmed rows are "pending"; run the same command again to finish`
)

// exitError carries an exit code decided from a run's outcome; its message,
// if any, is printed once on stderr.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// authError is a credential problem found before anything was sent.
type authError struct{ msg string }

func (e *authError) Error() string { return e.msg }

// lockError means another run holds the lock.
type lockError struct{ msg string }

func (e *lockError) Error() string { return e.msg }

// usageError wraps bad input found by the CLI itself (flags, config).
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// exitCode is the one place an error becomes an exit code. ran tells whether
// a command's own code started; errors before that come from argument parsing.
func exitCode(err error, ran bool) int {
	var (
		ee *exitError
		ae *authError
		le *lockError
		ue *usageError
	)
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &le):
		return ExitLockHeld
	case errors.As(err, &ae):
		return ExitAuth
	case errors.As(err, &ue), eip.IsUsage(err), !ran:
		return ExitUsage
	}
	return ExitFailure
}

// outcome turns a report into the run's exit status: partial when some rows
// succeeded and some did not; otherwise the failure's own kind.
func outcome(rep *eip.Report) error {
	var ok, failed, timedOut, auth int
	for _, r := range rep.Results {
		switch r.Status {
		case eip.StatusFailed:
			failed++
			if r.Error != nil && r.Error.Class == eip.ClassAuth {
				auth++
			}
		case eip.StatusTimeout:
			timedOut++
		default:
			ok++
		}
	}
	switch {
	case failed+timedOut == 0:
		return nil
	case ok > 0:
		return &exitError{code: ExitPartial}
	case failed == 0:
		return &exitError{code: ExitTimeout}
	case auth == failed && timedOut == 0:
		return &exitError{code: ExitAuth}
	}
	return &exitError{code: ExitFailure}
}
