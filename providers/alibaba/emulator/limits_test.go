package emulator

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/sim"
)

// AssociateEipAddressBatch is documented at 30 calls per 60 s: the 31st is
// throttled with Throttling.User and x-acs-retry-after in milliseconds, and
// the window slides.
func TestBatchRateLimitIsThirtyPerMinute(t *testing.T) {
	w := newWorld(t)
	batch := func(n int) *http.Request {
		// A refused batch (an unknown gateway) still counts against the limit, as on the cloud.
		return signedV1(t, http.MethodGet, w.srv.URL, map[string]string{
			"Action": "AssociateEipAddressBatch", "BindedInstanceId": "ngw-hz9999", "BindedInstanceType": "Nat", "InstanceIds.1": "eip-hz0001",
		}, fmt.Sprintf("batch-%d", n), Profile.Credentials.Secret)
	}
	for i := 0; i < 30; i++ {
		st, doc := do(t, batch(i))
		if doc["Code"] == "Throttling.User" {
			t.Fatalf("call %d of 30 throttled (%d)", i+1, st)
		}
		w.clock.Advance(time.Second)
	}
	resp, err := http.DefaultClient.Do(batch(30))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	ms, _ := strconv.Atoi(resp.Header.Get("x-acs-retry-after"))
	if resp.StatusCode != 400 || ms != 30000 {
		t.Fatalf("31st call within 60 s: %d, x-acs-retry-after %q; want 400 and 30000 (the first call leaves the window in 30 s)", resp.StatusCode, resp.Header.Get("x-acs-retry-after"))
	}
	q := w.sim.Requests()
	if last := q[len(q)-1]; last.Code != "Throttling.User" || last.Status != 400 || last.Action != "AssociateEipAddressBatch" || last.Region != region {
		t.Fatalf("request log: %+v", last)
	}
	// Other actions keep their own windows.
	if st, doc := do(t, signedV1(t, http.MethodGet, w.srv.URL, map[string]string{"Action": "DescribeEipAddresses"}, "describe", Profile.Credentials.Secret)); st != 200 {
		t.Fatalf("DescribeEipAddresses throttled by the batch window: %d %v", st, doc)
	}
	w.clock.Advance(30 * time.Second)
	if _, doc := do(t, batch(31)); doc["Code"] == "Throttling.User" {
		t.Fatal("still throttled after the first call left the window")
	}
}

// The EIP quotas page counts each limit per account, naming no region: the
// 30 batch calls of a minute are the account's, however they are split
// between regions, and the throttled call is logged under its own region.
func TestLimitsAreCountedPerAccountAcrossRegions(t *testing.T) {
	w := newWorld(t)
	batch := func(n int, in string) (int, map[string]any) {
		return do(t, signedV1(t, http.MethodGet, w.srv.URL, map[string]string{
			"Action": "AssociateEipAddressBatch", "RegionId": in, "BindedInstanceId": "ngw-xx9999", "BindedInstanceType": "Nat", "InstanceIds.1": "eip-xx0001",
		}, fmt.Sprintf("account-%d", n), Profile.Credentials.Secret))
	}
	for i := 0; i < 30; i++ {
		in := []string{"cn-hangzhou", "cn-shanghai"}[i%2]
		if _, doc := batch(i, in); doc["Code"] == "Throttling.User" {
			t.Fatalf("call %d of 30 (%s) throttled", i+1, in)
		}
	}
	if st, doc := batch(30, "cn-shanghai"); doc["Code"] != "Throttling.User" {
		t.Fatalf("31st batch call of the account within 60 s, 15 of them in cn-shanghai: %d %v, want Throttling.User (the limit is the account's, not the region's)", st, doc)
	}
	q := w.sim.Requests()
	if last := q[len(q)-1]; last.Region != "cn-shanghai" || last.Code != "Throttling.User" {
		t.Fatalf("request log: %+v, want the throttled call under cn-shanghai", last)
	}
}

func TestAlibabaContentTypeAndFaultShapes(t *testing.T) {
	w := newWorld(t)
	w.sim.Inject(sim.Fault{Kind: sim.FaultThrottle})
	resp, err := http.DefaultClient.Do(signedV1(t, http.MethodGet, w.srv.URL, map[string]string{"Action": "DescribeEipAddresses"}, "ct-1", Profile.Credentials.Secret))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "application/json;charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if resp.StatusCode != 400 || resp.Header.Get("x-acs-retry-after") == "" {
		t.Errorf("throttle fault: %d, retry-after %q", resp.StatusCode, resp.Header.Get("x-acs-retry-after"))
	}
	// drop-after-commit: the bind happens, the answer never comes.
	w.sim.Inject(sim.Fault{Kind: sim.FaultDropAfterCommit})
	noKeepAlive := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	_, err = noKeepAlive.Do(signedV1(t, http.MethodGet, w.srv.URL, map[string]string{"Action": "AssociateEipAddress", "AllocationId": "eip-hz0005", "InstanceId": "i-hz0005"}, "drop-1", Profile.Credentials.Secret))
	if err == nil {
		t.Fatal("answered through drop-after-commit")
	}
	if p := w.phase(t, "eip-hz0005"); p != sim.Associating {
		t.Fatalf("eip-hz0005 is %s: the dropped bind was not applied", p)
	}
}
