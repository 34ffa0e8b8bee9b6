package plan_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/plan"
)

// A plan over the documented limits (plan.MaxBytes, plan.MaxItems) is one
// usage line naming the file and the limit; one just under them reads.
func TestPlanSizeLimits(t *testing.T) {
	dir := t.TempDir()
	rows := func(n int) string {
		return "eip,target\n" + strings.Repeat("eip-hz0001,i-hz0001\n", n)
	}
	big := filepath.Join(dir, "big.csv")
	if err := os.WriteFile(big, []byte(rows(1)+strings.Repeat("#", plan.MaxBytes)), 0o600); err != nil {
		t.Fatal(err)
	}
	base := plan.PlanItem{Provider: "alibaba", Region: "cn-hangzhou"}
	for _, c := range []struct {
		name string
		read func() ([]eip.Binding, error)
		want string
	}{
		{"file over MaxBytes", func() ([]eip.Binding, error) { return plan.ReadPlan(big, base) },
			"-f " + big + ": the plan is larger than 8 MiB, the most eipctl reads: split it into several plans (at most 100000 bindings each)"},
		{"stdin over MaxBytes", func() ([]eip.Binding, error) { return plan.ParsePlan("-", make([]byte, plan.MaxBytes+1), base) },
			"-f - (standard input): the plan is larger than 8 MiB, the most eipctl reads: split it into several plans (at most 100000 bindings each)"},
		{"rows over MaxItems", func() ([]eip.Binding, error) { return plan.ParsePlan("p.csv", []byte(rows(plan.MaxItems+1)), base) },
			"-f p.csv: the plan has more than 100000 bindings, the most eipctl takes in one run: split it into several plans"},
	} {
		got, err := c.read()
		if got != nil || !eip.IsUsage(err) || err.Error() != c.want {
			t.Errorf("%s: %d bindings, %v\n want the usage error %q", c.name, len(got), err, c.want)
		}
	}
	if got, err := plan.ParsePlan("p.csv", []byte(rows(plan.MaxItems)), base); err != nil || len(got) != plan.MaxItems {
		t.Errorf("a plan of MaxItems rows: %d bindings, %v; want it read", len(got), err)
	}
}
