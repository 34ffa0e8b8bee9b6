package tencent

import "strings"

// regions are the regions DescribeAddresses serves, as its API page lists
// them ("This API only supports: ...", tencentcloud.com/document/product/215/16702,
// updated 2025-12-22). eipctl reads every EIP with DescribeAddresses before
// it binds, so a region that call does not serve cannot be used: the SDK's
// region list (tencentcloud/common/regions) also has ap-guangzhou-open,
// ap-mumbai, eu-moscow and na-toronto, which are left out. A region opened
// later is accepted with --allow-unknown-region or `allow-unknown-region:
// true` in the profile.
var regions = []string{
	"ap-bangkok", "ap-beijing", "ap-chengdu", "ap-chongqing", "ap-guangzhou",
	"ap-hongkong", "ap-jakarta", "ap-nanjing", "ap-seoul", "ap-shanghai",
	"ap-shanghai-fsi", "ap-shenzhen-fsi", "ap-singapore", "ap-tokyo",
	"eu-frankfurt", "na-ashburn", "na-siliconvalley", "sa-saopaulo",
}

// defaultHost is the API domain for a region when no --endpoint is given.
// Finance regions (ap-shanghai-fsi, ap-shenzhen-fsi) are isolated from the
// rest and answer only on their own domain ("If the common parameter Region
// is a Finance region, a domain name with the Finance region needs to be
// specified, for example: vpc.ap-shanghai-fsi.tencentcloudapi.com", the
// DescribeAddresses page); the SDK would send them to vpc.tencentcloudapi.com.
func defaultHost(region string) string {
	if strings.HasSuffix(region, "-fsi") {
		return "vpc." + region + ".tencentcloudapi.com"
	}
	return "" // the SDK's own: vpc.tencentcloudapi.com
}

// endpointFor is the URL a region's requests go to without --endpoint.
func endpointFor(region string) string {
	if h := defaultHost(region); h != "" {
		return "https://" + h
	}
	return "https://vpc.tencentcloudapi.com"
}
