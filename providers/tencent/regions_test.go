package tencent

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/eipctl/eipctl/pkg/eip"
)

// describeAddressesRegions is the DescribeAddresses page's "This API only
// supports" list (tencentcloud.com/document/product/215/16702, 2025-12-22).
var describeAddressesRegions = []string{
	"ap-bangkok", "ap-beijing", "ap-chengdu", "ap-chongqing", "ap-guangzhou", "ap-hongkong", "ap-jakarta",
	"ap-nanjing", "ap-seoul", "ap-shanghai", "ap-shanghai-fsi", "ap-shenzhen-fsi", "ap-singapore", "ap-tokyo",
	"eu-frankfurt", "na-ashburn", "na-siliconvalley", "sa-saopaulo",
}

func TestRegionsAreTheOnesDescribeAddressesServes(t *testing.T) {
	if !slices.Equal(slices.Sorted(slices.Values(regions)), describeAddressesRegions) {
		t.Errorf("regions = %v, want the DescribeAddresses page's %v", regions, describeAddressesRegions)
	}
	// In the SDK's region list but not served by DescribeAddresses: refused
	// as usage (exit 2, nothing sent) unless the user says they know better.
	for _, r := range []string{"ap-guangzhou-open", "ap-mumbai", "eu-moscow", "na-toronto"} {
		if err := syntax.CheckRegion("--region", r, false); !eip.IsUsage(err) {
			t.Errorf("--region %s: %v, want a usage error", r, err)
		}
		if err := syntax.CheckRegion("--region", r, true); err != nil {
			t.Errorf("--region %s with --allow-unknown-region: %v", r, err)
		}
	}
}

// Without --endpoint, a finance region's requests go to its own domain, and
// every other region's to vpc.tencentcloudapi.com. The transport answers
// itself: nothing leaves the machine.
func TestFinanceRegionsUseTheirOwnDomain(t *testing.T) {
	var mu sync.Mutex
	hosts := map[string]string{}
	rt := roundTrip(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		hosts[r.Header.Get("X-TC-Region")] = r.URL.Scheme + "://" + r.URL.Host
		mu.Unlock()
		body := `{"Response":{"TotalCount":0,"AddressSet":[],"RequestId":"r"}}`
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
	})
	p, err := New(eip.ProviderConfig{Credentials: eip.Credentials{ID: "AKIDx", Secret: "s"}, Transport: rt})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"ap-shanghai-fsi": "https://vpc.ap-shanghai-fsi.tencentcloudapi.com",
		"ap-shenzhen-fsi": "https://vpc.ap-shenzhen-fsi.tencentcloudapi.com",
		"ap-guangzhou":    "https://vpc.tencentcloudapi.com",
	}
	for r := range want {
		if _, err := p.Describe(ctx, r, []string{"eip-12345678"}); err != nil {
			t.Fatalf("%s: %v", r, err)
		}
	}
	for r, host := range want {
		if hosts[r] != host {
			t.Errorf("%s went to %q, want %q", r, hosts[r], host)
		}
		// What `config doctor` shows for the region.
		if got := Spec.EndpointFor(r); got != host {
			t.Errorf("%s: Spec.EndpointFor says %q, but requests go to %q", r, got, host)
		}
	}
}
