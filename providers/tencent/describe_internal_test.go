package tencent

import (
	"testing"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	vpc "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/vpc/v20170312"

	"github.com/eipctl/eipctl/pkg/eip"
)

func TestDescribe(t *testing.T) {
	w := newWorld(t, 0)
	var ids []string
	for i := 1; i <= 24; i++ {
		ids = append(ids, eipID(i))
	}
	ids = append(ids, "eip-gz999999", "not-an-eip", w.eipIP("eip-gz000001"))
	as, err := w.prov.Describe(ctx, region, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 25 {
		t.Fatalf("Describe returned %d addresses, want the 24 that exist plus the one given by IP", len(as))
	}
	w.wantCalls("DescribeAddresses", 2, "a read by IDs, then by the address filter")
	bound := as[23]
	if bound.ID != "eip-gz000024" || bound.State != eip.StateAssociated || bound.NativeStatus != "BIND" ||
		bound.TargetID != "ins-gz000008" || bound.TargetType != eip.Instance || bound.Region != region {
		t.Fatalf("seeded binding reads %+v, want eip-gz000024 associated (BIND) to instance ins-gz000008", bound)
	}
	if free := as[0]; free.State != eip.StateAvailable || free.TargetID != "" || free.IP == "" {
		t.Fatalf("unbound EIP reads %+v, want available with its IP and no target", free)
	}
}

// TestENIAttachedToAnInstanceReadsAsTheENI: the cloud names the instance in
// InstanceId when the ENI is attached to one; an EIP sent to the ENI must
// still read as bound to the ENI, or a rerun would call it bound elsewhere.
func TestENIAttachedToAnInstanceReadsAsTheENI(t *testing.T) {
	p := &Provider{}
	a := &vpc.Address{AddressId: common.StringPtr("eip-1"), AddressStatus: common.StringPtr("BIND"),
		InstanceId: common.StringPtr("ins-1"), NetworkInterfaceId: common.StringPtr("eni-2"), PrivateAddressIp: common.StringPtr("10.0.0.9")}
	got := p.toAddress(region, a)
	if got.TargetID != "ins-1" || got.TargetType != eip.Instance || !got.BoundTo("ins-1") {
		t.Fatalf("%+v, want shown on the instance ins-1", got)
	}
	if !got.BoundTo("eni-2") || got.BoundTo("eni-3") {
		t.Fatalf("%+v: want bound to its ENI eni-2 too, and not to eni-3", got)
	}
}
