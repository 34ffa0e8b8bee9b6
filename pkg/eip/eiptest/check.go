package eiptest

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/metadata"
)

// WriteFile writes body to path with the modes a user's credentials file
// has (0600, in a 0700 folder made as needed): the adapters' credential
// tests put their CLI profiles in a temporary HOME with it.
func WriteFile(t testing.TB, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}

// Pool is a pool of the given EIP IDs, as --pool id,id,... gives it: the
// engine's claim tests and the conformance suite's pool claims start from one.
func Pool(t testing.TB, ids ...string) *eip.Pool {
	t.Helper()
	p, err := eip.ParsePool("--pool", []string{strings.Join(ids, ",")})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// AssertClass fails the test unless err is an *eip.Error of class whose
// text mentions every one of wants (a file, a profile, a variable: what the
// user is told to look at).
func AssertClass(t testing.TB, err error, class eip.Class, wants ...string) {
	t.Helper()
	var ee *eip.Error
	if !errors.As(err, &ee) || ee.Class != class {
		t.Fatalf("error %v: want one of class %s", err, class)
	}
	for _, w := range wants {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not mention %q", err, w)
		}
	}
}

// EmptyHome gives the test a temporary HOME and unsets each of vars (an SDK
// may tell an unset variable from an empty one) until it ends, so a
// developer's own profiles and credentials never leak into it.
func EmptyHome(t testing.TB, vars ...string) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, k := range vars {
		t.Setenv(k, "") // restored when the test ends
		if err := os.Unsetenv(k); err != nil {
			t.Fatal(err)
		}
	}
	return home
}

// OffCloud is EmptyHome on a machine that is no cloud's instance: the DMI
// files that say who made the machine are read from an empty folder until
// the test ends, so no credential chain tries an instance metadata service
// unasked.
func OffCloud(t testing.TB, vars ...string) string {
	t.Helper()
	home := EmptyHome(t, vars...)
	old := metadata.DMIDir
	metadata.DMIDir = filepath.Join(home, "no-dmi")
	t.Cleanup(func() { metadata.DMIDir = old })
	return home
}

// WantRows fails tb unless every row of rep ended in want, naming the first
// that did not with its error.
func WantRows(tb testing.TB, rep *eip.Report, want eip.Status) {
	tb.Helper()
	for _, r := range rep.Results {
		if r.Status != want {
			tb.Fatalf("%s: status %s (error %v), want %s", r.EIPID, r.Status, r.Error, want)
		}
	}
}

// RoleService is the instance-role part of a cloud's metadata service, for
// the credential chains' tests: the role's name at Prefix, and its
// credentials at Prefix+Role, the next of Creds at each fetch (the last one
// repeats). An empty Role is an instance without one: 404 for both. The
// cloud's own checks (host, session token) come before it.
type RoleService struct {
	Prefix  string
	Role    string
	Creds   []any
	mu      sync.Mutex
	fetches int
}

func (f *RoleService) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case f.Role != "" && r.URL.Path == f.Prefix:
		_, _ = w.Write([]byte(f.Role)) // a test's fake: a failed write is the client's to see
	case f.Role != "" && r.URL.Path == f.Prefix+f.Role:
		c := f.Creds[min(f.fetches, len(f.Creds)-1)]
		f.fetches++
		_ = json.NewEncoder(w).Encode(c)
	default:
		http.NotFound(w, r)
	}
}

// Fetches is how many times the credentials were fetched.
func (f *RoleService) Fetches() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.fetches
}

// SetRole changes the role the instance has ("" for none).
func (f *RoleService) SetRole(role string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Role = role
}
