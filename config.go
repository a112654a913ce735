package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sethvargo/go-envconfig"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/httpserver"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/tools"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// Config is the server's configuration. Every field comes from the
// environment; the common ones can also be set by a flag, which wins.
type Config struct {
	// AccessToken is a HubSpot Service Key, legacy private-app or OAuth
	// access token, with or without its "Bearer " prefix. Never logged.
	AccessToken string `env:"HUBSPOT_ACCESS_TOKEN"`
	// BaseURL is HubSpot's API host.
	BaseURL string `env:"HUBSPOT_BASE_URL, default=https://api.hubapi.com"`
	// Sandbox serves an embedded demo account instead of HubSpot.
	Sandbox bool `env:"HUBSPOT_SANDBOX, default=false"`
	// SandboxWithholdScopes makes the sandbox's token lack these scopes
	// (such as crm.objects.contacts.read), to show what the server does
	// without them. SandboxLatency holds every sandbox call this long,
	// like a round trip to HubSpot. Sandbox mode only.
	SandboxWithholdScopes []string      `env:"HUBSPOT_SANDBOX_WITHHOLD_SCOPES"`
	SandboxLatency        time.Duration `env:"HUBSPOT_SANDBOX_LATENCY, default=0s"`
	// RateLimit is the call budget per HubSpot credential, calls/duration.
	RateLimit string `env:"HUBSPOT_RATE_LIMIT, default=100/60s"`
	// SenderActorID is send_message's default sender: an agent actor ID
	// or the agent's email address, resolved when first needed.
	SenderActorID string `env:"HUBSPOT_SENDER_ACTOR_ID"`
	// InboxAllowlist confines the server to these inboxes: nothing of
	// another inbox can be seen or changed. Empty allows every inbox.
	InboxAllowlist []string `env:"HUBSPOT_INBOX_ALLOWLIST"`
	// Timeout limits one HubSpot request attempt.
	Timeout time.Duration `env:"HUBSPOT_TIMEOUT, default=30s"`
	// CacheTTL is how long inboxes, channels, channel accounts, actors and
	// each thread's inbox are kept; 0 turns the cache off.
	CacheTTL time.Duration `env:"HUBSPOT_CACHE_TTL, default=5m"`

	// RedisURL is the Redis that replicas behind a load balancer share:
	// for each credential's rate budget, so together they stay within one
	// HubSpot budget, and for the record of spent confirmations, so a
	// person's "yes" sends once whichever replica it reaches.
	RedisURL string `env:"MCP_REDIS_URL"`
	// RateLimitRedisURL is RedisURL's old name, still read.
	RateLimitRedisURL string `env:"HUBSPOT_RATE_LIMIT_REDIS_URL"`
	// MaxWait is the longest a call waits for the rate budget; past it the
	// tool fails at once and says when to retry.
	MaxWait time.Duration `env:"HUBSPOT_MAX_WAIT, default=30s"`
	// TokenSource is env (HUBSPOT_ACCESS_TOKEN) or header (each HTTP request
	// brings its user's token in X-HubSpot-Access-Token).
	TokenSource string `env:"HUBSPOT_TOKEN_SOURCE, default=env"`
	// MaxCredentials caps the per-user HubSpot clients kept with
	// HUBSPOT_TOKEN_SOURCE=header; the least recently used goes first.
	MaxCredentials int `env:"HUBSPOT_MAX_CREDENTIALS, default=1000"`

	// Transport is stdio, http (Streamable HTTP at /mcp) or sse (the legacy
	// HTTP+SSE transport at /sse and /message).
	Transport string `env:"MCP_TRANSPORT, default=stdio"`
	// Addr is the HTTP listen address.
	Addr string `env:"MCP_ADDR, default=127.0.0.1:8080"`
	// AuthToken, when set, is the bearer token every HTTP client must send.
	// Required on a non-loopback address. Never logged.
	AuthToken string `env:"MCP_AUTH_TOKEN"`
	// AllowedHosts are the Host names HTTP requests may carry (besides
	// loopback names on a loopback address); empty accepts any on a
	// non-loopback address.
	AllowedHosts []string `env:"MCP_ALLOWED_HOSTS"`
	// AllowedOrigins are the browser origins allowed to call the server.
	AllowedOrigins []string `env:"MCP_ALLOWED_ORIGINS"`
	// Stateless serves Streamable HTTP without sessions, so replicas behind
	// a load balancer need no affinity (subscriptions need sessions).
	Stateless bool `env:"MCP_STATELESS, default=false"`
	// MaxSessions caps concurrent HTTP sessions.
	MaxSessions int `env:"MCP_MAX_SESSIONS, default=100"`
	// SessionIdleTimeout ends HTTP sessions idle for longer.
	SessionIdleTimeout time.Duration `env:"MCP_SESSION_IDLE_TIMEOUT, default=30m"`
	// MaxBodyBytes limits an HTTP request body.
	MaxBodyBytes int64 `env:"MCP_MAX_BODY_BYTES, default=1048576"`
	// BodyReadTimeout bounds the time to receive an HTTP request body.
	BodyReadTimeout time.Duration `env:"MCP_BODY_READ_TIMEOUT, default=10s"`
	// ShutdownTimeout bounds how long in-flight calls may finish on SIGTERM.
	ShutdownTimeout time.Duration `env:"MCP_SHUTDOWN_TIMEOUT, default=20s"`

	// ReadOnly registers only the tools that change nothing.
	ReadOnly bool `env:"MCP_READ_ONLY, default=false"`
	// Toolsets limits the tools to these toolsets; empty means all.
	Toolsets []string `env:"MCP_TOOLSETS"`
	// Tools limits the tools to these; empty means all.
	Tools []string `env:"MCP_TOOLS"`
	// ExcludeTools removes these tools.
	ExcludeTools []string `env:"MCP_EXCLUDE_TOOLS"`
	// ConfirmWrites is never, elicit-or-preview or elicit-only (old names:
	// elicit, always): how a MESSAGE to a customer and archive_thread ask
	// the user first. Validation leaves the mode's name here.
	ConfirmWrites string `env:"MCP_CONFIRM_WRITES, default=elicit-or-preview"`
	// ConfirmSecret keys the confirmations the server issues, so that
	// replicas accept each other's; generated at start when not set.
	// Never logged.
	ConfirmSecret string `env:"MCP_CONFIRM_SECRET"`

	// PollInterval is how often subscribed resources are checked for changes.
	PollInterval time.Duration `env:"MCP_POLL_INTERVAL, default=60s"`
	// PollBudgetShare is the largest share of the HubSpot call budget that
	// subscription polling may use, from 0 (no polling) to 1.
	PollBudgetShare float64 `env:"MCP_POLL_BUDGET_SHARE, default=0.2"`

	// LogLevel is debug, info, warn or error.
	LogLevel string `env:"LOG_LEVEL, default=info"`

	rate     hubspot.Rate
	logLevel slog.Level
	// logLevelGiven is set when LOG_LEVEL or --log-level was given.
	logLevelGiven bool
	// redis is MCP_REDIS_URL (or its old name) parsed.
	redis *redis.Options
	// listingOnly is set for the tools command, which calls no HubSpot
	// and so needs no token.
	listingOnly bool
	// calling is set for the call command: one process per call, whose
	// confirmations outlive it (see newConfirmations).
	calling bool
}

// errUsage reports a command-line mistake; usage has been printed.
var errUsage = errors.New("usage")

// helpRequested is -h or help: run prints the usage on stdout, so
// `help | less` shows it. It matches flag.ErrHelp (exit status 0).
type helpRequested struct{ text string }

func (h *helpRequested) Error() string        { return "help requested" }
func (h *helpRequested) Is(target error) bool { return target == flag.ErrHelp }

// helpText returns the usage as a helpRequested.
func helpText(fs *flag.FlagSet) error {
	var b strings.Builder
	usage(fs, &b)
	return &helpRequested{text: b.String()}
}

// parseFailed turns a flag parsing error into the help text for -h, or
// prints one line on stderr naming the flag and what it accepts.
func parseFailed(fs *flag.FlagSet, err error, stderr io.Writer) error {
	if errors.Is(err, flag.ErrHelp) {
		return helpText(fs)
	}
	fmt.Fprintf(stderr, "hubspot-conversations-mcp: %s; run with -h for usage\n", explainFlag(fs, err))
	return errUsage
}

// badFlagValue matches the flag package's errors for a value it cannot
// parse: `invalid value "10" for flag -timeout: parse error`, `invalid
// boolean value "yes" for -read-only: parse error`.
var badFlagValue = regexp.MustCompile(`^invalid (?:boolean )?value ("(?:[^"\\]|\\.)*") for (?:flag )?-([A-Za-z0-9-]+): `)

// envOfFlag finds the variable a flag's usage names: "… (HUBSPOT_TIMEOUT)".
var envOfFlag = regexp.MustCompile(`\(([A-Z][A-Z0-9_]+)\)$`)

// explainFlag says what a flag with a value it cannot parse accepts, as
// its environment variable's error would, instead of "parse error".
func explainFlag(fs *flag.FlagSet, err error) string {
	m := badFlagValue.FindStringSubmatch(err.Error())
	if m == nil {
		return err.Error()
	}
	f := fs.Lookup(m[2])
	if f == nil {
		return err.Error()
	}
	env := envOfFlag.FindStringSubmatch(f.Usage)
	if env == nil {
		return err.Error()
	}
	want := accepted(env[1])
	if want == "" {
		return err.Error()
	}
	return fmt.Sprintf("--%s %s: want %s", f.Name, m[1], want)
}

// loadConfig reads the environment through lookup, then the flags in args,
// and returns the config and the remaining arguments (the subcommand).
func loadConfig(ctx context.Context, args []string, lookup envconfig.Lookuper, stderr io.Writer) (*Config, []string, error) {
	var cfg Config
	rec := &recordingLookuper{Lookuper: lookup}
	if err := envconfig.ProcessWith(ctx, &envconfig.Config{Target: &cfg, Lookuper: rec}); err != nil {
		return nil, nil, rec.explain(err)
	}
	_, cfg.logLevelGiven = lookup.Lookup("LOG_LEVEL")
	fs := flag.NewFlagSet("hubspot-conversations-mcp", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	// -h and help print the usage on stdout (parseFailed); a mistake
	// prints it on stderr after the error.
	fs.Usage = func() {}
	fs.BoolVar(&cfg.Sandbox, "sandbox", cfg.Sandbox, "serve the embedded demo HubSpot account (HUBSPOT_SANDBOX)")
	fs.StringVar(&cfg.BaseURL, "base-url", cfg.BaseURL, "HubSpot API host (HUBSPOT_BASE_URL)")
	fs.StringVar(&cfg.RateLimit, "rate-limit", cfg.RateLimit, "call budget per HubSpot credential, calls/duration (HUBSPOT_RATE_LIMIT)")
	fs.StringVar(&cfg.SenderActorID, "sender-actor-id", cfg.SenderActorID, "send_message's default sender: an agent actor ID such as A-123, or the agent's email address (HUBSPOT_SENDER_ACTOR_ID)")
	allowlist := strings.Join(cfg.InboxAllowlist, ",")
	fs.StringVar(&allowlist, "inbox-allowlist", allowlist, "comma-separated inbox IDs: nothing of other inboxes can be seen or changed (HUBSPOT_INBOX_ALLOWLIST)")
	fs.DurationVar(&cfg.Timeout, "timeout", cfg.Timeout, "time limit of one HubSpot request (HUBSPOT_TIMEOUT)")
	fs.StringVar(&cfg.ConfirmWrites, "confirm-writes", cfg.ConfirmWrites, "never, elicit-or-preview or elicit-only: how the user is asked before a MESSAGE to a customer or archive_thread (MCP_CONFIRM_WRITES)")
	fs.BoolVar(&cfg.ReadOnly, "read-only", cfg.ReadOnly, "register only tools that change nothing (MCP_READ_ONLY)")
	toolsets := strings.Join(cfg.Toolsets, ",")
	fs.StringVar(&toolsets, "toolsets", toolsets, "comma-separated toolsets to enable (MCP_TOOLSETS)")
	toolNames := strings.Join(cfg.Tools, ",")
	fs.StringVar(&toolNames, "tools", toolNames, "comma-separated tools to enable, and no others (MCP_TOOLS)")
	excludeTools := strings.Join(cfg.ExcludeTools, ",")
	fs.StringVar(&excludeTools, "exclude-tools", excludeTools, "comma-separated tools to disable (MCP_EXCLUDE_TOOLS)")
	fs.StringVar(&cfg.LogLevel, "log-level", cfg.LogLevel, "debug, info, warn or error (LOG_LEVEL)")
	fs.StringVar(&cfg.Transport, "transport", cfg.Transport, "stdio, http or sse (MCP_TRANSPORT)")
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "HTTP listen address (MCP_ADDR)")
	fs.StringVar(&cfg.TokenSource, "token-source", cfg.TokenSource, "env or header: where the HubSpot token comes from (HUBSPOT_TOKEN_SOURCE)")
	showVersion := fs.Bool("version", false, "print the version and exit")

	if err := fs.Parse(args); err != nil {
		return nil, nil, parseFailed(fs, err, stderr)
	}
	rest := fs.Args()
	// Flags may also follow the subcommand: `call --sandbox list_inboxes`.
	if len(rest) > 0 && isSubcommand(rest[0]) && rest[0] != "setup" {
		if err := fs.Parse(rest[1:]); err != nil {
			return nil, nil, parseFailed(fs, err, stderr)
		}
		rest = append([]string{rest[0]}, fs.Args()...)
	}
	fs.Visit(func(f *flag.Flag) { cfg.logLevelGiven = cfg.logLevelGiven || f.Name == "log-level" })
	if *showVersion {
		rest = []string{"version"}
	}
	cfg.Toolsets = splitList(toolsets)
	cfg.InboxAllowlist = splitList(allowlist)
	cfg.Tools = splitList(toolNames)
	cfg.ExcludeTools = splitList(excludeTools)
	if len(rest) > 0 {
		switch rest[0] {
		case "help":
			return nil, nil, helpText(fs)
		case "version":
			return &cfg, rest, nil
		case "healthcheck":
			// The health check only asks the running server: it needs the
			// address, not the server's token or sandbox flag (a container's
			// HEALTHCHECK sees the environment, not the entrypoint's flags).
			return &cfg, rest, nil
		case "setup":
			// setup reads its own flags and finds the token itself.
			return &cfg, rest, nil
		}
	}
	cfg.listingOnly = len(rest) > 0 && rest[0] == "tools"
	cfg.calling = len(rest) > 0 && rest[0] == "call"
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
	if c.CacheTTL < 0 {
		return fmt.Errorf("HUBSPOT_CACHE_TTL %s: must be 0 (off) or positive, such as 5m", c.CacheTTL)
	}
	if c.Timeout <= 0 {
		return fmt.Errorf("HUBSPOT_TIMEOUT %s: must be positive, such as 30s", c.Timeout)
	}
	mode, err := inbox.ParseConfirmMode(c.ConfirmWrites)
	if err != nil {
		return fmt.Errorf("MCP_CONFIRM_WRITES %w", err)
	}
	c.ConfirmWrites = string(mode)
	// The tool selection is checked here, before anything starts.
	if err := c.toolFilter().Check(); err != nil {
		return err
	}
	for _, id := range c.InboxAllowlist {
		if hubspot.ValidateNumericID("inboxId", id) != nil {
			return fmt.Errorf("HUBSPOT_INBOX_ALLOWLIST: %q is not an inbox ID; want comma-separated inbox IDs (digits) as list_inboxes shows them, such as 147959634,147959635", id)
		}
	}
	if c.SenderActorID != "" {
		if err := inbox.ValidateAgentSetting("HUBSPOT_SENDER_ACTOR_ID", c.SenderActorID); err != nil {
			return err
		}
	}
	if err := c.validateHTTP(); err != nil {
		return err
	}
	if c.MaxWait <= 0 {
		return fmt.Errorf("HUBSPOT_MAX_WAIT %s: must be positive, such as 30s", c.MaxWait)
	}
	if err := c.validateRedis(); err != nil {
		return err
	}
	if err := c.validateConfirmSecret(); err != nil {
		return err
	}
	for _, s := range c.SandboxWithholdScopes {
		if !slices.Contains(sandbox.Scopes(), s) {
			return fmt.Errorf("HUBSPOT_SANDBOX_WITHHOLD_SCOPES %q: want scopes among %s", s, strings.Join(sandbox.Scopes(), ", "))
		}
	}
	if c.SandboxLatency < 0 || c.SandboxLatency > 10*time.Second {
		return fmt.Errorf("HUBSPOT_SANDBOX_LATENCY %s: want from 0 to 10s, such as 150ms", c.SandboxLatency)
	}
	if c.Sandbox || c.TokenSource == "header" || (c.listingOnly && c.AccessToken == "") {
		return nil
	}
	if strings.TrimSpace(c.AccessToken) == "" {
		return errors.New("HUBSPOT_ACCESS_TOKEN is not set: " + view.GetToken + ". Set it, or run `hubspot-conversations-mcp setup` to check it and configure your assistant, or run with --sandbox to try the server on a demo account")
	}
	if _, err := hubspot.NormalizeToken(c.AccessToken); err != nil {
		return fmt.Errorf("HUBSPOT_ACCESS_TOKEN: %w", err)
	}
	if _, err := hubspot.ParseBaseURL(c.BaseURL); err != nil {
		return fmt.Errorf("HUBSPOT_BASE_URL: %w", err)
	}
	return nil
}

// validateRedis reads MCP_REDIS_URL, or its old name
// HUBSPOT_RATE_LIMIT_REDIS_URL; both may be set only to the same value.
func (c *Config) validateRedis() error {
	name := "MCP_REDIS_URL"
	switch old := strings.TrimSpace(c.RateLimitRedisURL); {
	case old == "":
	case strings.TrimSpace(c.RedisURL) == "":
		name, c.RedisURL = "HUBSPOT_RATE_LIMIT_REDIS_URL", old
	case old != strings.TrimSpace(c.RedisURL):
		return errors.New("MCP_REDIS_URL and HUBSPOT_RATE_LIMIT_REDIS_URL (its old name) are set to different Redis URLs: set only MCP_REDIS_URL")
	}
	if strings.TrimSpace(c.RedisURL) == "" {
		return nil
	}
	var err error
	if c.redis, err = redis.ParseURL(strings.TrimSpace(c.RedisURL)); err != nil {
		return fmt.Errorf("%s: want redis://host:port/db, rediss://… or unix:///path (%v)", name, hubspot.RedactURL(err))
	}
	return nil
}

// validateConfirmSecret checks MCP_CONFIRM_SECRET. It is required where a
// confirmation one replica issues may come back to another: over HTTP with
// MCP_STATELESS (every request may reach any replica) or with Redis (which
// means several replicas); a server running alone generates its own. With
// MCP_CONFIRM_WRITES=never no confirmation is issued.
func (c *Config) validateConfirmSecret() error {
	if c.ConfirmSecret != "" {
		if len(c.ConfirmSecret) < inbox.MinConfirmSecretLen {
			return fmt.Errorf("MCP_CONFIRM_SECRET is too short (%d characters): use at least %d random characters, the same on every replica, e.g. from `openssl rand -hex 32`", len(c.ConfirmSecret), inbox.MinConfirmSecretLen)
		}
		return nil
	}
	if c.ConfirmWrites == string(inbox.ConfirmNever) || c.Transport == "stdio" || (!c.Stateless && c.redis == nil) {
		return nil
	}
	why := "MCP_STATELESS=true"
	if !c.Stateless {
		why = "Redis is configured"
	}
	return fmt.Errorf("MCP_CONFIRM_SECRET is not set: with %s, a confirmation one replica issues may come back to another, which must accept it; set the same secret of at least %d random characters on every replica, e.g. from `openssl rand -hex 32`", why, inbox.MinConfirmSecretLen)
}

// toolFilter is the tool selection the configuration asks for.
func (c *Config) toolFilter() tools.Filter {
	return tools.Filter{ReadOnly: c.ReadOnly, Toolsets: c.Toolsets, Tools: c.Tools, Exclude: c.ExcludeTools}
}

// validateHTTP checks the transport settings. A value out of range is an
// error whichever transport is chosen: a setting is never ignored because
// another one makes it unused today.
func (c *Config) validateHTTP() error {
	switch c.TokenSource {
	case "env":
	case "header":
		if c.Transport == "stdio" {
			return errors.New("HUBSPOT_TOKEN_SOURCE=header needs MCP_TRANSPORT http or sse: over stdio there are no request headers")
		}
	default:
		return fmt.Errorf("HUBSPOT_TOKEN_SOURCE %q: want env or header", c.TokenSource)
	}
	switch c.Transport {
	case "stdio", "http", "sse":
	default:
		return fmt.Errorf("MCP_TRANSPORT %q: want stdio, http or sse", c.Transport)
	}
	host, _, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return fmt.Errorf("MCP_ADDR %q: want host:port, such as 127.0.0.1:8080", c.Addr)
	}
	if c.AuthToken != "" && len(c.AuthToken) < 16 {
		return errors.New("MCP_AUTH_TOKEN is too short: use at least 16 random characters, e.g. from `openssl rand -hex 32`")
	}
	if c.Transport != "stdio" && c.AuthToken == "" && !httpserver.IsLoopback(host) {
		return fmt.Errorf("MCP_ADDR %s is not a loopback address: set MCP_AUTH_TOKEN so every client must authenticate, or listen on 127.0.0.1", c.Addr)
	}
	if c.MaxSessions < 1 {
		return fmt.Errorf("MCP_MAX_SESSIONS %d: must be at least 1, such as 100", c.MaxSessions)
	}
	if c.MaxCredentials < 1 {
		return fmt.Errorf("HUBSPOT_MAX_CREDENTIALS %d: must be at least 1, such as 1000", c.MaxCredentials)
	}
	if c.SessionIdleTimeout < time.Second {
		return fmt.Errorf("MCP_SESSION_IDLE_TIMEOUT %s: must be at least 1s, such as 30m", c.SessionIdleTimeout)
	}
	if c.ShutdownTimeout <= 0 {
		return fmt.Errorf("MCP_SHUTDOWN_TIMEOUT %s: must be positive, such as 20s", c.ShutdownTimeout)
	}
	if c.MaxBodyBytes < 1024 {
		return fmt.Errorf("MCP_MAX_BODY_BYTES %d: must be at least 1024 (bytes), such as 1048576", c.MaxBodyBytes)
	}
	if c.BodyReadTimeout <= 0 {
		return fmt.Errorf("MCP_BODY_READ_TIMEOUT %s: must be positive, such as 10s", c.BodyReadTimeout)
	}
	for _, o := range c.AllowedOrigins {
		if u, err := url.Parse(o); err != nil || u.Scheme == "" || u.Host == "" || u.Path != "" {
			return fmt.Errorf("MCP_ALLOWED_ORIGINS %q: want an origin such as https://app.example.com", o)
		}
	}
	return nil
}

// recordingLookuper remembers the last variable go-envconfig looked up:
// the one whose value it failed to parse when it returns an error.
type recordingLookuper struct {
	envconfig.Lookuper
	last string
}

func (r *recordingLookuper) Lookup(key string) (string, bool) {
	r.last = key
	return r.Lookuper.Lookup(key)
}

// explain names the environment variable in a go-envconfig error, which
// names the Go field and the parser instead ("ReadOnly: strconv.ParseBool:
// parsing \"yes\": invalid syntax"), and says what the variable accepts.
func (r *recordingLookuper) explain(err error) error {
	if r.last == "" {
		return fmt.Errorf("configuration: %w", err)
	}
	value, _ := r.Lookuper.Lookup(r.last)
	if want := accepted(r.last); want != "" {
		return fmt.Errorf("%s %q: want %s", r.last, value, want)
	}
	if _, detail, ok := strings.Cut(err.Error(), ": "); ok {
		return fmt.Errorf("%s: %s", r.last, detail)
	}
	return fmt.Errorf("%s: %w", r.last, err)
}

// accepted says what values the Config field read from the environment
// variable name takes, by the field's type; empty for strings and lists,
// whose values validate checks itself.
func accepted(name string) string {
	t := reflect.TypeFor[Config]()
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("env"), ",")
		if tag != name {
			continue
		}
		switch {
		case f.Type == reflect.TypeFor[time.Duration]():
			return "a duration such as 30s, 5m or 1h30m"
		case f.Type.Kind() == reflect.Bool:
			return "true or false (1 or 0, t or f, TRUE or FALSE also work)"
		case f.Type.Kind() == reflect.Int, f.Type.Kind() == reflect.Int64:
			return "a whole number, such as " + defaultOf(f)
		case f.Type.Kind() == reflect.Float64:
			return "a number, such as " + defaultOf(f)
		}
	}
	return ""
}

// defaultOf is the default a Config field's env tag gives.
func defaultOf(f reflect.StructField) string {
	_, def, _ := strings.Cut(f.Tag.Get("env"), "default=")
	return def
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
	fmt.Fprintf(w, `hubspot-conversations-mcp: an MCP server for the HubSpot Conversations inbox.

Usage:
  hubspot-conversations-mcp [flags]                    serve MCP over stdio
  hubspot-conversations-mcp [flags] tools              list the tools
  hubspot-conversations-mcp [flags] tools TOOL         print one tool's definition: description,
                                                       annotations, input and output schemas
  hubspot-conversations-mcp [flags] call TOOL [JSON]   run one tool and print its result; exit status 1
                                                       when the tool fails, 3 when it only printed a
                                                       preview that a person must agree to first
  hubspot-conversations-mcp setup [setup flags]        check a HubSpot token and add the server to
                                                       Claude Desktop, Claude Code, Cursor or VS Code
                                                       (setup -h for its flags)
  hubspot-conversations-mcp healthcheck                ask a running HTTP server's /healthz
                                                       (MCP_TRANSPORT and MCP_ADDR from the environment)
  hubspot-conversations-mcp version                    print the version
  hubspot-conversations-mcp help                       print this help

Configuration comes from the environment (see docs/configuration.md); flags
override it. HUBSPOT_ACCESS_TOKEN is required unless --sandbox is given (tools
needs none): %s.

Flags:
`, view.TokenKinds)
	out := fs.Output()
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(out)
}

// newLoggers returns the server's logger, at LOG_LEVEL, and the audit
// logger, which keeps its info records whatever LOG_LEVEL says: an
// operator who wants quiet logs still wants the record of every write.
// Both write through one handler, so their lines never interleave.
func newLoggers(cfg *Config, stderr io.Writer) (logger, audit *slog.Logger) {
	base := slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug})
	return slog.New(minLevel{base, cfg.logLevel}), slog.New(minLevel{base, slog.LevelInfo})
}

// minLevel passes on the records of at least its level.
type minLevel struct {
	slog.Handler
	level slog.Level
}

func (h minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.level && h.Handler.Enabled(ctx, l)
}

func (h minLevel) WithAttrs(attrs []slog.Attr) slog.Handler {
	return minLevel{h.Handler.WithAttrs(attrs), h.level}
}

func (h minLevel) WithGroup(name string) slog.Handler {
	return minLevel{h.Handler.WithGroup(name), h.level}
}
