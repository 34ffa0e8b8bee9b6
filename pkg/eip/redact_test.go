package eip_test

import (
	"strings"
	"testing"

	"github.com/eipctl/eipctl/pkg/eip"
)

func TestRedactKeyIDs(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		// Alibaba's SignatureDoesNotMatch echo of the server's string to sign.
		{"server string to sign is:POST&%2F&AccessKeyId%3DLTAI5tAbCdEfGhIjKlMn%26Action%3DDescribeEipAddresses",
			"server string to sign is:POST&%2F&AccessKeyId%3DLTAI****%26Action%3DDescribeEipAddresses"},
		{"GET /?AccessKeyId=LTAI5tAbCdEfGhIjKlMn&Action=X", "GET /?AccessKeyId=LTAI****&Action=X"},
		{"AccessKeyId%253DLTAI5tAbCdEfGhIjKlMn%2526", "AccessKeyId%253DLTAI****%2526"},
		// TC3 / ZC2 / ACS3 Authorization echoes.
		{"Authorization: TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3/2024-01-01/vpc/tc3_request, SignedHeaders=content-type;host",
			"Authorization: TC3-HMAC-SHA256 Credential=AKID****/2024-01-01/vpc/tc3_request, SignedHeaders=content-type;host"},
		{"ZC2-HMAC-SHA256 Credential=0D9UtpyKYcHxms5v, SignedHeaders", "ZC2-HMAC-SHA256 Credential=0D9U****, SignedHeaders"},
		{`{"SecretId": "AKIDz8krbsJ5yKBZQpn74WFkmLPx3"}`, `{"SecretId": "AKID****"}`},
		// Masking twice changes nothing; ordinary text stays.
		{"AccessKeyId%3DLTAI****%26", "AccessKeyId%3DLTAI****%26"},
		{"The provided credentials could not be validated.", "The provided credentials could not be validated."},
		{"Specified access key is not found.", "Specified access key is not found."},
	} {
		if got := eip.RedactKeyIDs(c.in); got != c.want {
			t.Errorf("RedactKeyIDs(%q)\n = %q\nwant %q", c.in, got, c.want)
		}
	}
}

func TestRedactKnownKeyIDAnywhere(t *testing.T) {
	const id = "ZLEMULATOR/KEY+1"
	msg := "key " + id + " refused; as sent: ZLEMULATOR%2FKEY%2B1; twice: ZLEMULATOR%252FKEY%252B1"
	got := eip.RedactKeyIDs(msg, id)
	if strings.Contains(got, "EMULATOR") {
		t.Errorf("known ID left in %q", got)
	}
	if strings.Count(got, "ZLEM****") != 3 {
		t.Errorf("%q: want the ID masked to ZLEM**** in all three forms", got)
	}
	if got := eip.RedactKeyIDs("abc is a word", "abc"); got != "abc is a word" {
		t.Errorf("a 3-letter ID masked ordinary text: %q", got)
	}
}

func TestRedactedCopiesOnlyWhenNeeded(t *testing.T) {
	clean := eip.Errorf(eip.ClassAuth, "AuthFailure", "no key here")
	if clean.Redacted("AKIDsomething") != clean {
		t.Error("an error with nothing to mask was copied")
	}
	dirty := eip.Errorf(eip.ClassAuth, "SignatureDoesNotMatch", "AccessKeyId=LTAI5tAbCdEfGhIjKlMn")
	got := dirty.Redacted()
	if got == dirty || got.Message != "AccessKeyId=LTAI****" || dirty.Message != "AccessKeyId=LTAI5tAbCdEfGhIjKlMn" {
		t.Errorf("Redacted: %q (original now %q)", got.Message, dirty.Message)
	}
	var none *eip.Error
	if none.Redacted() != nil {
		t.Error("nil error redacted to non-nil")
	}
	if got := eip.CloudError("X", "AccessKeyId=LTAI5tAbCdEfGhIjKlMn", eip.ClassAuth.With("check the key")); got.Message != "AccessKeyId=LTAI**** (check the key)" || got.Class != eip.ClassAuth {
		t.Errorf("CloudError: %+v", got)
	}
}

// A key ID in the code field is masked too: the code is printed beside the
// message (the Zenlayer response fuzzer's find, kept as its seed).
func TestRedactedMasksTheCode(t *testing.T) {
	e := &eip.Error{Code: "ZLEMULATORKEYID1", Message: "look the code up"}
	got := e.Redacted("ZLEMULATORKEYID1")
	if strings.Contains(got.Error(), "ZLEMULATORKEYID1") || e.Code != "ZLEMULATORKEYID1" {
		t.Fatalf("Redacted: %q (original code now %q)", got.Error(), e.Code)
	}
}
