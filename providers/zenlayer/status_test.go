package zenlayer

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/eipctl/eipctl/pkg/eip"
)

// recordWords reads a testdata list: the first field of each line that is
// not a comment.
func recordWords(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		w, _, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("%s: %q names no source", path, line)
		}
		out = append(out, w)
	}
	if err := sc.Err(); err != nil || len(out) == 0 {
		t.Fatalf("%s: %v, %d words", path, err, len(out))
	}
	return out
}

// wantState is what each status word must mean, written out again so that a
// changed row fails here.
var wantState = map[string]eip.State{
	"UNBIND": eip.StateAvailable, "ASSIGNING": eip.StateAssociating, "BINDED": eip.StateAssociated,
	"CREATING": eip.StateOther, "CREATE_FAILED": eip.StateOther, "DELETING": eip.StateOther,
	"RECYCLING": eip.StateOther, "RECYCLED": eip.StateOther,
	"UNBINDING": eip.StateDisassociating, // eipctl's own emulator word, in no record
}

func TestEveryDocumentedStatusHasADeliberateState(t *testing.T) {
	documented := map[string]bool{}
	for _, w := range recordWords(t, "testdata/statuses.txt") {
		documented[w] = true
		got, ok := states[w]
		if !ok {
			t.Errorf("status %s (testdata/statuses.txt) has no row in status.go's states: decide what it means", w)
			continue
		}
		if got != wantState[w] {
			t.Errorf("status %s -> %s, want %s", w, got, wantState[w])
		}
	}
	for w := range states {
		if !documented[w] && w != "UNBINDING" {
			t.Errorf("states maps %s, which the record does not document: add its source to testdata/statuses.txt or drop it", w)
		}
	}
	if _, ok := states["UNBINDING"]; !ok || documented["UNBINDING"] {
		t.Error("UNBINDING is the emulator's readable account's word and in no record")
	}
}
