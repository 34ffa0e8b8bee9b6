package alibaba

// regions are the region IDs Alibaba Cloud documents for the VPC API
// (2016-04-28), which carries the EIP calls: "Virtual Private Cloud:
// Endpoints", https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-endpoint
// (updated Jan 2026), with its Industry Cloud (finance, government) rows.
// Regions marked closed there (ap-southeast-2 Sydney, ap-south-1 Mumbai) stay
// listed: their EIPs may still need unbinding. A region opened later is
// accepted with --allow-unknown-region or `allow-unknown-region: true` in
// the profile.
var regions = []string{
	// Asia Pacific (China)
	"cn-qingdao", "cn-beijing", "cn-zhangjiakou", "cn-huhehaote", "cn-wulanchabu",
	"cn-hangzhou", "cn-shanghai", "cn-nanjing", "cn-fuzhou", "cn-shenzhen",
	"cn-heyuan", "cn-guangzhou", "cn-chengdu", "cn-hongkong", "cn-wuhan-lr",
	"cn-zhengzhou-jva", "cn-zhongwei",
	// Asia Pacific (others)
	"ap-northeast-1", "ap-northeast-2", "ap-southeast-1", "ap-southeast-2",
	"ap-southeast-3", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
	"ap-southeast-8", "ap-south-1",
	// Europe & Americas
	"us-east-1", "us-west-1", "na-south-1", "eu-west-1", "eu-central-1",
	// Middle East
	"me-east-1", "me-central-1",
	// Industry Cloud
	"cn-hangzhou-finance", "cn-shanghai-finance-1", "cn-shenzhen-finance-1",
	"cn-beijing-finance-1", "cn-north-2-gov-1",
}
