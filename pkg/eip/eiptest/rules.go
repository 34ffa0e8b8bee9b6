package eiptest

import (
	"testing"

	"github.com/eipctl/eipctl/pkg/eip"
)

// CheckRules is the one table test every cloud's classification table
// passes: the table and the test's own list (want: code -> class, written
// out again so a changed row fails) hold the same codes, and each code, sent
// through classify as the cloud would answer it (with suffix appended, to
// test family rows through a sub-code), keeps its code, gets its class, and
// keeps the cloud's message with a hint after it.
func CheckRules(t *testing.T, rules map[string]eip.Rule, want map[string]eip.Class, suffix string, classify func(code, msg string) *eip.Error) {
	t.Helper()
	for code := range rules {
		if _, ok := want[code]; !ok {
			t.Errorf("table row %s is not in the test's list", code)
		}
	}
	for code, class := range want {
		rule, ok := rules[code]
		if !ok {
			t.Errorf("%s is missing from the table", code)
			continue
		}
		full := code + suffix
		msg := "message of " + full
		got := classify(full, msg)
		if got.Class != class || got.Code != full {
			t.Errorf("%s -> %s %s, want %s with the code unchanged", full, got.Class, got.Code, class)
		}
		if len(rule.Hint) < 20 || got.Message != msg+" ("+rule.Hint+")" {
			t.Errorf("%s: message %q should be the cloud's message followed by its hint", full, got.Message)
		}
	}
}

// Syntax is a small cloud's ID syntax for tests of validation: three
// regions, eip- and i- IDs in lower case, private IPs for ENIs only.
var Syntax = &eip.Syntax{
	Regions:   []string{"cn-hangzhou", "cn-shanghai", "eu-west-1"},
	EIP:       eip.IDRule{Prefix: "eip-", Lower: true},
	Targets:   map[eip.TargetType]eip.IDRule{eip.Instance: {Prefix: "i-", Lower: true}},
	PrivateIP: []eip.TargetType{eip.ENI},
}
