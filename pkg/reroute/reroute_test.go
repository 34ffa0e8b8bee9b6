package reroute

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestOnlyLoopbackTargets(t *testing.T) {
	for _, ok := range []string{"http://127.0.0.1:8080", "http://[::1]:9", "http://localhost:1", "http://127.1.2.3:80/ignored/path"} {
		if _, err := Loopback(ok); err != nil {
			t.Errorf("%s refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"http://100.100.100.200", "http://10.0.0.1:80", "https://127.0.0.1:443", "127.0.0.1:80", "http://metadata.tencentyun.com"} {
		if _, err := Loopback(bad); err == nil {
			t.Errorf("%s accepted as a test server", bad)
		}
	}
}

// TestRoutedRequestsReachTheFake sends a plain request for a routed host
// through http.DefaultTransport: it arrives at the loopback fake with the
// original host and path, and an unrouted host is left alone.
func TestRoutedRequestsReachTheFake(t *testing.T) {
	var got string
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r.Host + r.URL.Path }))
	defer fake.Close()
	t.Setenv("EIPCTL_TEST_ROUTE", fake.URL)
	if ok, err := FromEnv("EIPCTL_TEST_ROUTE", Host("metadata.example.invalid")); !ok || err != nil {
		t.Fatalf("FromEnv: %v %v", ok, err)
	}
	defer Route("EIPCTL_TEST_ROUTE", nil, nil)
	resp, err := http.Get("http://metadata.example.invalid/latest/meta-data/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got != "metadata.example.invalid/latest/meta-data/" {
		t.Fatalf("the fake saw %q", got)
	}
	if Routed("other.example.invalid") != nil {
		t.Error("an unrouted host is routed")
	}
	t.Setenv("EIPCTL_TEST_ROUTE", "")
	FromEnv("EIPCTL_TEST_ROUTE", Host("metadata.example.invalid"))
	if Routed("metadata.example.invalid") != nil {
		t.Error("unsetting the variable kept the route")
	}
}
