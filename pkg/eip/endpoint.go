package eip

import (
	"net"
	"net/url"
	"strings"
)

// ParseEndpoint checks a --endpoint URL. Plain http is accepted only for
// loopback hosts: some SDKs default to http, and that must never carry a
// signed request to a real cloud.
func ParseEndpoint(raw string) (*url.URL, error) {
	if !strings.Contains(raw, "://") {
		return nil, Usagef("--endpoint %q has no scheme: write it as https://host[:port] (or http://127.0.0.1:PORT for the emulator)", raw)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, Usagef("--endpoint %q is not a URL: write it as https://host[:port]", raw)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !IsLoopback(u.Hostname()) {
			return nil, Usagef("--endpoint %q uses plain http to a non-loopback host: use https:// (http is allowed only for 127.0.0.1, ::1 and localhost)", raw)
		}
	default:
		return nil, Usagef("--endpoint %q has scheme %q: use https:// (or http:// for loopback)", raw, u.Scheme)
	}
	return u, nil
}

// IsLoopback reports whether host names this machine.
func IsLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
