package emulator

import (
	"testing"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	vpc "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/vpc/v20170312"
)

// ReleaseAddresses shows OFFLINING and AllocateAddresses CREATING, the two
// documented statuses of an EIP's own life; neither can be bound.
func TestReleaseAndAllocateShowOfflineAndCreating(t *testing.T) {
	e, c := guangzhou(t)
	release := vpc.NewReleaseAddressesRequest()
	release.AddressIds = common.StringPtrs([]string{"eip-gz000023"}) // seeded bound
	_, err := c.ReleaseAddressesWithContext(ctx, release)
	wantCode(t, err, codeStatusNotPermit)

	release.AddressIds = common.StringPtrs([]string{"eip-gz000005"})
	if _, err := c.ReleaseAddressesWithContext(ctx, release); err != nil {
		t.Fatal(err)
	}
	if got := statusOf(t, c, "eip-gz000005"); got != "OFFLINING" {
		t.Fatalf("released EIP reads %s, want OFFLINING", got)
	}
	_, err = associate(c, "eip-gz000005", "ins-gz000001")
	wantCode(t, err, codeStatusNotPermit)

	alloc := vpc.NewAllocateAddressesRequest()
	alloc.AddressCount = common.Int64Ptr(2)
	_, err = c.AllocateAddressesWithContext(ctx, alloc)
	wantCode(t, err, "AddressQuotaLimitExceeded")
	alloc.AddressCount = common.Int64Ptr(1)
	resp, err := c.AllocateAddressesWithContext(ctx, alloc)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Response.AddressSet) != 1 || *resp.Response.AddressSet[0] != "eip-gz000005" {
		t.Fatalf("allocated %v, want the released eip-gz000005", resp.Response.AddressSet)
	}
	if got := statusOf(t, c, "eip-gz000005"); got != "CREATING" {
		t.Fatalf("allocated EIP reads %s, want CREATING", got)
	}
	_, err = associate(c, "eip-gz000005", "ins-gz000001")
	wantCode(t, err, codeStatusNotPermit)

	e.clock.Advance(creatingFor)
	if got := statusOf(t, c, "eip-gz000005"); got != "UNBIND" {
		t.Fatalf("after %s the EIP reads %s, want UNBIND", creatingFor, got)
	}
	if _, err := associate(c, "eip-gz000005", "ins-gz000001"); err != nil {
		t.Fatalf("a created EIP cannot be bound: %v", err)
	}
}
