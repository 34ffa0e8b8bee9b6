// Package metadata is the little eipctl itself asks about a cloud instance;
// the vendor SDKs fetch and refresh the role's credentials. It tells whether
// this machine is a given cloud's instance (so the metadata service is asked
// only there), and reads the name of the role attached to it (the SDKs keep
// the name to themselves; `config doctor` reports it).
package metadata

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/reroute"
)

// DMIDir is where Linux describes the machine's maker and model.
var DMIDir = "/sys/class/dmi/id"

// OnVendor tells whether the machine's DMI data names vendor, as each
// cloud's instances do ("Alibaba Cloud", "Tencent Cloud").
func OnVendor(vendor string) bool {
	for _, f := range []string{"sys_vendor", "product_name"} {
		if b, err := os.ReadFile(filepath.Join(DMIDir, f)); err == nil && strings.Contains(string(b), vendor) {
			return true
		}
	}
	return false
}

// client bounds every metadata read: off an instance the address never answers.
var client = &http.Client{Timeout: 2 * time.Second}

// Do sends one metadata request and returns the first line of the answer
// when it is 200, or an error that says what was answered.
func Do(req *http.Request) (string, error) {
	resp, err := client.Do(req)
	if err != nil {
		return "", errors.New(eip.TransportMessage(err))
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	line := strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0])
	if resp.StatusCode != http.StatusOK || line == "" {
		return "", fmt.Errorf("metadata answered HTTP %d", resp.StatusCode)
	}
	return line, nil
}

// Role decides whether to use the instance's role, and which. setting is the
// profile's instance-role ("", a name, "auto" or "off"); named is a role the
// cloud's own variable names; host is the metadata service's host; vendor is
// the word the cloud's instances carry in DMI. The metadata service is asked
// (discover, for the name) only when the role was asked for, the host is
// routed to a test server, or this machine is that cloud's instance. It
// returns "" when there is no role to use.
func Role(setting, named, host, vendor string, discover func() (string, error)) (string, error) {
	if setting == "off" {
		return "", nil
	}
	role := setting
	if role == "auto" || role == "" {
		role = named
	}
	asked := setting != "" || role != "" || reroute.Routed(host) != nil
	if !asked && !OnVendor(vendor) {
		return "", nil
	}
	if role != "" {
		return role, nil
	}
	r, err := discover()
	if err != nil && !asked {
		return "", nil // an instance without a role: no credentials here
	}
	return r, err
}
