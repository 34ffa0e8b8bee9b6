package emulator

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
)

// percentEncode is RFC 3986 encoding as Alibaba signs it: only A-Z a-z 0-9 - _ . ~
// stay literal, and space is %20.
func percentEncode(s string) string {
	e := url.QueryEscape(s)
	e = strings.ReplaceAll(e, "+", "%20")
	e = strings.ReplaceAll(e, "*", "%2A")
	return strings.ReplaceAll(e, "%7E", "~")
}

// stringToSignV1 builds the RPC v1 string to sign from every parameter
// (query and form body merged), empty values included, Signature excluded.
func stringToSignV1(method string, params url.Values) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		if k != "Signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	pairs := make([]string, 0, len(keys))
	for _, k := range keys {
		pairs = append(pairs, percentEncode(k)+"="+percentEncode(params.Get(k)))
	}
	return method + "&" + percentEncode("/") + "&" + percentEncode(strings.Join(pairs, "&"))
}

// signV1 is Base64(HMAC-SHA1(secret + "&", stringToSign)).
func signV1(secret, stringToSign string) string {
	m := hmac.New(sha1.New, []byte(secret+"&"))
	m.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// acs3 is a parsed ACS3-HMAC-SHA256 Authorization header.
type acs3 struct {
	accessKeyID   string
	signedHeaders []string
	signature     string
}

func parseACS3(h string) (acs3, bool) {
	rest, ok := strings.CutPrefix(h, "ACS3-HMAC-SHA256 ")
	if !ok {
		return acs3{}, false
	}
	var a acs3
	for _, part := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Credential":
			a.accessKeyID = v
		case "SignedHeaders":
			a.signedHeaders = strings.Split(v, ";")
		case "Signature":
			a.signature = v
		}
	}
	return a, a.accessKeyID != "" && a.signature != "" && len(a.signedHeaders) > 0
}

// canonicalRequestACS3 follows openapi-core's getAuthorization: sorted query
// with RFC 3986 values, the signed headers lower-cased with trimmed values,
// and the hex SHA-256 of the body.
func canonicalRequestACS3(method, path string, query url.Values, header http.Header, host string, signed []string, body []byte) string {
	keys := slices.Sorted(maps.Keys(query))
	pairs := make([]string, 0, len(keys))
	for _, k := range keys {
		pairs = append(pairs, k+"="+percentEncode(query.Get(k)))
	}
	var hs strings.Builder
	for _, name := range signed {
		v := header.Get(name)
		if name == "host" {
			v = host
		}
		hs.WriteString(name + ":" + strings.TrimSpace(v) + "\n")
	}
	sum := sha256.Sum256(body)
	if path == "" {
		path = "/"
	}
	return strings.Join([]string{method, path, strings.Join(pairs, "&"), hs.String(), strings.Join(signed, ";"), hex.EncodeToString(sum[:])}, "\n")
}

// signACS3 is hex(HMAC-SHA256(secret, "ACS3-HMAC-SHA256\n" + hex(SHA256(canonical)))).
func signACS3(secret, canonical string) string {
	sum := sha256.Sum256([]byte(canonical))
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("ACS3-HMAC-SHA256\n" + hex.EncodeToString(sum[:])))
	return hex.EncodeToString(m.Sum(nil))
}
