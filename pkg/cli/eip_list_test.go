package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/providers/all"
)

// Without --provider and --region, the emulator's every cloud and region is
// listed, each row saying where it lives.
func TestListWithoutProviderOrRegionCoversEveryCloudAndRegion(t *testing.T) {
	isolate(t)
	code, stdout, stderr := run(t, "eip", "list", "--sim", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	where := map[string]int{}
	for _, e := range decodeEIPs(t, stdout).EIPs {
		where[e["provider"]+" "+e["region"]]++
	}
	for _, want := range []string{"alibaba cn-hangzhou", "alibaba cn-shanghai", "tencent ap-guangzhou", "tencent ap-shanghai",
		"tencent ap-beijing", "zenlayer asia-east-1", "zenlayer asia-north-1"} {
		if where[want] == 0 {
			t.Errorf("no rows for %s; got %v", want, where)
		}
	}
	if len(where) != 7 {
		t.Errorf("rows from %d places, want the emulator's 7 regions: %v", len(where), where)
	}

	// --provider alone: that cloud's regions only.
	_, stdout, _ = run(t, "eip", "list", "--sim", "--provider", "tencent", "-o", "json")
	for _, e := range decodeEIPs(t, stdout).EIPs {
		if e["provider"] != "tencent" {
			t.Fatalf("--provider tencent listed %v", e)
		}
	}
}

func TestListFilters(t *testing.T) {
	isolate(t)
	code, stdout, stderr := run(t, "eip", "list", "--sim", "--status", "associated", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	rows := decodeEIPs(t, stdout).EIPs
	if len(rows) == 0 {
		t.Fatal("no associated EIPs listed; the emulator seeds some in every region")
	}
	for _, e := range rows {
		if e["status"] != "associated" {
			t.Errorf("--status associated listed %s, which is %s", e["eipId"], e["status"])
		}
	}

	// The emulator seeds eip-hz0024 on i-hz0008.
	_, stdout, _ = run(t, "eip", "list", "--sim", "--provider", "alibaba", "--target", "i-hz0008", "-o", "json")
	rows = decodeEIPs(t, stdout).EIPs
	if len(rows) != 1 || rows[0]["eipId"] != "eip-hz0024" {
		t.Errorf("--target i-hz0008 listed %v, want only eip-hz0024", rows)
	}

	code, stdout, stderr = run(t, "eip", "list", "--sim", "--status", "bound")
	if code != 2 || stdout != "" || !strings.Contains(stderr, "--status") || !strings.Contains(stderr, "available, associating") {
		t.Errorf("--status bound: exit %d, stdout %q, stderr %q; want 2 naming the flag and the words", code, stdout, stderr)
	}
}

// A cloud without credentials is skipped when no --provider names it; one
// named without credentials is exit 5; none at all is exit 5.
func TestListSkipsCloudsWithoutCredentials(t *testing.T) {
	a, b := twoClouds(t)
	t.Setenv("FAKE_two_ID", "")
	t.Setenv("FAKE_two_SECRET", "")
	code, stdout, stderr := runClouds(t, []*fakeCloud{a, b}, "eip", "list", "--region", "r1", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, e := range decodeEIPs(t, stdout).EIPs {
		if e["provider"] != "one" {
			t.Errorf("listed %v from a cloud without credentials", e)
		}
	}
	if b.reads.Load() != 0 {
		t.Errorf("%d reads of the cloud without credentials", b.reads.Load())
	}

	code, _, stderr = runClouds(t, []*fakeCloud{a, b}, "eip", "list", "--region", "r1", "--provider", "two")
	if code != 5 || !strings.Contains(stderr, "FAKE_two_ID") {
		t.Errorf("--provider two without credentials: exit %d, stderr %q; want 5 naming the variables", code, stderr)
	}
	t.Setenv("FAKE_one_ID", "")
	t.Setenv("FAKE_one_SECRET", "")
	code, _, stderr = runClouds(t, []*fakeCloud{a, b}, "eip", "list", "--region", "r1")
	if code != 5 || !strings.Contains(stderr, "no provider has credentials") {
		t.Errorf("no credentials at all: exit %d, stderr %q; want 5", code, stderr)
	}
}

// One region that cannot be read does not hide the others: their rows are
// printed, the failure is on stderr, and the exit status is 3. When every
// region refuses the credentials, it is 5.
func TestListReportsUnreadableRegions(t *testing.T) {
	a, b := twoClouds(t)
	b.broken = map[string]*eip.Error{"r1": eip.Errorf(eip.ClassAuth, "AuthFailure", "the key was refused")}
	code, stdout, stderr := runClouds(t, []*fakeCloud{a, b}, "eip", "list", "--region", "r1", "-o", "json")
	if code != 3 {
		t.Errorf("exit %d, want 3", code)
	}
	if n := len(decodeEIPs(t, stdout).EIPs); n != 3 {
		t.Errorf("%d rows, want the 3 of the readable cloud", n)
	}
	if !strings.Contains(stderr, "two r1") || !strings.Contains(stderr, "the key was refused") {
		t.Errorf("stderr does not name the unreadable region and why: %q", stderr)
	}

	a.broken = b.broken
	code, stdout, _ = runClouds(t, []*fakeCloud{a, b}, "eip", "list", "--region", "r1", "-o", "json")
	if code != 5 || stdout != "" {
		t.Errorf("every region refused: exit %d, stdout %q; want 5 and nothing on stdout", code, stdout)
	}
}

// Without --region: the profile's regions list for each cloud, else the
// cloud's documented regions; a region given is checked against them.
func TestListRegionsFromTheProfile(t *testing.T) {
	a, b := twoClouds(t)
	a.eips["r2"] = []eip.Address{addr("eip-a9", "198.51.100.9", eip.StateAvailable, "")}
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(cfg, []byte("profiles:\n  default:\n    regions:\n      one: [r1, r2]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runClouds(t, []*fakeCloud{a, b}, "eip", "list", "--config", cfg, "--provider", "one", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	regions := map[string]int{}
	for _, e := range decodeEIPs(t, stdout).EIPs {
		regions[e["region"]]++
	}
	if regions["r1"] != 3 || regions["r2"] != 1 {
		t.Errorf("rows per region %v, want r1:3 r2:1 from the profile's regions.one", regions)
	}
	// The fake cloud "two" documents no regions and the profile lists none.
	code, _, stderr = runClouds(t, []*fakeCloud{a, b}, "eip", "list", "--config", cfg, "--provider", "two")
	if code != 2 || !strings.Contains(stderr, "--region is required for two") {
		t.Errorf("no region anywhere: exit %d, stderr %q", code, stderr)
	}

	isolate(t)
	code, _, stderr = run(t, "eip", "list", "--sim", "--provider", "alibaba", "--region", "cn-hangzou")
	if code != 2 || !strings.Contains(stderr, "did you mean cn-hangzhou") {
		t.Errorf("a misspelt region: exit %d, stderr %q; want 2 with a suggestion", code, stderr)
	}
}

// Against `sim serve` without --region every region each cloud documents is
// read, and the emulator knows only a few: the rows it could read are
// printed, each failed region is under "errors" in the document, stderr has
// one line per cloud (it had 59, one per region), and the exit status is 3.
func TestListEveryRegionOfAnEndpointThatKnowsFew(t *testing.T) {
	isolate(t)
	url := emulatorServer(t)
	for _, c := range all.Clouds() {
		t.Setenv(c.Spec.Env.ID[0], c.Profile.Credentials.ID)
		t.Setenv(c.Spec.Env.Secret[0], c.Profile.Credentials.Secret)
	}
	code, stdout, stderr := run(t, "eip", "list", "--endpoint", url, "-o", "json")
	if code != 3 {
		t.Fatalf("exit %d, want 3\n%s", code, stderr)
	}
	var doc struct {
		EIPs   []map[string]string `json:"eips"`
		Errors []struct {
			Provider, Region string
			Error            *eip.Error
		} `json:"errors"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("stdout: %v\n%s", err, stdout)
	}
	if len(doc.EIPs) != 7*24 {
		t.Errorf("%d rows, want the 24 EIPs of each of the emulator's 7 regions", len(doc.EIPs))
	}
	failed := map[string]bool{}
	for _, e := range doc.Errors {
		if e.Error == nil || e.Error.Class != eip.ClassNotFound || e.Region == "" {
			t.Errorf("error entry %+v: want provider, region and a notfound error object", e)
		}
		failed[e.Provider+" "+e.Region] = true
	}
	if len(doc.Errors) < 20 || !failed["alibaba cn-beijing"] || failed["alibaba cn-hangzhou"] {
		t.Errorf("%d errors (%v): want every documented region the emulator lacks, such as alibaba cn-beijing, and not cn-hangzhou", len(doc.Errors), failed)
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if len(lines) > 3 || !strings.Contains(stderr, "alibaba: ") || !strings.Contains(stderr, "cn-beijing") || !strings.Contains(stderr, "regions.alibaba") {
		t.Errorf("stderr has %d lines, want one per cloud naming the regions and the fix:\n%s", len(lines), stderr)
	}

	// Every region read: "errors" is there, empty.
	code, stdout, _ = run(t, "eip", "list", "--endpoint", url, "--provider", "alibaba", "--region", "cn-hangzhou", "-o", "json")
	if code != 0 || !strings.Contains(stdout, `"errors": []`) {
		t.Errorf("one good region: exit %d, want 0 and \"errors\": []\n%s", code, stdout)
	}
}
