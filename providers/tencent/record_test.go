package tencent

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	vpc "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/vpc/v20170312"

	"github.com/eipctl/eipctl/pkg/eip"
)

// These tests hold the adapter to the public record as the official SDK
// states it: they read the SDK's own sources from the module cache, so an
// SDK upgrade that adds a code or a status fails here until someone decides
// what it means for eipctl (docs/providers/tencent.md, "The record").

const vpcModule = "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/vpc"

// sdkFile reads one file of the vpc/v20170312 package eipctl builds with.
func sdkFile(t *testing.T, name string) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", vpcModule).Output()
	if err != nil {
		t.Fatalf("go list -m %s: %v (the SDK's sources must be in the module cache: go mod download)", vpcModule, err)
	}
	b, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "v20170312", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// declaredCodes maps each constant of the SDK's errors.go to its code.
func declaredCodes(t *testing.T) map[string]string {
	re := regexp.MustCompile(`(?m)^\s*([A-Z0-9_]+) = "([^"]+)"$`)
	out := map[string]string{}
	for _, m := range re.FindAllStringSubmatch(sdkFile(t, "errors.go"), -1) {
		out[m[1]] = m[2]
	}
	if len(out) < 100 {
		t.Fatalf("errors.go declares %d codes: the parser no longer fits the file", len(out))
	}
	return out
}

// actionCodes reads the "可能返回的错误码" (codes it may return) list the SDK
// writes above each action's WithContext method in client.go.
func actionCodes(t *testing.T, client, action string) []string {
	t.Helper()
	lines := strings.Split(client, "\n")
	head := "func (c *Client) " + action + "WithContext("
	for i, l := range lines {
		if !strings.HasPrefix(l, head) {
			continue
		}
		var codes []string
		for j := i - 1; j >= 0 && strings.HasPrefix(lines[j], "//  "); j-- {
			codes = append(codes, strings.TrimSpace(strings.TrimPrefix(lines[j], "//")))
		}
		return codes // "NAME = \"Code\"" each
	}
	t.Fatalf("client.go has no %s", head)
	return nil
}

// calledActions are the native actions eipctl calls: those it paces.
func calledActions() []string {
	var out []string
	for a := range capabilities.Limits {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

func TestEverySDKCodeIsClassified(t *testing.T) {
	declared := declaredCodes(t)
	client := sdkFile(t, "client.go")
	for _, action := range calledActions() {
		entries := actionCodes(t, client, action)
		if len(entries) == 0 {
			t.Errorf("%s: the SDK lists no error codes; the parser no longer fits client.go", action)
		}
		for _, e := range entries {
			name, quoted, _ := strings.Cut(e, " = ")
			code := strings.Trim(quoted, `"`)
			if declared[name] != code {
				t.Errorf("%s lists %s, which errors.go does not declare as %q", action, name, code)
			}
			if _, ok := rules[code]; !ok {
				t.Errorf("%s may return %s (SDK client.go), which errors.go's rules do not classify: decide its class", action, code)
			}
		}
	}
}

// The newest SDK read (testdata names it) lists more codes for these calls;
// they are classified already, so an upgrade only needs the version bump.
func TestNewestSDKCodesAreClassified(t *testing.T) {
	f, err := os.Open("testdata/sdk-vpc-v1.3.166-codes.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	for sc := bufio.NewScanner(f); sc.Scan(); {
		action, code, ok := strings.Cut(sc.Text(), " ")
		if strings.HasPrefix(action, "#") || !ok {
			continue
		}
		n++
		if _, ok := rules[code]; !ok {
			t.Errorf("%s may return %s (SDK v1.3.166), which the rules do not classify", action, code)
		}
	}
	if n < 100 {
		t.Fatalf("read %d codes from the testdata list, want its 118", n)
	}
}

// commonCodes is the "公共错误码" (common error codes) table every Tencent
// Cloud API's error code page carries, e.g. cloud.tencent.com/document/api/215/15755.
var commonCodes = []string{
	"ActionOffline", "AuthFailure.InvalidAuthorization", "AuthFailure.InvalidSecretId", "AuthFailure.MFAFailure",
	"AuthFailure.SecretIdNotFound", "AuthFailure.SignatureExpire", "AuthFailure.SignatureFailure", "AuthFailure.TokenFailure",
	"AuthFailure.UnauthorizedOperation", "DryRunOperation", "FailedOperation", "InternalError", "InvalidAction",
	"InvalidParameter", "InvalidParameterValue", "InvalidRequest", "IpInBlacklist", "IpNotInWhitelist", "LimitExceeded",
	"MissingParameter", "NoSuchProduct", "NoSuchVersion", "RequestLimitExceeded", "RequestLimitExceeded.GlobalRegionUinLimitExceeded",
	"RequestLimitExceeded.IPLimitExceeded", "RequestLimitExceeded.UinLimitExceeded", "RequestSizeLimitExceeded", "ResourceInUse",
	"ResourceInsufficient", "ResourceNotFound", "ResourceUnavailable", "ResponseSizeLimitExceeded", "ServiceUnavailable",
	"UnauthorizedOperation", "UnknownParameter", "UnsupportedOperation", "UnsupportedProtocol", "UnsupportedRegion",
}

func TestEveryCommonCodeIsClassified(t *testing.T) {
	for _, code := range commonCodes {
		if _, ok := rules[code]; !ok {
			t.Errorf("common code %s is not classified", code)
		}
	}
	// The case: a briefly unavailable service is waited out.
	if c := rules["ServiceUnavailable"].Class; !c.Retryable() {
		t.Errorf("ServiceUnavailable is %s, want a retried class", c)
	}
}

// statusStates is what every documented AddressStatus means to eipctl.
// CREATING (being allocated) and OFFLINING (being released) are neither
// free nor bound: eipctl neither binds nor unbinds such an EIP and says
// which status stopped it (IncorrectStatus).
var statusStates = map[string]eip.State{
	"CREATING":  eip.StateOther,
	"BINDING":   eip.StateAssociating,
	"BIND":      eip.StateAssociated,
	"UNBINDING": eip.StateDisassociating,
	"UNBIND":    eip.StateAvailable,
	"OFFLINING": eip.StateOther,
	"BIND_ENI":  eip.StateAssociated,
}

func TestEveryDocumentedStatusMapsOnPurpose(t *testing.T) {
	// models.go: `EIP`状态，包含'CREATING'(创建中),'BINDING'(绑定中),...
	models := sdkFile(t, "models.go")
	line := regexp.MustCompile("(?m)^\\s*// `EIP`状态，包含(.*)$").FindStringSubmatch(models)
	if line == nil {
		t.Fatal("models.go no longer documents Address.AddressStatus as this test reads it")
	}
	documented := regexp.MustCompile(`'([A-Z_]+)'`).FindAllStringSubmatch(line[1], -1)
	if len(documented) != len(statusStates) {
		t.Errorf("models.go documents %d statuses, the table here %d: %s", len(documented), len(statusStates), line[1])
	}
	for _, m := range documented {
		want, ok := statusStates[m[1]]
		if !ok {
			t.Errorf("documented status %s has no meaning here: decide its state", m[1])
			continue
		}
		if got, ok := states[m[1]]; !ok || got != want {
			t.Errorf("AddressStatus %s -> %q (mapped %v), want %s", m[1], got, ok, want)
		}
	}
	for s := range states {
		if _, ok := statusStates[s]; !ok {
			t.Errorf("states maps %s, which the SDK does not document", s)
		}
	}
}

// Tencent documents no idempotency token for these calls: if an SDK adds
// one, eipctl should start sending it (and say ClientToken: true).
func TestNoCallTakesAClientToken(t *testing.T) {
	for _, req := range []any{vpc.AssociateAddressRequest{}, vpc.DisassociateAddressRequest{},
		vpc.AssociateNatGatewayAddressRequest{}, vpc.DisassociateNatGatewayAddressRequest{},
		vpc.HaVipAssociateAddressIpRequest{}, vpc.HaVipDisassociateAddressIpRequest{}} {
		if _, ok := reflect.TypeOf(req).FieldByName("ClientToken"); ok {
			t.Errorf("%T has a ClientToken field: send it and set Capabilities.ClientToken", req)
		}
	}
	if capabilities.ClientToken {
		t.Error("Capabilities.ClientToken is true, but no Tencent call takes a token")
	}
}
