package eip

import (
	"net"
	"net/url"
	"strconv"
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
	if port := u.Port(); port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return nil, Usagef("--endpoint %q has port %s: a port is a number from 1 to 65535", raw, port)
		}
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
