package alibaba

import (
	"context"
	"net"
	"strings"
	"testing"

	"github.com/eipctl/eipctl/pkg/eip"
)

// A request that never reaches the cloud is transient, and its message names
// the endpoint without the signed query (access key ID, signature, nonce).
func TestUnreachableEndpointIsTransientAndShowsNoSignedURL(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	p, err := New(eip.ProviderConfig{Endpoint: "http://" + addr, Credentials: eip.Credentials{ID: "LTAIvisible", Secret: "s3cret"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Describe(context.Background(), "cn-hangzhou", []string{"eip-1"})
	if err == nil {
		t.Fatal("describe against a closed port succeeded")
	}
	ce := p.Classify(err)
	if ce.Class != eip.ClassTransient || ce.Code != "NetworkError" {
		t.Fatalf("class %s code %s, want transient NetworkError", ce.Class, ce.Code)
	}
	for _, leak := range []string{"LTAIvisible", "Signature", "SignatureNonce", "s3cret"} {
		if strings.Contains(ce.Message, leak) {
			t.Fatalf("message %q shows %s", ce.Message, leak)
		}
	}
	if !strings.Contains(ce.Message, addr) {
		t.Fatalf("message %q should name the endpoint %s", ce.Message, addr)
	}
}

func TestClassifyTable(t *testing.T) {
	for code, want := range map[string]eip.Class{
		"Throttling.User": eip.ClassThrottled, "TaskConflict": eip.ClassConflict, "IncorrectEipStatus": eip.ClassConflict,
		"InvalidAllocationId.NotFound": eip.ClassNotFound, "SignatureDoesNotMatch": eip.ClassAuth,
		"InvalidAccessKeyId.NotFound": eip.ClassAuth, "ServiceUnavailable": eip.ClassTransient,
		"InvalidAssociation.Duplicated": eip.ClassInvalid,
	} {
		if got := classes[code]; got != want {
			t.Errorf("%s: %s, want %s", code, got, want)
		}
	}
}
