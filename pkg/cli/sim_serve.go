package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/output"
	"github.com/eipctl/eipctl/pkg/sim"
)

type serveOptions struct {
	listen    string
	bindDelay time.Duration
	seedEIPs  int
	reset     bool
	faults    []string
}

func newSimServeCmd(f *Factory) *cobra.Command {
	o := &serveOptions{}
	cmd := &cobra.Command{
		Use:   "serve [flags]",
		Short: "Serve every cloud's API on one loopback port until interrupted",
		Long: `Serve Alibaba, Tencent and Zenlayer APIs on one port, routed by each protocol's own markers.
At start it prints the endpoint and the credentials it accepts; with -o json, one line of JSON:
  {"endpoint": "http://127.0.0.1:PORT", "credentials": {"<provider>": {"id": "...", "secret": "..."}}}

--fault injects failures, e.g. --fault throttle,times=3 or
--fault fail-binding,provider=alibaba,action=AssociateEipAddress. Kinds: ` + faultKinds() + `.`,
		Example: `  eipctl sim serve --listen 127.0.0.1:8780 --bind-delay 2s
  eipctl eip associate --endpoint http://127.0.0.1:8780 --provider alibaba --region cn-hangzhou \
      --eip eip-hz0001 --target i-hz0001   # with the printed credentials in the environment`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return o.run(f, cmd) },
	}
	fl := cmd.Flags()
	fl.StringVar(&o.listen, "listen", "127.0.0.1:8780", "address to listen on (loopback unless you mean otherwise; port 0 picks a free one)")
	fl.DurationVar(&o.bindDelay, "bind-delay", 2*time.Second, "how long a binding or unbinding stays in its transitional status")
	fl.IntVar(&o.seedEIPs, "seed-eips", 0, "EIPs per region when the state is first created (default 24; use with --reset)")
	fl.BoolVar(&o.reset, "reset", false, "discard the emulator's saved state and seed afresh")
	fl.StringArrayVar(&o.faults, "fault", nil, "inject a fault: KIND[,provider=P][,action=A][,times=N][,delay=D] (repeatable)")
	return cmd
}

func faultKinds() string {
	var ks []string
	for _, k := range sim.FaultKinds {
		ks = append(ks, string(k))
	}
	return strings.Join(ks, ", ")
}

// parseFault reads KIND[,provider=P][,action=A][,times=N][,delay=D].
func parseFault(s string) (sim.Fault, error) {
	parts := strings.Split(s, ",")
	f := sim.Fault{Kind: sim.FaultKind(parts[0]), Times: 1}
	known := false
	for _, k := range sim.FaultKinds {
		known = known || k == f.Kind
	}
	if !known {
		return f, eip.Usagef("--fault %q: unknown kind %q: use one of %s", s, parts[0], faultKinds())
	}
	for _, kv := range parts[1:] {
		k, v, _ := strings.Cut(kv, "=")
		var err error
		switch k {
		case "provider":
			f.Provider = v
		case "action":
			f.Action = v
		case "times":
			f.Times, err = strconv.Atoi(v)
		case "delay":
			f.Delay, err = time.ParseDuration(v)
		default:
			err = errors.New("unknown field")
		}
		if err != nil {
			return f, eip.Usagef("--fault %q: %s=%q: use provider=, action=, times=N or delay=DURATION", s, k, v)
		}
	}
	return f, nil
}

func (o *serveOptions) run(f *Factory, cmd *cobra.Command) error {
	format, err := f.Format(cmd)
	if err != nil {
		return err
	}
	var faults []sim.Fault
	for _, s := range o.faults {
		fl, err := parseFault(s)
		if err != nil {
			return err
		}
		faults = append(faults, fl)
	}
	if o.bindDelay < 0 || o.seedEIPs < 0 {
		return eip.Usagef("--bind-delay and --seed-eips cannot be negative")
	}
	if err := f.simState(cmd, o.reset); err != nil {
		return err
	}
	cfg, _ := f.Config(cmd)
	s, err := f.openSim(cfg, o.bindDelay, o.seedEIPs)
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
	endpoint := "http://" + net.JoinHostPort(host, port)
	creds := map[string]sim.Credential{}
	for _, c := range f.Clouds() {
		creds[c.Spec.Name] = c.Profile.Credentials
	}
	if format == output.JSON {
		b, _ := json.Marshal(map[string]any{"endpoint": endpoint, "credentials": creds})
		fmt.Fprintln(f.Streams.Out, string(b))
	} else {
		fmt.Fprintf(f.Streams.Out, "eipctl emulator serving %s on %s (state in %s, bind delay %s)\n", strings.Join(f.cloudNames(), ", "), endpoint, f.simDir(cfg), o.bindDelay)
		fmt.Fprintln(f.Streams.Out, "credentials it accepts:")
		for _, c := range f.Clouds() {
			env := c.Spec.Env
			fmt.Fprintf(f.Streams.Out, "  %-9s %s=%s %s=%s\n", c.Spec.Name, env.ID[0], c.Profile.Credentials.ID, env.Secret[0], c.Profile.Credentials.Secret)
		}
		fmt.Fprintf(f.Streams.Out, "try: eipctl eip list --endpoint %s --provider alibaba --region cn-hangzhou\n", endpoint)
	}
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

func (f *Factory) cloudNames() []string {
	var out []string
	for _, c := range f.Clouds() {
		out = append(out, c.Spec.Name)
	}
	return out
}
