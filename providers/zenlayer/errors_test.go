package zenlayer

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/zenlayer/zenlayercloud-sdk-go/zenlayercloud/common"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/eip/eiptest"
)

// wantClass is every code of the table with the class it must have, written
// out again so that a changed row fails here.
var wantClass = map[string]eip.Class{
	"REQUEST_LIMIT_EXCEEDED": eip.ClassThrottled,

	"SERVICE_TEMPORARY_UNAVAILABLE": eip.ClassTransient, "INTERNAL_SERVER_ERROR": eip.ClassTransient,
	"REQUEST_TIMED_OUT": eip.ClassTransient, "REQUEST_TIMEOUT": eip.ClassTransient, "INVALID_OPERATION_TIMEOUT": eip.ClassTransient,
	common.NetworkError: eip.ClassTransient, common.IoError: eip.ClassTransient, common.JsonParseError: eip.ClassTransient,

	"OPERATION_DENIED_EIP_STATUS_NOT_SUPPORT": eip.ClassConflict, "OPERATION_DENIED_EIP_NOT_ASSIGNED": eip.ClassConflict,
	"EIP_ASSOCIATE_FAILED": eip.ClassConflict, "EIP_UNASSOCIATE_FAILED": eip.ClassConflict,

	"INVALID_EIP_NOT_FOUND": eip.ClassNotFound, "OPERATION_FAILED_RESOURCE_NOT_FOUND": eip.ClassNotFound,
	"INVALID_LB_NOT_FOUND": eip.ClassNotFound, "INVALID_NIC_NOT_FOUND": eip.ClassNotFound, "INVALID_NAT_NOT_FOUND": eip.ClassNotFound,
	"INVALID_HAVIP_NOT_FOUND": eip.ClassNotFound, "INVALID_LAN_IP_NOT_FOUND": eip.ClassNotFound,
	"INVALID_INSTANCE_NOT_FOUND": eip.ClassNotFound, "INVALID_REGION_NOT_FOUND": eip.ClassNotFound,

	"INVALID_REGION_MISMATCH": eip.ClassInvalid, "INVALID_LB_STATUS": eip.ClassInvalid,
	"OPERATION_DENIED_EIP_ASSIGNED_LIMIT_EXCEEDED": eip.ClassInvalid, "OPERATION_DENIED_EIP_IS_DEFAULT": eip.ClassInvalid,
	"OPERATION_DENIED_EIP_NOT_ASSIGN_NIC": eip.ClassInvalid, "OPERATION_DENIED_EIP_NOT_SUPPORT_PASS_THROUGH_BIND_TYPE": eip.ClassInvalid,
	"OPERATION_DENIED_NIC_NOT_EXIST_INSTANCE": eip.ClassInvalid, "OPERATION_DENIED_EIP_RECYCLED": eip.ClassInvalid,
	"FAILED_OPERATION_FOR_RECYCLE_RESOURCE": eip.ClassInvalid, "INVALID_PARAMETER": eip.ClassInvalid,
	"UNSUPPORTED_OPERATION": eip.ClassInvalid, "UNSUPPORTED_HTTP_METHOD": eip.ClassInvalid,

	"AUTHFAILURE_SIGNATURE_FAILURE": eip.ClassAuth, common.CredentialMissingError: eip.ClassAuth,
}

func sdkError(code, msg string) error {
	return fmt.Errorf("wrapped: %w", &common.ZenlayerCloudSdkError{Code: code, Message: msg, RequestId: "T1"})
}

func TestEveryTableRowClassifiesWithTheCloudsWordsAndAHint(t *testing.T) {
	eiptest.CheckRules(t, rules, wantClass, "", func(code, msg string) *eip.Error { return classify(sdkError(code, msg)) })
	// Codes nobody listed, by ZEC's naming.
	for code, want := range map[string]eip.Class{
		"INVALID_VPC_NOT_FOUND": eip.ClassNotFound, "AUTHFAILURE_SECRET_KEY_ID_DISABLED": eip.ClassAuth,
		"REQUEST_QUOTA_LIMIT_EXCEEDED": eip.ClassThrottled, "SOMETHING_TEMPORARY": eip.ClassTransient, "SOMETHING_NEW": eip.ClassInvalid,
	} {
		if got := classify(sdkError(code, "m")); got.Class != want {
			t.Errorf("%s -> %s, want %s", code, got.Class, want)
		}
	}
}

func TestFailedEipIdsAreOneConflictSoTheEngineReadsAgain(t *testing.T) {
	var ids []string
	for i := 1; i <= 7; i++ {
		ids = append(ids, fmt.Sprintf("16808559910000000%02d", i))
	}
	got := eip.Classify(refused(ids, codeAssociateFailed, "T9", "refused %s (failedEipIds%s)"), "", classify)
	want := "refused 1680855991000000001, 1680855991000000002, 1680855991000000003, 1680855991000000004, 1680855991000000005 and 2 more (failedEipIds of request T9)"
	if got.Class != eip.ClassConflict || got.Code != codeAssociateFailed || got.Message != want {
		t.Errorf("refused: %+v, want conflict %s %q", got, codeAssociateFailed, want)
	}
	if refused(nil, codeUnassociateFailed, "", "%s%s") != nil {
		t.Error("no failedEipIds, yet an error")
	}
}

func TestClassifyTransportAndOwnErrors(t *testing.T) {
	if got := classify(&net.OpError{Op: "dial", Err: fmt.Errorf("connection refused")}); got.Class != eip.ClassTransient {
		t.Errorf("a dial error -> %+v, want transient", got)
	}
	if got := classify(context.DeadlineExceeded); got.Class != eip.ClassTransient {
		t.Errorf("a deadline -> %+v, want transient", got)
	}
	own := eip.Errorf(eip.ClassTransient, "REQUEST_TIMEOUT", "slow")
	if got := eip.Classify(own, "", classify); got != own {
		t.Errorf("an eipctl error was rewritten: %+v", got)
	}
	if got := classify(eip.Usagef("bad flag")); got.Class != eip.ClassInvalid {
		t.Errorf("a usage error -> %+v, want invalid", got)
	}
}

// A message echoing the key ID shows at most its first four characters
// (the conformance suite checks the emulator's signature refusals too).
func TestEchoedKeyIDIsMasked(t *testing.T) {
	const id = "ZLEMULATORKEYID1"
	p := &Provider{keyID: id}
	echo := p.Classify(sdkError("AUTHFAILURE_SIGNATURE_FAILURE", "key "+id+" in Credential="+id+", refused"))
	if strings.Contains(echo.Message, id) || strings.Count(echo.Message, id[:4]+"****") != 2 {
		t.Errorf("echoed key ID not masked: %q", echo.Message)
	}
}

// The SDK logs "[WARN] api request occurs error" to os.Stderr when a request
// fails on the way; none of it may reach eipctl's stderr. The SDK's logger
// takes os.Stderr when the client is built, so the test swaps it first.
func TestSDKWarningsStayOffStderr(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now

	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stderr
	os.Stderr = w
	p, err := New(eip.ProviderConfig{Endpoint: "http://" + addr, Credentials: eip.Credentials{ID: "id", Secret: "secret"}})
	os.Stderr = saved
	if err != nil {
		t.Fatal(err)
	}
	_, derr := p.Describe(context.Background(), region, []string{"eip-1"})
	w.Close()
	said, _ := io.ReadAll(r)
	if len(said) != 0 {
		t.Errorf("the SDK wrote to stderr: %q", said)
	}
	got := p.Classify(derr)
	if got.Class != eip.ClassTransient || got.Code != common.NetworkError || !strings.Contains(got.Message, addr) {
		t.Errorf("a refused connection -> %+v, want transient %s naming %s", got, common.NetworkError, addr)
	}
}

// ownCodes are the rows of rules that no Zenlayer record gives, each named
// for whose they are; every other row must be in testdata/codes.txt.
var ownCodes = map[string]string{
	"REQUEST_TIMEOUT":          "eipctl's: no answer within the request timeout",
	codeAssociateFailed:        "eipctl's: an EIP listed in AssociateEipAddress failedEipIds",
	codeUnassociateFailed:      "eipctl's: an EIP listed in UnassociateEipAddress failedEipIds",
	"INVALID_LAN_IP_NOT_FOUND": "the emulator's choice (docs/providers/zenlayer.md)",
	"INVALID_REGION_NOT_FOUND": "the emulator's choice",
	"INVALID_PARAMETER":        "the emulator's choice",
	"UNSUPPORTED_OPERATION":    "the emulator's choice",
	"UNSUPPORTED_HTTP_METHOD":  "the emulator's choice",
}

func TestEveryDocumentedCodeIsClassifiedOnPurpose(t *testing.T) {
	documented := map[string]bool{}
	for _, code := range recordWords(t, "testdata/codes.txt") {
		documented[code] = true
		if _, ok := rules[code]; !ok {
			t.Errorf("%s (testdata/codes.txt) has no row in errors.go's rules: give it a class on purpose (the naming fallback would say %s)", code, ruleFor(code).Class)
		}
		if _, ok := wantClass[code]; !ok {
			t.Errorf("%s has no expected class in wantClass", code)
		}
	}
	for code := range rules {
		if !documented[code] && ownCodes[code] == "" {
			t.Errorf("rules has %s, which no record gives and no one claims: add its source to testdata/codes.txt or to ownCodes", code)
		}
		if documented[code] && ownCodes[code] != "" {
			t.Errorf("%s is both documented and claimed as %s", code, ownCodes[code])
		}
	}
}

// sdkModule is the official SDK whose own sources declare the codes it makes
// or reads (zenlayercloud/common: error.go's client-side codes,
// ratelimitretry.go's REQUEST_LIMIT_EXCEEDED). Its zec20250901 package
// declares none.
const sdkModule = "github.com/zenlayer/zenlayercloud-sdk-go"

var wireCode = regexp.MustCompile(`^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$`)

// sdkCodes reads every UPPER_SNAKE string constant of the SDK's common
// package from the module cache, so a newer SDK that declares a code fails
// TestEverySDKDeclaredCodeIsClassified until someone gives it a class.
func sdkCodes(t *testing.T) map[string]string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", sdkModule).Output()
	if err != nil {
		t.Fatalf("go list -m %s: %v (the SDK's sources must be in the module cache: go mod download)", sdkModule, err)
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "zenlayercloud", "common")
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no Go files in %s: %v", dir, err)
	}
	codes := map[string]string{}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if ok && lit.Kind == token.STRING {
				if v, err := strconv.Unquote(lit.Value); err == nil && wireCode.MatchString(v) {
					codes[v] = filepath.Base(name)
				}
			}
			return true
		})
	}
	return codes
}

func TestEverySDKDeclaredCodeIsClassified(t *testing.T) {
	codes := sdkCodes(t)
	for _, want := range []string{"REQUEST_LIMIT_EXCEEDED", common.NetworkError, common.JsonParseError} {
		if codes[want] == "" {
			t.Fatalf("the SDK's common package no longer declares %s: the parse is wrong, or the SDK changed (%v)", want, codes)
		}
	}
	for code, file := range codes {
		if _, ok := rules[code]; !ok {
			t.Errorf("the SDK declares %s (zenlayercloud/common/%s) and errors.go's rules has no row for it: give it a class on purpose", code, file)
		}
	}
}
