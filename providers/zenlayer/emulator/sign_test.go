package emulator

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// vector is one worked example from the protocol notes (section 2.2): A is
// Zenlayer's own documentation example, B-F were captured from the
// unmodified official Go SDK.
type vector struct {
	name                     string
	keyID, secret            string
	contentType, host, ts    string
	action                   string
	body                     string
	payloadHash, hashedCanon string // empty where the notes give none
	signature                string
}

const (
	sdkKey    = "AKIDEXAMPLE1234"
	sdkSecret = "SecretExample5678"
	sdkHost   = "console.zenlayer.com"
	sdkCT     = "application/json"
)

var vectors = []vector{
	{
		name: "A documentation", keyID: "0D9UtpyKYcHxms5v", secret: "Gu5t9xGARNpq86cd98joQYCN3",
		contentType: "application/json; charset=utf-8", host: "console.zenlayer.com", ts: "1673361177",
		action: "DescribeInstances", body: `{"pageSize":10,"pageNum":1,"zoneId":"HKG-A"}`,
		payloadHash: "5f714687ba91c606d503467766151206392474accd137ffea6dce2420b67c29a",
		hashedCanon: "29396f9dfa0f03820b931e8aa06e20cda197e73285ebd76aceb83f7dede493ee",
		signature:   "efb356c32e55c781e10dc676da59462c22596d82e91c57803666243379555b2f",
	},
	{
		name: "B AssociateEipAddress", keyID: sdkKey, secret: sdkSecret, contentType: sdkCT, host: sdkHost, ts: "946684800",
		action: "AssociateEipAddress", body: `{"nicId":"nic-abcdef","lanIp":"10.0.0.5","eipIds":["eip-0123456789"]}`,
		payloadHash: "1b93b9a54de864020e33991b563241dfea597c681cc82dfc808507326f0a0f94",
		hashedCanon: "c403fbe4a5ef6a53ac2fe4198d43c9ffef4e2eebfd3ae56baee558fbb90b01ff",
		signature:   "6054374d6e2c20f092e91260c9613c7ffd5c5054066aceb0b003de3ef328edf1",
	},
	{
		name: "C DescribeEips empty", keyID: sdkKey, secret: sdkSecret, contentType: sdkCT, host: sdkHost, ts: "946684800",
		action: "DescribeEips", body: `{}`,
		payloadHash: "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
		hashedCanon: "2eb6d40a6d77fe762274e366f8d05626427e80b1c9e1a816d9c08676d12257a4",
		signature:   "9dbd5db625dad5586eeacbd8f83af2a35e8a69b8fba21c1b61fdbc224a2974e5",
	},
	{
		name: "D UnassociateEipAddress", keyID: sdkKey, secret: sdkSecret, contentType: sdkCT, host: sdkHost, ts: "946684800",
		action: "UnassociateEipAddress", body: `{"eipIds":["eip-0123456789"]}`,
		payloadHash: "c1777ac046558dfdb6562c1e08f857d7ee318823f65fcb884f99507dfdfbdc2d",
		hashedCanon: "ec6368f57a162facfa9c7aa0ea88b8d7712686e8b52118275ce1a8306a4ad602",
		signature:   "828d2cb0129ff5ced366306343c477d00d4a142a54f42dac4cafd0b56089cdac",
	},
	{
		name: "E DescribeEips filtered", keyID: sdkKey, secret: sdkSecret, contentType: sdkCT, host: sdkHost, ts: "946684800",
		action: "DescribeEips", body: `{"eipIds":["eip-1","eip-2"],"status":"BINDED","pageSize":100,"pageNum":1}`,
		payloadHash: "adb1f34ec2a6bbaf67ebce5829d76a3eb495ec64fa8d62d1e76829ebea169aad",
		hashedCanon: "5ac3e3b541ed4316e21a5b12e4f42abbc4892261081e0b65b8041d4279605f09",
		signature:   "7851d746e8616a863ec522465a6dad820d2a545e0955210340a295551fddccc6",
	},
	{
		name: "F real clock", keyID: sdkKey, secret: sdkSecret, contentType: sdkCT, host: sdkHost, ts: "1795298611",
		action: "AssociateEipAddress", body: `{"nicId":"nic-abcdef","lanIp":"10.0.0.5","eipIds":["eip-0123456789"]}`,
		payloadHash: "1b93b9a54de864020e33991b563241dfea597c681cc82dfc808507326f0a0f94",
		hashedCanon: "c403fbe4a5ef6a53ac2fe4198d43c9ffef4e2eebfd3ae56baee558fbb90b01ff",
		signature:   "ab7b9659588e89bafe3851be2fcfe6bb84c261eb50d609533ad51ad802674cff",
	},
}

func TestSigningReproducesEveryWorkedVector(t *testing.T) {
	for _, v := range vectors {
		t.Run(v.name, func(t *testing.T) {
			canon := CanonicalRequest(v.contentType, v.host, []byte(v.body))
			if got := sha256Hex([]byte(v.body)); got != v.payloadHash {
				t.Errorf("payload hash = %s, want %s", got, v.payloadHash)
			}
			if got := sha256Hex([]byte(canon)); got != v.hashedCanon {
				t.Errorf("hashed canonical request = %s, want %s\ncanonical request:\n%s", got, v.hashedCanon, canon)
			}
			want := "ZC2-HMAC-SHA256 Credential=" + v.keyID + ", SignedHeaders=content-type;host, Signature=" + v.signature
			if got := Authorization(v.keyID, v.secret, v.contentType, v.host, v.ts, []byte(v.body)); got != want {
				t.Errorf("Authorization =\n %s\nwant\n %s", got, want)
			}
		})
	}
}

func TestCanonicalRequestShape(t *testing.T) {
	// The notes spell out vector B's canonical request byte for byte: URI "/",
	// empty query, and an empty line before the signed-header list.
	want := "POST\n/\n\ncontent-type:application/json\nhost:console.zenlayer.com\n\ncontent-type;host\n1b93b9a54de864020e33991b563241dfea597c681cc82dfc808507326f0a0f94"
	if got := CanonicalRequest(sdkCT, sdkHost, []byte(vectors[1].body)); got != want {
		t.Fatalf("canonical request =\n%q\nwant\n%q", got, want)
	}
	wantSTS := "ZC2-HMAC-SHA256\n946684800\nc403fbe4a5ef6a53ac2fe4198d43c9ffef4e2eebfd3ae56baee558fbb90b01ff"
	if got := StringToSign("946684800", want); got != wantSTS {
		t.Fatalf("string to sign =\n%q\nwant\n%q", got, wantSTS)
	}
}

// vectorRequest rebuilds the HTTP request a vector describes, as a server
// receives it.
func vectorRequest(v vector) (*http.Request, []byte) {
	body := []byte(v.body)
	r := httptest.NewRequest(http.MethodPost, "http://"+v.host+Path, bytes.NewReader(body))
	r.Host = v.host
	r.Header.Set("Content-Type", v.contentType)
	r.Header.Set("X-ZC-Action", v.action)
	r.Header.Set("X-ZC-Timestamp", v.ts)
	r.Header.Set("X-ZC-Signature-Method", Algorithm)
	r.Header.Set("Authorization", "ZC2-HMAC-SHA256 Credential="+v.keyID+", SignedHeaders=content-type;host, Signature="+v.signature)
	return r, body
}

func at(ts string) time.Time {
	sec, _ := strconv.ParseInt(ts, 10, 64)
	return time.Unix(sec, 0)
}

func TestVerifyAcceptsEveryWorkedVector(t *testing.T) {
	for _, v := range vectors {
		r, body := vectorRequest(v)
		if err := verify(r, body, v.keyID, v.secret, at(v.ts).Add(time.Minute)); err != nil {
			t.Errorf("%s: refused: %v", v.name, err)
		}
	}
}

func TestVerifyRefusesWhatASignatureMustCatch(t *testing.T) {
	v := vectors[1]
	cases := []struct {
		name   string
		change func(r *http.Request, body *[]byte, now *time.Time, secret *string)
		want   string
	}{
		{"body changed after signing", func(r *http.Request, b *[]byte, _ *time.Time, _ *string) {
			*b = bytes.Replace(*b, []byte("10.0.0.5"), []byte("10.0.0.6"), 1)
		}, "does not match"},
		{"host changed", func(r *http.Request, _ *[]byte, _ *time.Time, _ *string) { r.Host = "console.zenlayer.com:443" }, "does not match"},
		{"content type changed", func(r *http.Request, _ *[]byte, _ *time.Time, _ *string) {
			r.Header.Set("Content-Type", "application/json; charset=utf-8")
		}, "does not match"},
		{"timestamp changed", func(r *http.Request, _ *[]byte, _ *time.Time, _ *string) { r.Header.Set("X-ZC-Timestamp", "946684801") }, "does not match"},
		{"other secret", func(_ *http.Request, _ *[]byte, _ *time.Time, s *string) { *s = "another-secret" }, "does not match"},
		{"too old", func(_ *http.Request, _ *[]byte, now *time.Time, _ *string) { *now = now.Add(6 * time.Minute) }, "away from the emulator's clock"},
		{"from the future", func(_ *http.Request, _ *[]byte, now *time.Time, _ *string) { *now = now.Add(-6 * time.Minute) }, "away from the emulator's clock"},
		{"unknown key id", func(r *http.Request, _ *[]byte, _ *time.Time, _ *string) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), sdkKey, "AKIDOTHER", 1))
		}, "unknown to the emulator"},
		{"other signed headers", func(r *http.Request, _ *[]byte, _ *time.Time, _ *string) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "content-type;host", "host", 1))
		}, "SignedHeaders"},
		{"no signature method", func(r *http.Request, _ *[]byte, _ *time.Time, _ *string) { r.Header.Del("X-ZC-Signature-Method") }, "x-zc-signature-method"},
		{"bearer token", func(r *http.Request, _ *[]byte, _ *time.Time, _ *string) {
			r.Header.Set("Authorization", "Bearer abc")
			r.Header.Del("X-ZC-Signature-Method") // the SDK sends none with a token
		}, "Bearer"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, body := vectorRequest(v)
			now, secret := at(v.ts), v.secret
			c.change(r, &body, &now, &secret)
			err := verify(r, body, v.keyID, secret, now)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("verify = %v, want an error mentioning %q", err, c.want)
			}
		})
	}
	r, body := vectorRequest(v)
	if err := verify(r, body, v.keyID, v.secret, at(v.ts).Add(4*time.Minute)); err != nil {
		t.Fatalf("a request signed 4 minutes ago was refused: %v", err)
	}
}
