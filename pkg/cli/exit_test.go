package cli

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/eipctl/eipctl/pkg/eip"
)

func rows(statuses ...string) *eip.Report {
	rep := &eip.Report{}
	for _, s := range statuses {
		r := eip.Result{Status: eip.Status(s)}
		switch s {
		case "failed":
			r.Error = &eip.Error{Code: "X", Message: "m", Class: eip.ClassConflict}
		case "failed-auth":
			r.Status = eip.StatusFailed
			r.Error = &eip.Error{Code: "SignatureDoesNotMatch", Message: "m", Class: eip.ClassAuth}
		}
		rep.Results = append(rep.Results, r)
	}
	return rep
}

func TestOutcomeExitCodes(t *testing.T) {
	cases := []struct {
		rep  *eip.Report
		want int
	}{
		{rows("associated", "unchanged"), ExitOK},
		{rows("pending", "planned", "disassociated"), ExitOK},
		{rows("associated", "failed"), ExitPartial},
		{rows("unchanged", "timeout"), ExitPartial},
		{rows("failed", "failed"), ExitFailure},
		{rows("failed", "timeout"), ExitFailure},
		{rows("timeout", "timeout"), ExitTimeout},
		{rows("failed-auth", "failed-auth"), ExitAuth},
		{rows("failed-auth", "failed"), ExitFailure},
	}
	for _, c := range cases {
		if got := exitCode(outcome(c.rep), true); got != c.want {
			var s []string
			for _, r := range c.rep.Results {
				s = append(s, string(r.Status))
			}
			t.Errorf("%v: exit %d, want %d", s, got, c.want)
		}
	}
}

func TestErrorKindsExitCodes(t *testing.T) {
	cases := []struct {
		err  error
		ran  bool
		want int
	}{
		{nil, true, ExitOK},
		{eip.Usagef("--eip is required"), true, ExitUsage},
		{fmt.Errorf("item 2: %w", eip.Usagef("bad")), true, ExitUsage},
		{&usageError{errors.New("config")}, true, ExitUsage},
		{errors.New("unknown command \"x\""), false, ExitUsage},
		{&authError{"no credentials"}, true, ExitAuth},
		{fmt.Errorf("item 1: %w", &authError{"no credentials"}), true, ExitAuth},
		{&lockError{"held"}, true, ExitLockHeld},
		{errors.New("disk full"), true, ExitFailure},
	}
	for _, c := range cases {
		if got := exitCode(c.err, c.ran); got != c.want {
			t.Errorf("%v (ran %v): exit %d, want %d", c.err, c.ran, got, c.want)
		}
	}
}

func TestRedactHidesCredentialParameters(t *testing.T) {
	u, _ := url.Parse("http://127.0.0.1:1/?Action=DescribeEipAddresses&AccessKeyId=LTAIabc&Signature=c2ln&SecurityToken=tok&RegionId=cn-hangzhou&SignatureMethod=HMAC-SHA1&ClientToken=ct-1")
	got := redact(u)
	for _, secret := range []string{"LTAIabc", "c2ln", "tok&"} {
		if strings.Contains(got, secret) {
			t.Fatalf("redact left %q in %s", secret, got)
		}
	}
	if !strings.Contains(got, "Action=DescribeEipAddresses") || !strings.Contains(got, "RegionId=cn-hangzhou") ||
		!strings.Contains(got, "SignatureMethod=HMAC-SHA1") || !strings.Contains(got, "ClientToken=ct-1") {
		t.Fatalf("redact hid what is not secret: %s", got)
	}
}
