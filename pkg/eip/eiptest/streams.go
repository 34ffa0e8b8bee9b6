package eiptest

import (
	"bytes"
	"encoding/json"
	"sync"
	"testing"
)

// DecodeJSON is a command's JSON document from its stdout, or fails the
// test naming what the document should have been.
func DecodeJSON[T any](t testing.TB, stdout, what string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(stdout), &v); err != nil {
		t.Fatalf("stdout is not %s: %v\n%s", what, err, stdout)
	}
	return v
}

// SyncBuffer is a stream a process or a ticker writes to while the test
// reads it: a bytes.Buffer behind a lock.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
