package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"testing"
)

// The worked vectors from ../shared/protocols/alibaba_tencent.md (A2.1, A2.2),
// produced by the official SDK signer with its clock and nonce pinned.
func TestSignV1Vectors(t *testing.T) {
	base := url.Values{
		"AccessKeyId": {"testAccessKeyId"}, "Format": {"JSON"}, "RegionId": {"cn-hangzhou"},
		"SignatureMethod": {"HMAC-SHA1"}, "SignatureNonce": {"3a1f5b1e-0000-4000-8000-000000000001"},
		"SignatureType": {""}, "SignatureVersion": {"1.0"}, "Timestamp": {"2024-01-01T00:00:00Z"}, "Version": {"2016-04-28"},
	}
	with := func(extra map[string]string) url.Values {
		v := url.Values{}
		for k, x := range base {
			v[k] = x
		}
		for k, x := range extra {
			v.Set(k, x)
		}
		return v
	}
	single := with(map[string]string{"Action": "AssociateEipAddress", "AllocationId": "eip-2zeerraiwb7ujsxdc",
		"InstanceId": "i-2zebb08phyczzawe", "InstanceType": "EcsInstance", "ClientToken": "token-1"})
	wantSTS := "POST&%2F&AccessKeyId%3DtestAccessKeyId%26Action%3DAssociateEipAddress%26AllocationId%3Deip-2zeerraiwb7ujsxdc%26ClientToken%3Dtoken-1%26Format%3DJSON%26InstanceId%3Di-2zebb08phyczzawe%26InstanceType%3DEcsInstance%26RegionId%3Dcn-hangzhou%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3a1f5b1e-0000-4000-8000-000000000001%26SignatureType%3D%26SignatureVersion%3D1.0%26Timestamp%3D2024-01-01T00%253A00%253A00Z%26Version%3D2016-04-28"
	if got := stringToSignV1("POST", single); got != wantSTS {
		t.Fatalf("string to sign:\n got %s\nwant %s", got, wantSTS)
	}
	if got := signV1("testSecret", wantSTS); got != "W2+C9gTEeMvCrOTVTQCvJ3L4Ji0=" {
		t.Fatalf("signature = %s, want W2+C9gTEeMvCrOTVTQCvJ3L4Ji0=", got)
	}
	batch := with(map[string]string{"Action": "AssociateEipAddressBatch", "InstanceIds.1": "eip-aaaa", "InstanceIds.2": "eip-bbbb",
		"BindedInstanceId": "ngw-1234", "BindedInstanceType": "Nat"})
	if got := signV1("testSecret", stringToSignV1("POST", batch)); got != "1TuWQA1NOU1Zyihc+wc8yaMHTh0=" {
		t.Fatalf("batch signature = %s, want 1TuWQA1NOU1Zyihc+wc8yaMHTh0=", got)
	}
}

func TestSignACS3Vector(t *testing.T) {
	q := url.Values{"AllocationId": {"eip-2zeerraiwb7ujsxdc"}, "InstanceId": {"i-2zebb08phyczzawe"},
		"InstanceType": {"EcsInstance"}, "RegionId": {"cn-hangzhou"}}
	h := http.Header{}
	h.Set("x-acs-action", "AssociateEipAddress")
	h.Set("x-acs-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
	h.Set("x-acs-date", "2024-01-01T00:00:00Z")
	h.Set("x-acs-signature-nonce", "3a1f5b1e-0000-4000-8000-000000000001")
	h.Set("x-acs-version", "2016-04-28")
	signed := []string{"host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"}
	canon := canonicalRequestACS3("POST", "/", q, h, "vpc.aliyuncs.com", signed, nil)
	sum := sha256.Sum256([]byte(canon))
	if got := hex.EncodeToString(sum[:]); got != "f5d43892622affc9f32c88ac776fd545a18387ff2cae529fd43c666f40874fb3" {
		t.Fatalf("hash of canonical request = %s\n%s", got, canon)
	}
	if got := signACS3("testSecret", canon); got != "756b0c09007b92e6ad9098fb49edcbc594058b3ecbd0bb66c178914a200e7cdc" {
		t.Fatalf("signature = %s", got)
	}
}
