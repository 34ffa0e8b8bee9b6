package plan_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/eipctl/eipctl/pkg/plan"

	"github.com/eipctl/eipctl/pkg/eip"
)

// checkPlan is what every plan parse must hold, whatever the bytes: no
// panic; a refusal is bad input (exit 2) naming the file on every line; an
// accepted plan has at least one binding, and no value it yields is
// untrimmed, invalid UTF-8 or holds a control character (those would be
// sent to a cloud or printed back as if they were IDs).
func checkPlan(t *testing.T, name string, data []byte) {
	bs, err := plan.ParsePlan(name, data, plan.PlanItem{})
	if err != nil {
		if !eip.IsUsage(err) {
			t.Fatalf("%s: refused with a %T, want a usage error: %v", name, err, err)
		}
		for _, line := range strings.Split(err.Error(), "\n") {
			if !strings.HasPrefix(line, "-f "+name) && !strings.HasPrefix(line, "-f - (standard input)") {
				t.Fatalf("%s: a line of the error does not name the file: %q", name, line)
			}
		}
		return
	}
	if len(bs) == 0 {
		t.Fatalf("%s: accepted with no bindings", name)
	}
	for i, b := range bs {
		for field, v := range map[string]string{"provider": b.Provider, "region": b.Region, "eip": b.EIP, "target": b.Target,
			"privateIp": b.PrivateIP, "instanceRegion": b.InstanceRegion, "clientToken": b.ClientToken} {
			if v != strings.TrimSpace(v) || !utf8.ValidString(v) || strings.IndexFunc(v, func(r rune) bool {
				return unicode.IsControl(r) || unicode.Is(unicode.Cf, r)
			}) >= 0 {
				t.Fatalf("%s: item %d %s = %q was accepted", name, i+1, field, v)
			}
		}
	}
}

// fuzzPlan fuzzes the plan parser with a file called name, from seeds.
func fuzzPlan(f *testing.F, name string, seeds ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkPlan(t, name, data) })
}

func FuzzParsePlanYAML(f *testing.F) {
	fuzzPlan(f, "plan.yaml",
		"bindings:\n  - {provider: alibaba, region: cn-hangzhou, eip: eip-1, target: i-1}\n",
		"defaults:\n  provider: tencent\n  region: ap-guangzhou\nbindings:\n  - eip: eip-1\n    target: ins-1\n  - eip: eip-2\n    target: nat-1\n    force: true\n",
		"base: &b {provider: zenlayer, region: asia-east-1}\nbindings:\n  - <<: *b\n    eip: eip-1\n    target: nat-1\n",
		"bindings:\n  - eip: \"eip-1\\n\"\n", "---\nbindings: []\n---\nbindings: []\n", "bindings: {a: b}\n", "",
	)
}

func FuzzParsePlanCSV(f *testing.F) {
	fuzzPlan(f, "plan.csv",
		"provider,region,eip,target\nalibaba,cn-hangzhou,eip-1,i-1\n",
		"provider,region,eip,target,targetType,privateIp,mode\ntencent,ap-guangzhou,eip-1,eni-1,eni,10.0.0.1,nat\n",
		"eip,eip\n1,2\n", "provider,region,eip,target\n\"a\nb\",r,e,t\n", "\ufeffeip,target\neip-1,nat-1\n", "",
	)
}

func FuzzParsePlanJSON(f *testing.F) {
	fuzzPlan(f, "plan.json",
		`{"bindings":[{"provider":"alibaba","region":"cn-hangzhou","eip":"eip-1","target":"i-1"}]}`,
		`{"defaults":{"provider":"zenlayer","region":"asia-east-1"},"bindings":[{"eip":"eip-1","target":"nat-1","force":true}]}`,
		`{"bindings":[{"eip":"eip-1","eip":"eip-2"}]}`, `{"bindings":[{"eip":1}]}`, `[]`, `{"bindings":null}`, `{`,
	)
}

// Standard input: the format is recognised from the content.
func FuzzParsePlanStdin(f *testing.F) {
	fuzzPlan(f, "-",
		"bindings:\n  - {provider: alibaba, region: cn-hangzhou, eip: eip-1, target: i-1}\n",
		`{"bindings":[{"provider":"alibaba","region":"cn-hangzhou","eip":"eip-1","target":"i-1"}]}`,
		"provider,region,eip,target\nalibaba,cn-hangzhou,eip-1,i-1\n", "# comment\n\n[1]\n", "",
	)
}
