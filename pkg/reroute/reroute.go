// Package reroute points the vendor SDKs' own requests for a few fixed hosts
// (instance metadata services, STS) at a test server on loopback.
//
// The SDKs hard-code those addresses (http://100.100.100.200,
// http://metadata.tencentyun.com, https://sts.aliyuncs.com) and build their
// HTTP clients from http.DefaultTransport, so the one seam they leave is that
// transport's Proxy: a routed host's requests go to the test server as to an
// HTTP proxy (plain http as absolute-URI requests, https through CONNECT).
// The SDK code runs unchanged. Nothing is routed unless an override variable
// is set, and only loopback targets are accepted, so a metadata or STS address
// is never replaced by anything but a local fake.
package reroute

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"

	"github.com/eipctl/eipctl/pkg/eip"
)

// Match picks the hosts a route covers; it gets the lower-cased host name
// without the port.
type Match func(host string) bool

// Host matches exactly one host name or IP.
func Host(name string) Match {
	name = strings.ToLower(name)
	return func(h string) bool { return h == name }
}

type route struct {
	match Match
	proxy *url.URL
}

var (
	mu        sync.Mutex
	routes    = map[string]route{}
	installed bool
)

// Route sends every request for a host that match accepts (any port)
// through the HTTP proxy at proxy. name identifies the route: routing the
// same name again replaces it, and a nil proxy removes it.
func Route(name string, match Match, proxy *url.URL) {
	mu.Lock()
	defer mu.Unlock()
	if proxy == nil {
		delete(routes, name)
		return
	}
	routes[name] = route{match, proxy}
	if installed {
		return
	}
	t, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return
	}
	installed = true
	prev := t.Proxy
	t.Proxy = func(r *http.Request) (*url.URL, error) {
		if u := Routed(r.URL.Hostname()); u != nil {
			return u, nil
		}
		if prev != nil {
			return prev(r)
		}
		return nil, nil
	}
}

// Routed reports where requests for host go, or nil when they are not routed.
func Routed(host string) *url.URL {
	host = strings.ToLower(host)
	mu.Lock()
	defer mu.Unlock()
	for _, r := range routes {
		if r.match(host) {
			return r.proxy
		}
	}
	return nil
}

// FromEnv reads the override variable name and, when it is set, routes the
// hosts match accepts through it (the route is named after the variable).
// The value must be an http:// URL of a loopback host.
func FromEnv(name string, match Match) (bool, error) {
	v := os.Getenv(name)
	if v == "" {
		Route(name, nil, nil)
		return false, nil
	}
	u, err := Loopback(v)
	if err != nil {
		return false, fmt.Errorf("%s=%q: %v (it is for tests: a fake server on this machine)", name, v, err)
	}
	Route(name, match, u)
	return true, nil
}

// Loopback parses an http://127.0.0.1:PORT style URL and refuses any other host.
func Loopback(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return nil, fmt.Errorf("want http://127.0.0.1:PORT")
	}
	if h := u.Hostname(); !eip.IsLoopback(h) {
		return nil, fmt.Errorf("host %s is not loopback: only 127.0.0.1, ::1 or localhost", h)
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host}, nil
}
