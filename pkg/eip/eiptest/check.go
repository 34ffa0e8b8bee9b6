package eiptest

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eipctl/eipctl/pkg/eip"
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
		os.Unsetenv(k)
	}
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
