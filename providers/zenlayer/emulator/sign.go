package emulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Algorithm is the only signature method Zenlayer Cloud API 2.0 defines.
const Algorithm = "ZC2-HMAC-SHA256"

// signedHeaders is fixed: ZC2 signs content-type and host, nothing else.
const signedHeaders = "content-type;host"

// maxSkew is how far x-zc-timestamp may be from the emulator's wall clock.
// Zenlayer does not publish its window; five minutes is the common choice
// of comparable clouds and is wide enough for any honest client.
const maxSkew = 5 * time.Minute

// CanonicalRequest builds the ZC2 canonical request. The canonical URI is
// always "/", not the real path, and the query string is always empty.
func CanonicalRequest(contentType, host string, body []byte) string {
	return strings.Join([]string{
		http.MethodPost,
		"/",
		"",
		"content-type:" + contentType + "\n" + "host:" + host + "\n",
		signedHeaders,
		sha256Hex(body),
	}, "\n")
}

// StringToSign is the algorithm, the timestamp and the hashed canonical
// request; ZC2 has no credential scope.
func StringToSign(timestamp, canonicalRequest string) string {
	return Algorithm + "\n" + timestamp + "\n" + sha256Hex([]byte(canonicalRequest))
}

// Signature is the hex HMAC-SHA256 of the string to sign, keyed directly with
// the secret (ZC2 derives no key).
func Signature(secret, stringToSign string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(stringToSign))
	return hex.EncodeToString(m.Sum(nil))
}

// Authorization is the header value a client sends for these inputs.
func Authorization(keyID, secret, contentType, host, timestamp string, body []byte) string {
	sig := Signature(secret, StringToSign(timestamp, CanonicalRequest(contentType, host, body)))
	return fmt.Sprintf("%s Credential=%s, SignedHeaders=%s, Signature=%s", Algorithm, keyID, signedHeaders, sig)
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// authParts is a parsed Authorization header.
type authParts struct {
	credential, signedHeaders, signature string
}

func parseAuthorization(v string) (authParts, error) {
	rest, ok := strings.CutPrefix(v, Algorithm+" ")
	if !ok {
		if strings.HasPrefix(v, "Bearer ") {
			return authParts{}, fmt.Errorf("the emulator accepts only %s signed requests, not Bearer tokens: use an access key id and password", Algorithm)
		}
		return authParts{}, fmt.Errorf("the Authorization header must start with %q", Algorithm+" ")
	}
	var a authParts
	for _, part := range strings.Split(rest, ",") {
		k, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return authParts{}, fmt.Errorf("the Authorization header has a malformed part %q", strings.TrimSpace(part))
		}
		switch k {
		case "Credential":
			a.credential = val
		case "SignedHeaders":
			a.signedHeaders = val
		case "Signature":
			a.signature = val
		}
	}
	if a.credential == "" || a.signature == "" {
		return authParts{}, fmt.Errorf("the Authorization header needs Credential= and Signature=")
	}
	return a, nil
}

// verify checks a request's ZC2 signature over the content type and host as
// received and the raw body, so any change after signing is caught. It
// returns why a request is refused, in words a user can act on.
func verify(r *http.Request, body []byte, keyID, secret string, now time.Time) error {
	a, err := parseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		return err
	}
	if m := r.Header.Get("X-ZC-Signature-Method"); m != Algorithm {
		return fmt.Errorf("x-zc-signature-method is %q: it must be %s", m, Algorithm)
	}
	if a.signedHeaders != signedHeaders {
		return fmt.Errorf("SignedHeaders is %q: ZC2 signs exactly %q", a.signedHeaders, signedHeaders)
	}
	if a.credential != keyID {
		return fmt.Errorf("access key id %q is unknown to the emulator: use the emulator's key (see `eipctl sim inventory` or docs/providers/zenlayer.md)", a.credential)
	}
	ts := r.Header.Get("X-ZC-Timestamp")
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("x-zc-timestamp %q is not a Unix time in seconds", ts)
	}
	if skew := now.Sub(time.Unix(sec, 0)); skew > maxSkew || skew < -maxSkew {
		return fmt.Errorf("x-zc-timestamp %s is %s away from the emulator's clock (allowed: %s): check this machine's clock", ts, skew.Round(time.Second), maxSkew)
	}
	want := Signature(secret, StringToSign(ts, CanonicalRequest(r.Header.Get("Content-Type"), r.Host, body)))
	if !hmac.Equal([]byte(want), []byte(a.signature)) {
		return fmt.Errorf("the signature does not match: the access key password differs from the emulator's, or the request changed after signing")
	}
	return nil
}
