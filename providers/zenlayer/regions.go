package zenlayer

// regions are the ZEC region IDs Zenlayer itself names in public material:
// the zenlayercloud-sdk-go zec20250901 model comments ("asia-north-1") and
// the zenlayercloud Terraform provider's documentation and examples
// (asia-east-1, asia-southeast-1, asia-north-1, eu-west-1, na-west-1).
// Zenlayer publishes no static region table (its console and DescribeRegions
// answer at run time), so this list is known to be short: a region missing
// from it is accepted with --allow-unknown-region or
// `allow-unknown-region: true` in the profile.
var regions = []string{
	"asia-east-1", "asia-north-1", "asia-southeast-1", "eu-west-1", "na-west-1",
}
