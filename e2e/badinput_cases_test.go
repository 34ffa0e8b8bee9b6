package e2e_test

import "strings"

// The bad-input tables of TestBadInputIsRefusedBeforeAnythingIsSent, one
// function per kind of input.

// badRegions: regions each cloud does not have.
func badRegions(k badKit) []badCase {
	return []badCase{
		{"alibaba associate unknown region", k.assoc(k.at("alibaba", "cn-hangzou"), "--eip", "eip-hz0001", "--target", "i-hz0001"), "", []string{"--region cn-hangzou", "cn-hangzhou", "--allow-unknown-region"}},
		{"tencent associate unknown region", k.assoc(k.at("tencent", "ap-guangzho"), "--eip", "eip-gz000001", "--target", "ins-gz000001"), "", []string{"--region ap-guangzho", "ap-guangzhou"}},
		{"zenlayer associate unknown region", k.assoc(k.at("zenlayer", "asia-east-9"), "--eip", "eip-ae0001", "--target", "nat-ae0001"), "", []string{"--region asia-east-9"}},
		{"alibaba disassociate unknown region", k.dis(k.at("alibaba", "us-east-7"), "--eip", "eip-hz0001"), "", []string{"--region us-east-7"}},
		{"tencent disassociate unknown region", k.dis(k.at("tencent", "cn-hangzhou"), "--eip", "eip-gz000001"), "", []string{"--region cn-hangzhou", "ap-guangzhou"}},
		{"zenlayer disassociate unknown region", k.dis(k.at("zenlayer", "hkg-a"), "--eip", "eip-ae0001"), "", []string{"--region hkg-a"}},
		{"alibaba list unknown region", k.list("alibaba", "cn-hangzhou-x"), "", []string{"--region cn-hangzhou-x"}},
		{"tencent list unknown region", k.list("tencent", "ap-gz"), "", []string{"--region ap-gz"}},
		{"zenlayer list unknown region", k.list("zenlayer", "asia-east"), "", []string{"--region asia-east", "asia-east-1"}},
		{"alibaba region in capitals, even when unknown ones are allowed", k.assoc(k.at("alibaba", "CN-HANGZHOU"), "--allow-unknown-region", "--eip", "eip-hz0001", "--target", "i-hz0001"), "", []string{"--region", "not a region ID"}},
		{"tencent list region with a space", k.list("tencent", "ap guangzhou", "--allow-unknown-region"), "", []string{"--region", "not a region ID"}},
		{"zenlayer list region with a slash", k.list("zenlayer", "asia/east-1", "--allow-unknown-region"), "", []string{"--region", "not a region ID"}},
		{"alibaba --instance-region not a region", k.assoc(k.ali, "--eip", "eip-hz0001", "--target", "i-hz0001", "--instance-region", "hangzhou"), "", []string{"--instance-region hangzhou"}},
		{"tencent --instance-region not a region", k.assoc(k.ten, "--eip", "eip-gz000001", "--target", "ins-gz000001", "--instance-region", "guangzhou"), "", []string{"--instance-region guangzhou"}},
		{"zenlayer --instance-region", k.assoc(k.zen, "--eip", "eip-ae0001", "--target", "nat-ae0001", "--instance-region", "asia-east-1"), "", []string{"--instance-region"}},
	}
}

// badEIPIDs: EIP IDs no EIP of the cloud has.
func badEIPIDs(k badKit) []badCase {
	return []badCase{
		{"alibaba EIP wrong prefix", k.assoc(k.ali, "--eip", "ip-hz0001", "--target", "i-hz0001"), "", []string{"--eip", "eip-"}},
		{"tencent EIP wrong prefix", k.assoc(k.ten, "--eip", "address-gz000001", "--target", "ins-gz000001"), "", []string{"--eip", "eip-"}},
		{"alibaba EIP in capitals", k.assoc(k.ali, "--eip", "EIP-HZ0001", "--target", "i-hz0001"), "", []string{"--eip", "lower case", "eip-hz0001"}},
		{"tencent EIP in capitals", k.dis(k.ten, "--eip", "eip-GZ000001"), "", []string{"--eip", "lower case"}},
		{"alibaba EIP absurd length", k.assoc(k.ali, "--eip", "eip-"+k.long, "--target", "i-hz0001"), "", []string{"--eip", "characters long"}},
		{"tencent EIP absurd length", k.dis(k.ten, "--eip", "eip-"+k.long), "", []string{"--eip", "characters long"}},
		{"zenlayer EIP absurd length", k.assoc(k.zen, "--eip", k.long, "--target", "nat-ae0001"), "", []string{"--eip", "characters long"}},
		{"zenlayer EIP with a semicolon", k.assoc(k.zen, "--eip", "eip-ae0001;ls", "--target", "nat-ae0001"), "", []string{"--eip", "';'"}},
		{"alibaba EIP with a quote", k.assoc(k.ali, "--eip", "eip-hz0001'", "--target", "i-hz0001"), "", []string{"--eip", `'\''`}},
		{"alibaba disassociate EIP wrong prefix", k.dis(k.ali, "--eip", "i-hz0001"), "", []string{"--eip", "eip-"}},
		{"tencent disassociate EIP with a slash", k.dis(k.ten, "--eip", "eip-gz/000001"), "", []string{"--eip", "'/'"}},
		{"zenlayer disassociate EIP with a space inside", k.dis(k.zen, "--eip", "eip ae0001"), "", []string{"--eip", "' '"}},
		{"alibaba EIP address with a typo", k.assoc(k.ali, "--eip", "47.96.0.300", "--target", "i-hz0001"), "", []string{"--eip", "not a valid IP address"}},
		{"tencent EIP address cut short", k.dis(k.ten, "--eip", "119.29.0"), "", []string{"--eip", "not a valid IP address"}},
		{"alibaba empty --eip", k.assoc(k.ali, "--eip", "", "--target", "i-hz0001"), "", []string{"--eip"}},
	}
}

// badTargetIDs: target IDs that cannot be of the target type on the cloud.
func badTargetIDs(k badKit) []badCase {
	return []badCase{
		{"alibaba target prefix of another cloud", k.assoc(k.ali, "--eip", "eip-hz0001", "--target", "ins-hz0001", "--target-type", "instance"), "", []string{"--target", "i-"}},
		{"tencent target prefix of another cloud", k.assoc(k.ten, "--eip", "eip-gz000001", "--target", "i-gz000001", "--target-type", "instance"), "", []string{"--target", "ins-"}},
		{"alibaba target with a slash", k.assoc(k.ali, "--eip", "eip-hz0001", "--target", "ngw-hz0001/x"), "", []string{"--target", "'/'"}},
		{"tencent target with a colon", k.assoc(k.ten, "--eip", "eip-gz000001", "--target", "nat-gz:000001"), "", []string{"--target", "':'"}},
		{"zenlayer target with a dollar", k.assoc(k.zen, "--eip", "eip-ae0001", "--target", "nat-ae0001$"), "", []string{"--target", "'$'"}},
		{"alibaba target absurd length", k.assoc(k.ali, "--eip", "eip-hz0001", "--target", "i-"+k.long), "", []string{"--target", "characters long"}},
		{"zenlayer target absurd length", k.assoc(k.zen, "--eip", "eip-ae0001", "--target", "nat-"+k.long), "", []string{"--target", "characters long"}},
	}
}

// badPrivateIPs: private IPs: malformed, or on a target type that takes none.
func badPrivateIPs(k badKit) []badCase {
	return []badCase{
		{"alibaba --private-ip on an instance", k.assoc(k.ali, "--eip", "eip-hz0001", "--target", "i-hz0001", "--private-ip", "10.1.9.11"), "", []string{"--private-ip", "instance"}},
		{"alibaba --private-ip on a NAT gateway", k.assoc(k.ali, "--eip", "eip-hz0001", "--target", "ngw-hz0001", "--private-ip", "10.1.9.11"), "", []string{"--private-ip", "nat"}},
		{"alibaba --private-ip malformed", k.assoc(k.ali, "--eip", "eip-hz0001", "--target", "eni-hz0001", "--private-ip", "10.1.9.256"), "", []string{"--private-ip", "IPv4"}},
		{"tencent --private-ip malformed", k.assoc(k.ten, "--eip", "eip-gz000001", "--target", "eni-gz000001", "--private-ip", "10.1.9"), "", []string{"--private-ip", "IPv4"}},
		{"tencent --private-ip IPv6", k.assoc(k.ten, "--eip", "eip-gz000001", "--target", "eni-gz000001", "--private-ip", "fd00::5"), "", []string{"--private-ip", "IPv4"}},
		{"tencent --private-ip a public address", k.assoc(k.ten, "--eip", "eip-gz000001", "--target", "eni-gz000001", "--private-ip", "8.8.8.8"), "", []string{"--private-ip 8.8.8.8 is not a private address", "10.0.0.0/8"}},
		{"zenlayer --private-ip 0.0.0.0", k.assoc(k.zen, "--eip", "eip-ae0001", "--target", "nic-ae0001", "--private-ip", "0.0.0.0"), "", []string{"--private-ip 0.0.0.0", "never a target's private IP"}},
		{"tencent --private-ip broadcast", k.assoc(k.ten, "--eip", "eip-gz000001", "--target", "eni-gz000001", "--private-ip", "255.255.255.255"), "", []string{"--private-ip 255.255.255.255", "broadcast"}},
		{"alibaba --private-ip loopback", k.assoc(k.ali, "--eip", "eip-hz0001", "--target", "eni-hz0001", "--private-ip", "127.0.0.1"), "", []string{"--private-ip 127.0.0.1 is a loopback address"}},
		{"alibaba --private-ip in 100.64.0.0/10", k.assoc(k.ali, "--eip", "eip-hz0001", "--target", "eni-hz0001", "--private-ip", "100.64.1.1"), "", []string{"--private-ip 100.64.1.1", "100.64.0.0/10"}},
		{"zenlayer plan privateIp a public address", k.assoc(k.ep, "-f", k.plan("pub.yaml", "bindings:\n  - {provider: zenlayer, region: asia-east-1, eip: eip-ae0001, target: nic-ae0001, privateIp: 8.8.8.8}\n")), "", []string{"item 1 (line 2)", "--private-ip 8.8.8.8 is not a private address"}},
		{"zenlayer --private-ip malformed", k.assoc(k.zen, "--eip", "eip-ae0001", "--target", "nic-ae0001", "--private-ip", "ten.one.one.ten"), "", []string{"--private-ip", "IPv4"}},
	}
}

// contradictingFlags: flags that contradict each other.
func contradictingFlags(k badKit) []badCase {
	return []badCase{
		{"alibaba --wait with --no-wait", k.assoc(k.ali, "--eip", "eip-hz0001", "--target", "i-hz0001", "--wait", "--no-wait"), "", []string{"--wait", "--no-wait"}},
		{"tencent disassociate --wait with --no-wait", k.dis(k.ten, "--eip", "eip-gz000001", "--no-wait", "--wait=true"), "", []string{"--wait", "--no-wait"}},
		{"zenlayer --wait with --no-wait", k.assoc(k.zen, "--eip", "eip-ae0001", "--target", "nat-ae0001", "--no-wait", "--wait"), "", []string{"--wait", "--no-wait"}},
	}
}

// controlCharacters: control characters anywhere.
func controlCharacters(k badKit) []badCase {
	return []badCase{
		{"alibaba escape in --eip", k.assoc(k.ali, "--eip", "eip-hz0001\x1b[2J", "--target", "i-hz0001"), "", []string{"--eip", "control character"}},
		{"tencent tab in --target", k.assoc(k.ten, "--eip", "eip-gz000001", "--target", "ins-gz000001\tx"), "", []string{"--target", "control character"}},
		{"zenlayer newline in --client-token", k.assoc(k.zen, "--eip", "eip-ae0001", "--target", "nat-ae0001", "--client-token", "tok\nen"), "", []string{"--client-token", "control character"}},
		{"alibaba carriage return in --region", k.assoc(k.at("alibaba", "cn-hang\rzhou"), "--eip", "eip-hz0001", "--target", "i-hz0001"), "", []string{"--region", "control character"}},
		{"tencent newline in list --region", k.list("tencent", "ap-guangzhou\nap-shanghai"), "", []string{"--region", "control character"}},
		{"escape in --provider", k.assoc(k.at("alibaba\x1b", "cn-hangzhou"), "--eip", "eip-hz0001", "--target", "i-hz0001"), "", []string{"--provider", "control character"}},
		{"zenlayer bell in disassociate --client-token", k.dis(k.zen, "--eip", "eip-ae0001", "--client-token", "a\ab"), "", []string{"--client-token", "control character"}},
		{"alibaba right-to-left override in --target", k.assoc(k.ali, "--eip", "eip-hz0001", "--target", "i-hz0001\u202e"), "", []string{"--target", "control character"}},

		{"alibaba newline in --config", k.assoc(k.ali, "--config", "/tmp/eipctl\nconfig.yaml", "--eip", "eip-hz0001", "--target", "i-hz0001"), "", []string{"--config", "control character"}},
		{"tencent escape in --state-dir", k.dis(k.ten, "--state-dir", "/tmp/x\x1b[2Jy", "--eip", "eip-gz000001"), "", []string{"--state-dir", "control character"}},
		{"zenlayer newline in --lock", k.assoc(k.zen, "--lock", "/tmp/a\nb.lock", "--eip", "eip-ae0001", "--target", "nat-ae0001"), "", []string{"--lock", "control character"}},
		{"zenlayer list with a tab in --profile", k.list("zenlayer", "asia-east-1", "--profile", "ops\tlab"), "", []string{"--profile", "control character"}},
	}
}

// eipsTwice: one EIP named twice, whatever its spelling.
func eipsTwice(k badKit) []badCase {
	return []badCase{
		{"zenlayer case variants of one EIP", k.assoc(k.zen, "--eip", "eip-ae0001,EIP-AE0001", "--target", "nat-ae0001"), "", []string{"listed twice"}},
		{"tencent one EIP with a trailing space", k.dis(k.ten, "--eip", "eip-gz000001,eip-gz000001 "), "", []string{"listed twice"}},
		{"alibaba --eip lines hold one EIP twice", k.assoc(k.ali, "--eip", "eip-hz0002\neip-hz0003\neip-hz0002\n", "--target", "ngw-hz0001"), "", []string{"item 3", "listed twice"}},
	}
}

// badReadOnly: the read-only verbs: nothing read for input no EIP could match.
func badReadOnly(k badKit) []badCase {
	return []badCase{
		{"alibaba describe unknown region", k.verb("describe", k.at("alibaba", "cn-hongkog"), "eip-hz0001"), "", []string{"--region cn-hongkog", "cn-hongkong"}},
		{"tencent describe EIP with a semicolon", k.verb("describe", k.ten, "eip-gz000001;"), "", []string{"EIP argument", "';'"}},
		{"zenlayer describe escape in the EIP", k.verb("describe", k.zen, "eip-ae0001\x1b[1m"), "", []string{"EIP argument", "control character"}},
		{"describe everywhere an absurdly long EIP", k.verb("describe", k.ep, "eip-"+k.long), "", []string{"EIP argument", "characters long"}},
		{"tencent describe region with a space", k.verb("describe", k.at("tencent", "ap shanghai"), "eip-sh000001", "--allow-unknown-region"), "", []string{"--region", "not a region ID"}},
		{"alibaba wait unknown region", k.verb("wait", k.at("alibaba", "cn-shanghia"), "eip-hz0001", "--for", "associated"), "", []string{"--region cn-shanghia", "cn-shanghai"}},
		{"tencent wait EIP in capitals", k.verb("wait", k.ten, "EIP-GZ000001", "--for", "available"), "", []string{"lower case", "eip-gz000001"}},
		{"zenlayer wait EIP with a quote", k.verb("wait", k.zen, "eip-ae0001\"", "--for", "available"), "", []string{"'\"'"}},
		{"alibaba wait control character in --target", k.verb("wait", k.ali, "eip-hz0001", "--for", "associated", "--target", "i-hz0001\x07"), "", []string{"--target", "control character"}},
		{"wait everywhere an EIP with a slash", k.verb("wait", k.ep, "eip-1/x", "--for", "available"), "", []string{"EIP argument", "'/'"}},
	}
}

// badPlans: plans: nothing in them silently dropped.
func badPlans(k badKit) []badCase {
	return []badCase{
		{"yaml plan with a second document", k.assoc(k.ep, "-f", k.plan("two.yaml", "bindings:\n  - {provider: alibaba, region: cn-hangzhou, eip: eip-hz0001, target: i-hz0001}\n---\nbindings:\n  - {provider: alibaba, region: cn-hangzhou, eip: eip-hz0002, target: i-hz0002}\n")), "", []string{"second YAML document", "line 3"}},
		{"yaml plan misspelt key inside a merge key", k.assoc(k.ep, "-f", k.plan("merge.yaml", "bindings:\n  - {<<: &common {provider: tencent, regoin: ap-guangzhou}, eip: eip-gz000001, target: ins-gz000001}\n")), "", []string{"item 1 (line 2)", `"regoin"`}},
		{"yaml plan key twice", k.assoc(k.ep, "-f", k.plan("twice.yaml", "bindings:\n  - provider: zenlayer\n    region: asia-east-1\n    eip: eip-ae0001\n    eip: eip-ae0002\n    target: nat-ae0001\n")), "", []string{"item 1 (line 2)", `"eip" given twice`}},
		{"csv plan column twice", k.assoc(k.ep, "-f", k.plan("dup.csv", "provider,region,eip,target,eip\nalibaba,cn-hangzhou,eip-hz0001,i-hz0001,eip-hz0002\n")), "", []string{"line 1", `column "eip" appears twice`}},
		{"csv plan row wider than the header", k.assoc(k.ep, "-f", k.plan("wide.csv", "provider,region,eip,target\ntencent,ap-guangzhou,eip-gz000001,ins-gz000001,ins-gz000002\n")), "", []string{"item 1 (line 2)", "5 values"}},
		{"json plan unknown key", k.assoc(k.ep, "-f", k.plan("plan.json", `{"bindings": [{"provider": "zenlayer", "region": "asia-east-1", "eip": "eip-ae0001", "tagret": "nat-ae0001"}]}`)), "", []string{"item 1 (line 1)", `"tagret"`}},
		{"json plan key twice", k.assoc(k.ep, "-f", k.plan("dup.json", "{\"bindings\": [\n  {\"provider\": \"alibaba\", \"region\": \"cn-hangzhou\", \"eip\": \"eip-hz0001\", \"target\": \"i-hz0001\", \"target\": \"i-hz0002\"}\n]}")), "", []string{"line 2", `"target" given twice`}},
		{"json plan not JSON", k.assoc(k.ep, "-f", k.plan("bad.json", "{\"bindings\": [\n  {\"eip\": \"eip-hz0001\",}\n]}")), "", []string{"line 2", "not valid JSON"}},
		{"stdin plan in an unknown region", k.assoc(k.ep, "-f", "-"), "bindings:\n  - {provider: tencent, region: ap-gaungzhou, eip: eip-gz000001, target: ins-gz000001}\n", []string{"item 1 (line 2)", "ap-gaungzhou"}},
		{"stdin csv plan with a bad target", k.assoc(k.ep, "-f", "-"), "provider,region,eip,target\nzenlayer,asia-east-1,eip-ae0001,nat-ae0001!\n", []string{"item 1 (line 2)", "--target"}},
		{"plan force not a boolean", k.assoc(k.ep, "-f", k.plan("force.yaml", "bindings:\n  - {provider: alibaba, region: cn-hangzhou, eip: eip-hz0001, target: i-hz0001, force: yes}\n")), "", []string{"item 1 (line 2)", "force"}},
		{"plan with a control character", k.assoc(k.ep, "-f", k.plan("ctl.yaml", "bindings:\n  - {provider: alibaba, region: cn-hangzhou, eip: \"eip-hz0001\\u001b[31m\", target: i-hz0001}\n")), "", []string{"item 1 (line 2)", "control character"}},
		{"disassociate plan with a malformed EIP", k.dis(k.ep, "-f", k.plan("unbind.csv", "provider,region,eip\ntencent,ap-guangzhou,eip_gz000001\n")), "", []string{"item 1 (line 2)", "--eip"}},
		{"json plan force as text", k.assoc(k.ep, "-f", k.plan("force.json", "{\"bindings\": [\n  {\"provider\": \"alibaba\", \"region\": \"cn-hangzhou\", \"eip\": \"eip-hz0001\", \"target\": \"i-hz0001\", \"force\": \"true\"}\n]}")), "", []string{"item 1 (line 2)", `force: want true or false, unquoted, not text "true"`}},
		{"json plan count as text", k.assoc(k.ep, "-f", k.plan("count.json", `{"bindings": [{"provider": "alibaba", "region": "cn-hangzhou", "pool": "eip-hz0001", "target": "i-hz0001", "count": "3"}]}`)), "", []string{"item 1 (line 1)", `count: want a whole number, unquoted (such as 3), not text "3"`}},
		{"yaml plan with a custom tag", k.assoc(k.ep, "-f", k.plan("tag.yaml", "bindings:\n  - provider: alibaba\n    region: cn-hangzhou\n    eip: eip-hz0001\n    target: !foo i-hz0001\n")), "", []string{"line 5", "target: the tag !foo is not one a plan takes"}},
		{"stdin plan larger than the limit", k.assoc(k.ep, "-f", "-"), "bindings:\n" + strings.Repeat("  - {provider: alibaba, region: cn-hangzhou, eip: eip-hz0001, target: i-hz0001}\n", 120_000), []string{"-f - (standard input)", "larger than 8 MiB", "split it"}},
		{"plan with an unknown extension", k.assoc(k.ep, "-f", k.plan("plan.txt", "provider,region,eip,target\n")), "", []string{".yaml, .yml, .json or .csv"}},
	}
}

// badClientTokens: client tokens the cloud would not take (Alibaba: at most
// 64 printable ASCII characters).
func badClientTokens(k badKit) []badCase {
	return []badCase{
		{"alibaba --client-token of 200 characters", k.assoc(k.ali, "--eip", "eip-hz0001", "--target", "i-hz0001", "--client-token", strings.Repeat("t", 200)), "", []string{"--client-token is 200 bytes long", "at most 64"}},
		{"alibaba --client-token not ASCII", k.assoc(k.ali, "--eip", "eip-hz0001", "--target", "i-hz0001", "--client-token", "jeton-été"), "", []string{"--client-token holds", "printable ASCII"}},
		{"alibaba disassociate --client-token too long", k.dis(k.ali, "--eip", "eip-hz0001", "--client-token", strings.Repeat("t", 65)), "", []string{"--client-token is 65 bytes long"}},
		{"alibaba plan clientToken with a space", k.assoc(k.ep, "-f", k.plan("tok.yaml", "bindings:\n  - {provider: alibaba, region: cn-hangzhou, eip: eip-hz0001, target: i-hz0001, clientToken: a b}\n")), "", []string{"item 1 (line 2)", "--client-token holds ' '"}},
	}
}

// badEndpoints: --endpoint values that are usage errors, not network faults.
func badEndpoints(k badKit) []badCase {
	port := []string{"--endpoint", "http://127.0.0.1:99999", "--provider", "alibaba", "--region", "cn-hangzhou"}
	return []badCase{
		{"associate --endpoint port out of range", k.assoc(port, "--eip", "eip-hz0001", "--target", "i-hz0001"), "", []string{`--endpoint "http://127.0.0.1:99999" has port 99999`, "1 to 65535"}},
		{"list --endpoint port out of range", append([]string{"eip", "list"}, port...), "", []string{"has port 99999"}},
	}
}
