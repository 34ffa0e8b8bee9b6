package cli

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/eip/eiptest"
	"github.com/eipctl/eipctl/pkg/output"
	"github.com/eipctl/eipctl/providers/all"
)

type waitDoc struct {
	Results []struct {
		Provider, Region, EIPID, IP, TargetID, Status string
		Error                                         *struct{ Code, Class string }
	}
	Summary map[string]int
}

func decodeWait(t *testing.T, stdout string) waitDoc {
	t.Helper()
	return eiptest.DecodeJSON[waitDoc](t, stdout, "the wait report")
}

// On every cloud: a binding sent without waiting is waited for by `eip
// wait`, and so is the unbinding after it.
func TestWaitEveryCloud(t *testing.T) {
	isolate(t)
	t.Setenv("EIPCTL_SIM_BIND_DELAY", "1s")
	for _, c := range []struct{ provider, region, eip, target string }{
		{"alibaba", "cn-hangzhou", "eip-hz0001", "i-hz0001"},
		{"tencent", "ap-guangzhou", "eip-gz000001", "ins-gz000001"},
		{"zenlayer", "asia-east-1", "eip-ae0001", "nat-ae0001"},
	} {
		where := []string{"--sim", "--provider", c.provider, "--region", c.region}
		if code, _, stderr := run(t, append(append([]string{"eip", "associate"}, where...), "--eip", c.eip, "--target", c.target, "--no-wait", "-o", "json")...); code != 0 {
			t.Fatalf("%s associate: exit %d\n%s", c.provider, code, stderr)
		}
		code, stdout, stderr := run(t, append(append([]string{"eip", "wait"}, where...), c.eip, "--for", "associated", "--target", c.target, "-o", "json")...)
		d := decodeWait(t, stdout)
		if code != 0 || len(d.Results) != 1 || d.Results[0].Status != "associated" || d.Summary["reached"] != 1 {
			t.Errorf("%s wait associated: exit %d, %+v\n%s", c.provider, code, d, stderr)
		}
		if code, _, stderr := run(t, append(append([]string{"eip", "disassociate"}, where...), "--eip", c.eip, "--no-wait", "-o", "json")...); code != 0 {
			t.Fatalf("%s disassociate: exit %d\n%s", c.provider, code, stderr)
		}
		code, stdout, stderr = run(t, append(append([]string{"eip", "wait"}, where...), c.eip, "--for", "available", "-o", "json")...)
		d = decodeWait(t, stdout)
		if code != 0 || len(d.Results) != 1 || d.Results[0].Status != "disassociated" {
			t.Errorf("%s wait available: exit %d, %+v\n%s", c.provider, code, d, stderr)
		}
	}
}

func TestWaitAlreadyTimeoutAndNotFound(t *testing.T) {
	isolate(t)
	// The emulator seeds eip-hz0024 (47.96.0.25) bound to i-hz0008. Found by
	// address in every configured cloud and region, it is already so.
	code, stdout, stderr := run(t, "eip", "wait", "--sim", "47.96.0.25", "--for", "associated", "-o", "json")
	d := decodeWait(t, stdout)
	if code != 0 || len(d.Results) != 1 || d.Results[0].Status != "unchanged" || d.Results[0].Provider != "alibaba" || d.Results[0].EIPID != "eip-hz0024" {
		t.Errorf("already bound: exit %d, %+v\n%s", code, d, stderr)
	}

	code, stdout, _ = run(t, "eip", "wait", "--sim", "eip-hz0024", "--for", "associated", "--target", "i-hz0001", "--timeout", "1s", "-o", "json")
	d = decodeWait(t, stdout)
	if code != 4 || d.Results[0].Status != "timeout" || d.Summary["timedOut"] != 1 {
		t.Errorf("bound elsewhere: exit %d, %+v; want 4 and timeout", code, d)
	}

	code, stdout, _ = run(t, "eip", "wait", "--sim", "eip-nope", "eip-hz0024", "--for", "associated", "-o", "json")
	d = decodeWait(t, stdout)
	if code != 3 || len(d.Results) != 2 || d.Results[0].EIPID != "eip-nope" || d.Results[0].Status != "failed" ||
		d.Results[0].Error == nil || d.Results[0].Error.Class != "notfound" || d.Results[1].Status != "unchanged" {
		t.Errorf("one unknown: exit %d, %+v; want 3, the unknown one failed first", code, d)
	}
}

func TestWaitBadInput(t *testing.T) {
	isolate(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"eip-hz0001"}, "--for is required"},
		{[]string{"eip-hz0001", "--for", "bound"}, "--for \"bound\""},
		{[]string{"eip-hz0001", "--for", "available", "--target", "i-hz0001"}, "--target applies to --for associated"},
		{[]string{"--for", "available"}, "requires at least 1 arg"},
		{[]string{"eip-hz0001", "--for", "available", "--timeout", "soon"}, "--timeout"},
	} {
		code, stdout, stderr := run(t, append([]string{"eip", "wait", "--sim", "--provider", "alibaba", "--region", "cn-hangzhou"}, c.args...)...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 saying %q", c.args, code, stdout, stderr, c.want)
		}
	}
}

// Waiting for many EIPs reads them in batches (the engine's polling), not
// one call per EIP.
func TestWaitReadsInBatches(t *testing.T) {
	isolate(t)
	t.Setenv("FAKE_ID", "id")
	t.Setenv("FAKE_SECRET", "secret")
	var mu sync.Mutex
	var sizes []int
	reads := map[string]int{}
	p := &eiptest.Provider{
		Caps: eip.Capabilities{DescribeBatch: 3},
		DescribeFunc: func(_ context.Context, _ string, asked []string) ([]eip.Address, error) {
			mu.Lock()
			defer mu.Unlock()
			sizes = append(sizes, len(asked))
			var out []eip.Address
			for _, id := range asked {
				reads[id]++
				st := eip.StateAssociating
				if reads[id] > 1 {
					st = eip.StateAssociated
				}
				out = append(out, eip.Address{ID: id, IP: "198.51.100.200", State: st, NativeStatus: string(st), TargetID: "i-1", TargetType: eip.Instance})
			}
			return out, nil
		},
	}
	cloud := all.Cloud{Spec: eip.Spec{Name: "fake", New: func(eip.ProviderConfig) (eip.Provider, error) { return p, nil },
		Env: eip.CredentialEnv{ID: []string{"FAKE_ID"}, Secret: []string{"FAKE_SECRET"}}}}
	var ids []string
	for i := 0; i < 7; i++ {
		ids = append(ids, "eip-w"+string(rune('a'+i)))
	}
	streams, out, errb := output.Test()
	f := &Factory{Streams: streams, Version: "test", Clouds: func() []all.Cloud { return []all.Cloud{cloud} }}
	defer f.Close()
	code := Run(context.Background(), f, append([]string{"eip", "wait", "--provider", "fake", "--region", "r1", "--for", "associated", "--target", "i-1", "-o", "json"}, ids...))
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errb)
	}
	if d := decodeWait(t, out.String()); d.Summary["reached"] != 7 {
		t.Errorf("summary %v, want 7 reached", d.Summary)
	}
	mu.Lock()
	defer mu.Unlock()
	calls, most := len(sizes), 0
	for _, n := range sizes {
		most = max(most, n)
	}
	if most != 3 || calls > 2*3 {
		t.Errorf("%d Describe calls carrying %v IDs for 7 EIPs read twice each; want batches of 3 (at most 6 calls)", calls, sizes)
	}
}
