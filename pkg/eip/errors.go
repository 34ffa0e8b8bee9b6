package eip

import (
	"errors"
	"fmt"
	"net/url"
	"time"
)

// Class is the unified error class; it decides whether the engine retries.
type Class string

const (
	ClassInvalid   Class = "invalid"
	ClassNotFound  Class = "notfound"
	ClassConflict  Class = "conflict"
	ClassThrottled Class = "throttled"
	ClassTransient Class = "transient"
	ClassAuth      Class = "auth"
)

// Retryable reports whether an error of this class may succeed if sent again.
func (c Class) Retryable() bool {
	return c == ClassThrottled || c == ClassTransient || c == ClassConflict
}

// Error is a classified failure. Code and Message are the cloud's own words,
// unchanged, so users can search the vendor's documentation for them.
type Error struct {
	Code    string `json:"code" yaml:"code"`
	Message string `json:"message" yaml:"message"`
	Class   Class  `json:"class" yaml:"class"`
	// RetryAfter is the server's hint of when to try again (Alibaba's
	// x-acs-retry-after header); zero when it gave none. The retry policy
	// and the pacer wait at least this long.
	RetryAfter time.Duration `json:"-" yaml:"-"`
	// Capacity marks a refusal because the target holds as many EIPs as it
	// may (a quota): the EIPs of a batch that fit can still be bound, so the
	// engine splits the batch instead of failing all of it.
	Capacity bool `json:"-" yaml:"-"`
	// Expired says the run's --timeout ran out before the cloud answered (or
	// before the request could go out): nothing is retried after it, and a
	// row that ends on it is a timeout, not a failure.
	Expired bool `json:"-" yaml:"-"`
}

func (e *Error) Error() string {
	if e.Code == "" {
		return e.Message
	}
	return e.Code + ": " + e.Message
}

// Errorf builds a classified error with a code of eipctl's own.
func Errorf(class Class, code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Class: class}
}

// UsageError is bad input found before anything was sent: it names the flag or
// field and says how to fix it.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Usagef builds a UsageError.
func Usagef(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// IsUsage reports whether err is bad input.
func IsUsage(err error) bool {
	var u *UsageError
	return errors.As(err, &u)
}

// TransportMessage describes a failure to reach the cloud without the
// request URL's query, where some SDKs put the access key ID and signature.
func TransportMessage(err error) string {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return err.Error()
	}
	where := "the endpoint"
	if u, perr := url.Parse(ue.URL); perr == nil {
		where = u.Scheme + "://" + u.Host + u.Path
	}
	return fmt.Sprintf("%s %s: %v", ue.Op, where, ue.Err)
}

// Rule is how one of a cloud's error codes is classified: the class that
// decides retrying, and a hint saying what to do next. Each provider keeps its
// rules in one table (providers/<cloud>/errors.go).
type Rule struct {
	Class Class
	Hint  string
	// Capacity: the code says the target is full (Error.Capacity).
	Capacity bool
}

// CloudError builds the error for a cloud's code and message under its rule:
// code and message stay the cloud's own (access key IDs masked, see
// RedactKeyIDs), with the hint after the message so that rows and stderr say
// what to do next.
func CloudError(code, message string, r Rule) *Error {
	msg := RedactKeyIDs(message)
	if r.Hint != "" {
		if msg != "" {
			msg += " "
		}
		msg += "(" + r.Hint + ")"
	}
	return &Error{Code: code, Message: msg, Class: r.Class, Capacity: r.Capacity}
}

// With pairs the class with a hint, for classification tables.
func (c Class) With(hint string) Rule { return Rule{Class: c, Hint: hint} }

// Full marks a rule's code as a capacity refusal (Rule.Capacity).
func (r Rule) Full() Rule { r.Capacity = true; return r }
