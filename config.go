package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/sethvargo/go-envconfig"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/tools"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// Config is the server's configuration. Every field comes from the
// environment; the common ones can also be set by a flag, which wins.
type Config struct {
	// AccessToken is a HubSpot private-app or OAuth access token, with or
	// without its "Bearer " prefix. Never logged.
	AccessToken string `env:"HUBSPOT_ACCESS_TOKEN"`
	// BaseURL is HubSpot's API host.
	BaseURL string `env:"HUBSPOT_BASE_URL, default=https://api.hubapi.com"`
	// Sandbox serves an embedded demo account instead of HubSpot.
	Sandbox bool `env:"HUBSPOT_SANDBOX, default=false"`
	// RateLimit is the call budget per HubSpot credential, calls/duration.
	RateLimit string `env:"HUBSPOT_RATE_LIMIT, default=100/60s"`
	// SenderActorID is send_message's default sender (an A- agent actor).
	SenderActorID string `env:"HUBSPOT_SENDER_ACTOR_ID"`
	// Timeout limits one HubSpot request attempt.
	Timeout time.Duration `env:"HUBSPOT_TIMEOUT, default=30s"`

	// ReadOnly registers only the tools that change nothing.
	ReadOnly bool `env:"MCP_READ_ONLY, default=false"`
	// Toolsets limits the tools to these toolsets; empty means all.
	Toolsets []string `env:"MCP_TOOLSETS"`

	// PollInterval is how often subscribed resources are checked for changes.
	PollInterval time.Duration `env:"MCP_POLL_INTERVAL, default=60s"`
	// PollBudgetShare is the largest share of the HubSpot call budget that
	// subscription polling may use, from 0 (no polling) to 1.
	PollBudgetShare float64 `env:"MCP_POLL_BUDGET_SHARE, default=0.2"`

	// LogLevel is debug, info, warn or error.
	LogLevel string `env:"LOG_LEVEL, default=info"`

	rate     hubspot.Rate
	logLevel slog.Level
}

// errUsage reports a command-line mistake; usage has been printed.
var errUsage = errors.New("usage")

// loadConfig reads the environment through lookup, then the flags in args,
// and returns the config and the remaining arguments (the subcommand).
func loadConfig(ctx context.Context, args []string, lookup envconfig.Lookuper, stderr io.Writer) (*Config, []string, error) {
	var cfg Config
	if err := envconfig.ProcessWith(ctx, &envconfig.Config{Target: &cfg, Lookuper: lookup}); err != nil {
		return nil, nil, envError(err)
	}
	fs := flag.NewFlagSet("hubspot-conversations-mcp", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { usage(fs, stderr) }
	fs.BoolVar(&cfg.Sandbox, "sandbox", cfg.Sandbox, "serve the embedded demo HubSpot account (HUBSPOT_SANDBOX)")
	fs.StringVar(&cfg.BaseURL, "base-url", cfg.BaseURL, "HubSpot API host (HUBSPOT_BASE_URL)")
	fs.StringVar(&cfg.RateLimit, "rate-limit", cfg.RateLimit, "call budget per HubSpot credential, calls/duration (HUBSPOT_RATE_LIMIT)")
	fs.StringVar(&cfg.SenderActorID, "sender-actor-id", cfg.SenderActorID, "send_message's default sender, an agent actor ID such as A-123 (HUBSPOT_SENDER_ACTOR_ID)")
	fs.DurationVar(&cfg.Timeout, "timeout", cfg.Timeout, "time limit of one HubSpot request (HUBSPOT_TIMEOUT)")
	fs.BoolVar(&cfg.ReadOnly, "read-only", cfg.ReadOnly, "register only tools that change nothing (MCP_READ_ONLY)")
	toolsets := strings.Join(cfg.Toolsets, ",")
	fs.StringVar(&toolsets, "toolsets", toolsets, "comma-separated toolsets to enable (MCP_TOOLSETS)")
	fs.StringVar(&cfg.LogLevel, "log-level", cfg.LogLevel, "debug, info, warn or error (LOG_LEVEL)")
	showVersion := fs.Bool("version", false, "print the version and exit")

	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, nil, flag.ErrHelp
		}
		return nil, nil, errUsage
	}
	rest := fs.Args()
	// Flags may also follow the subcommand: `call --sandbox list_inboxes`.
	if len(rest) > 0 && isSubcommand(rest[0]) {
		if err := fs.Parse(rest[1:]); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, nil, flag.ErrHelp
			}
			return nil, nil, errUsage
		}
		rest = append([]string{rest[0]}, fs.Args()...)
	}
	if *showVersion {
		rest = []string{"version"}
	}
	cfg.Toolsets = splitList(toolsets)
	if len(rest) > 0 && rest[0] == "version" {
		return &cfg, rest, nil
	}
	if err := cfg.validate(); err != nil {
		return nil, nil, err
	}
	return &cfg, rest, nil
}

// validate checks the values and the rules between them. Its errors fit
// on one line and never contain the token.
func (c *Config) validate() error {
	var err error
	if c.rate, err = hubspot.ParseRate(c.RateLimit); err != nil {
		return fmt.Errorf("HUBSPOT_RATE_LIMIT: %w", err)
	}
	if err := c.logLevel.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return fmt.Errorf("LOG_LEVEL %q: want debug, info, warn or error", c.LogLevel)
	}
	if c.PollInterval < 100*time.Millisecond {
		return fmt.Errorf("MCP_POLL_INTERVAL %s: must be at least 100ms, such as 60s", c.PollInterval)
	}
	if c.PollBudgetShare < 0 || c.PollBudgetShare > 1 {
		return fmt.Errorf("MCP_POLL_BUDGET_SHARE %v: must be from 0 to 1, such as 0.2", c.PollBudgetShare)
	}
	if c.Timeout <= 0 {
		return fmt.Errorf("HUBSPOT_TIMEOUT %s: must be positive, such as 30s", c.Timeout)
	}
	for _, ts := range c.Toolsets {
		if !slices.Contains(tools.Toolsets(), ts) {
			return fmt.Errorf("MCP_TOOLSETS: unknown toolset %q; known toolsets: %s", ts, strings.Join(tools.Toolsets(), ", "))
		}
	}
	if c.SenderActorID != "" {
		if err := hubspot.ValidateActorID("HUBSPOT_SENDER_ACTOR_ID", c.SenderActorID); err != nil {
			return err
		}
		if !strings.HasPrefix(c.SenderActorID, "A-") {
			return fmt.Errorf("HUBSPOT_SENDER_ACTOR_ID %q: must be an agent actor ID (A- followed by the HubSpot user ID)", c.SenderActorID)
		}
	}
	if c.Sandbox {
		return nil
	}
	if strings.TrimSpace(c.AccessToken) == "" {
		return errors.New("HUBSPOT_ACCESS_TOKEN is not set: create a HubSpot private app with the conversations.read and conversations.write scopes and set its access token, or run with --sandbox to try the server on a demo account")
	}
	if _, err := hubspot.NormalizeToken(c.AccessToken); err != nil {
		return fmt.Errorf("HUBSPOT_ACCESS_TOKEN: %w", err)
	}
	if _, err := hubspot.NewClient("x", hubspot.WithBaseURL(c.BaseURL)); err != nil {
		return fmt.Errorf("HUBSPOT_BASE_URL: %w", err)
	}
	return nil
}

// envError names the environment variable in go-envconfig's errors, which
// name the Go field ("Timeout: time: invalid duration").
func envError(err error) error {
	msg := err.Error()
	t := reflect.TypeFor[Config]()
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("env"), ",")
		if name != "" && strings.HasPrefix(msg, f.Name+": ") {
			return fmt.Errorf("%s: %s", name, strings.TrimPrefix(msg, f.Name+": "))
		}
	}
	return fmt.Errorf("configuration: %w", err)
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func usage(fs *flag.FlagSet, w io.Writer) {
	fmt.Fprint(w, `hubspot-conversations-mcp: an MCP server for the HubSpot Conversations inbox.

Usage:
  hubspot-conversations-mcp [flags]                    serve MCP over stdio
  hubspot-conversations-mcp [flags] tools              list the tools
  hubspot-conversations-mcp [flags] call TOOL [JSON]   run one tool and print its result
  hubspot-conversations-mcp version                    print the version

Configuration comes from the environment (see README); flags override it.
HUBSPOT_ACCESS_TOKEN is required unless --sandbox is given.

Flags:
`)
	fs.PrintDefaults()
}
