package alibaba

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/eip/eiptest"
)

// testCA signs the fake STS's certificates. TestMain makes the process
// trust it through SSL_CERT_FILE before anything loads the system roots,
// which is how a user trusts a private CA too.
var testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "eipctl-ca")
	if err != nil {
		panic(err)
	}
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "eipctl test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		panic(err)
	}
	testCA.cert, _ = x509.ParseCertificate(der)
	testCA.key = key
	path := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		panic(err)
	}
	os.Setenv("SSL_CERT_FILE", path)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func leafFor(host string) (tls.Certificate, error) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: host}, DNSNames: []string{host},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, testCA.cert, &key.PublicKey, testCA.key)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}

// tunnel is a loopback HTTP proxy that accepts CONNECT for any host and
// serves handler behind TLS with a certificate for that host, as the real
// STS would.
func tunnel(handler http.Handler) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect {
			http.Error(w, "this fake only tunnels", http.StatusMethodNotAllowed)
			return
		}
		host, _, _ := net.SplitHostPort(r.Host)
		cert, err := leafFor(host)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		conn.Write([]byte("HTTP/1.1 200 Connection Established\r\n\r\n"))
		go http.Serve(&oneConn{c: tls.Server(conn, &tls.Config{Certificates: []tls.Certificate{cert}})}, handler)
	}))
}

type oneConn struct {
	c    net.Conn
	once sync.Once
}

func (l *oneConn) Accept() (net.Conn, error) {
	var c net.Conn
	l.once.Do(func() { c = l.c })
	if c == nil {
		return nil, io.EOF
	}
	return c, nil
}
func (l *oneConn) Close() error   { return nil }
func (l *oneConn) Addr() net.Addr { return l.c.LocalAddr() }

// fakeSTS answers AssumeRole, recording who asked.
type fakeSTS struct {
	mu      sync.Mutex
	calls   []string // host, caller key ID, role
	expires []time.Duration
	refuse  bool
}

func (f *fakeSTS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	f.mu.Lock()
	n := len(f.calls)
	f.calls = append(f.calls, r.Host+" "+r.Form.Get("AccessKeyId")+" "+r.Form.Get("RoleArn"))
	f.mu.Unlock()
	if r.Form.Get("Action") != "AssumeRole" || r.Form.Get("Signature") == "" {
		http.Error(w, `{"Code":"MissingParameter"}`, http.StatusBadRequest)
		return
	}
	if f.refuse {
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"RequestId":"r1","Code":"InvalidAccessKeyId.NotFound","Message":"Specified access key is not found. AccessKeyId: ` + r.Form.Get("AccessKeyId") + `"}`))
		return
	}
	exp := f.expires[min(n, len(f.expires)-1)]
	json.NewEncoder(w).Encode(map[string]any{"RequestId": "r1", "AssumedRoleUser": map[string]string{},
		"Credentials": map[string]string{"AccessKeyId": "STS.assumed" + string(rune('A'+n)), "AccessKeySecret": "assumed-secret",
			"SecurityToken": "assumed-token", "Expiration": time.Now().Add(exp).UTC().Format("2006-01-02T15:04:05Z")}})
}

func TestAssumeRoleThroughFakeSTS(t *testing.T) {
	credHome(t)
	f := &fakeSTS{expires: []time.Duration{time.Minute, time.Hour}} // the first is inside the SDK's 180s margin
	srv := tunnel(f)
	defer srv.Close()
	t.Setenv(EnvSTSEndpoint, srv.URL)
	t.Setenv("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::123456789012:role/eipctl")

	base := eip.StaticSource("environment ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET", eip.Credentials{ID: "LTAI5tBaseKey0001", Secret: "base-secret"})
	src, err := credentialChain(eip.CredentialOptions{Base: base})
	if err != nil {
		t.Fatal(err)
	}
	if want := "role acs:ram::123456789012:role/eipctl (ALIBABA_CLOUD_ROLE_ARN) assumed with environment ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET"; src.Describe != want {
		t.Errorf("describe %q, want %q", src.Describe, want)
	}
	var got []string
	for range 3 {
		c, err := src.Get(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, c.ID+"/"+c.Token)
	}
	if want := "STS.assumedA/assumed-token STS.assumedB/assumed-token STS.assumedB/assumed-token"; strings.Join(got, " ") != want {
		t.Errorf("credentials over three requests %v: want the expiring session renewed once, then kept", got)
	}
	if len(f.calls) != 2 || f.calls[0] != "sts.aliyuncs.com LTAI5tBaseKey0001 acs:ram::123456789012:role/eipctl" {
		t.Errorf("STS calls %q: want two AssumeRole calls signed with the base key", f.calls)
	}

	// Refused: exit-5 class, naming the role and the base, without the key ID STS echoed.
	f.refuse = true
	src, _ = credentialChain(eip.CredentialOptions{Base: base})
	_, err = src.Get(context.Background())
	eiptest.AssertClass(t, err, eip.ClassAuth, "InvalidAccessKeyId.NotFound", "acs:ram::123456789012:role/eipctl", "environment ALIBABA_CLOUD_ACCESS_KEY_ID")
	if strings.Contains(err.Error(), "LTAI5tBaseKey0001") {
		t.Errorf("error %q holds the full key ID", err)
	}
}

func TestAliyunRamRoleArnProfileThroughFakeSTS(t *testing.T) {
	home := credHome(t)
	f := &fakeSTS{expires: []time.Duration{time.Hour}}
	srv := tunnel(f)
	defer srv.Close()
	t.Setenv(EnvSTSEndpoint, srv.URL)
	eiptest.WriteFile(t, filepath.Join(home, ".aliyun", "config.json"), `{"current": "ops", "profiles": [{"name": "ops", "mode": "RamRoleArn",
		"access_key_id": "LTAI5tOpsKey00001", "access_key_secret": "ops-secret", "ram_role_arn": "acs:ram::123456789012:role/ops",
		"ram_session_name": "eipctl", "sts_region": "cn-shanghai"}]}`)
	src, err := credentialChain(eip.CredentialOptions{})
	if err != nil || !strings.Contains(src.Describe, "profile ops (mode RamRoleArn, role acs:ram::123456789012:role/ops)") {
		t.Fatalf("RamRoleArn profile: %v, %v", src, err)
	}
	c, err := src.Get(context.Background())
	if err != nil || c.ID != "STS.assumedA" || c.Token != "assumed-token" {
		t.Fatalf("assumed credentials %+v, %v", c, err)
	}
	if len(f.calls) != 1 || f.calls[0] != "sts.cn-shanghai.aliyuncs.com LTAI5tOpsKey00001 acs:ram::123456789012:role/ops" {
		t.Errorf("STS calls %q: want one to the profile's sts_region, signed with its key", f.calls)
	}
}
