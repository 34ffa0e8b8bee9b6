package eip

import (
	"net/url"
	"regexp"
	"strings"
)

// keyIDEcho finds an access key ID where clouds echo one back: Alibaba's
// SignatureDoesNotMatch message carries the server's whole string to sign
// ("...AccessKeyId%3DLTAI...%26Action..."), and Authorization-style text
// carries "Credential=AKID.../2024-01-01/vpc/tc3_request". The name, the
// separator (plain, percent-encoded once or twice, JSON) and the value are
// captured so the value alone is masked.
var keyIDEcho = regexp.MustCompile(`(?i)(access_?key_?id|secret_?id|secret_?key_?id|credential)` +
	`(=|%3D|%253D|"\s*:\s*")` + `([A-Za-z0-9*][A-Za-z0-9_.~*\-]*)`)

// MaskKeyID keeps at most a short prefix of an access key ID: LTAI****.
func MaskKeyID(id string) string {
	if strings.HasSuffix(id, "****") && len(id) <= 8 {
		return id // masked already
	}
	if len(id) < 8 {
		return "****"
	}
	return id[:4] + "****"
}

// RedactKeyIDs masks every access key ID a message echoes, and any of the
// given known IDs (the adapter's own, in plain or URL-encoded form) wherever
// it appears, so no more than a short prefix reaches rows, stderr or logs.
func RedactKeyIDs(msg string, known ...string) string {
	msg = keyIDEcho.ReplaceAllStringFunc(msg, func(m string) string {
		sub := keyIDEcho.FindStringSubmatch(m)
		return sub[1] + sub[2] + MaskKeyID(sub[3])
	})
	for _, id := range known {
		if len(id) < 4 {
			continue // too short to find without masking ordinary words
		}
		for _, form := range []string{id, url.QueryEscape(id), url.QueryEscape(url.QueryEscape(id))} {
			msg = strings.ReplaceAll(msg, form, MaskKeyID(id))
		}
	}
	return msg
}

// Redacted returns e with key IDs masked in its message and its code (a
// cloud's answer can carry anything in its code field, and the code is
// printed with the message): e itself when nothing needed masking, else a
// copy (an *Error may be shared by rows).
func (e *Error) Redacted(known ...string) *Error {
	if e == nil {
		return nil
	}
	m, code := RedactKeyIDs(e.Message, known...), RedactKeyIDs(e.Code, known...)
	if m == e.Message && code == e.Code {
		return e
	}
	c := *e
	c.Message, c.Code = m, code
	return &c
}
