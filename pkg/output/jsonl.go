package output

import (
	"encoding/json"
	"io"
	"sync"
)

// Lines writes JSON Lines: each value as one compact JSON object on its own
// line, written whole in a single Write and flushed at once, so a script
// reading the pipe can act on a line while later ones are still coming.
// It is safe for concurrent use; the first write error sticks.
type Lines struct {
	mu    sync.Mutex
	w     io.Writer
	query *Query
	err   error
}

// NewLines returns a JSON Lines writer on w.
func NewLines(w io.Writer) *Lines { return &Lines{w: w} }

// WithQuery applies q (nil: none) to each value before it is written; a
// value the query makes null (a row's key on the summary line) is left out.
func (l *Lines) WithQuery(q *Query) *Lines {
	l.query = q
	return l
}

// Write encodes v on one line. Nothing is written after an earlier error.
func (l *Lines) Write(v any) error {
	if l.query != nil {
		res, err := l.query.Apply(v)
		if err != nil {
			l.mu.Lock()
			defer l.mu.Unlock()
			if l.err == nil {
				l.err = err
			}
			return l.err
		}
		if res == nil {
			return nil
		}
		v = res
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err != nil {
		return l.err
	}
	if _, err := l.w.Write(append(b, '\n')); err != nil {
		l.err = err
		return err
	}
	// A buffered writer (bufio, a test's pipe wrapper) is flushed per line;
	// an *os.File has no buffer of its own, and fsync is not wanted here.
	if f, ok := l.w.(interface{ Flush() error }); ok {
		if err := f.Flush(); err != nil {
			l.err = err
		}
	}
	return l.err
}

// Err returns the first write error, if any.
func (l *Lines) Err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}
