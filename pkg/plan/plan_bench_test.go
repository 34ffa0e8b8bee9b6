package plan_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/eipctl/eipctl/pkg/plan"
)

// BenchmarkParsePlanJSON10k parses a 10,000-item JSON plan (about 1 MB):
// line numbers are counted once through the input, not once per value.
func BenchmarkParsePlanJSON10k(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("{\"bindings\": [\n")
	for i := 0; i < 10000; i++ {
		if i > 0 {
			sb.WriteString(",\n")
		}
		fmt.Fprintf(&sb, `  {"provider": "zenlayer", "region": "asia-east-1", "eip": "eip-%06d", "target": "nat-%04d", "targetType": "nat"}`, i, i/20)
	}
	sb.WriteString("\n]}\n")
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		items, err := plan.ParsePlan("plan.json", data, plan.PlanItem{})
		if err != nil || len(items) != 10000 {
			b.Fatalf("%d items, %v", len(items), err)
		}
	}
}
