package cli

import (
	"reflect"
	"testing"
)

// --eip "$(cat eips.txt)" binds every line, not the first only.
func TestEIPValuesSplitNewlinesAndTrim(t *testing.T) {
	got := eipValues([]string{"eip-1\neip-2\r\n\n eip-3 \n", " eip-4 , eip-5", "", "eip-6,,eip-7"})
	want := []string{"eip-1", "eip-2", "eip-3", "eip-4", "eip-5", "", "eip-6", "", "eip-7"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("eipValues = %q, want %q (an empty --eip stays, for the engine to refuse)", got, want)
	}
}
