package cli

import (
	"testing"

	"github.com/eipctl/eipctl/providers/all"
)

// The doctor shows where a region's requests go: a Tencent finance region
// has its own domain (the adapter's Spec.EndpointFor), the others the
// cloud's default; --endpoint wins.
func TestDoctorShowsTheFinanceRegionsOwnDomain(t *testing.T) {
	c, err := all.Find("tencent")
	if err != nil {
		t.Fatal(err)
	}
	for region, want := range map[string]string{
		"ap-shanghai-fsi": "https://vpc.ap-shanghai-fsi.tencentcloudapi.com",
		"ap-shenzhen-fsi": "https://vpc.ap-shenzhen-fsi.tencentcloudapi.com",
		"ap-guangzhou":    "https://vpc.tencentcloudapi.com",
	} {
		if got := endpointOf(c.Spec, "", region); got != want {
			t.Errorf("%s: doctor shows %q, want %q", region, got, want)
		}
	}
	if got := endpointOf(c.Spec, "http://127.0.0.1:1", "ap-shanghai-fsi"); got != "http://127.0.0.1:1" {
		t.Errorf("with --endpoint: %q, want it", got)
	}
}
