package cli

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/output"
	"github.com/eipctl/eipctl/pkg/sim"
)

type serveOptions struct {
	listen     string
	bindDelay  time.Duration
	latency    time.Duration
	seedEIPs   int
	reset      bool
	faults     []string
	faultSeed  int64
	requestLog string
	noLimits   bool
	tls        bool
}

// maxSeedEIPs bounds --seed-eips: each region's seeded addresses and the
// targets to hold them are built and saved before the emulator answers, and
// a billion of them would keep it busy (and growing) for hours. 10,000 per
// region is five times the largest benchmark's.
const maxSeedEIPs = 10_000

func newSimServeCmd(f *Factory) *cobra.Command {
	o := &serveOptions{}
	cmd := &cobra.Command{
		Use:   "serve [flags]",
		Short: "Serve every cloud's API on one loopback port until interrupted",
		Long: `Serve the APIs of ` + oneOf(f.cloudTitles(), "and") + ` on one port, routed by each protocol's own markers.
At start it prints the endpoint and the credentials it accepts; with -o json, one line of JSON:
  {"endpoint": "http://127.0.0.1:PORT", "credentials": {"<provider>": {"id": "...", "secret": "..."}}}
With --tls the endpoint is https:// and the line gains "caFile", the CA certificate to trust.

It enforces each cloud's documented rate limits per action (--no-rate-limits turns them off) and
per-target capacities. --request-log FILE appends one JSON line per request:
  {"time", "provider", "region", "action", "status", "code"}

--fault injects failures, e.g. --fault throttle,times=3, --fault reset,p=0.02 or
--fault fail-binding,provider=alibaba,action=AssociateEipAddress. Kinds: ` + faultKinds() + `.`,
		Example: `  eipctl sim serve --listen 127.0.0.1:8780 --bind-delay 2s
  eipctl sim serve --latency 20ms --request-log requests.jsonl --fault throttle,p=0.1 --fault-seed 7
  eipctl sim serve --tls -o json        # HTTPS; the JSON line names the CA file
  eipctl eip associate --endpoint http://127.0.0.1:8780 --provider alibaba --region cn-hangzhou \
      --eip eip-hz0001 --target i-hz0001   # with the printed credentials in the environment`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return o.run(f, cmd) },
	}
	fl := cmd.Flags()
	fl.StringVar(&o.listen, "listen", "127.0.0.1:8780", "address to listen on (loopback unless you mean otherwise; port 0 picks a free one)")
	fl.DurationVar(&o.bindDelay, "bind-delay", 2*time.Second, "how long a binding or unbinding stays in its transitional status")
	fl.DurationVar(&o.latency, "latency", 0, "added to every request before it is answered, e.g. 20ms")
	fl.IntVar(&o.seedEIPs, "seed-eips", 0, fmt.Sprintf("EIPs per region when the state is first created, with enough targets of every type to hold them (default 24, at most %d; use with --reset)", maxSeedEIPs))
	fl.BoolVar(&o.reset, "reset", false, "discard the emulator's saved state and seed afresh")
	fl.StringArrayVar(&o.faults, "fault", nil, "inject a fault: KIND[,provider=P][,action=A][,p=0.1][,times=N][,delay=D] (repeatable)")
	fl.Int64Var(&o.faultSeed, "fault-seed", 1, "seed for the draws of p= faults, so a run can be repeated")
	fl.StringVar(&o.requestLog, "request-log", "", "append one JSON line per request to FILE")
	fl.BoolVar(&o.noLimits, "no-rate-limits", false, "do not enforce the clouds' documented rate limits")
	fl.BoolVar(&o.tls, "tls", false, "serve HTTPS with a throw-away CA kept in the state directory (its path is printed)")
	return cmd
}

func faultKinds() string {
	var ks []string
	for _, k := range sim.FaultKinds {
		ks = append(ks, string(k))
	}
	return strings.Join(ks, ", ")
}

// checkFaults reads every --fault and refuses one that could never fire,
// before anything is started or reset.
func (f *Factory) checkFaults(specs []string) ([]sim.Fault, error) {
	var out []sim.Fault
	for _, s := range specs {
		fl, err := sim.ParseFault(s)
		if err == nil {
			err = sim.CheckFault(fl, f.simProfiles(false))
		}
		if err != nil {
			return nil, eip.Usagef("%v", err)
		}
		out = append(out, fl)
	}
	return out, nil
}

func (o *serveOptions) run(f *Factory, cmd *cobra.Command) error {
	format, err := f.Format(cmd)
	if err != nil {
		return err
	}
	faults, err := f.checkFaults(o.faults)
	if err != nil {
		return err
	}
	switch {
	case o.bindDelay < 0:
		return eip.Usagef("--bind-delay %s: use a duration of 0s or more", o.bindDelay)
	case o.latency < 0:
		return eip.Usagef("--latency %s: use a duration of 0s or more", o.latency)
	case o.seedEIPs < 0 || o.seedEIPs > maxSeedEIPs:
		return eip.Usagef("--seed-eips %d: use a count from 0 to %d", o.seedEIPs, maxSeedEIPs)
	}
	if err := f.simState(cmd, o.reset); err != nil {
		return err
	}
	cfg, _ := f.Config(cmd)
	opts := sim.Options{BindDelay: o.bindDelay, SeedEIPs: o.seedEIPs, Latency: o.latency, NoLimits: o.noLimits, FaultSeed: o.faultSeed}
	if o.requestLog != "" {
		lf, err := os.OpenFile(o.requestLog, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			return &usageError{fmt.Errorf("--request-log %s: %v", o.requestLog, err)}
		}
		defer lf.Close()
		opts.RequestLog = lf
	}
	s, err := f.openSim(cfg, opts)
	if err != nil {
		return err
	}
	for _, fl := range faults {
		s.Inject(fl)
	}
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return &usageError{fmt.Errorf("--listen %s: %v", o.listen, err)}
	}
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	if !eip.IsLoopback(host) {
		fmt.Fprintf(f.Streams.Err, "warning: the emulator listens on %s, beyond this machine\n", ln.Addr())
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		// Listening everywhere: this machine reaches it on loopback, the one
		// address --endpoint accepts over plain http.
		host = "127.0.0.1"
	}
	scheme, caFile := "http", ""
	if o.tls {
		files, err := sim.EnsureTLS(filepath.Join(f.simDir(cfg), "tls"), time.Now())
		if err != nil {
			ln.Close()
			return err
		}
		scheme, caFile = "https", files.CA
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{files.Cert}, MinVersion: tls.VersionTLS12})
	}
	endpoint := scheme + "://" + net.JoinHostPort(host, port)
	o.announce(f, format, endpoint, caFile, f.simDir(cfg))
	srv := &http.Server{Handler: sim.Handler(f.fronts(s)...), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-cmd.Context().Done()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// announce prints where the emulator listens and what it accepts.
func (o *serveOptions) announce(f *Factory, format output.Format, endpoint, caFile, dir string) {
	creds := map[string]sim.Credential{}
	for _, c := range f.Clouds() {
		creds[c.Spec.Name] = c.Profile.Credentials
	}
	if format == output.JSON {
		doc := map[string]any{"endpoint": endpoint, "credentials": creds}
		if caFile != "" {
			doc["caFile"] = caFile
		}
		b, _ := json.Marshal(doc)
		fmt.Fprintln(f.Streams.Out, string(b))
		return
	}
	fmt.Fprintf(f.Streams.Out, "eipctl emulator serving %s on %s (state in %s, bind delay %s)\n", strings.Join(f.cloudNames(), ", "), endpoint, dir, o.bindDelay)
	if caFile != "" {
		fmt.Fprintf(f.Streams.Out, "TLS: trust the CA certificate %s\n", caFile)
	}
	fmt.Fprintln(f.Streams.Out, "credentials it accepts:")
	for _, c := range f.Clouds() {
		env := c.Spec.Env
		fmt.Fprintf(f.Streams.Out, "  %-9s %s=%s %s=%s\n", c.Spec.Name, env.ID[0], c.Profile.Credentials.ID, env.Secret[0], c.Profile.Credentials.Secret)
	}
	if try := f.tryList(endpoint); try != "" {
		fmt.Fprintf(f.Streams.Out, "try: %s\n", try)
	}
}
