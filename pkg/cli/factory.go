package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/eipctl/eipctl/pkg/config"
	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/output"
	"github.com/eipctl/eipctl/pkg/pace"
	"github.com/eipctl/eipctl/pkg/sim"
	"github.com/eipctl/eipctl/providers/all"
)

// Factory holds what commands need. Cheap things are values; costly or
// fallible ones (configuration, adapters, the embedded emulator) are built on
// first use, so `--help` and bad flags never touch them.
type Factory struct {
	Streams *output.Streams
	Clouds  func() []all.Cloud
	Version string
	// Build is what `eipctl version` prints beyond Version.
	Build BuildInfo

	global struct {
		profile, configFile string
		debug, sim, quiet   bool
		logLevel, logFormat string
	}
	view output.View // how this invocation prints its document (view.go)
	ran  bool        // a command's own code started (errors before it are usage errors)
	argv []string    // the command line Run was given (unknown-word messages read it)
	// interrupt is the process's SIGINT/SIGTERM handling (nil in tests that
	// do not exercise it); see interrupt.go.
	interrupt *interrupts

	mu        sync.Mutex
	cfg       *config.Config
	providers map[string]eip.Provider
	pacers    *pace.Pacers // every adapter's, so every command spends one budget (pace.go)
	emu       *embedded
	deadline  runDeadline // --timeout of the running command (deadline.go)
	log       *slog.Logger
	logJSON   bool
}

// NewFactory wires a Factory for the real process.
func NewFactory(streams *output.Streams, version string) *Factory {
	return &Factory{Streams: streams, Clouds: all.Clouds, Version: version}
}

// Config loads settings for cmd (its flags take precedence).
func (f *Factory) Config(cmd *cobra.Command) (*config.Config, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.cfg != nil {
		return f.cfg, nil
	}
	cfg, err := config.Load(cmd.Flags(), f.global.configFile, f.global.profile)
	if err != nil {
		return nil, &usageError{err}
	}
	if err := f.checkProfile(cmd, cfg); err != nil {
		return nil, err
	}
	f.cfg = cfg
	return cfg, nil
}

// Format resolves -o for this invocation.
func (f *Factory) Format(cmd *cobra.Command) (output.Format, error) {
	cfg, err := f.Config(cmd)
	if err != nil {
		return "", err
	}
	format, err := output.ParseFormat(cfg.String("output"), f.Streams.OutTTY)
	if err != nil {
		return "", notAFormat("-o", cfg.String("output"))
	}
	return f.readView(cmd, format, explicitFormat(cfg.String("output")))
}

// notAFormat refuses v, given as name (-o, or the profile key output), with
// the nearest format word.
func notAFormat(name, v string) error {
	words := stringsOf(outputFormats)
	return eip.Usagef("%s %q is not a format: %suse %s", name, v, eip.DidYouMean(v, words), oneOf(words, "or"))
}

// FormatConfig is Format with the configuration it was read from, for a
// verb that needs both.
func (f *Factory) FormatConfig(cmd *cobra.Command) (output.Format, *config.Config, error) {
	format, err := f.Format(cmd)
	if err != nil {
		return "", nil, err
	}
	cfg, err := f.Config(cmd)
	return format, cfg, err
}

func (f *Factory) cloud(name string) (all.Cloud, error) {
	for _, c := range f.Clouds() {
		if c.Spec.Name == name {
			return c, nil
		}
	}
	return all.Cloud{}, notOneOf("--provider", name, f.cloudNames())
}

// Provider builds (once) the adapter for a provider name: against the
// embedded emulator with --sim, otherwise with the configured endpoint and
// credentials.
func (f *Factory) Provider(cmd *cobra.Command, name string) (eip.Provider, error) {
	cloud, err := f.cloud(name)
	if err != nil {
		return nil, err
	}
	cfg, err := f.Config(cmd)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if p, ok := f.providers[name]; ok {
		return p, nil
	}
	pc := eip.ProviderConfig{Endpoint: cfg.String("endpoint"), Timeout: requestTimeout}
	next, err := caTransport(cfg.String("ca-file"))
	if err != nil {
		return nil, err
	}
	if next != http.DefaultTransport {
		pc.Transport = next
	}
	if f.global.debug {
		pc.Transport = &debugTransport{next: next, w: f.Streams.Err}
	}
	if f.global.sim {
		emu, err := f.emulator(cfg)
		if err != nil {
			return nil, err
		}
		c := cloud.Profile.Credentials
		pc.Endpoint, pc.Credentials = emu.url, eip.Credentials{ID: c.ID, Secret: c.Secret}
	} else {
		src, err := f.credentialSource(cfg, cloud)
		if err != nil {
			return nil, err
		}
		pc.Source = src
	}
	p, err := cloud.Spec.New(pc)
	if err != nil {
		return nil, err
	}
	p = withDeadline(p, name, &f.deadline)
	if pc.Source != nil {
		p = withSource(p, pc.Source)
	}
	if p, err = f.paced(cfg, name, p); err != nil {
		return nil, err
	}
	if f.providers == nil {
		f.providers = map[string]eip.Provider{}
	}
	f.providers[name] = p
	return p, nil
}

// embedded is the --sim emulator: all clouds on a loopback port of this
// process, over the shared state directory so runs agree with each other.
type embedded struct {
	sim *sim.Sim
	srv *http.Server
	url string
}

// simBindDelay is how long bindings take in the embedded emulator; the
// environment can change it (EIPCTL_SIM_BIND_DELAY=0s for instant binds).
func simBindDelay() (time.Duration, error) {
	s := os.Getenv("EIPCTL_SIM_BIND_DELAY")
	if s == "" {
		return 2 * time.Second, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, &usageError{fmt.Errorf("EIPCTL_SIM_BIND_DELAY=%q is not a duration: write it like 2s or 0s", s)}
	}
	return d, nil
}

func (f *Factory) emulator(cfg *config.Config) (*embedded, error) {
	if f.emu != nil {
		return f.emu, nil
	}
	delay, err := simBindDelay()
	if err != nil {
		return nil, err
	}
	s, err := f.openSim(cfg, sim.Options{BindDelay: delay})
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("embedded emulator: %w", err)
	}
	srv := &http.Server{Handler: sim.Handler(f.fronts(s)...), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }() // ends with ErrServerClosed when the run is done
	f.emu = &embedded{sim: s, srv: srv, url: "http://" + ln.Addr().String()}
	return f.emu, nil
}

// openSim opens the emulated world in the state directory with every cloud.
func (f *Factory) openSim(cfg *config.Config, o sim.Options) (*sim.Sim, error) {
	readable, err := simReadable()
	if err != nil {
		return nil, err
	}
	o.Dir, o.Profiles = f.simDir(cfg), f.simProfiles(readable)
	return sim.New(o)
}

// simReadable tells whether EIPCTL_SIM_READABLE asks for eipctl's readable
// test accounts where a cloud's real IDs are not readable (Zenlayer's are
// numbers): tests and docs that name IDs like eip-ae0001 set it.
func simReadable() (bool, error) {
	switch v := os.Getenv("EIPCTL_SIM_READABLE"); v {
	case "", "0", "false":
		return false, nil
	case "1", "true":
		return true, nil
	default:
		return false, &usageError{fmt.Errorf("EIPCTL_SIM_READABLE=%q: set it to 1 for readable emulator IDs, or leave it unset", v)}
	}
}

func (f *Factory) simProfiles(readable bool) []sim.Profile {
	var profiles []sim.Profile
	for _, c := range f.Clouds() {
		p := c.Profile
		if readable && c.Readable.Provider != "" {
			p = c.Readable
		}
		profiles = append(profiles, p)
	}
	return profiles
}

// simDir is where the emulator keeps its state.
func (f *Factory) simDir(cfg *config.Config) string { return filepath.Join(cfg.StateDir(), "sim") }

func (f *Factory) fronts(s *sim.Sim) []sim.Front {
	var out []sim.Front
	for _, c := range f.Clouds() {
		out = append(out, c.NewFront(s))
	}
	return out
}

// Close stops what the factory started.
func (f *Factory) Close() {
	if f.deadline.cancel != nil {
		f.deadline.cancel()
	}
	if f.emu != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = f.emu.srv.Shutdown(ctx)
	}
}
