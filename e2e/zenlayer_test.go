package e2e_test

import (
	"strings"
	"testing"
)

// Every refusal below is found before anything is sent.
func TestZenlayerRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	where := []string{"--sim", "--provider", "zenlayer", "--region", "asia-east-1", "--eip", "eip-ae0005"}
	for _, c := range []struct {
		name     string
		args     []string
		mentions []string
	}{
		{"passthrough on a havip", []string{"--target", "havip-ae0001", "--mode", "passthrough"}, []string{"passthrough", "havip"}},
		{"vNIC without private IP", []string{"--target", "nic-ae0001"}, []string{"--private-ip"}},
		{"instance target", []string{"--target", "nic-ae0001", "--target-type", "instance"}, []string{"instance"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			usageExit(t, e.run(append(append([]string{"eip", "associate"}, where...), c.args...)...), c.mentions...)
		})
	}
	wantListed(t, list(t, e, "zenlayer", "asia-east-1", "--sim"), "eip-ae0005", "available", "", "")
}

// A free EIP mixed with one already bound elsewhere: eipctl reads the bound
// one before sending, reports it as a conflict row and binds the rest; the
// run exits 3 (partial).
func TestZenlayerPartialBoundElsewhere(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	d := associateSim(t, e, 3, "zenlayer", "asia-east-1", "eip-ae0006,eip-ae0024,eip-ae0007", "nat-ae0001")
	d.wantRows(t, map[string]string{"eip-ae0006": "associated", "eip-ae0024": "failed", "eip-ae0007": "associated"})
	if err := d.row(t, "eip-ae0024").Error; err.Class != "conflict" || !strings.Contains(err.Message, "nat-ae0002") {
		t.Errorf("bound-elsewhere row error %+v, want class conflict naming its holder nat-ae0002", err)
	}
	if d.Summary["associated"] != 2 || d.Summary["failed"] != 1 {
		t.Errorf("summary %v, want 2 associated, 1 failed", d.Summary)
	}
	l := list(t, e, "zenlayer", "asia-east-1", "--sim")
	wantListed(t, l, "eip-ae0006", "associated", "nat-ae0001", "nat")
	wantListed(t, l, "eip-ae0007", "associated", "nat-ae0001", "nat")
	wantListed(t, l, "eip-ae0024", "associated", "nat-ae0002", "nat")
}

// The cloud's own per-EIP refusal, failedEipIds: an EIP is free when eipctl
// reads it, but another run binds it while eipctl's AssociateEipAddress is
// held up (an injected latency fault), so ZEC accepts the request and lists
// that EIP in failedEipIds. The run exits 3 with that one row failed.
func TestZenlayerPartialFailedEipIds(t *testing.T) {
	t.Parallel()
	s := serve(t, "--bind-delay", "0s", "--fault", "latency,provider=zenlayer,action=AssociateEipAddress,delay=2s")
	e := s.clientEnv(t)
	conn := []string{"--endpoint", s.Endpoint, "--provider", "zenlayer", "--region", "asia-east-1"}

	// Its first --debug line is the DescribeEips answer; AssociateEipAddress
	// (which takes the fault and waits) is sent right after.
	slow := e.start("/api/v2/zec", append([]string{"eip", "associate", "--eip", "eip-ae0008,eip-ae0009", "--target", "nat-ae0001",
		"-o", "json", "--debug", "--state-dir", t.TempDir()}, conn...)...)
	slow.waitSeen(t)

	other := decodeRun(t, e.run(append([]string{"eip", "associate", "--eip", "eip-ae0009", "--target", "lb-ae0001",
		"-o", "json", "--state-dir", t.TempDir()}, conn...)...), 0)
	other.wantRows(t, map[string]string{"eip-ae0009": "associated"})

	d := decodeRun(t, slow.wait(t), 3)
	d.wantRows(t, map[string]string{"eip-ae0008": "associated", "eip-ae0009": "failed"})
	if err := d.row(t, "eip-ae0009").Error; err.Code != "EIP_ASSOCIATE_FAILED" || err.Class != "conflict" {
		t.Errorf("failedEipIds row error %+v, want code EIP_ASSOCIATE_FAILED class conflict", err)
	}
	l := list(t, e, "zenlayer", "asia-east-1", "--endpoint", s.Endpoint)
	wantListed(t, l, "eip-ae0008", "associated", "nat-ae0001", "nat")
	wantListed(t, l, "eip-ae0009", "associated", "lb-ae0001", "lb")
}
