package zenlayer

import (
	"context"
	"net/http"
	"net/url"
	"sync"
)

// The SDK writes "[WARN] api request occurs error, action: ..., <error>" to
// os.Stderr, through a logger of its own that no option reaches, whenever
// the transport fails while the request's context is still live. eipctl's
// stderr carries only eipctl's lines, so quietTransport ends the request's
// context before it hands the failure back: the SDK then returns the
// context's error without a word (its source says so: a failure that stems
// from the caller's context is surfaced as is), and send puts the transport
// error back in its place. With --debug the failure is still logged, by the
// debug transport inside this one, with its "debug:" prefix.
type quietTransport struct{ next http.RoundTripper }

// failure carries a transport error out past the SDK.
type failure struct {
	cancel context.CancelFunc
	mu     sync.Mutex
	err    error
}

type failureKey struct{}

func (q quietTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	next := q.next
	if next == nil {
		next = http.DefaultTransport
	}
	resp, err := next.RoundTrip(r)
	if err != nil {
		if f, ok := r.Context().Value(failureKey{}).(*failure); ok {
			f.mu.Lock()
			f.err = &url.Error{Op: r.Method, URL: r.URL.String(), Err: err}
			f.mu.Unlock()
			f.cancel()
		}
	}
	return resp, err
}

// watch gives a request's context a place for quietTransport to leave a
// transport failure, and the cancel it calls.
func watch(ctx context.Context, cancel context.CancelFunc) (context.Context, *failure) {
	f := &failure{cancel: cancel}
	return context.WithValue(ctx, failureKey{}, f), f
}

func (f *failure) transportError() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err
}
