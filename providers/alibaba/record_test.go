package alibaba

import (
	"bufio"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/eipctl/eipctl/pkg/eip"
)

// documented is one line of testdata/codes.tsv: a code the record lists for
// an action, with where it says so.
type documented struct {
	source, action, code string
	status               int // 0 when the source gives none
}

func loadDocumented(t *testing.T) []documented {
	t.Helper()
	f, err := os.Open("testdata/codes.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []documented
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 4 {
			t.Fatalf("codes.tsv:%d: want SOURCE, ACTION, HTTP, CODE separated by tabs: %q", n, line)
		}
		d := documented{source: cols[0], action: cols[1], code: cols[3]}
		if cols[2] != "-" {
			if d.status, err = strconv.Atoi(cols[2]); err != nil {
				t.Fatalf("codes.tsv:%d: HTTP %q", n, cols[2])
			}
		}
		out = append(out, d)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// Every code the record documents for the calls eipctl makes has a row of
// its own in the table, decided on purpose, rather than the shape fallback;
// a code added to testdata/codes.tsv (from a newer page) fails here until
// someone decides its class. And no row is kept that the record does not
// know: the table says where each code comes from.
func TestEveryDocumentedCodeIsClassifiedOnPurpose(t *testing.T) {
	docs := loadDocumented(t)
	known := map[string]bool{}
	var missing []string
	for _, d := range docs {
		known[d.code] = true
		if _, ok := rules[d.code]; !ok {
			missing = append(missing, d.code+" ("+d.source+", "+d.action+")")
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("%d documented codes have no row in errors.go's rules:\n  %s", len(missing), strings.Join(missing, "\n  "))
	}
	var stray []string
	for code := range rules {
		if !known[code] {
			stray = append(stray, code)
		}
	}
	sort.Strings(stray)
	if len(stray) > 0 {
		t.Errorf("rows in errors.go that no source in testdata/codes.tsv lists (cite one, or drop the row): %s", strings.Join(stray, ", "))
	}
	if len(rules) != len(wantClass) {
		t.Errorf("errors.go has %d rows, errors_test.go's wantClass %d: write each decision in both", len(rules), len(wantClass))
	}
}

// Each documented code, answered with its documented HTTP status, is
// classified as the table says: the status does not change the class except
// where ruleFor means it to.
func TestDocumentedCodesAtTheirStatusGetTheirClass(t *testing.T) {
	for _, d := range loadDocumented(t) {
		status := d.status
		if status == 0 {
			status = 400
		}
		want, ok := wantClass[d.code]
		if !ok {
			continue // reported by TestEveryDocumentedCodeIsClassifiedOnPurpose
		}
		if got := classify(serverError(t, status, d.code, "m", nil)).Class; got != want {
			t.Errorf("%s at HTTP %d (%s): %s, want %s", d.code, status, d.action, got, want)
		}
	}
}

// The fixes of issue 15, each as a user meets it.
func TestBusyAndNATEntryCodesAreWaitedOutWithTheRightHint(t *testing.T) {
	for _, c := range []struct {
		code, want string
		class      eip.Class
	}{
		// "The system is busy. Try again later": waited out, not a failure.
		{"OperationFailed.SystemBusy", "busy", eip.ClassTransient},
		// An entry in an unstable state settles by itself.
		{"InvalidStatus.SnatOrDnat", "being changed", eip.ClassConflict},
		// Terraform retries these; one that stays is the user's to delete.
		{"InvalidIpStatus.HasBeenUsedBySnatTable", "delete the SNAT entries", eip.ClassConflict},
		{"InvalidIpStatus.HasBeenUsedByForwardEntry", "delete the DNAT entries", eip.ClassConflict},
		{"InvalidStatus.InstanceHasBandWidth", "public bandwidth", eip.ClassConflict},
		// A full NAT gateway: retrying cannot make room.
		{"QuotaExceeded.NumberOfEip", "quota", eip.ClassInvalid},
	} {
		got := classify(serverError(t, 400, c.code, "m", nil))
		if got.Class != c.class || !strings.Contains(got.Message, c.want) {
			t.Errorf("%s: %s %q, want %s with a hint saying %q", c.code, got.Class, got.Message, c.class, c.want)
		}
	}
}

// capacityCodes are the codes whose documented meaning is "the target holds
// as many EIPs as it may" (A and B: the NAT gateway's EIP and traffic-EIP
// quotas, an ENI's multi-EIP quota, an ENI private IP's one EIP, and
// InvalidAssociation.Duplicated, "this instance is already associated with
// an EIP"). Each must be Full, so that the engine fails only the EIPs that
// do not fit; no other code may be.
var capacityCodes = map[string]bool{
	"InvalidAssociation.Duplicated":    true,
	"QuotaExceeded.NumberOfEip":        true,
	"QuotaExceeded.NumberOfTrafficEip": true,
	"QuotaExceed.MultiBindedEip":       true,
	"InvalidEip.EipQuotaExceeded":      true,
}

func TestCapacityCodesAreMarkedFull(t *testing.T) {
	for code, r := range rules {
		if r.Capacity != capacityCodes[code] {
			t.Errorf("%s: Full %v, want %v", code, r.Capacity, capacityCodes[code])
		}
	}
	for code := range capacityCodes {
		got := classify(serverError(t, 400, code, "m", nil))
		if !got.Capacity || got.Class != eip.ClassInvalid {
			t.Errorf("%s: capacity %v class %s, want a capacity refusal classed invalid (retrying cannot make room)", code, got.Capacity, got.Class)
		}
	}
}

// Forbidden at HTTP 400 is these pages' "the eip instance owner error": the
// EIP is another account's, which new credentials will not fix (exit 1, not
// 5). At 403 it is a permission refusal.
func TestForbiddenIsOwnershipAt400AndPermissionAt403(t *testing.T) {
	if got := classify(serverError(t, 400, "Forbidden", "The eip instance owner error", nil)); got.Class != eip.ClassInvalid || !strings.Contains(got.Message, "another Alibaba account") {
		t.Errorf("400 Forbidden: %s %q, want invalid naming the other account", got.Class, got.Message)
	}
	if got := classify(serverError(t, 403, "Forbidden", "User not authorized to operate on the specified resource.", nil)); got.Class != eip.ClassAuth {
		t.Errorf("403 Forbidden: %s, want auth", got.Class)
	}
}

// documentedStatuses are the values of DescribeEipAddresses' Status
// (aliyun-openapi-meta en-US/vpc/DescribeEipAddresses.json @2563691; the
// AssociateEipAddress and UnassociateEipAddress pages name the transitional
// ones), each with the state eipctl gives it.
var documentedStatuses = map[string]eip.State{
	"Available":     eip.StateAvailable,
	"Associating":   eip.StateAssociating,
	"InUse":         eip.StateAssociated,
	"Unassociating": eip.StateDisassociating,
	"Releasing":     eip.StateOther,
}

func TestEveryDocumentedStatusMapsOnPurpose(t *testing.T) {
	for word, want := range documentedStatuses {
		got, ok := states[word]
		if !ok {
			t.Errorf("status %s has no row in status.go's states (it would read as other by accident)", word)
			continue
		}
		if got != want {
			t.Errorf("status %s -> %s, want %s", word, got, want)
		}
	}
	for word := range states {
		if _, ok := documentedStatuses[word]; !ok {
			t.Errorf("status.go maps %s, which DescribeEipAddresses does not document", word)
		}
	}
}

// The EIP quotas page counts each action's limit per account, naming no
// region: the engine must pace every region's calls of an action together.
func TestLimitsArePacedPerAccount(t *testing.T) {
	if !capabilities.AccountWide {
		t.Fatal("Capabilities.AccountWide is false: eipctl would pace each region on its own and could send an account's quota twice over")
	}
}

// docs/providers/alibaba.md's record table says the class of every code:
// it must say what the table does, for each code the table has, so that a
// decision changed here is changed there too (capacity codes say so).
func TestRecordDocAgreesWithTheTable(t *testing.T) {
	b, err := os.ReadFile("../../docs/providers/alibaba.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	i := strings.Index(doc, "\n### Error codes")
	if i < 0 {
		t.Fatal("docs/providers/alibaba.md has no '### Error codes' section")
	}
	seen := map[string]bool{}
	for _, line := range strings.Split(doc[i:], "\n") {
		cols := strings.Split(line, "|")
		if len(cols) < 7 || !strings.HasPrefix(strings.TrimSpace(cols[1]), "`") {
			continue
		}
		code := strings.Trim(strings.TrimSpace(cols[1]), "`")
		class := eip.Class(strings.Trim(strings.TrimSpace(cols[4]), "`"))
		r, ok := rules[code]
		switch {
		case !ok:
			t.Errorf("the doc's record lists %s, which errors.go's table has no row for", code)
		case r.Class != class:
			t.Errorf("%s: the doc says %s, the table %s", code, class, r.Class)
		case r.Capacity != strings.Contains(cols[5], "**capacity**"):
			t.Errorf("%s: the doc and the table disagree on whether it is a capacity refusal (Full)", code)
		}
		seen[code] = true
	}
	for code := range rules {
		if !seen[code] {
			t.Errorf("%s has a row in errors.go's table but none in the doc's record", code)
		}
	}
}
