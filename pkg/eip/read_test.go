package eip

import (
	"context"
	"slices"
	"testing"
)

// Describe with no IDs must not become a List: the engine asks for none when
// a lane has nothing left to read, and a nil filter reads the whole region.
func TestReadFuncDescribeNoneSendsNothing(t *testing.T) {
	var asked [][]string
	r := ReadFunc(func(_ context.Context, region string, ids []string) ([]Address, error) {
		asked = append(asked, ids)
		return []Address{{ID: "eip-1", Region: region}}, nil
	})
	if got, err := r.Describe(context.Background(), "r1", nil); err != nil || got != nil {
		t.Fatalf("Describe(none) = %v, %v; want nothing", got, err)
	}
	if len(asked) != 0 {
		t.Fatalf("Describe(none) read %v; want no read", asked)
	}
	if got, _ := r.Describe(context.Background(), "r1", []string{"eip-1"}); len(got) != 1 || got[0].Region != "r1" {
		t.Fatalf("Describe(eip-1) = %v", got)
	}
	if _, err := r.List(context.Background(), "r1"); err != nil {
		t.Fatal(err)
	}
	if len(asked) != 2 || !slices.Equal(asked[0], []string{"eip-1"}) || asked[1] != nil {
		t.Fatalf("reads = %q; want [eip-1] then nil (all)", asked)
	}
}
