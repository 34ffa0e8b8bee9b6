package emulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

const (
	algorithm = "TC3-HMAC-SHA256"
	// window is how far X-TC-Timestamp may be from the server's clock.
	window = 5 * time.Minute
)

// authorization is a parsed TC3 Authorization header.
type authorization struct {
	SecretID      string
	Date          string // YYYY-MM-DD of the credential scope
	Service       string // taken from the scope: Go signs "vpc", Node the first host label
	SignedHeaders []string
	Signature     string
}

func parseAuthorization(h string) (authorization, *apiError) {
	var a authorization
	alg, rest, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || alg != algorithm {
		return a, errorf(codeInvalidAuth, "The Authorization header must use %s (got %q): sign requests with API 3.0 (TC3).", algorithm, alg)
	}
	for _, part := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Credential":
			scope := strings.Split(v, "/")
			if len(scope) != 4 || scope[3] != "tc3_request" {
				return a, errorf(codeInvalidAuth, "The Credential %q must be SecretId/Date/Service/tc3_request.", v)
			}
			a.SecretID, a.Date, a.Service = scope[0], scope[1], scope[2]
		case "SignedHeaders":
			a.SignedHeaders = strings.Split(v, ";")
		case "Signature":
			a.Signature = v
		}
	}
	if a.SecretID == "" || a.Signature == "" || len(a.SignedHeaders) == 0 {
		return a, errorf(codeInvalidAuth, "The Authorization header lacks Credential, SignedHeaders or Signature.")
	}
	return a, nil
}

// hashHex is the lower-case hex SHA-256 of b.
func hashHex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func hmacSHA256(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

// stringToSign is TC3's second step, over a finished canonical request.
func stringToSign(timestamp int64, date, service, canonicalRequest string) string {
	return algorithm + "\n" + strconv.FormatInt(timestamp, 10) + "\n" +
		date + "/" + service + "/tc3_request\n" + hashHex([]byte(canonicalRequest))
}

// signature is TC3's signature: HMAC chain over date, service and "tc3_request".
func signature(secretKey, date, service, toSign string) string {
	k := hmacSHA256([]byte("TC3"+secretKey), date)
	k = hmacSHA256(k, service)
	k = hmacSHA256(k, "tc3_request")
	return hex.EncodeToString(hmacSHA256(k, toSign))
}

// canonicalRequest is TC3's first step; values are the signed headers'
// values, in the order of names.
func canonicalRequest(method, uri, query string, names, values []string, payloadHash string) string {
	var ch strings.Builder
	for i, n := range names {
		ch.WriteString(n + ":" + values[i] + "\n")
	}
	return method + "\n" + uri + "\n" + query + "\n" + ch.String() + "\n" +
		strings.Join(names, ";") + "\n" + payloadHash
}

// verify checks a TC3-HMAC-SHA256 request against the one accepted
// credential. It tolerates what the official SDKs differ on: the Go SDK signs
// the host with its port and URI "/", the Node SDK the host without the port,
// the real path, and a service taken from the first host label. Replayed
// identical requests are accepted, as the Go SDK's own retry re-sends them.
func verify(r *http.Request, body []byte, id, secret string, now time.Time) (string, *apiError) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "", errorf(codeInvalidAuth, "The request carries no Authorization header: sign it with TC3-HMAC-SHA256.")
	}
	a, aerr := parseAuthorization(h)
	if aerr != nil {
		return "", aerr
	}
	if a.SecretID != id {
		return a.SecretID, errorf(codeSecretIDNotFound, "The SecretId is not found: check TENCENTCLOUD_SECRET_ID (the emulator prints the key it accepts when it starts).")
	}
	ts, err := strconv.ParseInt(r.Header.Get("X-TC-Timestamp"), 10, 64)
	if err != nil {
		return a.SecretID, errorf(codeMissingParameter, "The request is missing a valid X-TC-Timestamp header.")
	}
	if d := now.Sub(time.Unix(ts, 0)); d > window || d < -window {
		return a.SecretID, errorf(codeSignatureExpire, "The signature expired: the request timestamp %d is more than 5 minutes from the server time %d. Check the local clock.", ts, now.Unix())
	}
	if time.Unix(ts, 0).UTC().Format("2006-01-02") != a.Date {
		return a.SecretID, errorf(codeSignatureFailure, "The credential scope date %s does not match X-TC-Timestamp %d.", a.Date, ts)
	}

	payload := hashHex(body)
	if r.Header.Get("X-TC-Content-SHA256") == "UNSIGNED-PAYLOAD" {
		payload = hashHex([]byte("UNSIGNED-PAYLOAD"))
	}
	hosts := []string{r.Host}
	if hn, _, err := net.SplitHostPort(r.Host); err == nil {
		hosts = append(hosts, hn)
	}
	uris := []string{"/"}
	if p := r.URL.EscapedPath(); p != "" && p != "/" {
		uris = append(uris, p)
	}
	names := make([]string, len(a.SignedHeaders))
	for i, n := range a.SignedHeaders {
		names[i] = strings.ToLower(strings.TrimSpace(n))
	}
	for _, host := range hosts {
		values := make([]string, len(names))
		for i, n := range names {
			if n == "host" {
				values[i] = host
			} else {
				values[i] = strings.TrimSpace(r.Header.Get(n))
			}
		}
		for _, uri := range uris {
			cr := canonicalRequest(r.Method, uri, r.URL.RawQuery, names, values, payload)
			want := signature(secret, a.Date, a.Service, stringToSign(ts, a.Date, a.Service, cr))
			if hmac.Equal([]byte(want), []byte(a.Signature)) {
				return a.SecretID, nil
			}
		}
	}
	return a.SecretID, errorf(codeSignatureFailure, "The provided credentials could not be validated: check TENCENTCLOUD_SECRET_KEY.")
}
