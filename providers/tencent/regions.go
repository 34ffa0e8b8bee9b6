package tencent

// regions are Tencent Cloud's region IDs as the official Go SDK lists them
// (tencentcloud-sdk-go tencentcloud/common/regions, v1.3.209), which follow
// "Regions and Availability Zones", https://www.tencentcloud.com/document/product/213/6091.
// A region opened later is accepted with --allow-unknown-region or
// `allow-unknown-region: true` in the profile.
var regions = []string{
	"ap-bangkok", "ap-beijing", "ap-chengdu", "ap-chongqing", "ap-guangzhou",
	"ap-guangzhou-open", "ap-hongkong", "ap-jakarta", "ap-mumbai", "ap-seoul",
	"ap-shanghai", "ap-nanjing", "ap-shanghai-fsi", "ap-shenzhen-fsi",
	"ap-singapore", "ap-tokyo", "eu-frankfurt", "eu-moscow", "na-ashburn",
	"na-siliconvalley", "na-toronto", "sa-saopaulo",
}
